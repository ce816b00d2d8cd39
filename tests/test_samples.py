"""Every sample loads and validates; the template round-trips every sample."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

from fundreport.data.check import check_report
from fundreport.data.dataset import load_dataset
from fundreport.data.params import iter_params_files
from fundreport.data.tables import TABLES
from fundreport.data.template import dataset_to_workbook, write_workbook

from .conftest import ROOT

PARAMS = iter_params_files(None, ROOT)
SAMPLES = sorted(p.parent for p in (ROOT / "data" / "samples").glob("*/*/regions.csv"))
EXPECTED = {"zhuzhou/2021H1", "zhuzhou/2021", "jiashi/2020", "huangshi/2020", "ezhou/2024M1-3"}


def test_all_five_reports_are_samples():
    assert {str(p.relative_to(ROOT / "params").with_suffix("")) for p in PARAMS} >= EXPECTED
    assert {str(p.relative_to(ROOT / "data" / "samples")) for p in SAMPLES} >= EXPECTED


@pytest.mark.parametrize("path", PARAMS, ids=lambda p: str(p.relative_to(ROOT / "params")))
def test_sample_params_and_data_are_valid(path):
    res = check_report(path)
    assert res.ok, "\n".join(map(str, res.issues))
    assert (res.params.data_path / "NOTES.md").exists()
    assert res.params.params.commentary, "the analyst's commentary belongs in the params file"


@pytest.mark.parametrize("folder", SAMPLES, ids=lambda p: str(p.relative_to(ROOT / "data" / "samples")))
def test_template_roundtrip(folder, tmp_path):
    """CSV sample -> filled workbook -> load: the same validated model."""
    book = dataset_to_workbook(folder, tmp_path / "filled.xlsx")
    a, b = load_dataset(folder), load_dataset(book)
    for spec in TABLES:
        left = a[spec.code].drop(columns="source_row").reset_index(drop=True)
        right = b[spec.code].drop(columns="source_row").reset_index(drop=True)
        pd.testing.assert_frame_equal(left, right, check_dtype=False, obj=spec.code)


def test_blank_template_has_dropdowns_examples_and_instructions(tmp_path):
    path = write_workbook(tmp_path / "t.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "填表说明"
    assert {t.label for t in TABLES} <= set(wb.sheetnames)
    flows = wb["基金收支"]
    assert [c.value for c in flows[1]] == [c.label for c in TABLES[2].columns]
    assert str(flows["A2"].value).startswith("#")  # example row, skipped by the loader
    formulas = {dv.formula1 for dv in flows.data_validations.dataValidation}
    assert any("代码表" in f for f in formulas)
    lists = wb["代码表"]
    assert lists.sheet_state == "hidden"
    assert "职工基本医疗保险" in [c.value for c in lists["A"]]
