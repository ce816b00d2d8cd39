"""The explorer shows what the report says: every row of every view is, cell for cell, a report row."""

from __future__ import annotations

import pytest

from fundreport.data.params import iter_params_files
from fundreport.explore.app import Explorer
from fundreport.explore.views import FAMILIES, FAMILY

from .conftest import ROOT

SAMPLES = iter_params_files(None, ROOT)


def report_rows(report, family) -> list[dict]:
    """The family's table rows of a fully built report, keyed by column (the item column as 'item')."""
    out = []
    for t in family.tables_of(report.sections):
        keys = ["item", *(c.key for c in t.columns[1:])]
        out += [dict(zip(keys, r, strict=True)) for r in t.rows]
    return out


def shown_rows(e: Explorer, key: str) -> list[dict]:
    table = e.table
    if table is None:
        return []
    keys = [c.key for c in table.columns]
    rows = [dict(zip(keys, r, strict=True)) for r in table.rows]
    return [{k: v for k, v in r.items() if k != "key"} for r in rows if r["key"] == key]


def same(a: dict, b: dict) -> bool:
    """a's cells equal b's where b has the column (b has no cell for columns of other stacked tables)."""
    return all(a.get(k) == v for k, v in b.items())


@pytest.mark.parametrize("params", SAMPLES, ids=lambda p: str(p.relative_to(ROOT / "params")))
def test_every_view_row_is_a_report_row(params, tmp_path):
    e = Explorer(params, out_root=tmp_path)
    compared = 0
    for mode in ("periods", "regions"):
        e.mode.value = mode
        for fam in FAMILIES:
            e.family.value = fam.code
            if mode == "periods":
                targets = [(e.region.value, p) for _, p in e.period.options]
            else:
                areas, _, owner = e._areas(e.region.value)
                targets = [(a, e.period.value) for a in [*areas, owner]] if areas else []
            for region, period in targets:
                key = e._name(region) if mode == "regions" else e.period.label
                if mode == "periods":
                    key = dict((v, k) for k, v in e.period.options)[period]
                want = report_rows(e.report(region, period), fam)
                got = shown_rows(e, key)
                assert len(got) == len(want), (mode, fam.code, region, period)
                for g, w in zip(got, want, strict=True):
                    assert same(g, w), (mode, fam.code, region, period, g, w)
                compared += len(got)
    assert compared > 0


def test_jiashi_all_funds_expense_equals_the_report():
    """伽师 2020: 各项基金合计 excludes 上解上级支出 in the explorer as in the report (265,724,700 元)."""
    e = Explorer(ROOT / "params/jiashi/2020.yaml")
    e.family.value, e.mode.value = "flows", "periods"
    rows = [r for r in shown_rows(e, "2020年度") if r["item"] == "合计"]
    assert [round(r["expense"]) for r in rows] == [265724700]


def test_comparison_none_shows_no_comparison(make_project):
    root = make_project({"c/2024M1-3.yaml": 'region: "420700"\nperiod: 2024M1-3\ndata: data/ds\ncomparison: none\n'})
    e = Explorer(root / "params/c/2024M1-3.yaml", root=root, out_root=root / "out")
    e.family.value, e.mode.value = "flows", "periods"
    cols = [c.key for c in e.table.columns]
    assert "income_rate" not in cols and "income_prev" not in cols
    assert FAMILY["flows"].wants("t-income-expense")
