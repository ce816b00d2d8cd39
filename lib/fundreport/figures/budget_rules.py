"""When a budget line is not a real budget: one rule for the report's budget section, the audit of stated
execution rates and the performance targets (they must not disagree).

- **Filled with the actuals**: the budget equals the executed amount to the written precision (half a
  written step of the budget plus half a fen-of-万元 of the execution, 100 元): a real budget is never met
  to the fen, so no execution rate is computed or judged.
- **Another basis**: a 合计 budget that differs from the sum of the funds' budgets of the same line was drawn
  up on another basis (e.g. including 上下级往来), so its execution rate would compare unlike with unlike.

Units: 元.
"""

from __future__ import annotations

from fundreport.figures import indicators as ind
from fundreport.figures.facts import Facts
from fundreport.figures.totals import COMPONENTS

FILLED = "预算数与执行数相同，疑为以执行数填列预算"
OTHER_BASIS = "合计预算数与各险种预算之和不符，口径不一"


def budget_doubt(
    facts: Facts, region: str, year: str, fund: str, item: str, plan: float | None, executed: float | None
) -> str:
    """Why the budget ``plan`` of a line is not a real budget (:data:`FILLED`, :data:`OTHER_BASIS`), or ''."""
    if plan is None:
        return ""
    if executed is not None:
        tol = (facts.quantum(region, year, fund, item, table="budgets") + 100.0) / 2 + 1e-6
        if abs(executed - plan) <= tol:
            return FILLED
    if fund == "all_funds":
        parts = [v for v in (facts.budget(region, year, f, item) for f in COMPONENTS) if v is not None]
        if parts:
            total = ind.total(parts)
            tol = 100.0 * (len(parts) + 1) / 2 + 1e-6
            if total is not None and abs(total - plan) > tol:
                return OTHER_BASIS
    return ""
