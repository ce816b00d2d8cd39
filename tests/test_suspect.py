"""Suspect data is never presented as fact: copied comparison columns and budgets equal to actuals."""

from __future__ import annotations

from functools import cache

from fundreport.data.params import load_params
from fundreport.render.fragments import section_html
from fundreport.report.build import build_report, report_from_params
from fundreport.report.model import Chart, Table

from .conftest import ROOT


@cache
def jiashi():
    return report_from_params(str(ROOT / "params/jiashi/2020.yaml"))


def block(report, bid):
    return next(b for s in report.sections for b in s.blocks if getattr(b, "id", "") == bid)


def everything(report) -> str:
    return "\n".join(t for s in report.sections for t in s.texts()) + "".join(
        f"{k.value}{k.sub}" for k in report.key_figures
    )


def test_copied_comparison_column_gives_no_yoy():
    r = jiashi()
    text = everything(r)
    for wrong in ("持平", "比降80.31%", "比降39.50%"):
        assert wrong not in text
    assert "全县职工基本医保基金收入12718.32万元；支出5532.36万元（上年数据存疑，均未作比较）" in text
    cards = {k.label: k.sub for k in r.key_figures}
    assert cards["职工医保基金收入"] == cards["职工医保基金支出"] == "上年数据存疑"
    assert cards["居民医保基金支出"] == "比增32.97%"  # the 居民 statement is not a copy
    t: Table = block(r, "t-income-expense")
    emp = dict(zip([c.key for c in t.columns], t.rows[t.row_funds.index("employee")], strict=True))
    assert all(getattr(emp[k], "doubtful", False) for k in ("income_prev", "income_rate", "expense_rate"))
    html = section_html(r, r.section("income_expense"))
    assert "数据存疑" in html and "复制错误" in html
    chart: Chart = block(r, "c-income-expense")
    assert [d["x"] for d in chart.data if d["x"].startswith("职工医保")] == []  # a doubtful pair is not drawn
    assert chart.note == "职工医保收入、职工医保支出的上年数缺失或存疑，未绘入本图。"


def test_budget_equal_to_actuals_is_not_executed_at_100_percent():
    r = jiashi()
    t: Table = block(r, "t-budget")
    rows = {row[0]: dict(zip([c.key for c in t.columns], row, strict=True)) for row in t.rows}
    assert getattr(rows["居民医保基金支出合计"]["rate"], "doubtful", False)
    assert getattr(rows["各项基金支出合计"]["rate"], "doubtful", False)  # 合计 budget on another basis
    assert round(rows["居民医保基金收入合计"]["rate"] * 100, 2) == 104.52  # a real budget is still executed
    assert not any(f.code == "budget_deviation" for f in r.flags)
    perf = block(r, "t-performance")
    judged = {row[2]: row[6] for row in perf.rows}
    assert judged["城乡居民医疗保险基金支出预算执行率（%）"] == "未判定"


def test_a_real_budget_is_executed(make_project):
    tables = {
        "regions": [["地区代码", "地区名称", "层级", "上级地区代码"], ["420700", "鄂州市", "市", ""]],
        "fund_flows": [
            ["地区代码", "期间", "险种", "项目", "数值", "单位"],
            ["420700", "2024", "城乡居民基本医疗保险", "基金支出合计", "950", "万元"],
            ["420700", "2024", "城乡居民基本医疗保险", "基金收入合计", "1000", "万元"],
        ],
        "budgets": [
            ["地区代码", "预算年度", "险种", "项目", "预算数", "单位"],
            ["420700", "2024", "城乡居民基本医疗保险", "基金支出合计", "1000", "万元"],
            ["420700", "2024", "城乡居民基本医疗保险", "基金收入合计", "1000", "万元"],
        ],
    }
    root = make_project({"e/2024.yaml": 'region: "420700"\nperiod: 2024\ndata: data/ds\n'}, tables)
    r = build_report(load_params(root / "params/e/2024.yaml"))
    t: Table = block(r, "t-budget")
    rates = {row[0]: row[3] for row in t.rows}
    assert rates["居民医保基金支出合计"] == 0.95
    assert getattr(rates["居民医保基金收入合计"], "doubtful", False)
