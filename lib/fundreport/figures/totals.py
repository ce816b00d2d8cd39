"""The total rule: which figure a report prints for a sum over funds (合计), and what it holds.

One rule, used for every sum over funds (the 合计 row of the statements, 累计结余 of 各项基金):

1. **An entered total wins.** The source's own 合计 is printed, whatever parts exist — with one
   exception that keeps the report on one basis: when it equals the complete parts *including*
   上下级往来 (a county that adds its 上解上级支出 into 支出合计), the parts without them are printed
   and the basis says so.
2. **A sum of parts is a total only when every part is known** (``complete``). 职工 published as its
   统筹基金 only (the rule in many regions since 2024) is a known part: the sum is complete over
   what is published and says that 职工 is its 统筹基金 (:attr:`Basis.pool_only`).
3. **Otherwise the sum is labelled with what it holds** (``partial``: 已知部分合计（不含…）); it is
   never printed as a total. No part is ever taken as 0.

An entered total that differs from its complete parts keeps the entered figure; the sum of the parts
is kept beside it (:attr:`Basis.parts_sum`) so that the report and the audit name both.

Units: 元. Nothing here rounds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fundreport.figures.facts import Facts

COMPONENTS = ("employee", "resident", "maternity")
"""The funds summed into the statements' 合计; 统筹/个账 are parts of 职工 and are not added again."""

ENTERED, COMPLETE, PARTIAL, UNKNOWN = "entered", "complete", "partial", "unknown"


@dataclass(frozen=True)
class FundPart:
    """One fund's figure in a sum over funds (元): ``value`` on the report's basis, ``with_inter``
    including 上下级往来 (equal to ``value`` when the fund has none), ``quantum`` its written step."""

    fund: str
    value: float | None
    with_inter: float | None = None
    quantum: float = 0.0


@dataclass(frozen=True)
class Basis:
    """What a sum over funds holds (its provenance).

    ``kind``: ``entered`` (the source's own total), ``complete`` (the sum of every fund of the report
    that has the figure), ``partial`` (``missing`` names the funds of the period without it), ``unknown``.
    ``members``: the funds summed, or those an entered total agrees with (empty when it agrees with
    none: the parts are incomplete or differ from it). ``parts_sum``: the complete parts' sum beside an
    entered total that differs from it. ``includes_inter``: the source's total included 上下级往来 and
    the parts without them are printed instead.
    """

    kind: str
    members: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    parts_sum: float | None = None
    includes_inter: bool = False

    @property
    def pool_only(self) -> bool:
        """职工 is in the sum as its 统筹基金 only (个人账户 not published)."""
        return "employee_pool" in self.members

    @property
    def is_total(self) -> bool:
        """The figure may be printed as a 合计 (entered, or complete over the published funds)."""
        return self.kind in {ENTERED, COMPLETE}

    @property
    def differs(self) -> bool:
        """An entered total that differs from the sum of its complete parts."""
        return self.kind == ENTERED and self.parts_sum is not None


def statement_parts(
    facts: Facts,
    region: str,
    period: str,
    io: Callable[[str], tuple[float | None, float | None]],
    *,
    with_inter: bool = True,
) -> tuple[dict[str, list[FundPart]], tuple[str, ...]]:
    """The parts of the statements' 合计 for one region and period: per side (``income``, ``expense``)
    the :class:`FundPart` of each of :data:`COMPONENTS` that has a figure — 职工 as its 统筹基金 when only that
    is published — and the funds the period has rows for but no income or expense (missing).

    ``io(fund)``: the fund's (income, expense) on the report's basis; ``with_inter``: also give each part
    including its 上下级往来 (to recognise a source total that includes them)."""
    sides: dict[str, list[FundPart]] = {"income": [], "expense": []}
    missing: list[str] = []
    for f in COMPONENTS:
        use, values = f, io(f)
        if f == "employee" and values == (None, None):
            pool = io("employee_pool")
            if pool != (None, None):
                use, values = "employee_pool", pool
        if values == (None, None):
            if facts.has_rows(region, period, f):
                missing.append(f)
            continue
        for value, kind in zip(values, ("income", "expense"), strict=True):
            inter = sum(facts.inter_level(region, period, use, kind).values()) if with_inter else 0.0
            with_ = None if value is None else value + inter
            q = facts.quantum(region, period, use, f"{kind}_total")
            sides[kind].append(FundPart(use, value, with_, q))
    return sides, tuple(missing)


