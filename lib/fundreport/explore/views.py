"""The explorer's views as pure functions: report tables stacked over periods or regions, and the ranking.

A view shows report tables, never figures of its own. An indicator
:class:`Family` names the report sections it comes from and the ids of their
tables; :func:`stack` takes the tables of several reports (one per period of
a region, or one per sub-region in a period), keeps the rows of the chosen
fund, and stacks them under a 期间 / 地区 key column. So a row of a view is,
cell for cell, a row of the report of that region and period.

:func:`ranking_table` ranks sub-regions from :class:`~fundreport.figures.measures.Measures`
(months of support, budget deviation, 住院 cost per visit) and returns a
report :class:`~fundreport.report.model.Table`. Nothing here needs a widget.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from fundreport.data import vocab
from fundreport.figures.values import RankingLine
from fundreport.report.model import Chart, Column, Section, Table
from fundreport.text import narrative as nv
from fundreport.text.labels import FUND_SHORT

MODES = (("单一地区·跨期间", "periods"), ("各下级地区·单一期间", "regions"))
RANKINGS = (
    ("可支付月数（低→高）", "months"),
    ("预算执行偏离（大→小）", "deviation"),
    ("次均住院费用（高→低）", "per_visit"),
)


@dataclass(frozen=True)
class Family:
    """An indicator family: the report sections it shows and the ids of their tables.

    ``tables``: exact ids, or prefixes ending with ``-`` (``t-outpatient-`` matches
    ``t-outpatient-employee``). ``labels``: column labels that replace labels naming
    a period (``2021年``), which would be wrong once tables of several periods are stacked.
    """

    code: str
    label: str
    sections: tuple[str, ...]
    tables: tuple[str, ...]
    item: str
    labels: tuple[tuple[str, str], ...] = ()

    def wants(self, table_id: str) -> bool:
        return any(table_id == t or (t.endswith("-") and table_id.startswith(t)) for t in self.tables)

    def tables_of(self, sections: Iterable[Section | None]) -> list[Table]:
        """The family's tables among the blocks of these sections, in order."""
        return [b for s in sections if s is not None for b in s.blocks if isinstance(b, Table) and self.wants(b.id)]


_PERIOD_LABELS = (("n", "参保人数"), ("prev", "比较期"), ("budget", "年度预算数"), ("executed", "执行数"))

FAMILIES: tuple[Family, ...] = (
    Family(
        "flows", "收支", ("income_expense", "other_funds", "history"), ("t-income-expense", "t-other-funds"), "险种"
    ),
    Family("balance", "结余与可支付月数", ("balance", "subregions"), ("t-balance",), "险种"),
    Family("budget", "预算执行", ("budget",), ("t-budget",), "项目", _PERIOD_LABELS),
    Family("enrolment", "参保", ("enrolment",), ("t-enrolment",), "险种", _PERIOD_LABELS),
    Family("outpatient", "门诊", ("outpatient",), ("t-outpatient-",), "类别"),
    Family("inpatient", "住院", ("inpatient",), ("t-inpatient-",), "类别"),
    Family("critical_illness", "大病保险", ("critical_illness",), ("t-critical_illness-",), "类别"),
    Family("maternity", "生育保险", ("maternity",), ("t-maternity-",), "类别"),
    Family("assistance", "医疗救助", ("assistance",), ("t-assistance-",), "类别"),
)
FAMILY = {f.code: f for f in FAMILIES}


def related_funds(fund: str) -> set[str]:
    """A fund with its parent and parts (职工 ↔ 统筹基金 / 个人账户): rows of either concern it."""
    out = {fund}
    term = vocab.FUNDS.term(fund)
    if term.parent:
        out.add(term.parent)
    out |= {t.code for t in vocab.FUNDS if t.parent == fund}
    return out


@dataclass(frozen=True)
class Part:
    """The tables of one report in a view: its key (期间 or 地区 label) and whether it is the owner's total."""

    key: str
    tables: tuple[Table, ...]
    total: bool = False


def stack(
    family: Family, parts: list[Part], *, key_label: str, fund: str = "", title: str = "", note: str = ""
) -> Table | None:
    """The family's tables of several reports stacked under a key column; None when no row remains.

    Columns are the union of the tables' columns by key (first label wins, then
    ``family.labels``); the first column of each table becomes the item column.
    With ``fund``, only rows about that fund or its parent and parts are kept
    (rows of tables without ``row_funds`` are kept). A total row of a table, or
    every row of the owner's report in the regions view, is a total row.
    """
    wanted = related_funds(fund) if fund else None
    columns: dict[str, Column] = {}
    gathered: list[tuple[str, dict, bool]] = []
    for part in parts:
        for t in part.tables:
            keys = ["item", *(c.key for c in t.columns[1:])]
            for c in t.columns[1:]:
                columns.setdefault(c.key, c)
            for i, row in enumerate(t.rows):
                if wanted is not None and t.row_funds and t.row_funds[i] not in wanted:
                    continue
                gathered.append((part.key, dict(zip(keys, row, strict=True)), part.total or i in t.total_rows))
    if not gathered:
        return None
    relabel = dict(family.labels)
    cols = (
        Column("key", key_label),
        Column("item", family.item),
        *(Column(c.key, relabel.get(c.key, c.label), c.fmt) for c in columns.values()),
    )
    rows = tuple((key, *(vals.get(c.key) for c in cols[1:])) for key, vals, _ in gathered)
    totals = frozenset(i for i, (_, _, total) in enumerate(gathered) if total)
    return Table(f"explore-{family.code}", title, cols, rows, totals, note)


def view_rows(table: Table | None) -> list[dict]:
    """The rows of a view as dicts keyed by column key (for charts and tests)."""
    if table is None:
        return []
    keys = [c.key for c in table.columns]
    return [dict(zip(keys, r, strict=True)) | {"_total": i in table.total_rows} for i, r in enumerate(table.rows)]


