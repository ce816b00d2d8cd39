"""PDF output (WeasyPrint, Chromium), the CJK font preflight and atomic writes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from fundreport.render import fonts, pdf
from fundreport.render.export import notebook_to_html
from fundreport.render.fonts import FontError, cjk_font_preflight, configure_matplotlib
from fundreport.render.pdf import PdfError, find_chromium, html_to_pdf
from tests.test_html import PARAGRAPH, chart_png, make_report_notebook


def require(tool: str, path: str | None, install: str) -> str:
    """Skip when an external binary is missing, except under CI=true, where CI installs it: fail."""
    if path:
        return path
    if os.environ.get("CI") == "true":
        pytest.fail(f"{tool} not found, but CI=true and CI must install it ({install})")
    pytest.skip(f"{tool} not found; to run this test: {install}")


def poppler(tool: str, *args: str) -> str:
    binary = require(tool, shutil.which(tool), "apt-get install poppler-utils")
    return subprocess.run([binary, *args], capture_output=True, text=True, check=True, timeout=60).stdout


def flat(text: str) -> str:
    """Text without whitespace: pdftotext spaces and wraps CJK text its own way."""
    return re.sub(r"\s+", "", text)


def page_count(path: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", poppler("pdfinfo", str(path)), re.M).group(1))


@pytest.fixture(scope="module")
def html() -> str:
    return notebook_to_html(make_report_notebook(chart_png(), title="医保基金运行分析报告"))


@pytest.fixture(scope="module")
def weasy_pdf(html, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("weasy") / "report.pdf"
    assert html_to_pdf(html, out, engine="weasyprint") == out
    return out


def test_weasyprint_text_header_and_footer(weasy_pdf):
    assert weasy_pdf.read_bytes()[:5] == b"%PDF-"
    text = flat(poppler("pdftotext", str(weasy_pdf), "-"))
    assert flat(PARAGRAPH) in text
    assert "鄂州市·2024年1-3月·医保基金运行分析报告" in text  # running header
    pages = page_count(weasy_pdf)
    assert f"第1页共{pages}页" in text
    assert f"第{pages}页共{pages}页" in text


def test_weasyprint_embeds_noto_cjk(weasy_pdf):
    rows = poppler("pdffonts", str(weasy_pdf)).splitlines()[2:]
    # columns: name, type (may contain spaces), encoding, emb, sub, uni, object id (2 fields)
    embedded = {row.split()[0] for row in rows if row.split()[-5] == "yes"}
    assert any("notosanscjk" in name.replace("-", "").lower() for name in embedded), rows


def test_chromium_engine(html, tmp_path):
    require(
        "Chromium (chromium, chromium-browser, google-chrome or $FUNDREPORT_CHROMIUM)",
        find_chromium(),
        "apt-get install chromium, or make browser",
    )
    out = html_to_pdf(html, tmp_path / "report.pdf", engine="chromium")
    text = flat(poppler("pdftotext", str(out), "-"))
    assert flat(PARAGRAPH) in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]
    # the warm browser's header and footer templates: running header and 第 N 页 共 M 页, once each
    pages = page_count(out)
    assert text.count("鄂州市·2024年1-3月·医保基金运行分析报告") == pages
    assert f"第1页共{pages}页" in text and f"第{pages}页共{pages}页" in text and "第1页共第" not in text
    rows = poppler("pdffonts", str(out)).splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" and row.split()[-3] == "yes" for row in rows)  # embedded, Unicode


def test_chromium_stays_warm_between_reports(html, tmp_path):
    from fundreport.render import chromium

    binary = require("Chromium", find_chromium(), "apt-get install chromium, or make browser")
    if not chromium.available() and os.environ.get("CI") == "true":
        pytest.fail("Playwright is required in CI (make setup installs the chromium extra)")
    pytest.importorskip("playwright")
    html_to_pdf(html, tmp_path / "a.pdf", engine="chromium")
    browser = chromium.printer(binary)._browser
    html_to_pdf(html.replace("医保基金运行分析报告", "第二份报告"), tmp_path / "b.pdf", engine="chromium")
    assert chromium.printer(binary)._browser is browser and browser.alive()  # one browser for both
    assert "第二份报告" in flat(poppler("pdftotext", str(tmp_path / "b.pdf"), "-"))


def test_chromium_without_playwright_prints_once(monkeypatch, html, tmp_path):
    from fundreport.render import chromium

    require("Chromium", find_chromium(), "apt-get install chromium, or make browser")
    monkeypatch.setattr(chromium, "available", lambda: False)
    out = html_to_pdf(html, tmp_path / "report.pdf", engine="chromium")
    assert flat(PARAGRAPH) in flat(poppler("pdftotext", str(out), "-"))


def test_auto_engine_prefers_weasyprint(monkeypatch, html, tmp_path):
    used = []

    def fake_weasyprint(_html: str, target: Path) -> None:
        used.append("weasyprint")
        target.write_bytes(b"%PDF-")

    monkeypatch.setattr(pdf, "_weasyprint", fake_weasyprint)
    monkeypatch.setattr(pdf, "weasyprint_available", lambda: True)
    assert html_to_pdf(html, tmp_path / "a.pdf").read_bytes() == b"%PDF-"
    assert used == ["weasyprint"]


def test_auto_engine_without_any_engine(monkeypatch, html, tmp_path):
    monkeypatch.setattr(pdf, "weasyprint_available", lambda: False)
    monkeypatch.setattr(pdf, "find_chromium", lambda: None)
    with pytest.raises(PdfError, match="apt-get install chromium"):
        html_to_pdf(html, tmp_path / "a.pdf")
    with pytest.raises(ValueError, match="unknown PDF engine"):
        html_to_pdf(html, tmp_path / "a.pdf", engine="wkhtmltopdf")
    assert list(tmp_path.iterdir()) == []


def test_engine_failure_leaves_no_file(monkeypatch, html, tmp_path):
    def half_then_crash(_html: str, target: Path) -> None:
        target.write_bytes(b"%PDF-1.7 half written")
        raise RuntimeError("engine crashed")

    monkeypatch.setattr(pdf, "_weasyprint", half_then_crash)
    out = tmp_path / "report.pdf"
    with pytest.raises(RuntimeError, match="engine crashed"):
        html_to_pdf(html, out, engine="weasyprint")
    assert list(tmp_path.iterdir()) == []

    out.write_bytes(b"%PDF- previous good report")
    with pytest.raises(RuntimeError, match="engine crashed"):
        html_to_pdf(html, out, engine="weasyprint")
    assert out.read_bytes() == b"%PDF- previous good report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


def test_preflight_finds_noto_sans_cjk_sc():
    assert cjk_font_preflight() == "Noto Sans CJK SC"


def test_preflight_preference(monkeypatch):
    monkeypatch.setattr(fonts, "_fontconfig_families", lambda: ["Noto Serif CJK JP", "WenQuanYi Zen Hei"])
    assert cjk_font_preflight() == "WenQuanYi Zen Hei"
    monkeypatch.setattr(fonts, "_fontconfig_families", lambda: ["Noto Sans Mono CJK SC", "Some Hei Font"])
    assert cjk_font_preflight() == "Some Hei Font"


def test_preflight_without_fonts(monkeypatch, html, tmp_path):
    monkeypatch.setattr(fonts, "_fontconfig_families", lambda: [])
    monkeypatch.setattr(fonts, "_matplotlib_families", lambda: [])
    with pytest.raises(FontError, match=r"no Chinese \(CJK\) font found; install fonts-noto-cjk"):
        cjk_font_preflight()
    with pytest.raises(FontError):
        html_to_pdf(html, tmp_path / "report.pdf", engine="weasyprint")
    with pytest.raises(FontError):
        configure_matplotlib()
    assert list(tmp_path.iterdir()) == []


def test_configure_matplotlib():
    import matplotlib

    family = configure_matplotlib()
    assert family == "Noto Sans CJK SC"
    assert matplotlib.rcParams["font.sans-serif"][0] == family
    assert matplotlib.rcParams["font.family"] == ["sans-serif"]
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    assert matplotlib.rcParams["svg.hashsalt"] == "fundreport"
