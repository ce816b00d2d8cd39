"""Report invariants: what a section chief would catch on a printed page, checked on every build.

Each rule is a function ``rule_*(report, ctx) -> list[Violation]`` over the built :class:`Report` (the figures
as printed: rows, notes, flags), so it holds for any region, not only the samples. :func:`check` runs them
all; the build puts any violation in the appendix (报告自检) and in the risk panel as something that could not
be assessed, so it is seen instead of printed as a silent number; the tests fail on any.

Rules (one line each):

- ``total_parts``: a 合计 row of a fund table equals the sum of its printed fund rows (职工 or its 统筹基金,
  居民, 生育) within rounding, or its note names the difference (报告所列合计数…不符);
- ``lines_add_up``: in a statement, the lines under a total add up to it (the residual row included);
- ``residual_explained``: a negative 未列明项目 (listed parts above their total) has its audit finding;
- ``shares_bounded``: shares of one denominator in a table (占…比重) are none of them negative and add up to
  at most 100 % over the rows that are not 其中 rows; with a 合计 row at 100 % they add up to 100 %;
- ``months_plausible``: no printed months of support is negative or above the ceiling (params
  ``thresholds.months_ceiling``);
- ``flags_reach_panel``: every risk band a table marks (严重不足, 不足, 过多结余) has a flag in the risk panel;
- ``not_assessed_is_true``: "可支付月数无法评估" is never said of a fund whose months the report prints, and
  every such flag names what is missing or why;
- ``panel_points_to_figure``: every risk in the panel names its figure, and each figure it names (18.5个月,
  92.18%, 1260.35万元, 7.82个百分点) is printed, as the same string, in a table of the report;
- ``no_ratio_on_transfers``: a fund funded mostly by transfers (本级收入 under ``own_share_floor`` of its income
  with 上级补助) has no printed 结余率 and no 收不抵支 risk judged on its own income (the report says why
  instead; the 暂付款 ratio is computed on 垫付 and 异地预付 only, never on money remitted upwards).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fundreport.data import vocab
from fundreport.figures.audit import comparison_family
from fundreport.report.context import Context
from fundreport.report.model import Column, Flag, Paragraph, Report, Table
from fundreport.text import narrative as nv
from fundreport.text.labels import FUND_SHORT, RESIDUAL

FUND_TABLES = ("t-income-expense", "t-income-expense-change", "t-balance", "t-cumulative")
EMPLOYEE_ROWS = ("employee_pool", "employee_account")
SUB = "其中"


@dataclass(frozen=True)
class Violation:
    """One broken invariant: the rule, the table or flag it is in, and what is wrong (Chinese)."""

    rule: str
    where: str
    message: str


def _num(v) -> float | None:
    if v is None or getattr(v, "doubtful", False) or isinstance(v, str | bool):
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _tables(report: Report) -> list[Table]:
    return [b for s in report.sections for b in s.blocks if isinstance(b, Table)]


def _step(report: Report) -> float:
    """Half the last printed digit of money (元): 0.01 of the report's money unit / 2."""
    code = vocab.UNITS.resolve(report.money_unit)
    factor = vocab.UNITS.term(code).factor if code else 1.0
    return 0.005 * factor


def _members(t: Table, key: str, ctx: Context) -> tuple[str, ...] | None:
    """The funds the 合计 of column ``key`` of a fund table holds (from the measures), None when it is the
    source's own total that no part confirms (its note says so)."""
    if t.id in {"t-balance", "t-cumulative"}:
        basis = ctx.measures.cumulative_sum()[1]
    else:
        bases = ctx.measures.flow("all_funds").bases
        if bases is None:
            return None
        side = 0 if key.startswith("income") else 1 if key.startswith("expense") else None
        basis = bases[side] if side is not None else bases[0] if bases[0].members == bases[1].members else None
        if basis is None:
            return None
    return basis.members or None


