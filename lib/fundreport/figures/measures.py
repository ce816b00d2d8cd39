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

from functools import cached_property
from typing import TYPE_CHECKING

from fundreport.data import vocab
from fundreport.data.periods import Period
from fundreport.figures import indicators as ind
from fundreport.figures.audit import copied_comparison
from fundreport.figures.budget_rules import budget_doubt
from fundreport.figures.indicators import plausible_months
from fundreport.figures.people import PeopleMeasures
from fundreport.figures.registry import executed, support_balance
from fundreport.figures.totals import COMPONENTS, Basis, FundPart, comparable, fund_total, settle
from fundreport.figures.values import (
    BudgetLine,
    BudgetPlan,
    Compared,
    CumulativeLine,
    EditionLine,
    FundFlow,
    LineItem,
    RankingLine,
    Seasonality,
    SubregionLine,
    Support,
)

if TYPE_CHECKING:
    from fundreport.report.context import Context

SUPPORT_FUNDS = ("employee_pool", "resident", "maternity")
"""Pooled funds judged by months of support; other funds show their cumulative balance only."""

OTHER_FUNDS = ("employee_major", "resident_critical", "civil_servant", "retired_cadre")

BUDGET_ITEMS = ("income_total", "income_premium", "expense_total", "expense_benefit")


class Measures(PeopleMeasures):
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
