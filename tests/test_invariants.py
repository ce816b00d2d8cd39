"""Report invariants (report/invariants): a test per rule on a hand-made report that breaks it, zero
violations on every sample, and zero on a generated family of regions (funds missing, 统筹-only 职工,
entered totals that agree, differ or include 上下级往来, transfer-funded units, extreme expense bases)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fundreport.data.dataset import load_dataset
from fundreport.data.params import iter_params_files, load_params
from fundreport.report import invariants
from fundreport.report.build import build_from_context, prepare
from fundreport.report.context import Context
from fundreport.report.model import Column, Flag, Report, Section, Table

from .conftest import ROOT, write_dataset

SAMPLES = iter_params_files(None, ROOT)


def _ctx(path) -> Context:
    loaded = load_params(path)
    return Context(loaded, load_dataset(prepare(loaded)))


@pytest.fixture(scope="module")
def ezhou():
    ctx = _ctx(ROOT / "params/ezhou/2024M1-3.yaml")
    return build_from_context(ctx), ctx


def _with(report: Report, *tables: Table, flags: tuple[Flag, ...] = ()) -> Report:
    return replace(report, sections=(Section("x", "x", tables, flags=flags),), flags=flags)


def test_total_parts(tmp_path):
    rows = [["421122", p, f, i, v, "万元"] for p, f, i, v in (
        ("2024", "职工统筹基金", "基金收入合计", "100.00"), ("2024", "职工统筹基金", "基金支出合计", "90.00"),
        ("2024", "城乡居民基本医疗保险", "基金收入合计", "50.00"), ("2024", "城乡居民基本医疗保险", "基金支出合计", "40.00"),
        ("2024", "全部险种", "基金收入合计", "150.00"))]  # fmt: skip
    ctx = _county(tmp_path, rows)
    r = build_from_context(ctx)
    assert invariants.rule_total_parts(r, ctx) == []
    t = next(b for s in r.sections for b in s.blocks if getattr(b, "id", "") == "t-income-expense")
    i = list(t.row_funds).index("all_funds")
    wrong = replace(t, rows=tuple((*row[:1], 160.0e4, *row[2:]) if j == i else row for j, row in enumerate(t.rows)))
    assert [v.rule for v in invariants.rule_total_parts(_with(r, wrong), ctx)] == ["total_parts"]
    named = replace(wrong, note="合计为报告所列合计数，与各险种之和（150.00万元）不符")
    assert invariants.rule_total_parts(_with(r, named), ctx) == []
    hidden = replace(t, rows=tuple(row for j, row in enumerate(t.rows) if t.row_funds[j] != "resident"),
                     row_funds=tuple(f for f in t.row_funds if f != "resident"))  # fmt: skip
    assert any("表中未列出" in v.message for v in invariants.rule_total_parts(_with(r, hidden), ctx))


def _county(root: Path, rows) -> Context:
    regions_ = [["地区代码", "地区名称", "层级", "上级地区代码"], ["421122", "红安县", "县", ""]]
    write_dataset(root / "data" / "c", {"regions": regions_, "fund_flows": [HEAD, *rows]})
    (root / "params").mkdir(exist_ok=True)
    (root / "params" / "c.yaml").write_text('region: "421122"\nperiod: "2024"\ndata: data/c\n', encoding="utf-8")
    return _ctx(root / "params" / "c.yaml")


def test_lines_add_up(ezhou):
    r, ctx = ezhou
    cols = (Column("item", "项目"), Column("cur", "本期", "money"))
    t = Table(
        "t-lines-employee", "收支明细", cols, (("基金收入合计", 10.0), ("　保险费收入", 6.0), ("　利息收入", 3.0))
    )
    assert [v.rule for v in invariants.rule_lines_add_up(_with(r, t), ctx)] == ["lines_add_up"]


def test_shares_bounded(ezhou):
    r, ctx = ezhou
    cols = (Column("fund", "险种"), Column("n", "累计结余", "money"), Column("share", "占合计比重", "percent", "total"))
    rows = (("职工医保", 60.0, 0.6), ("职工统筹基金", 20.0, 0.2), ("居民医保", 40.0, 0.4), ("合计", 100.0, 1.0))
    t = Table("t-cumulative", "累计结余", cols, rows, frozenset({3}))
    assert {v.rule for v in invariants.rule_shares_bounded(_with(r, t), ctx)} == {"shares_bounded"}
    sub = replace(t, rows=(rows[0], ("　其中：统筹基金", 20.0, 0.2), *rows[2:]))
    assert invariants.rule_shares_bounded(_with(r, sub), ctx) == []
    negative = replace(t, rows=(("职工医保", 60.0, 1.2), ("生育保险", -10.0, -0.2), ("合计", 50.0, 1.0)))
    assert any("为负" in v.message for v in invariants.rule_shares_bounded(_with(r, negative), ctx))
    short = replace(t, rows=(("职工医保", 60.0, 0.6), ("合计", 100.0, 1.0)), total_rows=frozenset({1}))
    assert any("不等于100%" in v.message for v in invariants.rule_shares_bounded(_with(r, short), ctx))


def test_months_plausible(ezhou):
    r, ctx = ezhou
    cols = (Column("fund", "险种"), Column("months", "可支付月数", "months"))
    for bad in (-5.8, 1334.2):
        t = Table("t-balance", "累计结余及可支付月数", cols, (("居民医保", bad),), row_funds=("resident",))
        assert [v.rule for v in invariants.rule_months_plausible(_with(r, t), ctx)] == ["months_plausible"]


def test_flags_reach_panel(ezhou):
    r, ctx = ezhou
    cols = (Column("area", "地区"), Column("months", "可支付月数", "months"), Column("band", "区间"))
    t = Table("t-sub-resident", "各地区", cols, (("甲县", 1.0, "严重不足"),))
    assert [v.rule for v in invariants.rule_flags_reach_panel(_with(r, t), ctx)] == ["flags_reach_panel"]
    flag = Flag("months_band", "甲县居民医保可支付月数1.0个月（严重不足）", fund="resident", region="x")
    assert invariants.rule_flags_reach_panel(_with(r, t, flags=(flag,)), ctx) == []


def test_not_assessed_is_true(ezhou):
    r, ctx = ezhou
    cols = (Column("fund", "险种"), Column("months", "可支付月数", "months"))
    t = Table("t-balance", "累计结余及可支付月数", cols, (("居民医保", 7.0),), row_funds=("resident",))
    said = Flag("not_assessed", "居民医保可支付月数无法评估（缺少累计结余）", risk=None, fund="resident")
    bare = Flag("not_assessed", "生育保险无法评估", risk=None, fund="maternity")
    found = invariants.rule_not_assessed_is_true(_with(r, t, flags=(said, bare)), ctx)
    assert [v.message for v in found] == ["报告已列出该险种的可支付月数", "无法评估未说明缺少什么或原因"]


def test_panel_points_to_figure(ezhou):
    r, ctx = ezhou
    cols = (Column("fund", "险种"), Column("months", "可支付月数", "months"), Column("balance", "当期结余", "money"))
    t = Table("t-balance", "累计结余及可支付月数", cols, (("居民医保", 1.04, -12_603_500.0),), row_funds=("resident",))
    months = Flag("months_band", "居民医保可支付月数1.0个月，属于“严重不足”区间", fund="resident")
    deficit = Flag("current_deficit", "居民医保当期收不抵支1260.35万元", fund="resident")  # the table's −1,260.35
    assert invariants.rule_panel_points_to_figure(_with(r, t, flags=(months, deficit)), ctx) == []
    other = Flag("months_band", "居民医保可支付月数1.1个月，属于“严重不足”区间", fund="resident")  # 1.04 prints 1.0
    bare = Flag("months_band", "居民医保基金运行存在风险", fund="resident")
    found = invariants.rule_panel_points_to_figure(_with(r, t, flags=(other, bare)), ctx)
    assert [v.message for v in found] == ["风险提示中的1.1未见于报告的表格", "风险提示未写明所依据的数字"]


def test_no_ratio_on_transfers(tmp_path):
    # 本级收入 50 of 1000 with 上级补助 950: the body prints 结余率 不适用 and judges no 收不抵支
    rows = [["421122", "2024", "城乡居民基本医疗保险", i, v, "万元"] for i, v in (("基金收入合计", "50.00"),
            ("上级补助收入", "950.00"), ("基金支出合计", "800.00"))]  # fmt: skip
    ctx = _county(tmp_path, rows)
    r = build_from_context(ctx)
    assert invariants.rule_no_ratio_on_transfers(r, ctx) == []
    cols = (Column("fund", "险种"), Column("balance_rate", "结余率", "percent"))
    t = Table("t-income-expense", "基金收支", cols, (("居民医保", -15.0),), row_funds=("resident",))
    deficit = Flag("current_deficit", "居民医保当期收不抵支750.00万元", fund="resident")
    found = invariants.rule_no_ratio_on_transfers(_with(r, t, flags=(deficit,)), ctx)
    assert [v.message for v in found] == [
        "主要依靠上级补助的险种列出了结余率",
        "主要依靠上级补助的险种按本级收入判断了收不抵支",
    ]


@pytest.mark.parametrize("params", SAMPLES, ids=[str(p.relative_to(ROOT / "params")) for p in SAMPLES])
def test_samples_have_no_violation(params):
    ctx = _ctx(params)
    report = build_from_context(ctx)
    assert invariants.check(report, ctx) == []
    assert not any(getattr(b, "id", "") == "t-selfcheck" for s in report.sections for b in s.blocks)


def test_a_violation_is_printed_in_the_appendix_and_the_panel(monkeypatch):
    fake = invariants.Violation("months_plausible", "累计结余及可支付月数·居民医保", "可支付月数-5.8超出0至60个月")
    monkeypatch.setattr(invariants, "check", lambda report, ctx: [fake])
    report = build_from_context(_ctx(ROOT / "params/ezhou/2024M1-3.yaml"))
    table = next(b for b in report.section("appendix").blocks if getattr(b, "id", "") == "t-selfcheck")
    assert table.rows == (("可支付月数在合理范围内", fake.where, fake.message),)
    assert any(f.code == "self_check" and f.risk is None for f in report.flags)
    assert "报告自检发现1处数字问题" in report.sections[0].texts()[0]


# -- a generated family of regions ---------------------------------------------------------------------

HEAD = ["地区代码", "期间", "险种", "项目", "数值", "单位"]
NAMES = {"employee": "职工基本医疗保险", "employee_pool": "职工统筹基金", "employee_account": "职工个人账户",
         "resident": "城乡居民基本医疗保险", "maternity": "生育保险", "all_funds": "全部险种"}  # fmt: skip
money = st.integers(1, 10**8).map(lambda c: c / 100)  # 0.01 … 1,000,000.00 万元


@st.composite
def regions(draw):
    period = draw(st.sampled_from(["2024", "2024H1", "2024M1-3"]))
    prev = period.replace("2024", "2023")
    employee = draw(st.sampled_from(["absent", "whole", "pool_only", "split", "all3"]))
    rows, totals = [], {"income": 0.0, "expense": 0.0}
    complete = True

    def add(fund, item, value, p=period):
        rows.append(["421122", p, NAMES[fund], item, f"{value:.2f}", "万元"])

    def flows(fund, p=period, both=True):
        inc = draw(money)
        exp = draw(st.one_of(money, st.sampled_from([0.01, 0.5]))) if both else None  # extreme expense bases
        add(fund, "基金收入合计", inc, p)
        if draw(st.booleans()):  # listed lines that may fall short of the total or exceed it
            add(fund, "保险费收入", round(inc * draw(st.sampled_from([0.5, 0.9, 1.0, 1.2])), 2), p)
        if exp is not None:
            add(fund, "基金支出合计", exp, p)
        if draw(st.booleans()):
            add(fund, "累计结余", draw(st.integers(-(10**7), 10**8)) / 100, p)
        return inc, exp

    funds = {"absent": [], "whole": ["employee"], "pool_only": ["employee_pool"], "split": ["employee_pool",
             "employee_account"]}.get(employee, ["employee_pool", "employee_account"])  # fmt: skip
    if employee == "all3":
        a, b = flows("employee_pool"), flows("employee_account")
        add("employee", "基金收入合计", a[0] + b[0])
        add("employee", "基金支出合计", a[1] + b[1])
        parts = [(a[0] + b[0], a[1] + b[1])]
    else:
        parts = [flows(f, both=draw(st.booleans()) or f != "employee_account") for f in funds]
    for f in ("resident", "maternity"):
        if draw(st.booleans()):
            parts.append(flows(f, both=draw(st.booleans())))
    for inc, exp in parts:
        totals["income"] += inc
        totals["expense"] += exp if exp is not None else 0.0
        complete = complete and exp is not None
    if draw(st.booleans()):  # a comparison year for some funds
        for f in funds[:1] + ["resident"]:
            flows(f, prev)
    if draw(st.booleans()) and funds:  # 上级补助 / 上解 lines: a unit under 市级统筹
        add(funds[0], "上级补助收入", draw(money))
        add(funds[0], "上解上级支出", draw(money))
    entered = draw(st.sampled_from(["none", "agrees", "differs"]))
    if entered != "none" and parts:
        off = 0.0 if entered == "agrees" else draw(money)
        add("all_funds", "基金收入合计", totals["income"] + off)
        if complete:
            add("all_funds", "基金支出合计", totals["expense"] + off)
    if not rows:
        add("resident", "基金收入合计", draw(money))
    return period, rows


@settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=regions())
def test_generated_regions_have_no_violation_and_no_unsupported_total(case, tmp_path_factory):
    period, rows = case
    root = Path(tmp_path_factory.mktemp("family"))
    regions_ = [["地区代码", "地区名称", "层级", "上级地区代码"], ["421122", "红安县", "县", ""]]
    write_dataset(root / "data" / "c", {"regions": regions_, "fund_flows": [HEAD, *rows]})
    (root / "params").mkdir()
    (root / "params" / "c.yaml").write_text(f'region: "421122"\nperiod: "{period}"\ndata: data/c\n', encoding="utf-8")
    ctx = _ctx(root / "params" / "c.yaml")
    report = build_from_context(ctx)
    assert invariants.check(report, ctx) == []
    t = next((b for s in report.sections for b in s.blocks if getattr(b, "id", "") == "t-income-expense"), None)
    if t is not None and "all_funds" in t.row_funds:
        label = t.rows[list(t.row_funds).index("all_funds")][0]
        basis = ctx.measures.flow("all_funds").basis
        assert (label == "合计") == basis.is_total, (label, basis)


def test_residual_explained(tmp_path):
    rows = [["421122", "2024", "城乡居民基本医疗保险", i, v, "万元"] for i, v in (("基金收入合计", "50.00"),
            ("基金支出合计", "40.00"))]  # fmt: skip
    ctx = _county(tmp_path, rows)
    r = build_from_context(ctx)
    cols = (Column("item", "项目"), Column("cur", "本期", "money"))
    lines = (("基金收入合计", 50.0e4), ("　保险费收入", 60.0e4), ("　未列明项目（合计减分项）", -10.0e4))
    t = Table("t-lines-resident", "居民医保收支明细", cols, lines)
    assert [v.rule for v in invariants.rule_residual_explained(_with(r, t), ctx)] == ["residual_explained"]


def test_a_rule_that_fails_is_a_violation_not_a_crash(ezhou, monkeypatch):
    r, ctx = ezhou

    def broken(report, ctx):
        raise KeyError("x")

    monkeypatch.setattr(invariants, "RULES", (broken,))
    (v,) = invariants.check(r, ctx)
    assert "自检未能完成" in v.message and "KeyError" in v.message
