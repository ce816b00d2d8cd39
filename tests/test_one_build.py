"""One build per report: the notebook builds the model once; the renderer reads it from the executed notebook.

Also: the master notebook runs with "Run All" from notebooks/ (as JupyterLab does) on its own default
parameters, the HTML is a function of the executed notebook alone, and a batch loads each dataset once.
"""

from __future__ import annotations

import nbformat
import pytest

from fundreport.data import check
from fundreport.render import one as render
from fundreport.render.batch import validate_all
from fundreport.render.export import notebook_to_html
from fundreport.render.nbmeta import MIME, report_metadata
from fundreport.report import build

from .conftest import ROOT


def meta_outputs(nb) -> list:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if MIME in o.get("data", {})]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    calls = []
    original = build.build_from_context
    build.build_from_context = lambda ctx: calls.append(ctx) or original(ctx)  # counts builds in this process
    try:
        result = render.render_one(ROOT / "params/ezhou/2024M1-3.yaml", ROOT, out, formats=("html",))
    finally:
        build.build_from_context = original
    assert result.status == "ok", result.error
    return out, result, calls


def test_the_renderer_never_builds_and_the_notebook_builds_once(rendered):
    out, result, calls = rendered
    # The notebook ran in this process (the in-process engine): its one build is the only one here.
    assert len(calls) == 1
    nb = nbformat.read(out / result.outputs["ipynb"], as_version=4)
    assert len(meta_outputs(nb)) == 1  # one open_report, one build, in the notebook


def test_on_a_kernel_this_process_builds_nothing(tmp_path):
    calls = []
    original = build.build_from_context
    build.build_from_context = lambda ctx: calls.append(ctx) or original(ctx)
    try:
        result = render.render_one(
            ROOT / "params/ezhou/2024M1-3.yaml", ROOT, tmp_path, formats=("html",), engine="kernel"
        )
    finally:
        build.build_from_context = original
    assert result.status == "ok", result.error
    assert calls == []  # the kernel built the report; the parent read it from the notebook
    assert result.region == "420700" and result.period_label == "2024年1-3月"
    assert any(k["label"] == "职工医保基金收入" and k["amount"] == 249596000 for k in result.key_figures)


def test_html_is_a_function_of_the_executed_notebook_alone(rendered):
    out, result, _ = rendered
    nb = nbformat.read(out / result.outputs["ipynb"], as_version=4)
    nb.metadata.pop("fundreport", None)  # the template's preprocessor lifts it from the notebook's output
    assert notebook_to_html(nb) == (out / result.outputs["html"]).read_text(encoding="utf-8")


def test_an_analyst_may_add_cells(rendered):
    out, result, _ = rendered
    nb = nbformat.read(out / result.outputs["ipynb"], as_version=4)
    extra = nbformat.v4.new_code_cell("print('分析人员补充')")
    extra.outputs = [nbformat.v4.new_output("stream", name="stdout", text="分析人员补充\n")]
    nb.cells.insert(3, extra)
    html = notebook_to_html(nb)
    assert "分析人员补充" in html and "目录" in html and MIME not in html


def test_report_notebook_runs_from_the_notebooks_folder_on_its_defaults():
    from nbclient import NotebookClient

    nb = nbformat.read(ROOT / "notebooks" / "report.ipynb", as_version=4)
    NotebookClient(
        nb, kernel_name="python3", timeout=180, resources={"metadata": {"path": str(ROOT / "notebooks")}}
    ).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, errors[0]["evalue"] if errors else ""
    (head,) = meta_outputs(nb)
    assert "<style>" in head["data"]["text/html"] and "fr-titleblock" in head["data"]["text/html"]
    assert report_metadata(nb)["region_name"] == "鄂州市"
    html = [o["data"]["text/html"] for c in nb.cells for o in c.get("outputs", []) if "text/html" in o.get("data", {})]
    assert sum('class="fr-section"' in h for h in html) >= 10


def test_a_batch_loads_each_dataset_once(make_project, monkeypatch):
    root = make_project(
        {
            "a/2024M1-3.yaml": 'region: "420700"\nperiod: 2024M1-3\ndata: data/ds\n',
            "b/2024M1-3.yaml": 'region: "420700"\nperiod: 2024M1-3\ndata: data/ds\ntitle: 另一份\n',
        }
    )
    loads = []
    original = check.load_dataset
    monkeypatch.setattr(check, "load_dataset", lambda p: loads.append(p) or original(p))
    valid, invalid = validate_all(sorted((root / "params").rglob("*.yaml")), root)
    assert len(valid) == 2 and not invalid and len(loads) == 1
