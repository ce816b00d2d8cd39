"""Indicator formulas; expected values from the source reports where the report is right."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fundreport.figures import indicators as ind

W = 1e4  # 万元 -> 元
Y = 1e8  # 亿元 -> 元


def pct(x):
    return round(x * 100, 2)


def test_ezhou_employee_income_rate():
    # 鄂州 2024 Q1: 24959.60万元 vs 28990.38万元, 比降13.90%
    assert pct(ind.growth_rate(24959.60 * W, 28990.38 * W)) == -13.90


def test_ezhou_per_visit_paid():
    assert round(ind.per_visit(1964.19 * W, 398619), 2) == 49.27  # 职工 门诊共济
    assert round(ind.per_visit(1668.52 * W, 582951), 2) == 28.62  # 居民 门诊统筹


def test_ezhou_inscope_ratio_change_is_points():
    # 77.10% vs 75.87%: 提高1.23个百分点 (the report's "比增1.63%" is the wrong measure)
    assert round(ind.pp_change(0.7710, 0.7587) * 100, 2) == 1.23


def test_zhuzhou_2021_months_of_support_book_and_adjusted():
    # 统筹 expense = 职工 26.55亿 − 个人账户 11.05亿; balance and adjusted balance from the district table.
    expense = 26.55 * Y - 11.05 * Y
    book = ind.months_of_support(238864.73 * W, expense, 12)
    adjusted = ind.months_of_support(202305.02 * W, expense, 12)
    assert round(book, 1) == 18.5 and round(adjusted, 1) == 15.7
    assert ind.months_band(book).label == "过多结余"
    assert ind.months_band(adjusted).code == "excessive"


def test_jiashi_benefit_growth_without_upper_remittance():
    # 伽师 2020 居民 待遇支出 21040.11 vs 15823.75万元: +32.97%, not the +319% of total expense
    assert pct(ind.growth_rate(21040.11 * W, 15823.75 * W)) == 32.97
    assert pct(ind.growth_rate(66350.45 * W, 15823.75 * W)) == 319.31


def test_zhuzhou_retired_share():
    assert pct(ind.retired_share(27.26e4, 72.74e4)) == 37.48
    assert round(ind.active_retired_ratio(45.48e4, 27.26e4), 2) == 1.67


def test_zero_or_missing_base_gives_no_rate():
    assert ind.growth_rate(5, 0) is None
    assert ind.growth_rate(5, None) is None
    assert ind.growth_rate(None, 5) is None
    assert ind.change(5, None) is None


def test_rate_divides_by_the_comparison_period():
    assert ind.growth_rate(50, 100) == -0.5  # not (50-100)/50
    assert ind.growth_rate(-50, -100) is None  # no rate on a deficit base


def test_balance_rate_and_roll_forward():
    assert ind.current_balance(69530, 61518) == 8012
    assert ind.balance_rate(100, 80) == pytest.approx(0.2)
    assert ind.cumulative_balance(213130, 7624) == 220754


def test_adjusted_balance_treats_missing_deductions_as_zero():
    assert ind.adjusted_balance(220754, 6094, 976, None) == 213684
    assert ind.adjusted_balance(None, 1) is None


@pytest.mark.parametrize(
    ("months", "code"),
    [
        (0, "severe_shortage"),
        (2.99, "severe_shortage"),
        (3, "shortage"),
        (6, "reasonable"),
        (9, "ample"),
        (15, "excessive"),
        (-1, "severe_shortage"),
    ],
)
def test_months_bands(months, code):
    assert ind.months_band(months).code == code


def test_configurable_bands():
    assert ind.months_band(10, (2, 4, 8, 12)).code == "ample"
    assert [b.label for b in ind.bands()] == ["严重不足", "不足", "合理", "充足", "过多结余"]


def test_budget_execution_against_time_progress():
    # 株洲 2021: 居民 支出 27.04 / 23.34 = 115.85%, 15.85 points above a full year
    rate = ind.budget_execution(27.04, 23.34)
    assert pct(rate) == 115.85
    assert ind.budget_flag(rate, 1.0, 5) is True
    assert ind.budget_flag(ind.budget_execution(30.89, 30.66), 1.0, 5) is False
    assert ind.budget_flag(0.95, 1.0, 5) is False  # exactly on the band edge is inside
    assert ind.budget_flag(None, 1.0) is None


def test_deficit_summary():
    s = ind.deficit({"a": 100.0, "b": -30.0, "c": -20.0, "d": None})
    assert s.areas == 3 and s.deficit_count == 2 and s.deficit_areas == ("b", "c")
    assert s.shortfall == 50 and s.surplus == 100


def test_reimbursement_and_visits_per_person():
    assert ind.reimbursement_inscope(77.10, 100) == pytest.approx(0.771)
    assert ind.reimbursement_actual(9216.88, 14317.66) == pytest.approx(0.6437, abs=1e-4)
    assert ind.visits_per_person(12244, 10000) == pytest.approx(1.2244)


def test_stay_admission_rate_and_inscope_selfpay():
    # 12,244 职工 stays of 鄂州 2024年1-3月 over 202,521 insured: 6.05 % in the quarter (not annualised)
    assert ind.admission_rate(12244, 202521) == pytest.approx(0.060458, abs=1e-6)
    assert ind.admission_rate(12244, 0) is None and ind.admission_rate(None, 5) is None
    assert ind.average_stay(98_000, 12244) == pytest.approx(8.0039, abs=1e-4)
    assert ind.average_stay(100, 0) is None
    assert ind.inscope_selfpay(1000.0, 771.0) == pytest.approx(229.0)
    assert ind.inscope_selfpay(None, 771.0) is None


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("≥413449人", 413449, None),
        ("105%≥x≥95%", 0.95, 1.05),
        ("105%≥X≥95%", 0.95, 1.05),
        ("=280", 280, 280),
        ("≥0.69万元", 6900, None),
        ("≥95%", 0.95, None),
        (">=60%", 0.60, None),
        ("≤3个月", None, 3),
        ("6.80%", 0.068, 0.068),
        ("100%", 1.0, 1.0),
    ],
)
def test_parse_target(text, low, high):
    t = ind.parse_target(text)
    assert t.low == pytest.approx(low) if low is not None else t.low is None
    assert t.high == pytest.approx(high) if high is not None else t.high is None


def test_judge_target():
    assert ind.parse_target("≥413449人").judge(430367) is True
    assert ind.parse_target("105%≥x≥95%").judge(1.0591) is False
    assert ind.parse_target("105%≥x≥95%").judge(0.9526) is True
    assert ind.parse_target("=280").judge(280.0) is True
    assert ind.parse_target("≥95%").judge(None) is None


@pytest.mark.parametrize("bad", ["有效缓解", "长期", "≥", "x≥95%"])
def test_unparseable_targets(bad):
    with pytest.raises(ind.TargetError):
        ind.parse_target(bad)


money = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False)


@given(money, st.floats(min_value=1e-6, max_value=1e12, allow_nan=False))
def test_rate_sign_follows_the_change(cur, prev):
    rate = ind.growth_rate(cur, prev)
    assert rate is not None
    assert (rate > 0) == (cur > prev) or cur == prev or rate == 0


@given(money)
def test_rate_against_zero_is_undefined(cur):
    assert ind.growth_rate(cur, 0) is None
    assert ind.growth_rate(cur, 0.0) is None


# -- indicators an analyst looks for next (issue 13) -------------------------------------------------


def test_growth_gap_is_expense_growth_minus_income_growth_in_fraction_points():
    # 株洲 2021H1 职工医保: income 120197 vs 101525 (+18.39%), expense 122459 vs 118894 (+3.00%)
    inc = ind.growth_rate(120197, 101525)
    exp = ind.growth_rate(122459, 118894)
    gap = ind.growth_gap(inc, exp)
    # hand: 3565/118894 − 18672/101525 = 0.029985 − 0.183915 = −0.153931 (−15.39 个百分点)
    assert gap == pytest.approx(3565 / 118894 - 18672 / 101525)
    assert round(gap * 100, 2) == -15.39
    assert ind.growth_gap(None, 0.1) is None


def test_per_insured_figures():
    # 10,000 inpatient visits among 200,000 insured: 住院率 5%; 3.6 亿元 fund paid: 1,800 元/人
    assert ind.inpatient_rate(10_000, 200_000) == pytest.approx(0.05)
    assert ind.per_insured(360_000_000, 200_000) == pytest.approx(1800.0)
    assert ind.per_insured(1.0, 0) is None and ind.inpatient_rate(5, None) is None


def test_collection_rate_and_arrears():
    # 应缴 12,000 万元, 实缴 11,400 万元: 征缴率 95%, 欠费 600 万元
    assert ind.collection_rate(114_000_000, 120_000_000) == pytest.approx(0.95)
    assert ind.arrears(114_000_000, 120_000_000) == pytest.approx(6_000_000)
    assert ind.arrears(125_000_000, 120_000_000) == 0.0  # over-collection is not negative arrears


@pytest.mark.parametrize(
    "deviation_pp,level",
    [(0.0, None), (5.0, None), (5.01, "一般"), (10.0, "一般"), (10.5, "较大"), (20.0, "较大"), (-25.0, "严重")],
)
def test_budget_deviation_level(deviation_pp, level):
    # bands (5, 10, 20) 百分点: ≤5 within control; (5,10] 一般; (10,20] 较大; >20 严重 (by magnitude)
    assert ind.budget_deviation_level(deviation_pp / 100, (5, 10, 20)) == level
    assert ind.budget_deviation_level(None, (5, 10, 20)) is None
