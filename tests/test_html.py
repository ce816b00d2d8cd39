"""HTML export: outputs only, escaped metadata, self-contained, deterministic."""

from __future__ import annotations

import base64
import copy
import io
import os

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from fundreport.atomic import write_text_atomic
from fundreport.render.export import TEMPLATE_DIR, external_urls, notebook_to_html

PARAGRAPH = "2024年1-3月，全市职工基本医保基金收入24959.60万元（去年同期28990.38万元），比降13.90%。"
SECRET_SOURCE = "render_section_secret_source('income_expense')"
SECRET_STDERR = "STDERR-SHOULD-NOT-APPEAR"
HOSTILE_TITLE = "<script>alert(1)</script>医保基金运行分析报告"


def chart_png() -> str:
    """A small PNG chart with Chinese text, base64 as in a notebook output."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from fundreport.render.fonts import configure_matplotlib

    configure_matplotlib()
    fig, ax = plt.subplots(figsize=(4, 2.4), dpi=80)
    ax.bar(["职工", "居民"], [24959.6, 18000.0], color=["#444", "#999"])
    ax.set_title("基金收入（万元）")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def section_html(png: str) -> str:
    return (
        '<section class="fr-section" id="sec-income_expense">\n<h2>三、基金收支情况</h2>\n'
        f'<p class="fr-para">{PARAGRAPH}</p>\n'
        '<figure class="fr-table"><figcaption>表1 基金收支情况</figcaption><table class="fr-table"><thead><tr>'
        '<th>险种</th><th class="num">本期</th></tr></thead><tbody><tr><td>职工</td><td class="num">24,959.60</td>'
        '</tr><tr class="total"><td>合计</td><td class="num neg">-1.00</td></tr></tbody></table>'
        '<p class="fr-note">单位：万元</p></figure>\n'
        f'<figure class="fr-chart"><img src="data:image/png;base64,{png}" alt="基金收入图">'
        "<figcaption>图1 基金收入</figcaption></figure>\n"
        '<aside class="fr-commentary"><h3>分析说明</h3><p>收入下降主要受补缴减少影响。</p></aside>\n'
        '<div class="fr-flags"><span class="fr-flag risk">当期收不抵支</span></div>\n</section>'
    )


def make_report_notebook(png: str, title: str = HOSTILE_TITLE) -> nbformat.NotebookNode:
    """An 'executed' report notebook built by hand: no kernel needed."""
    nb = new_notebook()
    nb.cells = [
        new_code_cell(
            "import fundreport",
            execution_count=1,
            outputs=[new_output("stream", name="stderr", text=f"{SECRET_STDERR}\n")],
        ),
        new_code_cell(
            SECRET_SOURCE,
            execution_count=2,
            outputs=[
                new_output("stream", name="stderr", text=f"warning: {SECRET_STDERR}\n"),
                new_output("display_data", data={"text/html": section_html(png), "text/plain": "<Section>"}),
            ],
        ),
        new_code_cell("x = 1", execution_count=3, outputs=[new_output("display_data", data={"text/html": "  \n"})]),
        new_code_cell(
            "js()",
            execution_count=4,
            outputs=[new_output("display_data", data={"application/javascript": "alert('js')"})],
        ),
        new_markdown_cell("## 附注\n\n本报告数据来源于医保信息平台。"),
    ]
    nb.metadata["fundreport"] = {
        "title": title,
        "organisation": "鄂州市医疗保障局 & 统计科",
        "region_name": "鄂州市",
        "period_label": "2024年1-3月",
        "data_date": "2024-03-31",
        "lang": "zh",
        "toc": [{"id": "sec-income_expense", "title": "三、基金收支情况 <b>"}],
    }
    return nb


@pytest.fixture(scope="module")
def png() -> str:
    return chart_png()


@pytest.fixture(scope="module")
def html(png) -> str:
    return notebook_to_html(make_report_notebook(png))


def test_template_folder_is_found():
    assert (TEMPLATE_DIR / "conf.json").is_file()
    assert (TEMPLATE_DIR / "index.html.j2").is_file()


def test_lang_and_outputs_only(html, png):
    assert '<html lang="zh">' in html
    assert PARAGRAPH in html
    assert png in html
    assert "<h2>附注</h2>" in html and "<p>本报告数据来源于医保信息平台。</p>" in html  # markdown cells stay
    # no code, no prompts, no stderr, no JavaScript output
    assert "render_section_secret_source" not in html
    assert "import fundreport" not in html
    assert "In&nbsp;[" not in html and "In [" not in html and "Out[" not in html
    assert SECRET_STDERR not in html
    assert "alert('js')" not in html and "<script" not in html
    # only the cell with a visible output gets a wrapper: empty, stderr-only and JS-only cells vanish
    assert html.count('<div class="fr-cell">') == 1


def test_title_block_and_toc_escape_metadata(html):
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;医保基金运行分析报告" in html
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;医保基金运行分析报告 · 鄂州市 · 2024年1-3月</title>" in html
    assert "鄂州市医疗保障局 &amp; 统计科" in html
    assert "2024-03-31" in html
    assert '<a href="#sec-income_expense">三、基金收支情况 &lt;b&gt;</a>' in html
    assert 'id="sec-income_expense"' in html
    # the running page header (WeasyPrint string-set) holds region · period · title
    assert "鄂州市 · 2024年1-3月 · &lt;script&gt;" in html


def test_missing_metadata_is_tolerated(png):
    nb = make_report_notebook(png)
    del nb.metadata["fundreport"]
    html = notebook_to_html(nb)
    assert '<html lang="zh">' in html
    assert "<title></title>" in html
    assert 'class="fr-toc"' not in html
    assert PARAGRAPH in html

    nb.metadata["fundreport"] = {"title": "报告", "toc": [{"id": "sec-a"}]}
    html = notebook_to_html(nb)
    assert "<title>报告</title>" in html
    assert '<a href="#sec-a"></a>' in html


def test_self_contained(html):
    assert external_urls(html) == []
    assert "http" not in html
    assert "<link" not in html
    assert "<script" not in html


def test_deterministic(png):
    nb = make_report_notebook(png)
    before = copy.deepcopy(nb)
    first = notebook_to_html(nb)
    assert nb == before  # the exporter works on a copy
    # a round trip through the file format (as after papermill) changes nothing either
    again = notebook_to_html(nbformat.reads(nbformat.writes(nb), as_version=4))
    assert first.encode("utf-8") == again.encode("utf-8")


def test_size_is_reasonable(html, png):
    # the page is the PNG (inlined once) plus a few tens of kB of markup and CSS
    assert len(html.encode("utf-8")) < len(png) + 40_000
    assert len(html.encode("utf-8")) < 1_000_000


def test_external_urls_finds_remote_references():
    doc = """
    <img src="https://example.org/a.png"><link rel="stylesheet" href='//cdn.example.org/x.css'>
    <style>@import "http://example.org/i.css"; body { background: url( 'https://example.org/b.jpg' ) }
    @font-face { src: url(//fonts.example.org/f.woff2) }</style>
    <img srcset="data:image/png;base64,AAAA 1x, https://example.org/c.png 2x">
    <a href="#sec-a">ok</a><img src="data:image/png;base64,AAAA"><p>text about http://example.org is not a reference</p>
    <img src="https://example.org/a.png">
    """
    assert external_urls(doc) == [
        "https://example.org/a.png",
        "//cdn.example.org/x.css",
        "http://example.org/i.css",
        "https://example.org/b.jpg",
        "//fonts.example.org/f.woff2",
        "https://example.org/c.png",
    ]
    assert external_urls('<a href="#x">a</a><img src="data:image/png;base64,AA">') == []


def test_write_text_atomic(tmp_path, monkeypatch):
    target = tmp_path / "report.html"
    write_text_atomic(target, "旧")
    write_text_atomic(target, "新\n")
    assert target.read_bytes() == "新\n".encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_text_atomic(target, "半")
    assert target.read_text(encoding="utf-8") == "新\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_escaped_params_text_is_not_taken_for_a_reference():
    # commentary or an organisation name with markup is escaped text, not an element: nothing is loaded
    doc = '<p class="fr-para">&lt;img src=http://evil.example/x.png&gt; &lt;/style&gt;&lt;link href="//x.example/a.css"&gt;</p>'
    assert external_urls(doc) == []
    assert external_urls('<div style="background: url(https://x.example/b.png)">x</div>') == ["https://x.example/b.png"]
