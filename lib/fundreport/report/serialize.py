"""A built :class:`~fundreport.report.model.Report` as plain, stably ordered data (for golden files and metadata).

``report_to_dict(report)`` walks the model and returns dicts, lists, strings
and numbers only: sections in order, each block with its kind; tables with
their columns and their rows keyed by column key; charts with their data
rows; key figures with value, unit and formatted text; flags; audit
findings. Nothing in it depends on the machine, the time or a random id, so
the same inputs give the same text.

Floats are written with 12 significant digits (:func:`stable_number`):
enough to show any change of a figure a report prints (money to the fen up
to 10¹⁰ 元, rates to 10⁻¹⁰), while the last-bit noise of a different but
equivalent summation order does not make a golden file move.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, fields, is_dataclass
from typing import Any

from fundreport.report.model import Chart, Commentary, KeyFigure, Paragraph, Report, Section, Table

SIGNIFICANT = 12


def stable_number(v: Any) -> Any:
    """Round floats to :data:`SIGNIFICANT` significant digits; NaN/inf become strings; ints stay."""
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        if not math.isfinite(v):
            return str(v)
        r = float(f"{v:.{SIGNIFICANT}g}")
        return int(r) if r.is_integer() and abs(r) < 1e15 else r
    return v


def _plain(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    if isinstance(v, frozenset | set):
        return sorted(_plain(x) for x in v)
    if is_dataclass(v) and not isinstance(v, type):
        return {f.name: _plain(getattr(v, f.name)) for f in fields(v)}
    if hasattr(v, "item") and callable(v.item):  # numpy scalars
        return stable_number(v.item())
    return stable_number(v)


def table_to_dict(table: Table, number: int | None = None) -> dict:
    keys = [c.key for c in table.columns]
    return {
        "kind": "table",
        "id": table.id,
        "number": number,
        "title": table.title,
        "columns": [{"key": c.key, "label": c.label, "fmt": c.fmt} for c in table.columns],
        "rows": [dict(zip(keys, _plain(list(r)), strict=True)) for r in table.rows],
        "total_rows": sorted(table.total_rows),
        "note": table.note,
        "row_funds": list(table.row_funds),
    }


def block_to_dict(block, numbers: dict[str, int]) -> dict:
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "text": block.text}
    if isinstance(block, Commentary):
        return {"kind": "commentary", "title": block.title, "paragraphs": list(block.paragraphs)}
    if isinstance(block, Table):
        return table_to_dict(block, numbers.get(block.id))
    if isinstance(block, Chart):
        d = _plain(asdict(block))
        return {"kind": "chart", "number": numbers.get(block.id), **d}
    raise TypeError(f"unknown block {type(block).__name__}")


def key_figure_to_dict(k: KeyFigure) -> dict:
    return _plain(k)


def section_to_dict(section: Section, numbers: dict[str, int]) -> dict:
    return {
        "code": section.code,
        "title": section.title,
        "key_figures": [key_figure_to_dict(k) for k in section.key_figures],
        "flags": [_plain(f) for f in section.flags],
        "blocks": [block_to_dict(b, numbers) for b in section.blocks],
    }


def report_to_dict(report: Report) -> dict:
    """The whole report as plain data (see the module docstring)."""
    return {
        "title": report.title,
        "organisation": report.organisation,
        "region": report.region,
        "region_name": report.region_name,
        "period": report.period,
        "period_label": report.period_label,
        "data_date": report.data_date,
        "money_unit": report.money_unit,
        "sections": [section_to_dict(s, report.numbers) for s in report.sections],
    }


def report_to_json(report: Report) -> str:
    """:func:`report_to_dict` as indented JSON text with a final newline (Chinese kept readable)."""
    return json.dumps(report_to_dict(report), ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def report_metadata(report: Report) -> dict:
    """What the renderer needs of a built report without building it again (nb.metadata.fundreport).

    Title block and TOC (:meth:`Report.metadata`), the region and period codes, the key
    figures and the risk flags (for the index page and the manifest).
    """
    return {
        **report.metadata(),
        "region": report.region,
        "period": report.period,
        "key_figures": [key_figure_to_dict(k) for k in report.key_figures],
        "flags": [_plain(f) for f in report.flags],
    }
