"""Every sample report and the index in a real browser (headless Chromium) at phone and desktop widths:
no horizontal overflow of the page (wide tables scroll inside their box), screenshots kept for review.

Chromium's headless window has a minimum width of 500 px, so each page is loaded into an iframe of the
wanted width (srcdoc: same origin, so a probe script can measure it and report to the host page).
Screenshots go to outputs/_browser/ (ignored by git) for a person to look at.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess

import pytest

from fundreport import cli
from fundreport.render.export import external_urls
from fundreport.render.pdf import find_chromium

from .conftest import ROOT
from .test_faults import project
from .test_pdf import require

SAMPLES = ("ezhou/2024M1-3", "huangshi/2020", "jiashi/2020", "zhuzhou/2021", "zhuzhou/2021H1")
WIDTHS = (390, 1280)
PROBE = """<script>window.addEventListener('load', () => {
  const d = document.documentElement;
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > d.clientWidth + 1 && !e.closest('.fr-scroll, .scroll'))
    .slice(0, 5).map(e => e.tagName + '.' + e.className);
  parent.document.body.setAttribute('data-probe', JSON.stringify({sw: d.scrollWidth, cw: d.clientWidth, wide}));
});</script>"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    chromium = require("Chromium", find_chromium(), "apt-get install chromium, or make browser")
    root = project(tmp_path_factory.mktemp("browser"), SAMPLES)
    assert cli.main(["--root", str(root), "render", "--formats", "html,pdf", "--jobs", "2"]) == 0
    pages = {name: root / "outputs" / name / "report.html" for name in SAMPLES}
    pages["index"] = root / "outputs" / "index.html"
    return chromium, pages


def _host(page: str, width: int) -> str:
    doc = page.replace("</body>", PROBE + "</body>")
    return (
        '<!DOCTYPE html><html><body style="margin:0">'
        f'<iframe width="{width}" height="2400" style="border:0" srcdoc="{html.escape(doc, quote=True)}"></iframe>'
        "</body></html>"
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", [*SAMPLES, "index"])
def test_no_horizontal_overflow_and_nothing_remote(rendered, name, width, tmp_path):
    chromium, pages = rendered
    text = pages[name].read_text(encoding="utf-8")
    assert external_urls(text) == []  # nothing to fetch: the page makes no network request
    assert 'name="viewport"' in text
    host = tmp_path / "host.html"
    host.write_text(_host(text, width), encoding="utf-8")
    base = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--window-size=1400,2400",
        "--virtual-time-budget=8000",
    ]
    dom = subprocess.run([*base, "--dump-dom", host.as_uri()], capture_output=True, text=True, timeout=120).stdout
    found = re.search(r'data-probe="([^"]*)"', dom)
    assert found, "the probe did not run"
    probe = json.loads(html.unescape(found.group(1)))
    shots = ROOT / "outputs" / "_browser"
    shots.mkdir(parents=True, exist_ok=True)
    shot = shots / f"{name.replace('/', '_')}-{width}.png"
    subprocess.run([*base, f"--screenshot={shot}", host.as_uri()], capture_output=True, timeout=120)
    assert probe["sw"] <= probe["cw"], f"{name} at {width}px scrolls sideways by {probe['sw'] - probe['cw']}px"
    assert probe["wide"] == [], f"{name} at {width}px: elements past the right edge {probe['wide']}"


@pytest.mark.parametrize("name", SAMPLES)
def test_pdf_text_stays_inside_the_page_margins(rendered, name):
    """Wide tables are set smaller in print: no word of any page runs past the right margin."""
    _, pages = rendered
    pdf = pages[name].with_name("report.pdf")
    pdftotext = require("pdftotext", shutil.which("pdftotext"), "apt-get install poppler-utils")
    out = subprocess.run([pdftotext, "-bbox", str(pdf), "-"], capture_output=True, text=True, timeout=120).stdout
    width = float(re.search(r'<page width="([\d.]+)"', out).group(1))
    right = width - 16 / 25.4 * 72 + 1.0  # the page's right margin is 16 mm (index.html.j2 @page); 1 pt of slack
    past = [(float(x), w) for x, w in re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)<', out) if float(x) > right]
    assert past == [], f"{name}: text past the right margin: {past[:5]}"


CHAPTER = re.compile(r"^[一二三四五六七八九十]+、")


@pytest.mark.parametrize("name", SAMPLES)
def test_no_pdf_page_is_more_than_half_blank_except_before_a_chapter(rendered, name):
    """A kept-whole table or chart must not leave most of a page blank: the body text of every page reaches
    past half the text height, except on the last page and on a page followed by a new chapter (一、…)."""
    _, pages = rendered
    pdftotext = require("pdftotext", shutil.which("pdftotext"), "apt-get install poppler-utils")
    pdf = pages[name].with_name("report.pdf")
    out = subprocess.run([pdftotext, "-bbox", str(pdf), "-"], capture_output=True, text=True, timeout=120).stdout
    mm = 72 / 25.4
    found = []
    sheets = re.findall(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', out, re.S)
    body = []
    for height, words in sheets:
        top, bottom = 20 * mm, float(height) - 18 * mm  # @page margins of index.html.j2
        boxes = [
            (float(y0), float(y1), t)
            for y0, y1, t in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', words)
        ]
        inside = sorted(b for b in boxes if b[0] >= top - 2 and b[1] <= bottom + 2)
        fill = (max(b[1] for b in inside) - top) / (bottom - top) if inside else 0.0
        body.append((fill, "".join(t for _, _, t in inside[:4])))
    for i, (fill, _first) in enumerate(body[:-1]):
        if fill < 0.5 and not CHAPTER.match(body[i + 1][1]):
            found.append((i + 1, round(fill, 2), body[i + 1][1]))
    assert found == [], f"{name}: pages more than half blank (page, filled, next page starts): {found}"


@pytest.mark.parametrize("name", SAMPLES)
def test_no_pdf_table_column_is_one_character_wide(rendered, name):
    """No cell text is broken one character per line (鄂州 类别 "市/内/一/级", 出处 "sta/te/d."): three or more
    one-character words stacked at the same left edge on touching lines mean a column too narrow for words."""
    _, pages = rendered
    pdftotext = require("pdftotext", shutil.which("pdftotext"), "apt-get install poppler-utils")
    pdf = pages[name].with_name("report.pdf")
    out = subprocess.run([pdftotext, "-bbox", str(pdf), "-"], capture_output=True, text=True, timeout=120).stdout
    found = []
    for n, body in enumerate(re.findall(r"<page [^>]*>(.*?)</page>", out, re.S), 1):
        stacks: dict[int, list] = {}
        for x0, y0, y1, t in re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', body
        ):
            if len(t) == 1:
                stacks.setdefault(round(float(x0)), []).append((float(y0), float(y1), t))
        for items in stacks.values():
            items.sort()
            run = [items[0]]
            for it in [*items[1:], (1e9, 1e9, "")]:
                if it[0] - run[-1][1] < 4:
                    run.append(it)
                    continue
                if len(run) >= 3:
                    found.append((n, "".join(t for *_, t in run)))
                run = [it]
    assert found == [], f"{name}: text broken per character (page, characters): {found[:5]}"
