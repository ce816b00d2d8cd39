"""The total rule (figures/totals): an entered total wins, a sum of parts is a total only when every part
is known, otherwise it is labelled with what it holds; 职工 published as 统筹基金 only is a known part."""

from __future__ import annotations

import pytest

from fundreport.figures.totals import COMPLETE, ENTERED, PARTIAL, UNKNOWN, Basis, FundPart, comparable, settle
from fundreport.report.build import report_from_params
from fundreport.report.model import Paragraph

from .conftest import write_dataset

WAN = 10_000.0


def test_entered_total_wins_over_incomplete_parts():
    value, basis = settle(80.0, 0.0, [FundPart("employee_pool", 30.0)], ("resident",))
    assert value == 80.0 and basis.kind == ENTERED and not basis.members


def test_entered_total_that_agrees_with_its_parts_holds_them():
    value, basis = settle(80.0, 1.0, [FundPart("employee_pool", 30.2), FundPart("resident", 50.0)])
    assert value == 80.0 and basis == Basis(ENTERED, ("employee_pool", "resident"))
    assert basis.pool_only and basis.is_total


def test_entered_total_with_inter_level_lines_gives_the_parts_without_them():
    # 支出合计 94 = 职工 30 + 居民 50 + 上解上级 14: the report's basis excludes 上下级往来
    value, basis = settle(94.0, 0.0, [FundPart("employee", 30.0, 44.0), FundPart("resident", 50.0, 50.0)])
    assert value == 80.0 and basis.kind == COMPLETE and basis.includes_inter


def test_entered_total_that_differs_keeps_both_figures():
    value, basis = settle(90.0, 0.0, [FundPart("employee", 30.0), FundPart("resident", 50.0)])
    assert value == 90.0 and basis.kind == ENTERED and basis.parts_sum == 80.0 and basis.differs


def test_sum_of_parts_is_a_total_only_when_every_part_is_known():
    assert settle(None, 0.0, [FundPart("employee", 30.0), FundPart("resident", 50.0)]) == (
        80.0,
        Basis(COMPLETE, ("employee", "resident")),
    )
    value, basis = settle(None, 0.0, [FundPart("employee", 30.0), FundPart("resident", None)])
    assert value == 30.0 and basis.kind == PARTIAL and basis.missing == ("resident",) and not basis.is_total
    assert settle(None, 0.0, [], ("resident",))[0] is None  # unknown is never 0


def test_comparable_needs_the_same_funds():
    a = Basis(COMPLETE, ("employee", "resident"))
    assert comparable(a, Basis(ENTERED, ("employee", "resident")))
    assert not comparable(a, Basis(COMPLETE, ("employee", "resident", "maternity")))
    assert not comparable(a, Basis(ENTERED))
    assert comparable(Basis(ENTERED), Basis(ENTERED))
    assert comparable(a, Basis(UNKNOWN))


REGIONS = [["地区代码", "地区名称", "层级", "上级地区代码"], ["421122", "红安县", "县", ""]]


def _report(tmp_path, flows):
    head = ["地区代码", "期间", "险种", "项目", "数值", "单位"]
    write_dataset(tmp_path / "data" / "c", {"regions": REGIONS, "fund_flows": [head, *flows]})
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "c.yaml").write_text('region: "421122"\nperiod: "2024"\ndata: data/c\n', encoding="utf-8")
    return report_from_params(str(tmp_path / "params" / "c.yaml"))


def _block(report, tid):
    return next(b for s in report.sections for b in s.blocks if getattr(b, "id", None) == tid)


def _text(report) -> str:
    return "\n".join(b.text for s in report.sections for b in s.blocks if isinstance(b, Paragraph))


def rows(flows):
    return [["421122", p, f, i, str(v), "万元"] for p, f, i, v in flows]


POOL_ONLY = rows(
    [
        ("2024", "职工统筹基金", "基金收入合计", 30000), ("2024", "职工统筹基金", "基金支出合计", 28000),
        ("2023", "职工统筹基金", "基金收入合计", 29000), ("2023", "职工统筹基金", "基金支出合计", 26000),
        ("2024", "职工统筹基金", "累计结余", 40000),
        ("2024", "城乡居民基本医疗保险", "基金收入合计", 50000), ("2024", "城乡居民基本医疗保险", "基金支出合计", 52000),
        ("2023", "城乡居民基本医疗保险", "基金收入合计", 48000), ("2023", "城乡居民基本医疗保险", "基金支出合计", 47000),
        ("2024", "城乡居民基本医疗保险", "累计结余", 30000),
    ]
)  # fmt: skip


