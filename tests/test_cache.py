"""The render cache (issue 16): a report whose inputs did not change is not rendered again."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from fundreport.render.batch import render_all
from fundreport.render.cache import inputs_key

from .conftest import ROOT
from .test_faults import project


def _copy_data(root):
    """The ezhou sample's data inside the project, so a test may change it."""
    shutil.copytree(ROOT / "data" / "samples" / "ezhou", root / "data" / "ezhou")
    p = root / "params" / "ezhou" / "2024M1-3.yaml"
    text = p.read_text(encoding="utf-8")
    p.write_text(text.replace(f"{ROOT}/data/samples/ezhou", "data/ezhou"), encoding="utf-8")
    return p


def test_unchanged_reports_are_reused_and_any_input_change_renders_again(tmp_path):
    root = project(tmp_path)
    params = _copy_data(root)
    out = root / "outputs"
    first = render_all([params], root, out, jobs=1, formats=("html",))
    assert first[0].status == "ok" and not first[0].reused and first[0].inputs_key
    html = out / "ezhou" / "2024M1-3" / "report.html"
    stamp = html.stat().st_mtime_ns
    again = render_all([params], root, out, jobs=1, formats=("html",))
    assert again[0].reused and again[0].status == "ok" and html.stat().st_mtime_ns == stamp
    assert "鄂州市" in (out / "index.html").read_text(encoding="utf-8")  # the index still lists it
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [r["reused"] for r in manifest["reports"]] == [True]

    key = again[0].inputs_key
    flows = next((root / "data" / "ezhou").rglob("fund_flows.csv"))
    flows.write_text(flows.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # one byte of data
    assert inputs_key(params, root, notebook=None, formats=("html",), pdf_engine="auto") != key
    assert inputs_key(params, root, notebook=None, formats=("html", "pdf"), pdf_engine="auto") != key
    changed = render_all([params], root, out, jobs=1, formats=("html",))
    assert not changed[0].reused and html.stat().st_mtime_ns != stamp
    forced = render_all([params], root, out, jobs=1, formats=("html",), force=True)
    assert not forced[0].reused and forced[0].status == "ok"


def test_a_missing_output_is_rendered_again(tmp_path):
    root = project(tmp_path)
    out = root / "outputs"
    params = root / "params" / "ezhou" / "2024M1-3.yaml"
    assert render_all([params], root, out, jobs=1, formats=("html",))[0].status == "ok"
    (out / "ezhou" / "2024M1-3" / "report.html").unlink()
    again = render_all([params], root, out, jobs=1, formats=("html",))
    assert not again[0].reused and (out / "ezhou" / "2024M1-3" / "report.html").exists()


def test_the_cache_check_imports_nothing_heavy(tmp_path):
    """Deciding that a report is unchanged loads neither pandas nor papermill, nbconvert or WeasyPrint."""
    code = (
        "import sys; from pathlib import Path; from fundreport.render.cache import inputs_key, reusable; "
        f"k = inputs_key(Path({str(ROOT / 'params/ezhou/2024M1-3.yaml')!r}), Path({str(ROOT)!r}), notebook=None, "
        "formats=None, pdf_engine='auto'); reusable(Path('x.yaml'), Path('.'), Path('.'), k); "
        "import fundreport.render.batch, fundreport.cli; "
        "print(sorted(m for m in ('pandas', 'papermill', 'nbconvert', 'weasyprint', 'pydantic', 'openpyxl') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_cache_reads_params_merged_as_the_loader_does(tmp_path):
    # detail.mapping in _defaults.yaml, detail.files in the params file: the loader merges them key by key,
    # so a change of the mapping file must render the report again (a shallow merge lost the mapping)
    (tmp_path / "params").mkdir()
    (tmp_path / "data" / "ds").mkdir(parents=True)
    (tmp_path / "data" / "ds" / "fund_flows.csv").write_text("地区代码\n", encoding="utf-8")
    (tmp_path / "codes.yaml").write_text("医疗类别: {}\n", encoding="utf-8")
    (tmp_path / "params" / "_defaults.yaml").write_text("detail:\n  mapping: codes.yaml\n", encoding="utf-8")
    params = tmp_path / "params" / "x.yaml"
    params.write_text("data: data/ds\ndetail:\n  files: [extracts]\n", encoding="utf-8")
    key = inputs_key(params, tmp_path, notebook=None, formats=("html",), pdf_engine="auto")
    (tmp_path / "codes.yaml").write_text("医疗类别: {'11': 普通门诊}\n", encoding="utf-8")
    assert inputs_key(params, tmp_path, notebook=None, formats=("html",), pdf_engine="auto") != key
