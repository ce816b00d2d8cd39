"""Accounting of 上下级往来: a district funded by transfers, the unit basis, totals declared as including
往来, and the data date of a closed period. Every printed figure of the small synthetic regions is asserted."""

from __future__ import annotations

import pytest

from fundreport.data.params import load_params
from fundreport.report.build import build_report
from fundreport.report.model import Table

RES = "城乡居民基本医疗保险"
EMP = "职工基本医疗保险"
REGIONS = [
    ["地区代码", "地区名称", "层级", "上级地区代码"],
    ["420700", "鄂州市", "市", ""],
    ["420702", "梁子湖区", "区", "420700"],
    ["420703", "华容区", "区", "420700"],
]


def flows(rows):
    return [["地区代码", "期间", "险种", "项目", "数值", "单位"], *rows]


# 梁子湖区: own income 50, 上级补助 950, expense 800 (万元): 5% own income
DISTRICT = [
    ["420702", "2024", RES, "基金收入合计", "50", "万元"],
    ["420702", "2024", RES, "上级补助收入", "950", "万元"],
    ["420702", "2024", RES, "基金支出合计", "800", "万元"],
]


def build(make_project, rows, extra="", region="420702", tables=None):
    tables = tables or {"regions": REGIONS, "fund_flows": flows(rows)}
    root = make_project({"r/2024.yaml": f'region: "{region}"\nperiod: 2024\ndata: data/ds\n{extra}'}, tables)
    return build_report(load_params(root / "params/r/2024.yaml"))


def table(report, tid) -> dict:
    t = next(b for s in report.sections for b in s.blocks if isinstance(b, Table) and b.id == tid)
    return {
        f: dict(zip([c.key for c in t.columns], r, strict=True))
        for f, r in zip(t.row_funds or [r[0] for r in t.rows], t.rows, strict=True)
    }


def test_district_funded_by_transfers_gets_no_balance_rate_or_deficit(make_project):
    r = build(make_project, DISTRICT)
    row = table(r, "t-income-expense")["resident"]
    assert (row["income"], row["expense"], row["balance"]) == (500_000, 8_000_000, -7_500_000)
    assert getattr(row["balance_rate"], "label", None) == "不适用"
    assert not [f for f in r.flags if f.code == "current_deficit"]
    (flag,) = [f for f in r.flags if f.code == "not_assessed" and "上级补助" in f.text]
    assert "主要依靠上级补助（本级收入占5.00%）" in flag.text and flag.risk is None
    text = "\n".join(r.section("income_expense").texts())
    assert "本级收入仅占含上下级往来收入（1000.00万元）的5.00%" in text and "结余率为" not in text


def test_unit_basis_includes_transfers(make_project):
    r = build(make_project, DISTRICT, "accounting: unit\n")
    row = table(r, "t-income-expense")["resident"]
    assert (row["income"], row["expense"], row["balance"]) == (10_000_000, 8_000_000, 2_000_000)
    assert row["balance_rate"] == pytest.approx(0.2)
    inter = table(r, "t-inter-level")["居民医保"]
    assert (inter["income"], inter["up"], inter["income_all"]) == (500_000, 9_500_000, 10_000_000)
    assert not [f for f in r.flags if f.code == "current_deficit" or "上级补助" in f.text]
    t = next(b for s in r.sections for b in s.blocks if getattr(b, "id", "") == "t-income-expense")
    assert "收支含上下级往来" in t.note


def test_city_does_not_count_transfer_funded_district_as_deficit(make_project):
    rows = DISTRICT + [
        ["420703", "2024", RES, "基金收入合计", "900", "万元"],
        ["420703", "2024", RES, "基金支出合计", "1000", "万元"],
        ["420700", "2024", RES, "基金收入合计", "950", "万元"],
        ["420700", "2024", RES, "基金支出合计", "1800", "万元"],
    ]
    r = build(make_project, rows, region="420700")
    text = "\n".join(r.section("subregions").texts())
    assert "梁子湖区的城乡居民基本医保基金主要依靠上级补助" in text
    (deficit,) = [f for f in r.flags if f.code == "deficit_areas"]
    assert "1个统筹区" in deficit.text and "华容区" in deficit.text and "梁子湖区" not in deficit.text


