"""Reading raw cells from a workbook or a folder of CSV files.

Both give the same structure: for each sheet (or CSV file stem), the header
cells and the data rows with their 1-based row numbers. Nothing is parsed
here; types are checked by :mod:`fundreport.data.validate`.
"""

from __future__ import annotations

import csv
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from fundreport.data.decimals import FormulaNoValue
from fundreport.errors import InputError, Issue

INSTRUCTIONS_SHEET = "填表说明"
LISTS_SHEET = "代码表"


@dataclass(frozen=True)
class RawSheet:
    file: str
    sheet: str | None  # None for a CSV file
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[object, ...]], ...]

    @property
    def name(self) -> str:
        return self.sheet if self.sheet is not None else Path(self.file).stem


def _is_skipped(values: tuple[object, ...]) -> bool:
    """Blank rows and comment/example rows (first non-empty cell starts with #)."""
    cells = [v for v in values if v is not None and str(v).strip() != ""]
    return not cells or str(cells[0]).lstrip().startswith("#")


def _cell(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        return value if value else None
    return value


def _excel_cell(cell) -> object:
    """A cell's value; a number keeps the decimals its number format shows (24959.60 stays 24959.60)."""
    value = _cell(getattr(cell, "value", None))
    if isinstance(value, float | int) and not isinstance(value, bool):
        fmt = str(getattr(cell, "number_format", "") or "")
        m = re.search(r"0\.(0+)", fmt)
        if m:
            return f"{Decimal(repr(value)):.{len(m.group(1))}f}" if len(m.group(1)) > _decimals(value) else value
    return value


def _decimals(value: float | int) -> int:
    return max(0, -Decimal(repr(value)).as_tuple().exponent)


def read_source(path: Path) -> list[RawSheet]:
    """Raw sheets of an .xlsx workbook or of every *.csv in a folder."""
    path = Path(path)
    if not path.exists():
        raise InputError([Issue(str(path), "数据路径不存在", expected="一个 .xlsx 工作簿或 CSV 文件夹")])
    if path.is_dir():
        files = sorted(path.glob("*.csv"))
        if not files:
            raise InputError([Issue(str(path), "文件夹中没有 CSV 文件", expected="每个表一个 <表代码>.csv")])
        return [_read_csv(f) for f in files]
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return _read_xlsx(path)
    if not path.exists():
        raise InputError([Issue(str(path), "数据路径不存在", expected="一个 .xlsx 工作簿或 CSV 文件夹")])
    raise InputError(
        [Issue(str(path), "不支持的数据文件类型", value=path.suffix, expected=".xlsx 工作簿或 CSV 文件夹")]
    )


def _read_csv(path: Path) -> RawSheet:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            [Issue(str(path), "文件不是 UTF-8 编码", expected="UTF-8（Excel 另存为“CSV UTF-8”）")]
        ) from exc
    reader = csv.reader(text.splitlines())
    lines = list(reader)
    header = tuple(h.strip() for h in lines[0]) if lines else ()
    rows = []
    for number, values in enumerate(lines[1:], start=2):
        cells = tuple(_cell(v) for v in values)
        if not _is_skipped(cells):
            rows.append((number, cells))
    return RawSheet(str(path), None, header, tuple(rows))


MAX_UNZIPPED = 200 * 1024 * 1024
"""A bureau workbook unzips to a few MB; 200 MB means a decompression bomb or the wrong file."""
MAX_CELLS = 2_000_000
"""Rows × columns of one sheet; a fund report's data is thousands of cells."""


def _check_workbook_file(path: Path) -> None:
    """Refuse, before openpyxl reads anything, files that are not .xlsx or would expand beyond the limits."""
    head = path.read_bytes()[:8]
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            [
                Issue(
                    str(path),
                    "这是旧版 .xls（或加密的）工作簿，无法直接读取",
                    expected="在 Excel 中“另存为” .xlsx 后再导入",
                )
            ]
        )
    if not head.startswith(b"PK"):
        raise InputError(
            [Issue(str(path), "不是 .xlsx 工作簿（文件内容不是 Excel 格式）", expected="Excel .xlsx 文件")]
        )
    try:
        with zipfile.ZipFile(path) as zf:
            unzipped = sum(i.file_size for i in zf.infolist())
    except zipfile.BadZipFile as exc:
        raise InputError([Issue(str(path), "工作簿文件已损坏，无法打开", expected="完整的 .xlsx 文件")]) from exc
    if unzipped > MAX_UNZIPPED:
        raise InputError(
            [
                Issue(
                    str(path),
                    f"工作簿解压后过大（{unzipped // (1024 * 1024)} MB）",
                    expected=f"解压后不超过 {MAX_UNZIPPED // (1024 * 1024)} MB 的数据工作簿",
                )
            ]
        )


def _read_xlsx(path: Path) -> list[RawSheet]:
    from openpyxl import load_workbook

    _check_workbook_file(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
        formulas = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises several types for a bad file
        raise InputError(
            [Issue(str(path), f"无法打开工作簿（{type(exc).__name__}）", expected="Excel .xlsx 文件")]
        ) from exc
    sheets = []
    try:
        for ws in wb.worksheets:
            if ws.title in (INSTRUCTIONS_SHEET, LISTS_SHEET):
                continue
            rows_n, cols_n = ws.max_row or 0, ws.max_column or 0
            if rows_n * cols_n > MAX_CELLS:
                raise InputError(
                    [
                        Issue(
                            str(path),
                            f"工作表过大（{rows_n} 行 × {cols_n} 列）",
                            sheet=ws.title,
                            expected=f"不超过 {MAX_CELLS} 个单元格的数据表；请删除多余的行列",
                        )
                    ]
                )
            first = next(ws.iter_rows(max_row=1, values_only=True), ())
            header = tuple("" if h is None else str(h).strip() for h in first)
            while header and header[-1] == "":
                header = header[:-1]
            raw = formulas[ws.title].iter_rows(min_row=2, values_only=True)
            rows = []
            for number, row in enumerate(ws.iter_rows(min_row=2), start=2):
                source = next(raw, ())
                cells = tuple(
                    FormulaNoValue(str(f))
                    if getattr(c, "value", None) is None and isinstance(f, str) and f.startswith("=")
                    else _excel_cell(c)
                    for c, f in zip(row[: len(header)], (*source, *[None] * len(header)), strict=False)
                )
                if not _is_skipped(cells):
                    rows.append((number, cells))
            sheets.append(RawSheet(str(path), ws.title, header, tuple(rows)))
    finally:
        wb.close()
        formulas.close()
    return sheets
