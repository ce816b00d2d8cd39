"""HTML fragments of report sections: what each notebook cell displays.

The fragment of a section is one ``<section>`` element: heading, key-figure
cards and risk flags (overview), paragraphs, tables (pandas Styler, formatted
by :func:`fundreport.text.narrative.fmt_cell`), charts as embedded PNG data URIs,
the analyst's commentary and the audit findings. All text is escaped here;
ids are derived from section codes and table ids, never random, so identical
inputs give identical HTML.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from html import escape
from pathlib import Path

import pandas as pd

from fundreport.render.charts import render_png
from fundreport.report.model import Chart, Commentary, KeyFigure, Paragraph, Report, Section, Table
from fundreport.text import narrative as nv

FRAGMENTS_CSS = Path(__file__).resolve().parent / "templates" / "fundreport" / "fragments.css"

_NUMERIC = {"money", "count", "visits", "percent", "rate", "points", "months", "ratio", "per", "change", "change_count"}
_SIGNED = {"rate", "points", "change", "change_count"}


WIDE = 9
"""Tables with this many columns are set smaller in print so that they fit the A4 text width."""

SHORT = 12
"""Tables with at most this many rows are kept on one page in print; longer ones break between rows."""


NOWRAP = 4
"""Text columns whose every cell has at most this many characters (达成, 未判定) are set without line breaks,
as are text columns of figures (≥413449人, 105.91%); longer words wrap so that wide tables fit the page."""

_FIGURE = re.compile(r"^[≥≤<>=＝+\-−]?[\d.,]+\s?(%|[万亿]?元|[万]?人次?|个月|个百分点|个)?$")


def _short_text(values: pd.Series) -> bool:
    cells = [str(v) for v in values if v is not None and v != ""]
    return all(len(c) <= NOWRAP for c in cells) or all(_FIGURE.match(c) for c in cells)


def table_html(table: Table, number: int | None, unit: str) -> str:
    """A :class:`Table` as a captioned HTML table (Styler with a deterministic uuid).

    Numbers: thousands separators, money in the report unit with 2 decimals,
    signed rates; class ``num`` right-aligns, ``neg`` marks a negative value
    (shown with its minus sign as well), ``total`` marks 合计 rows.
    """
    df = pd.DataFrame(list(table.rows), columns=[c.key for c in table.columns], dtype=object)
    classes = pd.DataFrame("", index=df.index, columns=df.columns)
    for col in table.columns:
        if col.fmt in _NUMERIC:
            classes[col.key] = "num"
            if col.fmt in _SIGNED or col.fmt == "money":
                neg = df[col.key].map(lambda v: isinstance(v, int | float) and v == v and v < 0)
                classes.loc[neg, col.key] = "num neg"
        elif _short_text(df[col.key]):
            classes[col.key] = "nw"  # 达成/未判定, ≥413449人: short cells are never broken per character
    for i in table.total_rows:
        classes.iloc[i] = classes.iloc[i].map(lambda c: (c + " total").strip())
    styler = (
        df.style.format(
            {c.key: (lambda v, f=c.fmt: nv.fmt_cell(v, f, unit=unit)) for c in table.columns}, escape="html"
        )
        .hide(axis="index")
        .relabel_index([escape(c.label) for c in table.columns], axis="columns")
        .set_td_classes(classes)
        .set_uuid(table.id)
        .set_table_attributes('class="fr-table fr-wide"' if len(table.columns) >= WIDE else 'class="fr-table"')
    )
    caption = f"表{number} {escape(table.title)}" if number else escape(table.title)
    note = f'<p class="fr-note">{escape(table.note)}</p>' if table.note else ""
    # the scroll box lets a wide table scroll on a phone instead of the whole page (print ignores it)
    body = f'<div class="fr-scroll">{styler.to_html()}</div>'
    kind = "fr-table fr-short" if len(table.rows) <= SHORT else "fr-table"
    return f'<figure class="{kind}"><figcaption>{caption}</figcaption>{body}{note}</figure>'


def chart_html(chart: Chart, number: int | None) -> str:
    data = base64.b64encode(render_png(chart)).decode("ascii")
    caption = f"图{number} {escape(chart.title)}" if number else escape(chart.title)
    note = f'<p class="fr-note">{escape(chart.note)}</p>' if chart.note else ""
    return (
        f'<figure class="fr-chart"><img src="data:image/png;base64,{data}" alt="{escape(chart.title)}">'
        f"<figcaption>{caption}</figcaption>{note}</figure>"
    )


def keyfigs_html(figures: tuple[KeyFigure, ...]) -> str:
    cards = []
    for k in figures:
        risk = "" if k.risk is None else (" risk" if k.risk else " ok")
        cards.append(
            f'<div class="fr-keyfig{risk}"><div class="label">{escape(k.label)}</div>'
            f'<div class="value">{escape(k.value)}</div><div class="sub">{escape(k.sub)}</div></div>'
        )
    return f'<div class="fr-keyfigs">{"".join(cards)}</div>' if cards else ""


def flags_html(section: Section) -> str:
    """Risk flags (⚠), then checks that could not be made (？); ✓ only when every check was made and none fired."""
    risks = [f for f in section.flags if f.risk]
    unknown = [f for f in section.flags if f.risk is None]
    if not risks and not unknown:
        return '<div class="fr-flags"><span class="fr-flag ok">✓ 未发现风险提示</span></div>'
    items = "".join(f'<li class="fr-flag risk">⚠ {escape(f.text)}</li>' for f in risks)
    if not risks and not any(f.code == "missing_input" for f in unknown):  # nothing assessed: no ✓
        items += '<li class="fr-flag ok">✓ 已评估的事项未发现风险提示</li>'
    items += "".join(f'<li class="fr-flag unknown">？ {escape(f.text)}</li>' for f in unknown)
    return f'<ul class="fr-flags">{items}</ul>'


def section_html(report: Report, section: Section) -> str:
    """One section as an HTML fragment (see the module docstring)."""
    unit = report.money_unit
    parts = [f'<section class="fr-section" id="{escape(section.anchor)}">', f"<h2>{escape(section.title)}</h2>"]
    if section.code == "overview":
        parts += [keyfigs_html(section.key_figures), flags_html(section)]
    for b in section.blocks:
        if isinstance(b, Paragraph):
            parts.append(f'<p class="fr-para">{escape(b.text)}</p>')
        elif isinstance(b, Table):
            parts.append(table_html(b, report.numbers.get(b.id), unit))
        elif isinstance(b, Chart):
            parts.append(chart_html(b, report.numbers.get(b.id)))
        elif isinstance(b, Commentary) and not b.title:  # the section is the analyst's text
            parts.append("".join(f'<p class="fr-para">{escape(t)}</p>' for t in b.paragraphs))
        elif isinstance(b, Commentary):
            paras = "".join(f"<p>{escape(t)}</p>" for t in b.paragraphs)
            parts.append(f'<aside class="fr-commentary"><h3>{escape(b.title)}</h3>{paras}</aside>')
    parts.append("</section>")
    return "\n".join(p for p in parts if p)


@cache
def fragments_css() -> str:
    """The section fragments' stylesheet (shared with the nbconvert template)."""
    return FRAGMENTS_CSS.read_text(encoding="utf-8")


def titleblock_html(meta: dict) -> str:
    """The report's title block for the notebook view (the nbconvert template draws its own)."""
    parts = [f"<span>地区：{escape(meta['region_name'])}</span>" if meta.get("region_name") else ""]
    parts.append(f"<span>统计期间：{escape(meta['period_label'])}</span>" if meta.get("period_label") else "")
    parts.append(f"<span>数据截至：{escape(meta['data_date'])}</span>" if meta.get("data_date") else "")
    org = f'<p class="fr-org">{escape(meta["organisation"])}</p>' if meta.get("organisation") else ""
    return (
        f'<header class="fr-titleblock">{org}<h1 class="fr-title">{escape(meta.get("title", ""))}</h1>'
        f'<p class="fr-meta">{"".join(parts)}</p></header>'
    )
