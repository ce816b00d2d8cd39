"""The project's chart style: palette, type, axis titles, value labels that never overlap.

- Palette: a restrained set of muted hues for categories; for periods, the report period in the
  primary blue and each comparison period in a lighter tone of the same blue, so a reader sees
  "now vs then" without a legend lookup, and the pair still differs in grey scale.
- Axis titles carry the unit (金额（万元）, 人次, 可支付月数（个月）); ticks have thousands separators.
- Value labels: rounded for display only (the table beside the chart has the exact figure); when
  two would overlap they are turned upright, and where they still overlap the smaller value's label
  is dropped. Labels never leave the plot: the value axis grows to hold them.
"""

from __future__ import annotations

from functools import cache

from matplotlib.colors import to_rgb
from matplotlib.transforms import Bbox

from fundreport.data.vocab import UNITS
from fundreport.report.model import Chart
from fundreport.text import narrative as nv

DPI = 144
WIDTH_IN = 7.2

PRIMARY = "#2f5f8f"
#: report period, comparison period, the one before: tones of one hue, darkest first
PERIOD_TONES = (PRIMARY, "#9fbbd8", "#d2e0ee")
#: categories (funds, parts, series of a trend): muted, distinct also in grey scale by lightness
CATEGORIES = ("#2f5f8f", "#d9822b", "#5a9367", "#8c6bb1", "#b5534b", "#6b7b8c", "#c9a227", "#4aa3a8")
REST, REST_LABEL = "#d9d9d9", "未分项"
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
TEXT, TEXT_MUTED, AXIS, GRID, BAND_LINE = "#222222", "#555555", "#555555", "#e3e3e3", "#8a8a8a"


def color(i: int) -> str:
    return CATEGORIES[i % len(CATEGORIES)]


def is_dark(hex_color: str) -> bool:
    r, g, b = to_rgb(hex_color)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5


@cache
def chart_rc() -> dict:
    """rcParams of every chart: light grid, no top/right spines, the CJK font (computed once)."""
    from fundreport.render.fonts import matplotlib_rc

    rc = {
        "font.size": 8,
        "axes.titlesize": 9,
        "axes.labelsize": 8,
        "xtick.labelsize": 8,
        "ytick.labelsize": 8,
        "legend.fontsize": 8,
        "axes.edgecolor": "#bbbbbb",
        "axes.linewidth": 0.8,
        "axes.grid": True,
        "axes.grid.axis": "y",
        "axes.axisbelow": True,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "grid.color": GRID,
        "grid.linewidth": 0.7,
        "xtick.color": TEXT_MUTED,
        "ytick.color": TEXT_MUTED,
        "text.color": TEXT,
        "axes.labelcolor": TEXT,
        "xtick.major.size": 0,
        "ytick.major.size": 0,
        "figure.facecolor": "white",
        "axes.facecolor": "white",
        "savefig.facecolor": "white",
    }
    return {**rc, **matplotlib_rc()}


def axis_title(chart: Chart) -> str:
    """The value axis title with its unit: 金额（万元）, 人次, 可支付月数（个月）, 占比（%）."""
    if chart.ylabel and chart.ylabel not in {"%", "个月"}:
        return chart.ylabel
    if chart.kind == "months":
        return "可支付月数（个月）"
    if chart.kind == "composition":
        return "占比（%）"
    if chart.kind == "rates":
        return "比率（%）"
    term = UNITS.term(UNITS.resolve(chart.unit))
    return {"money": f"金额（{chart.unit}）", "count": f"个数（{chart.unit}）"}.get(term.kind, chart.unit)


def value_label(v: float, chart: Chart) -> str:
    """A bar's label in display units, rounded for reading (the table has the exact figure)."""
    if chart.kind in {"rates", "composition"}:
        return nv.fmt_number(v, 1) + "%"
    if chart.kind == "months":
        return nv.fmt_number(v, 1)
    if float(v).is_integer():
        return nv.fmt_number(v, 0, sep=True)
    size = abs(v)
    return nv.fmt_number(v, 0 if size >= 100 else 1 if size >= 10 else 2, sep=True)


def tick_label(v: float) -> str:
    return nv.fmt_number(v, 0 if float(v).is_integer() else 2, sep=True, trim=True)


def finish_axes(fig, ax, chart: Chart, *, rotate: bool) -> None:
    """Axis titles, legend (above the plot, or below a composition), rotated long category labels."""
    ax.set_xlabel("")
    ax.set_ylabel("")
    if chart.kind == "composition":
        ax.set_xlabel(axis_title(chart))
    else:
        ax.set_ylabel(axis_title(chart))
    if chart.hue:
        n = len(chart.series())
        if chart.kind == "composition":
            ax.legend(loc="upper left", bbox_to_anchor=(0, -0.28 if len(chart.categories()) < 3 else -0.16),
                      ncol=min(n, 4), frameon=False, handlelength=1.2)  # fmt: skip
        else:
            ax.legend(loc="lower left", bbox_to_anchor=(0, 1.01), ncol=min(n, 4), frameon=False, handlelength=1.2)
    if rotate:
        ax.tick_params(axis="x", labelrotation=30)
        for t in ax.get_xticklabels():
            t.set_horizontalalignment("right")
            t.set_rotation_mode("anchor")
    fig.tight_layout()


def _boxes(fig, texts) -> list[Bbox]:
    r = fig.canvas.get_renderer()
    return [t.get_window_extent(r).expanded(1.0, 1.0).padded(1.0) for t in texts]


def _grow_to_fit(fig, ax, texts) -> None:
    """Extend the value axis so that every label lies inside the plot area."""
    for _ in range(3):
        inv = ax.transData.inverted()
        lo, hi = ax.get_ylim()
        boxes = [inv.transform(b) for b in _boxes(fig, texts)]
        top = max([hi, *(b[1][1] for b in boxes)])
        bottom = min([lo, *(b[0][1] for b in boxes)])
        if top <= hi and bottom >= lo:
            return
        span = top - bottom
        ax.set_ylim(bottom - 0.02 * span if bottom < lo else lo, top + 0.02 * span if top > hi else hi)


def _clashes(fig, texts) -> bool:
    boxes = _boxes(fig, texts)
    return any(boxes[i].overlaps(boxes[j]) for i in range(len(boxes)) for j in range(i + 1, len(boxes)))


def fit_value_labels(fig, ax, labels: list) -> None:
    """Place value labels so that none overlaps another or leaves the plot.

    ``labels`` are (Text, value, segment) triples. A label inside a segment (a composition part)
    stays only where it fits the segment. A label above a bar: horizontal first; if two overlap,
    all are turned upright; if some still overlap, labels are kept by decreasing size of value and
    a label that would overlap a kept one is removed."""
    r = fig.canvas.get_renderer()
    for t, _v, seg in labels:
        if seg is not None and t.get_window_extent(r).width > seg.get_window_extent(r).width - 6:
            t.remove()
    free = [(t, v) for t, v, seg in labels if seg is None]
    texts = [t for t, _ in free]
    if not texts:
        return
    _grow_to_fit(fig, ax, texts)
    if _clashes(fig, texts):
        for t in texts:
            t.set_rotation(90)
        _grow_to_fit(fig, ax, texts)
    if _clashes(fig, texts):
        kept: list = []
        for t, _v in sorted(free, key=lambda p: -abs(p[1])):
            box = _boxes(fig, [t])[0]
            if any(box.overlaps(k) for k in _boxes(fig, kept)):
                t.remove()
            else:
                kept.append(t)