def rule_total_parts(report: Report, ctx: Context) -> list[Violation]:
    out = []
    for t in _tables(report):
        if t.id not in FUND_TABLES or "all_funds" not in t.row_funds:
            continue
        by = dict(zip(t.row_funds, t.rows, strict=True))
        total = by["all_funds"]
        for i, col in enumerate(t.columns):
            whole = _num(total[i])
            if col.fmt not in {"money", "change"} or whole is None:
                continue
            members = _members(t, col.key, ctx)
            if members is None:
                if "报告所列合计数" not in t.note:
                    out.append(Violation("total_parts", f"{t.title}·{col.label}", "合计的构成不明，表注未说明"))
                continue
            where = f"{t.title}·{col.label}"
            if "employee" in members and "employee" not in by and {"employee_pool", "employee_account"} <= set(by):
                # 职工 completed from its parts: the parts are its printed rows
                members = tuple(x for f in members for x in ((f,) if f != "employee" else EMPLOYEE_ROWS))
            absent = [f for f in members if f not in by]
            if absent:
                names = "、".join(FUND_SHORT[f] for f in absent)
                out.append(Violation("total_parts", where, f"合计含{names}，表中未列出"))
                continue
            parts = [_num(by[f][i]) for f in members]
            if None in parts:
                continue  # a doubtful or missing cell is not summed (the cell says why)
            diff = whole - sum(parts)  # type: ignore[arg-type]
            if abs(diff) > _step(report) * (len(parts) + 1) + 1e-6 and "不符" not in t.note:
                names = "、".join(FUND_SHORT[f] for f in members)
                out.append(Violation("total_parts", where, f"合计与{names}之和相差{diff:.2f}元，表注未说明"))
    return out


def rule_lines_add_up(report: Report, ctx: Context) -> list[Violation]:
    out = []
    for t in _tables(report):
        if not t.id.startswith("t-lines-"):
            continue
        keys = [c.key for c in t.columns]
        rows = [dict(zip(keys, r, strict=True)) for r in t.rows]

        def depth(label: str) -> int:
            return len(label) - len(label.lstrip("　"))

        for i, r in enumerate(rows):
            d = depth(r["item"])
            kids = []
            for s in rows[i + 1 :]:
                if depth(s["item"]) <= d:
                    break
                if depth(s["item"]) == d + 1:
                    kids.append(s)
            for col in ("cur", "prev"):
                vals = [_num(k.get(col)) for k in kids]
                whole = _num(r.get(col))
                if not kids or whole is None or None in vals:
                    continue
                if abs(sum(vals) - whole) > 1e-6 * max(1.0, abs(whole)):  # type: ignore[arg-type]
                    out.append(Violation("lines_add_up", f"{t.title}·{r['item'].strip()}", "所列分项之和不等于合计"))
    return out


def _is_share(col) -> bool:
    return col.fmt == "percent" and (bool(col.share_of) or "share" in col.key or "占" in col.label)


def _is_sub(row: tuple) -> bool:
    """A 其中 row (or a row indented under another): not a part of the partition above it."""
    texts = [c for c in row if isinstance(c, str)]
    return any(c.startswith("　") or c.lstrip("　").startswith(SUB) for c in texts)


def rule_shares_bounded(report: Report, ctx: Context) -> list[Violation]:
    out = []
    for t in _tables(report):
        keys = [c.key for c in t.columns]
        for i, col in enumerate(t.columns):
            if not _is_share(col) or col.key.endswith(("_prev", "_change", "_pp")):
                continue
            where = f"{t.title}·{col.label}"
            values = [(j, _num(r[i])) for j, r in enumerate(t.rows)]
            if any(v is not None and v < -1e-9 for _, v in values):
                out.append(Violation("shares_bounded", where, "比重为负，构成无意义"))
                continue
            if col.share_of in ("", "row"):
                continue  # no common denominator declared
            groups: dict[object, list[float]] = {}
            whole: dict[object, bool] = {}
            g = keys.index(col.share_of) if col.share_of in keys else None
            for j, v in values:
                key = t.rows[j][g] if g is not None else None
                if j in t.total_rows:
                    whole[key] = whole.get(key, False) or (v is not None and abs(v - 1) < 1e-9)
                elif v is not None and not _is_sub(t.rows[j]):
                    groups.setdefault(key, []).append(v)
            for key, parts in groups.items():
                total = sum(parts)
                slack = 0.0005 * (len(parts) + 1)
                name = f"{where}（{key}）" if key is not None else where
                if total > 1 + slack:
                    out.append(Violation("shares_bounded", name, f"同一分母的比重之和为{total:.2%}，超过100%"))
                elif whole.get(key) and abs(total - 1) > slack:
                    out.append(Violation("shares_bounded", name, f"构成之和为{total:.2%}，不等于100%"))
    return out


