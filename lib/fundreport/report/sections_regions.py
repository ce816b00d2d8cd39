"""Report section 分地区情况: each sub-region's fund flows, balances and months of support (with their flags,
grouped when many), its deficits over the years, and its utilisation (住院, 门诊) side by side, with small cells
suppressed."""

from __future__ import annotations

from fundreport.data import vocab
from fundreport.figures.measures import SUPPORT_FUNDS
from fundreport.figures.values import ABOVE_CEILING
from fundreport.report import privacy
from fundreport.report.context import Context
from fundreport.report.model import Chart, Column, Flag, Paragraph, Section, Table
from fundreport.report.sections_funds import _implausible, _months_cell, _subregion_band_flags
from fundreport.text import narrative as nv
from fundreport.text.labels import FUND_SHORT, FUND_SUBJECT

SERVICES = ("inpatient_total", "outpatient_total")
FUNDS = ("employee", "resident")


def subregion_services(ctx: Context) -> list:
    """Per fund and service (住院合计, 门诊合计): each sub-region's 人数, 人次, 医疗总费用, 基金支付, 次均费用,
    次均基金支付 (= 基金支付 ÷ 人次) and 政策范围内报销比例 (= 基金支付 ÷ 政策范围内费用), with the report
    region as the total row; rows of fewer than ``min_cell_persons`` persons are suppressed
    (:mod:`fundreport.report.privacy`). Shown when at least two sub-regions have figures."""
    k = ctx.params.min_cell_persons
    names = {c: ctx.dataset.region_name(c) for c in ctx.children}
    blocks: list = []
    for fund in FUNDS:
        for service in SERVICES:
            lines = ctx.measures.region_services(fund, service)
            rows = [
                (
                    "合计" if region == ctx.region else names.get(region, region),
                    s.persons.cur,
                    s.visits.cur,
                    s.total_cost.cur,
                    s.fund_paid.cur,
                    s.cost_per.cur,
                    s.per_visit.cur,
                    s.inscope_ratio.cur,
                )
                for region, s in lines
            ]
            children = [r for (region, _), r in zip(lines, rows, strict=True) if region != ctx.region]
            total = [r for (region, _), r in zip(lines, rows, strict=True) if region == ctx.region]
            if len(children) < 2:
                continue
            shown, hidden = privacy.suppress(children, lambda r: r[1] if r[1] is not None else r[2], range(1, 8), k)
            cols = (
                Column("area", "地区"),
                Column("persons", "人数", "count"),
                Column("visits", "人次", "visits"),
                Column("cost", "医疗总费用", "money"),
                Column("paid", "基金支付", "money"),
                Column("cost_per", "次均费用（元）", "per"),
                Column("per", "次均基金支付（元）", "per"),
                Column("inscope", "政策范围内报销比例", "percent"),
            )
            what = vocab.SERVICES.get_label(service).replace("合计", "")
            note = f"金额单位：{ctx.unit}"
            if hidden:
                note += "；" + privacy.note(k)
            table = Table(
                f"t-sub-{fund}-{service}",
                nv.compose(f"各地区{FUND_SHORT[fund]}", what, "待遇情况"),
                cols,
                tuple([*shown, *total]),
                frozenset({len(shown)}) if total else frozenset(),
                note,
            ).without_empty_columns()
            paid = [(r[0], r[4]) for r in shown if isinstance(r[4], float | int)]
            if len(paid) >= 2 and not hidden:  # with hidden rows, the largest shown need not be the largest
                top = max(paid, key=lambda x: x[1])
                blocks.append(
                    Paragraph(
                        f"{ctx.label()}，各地区中{FUND_SHORT[fund]}{what}基金支付最多的是{top[0]}"
                        f"（{nv.fmt_money(top[1], ctx.unit)}）。"
                    )
                )
            blocks.append(table)
    return blocks


