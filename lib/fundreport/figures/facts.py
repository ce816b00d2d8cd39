"""Looking up raw figures in a dataset, with the few documented completions.

:class:`Facts` indexes a :class:`~fundreport.data.dataset.Dataset` once and
answers "what is X for region r, period p, fund f" in base units (元, 人,
人次), or ``None`` when the data does not say.

Completions (each is a sum or difference of raw figures, never a rate):

- ``income`` / ``expense`` of a fund: the stated total (基金收入合计 /
  基金支出合计) if given; else a total declared as including 上下级往来
  (基金收入合计（含上下级往来）) minus the 上下级往来 lines; else the sum of its
  line items; when the stated
  total equals lines plus 上下级往来 lines, the lines alone are used, because
  totals exclude 上下级往来 (the audit reports the stated total).
- 职工统筹基金 = 职工 − 职工个人账户 and 职工 = 统筹 + 个人账户 when only two
  of the three are given. For 职工 = 统筹 + 个账, an income or expense line that
  one part lacks while its statement itemizes other lines of the same kind counts as
  0 for that part (个人账户 has no 财政补贴收入), so no line of the other part is
  dropped from 职工; a part that gives only its total leaves every line of 职工
  unknown (its unsplit income is not 0 of each line).
- ``balance`` (当期结余) is always income − expense; the stated 本期结余 is for
  the audit only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from fundreport.data import vocab
from fundreport.data.dataset import Dataset
from fundreport.data.decimals import Written, unit_quantum
from fundreport.figures import indicators


def _close(a: float, b: float, tol: float) -> bool:
    return abs(a - b) <= tol


EMPLOYEE_PARTS = ("employee_pool", "employee_account")
TOTALS = ("income_total", "expense_total")  # and their _gross forms: totals, not itemized lines
# Money columns of the utilisation table (元 after the row's unit is applied).
UTILISATION_MONEY = ("total_cost", "inscope_cost", "fund_paid", "ownpay_cost", "overlimit_cost", "preself_cost",
                     "cash_pay")  # fmt: skip


def money_quantum(unit: object) -> float:
    """0.01 of a money unit in 元 (亿元 → 10⁶), the finest step a figure given in it is shown with;
    0 for other units or none."""
    code = vocab.UNITS.resolve(unit) if isinstance(unit, str) and unit else None
    term = vocab.UNITS.term(code) if code else None
    return unit_quantum(term.factor) if term is not None and term.kind == "money" else 0.0


@dataclass(frozen=True)
class Facts:
    """Indexed raw figures of one dataset.

    ``employee_parts``: the funds 职工 is made of (default 统筹基金 + 个人账户; a region may publish
    职工 as 统筹 + 个账 + 公务员补助, declared in params ``employee_parts``).
    """

    dataset: Dataset
    employee_parts: tuple[str, ...] = EMPLOYEE_PARTS

    def __post_init__(self) -> None:
        # key -> (value, written quantum, unit quantum, estimated: a back-computed input, 推算)
        idx: dict[tuple, tuple[float, float, float, bool]] = {}

        def add(prefix: tuple, df, keys: list[str], measures: dict[str, str | None], unit_col: str = "unit") -> None:
            for rec in df.to_dict("records"):
                base = prefix + tuple(rec[k] if k != "group" else (rec[k] or "all") for k in keys)
                money = money_quantum(rec.get(unit_col))
                estimated = rec.get("origin") == "estimated"
                for m, qcol in measures.items():
                    v = rec[m]
                    if v is not None and v == v:  # not NaN
                        shown = money if qcol else 0.0  # only money measures carry their unit's step
                        q = rec[qcol] if qcol else 1.0
                        idx[base + ((m,) if len(measures) > 1 else ())] = (v, q, shown, estimated)

        ds = self.dataset
        for table in ("fund_flows", "budgets", "policy"):
            add((table,), ds[table], ["region", "period", "fund", "item"], {"value": "quantum"})
        add(("enrolment",), ds.enrolment, ["region", "period", "fund", "category", "group"], {"value": "quantum"})
        money = {m: "quantum" for m in UTILISATION_MONEY}
        add(
            ("utilisation",),
            ds.utilisation,
            ["region", "period", "fund", "service", "group"],
            {"visits": None, "persons": None, "bed_days": None} | money,
            unit_col="money_unit",
        )
        object.__setattr__(self, "_idx", idx)
        # (table, region, period, fund) of every statement that has at least one figure
        # (table, region, period, fund, kind) of statements with at least one income / expense line
        # (table, region, period, fund, kind) of statements that itemize their income / expense: a line
        # such a statement lacks is 0 for 职工 = 统筹 + 个账; a statement of totals only says nothing of it
        kinds = {}
        for k in idx:
            term = vocab.ITEMS.term(k[4]) if k[0] in ("fund_flows", "budgets") else None
            if term is not None and term.kind in {"income", "expense"} and not k[4].startswith(TOTALS):
                kinds.setdefault((*k[:4], term.kind), True)
        object.__setattr__(self, "_statements", set(kinds))
        object.__setattr__(self, "_rows", {k[:4] for k in idx if k[0] in ("fund_flows", "budgets")})
        object.__setattr__(self, "_used", None)

    def _get(self, *key) -> float | None:
        hit = self._idx.get(key)  # type: ignore[attr-defined]
        if hit is None:
            return None
        if self._used is not None:  # type: ignore[attr-defined]
            self._used.append((float(hit[0]), float(hit[1]), hit[3]))  # type: ignore[attr-defined]
        if hit[3]:  # 推算: the mark travels with the figure into sums, differences and the printed string
            return Written(hit[0], hit[2], True)
        return Written(hit[0], hit[2]) if hit[2] else float(hit[0])

    def _quantum(self, *key) -> float:
        """Written precision of a raw figure (元); 100 (0.01万元) when the figure is derived."""
        hit = self._idx.get(key)  # type: ignore[attr-defined]
        return float(hit[1]) if hit is not None else 100.0

    def quantum(self, region: str, period: str, fund: str, item: str, table: str = "fund_flows") -> float:
        """Written precision of a statement figure (元; 100 when the figure is derived, e.g. completed)."""
        return self._quantum(table, region, period, fund, item)

    @contextmanager
    def tracking(self) -> Iterator[list[tuple[float, float, bool]]]:
        """Record (value, quantum, estimated) of every raw figure read inside the block (for error bounds,
        and so that no back-computed figure confirms a stated one)."""
        used: list[tuple[float, float, bool]] = []
        object.__setattr__(self, "_used", used)
        try:
            yield used
        finally:
            object.__setattr__(self, "_used", None)

    # -- statements -----------------------------------------------------------

    def has_rows(self, region: str, period: str, fund: str, table: str = "fund_flows") -> bool:
        """True when ``table`` gives any figure of ``fund`` for the region and period (职工: or of its parts)."""
        funds = (fund, *self.employee_parts) if fund == "employee" else (fund,)
        return any((table, region, period, f) in self._rows for f in funds)  # type: ignore[attr-defined]

    def _part(self, table: str, region: str, period: str, fund: str, item: str, other: float | None) -> float | None:
        """A part's line for 职工 = 统筹 + 个账: as given, or 0 for an income or expense line that the part's
        statement lacks while it gives other lines of the same kind (个人账户 has no 财政补贴收入)."""
        v = self._get(table, region, period, fund, item)
        if v is not None or other is None:
            return v
        kind = vocab.ITEMS.term(item).kind
        if kind not in {"income", "expense"} or item.startswith(("income_total", "expense_total")):
            return None
        return 0.0 if (table, region, period, fund, kind) in self._statements else None  # type: ignore[attr-defined]

    def item(self, region: str, period: str, fund: str, item: str, table: str = "fund_flows") -> float | None:
        """A raw statement line as given (元), with the 统筹/个账 completion (see the module docstring)."""
        v = self._get(table, region, period, fund, item)
        if v is not None:
            return v
        parts = self.employee_parts
        if fund == "employee_pool":  # no zero-fill here: a part lacking a line does not mean it is 0
            a = self._get(table, region, period, "employee", item)
            others = [self._get(table, region, period, f, item) for f in parts if f != "employee_pool"]
            return a - sum(others) if a is not None and None not in others else None
        if fund == "employee":
            given = {f: self._get(table, region, period, f, item) for f in parts}
            known = [v for v in given.values() if v is not None]
            if not known:
                return None
            filled = [
                v if v is not None else self._part(table, region, period, f, item, known[0]) for f, v in given.items()
            ]
            return sum(filled) if None not in filled else None
        return None

    def lines(self, region: str, period: str, fund: str, total: str, table: str = "fund_flows") -> dict[str, float]:
        """The direct line items under ``total`` that are given (元)."""
        out = {}
        for t in vocab.ITEMS.children(total):
            v = self.item(region, period, fund, t.code, table)
            if v is not None:
                out[t.code] = v
        return out

    def inter_level(self, region: str, period: str, fund: str, kind: str) -> dict[str, float]:
        """上下级往来 lines of an ``income`` or ``expense`` kind (元)."""
        out = {}
        for t in vocab.ITEMS:
            if t.inter_level and t.kind == kind:
                v = self.item(region, period, fund, t.code)
                if v is not None:
                    out[t.code] = v
        return out

    def _total(self, region: str, period: str, fund: str, kind: str, table: str = "fund_flows") -> float | None:
        total_code = f"{kind}_total"
        stated = self.item(region, period, fund, total_code, table)
        parts = self.lines(region, period, fund, total_code, table)
        if stated is None:
            gross = self.item(region, period, fund, f"{total_code}_gross", table)
            if gross is not None:  # a total declared as including 上下级往来: take them out once
                inter = self.inter_level(region, period, fund, kind) if table == "fund_flows" else {}
                return gross - sum(inter.values())
            return sum(parts.values()) if parts else None
        inter = self.inter_level(region, period, fund, kind) if table == "fund_flows" else {}
        # Rounded source figures: allow half a written unit for the total and for each part.
        codes = [total_code, *parts, *inter]
        tol = sum(self._quantum(table, region, period, fund, c) for c in codes) / 2
        if parts and inter and _close(stated, sum(parts.values()) + sum(inter.values()), tol):
            return sum(parts.values())  # the source's total wrongly includes 上下级往来
        return stated

    def income(self, region: str, period: str, fund: str) -> float | None:
        """基金收入 excluding 上下级往来 (元); see the module docstring."""
        return self._total(region, period, fund, "income")

    def expense(self, region: str, period: str, fund: str) -> float | None:
        """基金支出 excluding 上下级往来 (元); see the module docstring."""
        return self._total(region, period, fund, "expense")

    def benefit(self, region: str, period: str, fund: str) -> float | None:
        """待遇支出 (元): stated, or the sum of its parts."""
        v = self.item(region, period, fund, "expense_benefit")
        if v is not None:
            return v
        parts = self.lines(region, period, fund, "expense_benefit")
        return sum(parts.values()) if parts else None

    def budget(self, region: str, year: str, fund: str, item: str) -> float | None:
        """Annual budget of a line (元), as entered (职工 = 统筹 + 个账 completed as for the flows).

        A budget 合计 is never the sum of the budget lines that happen to be listed: a budget of 待遇支出 alone
        is not a budget of 基金支出合计 (unknown is never the known part)."""
        return self.item(region, year, fund, item, table="budgets")

    # -- enrolment, policy, utilisation --------------------------------------

    def enrolment(
        self, region: str, period: str, fund: str, category: str = "total", group: str = "all"
    ) -> float | None:
        """Persons (人)."""
        return self._get("enrolment", region, period, fund, category, group)

    def policy(self, region: str, period: str, fund: str, item: str) -> float | None:
        """A policy value in its base unit (元/人/月, 元/人/年, or a fraction for rates)."""
        v = self._get("policy", region, period, fund, item)
        if v is None and len(period) > 4:
            v = self._get("policy", region, period[:4], fund, item)  # annual standards apply to sub-periods
        return v

    def use(self, region: str, period: str, fund: str, service: str, measure: str, group: str = "all") -> float | None:
        """Utilisation measure: visits (人次), persons (人), bed_days (天), or money (元)."""
        return self._get("utilisation", region, period, fund, service, group, measure)

    # -- balances -------------------------------------------------------------

    def cumulative(self, region: str, period: str, fund: str) -> float | None:
        """累计结余 (元): stated, else 期初结余 + 当期结余 (income − expense)."""
        v = self.item(region, period, fund, "balance_cumulative")
        if v is not None:
            return v
        opening = self.item(region, period, fund, "balance_opening")
        inc, exp = self.income(region, period, fund), self.expense(region, period, fund)
        if opening is None or inc is None or exp is None:
            return None
        return opening + inc - exp

    ADJUSTMENTS = ("adj_prepaid", "adj_payable", "adj_reserve", "adj_payable_reserve")

    def adjusted(self, region: str, period: str, fund: str) -> float | None:
        """实际结余 (元): stated 调整后结余, else 累计结余 − 一次性预缴 − 应付未付 − 预留金.

        None when neither the adjusted balance nor any deduction is given (no
        adjustment is known, so no 实际 figure is shown).
        """
        stated = self.item(region, period, fund, "balance_adjusted")
        if stated is not None:
            return stated
        deductions = [self.item(region, period, fund, i) for i in self.ADJUSTMENTS]
        if all(d is None for d in deductions):
            return None
        return indicators.adjusted_balance(self.cumulative(region, period, fund), *deductions)