def rule_months_plausible(report: Report, ctx: Context) -> list[Violation]:
    ceiling = ctx.params.thresholds.months_ceiling
    out = []
    for t in _tables(report):
        for i, col in enumerate(t.columns):
            if col.fmt != "months" or "报告值" in col.label:
                continue  # the source's own stated months are printed as the source's
            for r in t.rows:
                v = _num(r[i])
                if v is not None and (v < 0 or v > ceiling):
                    out.append(
                        Violation("months_plausible", f"{t.title}·{r[0]}", f"可支付月数{v:.1f}超出0至{ceiling:g}个月")
                    )
    return out


RISK_BANDS = ("严重不足", "不足", "过多结余")


def _flag_for(flags: list[Flag], fund: str, name: str) -> bool:
    return any(
        f.code == "months_band" and f.fund == fund and (name in f.text or "个下级地区" in f.text or not name)
        for f in flags
    )


def rule_flags_reach_panel(report: Report, ctx: Context) -> list[Violation]:
    flags = list(report.flags)
    out = []
    for t in _tables(report):
        bands = [i for i, c in enumerate(t.columns) if c.key in {"band", "adj_band"}]
        if not bands:
            continue
        sub = t.id.startswith("t-sub-")
        fund_of_table = t.id.removeprefix("t-sub-") if sub else ""
        for j, r in enumerate(t.rows):
            fund = fund_of_table or (t.row_funds[j] if j < len(t.row_funds) else "")
            for i in bands:
                if r[i] in RISK_BANDS and not _flag_for(flags, fund, str(r[0]) if sub else ""):
                    out.append(Violation("flags_reach_panel", f"{t.title}·{r[0]}", f"表中标为“{r[i]}”，风险提示中没有"))
    return out


def rule_not_assessed_is_true(report: Report, ctx: Context) -> list[Violation]:
    out = []
    balance = next((t for t in _tables(report) if t.id == "t-balance"), None)
    shown = set()
    if balance is not None:
        keys = [c.key for c in balance.columns]
        for f, r in zip(balance.row_funds, balance.rows, strict=True):
            if any(_num(r[keys.index(k)]) is not None for k in ("months", "adj_months") if k in keys):
                shown.add(f)
    for f in report.flags:
        if f.risk is not None:
            continue
        if "可支付月数无法评估" in f.text and f.fund in shown and not f.region and "下级地区" not in f.text:
            out.append(Violation("not_assessed_is_true", f.text, "报告已列出该险种的可支付月数"))
        if "（" not in f.text and f.code != "missing_input":
            out.append(Violation("not_assessed_is_true", f.text, "无法评估未说明缺少什么或原因"))
    return out


def rule_residual_explained(report: Report, ctx: Context) -> list[Violation]:
    out = []
    sums = {(f.fund, f.period) for f in ctx.audit.findings if f.check in {"sum", "inter_level"}}
    for t in _tables(report):
        if not t.id.startswith("t-lines-"):
            continue
        fund = t.id.removeprefix("t-lines-")
        keys = [c.key for c in t.columns]
        for r in t.rows:
            if RESIDUAL not in str(r[0]):
                continue
            for col, period in (("cur", ctx.cur), ("prev", ctx.measures.prev)):
                v = _num(r[keys.index(col)]) if col in keys else None
                if v is not None and v < 0 and not any((f, period) in sums for f in comparison_family(fund)):
                    out.append(
                        Violation("residual_explained", f"{t.title}·{col}", "未列明项目为负，附录没有对应的核对发现")
                    )
    return out


FIGURE = re.compile(r"(?<![\d.])(\d[\d,]*(?:\.\d+)?)(?=个月|%|万元|亿元|个百分点)")
"""A figure as a flag writes it: a number and its unit (a count of regions or a year is not a figure)."""


