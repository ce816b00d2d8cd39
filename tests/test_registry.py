"""One registry of stated and target indicators: the audit of a stated figure, the judgement of a target and
the report's body compute the same figure the same way (DESIGN.md "Rules that live once")."""

from __future__ import annotations

from fundreport.data import vocab
from fundreport.data.dataset import load_dataset
from fundreport.data.params import load_params
from fundreport.figures import registry
from fundreport.figures.audit import audit
from fundreport.report.build import build_report
from fundreport.report.model import Table

from .conftest import write_dataset

RES = "城乡居民基本医疗保险"
REGIONS = [["地区代码", "地区名称", "层级", "上级地区代码"], ["420700", "鄂州市", "市", ""]]
FLOWS = [
    ["地区代码", "期间", "险种", "项目", "数值", "单位"],
    ["420700", "2024", RES, "基金收入合计", "1000", "万元"],
    ["420700", "2024", RES, "基金支出合计", "900", "万元"],
    # 待遇支出 is not stated, only its parts: 500 + 300 = 800
    ["420700", "2024", RES, "住院费用支出", "500", "万元"],
    ["420700", "2024", RES, "门诊费用支出", "300", "万元"],
]
BUDGETS = [
    ["地区代码", "预算年度", "险种", "项目", "预算数", "单位"],
    ["420700", "2024", RES, "待遇支出", "1000", "万元"],
]
STATED = [
    ["地区代码", "期间", "险种", "指标", "指标对象", "数值", "单位", "出处"],
    ["420700", "2024", RES, "预算执行率", "待遇支出", "80", "%", "表二"],
    ["420700", "2024", RES, "数值", "待遇支出", "800", "万元", "表一"],
]
TARGETS = [
    ["地区代码", "期间", "险种", "一级指标", "二级指标", "三级指标", "计算指标", "指标对象", "预期指标值", "单位"],
    ["420700", "2024", RES, "产出指标", "数量指标", "待遇支出预算执行率", "预算执行率", "expense_benefit", "≥75%", "%"],
]


def test_every_indicator_of_the_vocabulary_has_one_computation():
    assert set(registry.INDICATORS) == {t.code for t in vocab.INDICATORS}
    computed = {code for code, i in registry.INDICATORS.items() if i.compute is not None}
    assert {"qualitative", "deficit_count"}.isdisjoint(computed) and "budget_execution" in computed


def test_audit_targets_and_body_agree_on_a_budget_line_given_as_its_parts(tmp_path):
    tables = {"regions": REGIONS, "fund_flows": FLOWS, "budgets": BUDGETS, "stated": STATED, "targets": TARGETS}
    write_dataset(tmp_path / "data" / "ds", tables)
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "r.yaml").write_text('region: "420700"\nperiod: 2024\ndata: data/ds\n', encoding="utf-8")
    report = build_report(load_params(tmp_path / "params" / "r.yaml"))
    budget = next(b for s in report.sections for b in s.blocks if isinstance(b, Table) and b.id == "t-budget")
    keys = [c.key for c in budget.columns]
    (row,) = [dict(zip(keys, r, strict=True)) for r in budget.rows if r[keys.index("line")].endswith("待遇支出")]
    assert row["executed"] == 8_000_000 and round(row["rate"], 6) == 0.8  # the body: 800 ÷ 1000
    # a budget of 待遇支出 alone is not a budget of 基金支出合计: no 合计 line (it read 1000 and judged 90 %)
    assert [r[keys.index("line")] for r in budget.rows] == ["居民医保待遇支出"]
    # the audit checks the stated 80 % and 800万元 on that basis (it read 待遇支出 as absent before)
    coverage = audit(load_dataset(tmp_path / "data" / "ds")).coverage
    assert coverage.consistent == 2 and not coverage.unchecked
    # and the target is judged on it
    assert "达成1项" in "\n".join(report.section("performance").texts())


def test_no_months_of_support_on_a_negative_balance(tmp_path):
    flows = [
        ["地区代码", "期间", "险种", "项目", "数值", "单位"],
        ["420700", "2024", RES, "基金支出合计", "1200", "万元"],
        ["420700", "2024", RES, "累计结余", "-600", "万元"],
    ]
    stated = [STATED[0], ["420700", "2024", RES, "可支付月数", "累计结余", "-6", "个月", "正文"]]
    ds = load_dataset(write_dataset(tmp_path / "ds", {"regions": REGIONS, "fund_flows": flows, "stated": stated}))
    (u,) = audit(ds).coverage.unchecked  # the body prints 不适用: the audit gives no 计算值 of −6 either
    assert "结余为负" in u.reason and u.value == -6


def test_kind_follows_the_indicator_then_the_subject():
    assert registry.kind_of("benefit_total", "months_of_support") == "months"
    assert registry.kind_of("inpatient_total.cost_per_visit", "value") == "per"
    assert registry.kind_of("inpatient_total.actual_ratio", "yoy_change") == "ratio"
    assert registry.kind_of("inpatient_total.visits", "value") == "count"
    assert registry.kind_of("retired", "enrolment") == "count"  # persons, not a percentage
    assert registry.kind_of("income_total", "yoy_change") == "money"
