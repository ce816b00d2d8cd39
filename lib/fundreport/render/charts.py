"""Charts of a report (plain matplotlib on a bare ``Figure``) as deterministic PNG bytes.

One drawing function per :class:`~fundreport.report.model.Chart` kind, all in the project's style
(:mod:`fundreport.render.chart_style`): a restrained palette, the comparison period in a lighter
tone of the report period's hue, legends above the plot, units in the axis title, value labels
that never overlap (turned upright, then dropped where they still would), negative values below
zero. Chinese labels use the CJK font found by :func:`fundreport.render.fonts.configure_matplotlib`.
PNGs are written without a timestamp or software tag, so identical inputs give identical bytes.

Importing or using this module changes no global matplotlib or seaborn state: figures are
``Figure`` objects (not pyplot's registry) drawn with the Agg canvas inside an ``rc_context``, so
an analyst's own plots are unaffected.
"""

from __future__ import annotations

import io

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from fundreport.data.vocab import UNITS
from fundreport.render import chart_style as st
from fundreport.report.model import Chart
from fundreport.text.labels import BAND_LABELS


def _scale(chart: Chart) -> float:
    """Divisor from the model's base unit to the display unit (万元: 10⁴); 100⁻¹ for fractions in %."""
    if chart.kind in {"rates", "composition"}:
        return 0.01
    if chart.kind == "months":
        return 1.0
    return float(UNITS.term(UNITS.resolve(chart.unit)).factor)


def _grid(chart: Chart) -> tuple[list, list, np.ndarray]:
    """(categories, series, values[series, category]) in display units; NaN where a pair is absent."""
    cats, series = chart.categories(), chart.series() or [None]
    values = np.full((len(series), len(cats)), np.nan)
    scale = _scale(chart)
    for d in chart.data:
        s = series.index(d[chart.hue]) if chart.hue else 0
        values[s, cats.index(d[chart.x])] = float(d[chart.y]) / scale
    return cats, series, values


def _colors(chart: Chart, series: list) -> list[str]:
    if chart.series_kind == "periods":
        return [st.PERIOD_TONES[min(i, len(st.PERIOD_TONES) - 1)] for i in range(len(series))]
    return [st.color(i) for i in range(len(series))]


def _bars(fig, ax, chart: Chart) -> list:
    """Grouped vertical bars; a missing (category, series) pair leaves its slot empty."""
    cats, series, values = _grid(chart)
    n = len(series)
    width = 0.8 / n
    labels = []
    for i, (name, color) in enumerate(zip(series, _colors(chart, series), strict=True)):
        xs = np.arange(len(cats)) - 0.4 + width * (i + 0.5)
        ok = ~np.isnan(values[i])
        bars = ax.bar(xs[ok], values[i][ok], width * 0.92, color=color, label=name, edgecolor="white", linewidth=0.4)
        texts = ax.bar_label(bars, labels=[st.value_label(v, chart) for v in values[i][ok]], padding=1.5, fontsize=7)
        labels += [(t, v, None) for t, v in zip(texts, values[i][ok], strict=True)]
    ax.set_xticks(np.arange(len(cats)), cats)
    ax.set_xlim(-0.6, len(cats) - 0.4)
    ax.axhline(0, color=st.AXIS, linewidth=0.8)
    return labels


def _trend(fig, ax, chart: Chart) -> list:
    cats, series, values = _grid(chart)
    for i, name in enumerate(series):
        ax.plot(range(len(cats)), values[i], marker=st.MARKERS[i % len(st.MARKERS)], color=st.color(i), label=name,
                linewidth=1.6, markersize=4)  # fmt: skip
    ax.set_xticks(range(len(cats)), cats)
    return []


