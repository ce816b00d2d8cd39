"""Back-computed inputs (来源 推算): printed with "（推算）" wherever they or their sums appear, listed with their
method in the appendix, and never used to confirm a stated figure."""

from __future__ import annotations

import io

import openpyxl
import pytest

from fundreport.data.decimals import Written
from fundreport.render.excel import report_xlsx
from fundreport.report.build import report_from_params
from fundreport.report.model import Table
from fundreport.text import narrative as nv

from .conftest import write_dataset

REGIONS = [["地区代码", "地区名称", "层级", "上级地区代码"], ["421122", "红安县", "县", ""]]
FLOWS = [
    ["地区代码", "期间", "险种", "项目", "数值", "单位", "来源", "备注"],
    ["421122", "2024", "职工统筹基金", "基金收入合计", "30000", "万元", "", ""],
    ["421122", "2024", "职工统筹基金", "基金支出合计", "28000", "万元", "", ""],
    ["421122", "2023", "职工统筹基金", "基金收入合计", "28037.38", "万元", "推算", "按公布增速7.0%推算"],
    ["421122", "2023", "职工统筹基金", "基金支出合计", "26000", "万元", "", ""],
]
STATED = [
    ["地区代码", "期间", "险种", "指标", "指标对象", "数值", "单位", "出处"],
    ["421122", "2024", "职工统筹基金", "同比增减率", "基金收入合计", "7.0", "%", "正文一"],
    ["421122", "2024", "职工统筹基金", "同比增减率", "基金支出合计", "7.69", "%", "正文一"],
]


@pytest.fixture
def report(tmp_path):
    write_dataset(tmp_path / "data" / "c", {"regions": REGIONS, "fund_flows": FLOWS, "stated": STATED})
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "c.yaml").write_text('region: "421122"\nperiod: "2024"\ndata: data/c\n', encoding="utf-8")
    return report_from_params(str(tmp_path / "params" / "c.yaml"))


def _table(report, tid) -> Table:
    return next(b for s in report.sections for b in s.blocks if getattr(b, "id", "") == tid)


def test_estimated_figure_is_marked_in_text_and_table(report):
    text = "\n".join(report.section("income_expense").texts())
    assert "上年28037.38万元（推算）" in text and "上年26000.00万元）" in text
    t = _table(report, "t-income-expense")
    cell = t.rows[0][[c.key for c in t.columns].index("income_prev")]
    assert nv.fmt_cell(cell, "money") == "28,037.38（推算）"
    change = _table(report, "t-income-expense-change").rows[0][1]  # 30000 − 28037.38, derived from it
    assert nv.fmt_cell(change, "change") == "+1,962.62（推算）"


def test_a_stated_figure_resting_on_an_estimate_is_not_confirmed(report):
    appendix = report.section("appendix")
    unchecked = _table(report, "t-unchecked")
    reasons = {row[4]: row[6] for row in unchecked.rows}
    assert "推算数不用于核对" in reasons["基金收入合计"]
    assert "基金支出合计" not in reasons  # the expense rate rests on entered figures only: checked
    assert "一致1项" in appendix.texts()[1]
    estimated = _table(report, "t-estimated")
    assert estimated.rows == (
        ("红安县", "2023年度", "职工统筹基金", "基金收入合计", "28037.38万元", "按公布增速7.0%推算"),
    )


def test_excel_keeps_the_number_and_shows_the_mark(report):
    wb = openpyxl.load_workbook(io.BytesIO(report_xlsx(report)))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, float)]
    marked = [c for c in cells if "推算" in c.number_format]
    assert marked and all(isinstance(c.value, float) for c in marked)
    assert any(c.value == pytest.approx(28037.38) for c in marked)


def test_the_mark_follows_sums_and_differences_not_ratios():
    est, entered = Written(100.0, 1.0, True), Written(50.0, 1.0)
    assert (est + entered).estimated and (entered - est).estimated and (-est).estimated
    assert sum([entered, est]).estimated and not (entered + entered).estimated
    assert not getattr(est / 2, "estimated", False)  # a ratio is a plain float