def subregions(ctx: Context) -> Section | None:
    """分地区: balance and months of support per sub-region; 收不抵支 counts (also over years)."""
    u, blocks, flags = ctx.unit, [], []
    names = {c: ctx.dataset.region_name(c) for c in ctx.children}
    for fund in ("employee_pool", "resident", "employee", "maternity"):
        rows, chart = [], []
        lines = ctx.measures.subregions(fund)
        judged = fund in SUPPORT_FUNDS  # months of support are judged on the same funds as the region's own
        banded: dict[tuple[str, str], list[tuple[str, float]]] = {}
        for line in lines:
            child, flow, s = line.region, line.flow, line.support
            band, adj_band = (s.band, s.adj_band) if judged else (None, None)
            why, adj_why = _implausible(ctx, s, s.implausible), _implausible(ctx, s, s.adj_implausible)
            rows.append(
                (
                    names[child],
                    flow.income.cur,
                    flow.expense.cur,
                    flow.balance,
                    s.cumulative,
                    _months_cell(s.months, s.implausible, why) if judged else None,
                    band.label if band else "—",
                    s.adjusted,
                    _months_cell(s.adj_months, s.adj_implausible, adj_why) if judged else None,
                    adj_band.label if adj_band else "—",
                )
            )
            if judged and s.shown_months is not None:
                chart.append(
                    {"x": names[child], "series": "实际" if s.adj_months is not None else "账面", "y": s.shown_months}
                )
            for which, m, b in (("", s.months, band), ("实际", s.adj_months, adj_band)):
                if b is not None and b.risk:
                    banded.setdefault((which, b.label, ""), []).append((child, m))
        if not rows:
            continue
        # months the source states for sub-regions whose expense the data lacks: shown as the source's figures,
        # and judged as such (a district with 1 month of support in the table is a flag, never "无法评估")
        stated = [
            ctx.measures.stated_value(fund, "months_of_support_adjusted", line.region)
            if line.support.adj_months is None and judged
            else None
            for line in lines
        ]
        for line, v in zip(lines, stated, strict=True):
            b = ctx.measures.band(v) if v is not None and line.support.months is None else None
            if b is not None and b.risk:
                banded.setdefault(("实际", b.label, "原报告所列"), []).append((line.region, v))
        flags += _subregion_band_flags(ctx, fund, banded, names)
        odd = [names[x.region] for x in lines if x.support.implausible == ABOVE_CEILING] if judged else []
        if odd:
            flags.append(
                Flag(
                    "not_assessed",
                    f"{len(odd)}个下级地区{FUND_SHORT[fund]}可支付月数不作判断（超过"
                    f"{nv.fmt_number(ctx.params.thresholds.months_ceiling, 2, trim=True)}个月，本期支出基数异常："
                    f"{nv.enumerate_cn(odd)}）",
                    risk=None,
                    fund=fund,
                )
            )
        unknown = [
            names[x.region]
            for x, v in zip(lines, stated, strict=True)
            if x.support.months is None and not x.support.implausible and v is None
        ]
        if judged and unknown:
            flags.append(
                Flag(
                    "not_assessed",
                    f"{len(unknown)}个下级地区{FUND_SHORT[fund]}可支付月数无法评估（缺少本期基金支出或累计结余："
                    f"{nv.enumerate_cn(unknown)}）",
                    risk=None,
                    fund=fund,
                )
            )
        moves = ctx.measures.band_moves(fund)
        if moves:
            worse = [m for m in moves if m[2].low is None or (m[1].low is not None and m[2].low < m[1].low)]
            detail = nv.enumerate_cn(f"{names[c]}由“{a.label}”变为“{b.label}”" for c, a, b in moves)
            blocks.append(
                Paragraph(
                    f"与{ctx.comparator}相比，{len(moves)}个地区{FUND_SUBJECT[fund]}可支付月数区间发生变化，"
                    f"其中{len(worse)}个下降：{detail}。"
                )
            )
        funded = [names[x.region] for x in lines if x.flow.transfer_funded]
        if funded:
            blocks.append(
                Paragraph(
                    f"{nv.enumerate_cn(funded)}的{FUND_SUBJECT[fund]}主要依靠上级补助（本级收入占含上级补助收入不足"
                    f"{nv.fmt_percent(ctx.params.thresholds.own_income_share)}），未按本级收入计算结余、计入收不抵支统计。"
                )
            )
        deficit = ctx.measures.deficit(lines)
        if deficit.areas:
            blocks.append(
                Paragraph(
                    nv.sentence_deficit_areas(
                        deficit.deficit_count,
                        total=deficit.areas,
                        shortfall=deficit.shortfall if deficit.deficit_count else None,
                        names=[names[c] for c in deficit.deficit_areas],
                        unit=u,
                        scope=f"{FUND_SUBJECT[fund]}",
                        period=ctx.period,
                        period_style=ctx.params.period_style,
                    )
                )
            )
            if deficit.deficit_count:
                flags.append(
                    Flag(
                        "deficit_areas",
                        f"{FUND_SHORT[fund]}{deficit.deficit_count}个统筹区当期收不抵支（"
                        f"{nv.enumerate_cn(names[c] for c in deficit.deficit_areas)}）",
                        fund=fund,
                    )
                )
        cols = (
            Column("area", "地区"),
            Column("income", "基金收入", "money"),
            Column("expense", "基金支出", "money"),
            Column("balance", "当期结余", "money"),
            Column("cumulative", "累计结余", "money"),
            Column("months", "可支付月数", "months"),
            Column("band", "区间"),
            Column("adjusted", "实际结余", "money"),
            Column("adj_months", "实际可支付月数", "months"),
            Column("adj_band", "区间"),
        )
        keep = [i for i, c in enumerate(cols) if i < 1 or any(r[i] not in (None, "—") for r in rows)]
        cols = tuple(cols[i] for i in keep)
        rows = [tuple(r[i] for i in keep) for r in rows]
        note = f"单位：{u}"
        if any(v is not None for v in stated):
            cols += (Column("stated_months", "实际可支付月数（报告值）", "months"),)
            rows = [(*r, v) for r, v in zip(rows, stated, strict=True)]
            note += "；实际可支付月数（报告值）为原报告所列，数据中没有各地区的基金支出，本报告未能核算"
        table = Table(
            f"t-sub-{fund}", nv.compose(f"各地区{FUND_SHORT[fund]}", "基金运行情况"), cols, tuple(rows), note=note
        )
        blocks.append(table)
        if len(chart) >= 2:
            blocks.append(
                Chart(
                    f"c-sub-{fund}",
                    "months",
                    f"各地区{FUND_SHORT[fund]}可支付月数",
                    tuple(chart),
                    "x",
                    "y",
                    "series",
                    cuts=ctx.cuts,
                    ylabel="个月",
                )
            )
    blocks += _deficit_history(ctx)
    blocks += subregion_services(ctx)
    if not blocks:
        return None
    return Section("subregions", "", tuple(blocks), flags=tuple(flags))