def test_total_declared_as_including_remittance_is_not_counted_twice(make_project):
    rows = [
        ["420700", "2024", EMP, "基金收入合计", "900", "万元"],
        ["420700", "2024", EMP, "基金支出合计（含上下级往来）", "1000", "万元"],
        ["420700", "2024", EMP, "上解上级支出", "300", "万元"],
        ["420700", "2024", EMP, "本期结余", "200", "万元"],
    ]
    r = build(make_project, rows, region="420700")
    row = table(r, "t-income-expense")["employee"]
    assert (row["income"], row["expense"], row["balance"]) == (9_000_000, 7_000_000, 2_000_000)
    inter = table(r, "t-inter-level")["职工医保"]
    assert (inter["expense"], inter["down"], inter["expense_all"]) == (7_000_000, 3_000_000, 10_000_000)
    appendix = "\n".join(r.section("appendix").texts())
    assert "未发现不一致" in appendix  # the stated 本期结余 200 agrees: no false balance error


def test_data_date_of_a_closed_period(make_project):
    tables = {
        "regions": REGIONS,
        "fund_flows": flows([["420700", "2024", RES, "基金收入合计", "100", "万元"]]),
        "meta": [["项目", "内容"], ["data_date", "2025-06-30"]],
    }
    r = build(make_project, [], region="420700", tables=tables)
    assert r.data_date == "2024-12-31"
    r = build(make_project, [], 'data_date: "2025-01-15"\n', region="420700", tables=tables)
    assert r.data_date == "2025-01-15"


def test_employee_fund_declared_with_civil_servant_subsidy(make_project):
    rows = [
        ["420700", "2024", EMP, "基金收入合计", "1100", "万元"],
        ["420700", "2024", "职工统筹基金", "基金收入合计", "600", "万元"],
        ["420700", "2024", "职工个人账户", "基金收入合计", "400", "万元"],
        ["420700", "2024", "公务员医疗补助", "基金收入合计", "100", "万元"],
    ]
    r = build(make_project, rows, region="420700")  # default: 职工 = 统筹 + 个账, so 1100 ≠ 1000 is an error
    assert "与职工统筹基金、职工个人账户之和不符" in str(table(r, "t-findings"))
    declared = "employee_parts: [职工统筹基金, 职工个人账户, 公务员医疗补助]\n"
    r = build(make_project, rows, declared, region="420700")
    assert "未发现不一致" in "\n".join(r.section("appendix").texts())


def test_employee_parts_must_be_funds(make_project):
    from fundreport.errors import InputError

    root = make_project(
        {"r/2024.yaml": 'region: "420700"\nperiod: 2024\ndata: data/ds\nemployee_parts: [统筹, 养老]\n'}
    )
    with pytest.raises(InputError) as exc:
        load_params(root / "params/r/2024.yaml")
    assert "employee_parts" in exc.value.render() and "不是可组成职工医保的险种" in exc.value.render()


def test_vocabulary_accepts_ascii_brackets_and_new_items():
    from fundreport.data import vocab

    assert vocab.ITEMS.resolve("基金支出合计(含上下级往来)") == "expense_total_gross"
    assert vocab.ITEMS.resolve("其中：医疗救助资助参保") == "memo_assistance_enrolment"
    assert vocab.ITEMS.resolve("大病保险保费支出") == "expense_critical_premium"
    assert (
        vocab.ITEMS.resolve("家庭账户支出") == "expense_account"
        and vocab.ITEMS.resolve("统筹基金支出") == "expense_pooled"
    )
    assert (
        vocab.REGION_LEVELS.resolve("省本级") == "province_proper" and vocab.REGION_LEVELS.resolve("全国") == "national"
    )


def test_unsplit_cumulative_balances_are_printed(make_project):
    rows = [
        ["420700", "2024", EMP, "累计结余", "5000", "万元"],
        ["420700", "2024", "全部险种", "累计结余", "8000", "万元"],
    ]
    r = build(make_project, rows, region="420700")
    t = table(r, "t-balance")
    assert t["employee"]["cumulative"] == 50_000_000 and t["all_funds"]["cumulative"] == 80_000_000


