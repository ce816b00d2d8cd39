"""Checking one params file and its dataset together, before anything renders.

:func:`check_report` loads the params (schema errors), the dataset (data
errors) and then checks that they fit each other: the region exists, the
report period has data, the comparison period is present. It never raises;
the result carries every issue so a batch can go on with the other reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fundreport.data.dataset import Dataset, data_hash, load_dataset
from fundreport.data.from_detail import detail_summary, prepare
from fundreport.data.params import LoadedParams, load_params
from fundreport.errors import InputError, Issue


@dataclass
class CheckResult:
    path: Path
    params: LoadedParams | None = None
    dataset: Dataset | None = None
    issues: list[Issue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    detail: object = None  # the aggregation's Summary when the params name settlement detail

    @property
    def ok(self) -> bool:
        return not self.issues


DatasetCache = dict[tuple[str, str], "Dataset | InputError"]
"""Datasets already loaded in a batch, by (resolved path, content hash): each is loaded once."""


def _load(path: Path, cache: DatasetCache | None) -> Dataset:
    if cache is None:
        return load_dataset(path)
    key = (str(path.resolve()), data_hash(path) if path.exists() else "")
    if key not in cache:
        try:
            cache[key] = load_dataset(path)
        except InputError as exc:
            cache[key] = exc
    hit = cache[key]
    if isinstance(hit, InputError):
        raise hit
    return hit


def _unforeseen(exc: Exception, loaded: LoadedParams) -> Issue:
    """An error no check foresaw while reading a params file's data, as one issue naming the data path: the
    exception's type and first line (never a traceback, which could quote the data)."""
    first = (str(exc).strip().splitlines() or [""])[0][:200]
    return Issue(str(loaded.path), f"读取数据时出错（{type(exc).__name__}{'：' + first if first else ''}）", key="data",
                 value=loaded.params.data, expected="可读取的数据集；数据无误时请报告此问题")  # fmt: skip


NO_FLOWS = "收支、结余、可支付月数和收不抵支均无法评估，报告不作风险判断"


def _missing_flows(ds, region: str, period: str) -> list[str]:
    """A warning when the report has no fund flows to judge: the table is absent, holds only its header,
    or has no row of the report's region and period (the report then says so, never "no risk")."""
    df, where = ds["fund_flows"], ds.files.get("fund_flows")
    if not len(df):
        if where is None:
            return [f"数据集没有基金收支表（{ds.source}中没有 fund_flows）：{NO_FLOWS}"]
        return [f"基金收支表只有表头、没有数据（{where}）：{NO_FLOWS}"]
    if not ((df["region"] == region) & (df["period"] == period)).any():
        return [f"基金收支表中没有本地区（{region}）报告期（{period}）的数据（{where}）：{NO_FLOWS}"]
    return []


def check_report(path: str | Path, *, datasets: DatasetCache | None = None, load_data: bool = True) -> CheckResult:
    """Check a params file and its dataset (see the module docstring).

    ``datasets``: a cache shared by the params files of a batch, so a dataset several
    params files use is loaded once. ``load_data=False`` checks the params file only,
    for a caller that has already checked the pair (a batch worker after the batch's check).
    """
    result = CheckResult(Path(path))
    try:
        result.params = load_params(path)
    except InputError as exc:
        result.issues.extend(exc.issues)
        return result
    if not load_data:
        return result
    p = result.params.params
    try:
        ds = _load(Path(prepare(result.params)), datasets)
    except InputError as exc:
        result.issues.extend(exc.issues)
        return result
    except Exception as exc:  # noqa: BLE001 - unforeseen: this report fails its check, a batch goes on
        result.issues.append(_unforeseen(exc, result.params))
        return result
    result.dataset = ds
    result.detail = detail_summary(result.params)
    if result.detail is not None:
        result.warnings += list(result.detail.warnings)
    file = str(result.params.path)
    if p.region not in set(ds.regions["code"]):
        known = "、".join(f"{c}（{n}）" for c, n in zip(ds.regions["code"], ds.regions["name"], strict=True))
        result.issues.append(Issue(file, "地区代码不在数据集的地区表中", key="region", value=p.region, expected=known))
    periods = ds.periods()
    if p.period not in periods:
        result.issues.append(
            Issue(file, "数据集中没有报告期间的数据", key="period", value=p.period, expected="、".join(sorted(periods)))
        )
    result.warnings += _missing_flows(ds, p.region, p.period)
    comparison = p.report_period.comparison.code
    if p.comparison == "previous_year" and comparison not in periods:
        result.warnings.append(f"数据集中没有去年同期（{comparison}）的数据，同比指标将显示为无可比数据")
    return result
