"""Stated and target indicators, once: code → computation, basis and display.

Every indicator a source states (``stated``, 报告所述数值) or a performance target names (``targets``,
计算指标) is one :class:`Indicator` here. The audit recomputes stated figures with :func:`compute`, the
targets judge their actuals with it, and the body's measures call the same basis functions
(:func:`executed` for a budget line, :func:`support_balance` for 可支付月数), so the three cannot
disagree by construction. A new indicator touches this module, the vocabulary
(:data:`fundreport.data.vocab.INDICATORS`) and a test.

A computation takes a :class:`Query` (facts, region, period, fund, subject, group) and returns a value in
base units (元, 人, 人次, fractions for ratios, months) or None when the data lacks an input; it raises
:class:`Uncheckable` when the input is there but the figure is not one the report prints (a budget
filled with actuals, a negative balance, a column copied from the comparison period, a 推算 input).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from fundreport.data import vocab
from fundreport.data.params import Thresholds
from fundreport.data.periods import Period
from fundreport.figures import indicators as ind
from fundreport.figures.budget_rules import budget_doubt
from fundreport.figures.facts import Facts
from fundreport.figures.totals import printed_side


class Uncheckable(Exception):
    """A figure the data cannot give as the report would print it; the message says why."""


class BudgetDoubt(Uncheckable):
    """The budget line is not a real budget (:func:`fundreport.figures.budget_rules.budget_doubt`); the
    message is the doubt alone, each caller says what it does not do with it."""


DERIVED = {
    "cost_per_visit": ("total_cost", "visits"),
    "paid_per_visit": ("fund_paid", "visits"),
    "inscope_ratio": ("fund_paid", "inscope_cost"),
    "actual_ratio": ("fund_paid", "total_cost"),
}
"""Derived measures a subject may name (``inpatient_total.cost_per_visit``): numerator, denominator."""


@dataclass(frozen=True)
class Query:
    """What an indicator is computed for; ``subject`` may be ``head.measure`` (住院合计·基金支付)."""

    facts: Facts
    region: str
    period: str
    fund: str
    subject: str = ""
    group: str = "all"

    @property
    def head(self) -> str:
        return self.subject.partition(".")[0]

    @property
    def measure(self) -> str:
        return self.subject.partition(".")[2]

    @property
    def year(self) -> str:
        return str(Period.parse(self.period).year)

    def at(self, period: str) -> Query:
        return replace(self, period=period)

    def about(self, subject: str) -> Query:
        return replace(self, subject=subject)


# -- basis functions (the body calls these too) ------------------------------------------------------------


def executed(facts: Facts, region: str, period: str, fund: str, item: str) -> float | None:
    """The executed amount of a budget line (元) as the budget section prints it: 基金收入/支出合计 without
    上下级往来 (合计 by the total rule), 待遇支出 stated or the sum of its parts, any other line as given."""
    if item in {"income_total", "expense_total"}:
        return printed_side(facts, region, period, fund, item.split("_")[0])
    if item == "expense_benefit":
        return facts.benefit(region, period, fund)
    return facts.item(region, period, fund, item)


def budget_rate(q: Query, item: str) -> float | None:
    """预算执行率 = executed / budget of the report year; :class:`BudgetDoubt` when the budget line is
    not a real budget (the budget section prints no rate for it)."""
    done, plan = executed(q.facts, q.region, q.period, q.fund, item), q.facts.budget(q.region, q.year, q.fund, item)
    doubt = budget_doubt(q.facts, q.region, q.year, q.fund, item, plan, done)
    if doubt:
        raise BudgetDoubt(doubt)
    return ind.budget_execution(done, plan)


def support_balance(facts: Facts, region: str, period: str, fund: str, adjusted: bool = False) -> float | None:
    """The balance 可支付月数 rests on (元): 累计结余 (stated, else 期初 + 当期) or 实际结余."""
    return facts.adjusted(region, period, fund) if adjusted else facts.cumulative(region, period, fund)


MONTHS_CEILING = Thresholds().months_ceiling
"""The audit judges a dataset, not one report: it uses the params default ceiling (60 months)."""


def _months(q: Query, adjusted: bool) -> float | None:
    balance = support_balance(q.facts, q.region, q.period, q.fund, adjusted)
    raw = ind.months_of_support(
        balance, q.facts.expense(q.region, q.period, q.fund), Period.parse(q.period).months_elapsed
    )
    months, why = ind.plausible_months(balance, raw, MONTHS_CEILING)
    if why == ind.NEGATIVE_BALANCE:
        raise Uncheckable("结余为负，报告不计算可支付月数，无法核对")
    if why == ind.ABOVE_CEILING:
        raise Uncheckable(f"按本期支出计算超过{MONTHS_CEILING:g}个月，本期支出基数异常，报告不列该数，无法核对")
    return months


# -- values of a subject -----------------------------------------------------------------------------------


def value(q: Query) -> float | None:
    """The figure a subject names, in the period of the query (元, 人, 人次, or a fraction)."""
    f, head, measure = q.facts, q.head, q.measure
    if measure in DERIVED:  # 次均费用, 次均基金支付, 政策范围内 / 实际报销比例 of a category
        num, den = DERIVED[measure]
        return ind.ratio(
            f.use(q.region, q.period, q.fund, head, num, q.group), f.use(q.region, q.period, q.fund, head, den, q.group)
        )
    if measure:
        return f.use(q.region, q.period, q.fund, head, measure, q.group)
    if head in vocab.ITEMS:
        if head in {"income_total", "expense_total"}:
            return printed_side(f, q.region, q.period, q.fund, head.split("_")[0])
        if head == "balance_current":
            return ind.current_balance(
                printed_side(f, q.region, q.period, q.fund, "income"),
                printed_side(f, q.region, q.period, q.fund, "expense"),
            )
        if head == "expense_benefit":
            return f.benefit(q.region, q.period, q.fund)
        return f.item(q.region, q.period, q.fund, head)
    if head in vocab.ENROLMENT:
        return f.enrolment(q.region, q.period, q.fund, head, q.group)
    if head in vocab.POLICY:
        return f.policy(q.region, q.period, q.fund, head)
    return None


def _previous(q: Query) -> Query:
    return q.at(Period.parse(q.period).comparison.code)


def _pp_change(q: Query) -> float | None:
    if q.measure in {"inscope_ratio", "actual_ratio"}:
        return ind.pp_change(value(q), value(_previous(q)))
    if q.head in vocab.ENROLMENT and not q.measure:  # a category's share of the fund's enrolment
        return ind.pp_change(_share(q), _share(_previous(q)))
    raise Uncheckable("百分点变化须对应一个比例（待遇类别的报销比例或参保类别的占比），无法核对")


def _share(q: Query) -> float | None:
    f = q.facts
    if q.head in vocab.ENROLMENT:
        return ind.share(value(q), f.enrolment(q.region, q.period, q.fund, "total", q.group))
    if q.measure:  # a group's share of a service measure (在职 出院人次 / 全部)
        return ind.share(value(q), f.use(q.region, q.period, q.fund, q.head, q.measure, "all"))
    parent = vocab.FUNDS.term(q.fund).parent
    if q.head in vocab.ITEMS and parent:  # a fund part's share of its fund (统筹基金 / 职工医保)
        return ind.share(value(q), f.item(q.region, q.period, parent, q.head))
    return None


def _service(q: Query, default: str = "inpatient_total") -> str:
    return q.head or default


def _use(q: Query, measure: str, default: str = "inpatient_total") -> float | None:
    return q.facts.use(q.region, q.period, q.fund, _service(q, default), measure, q.group)


def _enrolment(q: Query, category: str) -> float | None:
    return q.facts.enrolment(q.region, q.period, q.fund, category, q.group)


def _cost_per_beneficiary(q: Query) -> float | None:
    amount = value(q.about(q.subject or "expense_benefit"))
    return ind.ratio(amount, q.facts.use(q.region, q.period, q.fund, "benefit_total", "persons"))


# -- the registry ------------------------------------------------------------------------------------------

Compute = Callable[[Query], float | None]


@dataclass(frozen=True)
class Indicator:
    """One indicator of the vocabulary.

    ``compute``: its value for a query (None: not computed from data, e.g. 定性指标). ``kind``: how it is
    written (``ratio`` a fraction shown in %, ``points`` 百分点, ``months``, ``per`` 元 per visit or person,
    ``number`` a plain figure; None: as its subject, money or a count). ``error``: how the rounding of its
    inputs propagates (``absolute`` for sums and differences, ``rate`` for a growth rate, ``relative``
    for a ratio)."""

    code: str
    compute: Compute | None
    kind: str | None = "ratio"
    error: str = "relative"

    @property
    def label(self) -> str:
        return vocab.INDICATORS.get_label(self.code)


def _i(code: str, compute: Compute | None, kind: str | None = "ratio", error: str = "relative") -> Indicator:
    return Indicator(code, compute, kind, error)


INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in (
        _i("value", value, None, "absolute"),
        _i("yoy_change", lambda q: ind.change(value(q), value(_previous(q))), None, "absolute"),
        _i("yoy_rate", lambda q: ind.growth_rate(value(q), value(_previous(q))), "ratio", "rate"),
        _i("pp_change", _pp_change, "points"),
        _i("share", _share),
        _i(
            "balance_rate",
            lambda q: ind.balance_rate(
                printed_side(q.facts, q.region, q.period, q.fund, "income"),
                printed_side(q.facts, q.region, q.period, q.fund, "expense"),
            ),
        ),
        _i("budget_execution", lambda q: budget_rate(q, q.head)),
        _i("months_of_support", lambda q: _months(q, adjusted=False), "months"),
        _i("months_of_support_adjusted", lambda q: _months(q, adjusted=True), "months"),
        _i(
            "monthly_expense",
            lambda q: ind.monthly_expense(
                q.facts.expense(q.region, q.period, q.fund), Period.parse(q.period).months_elapsed
            ),
            None,
        ),
        _i("per_visit_cost", lambda q: ind.per_visit(_use(q, "total_cost"), _use(q, "visits")), "per"),
        _i("per_visit_paid", lambda q: ind.per_visit(_use(q, "fund_paid"), _use(q, "visits")), "per"),
        _i("per_person_cost", None, "per"),  # 人均 of which population is not said: not recomputed
        _i("reimbursement_inscope", lambda q: ind.reimbursement_inscope(_use(q, "fund_paid"), _use(q, "inscope_cost"))),
        _i("reimbursement_actual", lambda q: ind.reimbursement_actual(_use(q, "fund_paid"), _use(q, "total_cost"))),
        _i(
            "visits_per_person",
            lambda q: ind.visits_per_person(_use(q, "visits"), _use(q, "persons")) if q.head else None,
            "number",
        ),
        _i(
            "active_retired_ratio",
            lambda q: ind.active_retired_ratio(_enrolment(q, "active"), _enrolment(q, "retired")),
            "number",
        ),
        _i("retired_share", lambda q: ind.retired_share(_enrolment(q, "retired"), _enrolment(q, "total"))),
        _i("enrolment", lambda q: _enrolment(q, q.head or "total"), None, "absolute"),
        _i("beneficiaries", lambda q: _use(q, "persons", "benefit_total"), None, "absolute"),
        _i("cost_per_beneficiary", _cost_per_beneficiary, "per"),
        _i("enrolment_rate", lambda q: ind.ratio(_enrolment(q, "total"), _enrolment(q, q.head) if q.head else None)),
        _i("policy", lambda q: q.facts.policy(q.region, q.period, q.fund, q.head) if q.head else None, "number"),
        _i("deficit_count", None, "number"),
        _i("deficit_amount", None, None),
        _i("surplus_amount", None, None),
        _i("qualitative", None, None),
    )
}


def compute(code: str, q: Query) -> float | None:
    """The value of indicator ``code`` for ``q`` (None: the data lacks an input; :class:`Uncheckable`: the
    report prints no such figure)."""
    indicator = INDICATORS.get(code)
    return indicator.compute(q) if indicator is not None and indicator.compute else None


def kind_of(subject: str, code: str = "value") -> str:
    """How a figure of this subject and indicator is written (``money``, ``count``, ``ratio``, ``points``,
    ``months``, ``per``, ``number``)."""
    indicator = INDICATORS.get(code)
    if indicator is not None and indicator.kind is not None:
        return indicator.kind
    head, _, measure = subject.partition(".")
    if measure in DERIVED:
        if measure in {"inscope_ratio", "actual_ratio"}:
            return "ratio"
        return "per"
    if code == "monthly_expense":
        return "money"
    if measure:
        return "count" if measure in {"visits", "persons"} else "money"
    if head in vocab.ENROLMENT or code in {"enrolment", "beneficiaries"}:
        return "count"
    if head in vocab.POLICY:
        return "number"
    return "money"


def _check_vocabulary() -> None:
    missing = {t.code for t in vocab.INDICATORS} ^ set(INDICATORS)
    if missing:  # a new vocabulary term without its computation, or the reverse: fail at import
        raise RuntimeError(f"indicator registry and vocabulary differ: {sorted(missing)}")


_check_vocabulary()
