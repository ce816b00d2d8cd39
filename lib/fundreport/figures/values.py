"""The values a report's figures are made of: small frozen records with their comparison, doubt and
provenance (a figure with its comparison period's, a fund's flows, a statement line, months of support, a
budget line, a service category …). :class:`fundreport.figures.measures.Measures` decides them; section
builders, charts, the risk panel, the index and the explorer read them. Units as in
:mod:`fundreport.figures.measures`: money in 元, persons in 人, visits in 人次, rates and shares as fractions.
"""

from __future__ import annotations

from dataclasses import dataclass

from fundreport.figures import indicators as ind
from fundreport.figures.indicators import ABOVE_CEILING, NEGATIVE_BALANCE  # noqa: F401 (Support.implausible codes)
from fundreport.figures.totals import Basis, comparable, weakest

SERVICE_MEASURES = ("visits", "persons", "total_cost", "inscope_cost", "fund_paid", "ownpay_cost", "overlimit_cost",
                    "preself_cost", "bed_days", "cash_pay")  # fmt: skip
"""The measures of a :class:`ServiceLine`, in its field order."""


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
