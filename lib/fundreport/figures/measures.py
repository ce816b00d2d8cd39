"""Every derived figure of a report, as typed values: the one place where a figure is decided.

:class:`Measures` is built once per report context (``ctx.measures``). It
reads raw figures through :class:`~fundreport.figures.facts.Facts`, applies the
formulas of :mod:`fundreport.figures.indicators` and the report's rules, and returns
small frozen values. Section builders, charts, key figures, the risk panel,
the index page and the explorer read these values; none of them adds,
subtracts or divides money on its own.

Rules decided here (and only here):

- **上下级往来** (上级补助收入, 下级上解收入, 上解上级支出, 补助下级支出, …) are
  excluded from a fund's income and expense; :class:`FundFlow` carries them
  separately (``inter_income`` / ``inter_expense``) with the totals that
  include them.
- **合计** (``all_funds``) follows the total rule of :mod:`fundreport.figures.totals`: the source's own
  合计 wins; else the sum of 职工医保 (or, when only it is published, 职工统筹基金), 居民医保 and 生育保险
  (:data:`COMPONENTS`, each excluding 上下级往来) is a total only when every one of them that the period
  has gives the figure, and is labelled with what it holds otherwise (:class:`~fundreport.figures.totals.Basis`).
- **Comparison period**: the same months of the previous year, unless the
  params say ``comparison: none`` or the table has no row of that period for
  the region (:meth:`Measures.prev_for`).
- **Months of support** are judged on pooled funds (:data:`SUPPORT_FUNDS`);
  职工 on 统筹基金 only, since 个人账户 belongs to the insured.

Units: money in 元, persons in 人, visits in 人次, rates and shares as
fractions, months of support in months. A figure the data does not give is
``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from fundreport.data import vocab
from fundreport.data.decimals import Written
from fundreport.data.periods import Period
from fundreport.figures import indicators as ind
from fundreport.figures.audit import ENROLMENT_PARTITIONS, copied_comparison
from fundreport.figures.budget_rules import budget_doubt
from fundreport.figures.facts import money_quantum
from fundreport.figures.indicators import ABOVE_CEILING, NEGATIVE_BALANCE, plausible_months  # noqa: F401 (re-export)
from fundreport.figures.registry import executed, support_balance
from fundreport.figures.totals import COMPONENTS, Basis, FundPart, comparable, fund_total, settle, weakest

if TYPE_CHECKING:
    from fundreport.report.context import Context

SUPPORT_FUNDS = ("employee_pool", "resident", "maternity")
"""Pooled funds judged by months of support; other funds show their cumulative balance only."""

OTHER_FUNDS = ("employee_major", "resident_critical", "civil_servant", "retired_cadre")

BUDGET_ITEMS = ("income_total", "income_premium", "expense_total", "expense_benefit")

SERVICE_MEASURES = ("visits", "persons", "total_cost", "inscope_cost", "fund_paid", "ownpay_cost", "overlimit_cost",
                    "preself_cost", "bed_days", "cash_pay")  # fmt: skip


# -- values ----------------------------------------------------------------------


@dataclass(frozen=True)
class Doubt:
    """A figure the report must not print as a number: the data makes it doubtful (``label`` 数据存疑) or
    it does not apply (``label`` 不适用). Renderers show the label, with ``reason`` nearby."""

    reason: str
    label: str = "数据存疑"
    doubtful = True  # what renderers test (they do not import this layer)


@dataclass(frozen=True)
class Compared:
    """A figure of the report period (``cur``) and of the comparison period (``prev``).

    ``doubt``: why the comparison cannot be trusted (e.g. the source's comparison column is a
    copy of the current one); then the comparison figures are :class:`Doubt` values.
    """

    cur: float | None
    prev: float | None = None
    doubt: str = ""

    @property
    def change(self) -> float | Doubt | None:
        """增减额 = cur − prev (same unit; for ratios a difference of fractions, shown in 百分点)."""
        return Doubt(self.doubt) if self.doubt else ind.change(self.cur, self.prev)

    @property
    def rate(self) -> float | Doubt | None:
        """增减率 = (cur − prev) / prev; None on a missing, zero or negative base."""
        return Doubt(self.doubt) if self.doubt else ind.growth_rate(self.cur, self.prev)

    @property
    def shown_prev(self) -> float | Doubt | None:
        """The comparison value as a report shows it (a :class:`Doubt` when it cannot be trusted)."""
        return Doubt(self.doubt) if self.doubt and self.prev is not None else self.prev

    @property
    def trusted_prev(self) -> float | None:
        """The comparison value when it can be trusted, else None."""
        return None if self.doubt else self.prev


@dataclass(frozen=True)
class FundFlow:
    """Income and expense of one fund (元), with the comparison period.

    ``gross`` False (统筹区口径, the default): income and expense exclude 上下级往来;
    True (本级单位口径, params ``accounting: unit``): they include them (收入 = 本级 + 上级补助
    + 下级上解, 支出 incl. 上解上级 and 补助下级). ``inter_income`` / ``inter_expense``: the
    上下级往来 lines of the report period as (item code, 元), in vocabulary order.
    ``own_share_floor``: below this share of income including 上级补助, the fund is funded by
    transfers and its balance on own income alone is not judged (:attr:`transfer_funded`).
    """

    fund: str
    income: Compared
    expense: Compared
    inter_income: tuple[tuple[str, float], ...] = ()
    inter_expense: tuple[tuple[str, float], ...] = ()
    gross: bool = False
    own_share_floor: float = 0.0
    bases: tuple[Basis, Basis] | None = None
    prev_note: str = ""

    @property
    def basis(self) -> Basis | None:
        """What a sum over funds holds (合计 only; None for one fund): the weaker of its two sides."""
        return weakest(*self.bases) if self.bases else None

    @property
    def same_members(self) -> bool:
        """Income and expense hold the same funds (always, for one fund)."""
        return self.bases is None or comparable(*self.bases)

    @property
    def balance(self) -> float | None:
        """当期结余 = income − expense (元); None for a 合计 whose two sides hold different funds."""
        if not self.same_members:
            return None
        return ind.current_balance(self.income.cur, self.expense.cur)

    @property
    def prev_balance(self) -> float | None:
        return ind.current_balance(self.income.prev, self.expense.prev)

    @property
    def shown_prev_balance(self) -> float | Doubt | None:
        """The comparison period's 当期结余, or a Doubt when its income or expense cannot be trusted."""
        doubt = self.income.doubt or self.expense.doubt
        return Doubt(doubt) if doubt and self.prev_balance is not None else self.prev_balance

    @property
    def balance_change(self) -> float | Doubt | None:
        """当期结余增减额 = balance − comparison balance (元)."""
        if self.income.doubt or self.expense.doubt:
            return Doubt(self.income.doubt or self.expense.doubt)
        return ind.change(self.balance, self.prev_balance)

    @property
    def growth_gap(self) -> float | Doubt | None:
        """收支增速差 = expense growth − income growth (fraction; 百分点 when shown), see
        :func:`fundreport.figures.indicators.growth_gap`."""
        inc, exp = self.income.rate, self.expense.rate
        if isinstance(inc, Doubt) or isinstance(exp, Doubt):
            return inc if isinstance(inc, Doubt) else exp
        return ind.growth_gap(inc, exp)

    @property
    def own_share(self) -> float | None:
        """Own income / income including 上级补助 and 下级上解 (pool basis only; None without such lines)."""
        if self.gross or not self.inter_income or self.income.cur is None:
            return None
        return ind.share(self.income.cur, self.income_with_inter)

    @property
    def transfer_funded(self) -> bool:
        """Own income is a small share of the total: a 结余率 or 收不抵支 on it would mislead."""
        share = self.own_share
        return share is not None and share < self.own_share_floor

    @property
    def balance_rate(self) -> float | Doubt | None:
        """结余率 = (income − expense) / income; not applicable for a fund funded by transfers."""
        if self.transfer_funded:
            return Doubt(TRANSFER_FUNDED, label="不适用")
        return ind.balance_rate(self.income.cur, self.expense.cur)

    @property
    def known(self) -> bool:
        return self.income.cur is not None or self.expense.cur is not None

    @property
    def has_inter(self) -> bool:
        return bool(self.inter_income or self.inter_expense)

    @property
    def inter_income_total(self) -> float | None:
        return ind.total(v for _, v in self.inter_income)

    @property
    def inter_expense_total(self) -> float | None:
        return ind.total(v for _, v in self.inter_expense)

    @property
    def income_with_inter(self) -> float | None:
        """Income including 上下级往来 (元); None when income is unknown."""
        if self.gross or self.income.cur is None:
            return self.income.cur
        return ind.total([self.income.cur, self.inter_income_total])

    @property
    def expense_with_inter(self) -> float | None:
        """Expense including 上下级往来 (元); None when expense is unknown."""
        if self.gross or self.expense.cur is None:
            return self.expense.cur
        return ind.total([self.expense.cur, self.inter_expense_total])

    @property
    def income_without_inter(self) -> float | None:
        if not self.gross or self.income.cur is None:
            return self.income.cur
        return ind.change(self.income.cur, self.inter_income_total or 0.0)

    @property
    def expense_without_inter(self) -> float | None:
        if not self.gross or self.expense.cur is None:
            return self.expense.cur
        return ind.change(self.expense.cur, self.inter_expense_total or 0.0)


