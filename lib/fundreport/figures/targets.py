"""Judging performance targets (绩效指标) against actuals computed from the data.

The actual of each target is computed from raw figures by the indicator it
names (计算指标) and its subject; the report's own stated actual is kept only
for comparison. Targets that the data cannot compute (定性指标, or missing
inputs) are judged ``None`` (未判定) with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from fundreport.data.dataset import Dataset
from fundreport.figures import indicators as ind
from fundreport.figures.facts import Facts
from fundreport.figures.registry import BudgetDoubt, Query, Uncheckable, compute


@dataclass(frozen=True)
class TargetResult:
    fund: str
    level1: str
    level2: str
    name: str
    target: str
    actual: float | None  # base units: fraction for %, 元 for money, 人 for persons
    achieved: bool | None  # True 达成, False 未达成, None 未判定
    reason: str  # why it could not be judged, or ''
    stated_actual: str | None

    @property
    def unit(self) -> str | None:
        """The unit the target is written in (%, 万元, 人, …), when the target could be parsed."""
        return ind.parse_target(self.target).unit if self.reason == "" else None


def actual_value(
    facts: Facts, region: str, period: str, fund: str, indicator: str, subject: str | None
) -> float | None:
    """The computed actual of a target's indicator (:func:`fundreport.figures.registry.compute`, the
    computation the audit uses for a stated figure of the same indicator)."""
    return compute(indicator, Query(facts, region, period, fund, subject or ""))


def judge_targets(ds: Dataset, region: str, period: str, facts: Facts | None = None) -> list[TargetResult]:
    """Every target of the region and period, judged against the computed actual.

    ``facts``: the report's own lookups (with its params ``employee_parts``), so a target on 职工 is judged
    on the same 职工 as the tables above it."""
    facts = facts if facts is not None else Facts(ds)
    out = []
    df = ds.targets
    for rec in df[(df["region"] == region) & (df["period"] == period)].to_dict("records"):
        actual = achieved = None
        reason = ""
        if rec["indicator"] == "qualitative":
            reason = "定性指标，数据无法计算"
        else:
            try:
                target = ind.parse_target(rec["target"])
            except ind.TargetError as exc:
                target, reason = None, str(exc)
            try:
                actual = actual_value(facts, region, period, rec["fund"], rec["indicator"], rec["subject"])
            except BudgetDoubt as exc:  # the report's budget section prints no rate for such a line
                actual, target, reason = None, None, reason or f"{exc}，不作判定"
            except Uncheckable as exc:
                actual, target, reason = None, None, reason or str(exc)
            if actual is None and not reason:
                reason = "缺少计算所需的数据"
            if target is not None:
                achieved = target.judge(actual)
        out.append(
            TargetResult(
                rec["fund"],
                rec["level1"],
                rec["level2"],
                rec["name"],
                rec["target"],
                actual,
                achieved,
                reason,
                rec["stated_actual"],
            )
        )
    return out
