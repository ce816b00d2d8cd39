"""Every printed total equals the sum of its printed parts, in every sample report."""

from __future__ import annotations

from functools import cache

import pytest

from fundreport.data.params import iter_params_files
from fundreport.report.build import report_from_params
from fundreport.report.model import Table

from .conftest import ROOT

SAMPLES = iter_params_files(None, ROOT)
IDS = [str(p.relative_to(ROOT / "params")) for p in SAMPLES]


@cache
def tables(path) -> dict[str, Table]:
    r = report_from_params(str(path))
    return {b.id: b for s in r.sections for b in s.blocks if isinstance(b, Table)}


def rows(t: Table) -> list[dict]:
    keys = [c.key for c in t.columns]
    return [dict(zip(keys, r, strict=True)) for r in t.rows]


def depth(label: str) -> int:
    return len(label) - len(label.lstrip("　"))


@pytest.mark.parametrize("params", SAMPLES, ids=IDS)
def test_statement_totals_equal_their_listed_lines(params):
    checked = 0
    for tid, t in tables(params).items():
        if not tid.startswith("t-lines-"):
            continue
        rs = rows(t)
        for i, r in enumerate(rs):
            d = depth(r["item"])
            kids = []
            for s in rs[i + 1 :]:
                if depth(s["item"]) <= d:
                    break
                if depth(s["item"]) == d + 1:
                    kids.append(s)
            if not kids:
                continue
            for col in ("cur", "prev"):
                vals = [k.get(col) for k in kids]
                if not all(isinstance(v, int | float) for v in [r.get(col), *vals]):
                    continue  # a missing or doubtful (数据存疑) cell is not summed
                assert sum(vals) == pytest.approx(r[col], abs=1e-6), (tid, r["item"], col)
                checked += 1
    if any(t.startswith("t-lines-") for t in tables(params)):
        assert checked


@pytest.mark.parametrize("params", SAMPLES, ids=IDS)
def test_fund_totals_add_up(params):
    t = tables(params).get("t-income-expense")
    if t is None:
        pytest.skip("no fund statement")
    by_fund = dict(zip(t.row_funds, rows(t), strict=True))
    for key in ("income", "expense"):
        if "all_funds" in by_fund:
            parts = [by_fund[f][key] for f in ("employee", "resident", "maternity") if f in by_fund]
            parts = [v for v in parts if v is not None]
            assert sum(parts) == pytest.approx(by_fund["all_funds"][key])
        trio = [by_fund.get(f, {}).get(key) for f in ("employee", "employee_pool", "employee_account")]
        if None not in trio:
            assert trio[1] + trio[2] == pytest.approx(trio[0], rel=1e-9), key
    inter = tables(params).get("t-inter-level")
    for r in rows(inter) if inter else []:
        if r["income"] is not None:
            assert r["income"] + (r["up"] or 0) == pytest.approx(r["income_all"])
        if r["expense"] is not None:
            assert r["expense"] + (r["down"] or 0) == pytest.approx(r["expense_all"])


def test_zhuzhou_h1_employee_income_keeps_the_pool_subsidy():
    """职工 2020H1 = 统筹 (49713 + 285 + 364) + 个账 (51056 + 107) = 101,525 万元, so 比增18.39%."""
    by_fund = dict(
        zip(
            *(lambda t: (t.row_funds, rows(t)))(tables(ROOT / "params/zhuzhou/2021H1.yaml")["t-income-expense"]),
            strict=True,
        )
    )
    emp = by_fund["employee"]
    assert emp["income_prev"] == pytest.approx(1_015_250_000)
    assert round(emp["income_rate"] * 100, 2) == 18.39