def _months(fig, ax, chart: Chart) -> list:
    """Months of support with the band lines; negative months (a deficit balance) go below zero."""
    labels = _bars(fig, ax, chart)
    _, _, values = _grid(chart)
    lo = min(0.0, float(np.nanmin(values)) * 1.15)
    hi = max(float(np.nanmax(values)), chart.cuts[-1] * 1.15 if chart.cuts else 0.0) * 1.1
    ax.set_ylim(lo, max(hi, ax.get_ylim()[1]))
    hi = ax.get_ylim()[1]
    edges = [lo, *chart.cuts, hi]
    for cut in chart.cuts:
        ax.axhline(cut, color=st.BAND_LINE, linestyle=(0, (4, 3)), linewidth=0.8)
    for i, (_, label, _) in enumerate(BAND_LABELS[: len(edges) - 1]):
        a, b = edges[i], min(edges[i + 1], hi)
        if a < hi and b > lo:
            ax.text(1.005, (max(a, lo) + b) / 2, label, transform=ax.get_yaxis_transform(), fontsize=7, va="center",
                    color=st.TEXT_MUTED)  # fmt: skip
    return labels


def _rates(fig, ax, chart: Chart) -> list:
    labels = _bars(fig, ax, chart)
    ax.yaxis.set_major_formatter(PercentFormatter(100, decimals=0))
    return labels


def _composition(fig, ax, chart: Chart) -> list:
    """One horizontal 100 % bar per category, split into its parts (the hue series).

    A part keeps one colour on every bar; 未分项 (the rest of the total) is light grey. A share is
    written inside its segment only where it fits; the table beside the chart has every figure.
    """
    bars, parts, values = _grid(chart)
    labels = []
    colors = [st.REST if p == st.REST_LABEL else st.color(i) for i, p in enumerate(parts)]
    left = np.zeros(len(bars))
    ys = np.arange(len(bars))[::-1]
    for i, part in enumerate(parts):
        v = np.nan_to_num(values[i])
        segs = ax.barh(ys, v, 0.6, left=left, color=colors[i], label=part, edgecolor="white", linewidth=0.6)
        for rect, value in zip(segs, v, strict=True):
            if value <= 0:
                continue
            dark = st.is_dark(colors[i])
            t = ax.text(rect.get_x() + rect.get_width() / 2, rect.get_y() + rect.get_height() / 2,
                        st.value_label(value, chart), ha="center", va="center", fontsize=7,
                        color="white" if dark else st.TEXT)  # fmt: skip
            labels.append((t, value, rect))
        left += v
    ax.set_yticks(ys, bars)
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(PercentFormatter(100, decimals=0))
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    return labels


DRAW = {"bars": _bars, "trend": _trend, "months": _months, "rates": _rates, "composition": _composition}


def figure(chart: Chart) -> Figure:
    """The chart drawn on a new ``Figure`` (Agg canvas), laid out, value labels placed."""
    n = len(chart.categories())
    if chart.kind == "composition":
        size = (st.WIDTH_IN, 1.0 + 0.5 * n + 0.22 * ((len(chart.series()) + 3) // 4))
    else:
        size = (st.WIDTH_IN, 3.2 if n <= 8 else 3.8)
    with matplotlib.rc_context(st.chart_rc()):
        fig = Figure(figsize=size, dpi=st.DPI)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        labels = DRAW[chart.kind](fig, ax, chart)
        if chart.kind not in {"rates", "composition"}:
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: st.tick_label(v)))
        st.finish_axes(fig, ax, chart, rotate=n > 5 and chart.kind != "composition")
        st.fit_value_labels(fig, ax, labels)
        fig.tight_layout()
        st.fit_value_labels(fig, ax, [lb for lb in labels if lb[0].axes is not None])
        return fig


def warm_up() -> None:
    """Load the CJK font and the text machinery once (a worker does this before its first report)."""
    with matplotlib.rc_context(st.chart_rc()):
        fig = Figure(figsize=(1, 1), dpi=st.DPI)
        FigureCanvasAgg(fig)
        fig.text(0.1, 0.5, "医保基金 0123")
        fig.savefig(io.BytesIO(), format="png")


def render_png(chart: Chart) -> bytes:
    """The chart as PNG bytes (deterministic for identical specs)."""
    fig = figure(chart)
    with matplotlib.rc_context(st.chart_rc()):
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
        return buf.getvalue()
