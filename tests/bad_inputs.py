"""Generators of large and hostile input files, shared by the tests and benchmarks/check_bench.py.

Each writes one file and returns its path. The hostile ones are written as raw XML inside a zip so
that they are small on disk and large only when expanded, as an attacker or a broken export tool
would make them.
"""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

ITEMS = ("基金收入合计", "基金支出合计", "征缴收入", "财政补助收入", "待遇支出", "当期结余", "累计结余")
FUNDS = ("职工基本医疗保险", "城乡居民基本医疗保险")

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="fund_flows" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>'
)
_SHEET_TAIL = "</sheetData></worksheet>"


def _raw_workbook(path: Path, sheet_rows, shared_strings, dimension: str | None) -> Path:
    """An .xlsx of one sheet ``fund_flows`` from raw XML pieces (iterables, streamed into the zip)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            fh.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            for s in shared_strings:
                fh.write(f"<si><t>{s}</t></si>".encode())
            fh.write(b"</sst>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            dim = f'<dimension ref="{dimension}"/>' if dimension else ""
            fh.write(_SHEET_HEAD.format(dimension=dim).encode())
            for chunk in sheet_rows:
                fh.write(chunk.encode())
            fh.write(_SHEET_TAIL.encode())
    return path


def _inline_row(number: int, values: tuple[str, ...]) -> str:
    cells = "".join(f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


HEADER = ("地区代码", "期间", "险种", "项目", "数值", "单位")


def shared_strings_bomb(path: Path, strings: int = 3_000_000) -> Path:
    """A workbook whose shared-strings table holds millions of distinct strings (a few MB zipped)."""
    rows = [_inline_row(1, HEADER)]
    return _raw_workbook(path, rows, (f"s{i}" for i in range(strings)), "A1:F1")


def rows_bomb(path: Path, rows: int = 3_000_000, dimension: str | None = "A1:F2") -> Path:
    """A workbook whose sheet declares two rows (or no size at all) but holds millions."""

    def sheet():
        yield _inline_row(1, HEADER)
        for n in range(2, rows + 2):
            yield f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>'

    return _raw_workbook(path, sheet(), (), dimension)


def large_dataset_rows(regions: int, periods: int) -> tuple[list[list[str]], list[list[str]]]:
    """A valid (regions, fund_flows) pair: ``regions`` counties × ``periods`` years × funds × items."""
    region_rows = [["地区代码", "地区名称", "层级", "上级地区代码"], ["429000", "测试市", "市", ""]]
    flows = [list(HEADER)]
    for r in range(regions):
        code = f"429{r + 1:03d}"
        region_rows.append([code, f"测试县{r + 1:03d}", "县", "429000"])
        for p in range(periods):
            for fund in FUNDS:
                income = 10000 + r * 7 + p * 3
                values = dict(
                    zip(ITEMS, (income, income * 0.9, income * 0.7, income * 0.3, income * 0.85, 0, 0), strict=True)
                )
                values["当期结余"] = values["基金收入合计"] - values["基金支出合计"]
                values["累计结余"] = income * 1.5
                for item in ITEMS:
                    flows.append([code, str(2000 + p), fund, item, f"{values[item]:.2f}", "万元"])
    return region_rows, flows


def write_csv_dataset(folder: Path, tables: dict[str, list[list[str]]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)
    return folder


def write_xlsx_dataset(path: Path, tables: dict[str, list[list[str]]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for name, rows in tables.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def alias_bomb(path: Path, levels: int = 9) -> Path:
    """A params file of a few hundred bytes whose aliases expand to 10**levels nodes."""
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]")
    path.write_text('region: "420700"\nperiod: 2024M1-3\ndata: data/ds\n' + "\n".join(lines) + "\n", encoding="utf-8")
    return path
