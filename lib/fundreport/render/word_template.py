"""The Word reference template (templates/gongwen.docx) and the styles the Word output relies on.

The template is python-docx's default document (authored in Word) with the report's styles added;
``python scripts/make_word_template.py`` rebuilds it. An analyst may open it in Word and change any
style (a font, a size, the table header shading); the renderer fills the styles by name:

==================  ==========================================================
Title               report title (公文标题, 小标宋 二号, centred)
Subtitle            the region and period line under the title (楷体)
Heading 1           一、 section headings (黑体)
Heading 2           analyst's sub-headings such as 分析说明 (楷体)
Normal              body text (仿宋 三号, first line indented two characters)
表题 / 图题          "表N …" above a table / "图N …" under a chart (黑体, centred)
表注                table and chart notes (仿宋, right-aligned)
表格文字             text in table cells (仿宋, single spacing)
落款                the issuing organisation at the end (right-aligned)
==================  ==========================================================

At render time :func:`apply_profile` sets sizes, spacing and the fonts this machine has on these
styles (see :mod:`fundreport.render.word_profile`).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from fundreport.render.word_profile import FONTS, LATIN, Profile, font_for

TEMPLATE = Path(__file__).with_name("templates") / "gongwen.docx"

CUSTOM = ("表题", "图题", "表注", "表格文字", "落款")


def set_fonts(font, east_asia: str, latin: str = LATIN) -> None:
    """Latin and East Asian font of a style's or run's font (w:rFonts ascii, hAnsi, eastAsia)."""
    font.name = latin
    rpr = font.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def _style(doc, name: str):
    styles = doc.styles
    return styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)


def apply_profile(doc, prof: Profile, font: Callable[[str], str] = font_for) -> None:
    """Sizes, spacing and fonts of every report style from the profile; ``font`` picks a role's font
    (default: the first installed here; the template itself names the 公文 fonts)."""
    pitch = Pt(prof.line_pitch_pt)

    def setup(name, role, size, *, align=None, indent=False, exact=True, bold=False, keep=False, base="Normal"):
        st = _style(doc, name)
        if name != "Normal":
            st.base_style = doc.styles[base]
        set_fonts(st.font, font(role))
        st.font.size = Pt(size)
        st.font.bold = bold
        st.font.italic = False
        st.font.color.rgb = RGBColor(0, 0, 0)
        pf = st.paragraph_format
        pf.space_before = pf.space_after = Pt(0)
        if exact:
            pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, pitch
        else:
            pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        pf.first_line_indent = Pt(2 * prof.body_pt) if indent else Pt(0)
        pf.alignment = align
        pf.keep_with_next = keep
        pf.widow_control = True
        ppr = st.element.get_or_add_pPr()
        snap = ppr.find(qn("w:snapToGrid"))
        if not exact:  # tables, notes, the title: their own line height, not the body's 22-line grid
            if snap is None:
                snap = ppr.makeelement(qn("w:snapToGrid"), {})
                ppr.insert(0, snap)
            snap.set(qn("w:val"), "0")
        elif snap is not None:
            ppr.remove(snap)
        return st

    setup("Normal", "body", prof.body_pt, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
    # the document default size is the character grid's base pitch (w:docGrid/@w:charSpace adds to it)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")) if defaults is not None else None
    if rpr is not None:
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = rpr.makeelement(qn(tag), {})
                rpr.append(el)
            el.set(qn("w:val"), str(round(prof.body_pt * 2)))
        lang = rpr.find(qn("w:lang"))
        if lang is not None:  # Chinese line breaking (no 。，at a line start) and spell checking
            lang.set(qn("w:eastAsia"), "zh-CN")
    setup(
        "Title", "title", prof.title_pt, align=WD_ALIGN_PARAGRAPH.CENTER, exact=False
    ).paragraph_format.space_after = pitch
    setup("Subtitle", "heading2", prof.body_pt, align=WD_ALIGN_PARAGRAPH.CENTER).paragraph_format.space_after = pitch
    setup("Heading 1", "heading1", prof.body_pt, indent=True, keep=True)
    setup("Heading 2", "heading2", prof.body_pt, indent=True, keep=True)
    setup("表题", "heading1", prof.note_pt + 2, align=WD_ALIGN_PARAGRAPH.CENTER, keep=True, exact=False)
    setup("图题", "heading1", prof.note_pt + 2, align=WD_ALIGN_PARAGRAPH.CENTER, exact=False)
    setup("表注", "table", prof.note_pt, align=WD_ALIGN_PARAGRAPH.LEFT, exact=False)
    setup("表格文字", "table", prof.table_pt, exact=False)
    setup("落款", "body", prof.body_pt, align=WD_ALIGN_PARAGRAPH.RIGHT)
    for name in ("Heading 1", "Heading 2"):
        doc.styles[name].font.color.rgb = RGBColor(0, 0, 0)
    title = doc.styles["Title"].element.get_or_add_pPr()
    for rule in title.findall(qn("w:pBdr")):  # Word's Title has a coloured rule under it; 公文 titles do not
        title.remove(rule)


def build_template(path: Path = TEMPLATE) -> Path:
    """Write the reference template: python-docx's default document with the report styles added."""
    from docx import Document

    from fundreport.render.ooxml import write_package
    from fundreport.render.word_profile import PROFILES

    doc = Document()
    apply_profile(doc, PROFILES["gbt9704"], font=lambda role: FONTS[role][0])
    props = doc.core_properties
    props.title, props.author, props.comments = "医保基金运行分析报告模板", "fundreport", "公文样式（GB/T 9704-2012）"
    props.created = props.modified = dt.datetime(2026, 1, 1)
    props.last_modified_by, props.revision = "fundreport", 1
    buf = io.BytesIO()
    doc.save(buf)
    return write_package(path, buf.getvalue())
