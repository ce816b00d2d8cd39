"""The report's tables as an Excel workbook (附表) for the finance office, from the report model.

Sheets: 目录 (the report's title, region, period, data date, money unit, and one linked line per
table), then one sheet per report table named "表N …" (the audit findings are their own sheet, 表N
数据核对发现, like every other table). Each table sheet has its title in row 1, the header in row 2
(frozen, with the unit in the header: "基金收入（万元）"), the rows, and the note under them.

Numbers stay numbers: money in the report's unit (元 ÷ 10⁴ for 万元, full precision; the cell's
format shows 2 decimals), persons and visits as integers, shares and rates as fractions with a %
format, months with one decimal. A doubtful comparison is the text 数据存疑, a missing figure an
empty cell, so a sum over a column is never polluted by a dash.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from fundreport.data.vocab import UNITS
from fundreport.render.ooxml import normalised, write_package
from fundreport.report.model import Report, Table
from fundreport.text import narrative as nv

#: column format -> (number format, unit suffix of the header or None for the money unit, scale kind)
FORMATS = {
    "money": ("#,##0.00", None, "money"),
    "change": ("+#,##0.00;-#,##0.00;0.00", None, "money"),
    "count": ("#,##0", "", "plain"),
    "visits": ("#,##0", "", "plain"),
    "change_count": ("+#,##0;-#,##0;0", "", "plain"),
    "percent": ("0.00%", "", "plain"),
    "rate": ("+0.00%;-0.00%;0.00%", "", "plain"),
    "points": ("+0.00;-0.00;0.00", "个百分点", "points"),
    "months": ("0.0", "个月", "plain"),
    "ratio": ("0.00", "", "plain"),
    "per": ("#,##0.00", "", "plain"),
    "change_per": ("+#,##0.00;-#,##0.00;0.00", "", "plain"),
}
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E6E6E6")
FONT = "等线"  # Excel's default CJK UI font; the file names it, Excel or WPS substitutes as needed


def _sheet_name(number: int | None, title: str, taken: set[str]) -> str:
    """表N 标题, without the characters Excel forbids, at most 31 characters, unique."""
    base = re.sub(r"[\[\]:*?/\\]", "", f"表{number} {title}" if number else title)[:31]
    name, i = base, 2
    while name in taken:
        name = f"{base[:28]}({i})"
        i += 1
    taken.add(name)
    return name


def cell_value(value: object, fmt: str, unit: str) -> object:
    """The number a cell holds (display unit for money), the text 数据存疑, or None when missing."""
    if getattr(value, "doubtful", False):
        return getattr(value, "label", nv.DOUBTFUL)
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return None
    if fmt == "text" or fmt not in FORMATS or not isinstance(value, int | float):
        return str(value)
    kind = FORMATS[fmt][2]
    if kind == "money":
        return float(value) / float(UNITS.term(UNITS.resolve(unit)).factor)
    if kind == "points":
        return float(value) * 100
    return float(value) if isinstance(value, float) else value


def _header(label: str, fmt: str, unit: str) -> str:
    if fmt not in FORMATS or "单位" in label or "（" in label and fmt in ("percent", "rate"):
        return label
    suffix = FORMATS[fmt][1]
    suffix = unit if suffix is None else suffix
    return f"{label}（{suffix}）" if suffix and suffix not in label else label


def _width(text: str) -> int:
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def _table_sheet(ws, table: Table, caption: str, unit: str) -> None:
    ncols = len(table.columns)
    ws.cell(1, 1, caption).font = Font(name=FONT, bold=True, size=12)
    for j, col in enumerate(table.columns, 1):
        c = ws.cell(2, j, _header(col.label, col.fmt, unit))
        c.font, c.fill, c.border = Font(name=FONT, bold=True), HEAD_FILL, BOX
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = [_width(ws.cell(2, j).value) for j in range(1, ncols + 1)]
    for i, row in enumerate(table.rows):
        bold = i in table.total_rows
        for j, (col, value) in enumerate(zip(table.columns, row, strict=True), 1):
            v = cell_value(value, col.fmt, unit)
            c = ws.cell(3 + i, j, v)
            c.border, c.font = BOX, Font(name=FONT, bold=bold)
            if isinstance(v, int | float) and col.fmt in FORMATS:
                c.number_format = FORMATS[col.fmt][0]
                if getattr(value, "estimated", False):  # still a number, shown as the report prints it
                    c.number_format = ";".join(f'{part}"{nv.ESTIMATED}"' for part in c.number_format.split(";"))
                c.alignment = Alignment(horizontal="right")
                shown = nv.fmt_cell(value, col.fmt, unit=unit)
            else:
                shown = "" if v is None else str(v)
                c.alignment = Alignment(wrap_text=_width(shown) > 40, vertical="top")
            widths[j - 1] = max(widths[j - 1], min(_width(shown), 40))
    if table.note:
        ws.cell(4 + len(table.rows), 1, table.note).font = Font(name=FONT, color="555555", size=9)
    for j, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(j)].width = max(6, w + 2)
    ws.freeze_panes = "B3"  # header row and label column stay in view


def report_xlsx(report: Report) -> bytes:
    """The report's tables as .xlsx bytes (deterministic: fixed document dates, normalised zip)."""
    wb = Workbook()
    toc = wb.active
    toc.title = "目录"
    unit = report.money_unit
    rows = [
        (report.title, None),
        ("地区", report.region_name),
        ("统计期间", report.period_label),
        ("数据截至", report.data_date),
        ("金额单位", unit),
        (None, None),
        ("附表", "标题"),
    ]
    for r in rows:
        toc.append(list(r))
    toc["A1"].font = Font(name=FONT, bold=True, size=14)
    toc["A7"].font = toc["B7"].font = Font(name=FONT, bold=True)
    taken = {"目录"}
    for section in report.sections:
        for block in section.blocks:
            if not isinstance(block, Table) or not block.rows:
                continue
            number = report.numbers.get(block.id)
            name = _sheet_name(number, block.title, taken)
            ws = wb.create_sheet(name)
            caption = f"表{number} {block.title}" if number else block.title
            _table_sheet(ws, block, caption, unit)
            toc.append([f"表{number}" if number else "", block.title])
            link = toc.cell(toc.max_row, 2)
            link.hyperlink = f"#'{name}'!A1"
            link.font = Font(name=FONT, color="1F4E79", underline="single")
    toc.column_dimensions["A"].width = 12
    toc.column_dimensions["B"].width = max(30, max(_width(str(c.value or "")) for c in toc["B"]) + 2)
    props = wb.properties
    props.title, props.subject = report.title, f"{report.region_name} {report.period_label}"
    props.creator = props.lastModifiedBy = report.organisation or "fundreport"
    try:
        stamp = dt.datetime.strptime(report.data_date, "%Y-%m-%d")
    except (TypeError, ValueError):
        stamp = dt.datetime(2000, 1, 1)
    props.created = props.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)  # openpyxl stamps the save time as "modified": put the data date back
    return normalised(buf.getvalue(), modified=stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))


def write_xlsx(report: Report, target: Path) -> Path:
    """Write the report's .xlsx atomically (normalised package)."""
    return write_package(target, report_xlsx(report))
