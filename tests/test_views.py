"""Explorer views as pure functions, without widgets: stacking report tables, charts, the ranking."""

from __future__ import annotations

from fundreport.data.dataset import load_dataset
from fundreport.data.params import load_params
from fundreport.explore.views import FAMILY, Part, ranking_table, stack, view_chart, view_rows
from fundreport.report.build import build_report
from fundreport.report.context import Context

from .conftest import ROOT


def report(name: str):
    loaded = load_params(ROOT / "params" / f"{name}.yaml")
    ds = load_dataset(loaded.data_path)
    return build_report(loaded, ds), Context(loaded, ds)


def test_stack_keeps_report_rows_and_filters_by_fund():
    r, _ = report("zhuzhou/2021H1")
    fam = FAMILY["flows"]
    tables = tuple(fam.tables_of(r.sections))
    table = stack(fam, [Part("2021年1-6月", tables)], key_label="期间", title="t")
    rows = view_rows(table)
    src = tables[0]
    assert [row["item"] for row in rows[: len(src.rows)]] == [x[0] for x in src.rows]
    only = view_rows(stack(fam, [Part("2021年1-6月", tables)], key_label="期间", fund="resident"))
    assert {row["item"] for row in only} == {"居民医保"}
    emp = view_rows(stack(fam, [Part("2021年1-6月", tables)], key_label="期间", fund="employee"))
    assert {"职工医保", "职工统筹基金", "职工个人账户"} <= {row["item"] for row in emp}


def test_stack_of_nothing_is_none():
    assert stack(FAMILY["budget"], [Part("2020", ())], key_label="期间") is None


def test_view_chart_of_a_balance_view_draws_months_with_bands():
    r, _ = report("zhuzhou/2021")
    fam = FAMILY["balance"]
    table = stack(fam, [Part("2021年", tuple(fam.tables_of(r.sections)))], key_label="期间")
    chart = view_chart(fam, table, trend=True, title="t", unit="亿元", cuts=(3, 6, 9, 15))
    assert chart.kind == "months" and chart.cuts == (3, 6, 9, 15)
    assert {d["series"] for d in chart.data} == {"账面", "实际"}


def test_ranking_is_a_report_table_over_measures():
    _, ctx = report("zhuzhou/2021")
    lines = ctx.measures.ranking(ctx.children, ["resident"])
    table, missing = ranking_table(lines, "months", {c: c for c in ctx.children}, title="排名", note="")
    assert table.id == "explore-ranking" and len(table.rows) == len(lines) > 0
    assert missing == len(lines)  # the sample gives the counties' balances but not their expense
    assert all(row[0] is None for row in table.rows)
