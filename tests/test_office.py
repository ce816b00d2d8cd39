"""Word (公文) and Excel outputs (issue 15): read back and checked against the report model, and the .docx
opened by a real client (LibreOffice headless) whose PDF must state the key figures."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from fundreport import cli
from fundreport.render.excel import cell_value, report_xlsx
from fundreport.render.word import report_docx
from fundreport.report.build import report_from_params
from fundreport.report.model import Table
from fundreport.text.narrative import fmt_cell

from .conftest import ROOT
from .test_faults import project
from .test_pdf import require

SAMPLES = sorted(p for p in (ROOT / "params").rglob("*.yaml") if not p.name.startswith("_"))
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module", params=SAMPLES, ids=[f"{p.parent.name}/{p.stem}" for p in SAMPLES])
def made(request, tmp_path_factory):
    report = report_from_params(str(request.param))
    folder = tmp_path_factory.mktemp("office")
    docx, xlsx = folder / "report.docx", folder / "report.xlsx"
    docx.write_bytes(report_docx(report))
    xlsx.write_bytes(report_xlsx(report))
    return report, docx, xlsx


def tables_of(report):
    return [b for s in report.sections for b in s.blocks if isinstance(b, Table) and b.rows]


def test_docx_page_is_gbt9704(made):
    _, path, _ = made
    sec = Document(str(path)).sections[0]
    mm = [round(v.mm, 1) for v in (sec.page_width, sec.page_height)]  # stored in twips: 0.02 mm steps
    assert mm == [210.0, 297.0]
    margins = [round(v.mm, 1) for v in (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)]
    assert margins == [37.0, 35.0, 28.0, 26.0]
    grid = sec._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "580"  # 225 mm / 22 lines = 28.99 pt


def test_every_cjk_run_names_its_east_asian_font(made):
    _, path, _ = made
    doc = Document(str(path))
    body = doc.element.body
    runs = body.iter(qn("w:r"))
    missing = []
    for r in runs:
        text = "".join(t.text or "" for t in r.iter(qn("w:t")))
        if CJK.search(text):
            fonts = r.find(qn("w:rPr"))
            fonts = fonts.find(qn("w:rFonts")) if fonts is not None else None
            if fonts is None or not fonts.get(qn("w:eastAsia")):
                missing.append(text[:20])
    assert missing == []


def test_page_numbers_are_page_fields_between_dashes(made):
    _, path, _ = made
    sec = Document(str(path)).sections[0]
    for footer in (sec.footer, sec.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in "".join(t.text for t in footer._element.iter(qn("w:instrText")))
        assert "— " in xml and " —" in xml


def test_docx_tables_are_native_with_repeating_headers_and_equal_the_model(made):
    report, path, _ = made
    doc = Document(str(path))
    model = tables_of(report)
    assert len(doc.tables) == len(model)
    unit = report.money_unit
    for t, m in zip(doc.tables, model, strict=True):
        rows = t._tbl.findall(qn("w:tr"))
        assert rows[0].find(qn("w:trPr")).find(qn("w:tblHeader")) is not None, m.id
        assert all(r.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None for r in rows), m.id
        texts = [[c.text for c in row.cells] for row in t.rows]
        assert texts[0] == [c.label for c in m.columns], m.id
        expected = [[fmt_cell(v, c.fmt, unit=unit) for c, v in zip(m.columns, r, strict=True)] for r in m.rows]
        assert texts[1:] == expected, m.id


def test_docx_states_every_key_figure_and_chart_title(made):
    report, path, _ = made
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    for k in report.key_figures:
        assert k.value in text
    for s in report.sections:
        for b in s.blocks:
            if b.__class__.__name__ == "Chart":
                assert f"图{report.numbers[b.id]} {b.title}" in text


def test_xlsx_numbers_are_numbers_equal_to_the_model(made):
    report, _, path = made
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "目录"
    toc = [[c.value for c in row] for row in wb["目录"].iter_rows()]
    assert [report.region_name] in [r[1:2] for r in toc] and [report.period_label] in [r[1:2] for r in toc]
    model = tables_of(report)
    sheets = wb.sheetnames[1:]
    assert len(sheets) == len(model)
    unit = report.money_unit
    for name, m in zip(sheets, model, strict=True):
        ws = wb[name]
        assert name.startswith(f"表{report.numbers[m.id]} ") and ws.freeze_panes == "B3"
        for i, row in enumerate(m.rows):
            for j, (col, value) in enumerate(zip(m.columns, row, strict=True), 1):
                got, want = ws.cell(3 + i, j).value, cell_value(value, col.fmt, unit)
                if isinstance(want, float):
                    assert isinstance(got, int | float) and got == pytest.approx(want, rel=1e-12), (name, i, j)
                    assert ws.cell(3 + i, j).number_format != "General"
                else:
                    assert got == want, (name, i, j)
    if any(m.id == "t-findings" for m in model):
        assert any("数据核对发现" in s for s in sheets)


def test_office_files_are_byte_identical_for_identical_inputs(made):
    report, docx, xlsx = made
    assert report_docx(report) == docx.read_bytes()
    assert report_xlsx(report) == xlsx.read_bytes()


def test_libreoffice_opens_the_docx_and_its_pdf_states_the_key_figures(made, tmp_path):
    report, path, _ = made
    soffice = require(
        "LibreOffice", shutil.which("soffice"), "apt-get install libreoffice-writer-nogui, or make office"
    )
    pdftotext = require("pdftotext", shutil.which("pdftotext"), "apt-get install poppler-utils")
    profile = tmp_path / "lo-profile"  # a private LibreOffice profile: parallel runs do not share a lock
    run = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(path)],
        capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    pdf = tmp_path / "report.pdf"
    assert run.returncode == 0 and pdf.exists(), run.stderr[-500:]
    text = re.sub(r"\s+", "", subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True).stdout)
    for k in report.key_figures:
        assert re.sub(r"\s+", "", k.value) in text, k.label
    assert "—1—" in text  # the PAGE field was computed


def test_render_command_writes_word_and_excel_beside_html_and_lists_them(tmp_path):
    root = project(tmp_path, ("ezhou/2024M1-3",))
    assert cli.main(["--root", str(root), "render", "--formats", "html,docx,xlsx", "--jobs", "1"]) == 0
    folder = root / "outputs" / "ezhou" / "2024M1-3"
    assert {p.name for p in folder.iterdir() if p.suffix != ".json"} >= {"report.html", "report.docx", "report.xlsx"}
    assert not (folder / "report.pdf").exists()
    index = (root / "outputs" / "index.html").read_text(encoding="utf-8")
    assert 'href="ezhou/2024M1-3/report.docx"' in index and 'href="ezhou/2024M1-3/report.xlsx"' in index
    assert cli.main(["--root", str(root), "render", "--formats", "html,doc"]) == 2  # an unknown format is refused
