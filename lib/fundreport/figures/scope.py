"""What belongs to one report: its region with the sub-regions it shows, and the periods it reads.

A dataset may hold a whole province (200 counties) and several periods; each report's appendix, risk
panel and index entry hold only the audit findings of its own scope, and ``fundreport check`` lists
each finding once. The scope of a report of region *r* and period *p*:

- **regions**: *r* and every region below it in the 地区 table (the sub-region tables show them);
- **periods**: the periods of the same months as *p* in its year and earlier years (the comparison and
  the history), the whole years up to *p*'s year and the next one (budgets, the year-start 累计结余,
  seasonality, next year's budget), and the period one month shorter than *p* (上月 months of support).
  A later period of the same year (2024Q2 in a 2024Q1 report) is not in it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from fundreport.data.dataset import Dataset
from fundreport.data.periods import Period, PeriodError
from fundreport.figures.audit import Audit


@dataclass(frozen=True)
class Scope:
    """The regions and period codes one report reads."""

    regions: frozenset[str]
    periods: frozenset[str]

    def holds(self, region: str, period: str) -> bool:
        return region in self.regions and period in self.periods


def descendants(ds: Dataset, region: str) -> list[str]:
    """Every region below ``region`` in the 地区 table, breadth first (a cycle is not followed twice)."""
    out, seen, queue = [], {region}, [region]
    while queue:
        for child in ds.children(queue.pop(0)):
            if child not in seen:
                seen.add(child)
                out.append(child)
                queue.append(child)
    return out


def _reads(report: Period, other: Period) -> bool:
    same_months = (other.start_month, other.end_month) == (report.start_month, report.end_month)
    if same_months and other.year <= report.year:
        return True
    if other.kind == "year" and other.year <= report.year + 1:
        return True
    # the period one month shorter (1-5月 for 1-6月; 5月 for the single month 6月): 上月 months of support
    same_start = other.start_month == report.start_month or report.kind == other.kind == "month"
    return other.year == report.year and same_start and other.end_month == report.end_month - 1


def report_scope(ds: Dataset, region: str, period: str) -> Scope:
    """The scope of the report of ``region`` and ``period`` (see the module docstring)."""
    p = Period.parse(period)
    periods = {period}
    for code in ds.periods():
        try:
            if _reads(p, Period.parse(code)):
                periods.add(code)
        except PeriodError:
            continue
    return Scope(frozenset([region, *descendants(ds, region)]), frozenset(periods))


def scoped(audit: Audit, scope: Scope) -> Audit:
    """The findings and stated-figure coverage of ``audit`` inside ``scope``."""
    findings = tuple(f for f in audit.findings if scope.holds(f.region, f.period))
    cov = audit.coverage
    unchecked = tuple(u for u in cov.unchecked if scope.holds(u.region, u.period))
    consistent = tuple(k for k in cov.consistent_keys if scope.holds(*k))
    inconsistent = sum(f.check == "stated" for f in findings)
    total = len(consistent) + inconsistent + len(unchecked)
    coverage = replace(
        cov, total=total, consistent=len(consistent), inconsistent=inconsistent, unchecked=unchecked,
        consistent_keys=consistent,
    )  # fmt: skip
    return Audit(findings, coverage)