TRANSFER_FUNDED = (
    "本级收入占含上级补助收入的比例过低，基金主要依靠上级补助，按本级收入计算的结余率和收不抵支不反映基金运行"
)


@dataclass(frozen=True)
class LineItem:
    """One row of a fund's statement (元).

    role: ``total`` (基金收入合计, 基金支出合计, 待遇支出 when it has parts), ``line`` (a part as
    given) or ``residual`` (the total minus its listed parts: items the source does not list, or,
    when negative, parts that exceed their total). Rows at ``depth`` d+1 under a total at depth d
    add up to it exactly, the residual included.
    """

    code: str
    value: Compared
    depth: int = 0
    role: str = "line"


@dataclass(frozen=True)
class Support:
    """累计结余 and 可支付月数 of one fund in one region.

    monthly = period expense / months elapsed; months = 累计结余 / monthly;
    the 实际 figures use the adjusted balance (累计结余 − 一次性预缴 − 应付未付 − 预留金).
    """

    fund: str
    region: str
    cumulative: float | None
    monthly: float | None
    months: float | None
    band: ind.Band | None
    adjusted: float | None
    adj_months: float | None
    adj_band: ind.Band | None
    implausible: str = ""  # why the book months are not a figure: NEGATIVE_BALANCE or ABOVE_CEILING
    adj_implausible: str = ""  # the same for the 实际 months
    ceiling: float = 60.0  # months_ceiling of the params

    @property
    def pooled(self) -> bool:
        return self.fund != "employee_account"

    @property
    def known(self) -> bool:
        return self.cumulative is not None or self.adjusted is not None

    @property
    def shown_months(self) -> float | None:
        """The 实际 months when known, else the book months."""
        return self.adj_months if self.adj_months is not None else self.months

    @property
    def shown_band(self) -> ind.Band | None:
        return self.adj_band if self.adj_months is not None else self.band

    @property
    def at_risk(self) -> bool:
        return any(b is not None and b.risk for b in (self.band, self.adj_band))


@dataclass(frozen=True)
class BudgetLine:
    """One budget line: execution = executed / annual plan, against 时间进度 = end month / 12."""

    fund: str
    item: str
    plan: float
    executed: float | None
    rate: float | None
    progress: float
    deviation: float | None  # rate − progress, a fraction (shown in 百分点)
    flag: bool | None  # |deviation| beyond the band; None when not computable
    doubt: str = ""  # why the budget is not a real one (then rate, deviation and flag are None)
    level: str | None = None  # 一般/较大/严重 when flagged (ind.budget_deviation_level)


@dataclass(frozen=True)
class BudgetPlan:
    """Next year's budget of a fund against this year's execution (元).

    income/expense: Compared(next year's budget, this year's actual), so ``.rate`` is the planned growth;
    balance = income budget − expense budget; balance_rate = balance / income budget;
    cumulative_end = this period's 累计结余 + planned balance; months = cumulative_end / (expense budget / 12).
    ``stated_balance``: the budget's own 本期结余 line when the source gives one (the audit checks it).
    """

    fund: str
    year: str
    income: Compared
    expense: Compared
    cumulative_now: float | None
    stated_balance: float | None = None

    @property
    def balance(self) -> float | None:
        return ind.current_balance(self.income.cur, self.expense.cur)

    @property
    def balance_rate(self) -> float | None:
        return ind.balance_rate(self.income.cur, self.expense.cur)

    @property
    def cumulative_end(self) -> float | None:
        if self.cumulative_now is None or self.balance is None:
            return None
        return ind.total([self.cumulative_now, self.balance])

    @property
    def months(self) -> float | None:
        return ind.months_of_support(self.cumulative_end, self.expense.cur, 12)


@dataclass(frozen=True)
class ServiceLine:
    """Utilisation of one service category of one fund, with the comparison period.

    per_visit = fund paid / visits (元/人次); cost_per_visit = total cost / visits;
    inscope_ratio = fund paid / 政策范围内费用; actual_ratio = fund paid / total cost;
    share = fund paid / fund paid of the section's total category;
    average_stay (平均住院日) = 住院天数 / 人次 (days per stay).
    """

    fund: str
    code: str
    visits: Compared
    persons: Compared
    total_cost: Compared
    inscope_cost: Compared
    fund_paid: Compared
    ownpay_cost: Compared  # 全自费
    overlimit_cost: Compared  # 超限价自付
    preself_cost: Compared  # 先行自付
    bed_days: Compared  # 住院天数
    cash_pay: Compared  # 个人现金支付
    share: float | None = None

    @property
    def per_visit(self) -> Compared:
        return Compared(
            ind.per_visit(self.fund_paid.cur, self.visits.cur), ind.per_visit(self.fund_paid.prev, self.visits.prev)
        )

    @property
    def cost_per_visit(self) -> float | None:
        return self.cost_per.cur

    @property
    def cost_per(self) -> Compared:
        """次均费用 = total cost / visits (元/人次), with the comparison period."""
        return Compared(
            ind.per_visit(self.total_cost.cur, self.visits.cur), ind.per_visit(self.total_cost.prev, self.visits.prev)
        )

    @property
    def inscope_ratio(self) -> Compared:
        return Compared(
            ind.reimbursement_inscope(self.fund_paid.cur, self.inscope_cost.cur),
            ind.reimbursement_inscope(self.fund_paid.prev, self.inscope_cost.prev),
        )

    @property
    def inscope_selfpay(self) -> Compared:
        """政策范围内自付 = 政策范围内费用 − 基金支付 (元), with the comparison period's."""
        return Compared(
            ind.inscope_selfpay(self.inscope_cost.cur, self.fund_paid.cur),
            ind.inscope_selfpay(self.inscope_cost.prev, self.fund_paid.prev),
        )

    @property
    def average_stay(self) -> Compared:
        return Compared(
            ind.average_stay(self.bed_days.cur, self.visits.cur),
            ind.average_stay(self.bed_days.prev, self.visits.prev),
        )

    @property
    def actual_ratio(self) -> Compared:
        return Compared(
            ind.reimbursement_actual(self.fund_paid.cur, self.total_cost.cur),
            ind.reimbursement_actual(self.fund_paid.prev, self.total_cost.prev),
        )