def test_pool_only_employee_is_part_of_the_total_and_said_so(tmp_path):
    flows = POOL_ONLY + rows([("2024", "全部险种", "基金收入合计", 80000), ("2024", "全部险种", "基金支出合计", 80000)])
    report = _report(tmp_path, flows)
    t = _block(report, "t-income-expense")
    total = dict(zip([c.key for c in t.columns], t.rows[list(t.row_funds).index("all_funds")], strict=True))
    assert total["income"] == pytest.approx(80000 * WAN) and total["expense"] == pytest.approx(80000 * WAN)
    assert total["income_prev"] == pytest.approx(77000 * WAN)  # 统筹 29000 + 居民 48000: the same funds
    assert "生育" not in t.note and t.note.count("仅有统筹基金") == 1 and "报告所列合计数" in t.note
    assert [k.label for k in report.key_figures][:2] == ["职工统筹基金收入", "职工统筹基金支出"]
    text = _text(report)
    assert "职工医保统筹基金和城乡居民基本医保基金合计收入80000.00万元" in text
    assert "各项医保基金收入50000" not in text


def test_entered_total_that_differs_from_its_parts_is_printed_with_both(tmp_path):
    flows = POOL_ONLY + rows([("2024", "全部险种", "基金收入合计", 81000)])
    t = _block(_report(tmp_path, flows), "t-income-expense")
    total = t.rows[list(t.row_funds).index("all_funds")]
    assert total[1] == pytest.approx(81000 * WAN)
    assert "与各险种之和（80000.00万元）不符" in t.note


def test_a_fund_without_figures_makes_the_sum_partial_and_labelled(tmp_path):
    flows = [r for r in POOL_ONLY if r[2] != "城乡居民基本医疗保险" or r[3] == "累计结余"]
    flows += rows([("2024", "全部险种", "累计结余", 70000)])  # 合计 rows exist, 居民 flows do not
    flows += rows([("2024", "生育保险", "基金收入合计", 100), ("2024", "生育保险", "基金支出合计", 90)])
    flows = [r for r in flows if not (r[2] == "全部险种")] + rows([("2024", "全部险种", "累计结余", 70000)])
    report = _report(tmp_path, flows)
    t = _block(report, "t-income-expense")
    label = t.rows[list(t.row_funds).index("all_funds")][0]
    assert label == "已知部分合计（不含居民医保）"
    assert "居民医保的数据缺失" in t.note


def test_comparison_of_a_total_over_other_funds_is_not_shown(tmp_path):
    # 2024 has 生育 beside 统筹 and 居民, 2023 does not: the 合计 of the two years hold different funds
    flows = POOL_ONLY + rows(
        [("2024", "生育保险", "基金收入合计", 100), ("2024", "生育保险", "基金支出合计", 90),
         ("2024", "全部险种", "累计结余", 70000), ("2023", "全部险种", "累计结余", 60000)]
    )  # fmt: skip
    t = _block(_report(tmp_path, flows), "t-income-expense")
    total = dict(zip([c.key for c in t.columns], t.rows[list(t.row_funds).index("all_funds")], strict=True))
    assert total["income"] == pytest.approx(80100 * WAN)
    assert total["income_prev"] is None and total["income_rate"] is None
    assert "比较期所含险种与本期不同" in t.note


SPLIT = [
    ("2024", "职工基本医疗保险", "基金收入合计", 1000), ("2024", "职工统筹基金", "基金收入合计", 700),
    ("2024", "职工统筹基金", "保险费收入", 500), ("2024", "职工统筹基金", "财政补贴收入", 200),
    ("2024", "职工个人账户", "基金收入合计", 300),
]  # fmt: skip


def _employee_lines(report) -> dict:
    t = next((b for s in report.sections for b in s.blocks if getattr(b, "id", "") == "t-lines-employee"), None)
    return {} if t is None else {row[0].strip("\u3000"): row[1] for row in t.rows}


def test_a_part_given_as_a_total_only_leaves_the_employee_lines_unknown(tmp_path):
    # 个账 gives 300 without lines: 职工 保险费收入 is not 500 (统筹's) + 0, so it is not printed
    lines = _employee_lines(_report(tmp_path, rows(SPLIT)))
    assert "保险费收入" not in lines and "财政补贴收入" not in lines


def test_a_line_an_itemized_part_lacks_counts_as_zero(tmp_path):
    # 个账 itemizes its 300 as 保险费收入: it has no 财政补贴收入, so 职工's is 统筹's 200
    lines = _employee_lines(_report(tmp_path, rows([*SPLIT, ("2024", "职工个人账户", "保险费收入", 300)])))
    assert lines["保险费收入"] == pytest.approx(800 * WAN) and lines["财政补贴收入"] == pytest.approx(200 * WAN)
    assert not any("未列明" in k for k in lines)
