"""Golden reports: every sample's built report model, serialised, must equal its reviewed file.

A change that moves a figure, a sentence, a table row or a finding shows up here as a readable diff.
When the change is intended, regenerate and review the diff before committing:

    FUNDREPORT_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py

and say in the commit message which figures moved and why.
"""

from __future__ import annotations

import difflib
import os

import pytest

from fundreport.data.params import iter_params_files
from fundreport.report.build import report_from_params
from fundreport.report.serialize import report_to_json

from .conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"
SAMPLES = [p for p in iter_params_files(None, ROOT)]
UPDATE = os.environ.get("FUNDREPORT_UPDATE_GOLDEN") == "1"


def golden_path(params) -> object:
    rel = params.relative_to(ROOT / "params").with_suffix("")
    return GOLDEN / (str(rel).replace("/", "__") + ".json")


def test_every_sample_has_a_golden_file():
    assert SAMPLES, "no sample params files found"
    names = {golden_path(p).name for p in SAMPLES}
    stale = sorted(p.name for p in GOLDEN.glob("*.json") if p.name not in names)
    assert not stale, f"golden files without a sample params file: {stale}"


@pytest.mark.parametrize("params", SAMPLES, ids=lambda p: str(p.relative_to(ROOT / "params")))
def test_report_equals_golden(params):
    text = report_to_json(report_from_params(str(params)))
    path = golden_path(params)
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path.name} missing: run with FUNDREPORT_UPDATE_GOLDEN=1 and review it"
    want = path.read_text(encoding="utf-8")
    if text != want:
        diff = "".join(
            difflib.unified_diff(want.splitlines(True), text.splitlines(True), str(path.name), "rebuilt", n=2)
        )
        lines = diff.splitlines()
        shown = "\n".join(lines[:300]) + (f"\n… {len(lines) - 300} more diff lines" if len(lines) > 300 else "")
        pytest.fail(
            f"{path.name} differs from the rebuilt report (set FUNDREPORT_UPDATE_GOLDEN=1 if intended):\n{shown}"
        )


def test_serialisation_is_stable_between_builds():
    p = SAMPLES[0]
    assert report_to_json(report_from_params(str(p))) == report_to_json(report_from_params(str(p)))
