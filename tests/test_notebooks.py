"""The notebooks in git are thin and stripped: no logic, no outputs, defaults only in the parameters cell."""

from __future__ import annotations

import ast
import json

import pytest

from fundreport.text.labels import SECTIONS

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs_and_without_logic(path):
    for cell in cells(path):
        if cell["cell_type"] != "code":
            continue
        assert cell.get("outputs") == [] and cell.get("execution_count") is None, path.name
        tree = ast.parse("".join(cell["source"]))
        assert not [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef | ast.Lambda)], path.name
        assert not [n for n in ast.walk(tree) if isinstance(n, ast.For | ast.While | ast.If)], path.name


def test_report_notebook_parameters_then_one_call_per_section():
    code = [c for c in cells(ROOT / "notebooks" / "report.ipynb") if c["cell_type"] == "code"]
    params = code[0]
    assert params["metadata"].get("tags") == ["parameters"]
    assigns = ast.parse("".join(params["source"])).body
    assert all(isinstance(a, ast.Assign) and isinstance(a.value, ast.Constant) for a in assigns)
    shown = []
    for cell in code[2:]:
        (stmt,) = ast.parse("".join(cell["source"])).body  # exactly one statement
        call = stmt.value
        assert isinstance(call, ast.Call) and call.func.attr == "show"
        shown.append(call.args[0].value)
    assert shown == list(SECTIONS)
