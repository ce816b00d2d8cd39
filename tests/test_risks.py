"""The risk panel: every fund's deficit with its amount, the seasonal note, and "cannot be assessed" as its own status."""

from __future__ import annotations

import pytest

from fundreport.data.params import load_params
from fundreport.render.fragments import flags_html
from fundreport.report.build import build_report, report_from_params

from .conftest import ROOT

RES = "城乡居民基本医疗保险"


def flows(rows):
    return [["地区代码", "期间", "险种", "项目", "数值", "单位"], *rows]


def test_zhuzhou_h1_flags_every_fund_in_deficit_with_its_amount():
    r = report_from_params(str(ROOT / "params/zhuzhou/2021H1.yaml"))
    deficits = {f.fund: round(f.amount / 1e4) for f in r.flags if f.code == "current_deficit"}
    assert deficits == {"employee": 2262, "employee_account": 10274, "resident": 22678, "retired_cadre": 402}
    overview = r.sections[0].texts()[0]
    assert "当期收不抵支4项" in overview and "未发现" not in overview
    resident = next(f for f in r.flags if f.code == "current_deficit" and f.fund == "resident")
    assert "下半年集中征缴" in resident.text and "未能测算" in resident.text


def test_seasonal_note_uses_the_regions_own_history(make_project):
    rows = [
        ["420700", "2023H1", RES, "基金收入合计", "300", "万元"],
        ["420700", "2023H1", RES, "基金支出合计", "500", "万元"],
        ["420700", "2023", RES, "基金收入合计", "1000", "万元"],
        ["420700", "2023", RES, "基金支出合计", "950", "万元"],
        ["420700", "2024H1", RES, "基金收入合计", "320", "万元"],
        ["420700", "2024H1", RES, "基金支出合计", "520", "万元"],
    ]
    tables = {
        "regions": [["地区代码", "地区名称", "层级", "上级地区代码"], ["420700", "鄂州市", "市", ""]],
        "fund_flows": flows(rows),
    }
    root = make_project({"e/2024H1.yaml": 'region: "420700"\nperiod: 2024H1\ndata: data/ds\n'}, tables)
    r = build_report(load_params(root / "params/e/2024H1.yaml"))
    (flag,) = [f for f in r.flags if f.code == "current_deficit"]
    assert flag.amount == pytest.approx(2_000_000)
    assert "居民医保当期收不抵支200.00万元" in flag.text and "2023年30.00%" in flag.text


def test_cannot_be_assessed_is_never_shown_as_no_risk():
    r = report_from_params(str(ROOT / "params/ezhou/2024M1-3.yaml"))
    unknown = [f for f in r.flags if f.risk is None]
    assert {f.fund for f in unknown} >= {"employee_pool", "resident"}
    assert all("无法评估" in f.text for f in unknown)
    assert any("可支付月数无法评估（缺少累计结余）" in f.text for f in unknown)
    assert any("只有全年筹集额" in f.text for f in unknown)  # 居民: the data gives the year's raised amount only
    html = flags_html(r.sections[0])
    assert "✓ 未发现风险提示" not in html and "？" in html
    assert "无法评估" in r.sections[0].texts()[0]
    assert r.section("balance") is not None and "无法计算可支付月数" in r.section("balance").texts()[0]


ENROLMENT = [
    ["地区代码", "期间", "险种", "类别", "人数", "单位"],
    ["420700", "2024M1-3", "职工基本医疗保险", "合计", "1000", "人"],
]
MISSING_FLOWS = {
    "absent": None,
    "header only": flows([]),
    "other region only": flows([["420702", "2024M1-3", RES, "基金收入合计", "300", "万元"]]),
}


@pytest.mark.parametrize("case", list(MISSING_FLOWS))
def test_missing_fund_flows_warn_in_check_and_are_never_no_risk(make_project, case):
    from fundreport.data.check import check_report

    regions = [["地区代码", "地区名称", "层级", "上级地区代码"], ["420700", "鄂州市", "市", ""],
               ["420702", "梁子湖区", "区", "420700"]]  # fmt: skip
    tables = {"regions": regions, "enrolment": ENROLMENT}
    if MISSING_FLOWS[case] is not None:
        tables["fund_flows"] = MISSING_FLOWS[case]
    root = make_project({"e.yaml": 'region: "420700"\nperiod: 2024M1-3\ndata: data/ds\ncomparison: none\n'}, tables)
    res = check_report(root / "params/e.yaml")
    assert res.ok and any("无法评估" in w and "基金收支表" in w for w in res.warnings), res.warnings
    if case == "header only":
        assert any("fund_flows.csv" in w for w in res.warnings)
    r = build_report(load_params(root / "params/e.yaml"))
    overview = r.sections[0]
    assert "未发现风险提示" not in overview.texts()[0] and "无法评估" in overview.texts()[0]
    assert "✓" not in flags_html(overview)
    assert any(f.code == "missing_input" and f.risk is None for f in overview.flags)
