"""Charts (issue 14): checked on their data (series, denominators) and on the drawn figure (labels).

Every chart of every sample must be honest by :meth:`Chart.problems` (it compares something; a
comparison title has period series; a composition bar is parts of one denominator), and its drawn
value labels must not overlap one another nor leave the figure.
"""

from __future__ import annotations

import pytest
from matplotlib.colors import to_hex

from fundreport.render import chart_style as st
from fundreport.render.charts import figure, render_png
from fundreport.report.build import report_from_params
from fundreport.report.model import Chart

from .conftest import ROOT

SAMPLES = sorted(p for p in (ROOT / "params").rglob("*.yaml") if not p.name.startswith("_"))


def charts_of(report):
    return [b for s in report.sections for b in s.blocks if isinstance(b, Chart)]


@pytest.fixture(scope="module", params=SAMPLES, ids=[f"{p.parent.name}/{p.stem}" for p in SAMPLES])
def charts(request):
    return charts_of(report_from_params(str(request.param)))


def label_boxes(chart: Chart):
    fig = figure(chart)
    r = fig.canvas.get_renderer()
    ax = fig.axes[0]
    texts = [t for t in ax.texts if t.get_visible() and t.get_text()]
    return fig, ax, [t.get_window_extent(r) for t in texts], texts


def test_every_sample_chart_is_honest(charts):
    assert charts, "every sample draws at least one chart"
    assert {c.id: c.problems() for c in charts if c.problems()} == {}


def test_compositions_are_shares_of_one_denominator(charts):
    for c in (c for c in charts if c.kind == "composition"):
        for bar in c.categories():
            parts = [d[c.y] for d in c.data if d[c.x] == bar]
            assert len(parts) >= 2 and all(v >= 0 for v in parts)
            assert sum(parts) == pytest.approx(1, abs=0.006), (c.id, bar)


def test_comparison_charts_use_two_tones_of_one_hue(charts):
    for c in (c for c in charts if c.series_kind == "periods" and len(c.series()) == 2):
        fig = figure(c)
        bars = [p for p in fig.axes[0].patches]
        colors = {to_hex(p.get_facecolor()) for p in bars}
        assert colors == {st.PERIOD_TONES[0], st.PERIOD_TONES[1]}, c.id


def test_value_labels_never_overlap_or_leave_the_figure(charts):
    for c in charts:
        fig, ax, boxes, texts = label_boxes(c)
        clashes = [
            (texts[i].get_text(), texts[j].get_text())
            for i in range(len(boxes))
            for j in range(i + 1, len(boxes))
            if boxes[i].overlaps(boxes[j])
        ]
        assert clashes == [], c.id
        frame = fig.bbox
        assert all(frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1 for b in boxes)


def test_close_values_in_narrow_groups_do_not_print_into_each_other():
    # 鄂州 图2 printed "69,850.2169,308.51": two close values side by side in a crowded chart
    data = []
    for i in range(9):
        data += [
            {"x": f"项目{i}", "series": "2024年1-3月", "y": 698502100 + i},
            {"x": f"项目{i}", "series": "2023年1-3月", "y": 693085100 + i},
        ]
    chart = Chart("c", "bars", "基金收支与去年同期对比", tuple(data), "x", "y", "series", series_kind="periods")
    assert chart.problems() == []
    _fig, _ax, boxes, texts = label_boxes(chart)
    assert texts, "labels are turned upright or thinned, not all dropped"
    assert not any(boxes[i].overlaps(boxes[j]) for i in range(len(boxes)) for j in range(i + 1, len(boxes)))


def test_negative_months_are_drawn_below_zero():
    data = ({"x": "甲县", "y": -2.5}, {"x": "乙县", "y": 7.0})
    chart = Chart("c", "months", "各地区可支付月数", data, "x", "y", cuts=(3, 6, 9, 15))
    fig = figure(chart)
    ax = fig.axes[0]
    lo, _hi = ax.get_ylim()
    heights = sorted(p.get_height() for p in ax.patches)
    assert lo < -2.5 and heights[0] == pytest.approx(-2.5)
    assert render_png(chart) == render_png(chart)  # deterministic bytes


def test_problems_name_what_misleads():
    one = Chart(
        "c", "bars", "基金收支与上年对比", ({"x": "职工医保收入", "series": "2020年度", "y": 1.0},), "x", "y", "series"
    )
    assert any("没有比较" in p for p in one.problems())
    assert any("对比" in p for p in one.problems())
    over = Chart(
        "c",
        "composition",
        "参保人员构成",
        ({"x": "居民医保", "series": "成年人", "y": 0.8}, {"x": "居民医保", "series": "缴费人数", "y": 1.0}),
        "x",
        "y",
        "series",
    )
    assert any("超过100%" in p for p in over.problems())
    twice = Chart("c", "bars", "t", ({"x": "a", "y": 1.0}, {"x": "a", "y": 2.0}), "x", "y")
    assert any("多次" in p for p in twice.problems())


def test_no_chart_without_comparison_or_category():
    jiashi = charts_of(report_from_params(str(ROOT / "params" / "jiashi" / "2020.yaml")))
    assert "c-months" not in {c.id for c in jiashi}  # one fund's months: the sentence and table say it
    huangshi = {c.id: c for c in charts_of(report_from_params(str(ROOT / "params" / "huangshi" / "2020.yaml")))}
    flows = huangshi["c-income-expense"]  # no comparison year: income beside expense, not "对比"
    assert "对比" not in flows.title and flows.series() == ["收入", "支出"]
    assert st.axis_title(flows) == "金额（万元）"
