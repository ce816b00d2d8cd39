"""Checking raw sheets against the table specs and turning them into typed rows.

Every problem becomes an :class:`~fundreport.errors.Issue` naming file,
sheet, row, column, the value found and what was expected. All issues of a
source are collected in one pass; the caller raises them together.

Normalisation: numbers are scaled by their row's unit to the base unit of
that unit's kind (money → 元, persons → 人, visits → 人次, % → ratio), at
full precision. Code columns hold the vocabulary's English code.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from fundreport.data import vocab
from fundreport.data.decimals import NumberError, parse_decimal, scale
from fundreport.data.periods import Period, PeriodError
from fundreport.data.read import RawSheet
from fundreport.data.tables import TABLES, ColumnSpec, TableSpec, find_table
from fundreport.errors import Issue

# Which unit kinds each table's unit column accepts.
UNIT_KINDS: dict[str, set[str]] = {
    "fund_flows": {"money"},
    "budgets": {"money"},
    "utilisation": {"money"},
    "institutions": {"money"},
    "deficit_summary": {"money"},
    "enrolment": {"persons"},
    "policy": {"rate", "ratio", "money"},
    "stated": {"money", "persons", "visits", "ratio", "ratio_points", "months", "count", "rate"},
    "targets": {"money", "persons", "visits", "ratio", "months", "count", "rate"},
}
MEASURES = ("visits", "persons", "total_cost", "inscope_cost", "fund_paid")
# figures derived from a category's measures that a source states, and their changes (次均, 报销比例)
DERIVED_MEASURES = ("cost_per_visit", "paid_per_visit", "inscope_ratio", "actual_ratio")
SUBJECT_VOCABS = (vocab.ITEMS, vocab.ENROLMENT, vocab.SERVICES, vocab.POLICY)
# Tables whose periods must be whole years.
ANNUAL_TABLES = {"budgets"}


@dataclass
class TypedTable:
    table: TableSpec
    file: str
    sheet: str | None
    records: list[dict] = field(default_factory=list)


def resolve_subject(text: str) -> str | None:
    """Normalise a subject ('income_total', '退休人员', 'inpatient_level3.fund_paid')."""
    head, _, measure = str(text).strip().partition(".")
    if measure and measure not in MEASURES + DERIVED_MEASURES:
        return None
    for v in SUBJECT_VOCABS:
        code = v.resolve(head)
        if code:
            return f"{code}.{measure}" if measure else code
    return None


def _suggest_subject(text: str) -> str:
    hints = [s for v in SUBJECT_VOCABS if (s := v.suggest(str(text).partition(".")[0]))]
    return hints[0] if hints else "指标对象代码"


def check_sheets(sheets: Iterable[RawSheet]) -> tuple[dict[str, TypedTable], list[Issue]]:
    """Validate every sheet; return typed tables by code and all issues."""
    issues: list[Issue] = []
    tables: dict[str, TypedTable] = {}
    for raw in sheets:
        spec = find_table(raw.name)
        if spec is None:
            names = "、".join(f"{t.label}（{t.code}）" for t in TABLES)
            issues.append(
                Issue(raw.file, "无法识别的表", sheet=raw.sheet, value=raw.name, expected=f"以下表名之一：{names}")
            )
            continue
        if spec.code in tables:
            issues.append(Issue(raw.file, f"表「{spec.label}」出现了两次", sheet=raw.sheet, value=raw.name))
            continue
        typed, found = _check_table(spec, raw)
        tables[spec.code] = typed
        issues.extend(found)
    for spec in TABLES:
        if (
            spec.required
            and spec.code in tables
            and not tables[spec.code].records
            and not any(i.sheet == tables[spec.code].sheet and i.file == tables[spec.code].file for i in issues)
        ):
            t = tables[spec.code]
            issues.append(
                Issue(
                    t.file, f"表「{spec.label}」没有数据行", sheet=t.sheet, expected="至少一行（以 # 开头的示例行不算）"
                )
            )
        if spec.required and spec.code not in tables:
            file = next(iter(tables.values())).file if tables else "数据"
            issues.append(
                Issue(
                    file,
                    f"缺少必需的表「{spec.label}」（{spec.code}）",
                    expected=f"工作表「{spec.label}」或文件 {spec.code}.csv",
                )
            )
    issues.extend(_check_cross(tables))
    return tables, issues


def _map_header(spec: TableSpec, raw: RawSheet) -> tuple[dict[int, ColumnSpec], list[Issue]]:
    issues: list[Issue] = []
    mapping: dict[int, ColumnSpec] = {}
    by_name = {}
    for c in spec.columns:
        by_name["".join(c.label.split())] = c
        by_name[c.code.lower()] = c
    seen: dict[str, int] = {}
    for i, head in enumerate(raw.header):
        key = "".join(str(head).split())
        if not key:
            continue
        col = by_name.get(key) or by_name.get(key.lower())
        if col is None:
            labels = "、".join(c.label for c in spec.columns)
            issues.append(
                Issue(
                    raw.file,
                    "无法识别的列名",
                    sheet=raw.sheet,
                    row=1,
                    column=str(head),
                    value=head,
                    expected=f"本表的列：{labels}",
                )
            )
            continue
        if col.code in seen:
            issues.append(Issue(raw.file, "列名重复", sheet=raw.sheet, row=1, column=str(head), value=head))
            continue
        seen[col.code] = i
        mapping[i] = col
    for c in spec.columns:
        if c.required and c.code not in seen:
            issues.append(
                Issue(
                    raw.file,
                    f"缺少必需的列「{c.label}」",
                    sheet=raw.sheet,
                    row=1,
                    column=c.label,
                    expected=f"表头中有「{c.label}」（或 {c.code}）",
                )
            )
    return mapping, issues


def _check_table(spec: TableSpec, raw: RawSheet) -> tuple[TypedTable, list[Issue]]:
    typed = TypedTable(spec, raw.file, raw.sheet)
    mapping, issues = _map_header(spec, raw)
    if any(i.row == 1 and "缺少必需的列" in i.message for i in issues):
        return typed, issues
    keys: dict[tuple, int] = {}
    for number, values in raw.rows:
        rec, found = _check_row(spec, raw, mapping, number, values)
        issues.extend(found)
        if found:
            continue
        key = tuple(rec.get(k) for k in spec.key)
        if key in keys:
            shown = "、".join(f"{spec.column(k).label}={rec.get(k)}" for k in spec.key)
            issues.append(
                Issue(
                    raw.file,
                    f"重复的记录（与第{keys[key]}行相同：{shown}）",
                    sheet=raw.sheet,
                    row=number,
                    expected="每个键只出现一次",
                )
            )
            continue
        keys[key] = number
        typed.records.append(rec)
    return typed, issues


def _check_row(
    spec: TableSpec, raw: RawSheet, mapping: dict[int, ColumnSpec], number: int, values: tuple
) -> tuple[dict, list[Issue]]:
    issues: list[Issue] = []
    rec: dict = {"source_row": number}
    cells = {col.code: (values[i] if i < len(values) else None) for i, col in mapping.items()}
    where = {"file": raw.file, "sheet": raw.sheet, "row": number}

    def bad(col: ColumnSpec, message: str, value: object, expected: str) -> None:
        issues.append(Issue(message=message, column=col.label, value=value, expected=expected, **where))

    # The unit first: it scales the number columns of the row.
    factor = 1.0
    if spec.unit_column:
        ucol = spec.column(spec.unit_column)
        uval = cells.get(ucol.code)
        allowed = UNIT_KINDS.get(spec.code, set())
        if uval is None:
            if ucol.required or any(cells.get(c) is not None for c in spec.unit_applies):
                choices = "、".join(t.label for t in vocab.UNITS if t.kind in allowed)
                bad(ucol, "缺少单位", uval, choices)
        else:
            code = vocab.UNITS.resolve(str(uval))
            term = vocab.UNITS.term(code) if code else None
            if term is None or term.kind not in allowed:
                choices = "、".join(t.label for t in vocab.UNITS if t.kind in allowed)
                bad(ucol, "未知或不适用的单位", uval, choices)
            else:
                rec[ucol.code] = code
                factor = term.factor

    for col in spec.columns:
        if col.code == spec.unit_column:
            continue
        value = cells.get(col.code)
        if value is None:
            if col.required:
                bad(col, "必填项为空", None, col.help or col.kind)
            rec[col.code] = col.default
            continue
        kind = col.kind
        if col.code == "subject":
            code = resolve_subject(str(value))
            if code is None:
                bad(
                    col,
                    "未知的指标对象",
                    value,
                    f"项目、类别或待遇代码（可加 .{'/.'.join(MEASURES + DERIVED_MEASURES)}），最接近：{_suggest_subject(str(value))}",
                )
            rec[col.code] = code
        elif col.vocab:
            v = vocab.ALL[col.vocab]
            code = v.resolve(str(value))
            if code is None:
                hint = v.suggest(str(value))
                bad(col, f"未知的{v.label}", value, f"{v.label}代码或名称" + (f"，最接近的是 {hint}" if hint else ""))
            rec[col.code] = code
        elif kind == "period":
            try:
                p = Period.parse(str(value))
            except PeriodError:
                bad(col, "无法识别的期间", value, "2021、2021H1、2024Q1、2024M1-3 或 2024M6")
                continue
            if spec.code in ANNUAL_TABLES and p.kind != "year":
                bad(col, "预算期间应为年度", value, "四位年份，如 2024")
            rec[col.code] = p.code
        elif kind in {"number", "count"}:
            try:
                number, pct = parse_decimal(value)
            except NumberError as exc:
                if str(exc) == "too large":
                    bad(col, "数值大得不合理", value, "绝对值小于 10¹⁵ 的数（请检查单位和小数点）")
                elif str(exc) == "too many decimals":
                    bad(col, "小数位数过多", value, "不超过 12 位小数的数")
                elif str(exc) == "formula without a value":
                    bad(col, "公式没有计算结果", value, "数值：请在 Excel 中打开并保存工作簿后再导入")
                else:
                    bad(col, "不是数字", value, "数字，如 1234.5 或 1,234.5")
                continue
            if kind == "count" and number < 0:
                bad(col, "人数、人次或个数不能为负", value, "不小于 0 的数")
                continue
            if pct and not (col.code in spec.unit_applies and factor == 0.01):
                bad(col, "数值带有 % 但单位不是 %", value, "去掉 % 或把单位填为 %")
                continue
            rec[col.code] = scale(number, factor) if col.code in spec.unit_applies else float(number)
            if col.code in spec.unit_applies:
                # The precision the figure was written with, in base units (24959.60万元 -> 100元);
                # the audit's tolerances follow it. The coarsest column of the row counts.
                quantum = scale(Decimal(1).scaleb(min(0, number.as_tuple().exponent)), factor)
                rec["quantum"] = max(rec.get("quantum", 0.0), quantum)
        else:
            rec[col.code] = str(value).strip()
    return rec, issues


def _check_cross(tables: dict[str, TypedTable]) -> list[Issue]:
    """Checks across rows and tables: region codes and the region tree."""
    issues: list[Issue] = []
    regions = tables.get("regions")
    if regions is None:
        return issues
    codes = {r["code"]: r for r in regions.records}
    for r in regions.records:
        parent = r.get("parent")
        if parent and parent not in codes:
            issues.append(
                Issue(
                    regions.file,
                    "上级地区代码不在地区表中",
                    sheet=regions.sheet,
                    row=r["source_row"],
                    column="上级地区代码",
                    value=parent,
                    expected="地区表中已有的地区代码",
                )
            )
        # a cycle would make roll-ups loop forever
        seen, cur = set(), r
        while cur and cur.get("parent"):
            if cur["code"] in seen:
                issues.append(
                    Issue(
                        regions.file,
                        "地区上下级关系成环",
                        sheet=regions.sheet,
                        row=r["source_row"],
                        column="上级地区代码",
                        value=r.get("parent"),
                    )
                )
                break
            seen.add(cur["code"])
            cur = codes.get(cur["parent"])
    for typed in tables.values():
        if "region" not in typed.table.codes:
            continue
        for rec in typed.records:
            reg = rec.get("region")
            if reg not in codes:
                close = difflib.get_close_matches(str(reg), list(codes), n=1)
                hint = f"，最接近的是 {close[0]}（{codes[close[0]]['name']}）" if close else ""
                issues.append(
                    Issue(
                        typed.file,
                        "地区代码不在地区表中",
                        sheet=typed.sheet,
                        row=rec["source_row"],
                        column="地区代码",
                        value=reg,
                        expected="地区表中的代码" + hint,
                    )
                )
    return issues