# -- charts -------------------------------------------------------------------------


def view_chart(
    fam: Family, table: Table | None, *, trend: bool, title: str, unit: str, cuts: tuple[float, ...]
) -> Chart | None:
    """The chart of a view: income/expense bars or trend, months of support with band lines, execution
    rates, persons, or fund paid; ``trend`` draws periods as lines when the view has two or more."""
    # a doubtful cell (数据存疑) is not drawn: charts show numbers only
    rows = [{k: (None if getattr(v, "doubtful", False) else v) for k, v in r.items()} for r in view_rows(table)]
    if not rows:
        return None
    keys = list(dict.fromkeys(r["key"] for r in rows))
    items = list(dict.fromkeys(r["item"] for r in rows))

    def x(r: dict) -> str:
        if len(keys) == 1:
            return r["item"]
        return r["key"] if len(items) == 1 else f"{r['key']} {r['item']}"

    trend = trend and len(keys) >= 2
    data: list[dict] = []
    if fam.code == "flows":
        for r in rows:
            for what, key in (("收入", "income"), ("支出", "expense")):
                if r.get(key) is not None:
                    if trend:
                        data.append({"x": r["key"], "series": f"{r['item']}{what}", "y": r[key]})
                    else:
                        data.append({"x": x(r), "series": what, "y": r[key]})
        return Chart("x-flows", "trend" if trend else "bars", title, tuple(data), "x", "y", "series", unit)
    if fam.code == "balance":
        for r in rows:
            for series, key in (("账面", "months"), ("实际", "adj_months")):
                if r.get(key) is not None:
                    data.append({"x": x(r), "series": series, "y": r[key]})
        if data:
            return Chart("x-months", "months", title, tuple(data), "x", "y", "series", cuts=cuts, ylabel="个月")
        for r in rows:  # no expense, so no months: the balances themselves
            for series, key in (("累计结余", "cumulative"), ("实际结余", "adjusted")):
                if r.get(key) is not None:
                    data.append({"x": x(r), "series": series, "y": r[key]})
        return Chart("x-balance", "bars", title, tuple(data), "x", "y", "series", unit)
    if fam.code == "budget":
        data = [{"x": x(r), "y": r["rate"]} for r in rows if r.get("rate") is not None]
        return Chart("x-budget", "rates", f"{title}：预算执行率", tuple(data), "x", "y", ylabel="%")
    if fam.code == "enrolment":
        data = [{"x": x(r), "y": r["n"]} for r in rows if r.get("n") is not None]
        return Chart("x-enrolment", "bars", f"{title}：参保人数", tuple(data), "x", "y", unit="万人", ylabel="万人")
    picked = [r for r in rows if r.get("fund_paid") is not None]
    if len(picked) > 12:
        picked = [r for r in picked if r["_total"]]
    data = [{"x": x(r), "y": r["fund_paid"]} for r in picked]
    return Chart("x-services", "bars", f"{title}：基金支付", tuple(data), "x", "y", unit=unit)


# -- ranking ---------------------------------------------------------------------------


def _rank_value(by: str) -> Callable[[RankingLine], float | None]:
    """Sort key of a ranking criterion (smaller first); None when the line lacks the figure."""
    if by == "months":
        return lambda x: x.support.shown_months
    if by == "deviation":
        return lambda x: None if x.deviation is None else -abs(x.deviation)
    return lambda x: None if x.per_visit_cost is None else -x.per_visit_cost


RANKING_COLUMNS = (
    Column("rank", "排名", "count"),
    Column("area", "地区"),
    Column("fund", "险种"),
    Column("cumulative", "累计结余", "money"),
    Column("adjusted", "实际结余", "money"),
    Column("months", "可支付月数", "months"),
    Column("band", "区间"),
    Column("adj_months", "实际可支付月数", "months"),
    Column("adj_band", "实际区间"),
    Column("deviation", "预算执行偏离（百分点）", "points"),
    Column("per_visit", "次均住院费用（元）", "per"),
    Column("risk", "提示"),
)


def ranking_table(
    lines: Iterable[RankingLine], by: str, names: dict[str, str], *, title: str, note: str
) -> tuple[Table, int]:
    """Sub-regions ranked by ``by`` (months, deviation, per_visit); lines lacking the figure come last, unranked.

    Returns the table and how many lines lack the figure.
    """
    lines = list(lines)
    value = _rank_value(by)
    ranked = sorted(lines, key=lambda x: (value(x) is None, value(x) or 0))
    rows, n = [], 0
    for x in ranked:
        known = value(x) is not None
        n += known
        s = x.support
        rows.append(
            (
                n if known else None,
                names.get(x.region, x.region),
                FUND_SHORT.get(x.fund, x.fund),
                s.cumulative,
                s.adjusted,
                s.months,
                s.band.label if s.band else "—",
                s.adj_months,
                s.adj_band.label if s.adj_band else "—",
                x.deviation,
                x.per_visit_cost,
                "⚠ 风险" if x.at_risk else "",
            )
        )
    missing = sum(value(x) is None for x in lines)
    return Table("explore-ranking", title, RANKING_COLUMNS, tuple(rows), note=note), missing


def ranking_note(unit: str, cuts: Iterable[float], band_pp: float) -> str:
    cut_text = "、".join(nv.fmt_number(c, 2, trim=True) for c in cuts)
    return (
        f"金额单位：{unit}；可支付月数区间分界 {cut_text} 个月；"
        f"预算执行偏离为各预算项目中偏离时间进度最大者，超过±"
        f"{nv.fmt_number(band_pp, 2, trim=True)}个百分点提示风险"
    )