@dataclass(frozen=True)
class InstitutionLine:
    """One 定点医药机构 in a service total (住院合计 / 门诊合计) of a fund, report period, from the 定点机构待遇
    table: 人数, 人次, 总费用 (元), 基金支付 with the comparison period's, and share = the institution's 基金支付
    ÷ the category's 基金支付 in the 医疗待遇 table (same period; None without it). 次均费用 = 总费用 ÷ 人次."""

    code: str
    name: str | None
    level: str | None
    persons: float | None
    visits: float | None
    total_cost: float | None
    fund_paid: Compared
    share: float | None

    @property
    def cost_per(self) -> float | None:
        return ind.per_visit(self.total_cost, self.visits)


@dataclass(frozen=True)
class StructureLine:
    """A part of a service total (e.g. one hospital level of 住院): its visits and its shares of the total's
    visits (出院占比), total cost (费用占比) and fund paid, each a fraction with the comparison period's."""

    code: str
    visits: Compared
    visit_share: Compared
    cost_share: Compared
    paid_share: Compared


@dataclass(frozen=True)
class EnrolmentLine:
    """Persons enrolled in one fund; 在职退休比 = active / retired; 退休占比 = retired / total."""

    fund: str
    total: Compared
    active: float | None
    retired: float | None
    retired_share: Compared
    ratio: Compared = Compared(None)  # 在职退休比 now and in the comparison period

    @property
    def active_retired_ratio(self) -> float | None:
        return ind.active_retired_ratio(self.active, self.retired)


@dataclass(frozen=True)
class PerInsuredLine:
    """Figures per insured person of one fund (the period's figures over persons enrolled at its end):
    人均基金收入/支出 (元 per person, :func:`~fundreport.figures.indicators.per_insured`) and 住院率
    (inpatient visits per person, :func:`~fundreport.figures.indicators.inpatient_rate`)."""

    fund: str
    insured: Compared
    income_per: Compared
    expense_per: Compared
    inpatient_rate: Compared


@dataclass(frozen=True)
class CategoryShare:
    """A category of enrolment (在职, 退休, 女性, …) and its share of the fund's total."""

    fund: str
    category: str
    persons: float
    share: float | None
    partition: bool = True  # one of a partition of the fund's total (在职/退休, …); False: a 其中 row (女性, …)


@dataclass(frozen=True)
class EstimatedInput:
    """A raw figure the data marks as back-computed (来源 推算): where it is, its value (元 or 人) and the
    method its row names (备注, e.g. 按公布增速推算)."""

    table: str
    region: str
    period: str
    fund: str
    item: str
    value: float
    method: str


@dataclass(frozen=True)
class Seasonality:
    """How much of a year's income a fund had collected by the end of the report period's months,
    in earlier years of the same region: (year, share) with share = income of January to the
    report's end month / income of the whole year."""

    fund: str
    end_month: int
    years: tuple[tuple[int, float], ...]

    @property
    def average(self) -> float | None:
        return sum(v for _, v in self.years) / len(self.years) if self.years else None


@dataclass(frozen=True)
class EditionLine:
    """A statement figure in another edition (快报, 公报, …) beside the one the report uses (元)."""

    fund: str
    item: str
    edition: str
    value: float
    used: float | None

    @property
    def difference(self) -> float | None:
        """该版本 − 报告采用."""
        return ind.change(self.value, self.used)


@dataclass(frozen=True)
class CollectionLine:
    """征缴 of one fund: 保险费收入 (collected) against 应缴保险费 (due), 元, with the comparison period.

    rate = collected ÷ due (:func:`~fundreport.figures.indicators.collection_rate`); arrears = due −
    collected, not below 0 (:func:`~fundreport.figures.indicators.arrears`)."""

    fund: str
    due: Compared
    collected: Compared

    @property
    def rate(self) -> Compared:
        return Compared(
            ind.collection_rate(self.collected.cur, self.due.cur),
            ind.collection_rate(self.collected.prev, self.due.prev),
        )

    @property
    def arrears(self) -> float | None:
        return ind.arrears(self.collected.cur, self.due.cur)


@dataclass(frozen=True)
class SheetLine:
    """暂收款 and 暂付款 of one fund at the end of the report period (元), from the fund flows:
    money held for others and money paid out ahead of settlement, which the 累计结余 includes."""

    fund: str
    receipts: float | None
    payments: float | None
    advance_medical: float | None  # 其中：垫付医疗费
    advance_offsite: float | None  # 其中：异地就医预付金
    cumulative: float | None

    @property
    def advances(self) -> float | None:
        """垫付医疗费 + 异地就医预付金 (元), the real advances inside 暂付款, from the parts the data gives;
        None when it gives neither (暂付款 also holds money remitted to the upper pool and offset by 暂收款)."""
        return ind.total([self.advance_medical, self.advance_offsite])

    @property
    def other_payments(self) -> float | None:
        """暂付款 − the advances (元): other 暂付 (上解上级 remittances and the like), when both are known."""
        return ind.change(self.payments, self.advances) if self.advances is not None else None

    @property
    def advances_share(self) -> float | None:
        """(垫付医疗费 + 异地就医预付金) / 累计结余 (a fraction): how much of the balance is tied up in real
        advances; None when the data does not split 暂付款 or the balance is not positive. The whole
        暂付款 is not related to the balance: much of it may be remittances offset by 暂收款."""
        if self.advances is None or self.cumulative is None or self.cumulative <= 0:
            return None
        return ind.share(self.advances, self.cumulative)


@dataclass(frozen=True)
class PolicyLine:
    """One contribution policy figure of a fund: 缴费基数 (元/人/月), 筹资标准 (元/人/年) or 缴费率
    (a fraction; its change is in 百分点), in the report period and the comparison period."""

    fund: str
    item: str
    value: Compared

    @property
    def is_rate(self) -> bool:
        return self.item.startswith("rate_")

    @property
    def unit(self) -> str:
        return POLICY_UNITS.get(self.item, "元")


POLICY_UNITS = {
    "contribution_base": "元/人/月",
    "contribution_base_max": "元/人/月",
    "contribution_base_min": "元/人/月",
    "standard_individual": "元/人/年",
    "standard_subsidy": "元/人/年",
}
"""The unit each policy amount is kept in (the data contract's 缴费政策 table)."""


@dataclass(frozen=True)
class CumulativeLine:
    """累计结余 of one fund at the end of the report period (元), against the comparison period's end
    (``prev``: 同比) and the start of the year (``start``: 比年初), and its share of all funds' total.

    ``start`` is None when the report covers a whole year (then the start of the year is the end of the
    comparison year, already in ``prev``)."""

    fund: str
    prev: Compared
    start: Compared | None
    share: float | None  # of 各项医保基金累计结余合计 (only when that is a total, entered or complete)
    basis: Basis | None = None  # what the 合计 holds (合计 only)

    @property
    def end(self) -> float | None:
        return self.prev.cur


@dataclass(frozen=True)
class SubregionLine:
    """A sub-region's flows (no comparison) and support of one fund."""

    region: str
    flow: FundFlow
    support: Support


@dataclass(frozen=True)
class RankingLine:
    """A sub-region and fund in the explorer's ranking.

    deviation: the budget line of the fund deviating most from 时间进度;
    per_visit_cost: 住院 total cost / 住院 visits (元/人次).
    """

    region: str
    fund: str
    support: Support
    deviation: float | None
    per_visit_cost: float | None
    band_pp: float

    @property
    def at_risk(self) -> bool:
        over = self.deviation is not None and abs(self.deviation) > self.band_pp / 100 + 1e-12
        return self.support.at_risk or over


# -- the layer -------------------------------------------------------------------