def _deficit_history(ctx: Context) -> list:
    """收不抵支 over years from the deficit_summary table (counts as given by the source)."""
    df = ctx.dataset.deficit_summary
    df = df[df["region"] == ctx.region].sort_values("period")
    if df.empty:
        return []
    out: list = []
    for fund, part in df.groupby("fund", sort=False):
        rows = [
            (
                nv.period_label(r["period"]),
                r["areas_total"],
                r["areas_deficit"],
                r["deficit_amount"],
                r["surplus_amount"],
            )
            for r in part.to_dict("records")
        ]
        cols = (
            Column("year", "年度"),
            Column("areas", "统筹区数", "count"),
            Column("deficit", "收不抵支统筹区数", "count"),
            Column("shortfall", "收不抵支金额", "money"),
            Column("surplus", "其余统筹区结余", "money"),
        )
        out.append(
            Table(
                f"t-deficit-{fund}",
                f"{FUND_SHORT[fund]}历年当期收不抵支情况",
                cols,
                tuple(rows),
                note=f"单位：{ctx.unit}",
            )
        )
        data = tuple(
            {"x": r[0], "series": series, "y": v}
            for r in rows
            for series, v in (("统筹区数", r[1]), ("收不抵支统筹区数", r[2]))
        )
        out.append(
            Chart(
                f"c-deficit-{fund}",
                "bars",
                f"{FUND_SHORT[fund]}历年收不抵支统筹区数",
                data,
                "x",
                "y",
                "series",
                "个",
                ylabel="统筹区数（个）",
            )
        )
        years = [r[0] for r in rows if r[2]]
        out.append(
            Paragraph(
                f"{nv.period_label(part['period'].iloc[0])}至{nv.period_label(part['period'].iloc[-1])}，"
                + (
                    f"{FUND_SUBJECT[fund]}出现当期收不抵支的有{nv.enumerate_cn(years)}。"
                    if years
                    else f"{FUND_SUBJECT[fund]}各统筹区均未出现当期收不抵支。"
                )
            )
        )
    return out
