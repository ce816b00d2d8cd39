"""分地区待遇: utilisation of each sub-region (住院, 门诊) side by side, with small cells suppressed."""

from __future__ import annotations

from fundreport.data import vocab
from fundreport.report import privacy
from fundreport.report.context import Context
from fundreport.report.model import Column, Paragraph, Table
from fundreport.text import narrative as nv
from fundreport.text.labels import FUND_SHORT

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
