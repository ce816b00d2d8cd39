"""Build the report structure (:class:`~fundreport.report.model.Report`) of one params file.

``build_report(loaded, dataset)`` runs every section builder, keeps the
sections that have data (or that the params ask for), attaches the analyst's
commentary to the section it explains, numbers the sections (一、二、…) and
the tables and charts (表1, 图1, …), and gathers the key figures and risk
flags into the 主要指标与风险提示 section up front.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import replace

from fundreport.data.dataset import Dataset, load_dataset
from fundreport.data.from_detail import detail_summary, prepare
from fundreport.data.params import LoadedParams, load_params
from fundreport.report import invariants
from fundreport.report.context import Context
from fundreport.report.model import Chart, Commentary, Flag, KeyFigure, Paragraph, Report, Section, Table
from fundreport.report.sections_balance import balance, balance_sheet, other_funds
from fundreport.report.sections_budget import budget, budget_plan
from fundreport.report.sections_funds import income_expense
from fundreport.report.sections_other import appendix, history, performance
from fundreport.report.sections_people import enrolment, policy
from fundreport.report.sections_regions import subregions
from fundreport.report.sections_services import assistance, critical_illness, inpatient, maternity, outpatient
from fundreport.text import narrative as nv
from fundreport.text.labels import FLAG_KINDS, NO_DATA, NO_FLOWS, SECTIONS

BUILDERS: dict[str, Callable[[Context], Section | None]] = {
    "enrolment": enrolment,
    "policy": policy,
    "income_expense": income_expense,
    "budget": budget,
    "budget_plan": budget_plan,
    "balance": balance,
    "balance_sheet": balance_sheet,
    "subregions": subregions,
    "outpatient": outpatient,
    "inpatient": inpatient,
    "critical_illness": critical_illness,
    "maternity": maternity,
    "assistance": assistance,
    "other_funds": other_funds,
    "history": history,
    "performance": performance,
    "appendix": appendix,
}
"""Section code → builder; ``overview``, ``problems`` and ``plans`` are assembled here."""


def _overview(ctx: Context, built: list[Section]) -> Section:
    """Key figures and flags of every section; a sentence that says exactly what fired and what
    could not be assessed (a check that could not be made is never reported as "no risk")."""
    keys: list[KeyFigure] = [k for s in built for k in s.key_figures]
    flags: list[Flag] = [f for s in built for f in s.flags]
    missing = not any(s.code == "income_expense" for s in built)
    if missing:  # the table every risk rests on: nothing below is "no risk"
        flags.append(Flag("missing_input", NO_FLOWS, risk=None))
    summary = detail_summary(ctx.loaded)  # months missing from a knowingly partial extract, months left out
    partial = [Flag("detail_partial", w, risk=None) for w in (summary.warnings if summary else ())]
    flags += partial
    risks = [f for f in flags if f.risk]
    unknown = [f for f in flags if f.risk is None]
    band = nv.fmt_number(ctx.band_pp, 2, trim=True)
    basis = f"按设定的阈值（可支付月数区间、预算执行偏离±{band}个百分点、收不抵支）"
    counts = {}
    for f in risks:
        counts[FLAG_KINDS.get(f.code, f.code)] = counts.get(FLAG_KINDS.get(f.code, f.code), 0) + 1
    if risks:
        kinds = "、".join(f"{k}{n}项" for k, n in counts.items())
        text = f"{basis}，本期有{len(risks)}项风险提示：{kinds}"
    elif missing:
        text = f"{NO_FLOWS}，本期未作基金运行风险判断"
    else:
        text = f"{basis}，本期未发现风险提示"
    checked = [f for f in unknown if f.code == "self_check"]
    others = len(unknown) - missing - len(checked) - len(partial)
    text += f"；另有{others}项因数据不足无法评估，见下方列表" if others > 0 else ""
    text += "；医疗待遇所据的结算明细有缺月或未计入的月份，见下方列表" if partial else ""
    text += "".join(f"；{f.text}" for f in checked) + "。"
    return Section("overview", "", (Paragraph(text),), key_figures=tuple(keys), flags=tuple(flags))


def data_date(ctx: Context) -> str:
    """数据截至 of the report: the params' ``data_date``; else the dataset's ``data_date:<period>``; else its
    ``data_date``, unless that is after the end of the report period (a dataset compiled in 2025 holding 2023
    figures: the 2023 report's data are as at 2023-12-31)."""
    if ctx.params.data_date:
        return ctx.params.data_date
    meta = ctx.dataset.meta
    own = meta.get(f"data_date:{ctx.cur}")
    if own:
        return str(own)
    stated = str(meta.get("data_date", "") or "")
    p = ctx.period
    end = f"{p.year:04d}-{p.end_month:02d}-{calendar.monthrange(p.year, p.end_month)[1]:02d}"
    return end if stated and stated > end else stated


def build_from_context(ctx: Context) -> Report:
    """The report of a context (see the module docstring), checked by the report invariants
    (:mod:`fundreport.report.invariants`)."""
    built: dict[str, Section] = {}
    for code, fn in BUILDERS.items():
        sec = fn(ctx)
        if sec is not None:
            built[code] = sec
    built["overview"] = _overview(ctx, list(built.values()))
    report = _assemble(ctx, built)
    violations = invariants.check(report, ctx)
    if violations:  # seen, not silent: in the appendix and, as not assessed, in the risk panel
        if "appendix" in built:
            extra = (invariants.sentence(violations), invariants.table(violations))
            built["appendix"] = replace(built["appendix"], blocks=(*built["appendix"].blocks, *extra))
        text = f"报告自检发现{len(violations)}处数字问题（见附录“报告自检”），相关数字须核对后使用"
        probe = Section("selfcheck", "", (), flags=(Flag("self_check", text, risk=None),))
        built["overview"] = _overview(ctx, [s for c, s in built.items() if c != "overview"] + [probe])
        report = _assemble(ctx, built)
    return report


def _assemble(ctx: Context, built: dict[str, Section]) -> Report:
    """The report of the built sections: house order, titles, commentary, table and chart numbers."""
    p = ctx.params
    wanted = list(p.sections) if p.sections is not None else list(SECTIONS)
    overview = built["overview"]
    sections: list[Section] = []
    for code in [c for c in SECTIONS if c in wanted]:  # order is the house order
        sec = built.get(code)
        notes = tuple(p.commentary.get(code, ()))
        asked = p.sections is not None or code == "overview"
        if sec is None and not notes and not asked:
            continue
        blocks = sec.blocks if sec else ((Paragraph(NO_DATA),) if not notes else ())
        if notes:
            # a section of commentary only (问题, 下一步) is the analyst's text itself: no box title that
            # would repeat the section's heading
            blocks = (*blocks, Commentary(notes, "分析说明" if sec else ""))
        title = f"{nv.cn_number(len(sections) + 1)}、{SECTIONS[code]}"
        base = sec or Section(code, title, ())
        # a column with no figure in any row is left out (and named in the table's note)
        blocks = tuple(b.without_empty_columns() if isinstance(b, Table) else b for b in blocks)
        sections.append(replace(base, title=title, blocks=blocks))

    numbers: dict[str, int] = {}
    tables = charts = 0
    for sec in sections:
        for b in sec.blocks:
            if isinstance(b, Table):
                tables += 1
                numbers[b.id] = tables
            elif isinstance(b, Chart):
                charts += 1
                numbers[b.id] = charts
    meta = ctx.dataset.meta
    return Report(
        title=p.title,
        organisation=p.organisation or meta.get("compiled_by", "") or "",
        region=ctx.region,
        region_name=ctx.region_name,
        period=ctx.cur,
        period_label=ctx.label(),
        data_date=data_date(ctx),
        sections=tuple(sections),
        money_unit=ctx.unit,
        key_figures=overview.key_figures,
        flags=overview.flags,
        numbers=numbers,
    )


def build_report(loaded: LoadedParams, dataset: Dataset | None = None) -> Report:
    """The report of a validated params file; loads its dataset unless given."""
    ds = dataset if dataset is not None else load_dataset(prepare(loaded))
    return build_from_context(Context(loaded, ds))


def report_from_params(path: str) -> Report:
    """Validate a params file, load its data and build the report (raises InputError on bad input)."""
    return build_report(load_params(path))