def test_budget_year_ahead_against_this_years_execution(make_project):
    tables = {
        "regions": REGIONS,
        "fund_flows": flows(
            [
                ["420700", "2024", RES, "基金收入合计", "1000", "万元"],
                ["420700", "2024", RES, "基金支出合计", "900", "万元"],
                ["420700", "2024", RES, "累计结余", "600", "万元"],
            ]
        ),
        "budgets": [
            ["地区代码", "预算年度", "险种", "项目", "预算数", "单位"],
            ["420700", "2025", RES, "基金收入合计", "1100", "万元"],
            ["420700", "2025", RES, "基金支出合计", "1200", "万元"],
            ["420700", "2025", RES, "本期结余", "-50", "万元"],  # wrong: 1100 − 1200 = −100
        ],
    }
    r = build(make_project, [], region="420700", tables=tables)
    row = table(r, "t-budget-plan")["resident"]
    assert (row["income_plan"], row["income_now"]) == (11_000_000, 10_000_000)
    assert row["income_rate"] == pytest.approx(0.1) and row["expense_rate"] == pytest.approx(1200 / 900 - 1)
    assert row["balance"] == -1_000_000 and row["cumulative_end"] == 5_000_000
    assert row["months"] == pytest.approx(5.0)  # 500 / (1200 / 12)
    text = "\n".join(r.section("budget_plan").texts())
    assert "2025年城乡居民基本医保基金收入预算1100.00万元" in text and "可支付5.0个月（不足）" in text
    findings = table(r, "t-findings")
    assert any("预算本期结余与收入预算减支出预算不符" in str(v) for v in findings.values())
    assert r.section("budget") is None  # the 2025 budget is not executed in a 2024 report


def test_budget_not_started_has_no_execution(make_project):
    tables = {
        "regions": REGIONS,
        "fund_flows": flows([["420700", "2024", RES, "累计结余", "600", "万元"]]),
        "budgets": [
            ["地区代码", "预算年度", "险种", "项目", "预算数", "单位"],
            ["420700", "2024", RES, "基金收入合计", "1100", "万元"],
        ],
    }
    r = build(make_project, [], region="420700", tables=tables)
    assert "尚未开始执行" in r.section("budget").texts()[0]
    assert not [f for f in r.flags if f.code == "budget_deviation"]


def test_other_editions_are_set_beside_the_figures_used(make_project):
    rows = [
        ["420700", "2024", EMP, "基金收入合计", "1000", "万元", ""],
        ["420700", "2024", EMP, "基金收入合计", "1010", "万元", "公报"],
        ["420700", "2024", EMP, "基金支出合计", "900", "万元", ""],
    ]
    tables = {
        "regions": REGIONS,
        "fund_flows": [["地区代码", "期间", "险种", "项目", "数值", "单位", "数据版本"], *rows],
    }
    r = build(make_project, [], region="420700", tables=tables)
    assert table(r, "t-income-expense")["employee"]["income"] == 10_000_000  # the figure without an edition
    row = table(r, "t-editions")["employee"]
    assert (row["edition"], row["value"], row["used"], row["difference"]) == ("公报", 10_100_000, 10_000_000, 100_000)
    assert "数据另有公报数值" in "\n".join(r.section("income_expense").texts())


def test_targets_judge_employee_on_the_declared_parts(make_project):
    # 职工 = 统筹 600 + 个账 400 + 公务员 100 (declared) = 1100 against a budget of 1000: 110% ≥ 105% 达成.
    # With the default parts 职工 would be 1000 = its budget, "filled with the actuals", and not judged.
    rows = [
        ["420700", "2024", "职工统筹基金", "基金收入合计", "600", "万元"],
        ["420700", "2024", "职工个人账户", "基金收入合计", "400", "万元"],
        ["420700", "2024", "公务员医疗补助", "基金收入合计", "100", "万元"],
    ]
    budgets = [
        ["地区代码", "预算年度", "险种", "项目", "预算数", "单位"],
        ["420700", "2024", EMP, "基金收入合计", "1000", "万元"],
    ]
    targets = [
        ["地区代码", "期间", "险种", "一级指标", "二级指标", "三级指标", "计算指标", "指标对象", "预期指标值", "单位"],
        ["420700", "2024", EMP, "产出指标", "数量指标", "收入预算执行率", "预算执行率", "income_total", "≥105%", "%"],
    ]
    tables = {"regions": REGIONS, "fund_flows": flows(rows), "budgets": budgets, "targets": targets}
    declared = "employee_parts: [职工统筹基金, 职工个人账户, 公务员医疗补助]\n"
    r = build(make_project, [], declared, region="420700", tables=tables)
    texts = "\n".join(r.section("performance").texts())
    assert "达成1项" in texts and "未达成" not in texts
