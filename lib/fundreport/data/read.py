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
        size = sum(f.stat().st_size for f in files)
        if size > MAX_CSV_BYTES:
            raise InputError(
                [
                    Issue(
                        str(path),
                        f"CSV 文件合计过大（{size // (1024 * 1024)} MB）",
                        expected=f"一个数据集的 CSV 合计不超过 {MAX_CSV_BYTES // (1024 * 1024)} MB；请按地区拆分",
                    )
                ]
            )
        sheets = [_read_csv(f) for f in files]
        cells = sum(len(s.header) * (1 + len(s.rows)) for s in sheets)
        if cells > MAX_CSV_CELLS:
            raise InputError(
                [
                    Issue(
                        str(path),
                        f"CSV 数据单元格过多（共 {cells} 个）",
                        expected=f"一个数据集不超过 {MAX_CSV_CELLS} 个单元格；请按地区拆分为多个数据集",
                    )
                ]
            )
        return sheets
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return _read_xlsx(path)
    if not path.exists():
        raise InputError([Issue(str(path), "数据路径不存在", expected="一个 .xlsx 工作簿或 CSV 文件夹")])
    raise InputError(
        [Issue(str(path), "不支持的数据文件类型", value=path.suffix, expected=".xlsx 工作簿或 CSV 文件夹")]
    )


MAX_CSV_BYTES = 64 * 1024 * 1024
"""All CSV files of one dataset together; a bureau's fund data is well under 1 MB."""
MAX_CSV_CELLS = 300_000
"""Rows × header columns of all CSV files of a dataset: what one check reads and validates within its
5 s budget on a 2-core machine (benchmarks/check_bench.py)."""


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
MAX_CELLS = 80_000
"""Cells of all data sheets together (empty formatted cells count). A city's or county's fund data is a
few thousand cells; 80,000 is what openpyxl reads and checks within the 5 s budget of one check on a
2-core machine (benchmarks/check_bench.py). Larger data: one workbook per region, or CSV files."""
MAX_SHARED_STRINGS = 1_000_000
"""Distinct texts in the workbook's shared-strings table; openpyxl holds them all in memory."""


@dataclass(frozen=True)
class _Scan:
    cells: int
    shared_strings: int
    formulas: bool


def _count_tags(zf: zipfile.ZipFile, member: str, tags: tuple[bytes, ...]) -> tuple[int, bool]:
    """Occurrences of the start tags (``b"c"`` counts ``<c ...>`` and ``<c>``) in a zip member, streamed,
    and whether it has a formula (``<f>``). Text never holds a raw ``<``, so counting bytes is exact.
    A namespace prefix (``<x:c>``, written by some exporters) is read from the root element."""
    count, formulas, tail, needles = 0, False, b"", None
    with zf.open(member) as fh:
        while chunk := fh.read(1 << 20):
            buf = tail + chunk
            if needles is None:
                m = re.search(rb"<(?:([A-Za-z_][\w.-]*):)?(?:worksheet|sst)\b", buf)
                prefix = (m.group(1) + b":") if m and m.group(1) else b""
                needles = [b"<" + prefix + t + end for t in tags for end in (b" ", b">", b"/")]
                f_needles = (b"<" + prefix + b"f>", b"<" + prefix + b"f ")
            count += sum(buf.count(n) for n in needles)
            formulas = formulas or any(n in buf for n in f_needles)
            tail = buf[-8:]
    return count, formulas


def _scan_workbook(path: Path) -> _Scan:
    """Refuse, before openpyxl reads anything, files that are not .xlsx or would expand beyond the limits.

    Sizes are counted in the XML itself, not taken from the sheet's declared dimension, which a broken
    or hostile file can understate."""
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
            members = zf.infolist()
            unzipped = sum(i.file_size for i in members)
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
            cells, strings, formulas = 0, 0, False
            for info in members:
                name = info.filename.lower()
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    n, f = _count_tags(zf, info.filename, (b"c",))
                    cells, formulas = cells + n, formulas or f
                elif name == "xl/sharedstrings.xml":
                    strings, _ = _count_tags(zf, info.filename, (b"si",))
    except zipfile.BadZipFile as exc:
        raise InputError([Issue(str(path), "工作簿文件已损坏，无法打开", expected="完整的 .xlsx 文件")]) from exc
    if cells > MAX_CELLS:
        raise InputError(
            [
                Issue(
                    str(path),
                    f"工作簿单元格过多（共 {cells} 个，含带格式的空单元格）",
                    expected=f"不超过 {MAX_CELLS} 个单元格；请删除多余的行列，或按地区拆分为多个工作簿，或改用 CSV 文件夹",
                )
            ]
        )
    if strings > MAX_SHARED_STRINGS:
        raise InputError(
            [
                Issue(
                    str(path),
                    f"工作簿的共享文本表过大（{strings} 条不同文本）",
                    expected=f"不超过 {MAX_SHARED_STRINGS} 条；数据工作簿不应包含大量不同的文字",
                )
            ]
        )
    return _Scan(cells, strings, formulas)


def _read_xlsx(path: Path) -> list[RawSheet]:
    from openpyxl import load_workbook

    scan = _scan_workbook(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
        # a second pass sees the formulas of cells without a cached value; skipped when there are none
        formulas = load_workbook(path, read_only=True, data_only=False) if scan.formulas else None
    except Exception as exc:  # openpyxl raises several types for a bad file
        raise InputError(
            [Issue(str(path), f"无法打开工作簿（{type(exc).__name__}）", expected="Excel .xlsx 文件")]
        ) from exc
    sheets = []
    try:
        for ws in wb.worksheets:
            if ws.title in (INSTRUCTIONS_SHEET, LISTS_SHEET):
                continue
            first = next(ws.iter_rows(max_row=1, values_only=True), ())
            header = tuple("" if h is None else str(h).strip() for h in first)
            while header and header[-1] == "":
                header = header[:-1]
            raw = formulas[ws.title].iter_rows(min_row=2, values_only=True) if formulas else iter(())
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
        if formulas:
            formulas.close()
    return sheets
