"""The audit as a reader sees it: findings and unchecked figures as report tables, and the coverage line.

One place for the report appendix, the explorer's 核对发现 view and ``fundreport check``, so all
three show the same rows: per finding the severity word, region, period, fund and item in Chinese,
the stated value (报告值), the recomputed value (计算值), the difference, the rule in words with the
message, and the source file and row relative to the project. Values are written in the unit their
kind calls for (money in the report's unit, ratios in %, differences of ratios in 百分点).
"""

from __future__ import annotations

from pathlib import Path

from fundreport.data import vocab
from fundreport.data.periods import PeriodError
from fundreport.figures.audit import Coverage, Finding, Unchecked, subject_label
from fundreport.report.model import Column, Table
from fundreport.text import narrative as nv
from fundreport.text.labels import FINDING_HEADERS, FUND_SHORT, SEVERITY

UNCHECKED_HEADERS = ("地区", "期间", "险种", "指标", "项目", "报告值", "无法核对的原因", "出处")


def fund_name(fund: str) -> str:
    return FUND_SHORT.get(fund) or (vocab.FUNDS.get_label(fund) if fund in vocab.FUNDS else fund)


def period_name(period: str) -> str:
    try:
        return nv.period_label(period)
    except PeriodError:
        return period


def value_text(value: float | None, kind: str, unit: str) -> str:
    """A finding's value in words: money in ``unit``, counts, %, months, 元 per visit."""
    if value is None:
        return nv.MISSING
    if kind == "money":
        return nv.fmt_money(value, unit)
    if kind == "count":
        return nv.fmt_number(value, 0, sep=True)
    if kind == "ratio":
        return nv.fmt_percent(value)
    if kind == "points":
        return f"{nv.fmt_number(value, 2)}个百分点"
    if kind == "months":
        return nv.fmt_months(value)
    if kind == "per":
        return f"{nv.fmt_number(value, 2, sep=True)}元"
    return nv.fmt_number(value, 2, sep=True)


def difference_text(value: float | None, kind: str, unit: str) -> str:
    """报告值 − 计算值, signed; a difference of ratios in 百分点."""
    if value is None:
        return nv.MISSING
    sign = "+" if value > 0 else ""
    if kind == "ratio":
        return f"{sign}{nv.fmt_number(value * 100, 2)}个百分点"
    return sign + value_text(value, kind, unit)


def relative_source(source: str, root: str | Path | None) -> str:
    """A source path relative to the project (absolute paths differ between machines and leak folders)."""
    if not source or root is None:
        return source
    return source.replace(f"{Path(root).resolve()}/", "").replace(f"{root}/", "")


def short_source(source: str) -> str:
    """``stated.csv 第56行``: the file name and row (the folder is in the 数据文件 table)."""
    path, sep, rest = source.partition(" ")
    return f"{Path(path).name}{sep}{rest}" if path else source


def finding_row(f: Finding, names: dict[str, str], unit: str, root: str | Path | None = None) -> tuple[str, ...]:
    """One finding as the cells of :data:`FINDING_HEADERS`."""
    return (
        SEVERITY.get(f.severity, f.severity),
        names.get(f.region, f.region),
        period_name(f.period),
        fund_name(f.fund),
        subject_label(f.subject),
        value_text(f.found, f.kind, unit),
        value_text(f.expected, f.kind, unit),
        difference_text(f.difference, f.kind, unit),
        f"{f.message}。规则：{f.rule}" if f.rule else f.message,
        short_source(relative_source(f.source, root)),
    )


def findings_table(
    findings: list[Finding] | tuple[Finding, ...],
    names: dict[str, str],
    unit: str,
    *,
    root: str | Path | None = None,
    tid: str = "t-findings",
    title: str = "数据核对发现",
) -> Table:
    cols = tuple(Column(f"c{i}", h) for i, h in enumerate(FINDING_HEADERS))
    rows = tuple(finding_row(f, names, unit, root) for f in findings)
    return Table(
        tid, title, cols, rows, note=f"金额单位：{unit}；报告值为原报告或报表所列数值，计算值由原始数据重新计算"
    )


def unchecked_row(u: Unchecked, names: dict[str, str], unit: str, root: str | Path | None = None) -> tuple[str, ...]:
    return (
        names.get(u.region, u.region),
        period_name(u.period),
        fund_name(u.fund),
        vocab.INDICATORS.get_label(u.indicator) if u.indicator in vocab.INDICATORS else u.indicator,
        subject_label(u.subject),
        value_text(u.value, u.kind, unit),
        u.reason,
        short_source(relative_source(u.source, root)),
    )


def unchecked_table(coverage: Coverage, names: dict[str, str], unit: str, *, root: str | Path | None = None) -> Table:
    cols = tuple(Column(f"c{i}", h) for i, h in enumerate(UNCHECKED_HEADERS))
    rows = tuple(unchecked_row(u, names, unit, root) for u in coverage.unchecked)
    return Table("t-unchecked", "无法核对的报告数值", cols, rows, note=f"金额单位：{unit}")


def coverage_sentence(coverage: Coverage, *, listed: bool = True) -> str:
    """核对报告所述数值 N 项：一致 a 项，不一致 b 项，无法核对 c 项."""
    if not coverage.total:
        return "数据中没有登记原报告所述的计算结果（报告数值表），未核对报告所述数值。"
    return (
        f"核对报告所述数值{coverage.total}项：一致{coverage.consistent}项，不一致{coverage.inconsistent}项，"
        f"无法核对{len(coverage.unchecked)}项" + ("（原因见下表）。" if coverage.unchecked and listed else "。")
    )
