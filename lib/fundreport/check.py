"""Checking one params file and its dataset together, before anything renders.

:func:`check_report` loads the params (schema errors), the dataset (data
errors) and then checks that they fit each other: the region exists, the
report period has data, the comparison period is present. It never raises;
the result carries every issue so a batch can go on with the other reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .dataset import Dataset, load_dataset
from .errors import InputError, Issue
from .params import LoadedParams, load_params


@dataclass
class CheckResult:
    path: Path
    params: LoadedParams | None = None
    dataset: Dataset | None = None
    issues: list[Issue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues


def check_report(path: str | Path) -> CheckResult:
    result = CheckResult(Path(path))
    try:
        result.params = load_params(path)
    except InputError as exc:
        result.issues.extend(exc.issues)
        return result
    p = result.params.params
    try:
        ds = load_dataset(result.params.data_path)
    except InputError as exc:
        result.issues.extend(exc.issues)
        return result
    result.dataset = ds
    file = str(result.params.path)
    if p.region not in set(ds.regions["code"]):
        known = "、".join(f"{c}（{n}）" for c, n in zip(ds.regions["code"], ds.regions["name"], strict=True))
        result.issues.append(Issue(file, "地区代码不在数据集的地区表中", key="region", value=p.region, expected=known))
    periods = ds.periods()
    if p.period not in periods:
        result.issues.append(
            Issue(file, "数据集中没有报告期间的数据", key="period", value=p.period, expected="、".join(sorted(periods)))
        )
    comparison = p.report_period.comparison.code
    if p.comparison == "previous_year" and comparison not in periods:
        result.warnings.append(f"数据集中没有去年同期（{comparison}）的数据，同比指标将显示为无可比数据")
    return result
