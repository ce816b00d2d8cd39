"""Judging performance targets (绩效指标) against actuals computed from the data.

The actual of each target is computed from raw figures by the indicator it
names (计算指标) and its subject; the report's own stated actual is kept only
for comparison. Targets that the data cannot compute (定性指标, or missing
inputs) are judged ``None`` (未判定) with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from fundreport.data.dataset import Dataset
from fundreport.data.periods import Period
from fundreport.figures import indicators as ind
from fundreport.figures.budget_rules import budget_doubt
from fundreport.figures.facts import Facts
from fundreport.figures.totals import printed_side


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


def _executed(facts: Facts, region: str, period: str, fund: str, item: str) -> float | None:
    """The executed amount of a budget line as the report's budget section takes it (元)."""
    if item in {"income_total", "expense_total"}:
        return printed_side(facts, region, period, fund, item.split("_")[0])
    if item == "expense_benefit":
        return facts.benefit(region, period, fund)
    return facts.item(region, period, fund, item)


def actual_value(
    facts: Facts, region: str, period: str, fund: str, indicator: str, subject: str | None
) -> float | None:
    """The computed actual of a target's indicator (see the module docstring)."""
    year = str(Period.parse(period).year)
    if indicator == "enrolment":
        return facts.enrolment(region, period, fund, subject or "total")
    if indicator == "beneficiaries":
        return facts.use(region, period, fund, subject or "benefit_total", "persons")
    if indicator == "budget_execution":
        executed = _executed(facts, region, period, fund, subject or "")
        return ind.budget_execution(executed, facts.budget(region, year, fund, subject or ""))
    if indicator == "enrolment_rate":
        return ind.ratio(
            facts.enrolment(region, period, fund, "total"), facts.enrolment(region, period, fund, subject or "")
        )
    if indicator in {"reimbursement_inscope", "reimbursement_actual"}:
        service = subject or "inpatient_total"
        paid = facts.use(region, period, fund, service, "fund_paid")
        cost = facts.use(
            region, period, fund, service, "inscope_cost" if indicator == "reimbursement_inscope" else "total_cost"
        )
        return ind.ratio(paid, cost)
    if indicator == "policy":
        return facts.policy(region, period, fund, subject or "")
    if indicator == "cost_per_beneficiary":
        amount = (
            facts.benefit(region, period, fund)
            if subject in (None, "expense_benefit")
            else facts.item(region, period, fund, subject)
        )
        return ind.ratio(amount, facts.use(region, period, fund, "benefit_total", "persons"))
    return None


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
            actual = actual_value(facts, region, period, rec["fund"], rec["indicator"], rec["subject"])
            if rec["indicator"] == "budget_execution" and actual is not None:
                year, item = str(Period.parse(period).year), rec["subject"] or ""
                plan = facts.budget(region, year, rec["fund"], item)
                executed = _executed(facts, region, period, rec["fund"], item)
                doubt = budget_doubt(facts, region, year, rec["fund"], item, plan, executed)
                if doubt:  # the report's budget section prints no rate for such a line: none is judged
                    actual, target = None, None
                    reason = reason or f"{doubt}，不作判定"
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
