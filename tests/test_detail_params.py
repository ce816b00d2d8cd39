"""A params file with ``detail:`` (lib/fundreport/data/from_detail.py): the report reads the detail's 医疗待遇
rows as after ``fundreport aggregate``, the dataset itself is not written, bad detail stops the check."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from fundreport.data import from_detail
from fundreport.data.aggregate import aggregate
from fundreport.data.check import check_report
from fundreport.data.params import load_params
from fundreport.errors import InputError
from fundreport.render.cache import inputs_key
from fundreport.report.build import build_report
from fundreport.report.model import Table

from .conftest import ROOT
from .test_detail import HEADER, write_csv

SAMPLE = Path("data/samples/ezhou/2024M1-3")


def detail_rows() -> list[list[str]]:
    """Three stays a year in 鄂州 (420700), 2024 and 2023, with cost parts and dates."""
    rows = []
    for year, extra in (("2024", 1), ("2023", 0)):
        for i, (where, days) in enumerate((("420700", 4 + extra), ("420100", 6), ("110101", 2))):
            rows.append([f"{year}-{i}", f"P{i}", "310", "21", "3", f"{year}-0{i + 1}-10", "10000", "8000",
                         str(6000 + 100 * extra), "0", "420700", where, f"{year}-0{i + 1}-01",
                         f"{year}-0{i + 1}-{1 + days:02d}", str(1000 + 200 * extra), "200", "800"])  # fmt: skip
    return rows


HEADER_PARTS = [*HEADER, "begndate", "enddate", "fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt"]


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(ROOT / SAMPLE, root / SAMPLE)
    (root / "params" / "ezhou").mkdir(parents=True)
    shutil.copy(ROOT / "params" / "_defaults.yaml", root / "params")
    (root / "extracts").mkdir()
    write_csv(root / "extracts" / "d.csv", detail_rows(), HEADER_PARTS)
    text = (ROOT / "params" / "ezhou" / "2024M1-3.yaml").read_text(encoding="utf-8")
    (root / "params" / "ezhou" / "2024M1-3.yaml").write_text(
        text + "\ndetail:\n  files: [extracts]\n", encoding="utf-8"
    )
    return root


def tables_of(report, code: str) -> dict:
    section = next(s for s in report.sections if s.code == code)
    return {b.title: b for b in section.blocks if isinstance(b, Table)}


def test_the_report_reads_the_detail_rows_and_the_dataset_is_not_written(project, tmp_path):
    params = project / "params" / "ezhou" / "2024M1-3.yaml"
    before = (project / SAMPLE / "utilisation.csv").read_bytes()
    check = check_report(params)
    assert check.ok, check.issues
    derived = load_params(params).data_path
    assert derived.is_dir() and derived.is_relative_to(project / ".cache")
    assert (project / SAMPLE / "utilisation.csv").read_bytes() == before  # the dataset itself is untouched
    # The same rows as `fundreport aggregate` into a copy of the dataset, for the same periods.
    by_hand = tmp_path / "by_hand"
    shutil.copytree(project / SAMPLE, by_hand)
    aggregate([project / "extracts"], by_hand, periods=["2024M1-3", "2023M1-3"])
    assert (derived / "utilisation.csv").read_bytes() == (by_hand / "utilisation.csv").read_bytes()
    report = build_report(load_params(params))
    costs = {r[0]: r for r in tables_of(report, "inpatient")["职工医保住院医疗费用构成"].rows}
    assert costs["医疗总费用"][1] == 30000 and costs["其中：基金支付"][1] == 18300  # 3 × 10000; 3 × 6100


def test_a_second_report_reuses_the_aggregation_until_the_detail_changes(project, monkeypatch):
    params = project / "params" / "ezhou" / "2024M1-3.yaml"
    first = from_detail.prepare(load_params(params))
    key = inputs_key(params, project, notebook=None, formats=("html",), pdf_engine="auto")

    def refuse(*a, **k):
        raise AssertionError("aggregated again although nothing changed")

    monkeypatch.setattr("fundreport.data.aggregate.aggregate", refuse)
    assert from_detail.prepare(load_params(params)) == first
    monkeypatch.undo()
    detail = project / "extracts" / "d.csv"
    rows = detail_rows()
    rows[0][8] = "6200"  # one more 100 元 of fund paid
    write_csv(detail, rows, HEADER_PARTS)
    os.utime(detail, ns=(detail.stat().st_atime_ns, detail.stat().st_mtime_ns + 10**9))
    second = from_detail.prepare(load_params(params))
    assert second != first and (second / "utilisation.csv").read_bytes() != (first / "utilisation.csv").read_bytes()
    assert inputs_key(params, project, notebook=None, formats=("html",), pdf_engine="auto") != key


def test_bad_detail_stops_the_check_with_located_errors_and_leaves_nothing(project):
    params = project / "params" / "ezhou" / "2024M1-3.yaml"
    rows = detail_rows()
    rows[2][6] = "十万"  # 医疗费总额 not a number
    write_csv(project / "extracts" / "d.csv", rows, HEADER_PARTS)
    check = check_report(params)
    assert not check.ok
    text = "\n".join(map(str, check.issues))
    assert "d.csv" in text and "第4行" in text and "medfee_sumamt" in text and "十万" in text
    assert "P2" not in text  # no identifier in a message
    cache = project / from_detail.CACHE
    assert not cache.exists() or not any(cache.iterdir())  # no half-written dataset


def test_a_detail_line_duckdb_cannot_split_is_a_check_error_not_a_crash(project):
    """Before: DuckDB's error escaped check_report (a traceback quoting the line, 人员编号 included) and stopped
    every other params file of the batch."""
    params = project / "params" / "ezhou" / "2024M1-3.yaml"
    rows = detail_rows()
    rows[3] = [*rows[3], "多出的一列"]
    write_csv(project / "extracts" / "d.csv", rows, HEADER_PARTS)
    check = check_report(params)
    assert not check.ok
    text = "\n".join(map(str, check.issues))
    assert "d.csv，第5行：本行有 18 列，表头有 17 列" in text and "2023-0" not in text
    cache = project / from_detail.CACHE
    assert not cache.exists() or not any(cache.iterdir())


def test_detail_paths_are_checked_with_the_data_path_all_at_once(project):
    params = project / "params" / "ezhou" / "2024M1-3.yaml"
    text = params.read_text(encoding="utf-8").replace(
        "files: [extracts]", "files: [extracts, missing/2023]\n  mapping: nope.yaml"
    )
    params.write_text(text.replace("data: data/samples/ezhou/2024M1-3", "data: data/none"), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_params(params)
    keys = {i.key for i in err.value.issues}
    assert keys == {"data", "detail.files.1", "detail.mapping"}


def test_a_workbook_dataset_with_detail_is_a_clear_error(project):
    params = project / "params" / "ezhou" / "2024M1-3.yaml"
    (project / "book.xlsx").write_bytes(b"")
    params.write_text(params.read_text(encoding="utf-8").replace(f"data: {SAMPLE.as_posix()}", "data: book.xlsx"),
                      encoding="utf-8")  # fmt: skip
    check = check_report(params)
    assert not check.ok and check.issues[0].key == "data" and "CSV 文件夹" in str(check.issues[0])
