# Two commands do everything (see README.md):
#   make reports   set up .venv, system packages, then check and render every params file
#   make test      run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: reports test setup system browser office lint template clean lab

reports: setup
	$(BIN)/fundreport check
	$(BIN)/fundreport render

test: setup browser office
	bash scripts/run-tests.sh

setup: system $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,lab,cluster,chromium,bench,sql]'
	touch $(STAMP)

system:
	@bash scripts/system-deps.sh

# Chromium (Debian package) for the browser tests and the optional PDF engine.
browser:
	@WITH_BROWSER=1 bash scripts/system-deps.sh

# LibreOffice Writer (Debian package, headless) for the tests that open the Word output like a client would.
office:
	@WITH_OFFICE=1 bash scripts/system-deps.sh

lint: setup
	$(BIN)/ruff check lib tests
	$(BIN)/ruff format --check lib tests

# JupyterLab in the project's environment (explore.ipynb, report.ipynb).
lab: setup
	$(BIN)/jupyter lab notebooks/explore.ipynb

template: setup
	$(BIN)/fundreport template fundreport-template.xlsx

clean:
	rm -rf outputs/*/ outputs/index.html outputs/manifest.json
