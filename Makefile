# Two commands do everything (see README.md):
#   make reports   set up .venv, system packages, then check/render every params file
#   make test      run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: reports test setup system lint template clean

reports: setup
	$(BIN)/fundreport check

test: setup
	bash scripts/run-tests.sh

setup: system $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

system:
	@bash scripts/system-deps.sh

lint: setup
	$(BIN)/ruff check lib tests
	$(BIN)/ruff format --check lib tests

template: setup
	$(BIN)/fundreport template fundreport-template.xlsx

clean:
	rm -rf outputs/*/ outputs/index.html outputs/manifest.json
