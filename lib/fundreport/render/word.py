"""The report as an editable Word document in 公文 layout, from the report model (not from HTML).

:func:`report_docx` fills the reference template (:mod:`fundreport.render.word_template`) in the
order of the report: title, the region and period, then each section — its heading (Heading 1),
key figures and risk flags as text (主要指标 section), paragraphs (Normal), tables as native Word
tables ("表N …" above, the note below; the header row repeats on every page, no row is split across
pages), charts as pictures with "图N …" under them, the analyst's commentary under a Heading 2.
Page setup, line grid and the "— N —" page numbers (a PAGE field; right on odd pages, left on even
pages) come from a :class:`~fundreport.render.word_profile.Profile`.

Cells are formatted by :func:`fundreport.text.narrative.fmt_cell`, exactly as in HTML and PDF. Every
run carries its East Asian font (w:eastAsia) so that Chinese text never falls back to a Latin font.
Tables are written as one XML fragment each (python-docx's cell API is quadratic in the rows), so a
1,000-row table takes a fraction of a second.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from fundreport.render.charts import render_png
from fundreport.render.ooxml import normalised, write_package
from fundreport.render.word_profile import LATIN, PROFILES, Profile, font_for, font_report
from fundreport.render.word_template import TEMPLATE, apply_profile, set_fonts
from fundreport.report.model import Chart, Commentary, Paragraph, Report, Table
from fundreport.text import narrative as nv

TWIPS_PER_MM = 1440 / 25.4
MIN_TABLE_PT = 9.0  # 小五: the smallest type a wide table is set in
_NUMERIC = {"money", "count", "visits", "percent", "rate", "points", "months", "ratio", "per", "change", "change_count",
            "change_per"}  # fmt: skip


def _run(paragraph, text: str, role: str, *, bold: bool | None = None, size: float | None = None):
    run = paragraph.add_run(text)
    set_fonts(run.font, font_for(role))
    if bold is not None:
        run.bold = bold
    if size:
        run.font.size = Pt(size)
    return run


def _para(doc, text: str, style: str = "Normal", role: str = "body", **kw):
    p = doc.add_paragraph(style=style)
    _run(p, text, role, **kw)
    return p


# -- page setup ------------------------------------------------------------------------------


def _page_number_footer(footer, prof: Profile, align) -> None:
    """ "— N —" with N a PAGE field, in 四号 宋体 (GB/T 9704 7.5)."""
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    for old in list(p._p):  # a template's own footer text goes
        if old.tag == qn("w:r"):
            p._p.remove(old)
    p.alignment = align
    p.paragraph_format.first_line_indent = Pt(0)
    font = font_for("page_number")
    rpr = (
        f'<w:rPr><w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" w:eastAsia="{escape(font)}"/>'
        f'<w:sz w:val="{round(prof.page_number_pt * 2)}"/></w:rPr>'
    )
    runs = (
        f'<w:r {nsdecls("w")}>{rpr}<w:t xml:space="preserve">— </w:t></w:r>',
        f'<w:r {nsdecls("w")}>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r {nsdecls("w")}>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
        f'<w:r {nsdecls("w")}>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>',
        f"<w:r {nsdecls('w')}>{rpr}<w:t>1</w:t></w:r>",
        f'<w:r {nsdecls("w")}>{rpr}<w:fldChar w:fldCharType="end"/></w:r>',
        f'<w:r {nsdecls("w")}>{rpr}<w:t xml:space="preserve"> —</w:t></w:r>',
    )
    for xml in runs:
        p._p.append(parse_xml(xml))


def _page_setup(doc, prof: Profile) -> None:
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(prof.page_mm[0]), Mm(prof.page_mm[1])
    top, bottom, left, right = prof.margins_mm
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(top), Mm(bottom), Mm(left), Mm(right)
    sec.footer_distance = Mm(max(bottom - 7 - prof.page_number_pt / 2.835, 10))  # 页码 just below the 版心
    sec.header_distance = Mm(15)
    grid = sec._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = parse_xml(f"<w:docGrid {nsdecls('w')}/>")
        sec._sectPr.append(grid)
    # a line grid only: 22 lines per page come from the exact line pitch; a character grid
    # ("linesAndChars") is laid out differently by Word, WPS and LibreOffice (LibreOffice doubled the
    # pitch of every CJK character), while 16 pt characters on the 156 mm 版心 give 27.6 per line anyway
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(prof.line_pitch_pt * 20)))
    grid.attrib.pop(qn("w:charSpace"), None)
    doc.settings.odd_and_even_pages_header_footer = True
    indent = Pt(prof.page_number_pt)  # 单页码居右空一字，双页码居左空一字
    _page_number_footer(sec.footer, prof, WD_ALIGN_PARAGRAPH.RIGHT)
    sec.footer.paragraphs[0].paragraph_format.right_indent = indent
    _page_number_footer(sec.even_page_footer, prof, WD_ALIGN_PARAGRAPH.LEFT)
    sec.even_page_footer.paragraphs[0].paragraph_format.left_indent = indent


# -- tables ----------------------------------------------------------------------------------


def _width(text: str) -> int:
    """Display width in half-em units: a CJK character counts 2, a digit or Latin letter 1.15 (Times
    New Roman digits are 0.5 em; the slack covers a substitute font and bold 合计 rows), rounded up."""
    return math.ceil(sum(2 if ord(c) > 0x2E80 else 1.15 for c in text))


def table_xml(table: Table, unit: str, prof: Profile, text_width_mm: float, style_id: str) -> str:
    """A native Word table (w:tbl) of the model's table: header row repeated on each page, rows never
    split, numbers right-aligned, 合计 rows bold, column widths from the content."""
    cols = table.columns
    cells = [[nv.fmt_cell(v, c.fmt, unit=unit) for c, v in zip(cols, row, strict=True)] for row in table.rows]
    body_font, head_font = escape(font_for("table")), escape(font_for("table_head"))
    # widths: each column's widest cell in half-ems (a header may wrap: counted at half, at least 4), plus the
    # cell margins; long text columns (说明) are capped and wrap. The type size is the profile's table size,
    # smaller (down to 小五, 9 pt) when the columns would not fit the text width at it.
    need = [min(40, max([4, _width(c.label) // 2 + 1, *(_width(r[i]) for r in cells)])) + 2 for i, c in enumerate(cols)]
    total = round(text_width_mm * TWIPS_PER_MM)
    fit = (total / 20) * 2 / sum(need)  # the type size (pt) at which the widest cells just fit
    size = round(max(MIN_TABLE_PT, min(prof.table_pt, fit)) * 2)
    widths = [max(1, round(total * n / sum(need))) for n in need]

    def cell(text: str, w: int, *, right: bool, bold: bool, head: bool) -> str:
        font = head_font if head else body_font
        jc = "center" if head else ("right" if right else "left")
        shade = '<w:shd w:val="clear" w:color="auto" w:fill="E6E6E6"/>' if head else ""
        b = "<w:b/><w:bCs/>" if bold else ""
        return (
            f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>{shade}<w:vAlign w:val="center"/></w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/><w:jc w:val="{jc}"/></w:pPr>'
            f'<w:r><w:rPr><w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" w:eastAsia="{font}"/>{b}'
            f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
            f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:tc>'
        )

    numeric = [c.fmt in _NUMERIC for c in cols]
    head = "".join(cell(c.label, w, right=False, bold=False, head=True) for c, w in zip(cols, widths, strict=True))
    rows = [f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{head}</w:tr>"]
    for i, r in enumerate(cells):
        bold = i in table.total_rows
        tds = "".join(cell(t, w, right=n, bold=bold, head=False) for t, w, n in zip(r, widths, numeric, strict=True))
        rows.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{tds}</w:tr>")
    border = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{border}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="57" w:type="dxa"/><w:bottom w:w="28" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def _table(doc, table: Table, number: int | None, unit: str, prof: Profile) -> None:
    caption = f"表{number} {table.title}" if number else table.title
    title = _para(doc, caption, "表题", "heading1")
    style_id = doc.styles["表格文字"].style_id
    title._p.addnext(parse_xml(table_xml(table, unit, prof, prof.text_width_mm, style_id)))  # before w:sectPr
    if table.note:
        _para(doc, table.note, "表注", "table")
    else:
        doc.add_paragraph(style="表注")  # Word needs a paragraph between two tables


def _chart(doc, chart: Chart, number: int | None, prof: Profile) -> None:
    p = doc.add_paragraph(style="Normal")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.line_spacing_rule = None  # the picture sets the line height
    p.paragraph_format.line_spacing = 1.0
    p.add_run().add_picture(io.BytesIO(render_png(chart)), width=Mm(prof.text_width_mm * 0.96))
    _para(doc, f"图{number} {chart.title}" if number else chart.title, "图题", "heading1")
    if chart.note:
        _para(doc, chart.note, "表注", "table")


# -- sections --------------------------------------------------------------------------------


def _overview(doc, report: Report, section) -> None:
    """主要指标 and 风险提示 as text: a figure per line, then each risk, then what could not be assessed."""
    if section.key_figures:
        _para(doc, "（一）主要指标", "Heading 2", "heading2")
        for k in section.key_figures:
            _para(doc, f"{k.label}：{k.value}" + (f"（{k.sub}）" if k.sub else "") + "。")
    risks = [f for f in section.flags if f.risk]
    unknown = [f for f in section.flags if f.risk is None]
    _para(doc, "（二）风险提示", "Heading 2", "heading2")
    if not risks and not any(f.code == "missing_input" for f in unknown):  # nothing assessed: no all-clear
        _para(doc, "已评估的事项未发现风险提示。" if unknown else "未发现风险提示。")
    for i, f in enumerate(risks, 1):
        _para(doc, f"{i}. {f.text}。" if not f.text.endswith("。") else f"{i}. {f.text}")
    for f in unknown:
        _para(doc, f"无法评估：{f.text}" + ("" if f.text.endswith("。") else "。"))


def report_docx(report: Report, *, profile: str = "gbt9704", template: Path | None = None) -> bytes:
    """The report as .docx bytes (deterministic: fixed document dates, normalised zip)."""
    prof = PROFILES[profile]
    doc = Document(str(template or TEMPLATE))
    body = doc.element.body
    for child in list(body):  # the template's own content, if any; keep the final section properties
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    apply_profile(doc, prof)
    _page_setup(doc, prof)
    unit = report.money_unit
    _para(doc, report.title, "Title", "title")
    _para(doc, "　".join(x for x in (report.region_name, report.period_label) if x), "Subtitle", "heading2")
    for section in report.sections:
        _para(doc, section.title, "Heading 1", "heading1")
        if section.code == "overview":
            _overview(doc, report, section)
        for b in section.blocks:
            if isinstance(b, Paragraph):
                _para(doc, b.text)
            elif isinstance(b, Table):
                _table(doc, b, report.numbers.get(b.id), unit, prof)
            elif isinstance(b, Chart):
                _chart(doc, b, report.numbers.get(b.id), prof)
            elif isinstance(b, Commentary):
                if b.title:
                    _para(doc, b.title, "Heading 2", "heading2")
                for text in b.paragraphs:
                    _para(doc, text)
    if report.organisation:
        doc.add_paragraph(style="落款")
        _para(doc, report.organisation, "落款")
    props = doc.core_properties
    props.title, props.subject = report.title, f"{report.region_name} {report.period_label}"
    props.author = props.last_modified_by = report.organisation or "fundreport"
    fonts = font_report()
    props.comments = "由 fundreport 生成。" + ("本机未安装的公文字体已替换：" + "；".join(fonts) if fonts else "")
    stamp = _stamp(report.data_date)
    props.created = props.modified = stamp
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return normalised(buf.getvalue())


def _stamp(date: str) -> dt.datetime:
    """The document's dates: the data date (identical inputs give identical files), else a fixed day."""
    try:
        return dt.datetime.strptime(date, "%Y-%m-%d")
    except (TypeError, ValueError):
        return dt.datetime(2000, 1, 1)


def write_docx(report: Report, target: Path, *, profile: str = "gbt9704", template: Path | None = None) -> Path:
    """Write the report's .docx atomically (normalised package)."""
    return write_package(target, report_docx(report, profile=profile, template=template))
