"""The audit recomputes stated figures on the basis the report's body uses, and says exactly why one is not
checkable: a 合计 by the total rule (without 上下级往来), no 同比 on a copied comparison, no execution rate of a
budget the body does not judge (filled with the actuals, or a 合计 budget on another basis)."""

from __future__ import annotations

from fundreport.data.dataset import load_dataset
from fundreport.figures.audit import audit

from .conftest import write_dataset

REGIONS = [["地区代码", "地区名称", "层级", "上级地区代码"], ["653129", "伽师县", "县", ""]]
HEAD = ["地区代码", "期间", "险种", "项目", "数值", "单位"]
STATED = ["地区代码", "期间", "险种", "指标", "指标对象", "数值", "单位", "出处"]


def rows(*items):
    return [["653129", p, f, i, v, "万元"] for p, f, i, v in items]


def _audit(tmp_path, flows, stated, budgets=None):
    tables = {"regions": REGIONS, "fund_flows": [HEAD, *flows], "stated": [STATED, *stated]}
    if budgets:
        tables["budgets"] = [["地区代码", "预算年度", "险种", "项目", "预算数", "单位"], *budgets]
    return audit(load_dataset(write_dataset(tmp_path / "ds", tables)))


FLOWS = rows(
    ("2020", "职工基本医疗保险", "基金支出合计", "3000.00"), ("2020", "职工基本医疗保险", "上解上级支出", "6000.00"),
    ("2020", "城乡居民基本医疗保险", "基金支出合计", "2000.00"),
    ("2020", "全部险种", "基金支出合计", "11000.00"),  # the source's 合计 adds 上解上级支出
    ("2019", "职工基本医疗保险", "基金支出合计", "2500.00"), ("2019", "城乡居民基本医疗保险", "基金支出合计", "1500.00"),
    ("2019", "全部险种", "基金支出合计", "4000.00"),
)  # fmt: skip


def test_a_total_with_inter_level_lines_is_recomputed_without_them(tmp_path):
    # the source's +175% is 11000 ÷ 4000 − 1; the body prints 5000 (3000 + 2000) against 4000: +25%
    au = _audit(tmp_path, FLOWS, [["653129", "2020", "全部险种", "同比增减率", "基金支出合计", "175", "%", "正文"]])
    (finding,) = [f for f in au.findings if f.check == "stated"]
    assert round(finding.expected, 4) == 0.25 and finding.found == 1.75
    assert "原报告的合计含上下级往来" in finding.message
    assert au.coverage.consistent == 0


def test_no_yoy_is_checked_on_a_copied_comparison(tmp_path):
    flows = rows(
        ("2020", "职工基本医疗保险", "基金收入合计", "100.00"), ("2020", "职工基本医疗保险", "基金支出合计", "90.00"),
        ("2019", "职工基本医疗保险", "基金收入合计", "100.00"), ("2019", "职工基本医疗保险", "基金支出合计", "90.00"),
    )  # fmt: skip
    stated = [["653129", "2020", "职工基本医疗保险", "同比增减率", "基金收入合计", "0", "%", "表一"]]
    au = _audit(tmp_path, flows, stated)
    assert any(f.check == "copy" for f in au.findings)
    (u,) = au.coverage.unchecked
    assert "疑为复制" in u.reason and "正文不作比较" in u.reason and au.coverage.consistent == 0


def test_no_execution_rate_is_checked_on_a_budget_the_body_does_not_judge(tmp_path):
    budgets = [
        ["653129", "2020", "职工基本医疗保险", "基金支出合计", "3000.00", "万元"],  # = executed: filled with actuals
        ["653129", "2020", "城乡居民基本医疗保险", "基金支出合计", "2500.00", "万元"],
        ["653129", "2020", "全部险种", "基金支出合计", "9000.00", "万元"],  # ≠ 3000 + 2500: another basis
    ]
    stated = [
        ["653129", "2020", "职工基本医疗保险", "预算执行率", "基金支出合计", "100", "%", "表二"],
        ["653129", "2020", "全部险种", "预算执行率", "基金支出合计", "122.22", "%", "表二"],
        ["653129", "2020", "城乡居民基本医疗保险", "预算执行率", "基金支出合计", "80", "%", "表二"],
    ]
    au = _audit(tmp_path, FLOWS, stated, budgets)
    reasons = {u.fund: u.reason for u in au.coverage.unchecked}
    assert "以执行数填列预算" in reasons["employee"] and "口径不一" in reasons["all_funds"]
    assert au.coverage.consistent == 1  # 居民 2000 ÷ 2500 = 80%


USE = ["地区代码", "期间", "险种", "类别", "分组", "人次", "人数", "总费用", "政策范围内费用", "基金支付", "金额单位"]


def test_stated_changes_of_derived_figures_are_checked(tmp_path):
    # 鄂州 2024M1-3 职工住院: 14317.66万元 ÷ 12244人次 = 11693.61元 vs 18094.16万元 ÷ 13580 = 13324.12元 → −12.24%;
    # 实际报销比例 9216.88 ÷ 14317.66 = 64.37% vs 11396.76 ÷ 18094.16 = 62.99% → +1.39个百分点 (exact 1.388)
    use = [
        ["653129", "2024M1-3", "职工基本医疗保险", "住院合计", "", "12244", "", "14317.66", "", "9216.88", "万元"],
        ["653129", "2023M1-3", "职工基本医疗保险", "住院合计", "", "13580", "", "18094.16", "", "11396.76", "万元"],
    ]
    stated = [
        ["653129", "2024M1-3", "职工基本医疗保险", "同比增减率", "inpatient_total.cost_per_visit", "-12.24", "%", "四"],
        [
            "653129",
            "2024M1-3",
            "职工基本医疗保险",
            "百分点变化",
            "inpatient_total.actual_ratio",
            "1.39",
            "个百分点",
            "四",
        ],
        ["653129", "2024M1-3", "职工基本医疗保险", "同比增减率", "inpatient_total", "-12.24", "%", "四"],
    ]
    tables = {"regions": REGIONS, "utilisation": [USE, *use], "stated": [STATED, *stated]}
    au = audit(load_dataset(write_dataset(tmp_path / "ds", tables)))
    assert au.coverage.consistent == 2 and not [f for f in au.findings if f.check == "stated"]
    (u,) = au.coverage.unchecked  # a category alone says not which of its figures changed
    assert "未写明是人次、费用" in u.reason
