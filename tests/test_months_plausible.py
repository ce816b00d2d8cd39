"""Months of support a reader would catch: a negative balance gives none, a value above the ceiling (an
abnormal expense base) is printed only with its reason, never as a figure, a band or a chart bar."""

from __future__ import annotations

import pytest

from fundreport.figures.indicators import ABOVE_CEILING, NEGATIVE_BALANCE, plausible_months
from fundreport.report.build import report_from_params
from fundreport.report.model import Chart

from .conftest import write_dataset

REGIONS = [["地区代码", "地区名称", "层级", "上级地区代码"], ["421122", "红安县", "县", ""],
           ["421123", "甲镇", "区", "421122"], ["421124", "乙镇", "区", "421122"]]  # fmt: skip
HEAD = ["地区代码", "期间", "险种", "项目", "数值", "单位"]


def test_plausible_months():
    assert plausible_months(100.0, 10.0, 60) == (10.0, "")
    assert plausible_months(-100.0, -5.8, 60) == (None, NEGATIVE_BALANCE)
    assert plausible_months(100.0, 1334.2, 60) == (None, ABOVE_CEILING)
    assert plausible_months(100.0, 60.0, 60) == (60.0, "")  # the ceiling itself is still a figure
    assert plausible_months(None, None, 60) == (None, "")


def _report(tmp_path, rows, extra=""):
    write_dataset(tmp_path / "data" / "c", {"regions": REGIONS, "fund_flows": [HEAD, *rows]})
    (tmp_path / "params").mkdir()
    text = 'region: "421122"\nperiod: "2024"\ndata: data/c\n' + extra
    (tmp_path / "params" / "c.yaml").write_text(text, encoding="utf-8")
    return report_from_params(str(tmp_path / "params" / "c.yaml"))


def _rows(region, fund, income, expense, cumulative):
    return [
        [region, "2024", fund, "基金收入合计", str(income), "万元"],
        [region, "2024", fund, "基金支出合计", str(expense), "万元"],
        [region, "2024", fund, "累计结余", str(cumulative), "万元"],
    ]


ODD = _rows("421122", "职工统筹基金", 30000, 2700, 30000) + _rows(
    "421122", "城乡居民基本医疗保险", 50000, 52000, -25000
)


def test_abnormal_expense_base_and_negative_balance_print_no_months(tmp_path):
    r = _report(tmp_path, ODD)
    t = next(b for b in r.section("balance").blocks if getattr(b, "id", "") == "t-balance")
    months = {f: row[[c.key for c in t.columns].index("months")] for f, row in zip(t.row_funds, t.rows, strict=True)}
    assert months["employee_pool"].label == "数据存疑" and "超过60个月" in months["employee_pool"].reason
    assert months["resident"].label == "不适用"
    text = "\n".join(r.section("balance").texts())
    assert "133.3" not in text and "超过60个月，本期支出基数异常" in text
    assert not any(isinstance(b, Chart) and b.id == "c-months" for b in r.section("balance").blocks)
    flags = [f for f in r.flags if f.fund == "employee_pool"]
    assert [f.code for f in flags] == ["not_assessed"] and "不作判断" in flags[0].text
    assert not any("过多结余" in f.text for f in r.flags)


def test_ceiling_is_a_parameter(tmp_path):
    r = _report(tmp_path, ODD, "thresholds:\n  months_ceiling: 200\n")
    assert "可支付133.3个月" in "\n".join(r.section("balance").texts())


def test_ceiling_must_lie_above_the_bands(tmp_path):
    from fundreport.errors import InputError

    with pytest.raises(InputError, match="months_ceiling"):
        _report(tmp_path, ODD, "thresholds:\n  months_ceiling: 12\n")


def test_many_subregions_of_one_band_are_one_flag_naming_the_worst(tmp_path):
    rows = ODD[:3]
    regions = [*REGIONS]
    for i in range(5):
        code = f"4211{30 + i}"
        regions.append([code, f"{i}镇", "区", "421122"])
        rows += _rows(code, "职工统筹基金", 100, 120, 5 * (i + 1))  # 0.5 … 2.5 months: all 严重不足
    write_dataset(tmp_path / "data" / "c", {"regions": regions, "fund_flows": [HEAD, *rows]})
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "c.yaml").write_text('region: "421122"\nperiod: "2024"\ndata: data/c\n', encoding="utf-8")
    r = report_from_params(str(tmp_path / "params" / "c.yaml"))
    sub = [f for f in r.section("subregions").flags if f.code == "months_band"]
    assert [f.text for f in sub] == [
        "5个下级地区职工统筹基金可支付月数属于“严重不足”区间（最低：0镇0.5个月、1镇1.0个月、2镇1.5个月等）"
    ]
    assert sub[0].fund == "employee_pool"  # judged on 统筹基金, not again on 职工 as a whole
