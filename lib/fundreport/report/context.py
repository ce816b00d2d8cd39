"""What every section builder needs: the params, the data, the period logic and the measures.

:class:`Context` is built once per report by :func:`make_context`; it holds
no computed figure, only lookups (:class:`~fundreport.figures.facts.Facts`) and the
report's conventions (money unit, comparison period and its wording, scope
word 全市/全县, band cut points).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from fundreport.data import vocab
from fundreport.data.dataset import Dataset
from fundreport.data.params import LoadedParams, ReportParams
from fundreport.data.periods import Period
from fundreport.figures.audit import Audit, Finding, audit
from fundreport.figures.facts import Facts
from fundreport.figures.measures import Measures
from fundreport.figures.scope import Scope, report_scope, scoped
from fundreport.text.labels import SCOPE
from fundreport.text.narrative import period_label

MAIN_FUNDS = ("employee", "employee_pool", "employee_account", "resident", "maternity")


@dataclass(frozen=True)
class Context:
    loaded: LoadedParams
    dataset: Dataset

    @property
    def params(self) -> ReportParams:
        return self.loaded.params

    @cached_property
    def facts(self) -> Facts:
        return Facts(self.dataset, self.params.employee_parts)

    @cached_property
    def dataset_audit(self) -> Audit:
        """The audit of the whole dataset: findings and coverage (computed once per context)."""
        return audit(self.dataset, self.params.employee_parts)

    @cached_property
    def reads(self) -> Scope:
        """The regions and periods this report reads (:mod:`fundreport.figures.scope`)."""
        return report_scope(self.dataset, self.region, self.cur)

    @cached_property
    def audit(self) -> Audit:
        """The audit findings and stated-figure coverage of this report's own region, sub-regions and periods."""
        return scoped(self.dataset_audit, self.reads)

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.audit.findings

    @cached_property
    def measures(self) -> Measures:
        """Every derived figure of the report (the one place where figures are decided)."""
        return Measures(self)

    @property
    def region(self) -> str:
        return self.params.region

    @cached_property
    def period(self) -> Period:
        return self.params.report_period

    @property
    def cur(self) -> str:
        return self.period.code

    @cached_property
    def prev(self) -> str | None:
        """The comparison period code (same months of the previous year), or None."""
        if self.params.comparison == "none":
            return None
        return self.period.comparison.code

    @property
    def comparator(self) -> str:
        """上年 for annual reports, 去年同期 otherwise."""
        return "上年" if self.period.months_elapsed == 12 and self.period.start_month == 1 else "去年同期"

    @property
    def unit(self) -> str:
        return self.params.money_unit

    @property
    def cuts(self) -> tuple[float, ...]:
        return tuple(self.params.thresholds.months_bands)

    @property
    def band_pp(self) -> float:
        return self.params.thresholds.budget_deviation_pp

    @property
    def deviation_levels(self) -> tuple[float, float]:
        """Cut points (百分点) between 一般/较大 and 较大/严重 budget deviations."""
        return self.params.thresholds.budget_deviation_levels

    @cached_property
    def region_row(self) -> dict:
        df = self.dataset.regions
        rows = df[df["code"] == self.region].to_dict("records")
        return rows[0] if rows else {}

    @property
    def region_name(self) -> str:
        return self.dataset.region_name(self.region)

    @property
    def scope(self) -> str:
        """全市 / 全县 / …: how the report names its whole area."""
        level = self.region_row.get("level")
        if level == "county_city":
            return "全市"
        return SCOPE.get(level, "全市")

    @cached_property
    def children(self) -> list[str]:
        return self.dataset.children(self.region)

    def funds_with(self, table: str, period: str | None = None) -> list[str]:
        """Fund codes with rows in ``table`` for the report region and period, in vocabulary order."""
        df = self.dataset[table]
        present = set(df[(df["region"] == self.region) & (df["period"] == (period or self.cur))]["fund"])
        if table == "fund_flows" and {"employee", "employee_account"} <= present:
            present.add("employee_pool")  # completed as 职工 − 个人账户
        return [t.code for t in vocab.FUNDS if t.code in present]

    def label(self, style: str | None = None) -> str:
        return period_label(self.period, style or self.params.period_style)


def make_context(loaded: LoadedParams, dataset: Dataset) -> Context:
    return Context(loaded, dataset)
