"""Section builders for history, performance targets and the appendix."""

from __future__ import annotations

from collections import Counter

from fundreport.data import vocab
from fundreport.data.periods import Period
from fundreport.data.tables import BY_CODE
from fundreport.figures.audit import SEVERITIES
from fundreport.figures.targets import judge_targets
from fundreport.report.context import Context
from fundreport.report.findings import coverage_sentence, findings_table, relative_source, unchecked_table
from fundreport.report.model import Chart, Column, Paragraph, Section, Table
from fundreport.text import narrative as nv
from fundreport.text.labels import FUND_SHORT, JUDGED, SEVERITY


def history(ctx: Context) -> Section | None:
    """历年情况: income and expense of the same months over every year in the data (≥3 years)."""
    df = ctx.dataset.fund_flows
    same = sorted(
        {
            p
            for p in df[df["region"] == ctx.region]["period"].unique()
            if (q := Period.parse(p)).start_month == ctx.period.start_month and q.end_month == ctx.period.end_month
        }
    )
    if len(same) < 3:
        return None
    data, rows = [], []
    for fund, p, flow in ctx.measures.history(same):
        inc, exp = flow.income.cur, flow.expense.cur
        rows.append((FUND_SHORT[fund], nv.period_label(p), inc, exp, flow.balance))
        for what, v in (("收入", inc), ("支出", exp)):
            if v is not None:
                data.append({"x": nv.period_label(p), "series": f"{FUND_SHORT[fund]}{what}", "y": v})
    cols = (
        Column("fund", "险种"),
        Column("period", "期间"),
        Column("income", "基金收入", "money"),
        Column("expense", "基金支出", "money"),
        Column("balance", "当期结余", "money"),
    )
    return Section(
        "history",
        "",
        (
            Table("t-history", "历年基金收支", cols, tuple(rows), note=f"单位：{ctx.unit}"),
            Chart("c-history", "trend", "历年基金收支", tuple(data), "x", "y", "series", ctx.unit),
        ),
    )


def _actual_text(result) -> str:
    if result.actual is None:
        return nv.MISSING
    unit = result.unit
    if unit == "%" or unit is None and abs(result.actual) <= 2 and "率" in result.name:
        return nv.fmt_percent(result.actual)
    if unit in {"万元", "亿元", "元"}:
        return nv.fmt_money(result.actual, unit)
    if unit in {"人", "人次", "万人"}:
        return nv.fmt_count(result.actual, unit)
    return nv.fmt_number(result.actual, 2)


def performance(ctx: Context) -> Section | None:
    """绩效自评: every target judged on the actual computed from the data (never a typed-in actual)."""
    results = judge_targets(ctx.dataset, ctx.region, ctx.cur, ctx.facts)
    if not results:
        return None
    rows = tuple(
        (
            FUND_SHORT.get(r.fund, r.fund),
            r.level2,
            r.name,
            r.target,
            _actual_text(r),
            r.stated_actual or "",
            JUDGED[r.achieved],
            r.reason,
        )
        for r in results
    )
    cols = (
        Column("fund", "险种"),
        Column("level2", "二级指标"),
        Column("name", "三级指标"),
        Column("target", "预期指标值"),
        Column("actual", "实际值（计算）"),
        Column("stated", "报表填报值"),
        Column("judged", "评价"),
        Column("reason", "说明"),
    )
    met = sum(r.achieved is True for r in results)
    missed = [r.name for r in results if r.achieved is False]
    text = f"共{len(results)}项绩效指标，按数据计算达成{met}项"
    text += f"，未达成{len(missed)}项（{nv.enumerate_cn(missed)}）" if missed else ""
    undecided = sum(r.achieved is None for r in results)
    text += f"，{undecided}项无法由数据判定" if undecided else ""
    return Section("performance", "", (Paragraph(text + "。"), Table("t-performance", "绩效指标自评", cols, rows)))


def appendix(ctx: Context) -> Section:
    """附录: the audit (findings with stated and recomputed values, the coverage of the stated figures and
    what could not be checked) and where every table came from (paths relative to the project)."""
    root = ctx.loaded.root
    au = ctx.audit
    regions = {f.region for f in au.findings} | {u.region for u in au.coverage.unchecked}
    names = {code: ctx.dataset.region_name(code) for code in sorted(regions)}
    counts = Counter(f.severity for f in au.findings)
    if au.findings:
        kinds = "、".join(f"{SEVERITY[s]}{counts[s]}处" for s in SEVERITIES if counts[s])
        text = (
            f"数据核对共发现{len(au.findings)}处不一致（{kinds}），详见下表；"
            "报告中的数字均由原始数据重新计算，不采用报表中的计算结果。"
        )
    else:
        text = "数据核对未发现不一致：分项与合计、结余与收支、上下级数据均相符。"
    blocks: list = [Paragraph(text), Paragraph(coverage_sentence(au.coverage))]
    source = ctx.dataset.meta.get("source", "")
    if source:
        blocks.append(Paragraph(f"数据来源：{source}。"))
    if au.findings:
        blocks.append(findings_table(au.findings, names, ctx.unit, root=root))
    if au.coverage.unchecked:
        blocks.append(unchecked_table(au.coverage, names, ctx.unit, root=root))
    blocks += _estimated_blocks(ctx)
    files = tuple(
        (BY_CODE[t].label if t in BY_CODE else t, relative_source(str(path), root))
        for t, path in sorted(ctx.dataset.files.items())
    )
    blocks.append(Table("t-sources", "数据文件", (Column("table", "数据表"), Column("file", "文件")), files))
    return Section("appendix", "", tuple(blocks))


def _estimated_blocks(ctx: Context) -> list:
    """推算数据: the back-computed inputs every "（推算）" figure rests on, with their method (备注)."""
    lines = ctx.measures.estimated_inputs()
    if not lines:
        return []
    rows = tuple(
        (
            ctx.dataset.region_name(e.region),
            nv.period_label(e.period),
            FUND_SHORT.get(e.fund, vocab.FUNDS.get_label(e.fund)),
            (vocab.ITEMS if e.table == "fund_flows" else vocab.ENROLMENT).get_label(e.item),
            nv.fmt_money(e.value, ctx.unit) if e.table == "fund_flows" else nv.fmt_count(e.value),
            e.method or "（未写明方法）",
        )
        for e in lines
    )
    cols = tuple(Column(k, label) for k, label in (("region", "地区"), ("period", "期间"), ("fund", "险种"),
                                                   ("item", "项目"), ("value", "推算数"), ("method", "推算方法")))  # fmt: skip
    text = (
        f"数据中有{len(lines)}个推算数（由公布的增速等倒推，并非报表所列），报告中以“（推算）”标注，"
        "由其算出的数值不用于核对报告所述数值。"
    )
    return [Paragraph(text), Table("t-estimated", "推算数据", cols, rows)]
