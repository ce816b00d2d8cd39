"""Remembered text widths for WeasyPrint's automatic table layout.

Why: WeasyPrint sizes every table column from the min- and max-content widths of its cells. For the
min-content width of a text it lays the text out once per break opportunity (each Chinese character is
one), with a fresh Pango layout of the rest of the text each time, so a ten-character row label costs ten
layouts; on a 21-page report that is about 9,000 layouts for 1,350 cells, a fifth of the PDF time. A
worker prints many reports whose row labels, column headers and units are the same text in the same
style, so the widths are remembered per process: same text and same text style, same width.

What is remembered is only what ``weasyprint.layout.preferred`` reads from ``split_first_line`` (the
resume index and the width of the first line); the line layout that draws the page still calls Pango
every time. The key is the text, the call's arguments and every style property WeasyPrint's text code
reads (``TEXT_PROPERTIES``; a test checks that list against the installed WeasyPrint's source), so a
remembered width is the width WeasyPrint would compute. A document that brings its own fonts
(``@font-face``) empties the memory, since the same family name may then mean another font.
"""

from __future__ import annotations

from functools import wraps

# Every computed-style property that weasyprint/text/*.py reads while shaping and breaking a line.
TEXT_PROPERTIES = (
    "direction",
    "font_family",
    "font_feature_settings",
    "font_kerning",
    "font_language_override",
    "font_size",
    "font_stretch",
    "font_style",
    "font_variant_alternates",
    "font_variant_caps",
    "font_variant_east_asian",
    "font_variant_ligatures",
    "font_variant_numeric",
    "font_variant_position",
    "font_variation_settings",
    "font_weight",
    "hyphenate_character",
    "hyphenate_limit_chars",
    "hyphenate_limit_zone",
    "hyphens",
    "lang",
    "letter_spacing",
    "line_height",
    "overflow_wrap",
    "tab_size",
    "text_decoration_line",
    "white_space",
    "word_break",
    "word_spacing",
)
MAX_ENTRIES = 200_000  # about 60 MB at most; emptied when full (a worker's labels fit many times over)

_widths: dict = {}
_installed = False


def _key(text, style, max_width, justification_spacing, is_line_start, minimum):
    return (
        text,
        max_width,
        justification_spacing,
        is_line_start,
        minimum,
        tuple(style[name] for name in TEXT_PROPERTIES),
    )


def _remembering(split_first_line):
    @wraps(split_first_line)
    def remembered(text, style, context, max_width, justification_spacing, is_line_start=True, minimum=False):
        try:
            key = _key(text, style, max_width, justification_spacing, is_line_start, minimum)
            hit = _widths.get(key)
        except TypeError:  # a style value that cannot be hashed: compute, do not remember
            return split_first_line(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        if hit is None:
            _, length, resume, width, height, baseline = split_first_line(
                text, style, context, max_width, justification_spacing, is_line_start, minimum
            )
            if len(_widths) >= MAX_ENTRIES:
                _widths.clear()
            # No Pango layout is kept: preferred.py discards it, and it would pin the document's context.
            hit = _widths[key] = (None, length, resume, width, height, baseline)
        return hit

    remembered.__wrapped__ = split_first_line
    return remembered


def _forgetting(add_font_face):
    @wraps(add_font_face)
    def add(self, *args, **kwargs):
        _widths.clear()
        return add_font_face(self, *args, **kwargs)

    return add


def install() -> bool:
    """Remember min/max-content text widths in this process; True when installed (idempotent).

    Does nothing (False) when the installed WeasyPrint does not have the functions this relies on.
    """
    global _installed
    if _installed:
        return True
    try:
        from weasyprint.layout import preferred
        from weasyprint.text.fonts import FontConfiguration
    except (ImportError, OSError):
        return False
    if not callable(getattr(preferred, "split_first_line", None)) or not hasattr(FontConfiguration, "add_font_face"):
        return False
    preferred.split_first_line = _remembering(preferred.split_first_line)
    FontConfiguration.add_font_face = _forgetting(FontConfiguration.add_font_face)
    _installed = True
    return True


def forget() -> None:
    """Empty the memory (tests)."""
    _widths.clear()
