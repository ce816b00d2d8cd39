"""The audit finds the inconsistencies the source reports really contain, and none where they agree."""

from __future__ import annotations

import pytest

from fundreport.data.dataset import load_dataset
from fundreport.figures.audit import recompute, run_audit
from fundreport.figures.facts import Facts

from .conftest import ROOT

SAMPLES = ROOT / "data" / "samples"


@pytest.fixture(scope="module")
def findings():
    out = {}
    for name in ("ezhou/2024M1-3", "jiashi/2020", "huangshi/2020", "zhuzhou/2021", "zhuzhou/2021H1"):
        ds = load_dataset(SAMPLES / name)
        out[name] = (ds, run_audit(ds))
    return out


def has(found, check=None, fund=None, subject=None, period=None, stated=None):
    for f in found:
        if check and f.check != check:
            continue
        if fund and f.fund != fund:
            continue
        if subject and f.subject != subject:
            continue
        if period and f.period != period:
            continue
        if stated is not None and (f.found is None or abs(f.found - stated) > 1e-9):
            continue
        return f
    return None


def test_ezhou_rates_divided_by_the_current_period(findings):
    _, found = findings["ezhou/2024M1-3"]
    f = has(found, "stated", "employee", "inpatient_level3.fund_paid", stated=-0.4083)
    assert f is not None and round(f.expected * 100, 2) == -28.99
    assert "stated.csv" in f.source
    # the figures the report gets right produce nothing
    assert not has(found, "stated", "employee", "income_total")
    assert not has(found, "stated", "employee", "outpatient_pooling")


def test_ezhou_maternity_visits_do_not_add_up(findings):
    _, found = findings["ezhou/2024M1-3"]
    f = has(found, "sum", "maternity", "maternity_total.visits", "2024M1-3")
    assert (f.expected, f.found) == (387, 508)


def test_jiashi_inter_level_totals_and_copy_error(findings):
    _, found = findings["jiashi/2020"]
    f = has(found, "inter_level", "resident", "expense_total")
    assert round(f.expected / 1e4, 2) == 21040.11 and round(f.found / 1e4, 2) == 66350.45
    assert has(found, "copy", "employee", period="2020").severity == "error"
    assert has(found, "inter_level", "resident", "balance_current")


def test_zhuzhou_balances_that_do_not_follow(findings):
    _, found = findings["zhuzhou/2021H1"]
    pool = has(found, "balance", "employee_pool", "balance_current")
    assert round(pool.expected / 1e4) == 8012 and round(pool.found / 1e4) == 7624
    _, annual = findings["zhuzhou/2021"]
    resident = has(annual, "balance", "resident", "balance_current")
    assert round(resident.expected / 1e8, 2) == 1.98 and round(resident.found / 1e8, 2) == 1.71
    text = has(annual, "stated", "resident", "income_total", stated=1.0907)
    assert round(text.expected * 100, 2) == 110.09
    assert not has(annual, "stated", "resident", "income_total", stated=1.1009)  # the table is right


def test_huangshi_agrees_within_its_precision(findings):
    # 生育 sub-regions add to 30.80万 against 30.81万: within the rounding of four 万人 figures
    _, found = findings["huangshi/2020"]
    assert found == []


def test_recompute_growth_rate_from_raw():
    ds = load_dataset(SAMPLES / "ezhou/2024M1-3")
    rate = recompute(Facts(ds), "420700", "2024M1-3", "employee", "yoy_rate", "income_total")
    assert round(rate * 100, 2) == -13.90


def test_findings_are_deterministic(findings):
    ds, found = findings["ezhou/2024M1-3"]
    assert run_audit(ds) == found


def test_months_of_support_book_agrees_adjusted_is_floored(findings):
    # 株洲 2021 统筹: book 18.5 months ("约18个月" is within rounding); adjusted 15.7, the report floors to 15
    _, found = findings["zhuzhou/2021"]
    assert not [
        f
        for f in found
        if f.check == "stated"
        and f.fund == "employee_pool"
        and f.subject == "balance_cumulative"
        and f.kind == "months"
    ]
    adjusted = [
        f for f in found if f.fund == "employee_pool" and f.subject == "balance_adjusted" and f.region == "430200"
    ]
    assert adjusted and round(adjusted[0].expected, 1) == 15.7 and adjusted[0].found == 15


def test_zhuzhou_h1_months_of_support_findings(findings):
    # 统筹: 18 stated vs 20.8 after the stated deductions
    _, found = findings["zhuzhou/2021H1"]
    pool = has(found, "stated", "employee_pool", "balance_cumulative")
    assert round(pool.expected, 1) == 20.8 and pool.found == 18


def test_months_the_body_refuses_are_not_recomputed():
    # 公务员 16 stated; the data give 106.4 months (its expense copied from 补充医疗), above the 60-month
    # ceiling: the body prints 数据存疑, so the appendix gives no 计算值 either, only the reason
    from fundreport.figures.audit import audit

    ds = load_dataset(SAMPLES / "zhuzhou/2021H1")
    result = audit(ds)
    assert not has(result.findings, "stated", "civil_servant", "balance_cumulative")
    civil = [u for u in result.coverage.unchecked if u.fund == "civil_servant" and u.indicator == "months_of_support"]
    assert civil and civil[0].value == 16 and "超过60个月" in civil[0].reason
