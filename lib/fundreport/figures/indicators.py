"""Indicator formulas: one function per indicator, formula and units in its docstring.

Inputs and outputs are plain numbers in base units: money in 元, persons in
人, visits in 人次, ratios as fractions (0.139 = 13.9%), months as months.
``None`` means "not available"; every function returns ``None`` rather than
dividing by zero or by a missing base, and never divides by the current
period (rates divide by the comparison period).

Risk flags are computed here too (:func:`months_band`, :func:`budget_flag`,
:func:`deficit`), so that reports, the explorer and the batch index judge the
same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fundreport.data.decimals import Written
from fundreport.text.labels import BAND_LABELS

Number = float | int | None


def _ok(*values: Number) -> bool:
    return all(v is not None for v in values)


# -- change against the comparison period -----------------------------------


def change(cur: Number, prev: Number) -> float | None:
    """同比增减额 = cur − prev (same unit as the inputs; a difference of figures written to 0.01亿元
    stays known to 0.01亿元, see :class:`~fundreport.data.decimals.Written`)."""
    if not _ok(cur, prev):
        return None
    diff = cur - prev
    return diff if isinstance(diff, Written) else float(diff)


def growth_rate(cur: Number, prev: Number) -> float | None:
    """同比增减率 = (cur − prev) / prev, a fraction.

    Undefined (None) when prev is missing, 0 or negative (a rate on a deficit
    base has no agreed meaning; state the change amount instead). The rate is
    never computed against the current period. narrative.change_rate is the
    exact-arithmetic twin used for display and has the same domain.
    """
    if not _ok(cur, prev) or prev <= 0:
        return None
    return (cur - prev) / prev


def growth_gap(income_rate: Number, expense_rate: Number) -> float | None:
    """收支增速差 = expense growth rate − income growth rate, a fraction shown in 百分点.

    Positive: expense grows faster than income (the balance is being eaten into)."""
    return float(expense_rate - income_rate) if _ok(income_rate, expense_rate) else None


def pp_change(cur_ratio: Number, prev_ratio: Number) -> float | None:
    """Change of a ratio in 百分点, as a fraction: 0.7710 − 0.7587 = 0.0123 (1.23个百分点)."""
    return float(cur_ratio - prev_ratio) if _ok(cur_ratio, prev_ratio) else None


def ratio(numerator: Number, denominator: Number) -> float | None:
    """numerator / denominator; None when either is missing or the denominator is 0."""
    if not _ok(numerator, denominator) or denominator == 0:
        return None
    return numerator / denominator


def share(part: Number, total: Number) -> float | None:
    """结构占比 = part / total (参保结构, 医院等级分布, 门诊类别, 统筹/个账)."""
    return ratio(part, total)


# -- income, expense, balance -----------------------------------------------


def total(values: Iterable[Number]) -> float | None:
    """Sum of the available values; None when none is available."""
    present = [v for v in values if v is not None]
    return float(sum(present)) if present else None


def current_balance(income: Number, expense: Number) -> float | None:
    """当期结余 = income − expense (both without 上下级往来), 元."""
    return change(income, expense)


def balance_rate(income: Number, expense: Number) -> float | None:
    """结余率 = (income − expense) / income, a fraction; None when income is not positive (no rate on it)."""
    if not _ok(income) or income <= 0:
        return None
    return ratio(current_balance(income, expense), income)


def cumulative_balance(opening: Number, current: Number) -> float | None:
    """累计结余 roll-forward = opening cumulative balance + current balance, 元."""
    return float(opening + current) if _ok(opening, current) else None


def monthly_expense(expense: Number, months: int) -> float | None:
    """月均支出 = period expense / months elapsed, 元 per month."""
    return ratio(expense, months)


def adjusted_balance(balance: Number, *deductions: Number) -> float | None:
    """实际结余 = cumulative balance − (一次性预缴及补贴 + 应付未付 + 预留金), 元.

    Missing deductions count as 0 (nothing to deduct); a missing balance gives None.
    """
    if balance is None:
        return None
    return float(balance - sum(d for d in deductions if d is not None))


def months_of_support(balance: Number, expense: Number, months: int) -> float | None:
    """可支付月数 = cumulative balance / (period expense / months elapsed), months.

    For 职工 use the 统筹基金 balance and expense only (个人账户 belongs to
    individuals). Pass the adjusted balance for the 实际 version. None when expense is not positive
    (a negative expense makes no month of support).
    """
    if not _ok(expense) or expense <= 0:
        return None
    return ratio(balance, monthly_expense(expense, months))


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    low: float | None  # months, inclusive
    high: float | None  # months, exclusive
    risk: bool


def bands(cuts: Sequence[float] = (3, 6, 9, 15)) -> tuple[Band, ...]:
    """The five months-of-support bands for cut points a<b<c<d (人社部发〔2009〕67号)."""
    edges = [None, *cuts, None]
    return tuple(Band(code, label, edges[i], edges[i + 1], risk) for i, (code, label, risk) in enumerate(BAND_LABELS))


def months_band(months: Number, cuts: Sequence[float] = (3, 6, 9, 15)) -> Band | None:
    """The band a months-of-support value falls in (<a, a–b, b–c, c–d, >d)."""
    if months is None:
        return None
    for band in bands(cuts):
        if (band.low is None or months >= band.low) and (band.high is None or months < band.high):
            return band
    return None  # unreachable: the bands cover the real line


# -- budgets ----------------------------------------------------------------


NEGATIVE_BALANCE, ABOVE_CEILING = "negative_balance", "above_ceiling"


def plausible_months(balance: float | None, months: float | None, ceiling: float) -> tuple[float | None, str]:
    """可支付月数 as a report may print it, or (None, why not): a negative balance gives no months of support
    (:data:`NEGATIVE_BALANCE`); a value above ``ceiling`` means the period's expense base is abnormal
    (payments moved elsewhere, or not yet settled), so it is not a figure (:data:`ABOVE_CEILING`)."""
    if months is None:
        return None, ""
    if balance is not None and balance < 0:
        return None, NEGATIVE_BALANCE
    if months > ceiling:
        return None, ABOVE_CEILING
    return months, ""


def budget_execution(executed: Number, budget: Number) -> float | None:
    """预算执行率 = executed / annual budget, a fraction."""
    return ratio(executed, budget)


def budget_deviation(execution: Number, time_progress: float) -> float | None:
    """Deviation of the execution rate from 时间进度 (months elapsed / 12), in fraction points."""
    return pp_change(execution, time_progress)


def budget_deviation_level(deviation: Number, cuts_pp: Sequence[float] = (5, 10, 20)) -> str | None:
    """预算执行偏离程度 by the size of ``deviation`` (a fraction, as from :func:`budget_deviation`):
    |d| ≤ a → None (within control); a < |d| ≤ b → 一般; b < |d| ≤ c → 较大; |d| > c → 严重.
    ``cuts_pp`` = (a, b, c) in 百分点 (params ``thresholds.budget_deviation_levels``)."""
    if deviation is None:
        return None
    size = abs(deviation) * 100 - 1e-9  # 5.0 百分点 exactly is still within 5
    a, b, c = cuts_pp
    if size <= a:
        return None
    return "一般" if size <= b else "较大" if size <= c else "严重"


def budget_flag(execution: Number, time_progress: float, band_pp: float = 5.0) -> bool | None:
    """True when |execution − time progress| exceeds the band (band_pp in 百分点)."""
    dev = budget_deviation(execution, time_progress)
    if dev is None:
        return None
    return abs(dev) > band_pp / 100 + 1e-12


# -- sub-regions ------------------------------------------------------------


@dataclass(frozen=True)
class DeficitSummary:
    """收不抵支 over sub-regions: counts and totals (元)."""

    areas: int
    deficit_areas: tuple[str, ...]
    shortfall: float  # sum of (expense − income) over deficit areas, positive
    surplus: float  # sum of (income − expense) over the other areas

    @property
    def deficit_count(self) -> int:
        return len(self.deficit_areas)

    @property
    def deficit_share(self) -> float | None:
        return ratio(self.deficit_count, self.areas)


def deficit(balances: dict[str, Number]) -> DeficitSummary:
    """收不抵支: areas whose current balance (income − expense) is negative.

    balances maps area code to current balance in 元; areas without a
    balance are left out of the count.
    """
    known = {k: v for k, v in balances.items() if v is not None}
    short = {k: v for k, v in known.items() if v < 0}
    return DeficitSummary(
        areas=len(known),
        deficit_areas=tuple(short),
        shortfall=float(-sum(short.values())),
        surplus=float(sum(v for k, v in known.items() if k not in short)),
    )


# -- enrolment --------------------------------------------------------------


def active_retired_ratio(active: Number, retired: Number) -> float | None:
    """在职退休比 (抚养比) = active / retired (persons per retiree)."""
    return ratio(active, retired)


def retired_share(retired: Number, total_enrolled: Number) -> float | None:
    """退休占比 = retired / total enrolled, a fraction."""
    return ratio(retired, total_enrolled)


def per_insured(amount: Number, insured: Number) -> float | None:
    """人均 = amount / insured persons (e.g. 人均基金支出, 元 per insured person)."""
    return ratio(amount, insured)


def inpatient_rate(inpatient_visits: Number, insured: Number) -> float | None:
    """住院率 = inpatient visits (人次) / insured persons, a fraction (shown in %)."""
    return ratio(inpatient_visits, insured)


def collection_rate(collected: Number, due: Number) -> float | None:
    """征缴率 = contributions collected / contributions due (应缴), a fraction."""
    return ratio(collected, due) if _ok(due) and due > 0 else None


def arrears(collected: Number, due: Number) -> float | None:
    """欠费 = due − collected, not below 0 (元)."""
    return max(0.0, float(due - collected)) if _ok(collected, due) else None


# -- utilisation ------------------------------------------------------------


def per_visit(amount: Number, visits: Number) -> float | None:
    """次均费用 / 次均报销 = amount / visits, 元 per 人次."""
    return ratio(amount, visits)


def reimbursement_inscope(fund_paid: Number, inscope_cost: Number) -> float | None:
    """政策范围内报销比例 = fund paid / in-scope cost, a fraction."""
    return ratio(fund_paid, inscope_cost)


def reimbursement_actual(fund_paid: Number, total_cost: Number) -> float | None:
    """实际报销比例 = fund paid / total cost, a fraction."""
    return ratio(fund_paid, total_cost)


def visits_per_person(visits: Number, persons: Number) -> float | None:
    """人次人头比 = visits / distinct persons."""
    return ratio(visits, persons)


def average_stay(bed_days: Number, discharges: Number) -> float | None:
    """平均住院日 = 住院天数 / 出院人次 (days per stay)."""
    return ratio(bed_days, discharges)


def admission_rate(inpatient_visits: Number, enrolled: Number) -> float | None:
    """住院率 = 住院人次 / 参保人数 (a fraction of the period's own months, not annualised)."""
    return ratio(inpatient_visits, enrolled) if _ok(enrolled) and enrolled > 0 else None


def inscope_selfpay(inscope_cost: Number, fund_paid: Number) -> float | None:
    """政策范围内自付 = 政策范围内费用 − 统筹基金支付 (元): the in-scope cost the pooling fund left to others."""
    return float(inscope_cost - fund_paid) if _ok(inscope_cost, fund_paid) else None


# -- performance targets ----------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A parsed 预期指标值: low ≤ x ≤ high (bounds inclusive, None = open).

    Values are in base units: '≥95%' gives low=0.95, '≥0.69万元' gives
    low=6900 (元), '=280' gives low=high=280.
    """

    text: str
    low: float | None
    high: float | None
    unit: str | None

    def judge(self, actual: Number, tolerance: float = 1e-9) -> bool | None:
        """达成 (True) / 未达成 (False); None when the actual cannot be computed."""
        if actual is None:
            return None
        scale = max(1.0, abs(actual))
        if self.low is not None and actual < self.low - tolerance * scale:
            return False
        if self.high is not None and actual > self.high + tolerance * scale:
            return False
        return True


_NUM = r"([0-9]+(?:\.[0-9]+)?)\s*(%|万元|亿元|元|万人|人次|人|个月)?"
_UNIT_FACTOR = {
    "%": 0.01,
    "万元": 1e4,
    "亿元": 1e8,
    "元": 1.0,
    "万人": 1e4,
    "人次": 1.0,
    "人": 1.0,
    "个月": 1.0,
    None: 1.0,
}


class TargetError(ValueError):
    pass


def parse_target(text: str) -> Target:
    """Parse ``≥x``, ``≤x``, ``=x``, ``a≥x≥b`` (also ``>=``, ``X``, with % and units).

    A bare number means ``=number``. Values are scaled to base units by their
    own unit (% → fraction, 万元 → 元).
    """
    raw = unicodedata.normalize("NFKC", str(text)).strip()
    s = raw.replace(">=", "≥").replace("<=", "≤").replace(" ", "")
    s = re.sub(r"(?<=\d)(人/年|元/人/年|元/人·年)$", "", s)

    def num(m: re.Match, i: int = 1) -> tuple[float, str | None]:
        unit = m.group(i + 1)
        return float(m.group(i)) * _UNIT_FACTOR[unit], unit

    if m := re.fullmatch(_NUM + r"≥[xX]≥" + _NUM, s):
        hi, u1 = num(m, 1)
        lo, u2 = num(m, 3)
        return Target(raw, min(lo, hi), max(lo, hi), u1 or u2)
    if m := re.fullmatch(_NUM + r"≤[xX]≤" + _NUM, s):
        lo, u1 = num(m, 1)
        hi, u2 = num(m, 3)
        return Target(raw, lo, hi, u1 or u2)
    if m := re.fullmatch(r"(≥|>|≤|<|=)?" + _NUM, s):
        value, unit = num(m, 2)
        op = m.group(1) or "="
        if op in "≥>":
            return Target(raw, value, None, unit)
        if op in "≤<":
            return Target(raw, None, value, unit)
        return Target(raw, value, value, unit)
    raise TargetError(f"无法解析的预期指标值 {text!r}；应为 ≥x、≤x、=x 或 a≥x≥b（可带 % 或单位）")
