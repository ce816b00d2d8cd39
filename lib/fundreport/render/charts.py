"""Charts of a report (seaborn on a bare ``matplotlib.figure.Figure``) as deterministic PNG bytes.

One function per :class:`~fundreport.report.model.Chart` kind. Charts are drawn for
print and grey scale: series differ by grey level *and* hatch or marker, not
by hue alone; Chinese labels use the CJK font found by
:func:`fundreport.render.fonts.configure_matplotlib`. PNGs are written without a
timestamp or software tag, so identical inputs give identical bytes.

Importing or using this module changes no global matplotlib or seaborn state:
no backend switch, no ``sns.set_theme``; figures are ``Figure`` objects (not
pyplot's registry) drawn with the Agg canvas inside an ``rc_context`` holding
the seaborn theme and the CJK font, so an analyst's own plots are unaffected.
"""

from __future__ import annotations

import io
from fractions import Fraction
from functools import cache

import matplotlib
import pandas as pd
import seaborn as sns
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from fundreport.data.vocab import UNITS
from fundreport.report.model import Chart
from fundreport.text import narrative as nv
from fundreport.text.labels import BAND_LABELS

GREYS = ["#222222", "#8c8c8c", "#c8c8c8", "#555555", "#aaaaaa"]
HATCHES = ["", "//", "..", "xx", "\\\\"]
MARKERS = ["o", "s", "^", "D", "v"]
DPI = 144
WIDTH_IN = 7.2


@cache
def chart_rc() -> dict:
    """The charts' rcParams: seaborn's whitegrid/paper theme with the CJK font (computed once)."""
    from fundreport.render.fonts import matplotlib_rc

    rc = {**sns.axes_style("whitegrid"), **sns.plotting_context("paper")}
    return {**rc, **matplotlib_rc()}


def _frame(chart: Chart) -> pd.DataFrame:
    df = pd.DataFrame(list(chart.data))
    if chart.kind in {"bars", "trend"}:
        factor = float(UNITS.term(UNITS.resolve(chart.unit)).factor)
        df[chart.y] = df[chart.y] / factor  # display unit; values stay exact in the model
    elif chart.kind == "shares":
        df[chart.y] = df[chart.y] * 100
    return df


def _label(v: float, kind: str) -> str:
    if kind == "shares":
        return nv.fmt_number(Fraction(v).limit_denominator(10**9), 1) + "%"
    if kind == "months":
        return nv.fmt_number(v, 1)
    if float(v).is_integer():
        return nv.fmt_number(v, 0, sep=True)
    return nv.fmt_number(v, 2, sep=True)


def _bars(ax, df: pd.DataFrame, chart: Chart) -> None:
    hue = chart.hue if chart.hue and chart.hue in df else None
    order = list(dict.fromkeys(df[chart.x]))
    hue_order = list(dict.fromkeys(df[hue])) if hue else None
    palette = GREYS[: len(hue_order)] if hue else None
    sns.barplot(
        df, x=chart.x, y=chart.y, hue=hue, order=order, hue_order=hue_order, palette=palette,
        color=None if hue else GREYS[0], ax=ax, edgecolor="black", linewidth=0.6, errorbar=None,
    )  # fmt: skip
    for i, container in enumerate(ax.containers):
        for patch in container:
            patch.set_hatch(HATCHES[i % len(HATCHES)])
        ax.bar_label(container, labels=[_label(v, chart.kind) for v in container.datavalues], fontsize=7, padding=1)


def _trend(ax, df: pd.DataFrame, chart: Chart) -> None:
    series = list(dict.fromkeys(df[chart.hue]))
    for i, name in enumerate(series):
        part = df[df[chart.hue] == name]
        ax.plot(part[chart.x], part[chart.y], marker=MARKERS[i % 5], color=GREYS[i % 5], label=name, linewidth=1.6)
    ax.legend(fontsize=8)


def _months(ax, df: pd.DataFrame, chart: Chart) -> None:
    _bars(ax, df, chart)
    labels = [label for _, label, _ in BAND_LABELS]
    top = max([*df[chart.y].tolist(), chart.cuts[-1] * 1.15 if chart.cuts else 0])
    ax.set_ylim(0, top * 1.08)
    edges = [0, *chart.cuts, top * 1.08]
    for cut in chart.cuts:
        ax.axhline(cut, color="black", linestyle=(0, (4, 3)), linewidth=0.8)
    for i, label in enumerate(labels):
        lo, hi = edges[i], edges[i + 1]
        if lo < top * 1.08:
            ax.text(
                1.005,
                (lo + min(hi, top * 1.08)) / 2,
                label,
                transform=ax.get_yaxis_transform(),
                fontsize=7,
                va="center",
            )


def render_png(chart: Chart) -> bytes:
    """The chart as PNG bytes (deterministic for identical specs)."""
    df = _frame(chart)
    n = df[chart.x].nunique()
    with matplotlib.rc_context(chart_rc()):
        fig = Figure(figsize=(WIDTH_IN, 3.2 if n <= 8 else 3.8), dpi=DPI)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        if chart.kind == "trend":
            _trend(ax, df, chart)
        elif chart.kind == "months":
            _months(ax, df, chart)
        else:
            _bars(ax, df, chart)
        ax.set_xlabel("")
        ax.set_ylabel(chart.ylabel or (chart.unit if chart.kind in {"bars", "trend"} else ""))
        if n > 5:
            ax.tick_params(axis="x", labelrotation=30)
            for t in ax.get_xticklabels():
                t.set_horizontalalignment("right")
        if ax.get_legend() is not None and chart.kind != "trend":
            ax.legend(fontsize=8, title=None)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
        return buf.getvalue()