class Measures:
    """The derived figures of one report context (see the module docstring)."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.facts = ctx.facts
        self.region = ctx.region
        self.cur = ctx.cur

    # -- comparison --------------------------------------------------------------

    def prev_for(self, table: str = "fund_flows") -> str | None:
        """The comparison period when the params ask for one and ``table`` has a row of it for the region."""
        prev = self.ctx.prev
        if prev is None:
            return None
        df = self.ctx.dataset[table]
        return prev if bool(((df["region"] == self.region) & (df["period"] == prev)).any()) else None

    @cached_property
    def prev(self) -> str | None:
        """The comparison period of the fund statements (``None``: no comparison is shown)."""
        return self.prev_for("fund_flows")

    # -- doubts -------------------------------------------------------------------

    def comparison_doubt(self, fund: str, region: str | None = None) -> str:
        """Why the comparison of ``fund``'s statement cannot be trusted, or ''.

        A copy finding of the audit (the report period's statement equal to the comparison
        period's) makes the comparison of that fund, of its parent and parts (职工 ↔ 统筹/个账)
        and of 合计 doubtful.
        """
        copies = [f for f in self.ctx.findings if f.check == "copy"]
        found = copied_comparison(copies, region or self.region, {self.cur, self.prev}, fund)
        return f"{found.message}（见附录数据核对）" if found else ""

    def line_doubt(self, fund: str, item: str) -> str:
        """Why the comparison of one statement line cannot be trusted, or ''.

        When a fund's line disagrees with the sum of its parts (职工 against 统筹 + 个账) in the report
        or the comparison period, the two periods may rest on different bases (e.g. an execution figure
        against a sum of parts), so their change is not stated as fact.
        """
        for f in self.ctx.findings:
            if (
                f.check == "sum"
                and f.severity == "error"
                and f.region == self.region
                and f.period in {self.cur, self.prev}
                and f.fund == fund
                and f.subject == item
            ):
                return f"{f.message}，两期口径可能不一（见附录数据核对）"
        return ""

    # -- fund flows ---------------------------------------------------------------

    @property
    def gross(self) -> bool:
        """True when the params ask for 本级单位口径 (收支含上下级往来)."""
        return self.ctx.params.accounting == "unit"

    def _io(self, fund: str, period: str | None, region: str, gross: bool = False) -> tuple[float | None, float | None]:
        if period is None:
            return None, None
        if fund == "all_funds":
            return self.fund_total(period, region, gross)[:2]
        return self._own_io(fund, period, region, gross)

    def _own_io(self, fund: str, period: str, region: str, gross: bool) -> tuple[float | None, float | None]:
        """Income and expense of one fund as the data gives them (with 上下级往来 when ``gross``)."""
        inc, exp = self.facts.income(region, period, fund), self.facts.expense(region, period, fund)
        if not gross:
            return inc, exp
        up = self.facts.inter_level(region, period, fund, "income").values()
        down = self.facts.inter_level(region, period, fund, "expense").values()
        return (
            ind.total([inc, *up]) if inc is not None or up else None,
            ind.total([exp, *down]) if exp is not None or down else None,
        )

    def fund_total(
        self, period: str, region: str, gross: bool = False
    ) -> tuple[float | None, float | None, Basis, Basis]:
        """合计 income and expense of the statement funds (元) and what each holds, by the total rule of
        :mod:`fundreport.figures.totals`. The parts are 职工医保 (its 统筹基金 when only that is published),
        居民医保 and 生育保险; a fund the period has rows for but no figure of a side is missing from it."""
        (inc, bi), (exp, be) = fund_total(
            self.facts, region, period, lambda f: self._own_io(f, period, region, gross), with_inter=not gross
        )
        return inc, exp, bi, be

    def flow(
        self, fund: str, *, region: str | None = None, period: str | None = None, compare: bool = True
    ) -> FundFlow:
        """Income and expense of ``fund`` (合计 rule and 上下级往来 as in the module docstring).

        For 合计 the comparison period's figures are shown only when they hold the same funds as the
        report period's (:func:`~fundreport.figures.totals.comparable`); ``prev_note`` says why not."""
        r, p = region or self.region, period or self.cur
        prev = self.prev if compare and p == self.cur and r == self.region else None
        gross = self.gross
        bases, note = None, ""
        if fund == "all_funds":
            inc, exp, bi, be = self.fund_total(p, r, gross)
            bases = (bi, be)
            pinc = pexp = None
            if prev:
                pinc, pexp, pbi, pbe = self.fund_total(prev, r, gross)
                if pinc is not None and not comparable(bi, pbi) or pexp is not None and not comparable(be, pbe):
                    pinc = pexp = None
                    note = "合计的比较期所含险种与本期不同，未作比较"
        else:
            inc, exp = self._io(fund, p, r, gross)
            pinc, pexp = self._io(fund, prev, r, gross)
        doubt = self.comparison_doubt(fund, r) if prev else ""
        inter_in = tuple(self.facts.inter_level(r, p, fund, "income").items())
        inter_out = tuple(self.facts.inter_level(r, p, fund, "expense").items())
        floor = self.ctx.params.thresholds.own_income_share
        return FundFlow(
            fund, Compared(inc, pinc, doubt), Compared(exp, pexp, doubt), inter_in, inter_out, gross, floor, bases, note
        )

    @cached_property
    def statement_funds(self) -> tuple[str, ...]:
        """Funds of the main statement (基本医保, 生育, 合计) with income or expense, in vocabulary order."""
        skip = set(OTHER_FUNDS) | {"medical_assistance"}
        return tuple(
            f for f in self.ctx.funds_with("fund_flows") if f not in skip and self.flow(f, compare=False).known
        )

    @cached_property
    def other_funds(self) -> tuple[str, ...]:
        """公务员补助, 大额补助, 大病保险, 离休统筹 present in the fund flows."""
        return tuple(f for f in self.ctx.funds_with("fund_flows") if f in OTHER_FUNDS)

    def seasonality(self, fund: str) -> Seasonality | None:
        """Earlier years' share of annual income collected by the report's end month; None for a
        report that covers a whole year or does not start in January."""
        period = self.ctx.period
        if period.months_elapsed == 12 or period.start_month != 1:
            return None
        known = set(self.ctx.dataset.periods())
        years = []
        for year in range(period.year - 10, period.year):
            part = Period(year, 1, period.end_month, period.kind).code
            if part in known and str(year) in known:
                share = ind.share(self._io(fund, part, self.region)[0], self._io(fund, str(year), self.region)[0])
                if share is not None:
                    years.append((year, share))
        return Seasonality(fund, period.end_month, tuple(years))

    def raised(self, fund: str) -> tuple[Compared, tuple[tuple[str, Compared], ...]]:
        """当年筹集基金 of a fund (a year's amount raised, not income of the period) and its parts, with the
        comparison; (Compared(None), ()) when the data gives none."""

        def get(code: str, period: str | None) -> float | None:
            return self.facts.item(self.region, period, fund, code) if period else None

        total = Compared(get("raised_total", self.cur), get("raised_total", self.prev))
        parts = tuple(
            (t.code, Compared(get(t.code, self.cur), get(t.code, self.prev)))
            for t in vocab.ITEMS.children("raised_total")
            if get(t.code, self.cur) is not None
        )
        return total, parts

    def editions(self) -> tuple[EditionLine, ...]:
        """Other editions (快报, 公报, …) of the report period's statement figures beside the figure the report
        uses (the row without an edition; for 收入/支出合计 the total as :meth:`flow` computes it)."""
        df = self.ctx.dataset.tables.get("fund_flow_editions")
        if df is None or not len(df):
            return ()
        rows = df[(df["region"] == self.region) & (df["period"] == self.cur)]
        out = []
        for rec in rows.to_dict("records"):
            fund, item = rec["fund"], rec["item"]
            if item in {"income_total", "expense_total"}:
                used = self._io(fund, self.cur, self.region)[0 if item == "income_total" else 1]
            else:
                used = self.facts.item(self.region, self.cur, fund, item)
            out.append(EditionLine(fund, item, rec["edition"], float(rec["value"]), used))
        return tuple(out)

    def other_balance(self, fund: str) -> float | None:
        """当期结余 of a supplementary fund: income − expense, else the stated 本期结余 (元)."""
        bal = self.flow(fund, compare=False).balance
        return bal if bal is not None else self.facts.item(self.region, self.cur, fund, "balance_current")

    def cumulative_total(self, fund: str) -> float | None:
        """累计结余 of 职工 (stated, or 统筹 + 个账) or of 合计 (stated, else the sum of 职工, 居民 and 生育).

        A computed 合计 needs the 累计结余 of every one of them that the data reports (a fund with income
        or expense but no 累计结余 leaves the total unknown: a partial sum would pass for the whole); a
        fund the data does not report at all (e.g. 生育 merged into 职工) is not part of it."""
        return self._cumulative_total(fund, self.cur)

    def cumulative_prev(self, fund: str) -> float | None:
        """累计结余 at the end of the comparison period (元), None without one."""
        return self._cumulative_total(fund, self.prev) if self.prev else None

    def _cumulative_total(self, fund: str, period: str) -> float | None:
        if fund != "all_funds":
            return self.facts.cumulative(self.region, period, fund)
        return self.cumulative_sum(period)[0]

    def cumulative_sum(self, period: str | None = None) -> tuple[float | None, Basis]:
        """累计结余 of 合计 (元) and what it holds, by the total rule of :mod:`fundreport.figures.totals`:
        the stated 合计 wins; else the sum of 职工医保 (or its 统筹基金 when only that is published), 居民医保
        and 生育保险; a fund with income or expense but no 累计结余 is missing from it (a partial sum is
        labelled, never a total). A sum of one fund is not a total of several: None then."""
        p = period or self.cur
        parts, missing = [], []
        for f in COMPONENTS:
            use, v = f, self.facts.cumulative(self.region, p, f)
            if f == "employee" and v is None:
                use, v = "employee_pool", self.facts.cumulative(self.region, p, "employee_pool")
            if v is not None:
                parts.append(FundPart(use, v, quantum=self.facts.quantum(self.region, p, use, "balance_cumulative")))
            elif self.flow(f, period=p, compare=False).known:
                missing.append(f)
        entered = self.facts.cumulative(self.region, p, "all_funds")
        q = self.facts.quantum(self.region, p, "all_funds", "balance_cumulative")
        value, basis = settle(entered, q, parts, tuple(missing))
        if entered is None and len(basis.members) < 2:
            return None, basis
        return value, basis

    def year_start_cumulative(self, fund: str) -> float | None:
        """累计结余 at the start of the report year (元): the report period's 年初累计结余 when the period
        starts in January, else the previous year's 累计结余; None for a whole-year report (see
        :class:`CumulativeLine`)."""
        period = Period.parse(self.cur)
        if period.kind == "year":
            return None
        if period.start_month == 1:
            opening = self.facts.item(self.region, self.cur, fund, "balance_opening")
            if opening is not None:
                return opening
        return self.facts.cumulative(self.region, str(period.year - 1), fund)

    def cumulative_lines(self) -> tuple[CumulativeLine, ...]:
        """累计结余 of the basic funds, the 职工 parts and the total, each with 同比, 比年初 and share.

        Shares are of the 合计 only when it is a total (entered or complete); the 合计's comparison and
        year-start figures only when they hold the same funds as its end figure."""
        total, total_basis = self.cumulative_sum()
        # shares of a composition: of a total (entered or complete) whose parts and 其中 rows (统筹, 个账)
        # are none of them negative
        shown = (*total_basis.members, "employee", "employee_pool", "employee_account", "resident", "maternity")
        parts = [self._cumulative_total(f, self.cur) for f in shown]
        whole = total_basis.is_total and total is not None and total > 0
        denominator = total if whole and all(v is None or v >= 0 for v in parts) else None
        kind = Period.parse(self.cur).kind
        out = []
        for fund in ("employee", "employee_pool", "employee_account", "resident", "maternity", "all_funds"):
            end = self._cumulative_total(fund, self.cur)
            if end is None:
                continue
            prev = self._cumulative_total(fund, self.prev) if self.prev else None
            start = self.year_start_cumulative(fund)
            basis = None
            if fund == "all_funds":
                basis = total_basis
                prev = self._comparable_sum(self.prev, basis)
                if start is None:  # no stated 合计 at the start of the year: the parts', if they are the same funds
                    start = self._comparable_sum(self._year_start_period(), basis)
            out.append(
                CumulativeLine(
                    fund,
                    Compared(end, prev, self.comparison_doubt(fund) if prev is not None else ""),
                    None if kind == "year" else Compared(end, start),
                    ind.share(end, denominator) if denominator else None,
                    basis,
                )
            )
        return tuple(out)

    def _year_start_period(self) -> str | None:
        """The period whose 累计结余 opens the report year (the previous year), None for a whole year."""
        period = Period.parse(self.cur)
        return None if period.kind == "year" else str(period.year - 1)

    def _comparable_sum(self, period: str | None, basis: Basis) -> float | None:
        """累计结余 of 合计 at another period's end when it holds the same funds as ``basis``, else None."""
        if period is None:
            return None
        value, other = self.cumulative_sum(period)
        return value if value is not None and comparable(basis, other) else None

    def cumulative(self, fund: str, region: str | None = None) -> float | None:
        """累计结余 (元): stated, else 期初结余 + 当期结余."""
        return self.facts.cumulative(region or self.region, self.cur, fund)

    def _tolerance(self, fund: str, period: str | None, codes: list[str]) -> float:
        """Half a written unit per figure involved (元): differences within it are rounding."""
        if period is None:
            return 0.0
        return sum(self.facts.quantum(self.region, period, fund, c) for c in codes) / 2 + 1e-6

    def _block(self, fund: str, total_code: str, total: Compared, depth: int) -> list[LineItem]:
        parts = {
            code: cur
            for code, cur in self.facts.lines(self.region, self.cur, fund, total_code).items()
            if not vocab.ITEMS.term(code).inter_level
        }
        if self.gross and total_code in {"income_total", "expense_total"}:  # 本级单位口径: 往来 are lines too
            parts.update(self.facts.inter_level(self.region, self.cur, fund, total_code.split("_")[0]))
        if not parts:
            return []
        rows = [LineItem(total_code, total, depth, "total")]
        sums = [0.0, 0.0]
        prev_known = self.prev is not None
        for code, cur in parts.items():
            prev = self.facts.item(self.region, self.prev, fund, code) if self.prev else None
            value = Compared(cur, prev, total.doubt or (self.line_doubt(fund, code) if prev is not None else ""))
            sub = self._block(fund, code, value, depth + 1) if code == "expense_benefit" else []
            rows += sub or [LineItem(code, value, depth + 1)]
            sums[0] += cur
            if prev is None:
                prev_known = False
            else:
                sums[1] += prev
        codes = [total_code, *parts]
        res_cur = ind.change(total.cur, sums[0])
        res_prev = ind.change(total.prev, sums[1]) if prev_known else None
        tol_cur, tol_prev = self._tolerance(fund, self.cur, codes), self._tolerance(fund, self.prev, codes)
        cur_off = res_cur is not None and abs(res_cur) > tol_cur
        prev_off = res_prev is not None and abs(res_prev) > tol_prev
        if cur_off or prev_off:
            residual = Compared(res_cur, res_prev, total.doubt)
            rows.append(LineItem(f"residual_{total_code}", residual, depth + 1, "residual"))
        return rows

    def lines(self, fund: str) -> tuple[LineItem, ...]:
        """A fund's statement: 收入合计 and 支出合计 (as in :meth:`flow`) each over its listed lines,
        待遇支出 over its own lines, and a residual row wherever the listed lines do not add up to
        their total beyond rounding. 上下级往来 lines are left out (they are outside the totals)."""
        flow = self.flow(fund)
        return tuple(
            self._block(fund, "income_total", flow.income, 0) + self._block(fund, "expense_total", flow.expense, 0)
        )

    def income_lines(self, fund: str) -> tuple[tuple[str, float], ...]:
        """The income lines of a fund in the report period (元), as given."""
        return tuple(self.facts.lines(self.region, self.cur, fund, "income_total").items())

    def history(self, periods: list[str]) -> list[tuple[str, str, FundFlow]]:
        """(fund, period, flow) of every statement fund but 合计 over the given periods."""
        return [
            (fund, p, self.flow(fund, period=p, compare=False))
            for fund in self.statement_funds
            if fund != "all_funds"
            for p in periods
        ]

    # -- budgets ------------------------------------------------------------------

    def executed(self, fund: str, item: str, region: str | None = None) -> float | None:
        """The executed amount of a budget line in the report period (元), on the same basis as the flows
        (:func:`fundreport.figures.registry.executed`, which the audit and the targets use too)."""
        return executed(self.facts, region or self.region, self.cur, fund, item)

    def budget_doubt(self, fund: str, item: str, plan: float, executed: float | None, region: str) -> str:
        """Why a budget line is not a real budget, or '' (:func:`fundreport.figures.budget_rules.budget_doubt`)."""
        return budget_doubt(self.facts, region, str(self.ctx.period.year), fund, item, plan, executed)

    def budget_plans(self) -> tuple[BudgetPlan, ...]:
        """Next year's budgets (report year + 1) of every fund that has one, against this period's figures."""
        year = str(self.ctx.period.year + 1)
        out = []
        for fund in self.ctx.funds_with("budgets", year):
            inc = self.facts.budget(self.region, year, fund, "income_total")
            exp = self.facts.budget(self.region, year, fund, "expense_total")
            if inc is None and exp is None:
                continue
            cur_inc, cur_exp = self._io(fund, self.cur, self.region)
            cum = self.cumulative_total(fund) if fund in {"employee", "all_funds"} else self.cumulative(fund)
            stated = self.facts.item(self.region, year, fund, "balance_current", table="budgets")
            out.append(BudgetPlan(fund, year, Compared(inc, cur_inc), Compared(exp, cur_exp), cum, stated))
        return tuple(out)

    def band(self, months: float | None) -> ind.Band | None:
        """The months-of-support band of a value (thresholds.months_bands)."""
        return ind.months_band(months, self.ctx.cuts)

    def budget_started(self) -> bool:
        """False when the report period's year has budgets but no executed figure at all (it has not started)."""
        year = str(self.ctx.period.year)
        return any(
            self.executed(fund, item) is not None
            for fund in self.ctx.funds_with("budgets", year)
            for item in BUDGET_ITEMS
        )

    def budget_lines(self, region: str | None = None, funds: list[str] | None = None) -> tuple[BudgetLine, ...]:
        """Every budget line of the report year with its execution against 时间进度."""
        r = region or self.region
        year = str(self.ctx.period.year)
        progress = self.ctx.period.time_progress
        out = []
        wanted = funds if funds is not None else self.ctx.funds_with("budgets", year)
        for fund in wanted:
            for item in BUDGET_ITEMS:
                plan = self.facts.budget(r, year, fund, item)
                if plan is None:
                    continue
                done = self.executed(fund, item, r)
                doubt = self.budget_doubt(fund, item, plan, done, r)
                rate = None if doubt else ind.budget_execution(done, plan)
                out.append(
                    BudgetLine(
                        fund,
                        item,
                        plan,
                        done,
                        rate,
                        progress,
                        ind.budget_deviation(rate, progress),
                        ind.budget_flag(rate, progress, self.ctx.band_pp),
                        doubt,
                        ind.budget_deviation_level(
                            ind.budget_deviation(rate, progress), (self.ctx.band_pp, *self.ctx.deviation_levels)
                        ),
                    )
                )
        return tuple(out)

    # -- balances -----------------------------------------------------------------

    def support(self, fund: str, region: str | None = None, period: str | None = None) -> Support:
        """累计结余 and 可支付月数 (book and 实际) of a fund, with their bands (``period``: another period of
        the data, e.g. the comparison period, for the trend; its own months elapsed)."""
        r = region or self.region
        p = period or self.cur
        f, m = self.facts, Period.parse(p).months_elapsed
        cum, adj = support_balance(f, r, p, fund), support_balance(f, r, p, fund, adjusted=True)
        exp = f.expense(r, p, fund)
        ceiling = self.ctx.params.thresholds.months_ceiling
        months, why = plausible_months(cum, ind.months_of_support(cum, exp, m), ceiling)
        adj_months, adj_why = plausible_months(adj, ind.months_of_support(adj, exp, m), ceiling)
        cuts = self.ctx.cuts
        return Support(
            fund,
            r,
            cum,
            ind.monthly_expense(exp, m),
            months,
            ind.months_band(months, cuts),
            adj,
            adj_months,
            ind.months_band(adj_months, cuts),
            why,
            adj_why,
            ceiling,
        )

    def deductions(self, fund: str, region: str | None = None) -> tuple[tuple[str, float], ...]:
        """The deductions from 累计结余 to 实际结余 the data gives (一次性预缴及补贴, 应付未付, 预留金, …):
        (item code, 元) in vocabulary order."""
        r = region or self.region
        out = []
        for code in self.facts.ADJUSTMENTS:
            v = self.facts.item(r, self.cur, fund, code)
            if v is not None:
                out.append((code, v))
        return tuple(out)

    @cached_property
    def prev_month(self) -> str | None:
        """The period one month shorter than the report period (1-5月 for 1-6月, 5月 for 6月) when the
        fund statement has it: the 上月 of a months-of-support trend."""
        cur = Period.parse(self.cur)
        if cur.end_month == cur.start_month and cur.kind != "month":
            return None
        start = cur.start_month if cur.kind != "month" else cur.end_month - 1
        end = cur.end_month - 1
        if end < 1 or end < start:
            return None
        texts = {f"{cur.year}M{start}-{end}", f"{cur.year}M{end}" if start == end else ""}
        if start == 1 and end in (3, 6, 9):
            texts.add(f"{cur.year}Q{end // 3}" if end == 3 else f"{cur.year}H1" if end == 6 else "")
        periods = set(self.ctx.dataset["fund_flows"]["period"][self.ctx.dataset["fund_flows"]["region"] == self.region])
        hits = [Period.parse(t).code for t in texts if t]
        return next((c for c in hits if c in periods), None)

    def support_prev_month(self, fund: str) -> Support | None:
        """The support of a fund one month earlier (None when the data has no such period)."""
        return self.support(fund, None, self.prev_month) if self.prev_month else None

    def support_prev(self, fund: str, region: str | None = None) -> Support | None:
        """The comparison period's support of a fund (None without a comparison period)."""
        return self.support(fund, region, self.prev) if self.prev else None

    def band_moves(self, fund: str) -> tuple[tuple[str, ind.Band, ind.Band], ...]:
        """Sub-regions whose months-of-support band differs from the comparison period's:
        (region, band then, band now), in region order; the book months decide the band."""
        out = []
        for child in self.ctx.children:
            now, then = self.support(fund, child), self.support_prev(fund, child)
            if then is not None and now.band is not None and then.band is not None and now.band != then.band:
                out.append((child, then.band, now.band))
        return tuple(out)

    def subregions(self, fund: str) -> tuple[SubregionLine, ...]:
        """Every sub-region with flows or a balance of ``fund``, in region order."""
        out = []
        for child in self.ctx.children:
            flow = self.flow(fund, region=child, compare=False)
            s = self.support(fund, child)
            if flow.known or s.cumulative is not None:
                out.append(SubregionLine(child, flow, s))
        return tuple(out)

    def enrolment_groups(self) -> tuple[tuple[str, str, float, float | None, float | None], ...]:
        """Persons by group (机关/事业/企业, 在职/退休 given as groups, …) for every fund that has them:
        (fund, group, persons, share of the fund's persons, 女性 of the group or None), in vocabulary order."""
        out = []
        for fund in self.ctx.funds_with("enrolment"):
            whole = self.facts.enrolment(self.region, self.cur, fund)
            for group in vocab.GROUPS.codes:
                if group == "all":
                    continue
                n = self.facts.enrolment(self.region, self.cur, fund, "total", group)
                if n is None:
                    continue
                female = self.facts.enrolment(self.region, self.cur, fund, "female", group)
                out.append((fund, group, n, ind.share(n, whole), female))
        return tuple(out)

    def subregion_enrolment(self) -> tuple[tuple[str, tuple[tuple[str, float | None, float | None], ...]], ...]:
        """Persons enrolled per sub-region: (region, ((fund, persons, share of the report region's persons),
        …)) for 职工, 居民 and 生育, the sub-regions that have any, in region order."""
        funds = ("employee", "resident", "maternity")
        whole = {f: self.facts.enrolment(self.region, self.cur, f) for f in funds}
        out = []
        for child in self.ctx.children:
            cells = tuple(
                (f, n, ind.share(n, whole[f]) if n is not None else None)
                for f in funds
                if (n := self.facts.enrolment(child, self.cur, f)) is not None or whole[f] is not None
            )
            if any(n is not None for _, n, _ in cells):
                out.append((child, cells))
        return tuple(out)

    def deficit(self, lines: tuple[SubregionLine, ...]) -> ind.DeficitSummary:
        """收不抵支 over sub-regions: areas whose 当期结余 is negative (areas funded by transfers are not judged)."""
        return ind.deficit({x.region: None if x.flow.transfer_funded else x.flow.balance for x in lines})

    def ranking(self, areas: list[str], funds: list[str]) -> tuple[RankingLine, ...]:
        """Sub-regions × pooled funds with support, the largest budget deviation and 住院 cost per visit."""
        out = []
        for area in areas:
            for fund in funds:
                s = self.support(fund, area)
                devs = [b.deviation for b in self.budget_lines(area, [fund]) if b.deviation is not None]
                use = {"employee_pool": "employee"}.get(fund, fund)
                per = ind.per_visit(
                    self.facts.use(area, self.cur, use, "inpatient_total", "total_cost"),
                    self.facts.use(area, self.cur, use, "inpatient_total", "visits"),
                )
                dev = max(devs, key=abs) if devs else None
                if not s.known and dev is None and per is None:
                    continue
                out.append(RankingLine(area, fund, s, dev, per, self.ctx.band_pp))
        return tuple(out)

    # -- enrolment ----------------------------------------------------------------

    def collection(self) -> tuple[CollectionLine, ...]:
        """征缴率 and 欠费 of the funds whose statement gives 应缴保险费 (and 保险费收入)."""
        out = []
        for fund in vocab.FUNDS.codes:
            due = self.facts.item(self.region, self.cur, fund, "contributions_due")
            got = self.facts.item(self.region, self.cur, fund, "income_premium")
            if due is None or got is None:
                continue

            def prev(item: str, f=fund) -> float | None:
                return self.facts.item(self.region, self.prev, f, item) if self.prev else None

            out.append(
                CollectionLine(fund, Compared(due, prev("contributions_due")), Compared(got, prev("income_premium")))
            )
        return tuple(out)

    def balance_sheet(self) -> tuple[SheetLine, ...]:
        """暂收款/暂付款 per fund (funds in vocabulary order) for the funds whose statement has them."""
        out = []
        for fund in vocab.FUNDS.codes:
            get = lambda item, f=fund: self.facts.item(self.region, self.cur, f, item)  # noqa: E731
            receipts, payments = get("temp_receipts"), get("temp_payments")
            if receipts is None and payments is None:
                continue
            cum = self._cumulative_total(fund, self.cur) if fund in ("employee", "all_funds") else self.cumulative(fund)
            out.append(
                SheetLine(fund, receipts, payments, get("temp_advance_medical"), get("temp_advance_offsite"), cum)
            )
        return tuple(out)

    def policy(self) -> tuple[PolicyLine, ...]:
        """The 缴费政策 figures of the report period (or of its year: annual standards apply to
        sub-periods), each with the comparison period's value, in fund and vocabulary order."""
        df = self.ctx.dataset["policy"]
        year = self.cur[:4]
        mine = df[(df["region"] == self.region) & (df["period"].isin({self.cur, year}))]
        present = set(zip(mine["fund"].tolist(), mine["item"].tolist(), strict=True))
        prev = self.ctx.prev
        out = []
        for fund in vocab.FUNDS.codes:
            for item in vocab.POLICY.codes:
                if (fund, item) not in present:
                    continue
                cur = self.facts.policy(self.region, self.cur, fund, item)
                before = self.facts.policy(self.region, prev, fund, item) if prev else None
                out.append(PolicyLine(fund, item, Compared(cur, before)))
        return tuple(out)

    def enrolment(self) -> tuple[EnrolmentLine, ...]:
        """Persons per fund (with the comparison when the enrolment table has it)."""
        f, r, cur = self.facts, self.region, self.cur
        prev = self.prev_for("enrolment")
        out = []
        for fund in self.ctx.funds_with("enrolment"):
            n = f.enrolment(r, cur, fund)
            if n is None:
                continue
            pn = f.enrolment(r, prev, fund) if prev else None
            active, retired = f.enrolment(r, cur, fund, "active"), f.enrolment(r, cur, fund, "retired")
            share = ind.retired_share(retired, n) if active is not None and retired is not None else None
            pshare = (
                ind.retired_share(f.enrolment(r, prev, fund, "retired"), pn) if prev and share is not None else None
            )
            pratio = (
                ind.active_retired_ratio(f.enrolment(r, prev, fund, "active"), f.enrolment(r, prev, fund, "retired"))
                if prev
                else None
            )
            ratio = Compared(ind.active_retired_ratio(active, retired), pratio)
            out.append(EnrolmentLine(fund, Compared(n, pn), active, retired, Compared(share, pshare), ratio))
        return tuple(out)

    def per_insured(self) -> tuple[PerInsuredLine, ...]:
        """人均基金收入/支出 and 住院率 of the basic funds that have both enrolment and fund figures.

        The comparison uses the comparison period's persons and figures; a doubtful comparison of the
        fund statement makes the per-person comparison doubtful too."""
        out = []
        for line in self.enrolment():
            if line.fund not in ("employee", "resident"):
                continue
            n = line.total
            flow = self.flow(line.fund)

            def per(c: Compared, n=n) -> Compared:
                return Compared(ind.per_insured(c.cur, n.cur), ind.per_insured(c.prev, n.prev), c.doubt)

            visits = [
                self.facts.use(self.region, p, line.fund, "inpatient_total", "visits") if p else None
                for p in (self.cur, self.prev_for("utilisation"))
            ]
            rate = Compared(ind.inpatient_rate(visits[0], n.cur), ind.inpatient_rate(visits[1], n.prev))
            if flow.income.cur is None and flow.expense.cur is None and rate.cur is None:
                continue
            out.append(PerInsuredLine(line.fund, n, per(flow.income), per(flow.expense), rate))
        return tuple(out)

    NOT_SHARES = frozenset(
        {"total", "contributors_net_change", "population_registered", "population_resident", "ineligible"}
    )

    def category_shares(self, fund: str) -> tuple[CategoryShare, ...]:
        """Enrolment categories of a fund and their shares of its total."""
        f, r = self.facts, self.region
        n = f.enrolment(r, self.cur, fund)
        out = []
        for t in vocab.ENROLMENT:
            if t.code in self.NOT_SHARES:
                continue
            v = f.enrolment(r, self.cur, fund, t.code)
            if v is not None:
                part = any(t.code in group for group in ENROLMENT_PARTITIONS)
                out.append(CategoryShare(fund, t.code, v, ind.share(v, n), part))
        return tuple(out)

    def enrolled(self, fund: str, category: str = "total") -> float | None:
        """Persons of one enrolment category (人), as given."""
        return self.facts.enrolment(self.region, self.cur, fund, category)

    def share(self, part: float | None, whole: float | None) -> float | None:
        """part / whole (a fraction), for counts the builders hold."""
        return ind.share(part, whole)

    # -- services -----------------------------------------------------------------

    def stated_value(self, fund: str, indicator: str, region: str | None = None) -> float | None:
        """A figure the source report states (table 报告数值) for a fund and indicator of the report period,
        in its base unit; for showing beside what the data cannot compute, never for computing."""
        df = self.ctx.dataset.stated
        hit = df[
            (df["region"] == (region or self.region))
            & (df["period"] == self.cur)
            & (df["fund"] == fund)
            & (df["indicator"] == indicator)
        ]
        if not len(hit):
            return None
        value, step = float(hit["value"].iloc[0]), money_quantum(hit["unit"].iloc[0])
        return Written(value, step) if step else value

    def stated_only(self, fund: str, indicator: str) -> bool:
        """True when the source states figures of ``indicator`` for the fund that the data cannot give."""
        df = self.ctx.dataset.stated
        hit = (df["region"] == self.region) & (df["period"] == self.cur) & (df["fund"] == fund)
        return bool((hit & (df["indicator"] == indicator)).any())

    def service_structure(self, items: tuple[ServiceLine, ...], total_code: str) -> tuple[StructureLine, ...]:
        """Shares of the parts of a service total (e.g. 住院 by hospital level: 出院占比, 费用占比, 基金支付占比),
        each share = part ÷ total of the same period, with the comparison period's share."""
        total = next((s for s in items if s.code == total_code), None)
        children = {t.code for t in vocab.SERVICES.children(total_code)}
        if total is None:
            return ()

        def share(part: Compared, whole: Compared) -> Compared:
            return Compared(ind.share(part.cur, whole.cur), ind.share(part.prev, whole.prev))

        return tuple(
            StructureLine(
                s.code,
                s.visits,
                share(s.visits, total.visits),
                share(s.total_cost, total.total_cost),
                share(s.fund_paid, total.fund_paid),
            )
            for s in items
            if s.code in children
        )

    def service_groups(self, fund: str, code: str) -> tuple[tuple[str, ServiceLine, dict[str, float | None]], ...]:
        """A service category split by person group (在职/退休, 机关/事业/企业, …): (group, line, shares)
        where shares maps visits/total_cost/fund_paid to the group's share of the category's 全部 figure
        (None when the 全部 figure is not given), for the groups the data has."""
        f, r = self.facts, self.region
        prev = self.prev_for("utilisation")
        whole = {k: f.use(r, self.cur, fund, code, k) for k in SERVICE_MEASURES}
        out = []
        for group in vocab.GROUPS.codes:
            if group == "all":
                continue
            cur = {k: f.use(r, self.cur, fund, code, k, group) for k in SERVICE_MEASURES}
            if all(v is None for v in cur.values()):
                continue
            old = {k: f.use(r, prev, fund, code, k, group) for k in SERVICE_MEASURES} if prev else dict.fromkeys(cur)
            line = ServiceLine(fund, code, *(Compared(cur[k], old[k]) for k in SERVICE_MEASURES))
            shares = {k: ind.share(cur[k], whole[k]) for k in ("persons", "visits", "total_cost", "fund_paid")}
            out.append((group, line, shares))
        return tuple(out)

    def institutions(self, fund: str, code: str) -> tuple[InstitutionLine, ...]:
        """The institutions of one service total of a fund in the report region and period, by 基金支付
        (largest first; those without it last, then by code); see :class:`InstitutionLine`."""
        df = self.ctx.dataset["institutions"]
        if not len(df):
            return ()
        sel = df[(df["region"] == self.region) & (df["fund"] == fund) & (df["service"] == code)]
        prev = self.prev_for("institutions")
        old = {r.institution: _num(r.fund_paid) for r in sel[sel["period"] == prev].itertuples()} if prev else {}
        total = self.facts.use(self.region, self.cur, fund, code, "fund_paid")
        out = [
            InstitutionLine(
                str(r.institution),
                _text(r.institution_name),
                _text(r.level),
                _num(r.persons),
                _num(r.visits),
                _num(r.total_cost),
                Compared(_num(r.fund_paid), old.get(r.institution)),
                ind.share(_num(r.fund_paid), total),
            )  # fmt: skip
            for r in sel[sel["period"] == self.cur].itertuples()
        ]
        out.sort(key=lambda x: (x.fund_paid.cur is None, -(x.fund_paid.cur or 0), x.code))
        return tuple(out)

    def region_services(self, fund: str, code: str) -> tuple[tuple[str, ServiceLine], ...]:
        """One service category of a fund in each sub-region and in the report region (last), report period
        only: (region, line) for the regions with any figure."""
        f, out = self.facts, []
        for region in [*self.ctx.children, self.region]:
            cur = {k: f.use(region, self.cur, fund, code, k) for k in SERVICE_MEASURES}
            if any(v is not None for v in cur.values()):
                out.append((region, ServiceLine(fund, code, *(Compared(cur[k]) for k in SERVICE_MEASURES))))
        return tuple(out)

    def estimated_inputs(self) -> tuple[EstimatedInput, ...]:
        """The back-computed inputs (来源 推算) of the report's regions and periods, with the method the
        source row names (its 备注), in table order: what every "（推算）" in the report rests on."""
        out = []
        for table, code in (("fund_flows", "item"), ("enrolment", "category")):
            df = self.ctx.dataset[table]
            if "origin" not in df or not len(df):
                continue
            for rec in df[df["origin"] == "estimated"].to_dict("records"):
                if self.ctx.reads.holds(rec["region"], rec["period"]):
                    note = rec.get("note") or ""
                    out.append(EstimatedInput(table, rec["region"], rec["period"], rec["fund"], rec[code],
                                              float(rec["value"]), str(note) if note == note else ""))  # fmt: skip
        return tuple(out)

    def services(self, fund: str, codes: list[str], total_code: str | None) -> tuple[ServiceLine, ...]:
        """Service categories of a fund that have any figure; shares of fund paid against ``total_code``."""
        f, r = self.facts, self.region
        prev = self.prev_for("utilisation")
        raw = []
        for code in codes:
            cur = {k: f.use(r, self.cur, fund, code, k) for k in SERVICE_MEASURES}
            if all(v is None for v in cur.values()):
                continue
            old = {k: f.use(r, prev, fund, code, k) for k in SERVICE_MEASURES} if prev else dict.fromkeys(cur)
            raw.append((code, cur, old))
        tot = next((c for code, c, _ in raw if code == total_code), None)
        out = []
        for code, cur, old in raw:
            share = ind.share(cur["fund_paid"], tot["fund_paid"]) if tot and code != total_code else None
            out.append(ServiceLine(fund, code, *(Compared(cur[k], old[k]) for k in SERVICE_MEASURES), share=share))
        return tuple(out)


def _num(value) -> float | None:
    """A table cell as a number, None when empty (NaN)."""
    return None if value is None or value != value else float(value)


def _text(value) -> str | None:
    return None if value is None or value != value or str(value).strip() == "" else str(value)
