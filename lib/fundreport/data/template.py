"""The Excel input template: one sheet per table, drop-downs, example rows, instructions.

:func:`write_workbook` writes the blank template, or a filled workbook when
given rows (used to turn a CSV dataset into a workbook). The example row of
each sheet starts with ``#`` so the loader skips it; analysts may delete it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from fundreport.atomic import atomic_path
from fundreport.data import vocab
from fundreport.data.decimals import NumberError, parse_decimal
from fundreport.data.read import INSTRUCTIONS_SHEET, LISTS_SHEET, read_source
from fundreport.data.tables import TABLES, TableSpec, find_table

_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
_EXAMPLE_FONT = Font(italic=True, color="808080")
_MAX_ROWS = 5000  # rows covered by the drop-down validations


def write_workbook(path: str | Path, rows: Mapping[str, Sequence[Sequence[object]]] | None = None) -> Path:
    """Write the template (rows=None) or a workbook filled with ``rows[table]``.

    The file is written to a temporary name beside ``path`` and renamed, so a
    failure never leaves a half-written workbook.
    """
    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    _instructions(wb.create_sheet(INSTRUCTIONS_SHEET))
    lists = wb.create_sheet(LISTS_SHEET)
    ranges = _code_lists(lists)
    for spec in TABLES:
        ws = wb.create_sheet(spec.label)
        _table_sheet(ws, spec, ranges, rows.get(spec.code, ()) if rows is not None else None)
    lists.sheet_state = "hidden"
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def _code_lists(ws) -> dict[str, str]:
    """One column per vocabulary on a hidden sheet; returns vocab -> range."""
    ranges = {}
    for col, (name, v) in enumerate(vocab.ALL.items(), start=1):
        letter = get_column_letter(col)
        ws.cell(1, col, v.label)
        for r, term in enumerate(v.terms, start=2):
            ws.cell(r, col, term.label)
        ranges[name] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(v.terms) + 1}"
    return ranges


def _table_sheet(ws, spec: TableSpec, ranges: dict[str, str], rows: Sequence[Sequence[object]] | None) -> None:
    for i, col in enumerate(spec.columns, start=1):
        cell = ws.cell(1, i, col.label)
        cell.font = Font(bold=True)
        cell.fill = _HEAD_FILL
        cell.alignment = Alignment(horizontal="center")
        note = f"{col.code}；{'必填' if col.required else '选填'}"
        if col.help:
            note += f"；{col.help}"
        cell.comment = Comment(note, "fundreport")
        ws.column_dimensions[get_column_letter(i)].width = max(10, 2.2 * len(col.label) + 4)
        if col.vocab and col.vocab in ranges:
            dv = DataValidation(type="list", formula1=ranges[col.vocab], allow_blank=not col.required)
            dv.error = f"请从下拉列表选择{vocab.ALL[col.vocab].label}"
            dv.errorTitle = "无效的代码"
            dv.showErrorMessage = True
            ws.add_data_validation(dv)
            dv.add(f"{get_column_letter(i)}2:{get_column_letter(i)}{_MAX_ROWS}")
    ws.freeze_panes = "A2"
    if rows is None:
        example = list(spec.example)
        example[0] = f"#{example[0]}"
        for i, value in enumerate(example, start=1):
            ws.cell(2, i, value).font = _EXAMPLE_FONT
        return
    numeric = {i for i, c in enumerate(spec.columns, start=1) if c.kind in {"number", "count"}}
    for r, values in enumerate(rows, start=2):
        for i, value in enumerate(values, start=1):
            if value is None or value == "":
                continue
            if i in numeric:
                try:  # store numbers as numbers so Excel can sum them
                    number, pct = parse_decimal(value)
                    value = value if pct else float(number)
                except NumberError:
                    pass  # keep the text; the loader reports it
            cell = ws.cell(r, i, value)
            if i in numeric and isinstance(value, float) and isinstance(values[i - 1], str) and "." in values[i - 1]:
                # keep the written precision (24959.60) visible and readable back
                cell.number_format = "0." + "0" * len(values[i - 1].rsplit(".", 1)[1].rstrip("%"))
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # a target like "=280" is text, not an Excel formula


def _instructions(ws) -> None:
    lines: list[tuple[str, ...]] = [
        ("医保基金运行分析 数据填报模板",),
        ("每个工作表是一张表；第一行是列名，请勿修改。以 # 开头的行（灰色示例行）读取时忽略，可删除。",),
        (
            "代码列可填中文名称或英文代码，下拉列表给出全部可选值。金额按“单位/金额单位”列所填的元、万元或亿元录入，工具内部按元全精度计算。",
        ),
        (
            "数字可带千分位逗号，可用全角数字；人数、人次不能为负。只填原始数，不要填增减率、占比、次均等派生数（写在报告里的派生数可填入“报告数值”表供核对）。",
        ),
        ("期间代码：2021（年度）、2021H1（上半年）、2024Q1（一季度）、2024M1-3（1-3月累计）、2024M6（单月）。",),
        (),
        ("表", "英文代码", "用途", "列（* 为必填）"),
    ]
    for spec in TABLES:
        cols = "、".join(f"{c.label}{'*' if c.required else ''}" for c in spec.columns)
        lines.append((spec.label, spec.code, spec.help, cols))
    for r, values in enumerate(lines, start=1):
        for c, value in enumerate(values, start=1):
            ws.cell(r, c, value)
    ws["A1"].font = Font(bold=True, size=14)
    for c in range(1, 5):
        ws.cell(7, c).font = Font(bold=True)
    for letter, width in zip("ABCD", (14, 16, 60, 90), strict=True):
        ws.column_dimensions[letter].width = width


def dataset_to_workbook(source: str | Path, out: str | Path) -> Path:
    """Copy the rows of a dataset (CSV folder or workbook) into a filled workbook, unparsed."""
    rows: dict[str, list[tuple[object, ...]]] = {}
    for raw in read_source(Path(source)):
        spec = find_table(raw.name)
        if spec is None:
            continue  # the loader reports unknown tables; nothing to copy
        where = [next((raw.header.index(h) for h in (c.label, c.code) if h in raw.header), None) for c in spec.columns]
        rows[spec.code] = [
            tuple(values[i] if i is not None and i < len(values) else None for i in where) for _, values in raw.rows
        ]
    return write_workbook(out, rows)
