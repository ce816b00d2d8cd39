"""Executed report notebook -> one self-contained HTML document.

:func:`notebook_to_html` runs nbconvert's HTMLExporter in-process with the ``fundreport`` template
(``templates/fundreport``, which extends ``lab``): outputs only, no code or prompts, images inlined
as data URIs, an inline stylesheet for screen and print, a title block and a table of contents from
``nb.metadata.fundreport``. The result references nothing outside itself and is byte-identical
for the same notebook. :func:`external_urls` is the guard that checks the first property.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "fundreport"

# Values of URL-bearing attributes, url(...) and @import "..." that leave the document:
# http(s) and protocol-relative ("//host/...") references. data: URIs and #anchors are fine.
_REMOTE = r"(?:https?:)?//[^\s\"'<>()]+"
_URL_PATTERNS = (
    re.compile(r"""\b(?:src|href|poster|action|background|xlink:href)\s*=\s*["']?\s*(""" + _REMOTE + ")", re.I),
    re.compile(r"""\burl\(\s*["']?\s*(""" + _REMOTE + ")", re.I),
    re.compile(r"""@import\s+["']\s*(""" + _REMOTE + ")", re.I),
)
_SRCSET = re.compile(r"""\bsrcset\s*=\s*(["'])(.*?)\1""", re.I | re.S)
# HTMLExporter.from_notebook_node re-registers filters on its shared Jinja environment: one call at a time.
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _exporter() -> HTMLExporter:
    """One exporter per process: building it loads the template tree and preprocessors."""
    return HTMLExporter(
        template_name="fundreport",
        extra_template_basedirs=[str(TEMPLATE_DIR.parent)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
        embed_images=True,
    )


def notebook_to_html(nb: nbformat.NotebookNode) -> str:
    """Render an executed notebook as one HTML document (outputs only, self-contained).

    No post-processing is applied: the template emits no scripts, external stylesheets or
    generated ids (it drops the outputs that would need them), so the exporter's output is
    already deterministic. Callers should still check :func:`external_urls` because markdown
    cells and HTML outputs are passed through as written.
    """
    with _LOCK:
        body, _resources = _exporter().from_notebook_node(nb)
    return body


class _Refs(HTMLParser):
    """Collects the URLs a document would load: URL attributes of real elements, and url()/@import in
    <style> elements and style attributes. Text (where params text lands, escaped) is never inspected."""

    URL_ATTRS = frozenset({"src", "href", "poster", "action", "background", "xlink:href", "data", "formaction"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        for name, value in attrs:
            if value is None:
                continue
            if name in self.URL_ATTRS and re.match(_REMOTE, value.strip(), re.I):
                self.found.append(value.strip())
            elif name in {"srcset", "imagesrcset"}:
                self.found += [c.strip().split(" ")[0] for c in value.split(",") if re.match(_REMOTE, c.strip(), re.I)]
            elif name == "style":
                self._css(value)
        self._in_style = tag == "style"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):  # noqa: ANN001
        if self._in_style:
            self._css(data)

    def _css(self, css: str) -> None:
        hits = [(m.start(1), m.group(1)) for pattern in _URL_PATTERNS[1:] for m in pattern.finditer(css)]
        self.found += [url for _, url in sorted(hits)]


def external_urls(html: str) -> list[str]:
    """Every http(s) or protocol-relative URL the document would load (see :class:`_Refs`), in order."""
    parser = _Refs()
    parser.feed(html)
    parser.close()
    return list(dict.fromkeys(parser.found))