def _printed(report: Report) -> set[str]:
    """Every number printed in a table of the report, as its cell shows it (no sign, no separators)."""
    out = set()
    for t in _tables(report):
        for r in t.rows:
            for col, v in zip(t.columns, r, strict=False):
                shown = nv.fmt_cell(v, col.fmt, unit=report.money_unit)
                out.update(m.replace(",", "") for m in re.findall(r"\d[\d,]*(?:\.\d+)?", shown))
    return out


def rule_panel_points_to_figure(report: Report, ctx: Context) -> list[Violation]:
    printed = _printed(report)
    out = []
    for f in report.flags:
        if f.risk is not True:
            continue
        named = [m.replace(",", "") for m in FIGURE.findall(f.text)]
        if not named:
            out.append(Violation("panel_points_to_figure", f.text, "风险提示未写明所依据的数字"))
        missing = [n for n in named if n not in printed]
        if missing:
            out.append(Violation("panel_points_to_figure", f.text, f"风险提示中的{'、'.join(missing)}未见于报告的表格"))
    return out


def rule_no_ratio_on_transfers(report: Report, ctx: Context) -> list[Violation]:
    funded = {f for f in ctx.funds_with("fund_flows") if ctx.measures.flow(f, compare=False).transfer_funded}
    out = []
    for t in _tables(report):
        keys = [c.key for c in t.columns]
        if "balance_rate" not in keys or not t.row_funds:
            continue
        for f, r in zip(t.row_funds, t.rows, strict=False):
            if f in funded and _num(r[keys.index("balance_rate")]) is not None:
                out.append(
                    Violation("no_ratio_on_transfers", f"{t.title}·{r[0]}", "主要依靠上级补助的险种列出了结余率")
                )
    for flag in report.flags:
        if flag.code == "current_deficit" and flag.risk and not flag.region and flag.fund in funded:
            out.append(Violation("no_ratio_on_transfers", flag.text, "主要依靠上级补助的险种按本级收入判断了收不抵支"))
    return out


RULES = (
    rule_total_parts,
    rule_lines_add_up,
    rule_residual_explained,
    rule_shares_bounded,
    rule_months_plausible,
    rule_flags_reach_panel,
    rule_not_assessed_is_true,
    rule_panel_points_to_figure,
    rule_no_ratio_on_transfers,
)


def check(report: Report, ctx: Context) -> list[Violation]:
    """Every violation of every rule in the report, in rule order. A rule that fails on an unforeseen
    table is itself a violation (the report still renders, and says its self-check is incomplete)."""
    out = []
    for rule in RULES:
        try:
            out += rule(report, ctx)
        except Exception as exc:  # noqa: BLE001 - a self-check never stops a report
            name = rule.__name__.removeprefix("rule_")
            out.append(Violation(name, "报告自检", f"该项自检未能完成（{type(exc).__name__}），请人工核对"))
    return out


RULE_NAMES = {
    "total_parts": "合计等于所列分项之和",
    "lines_add_up": "分项之和等于合计",
    "residual_explained": "未列明项目为负须有核对发现",
    "shares_bounded": "同一分母的比重不超过100%",
    "months_plausible": "可支付月数在合理范围内",
    "flags_reach_panel": "表中标示的风险均列入风险提示",
    "not_assessed_is_true": "无法评估须属实并说明原因",
    "panel_points_to_figure": "风险提示的数字见于报告表格",
    "no_ratio_on_transfers": "主要依靠上级补助的险种不计结余率和收不抵支",
}


def sentence(violations: list[Violation]) -> Paragraph:
    """The appendix sentence on the report's self-check (only when it found something)."""
    return Paragraph(f"报告自检发现{len(violations)}处数字问题（见下表），相关数字请核对后使用。")


def table(violations: list[Violation]) -> Table:
    """The self-check findings as a table of the appendix."""
    cols = (Column("rule", "规则"), Column("where", "位置"), Column("message", "问题"))
    rows = tuple((RULE_NAMES.get(v.rule, v.rule), v.where, v.message) for v in violations)
    return Table("t-selfcheck", "报告自检", cols, rows)