def fund_total(
    facts: Facts,
    region: str,
    period: str,
    io: Callable[[str], tuple[float | None, float | None]],
    *,
    with_inter: bool = True,
) -> tuple[tuple[float | None, Basis], tuple[float | None, Basis]]:
    """The statements' 合计 of one region and period by the total rule: ((income, basis), (expense, basis)).

    ``io(fund)`` gives a fund's (income, expense) on the report's basis, ``all_funds`` included (the entered
    total); the report, the audit and the check of entered totals all call this, so they agree."""
    sides, missing = statement_parts(facts, region, period, io, with_inter=with_inter)
    entered = io("all_funds")
    inc = settle(entered[0], facts.quantum(region, period, "all_funds", "income_total"), sides["income"], missing)
    exp = settle(entered[1], facts.quantum(region, period, "all_funds", "expense_total"), sides["expense"], missing)
    return inc, exp


def given_io(facts: Facts, region: str, period: str) -> Callable[[str], tuple[float | None, float | None]]:
    """``io`` for :func:`fund_total` from the data as given: a fund's (income, expense) without 上下级往来."""
    return lambda f: (facts.income(region, period, f), facts.expense(region, period, f))


def printed_side(facts: Facts, region: str, period: str, fund: str, kind: str) -> float | None:
    """A fund's ``income`` or ``expense`` as a report prints it (元, without 上下级往来): for 合计 by the
    total rule. The audit and the targets recompute on this basis, so they cannot disagree with the body."""
    get = facts.income if kind == "income" else facts.expense
    if fund != "all_funds":
        return get(region, period, fund)
    io = lambda f: (get(region, period, f), None) if kind == "income" else (None, get(region, period, f))  # noqa: E731
    return fund_total(facts, region, period, io)[0 if kind == "income" else 1][0]


def _close(a: float, b: float, tol: float) -> bool:
    return abs(a - b) <= tol


def settle(
    entered: float | None, entered_quantum: float, parts: list[FundPart], missing: tuple[str, ...] = ()
) -> tuple[float | None, Basis]:
    """The figure of a sum over funds and its :class:`Basis` (the module docstring's rule).

    ``parts``: the funds of the period that have the figure; ``missing``: those of the period that lack
    it. Tolerance: half a written step of the total and of each part (rounded source figures).
    """
    missing = (*missing, *(p.fund for p in parts if p.value is None))  # a fund without the figure is not 0
    parts = [p for p in parts if p.value is not None]
    members = tuple(p.fund for p in parts)
    parts_sum = float(sum(p.value for p in parts)) if parts and not missing else None  # type: ignore[misc]
    tol = (entered_quantum + sum(p.quantum for p in parts)) / 2 + 1e-6
    if entered is not None:
        if parts_sum is None:
            return entered, Basis(ENTERED)
        if _close(entered, parts_sum, tol):
            return entered, Basis(ENTERED, members)
        gross = float(sum(p.with_inter if p.with_inter is not None else p.value for p in parts))  # type: ignore[misc]
        if not _close(gross, parts_sum, tol) and _close(entered, gross, tol):
            return parts_sum, Basis(COMPLETE, members, includes_inter=True)
        return entered, Basis(ENTERED, parts_sum=parts_sum)
    if not parts:
        return None, Basis(UNKNOWN, missing=missing)
    if missing:
        return float(sum(p.value for p in parts)), Basis(PARTIAL, members, missing)  # type: ignore[misc]
    return parts_sum, Basis(COMPLETE, members)


def comparable(a: Basis, b: Basis) -> bool:
    """Two sums hold the same funds: both the source's own totals that no part confirms, or the same
    known members (an entered total that agrees with its parts holds those parts)."""
    if a.kind == UNKNOWN or b.kind == UNKNOWN:
        return True  # nothing to compare: the figure itself is unknown
    if not a.members and not b.members:
        return a.kind == b.kind == ENTERED
    return a.members == b.members and a.missing == b.missing


def weakest(*bases: Basis) -> Basis:
    """The basis a row of several sums shows: partial before entered-that-differs before the rest."""
    order = {PARTIAL: 0, UNKNOWN: 1, ENTERED: 2, COMPLETE: 3}
    known = [b for b in bases if b.kind != UNKNOWN] or list(bases)
    return min(known, key=lambda b: (order[b.kind], not b.differs, not b.pool_only))
