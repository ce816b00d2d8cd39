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


def external_urls(html: str) -> list[str]:
    """Every http(s) or protocol-relative URL referenced by src/href/srcset/url()/@import, in order."""
    found: list[tuple[int, str]] = []
    for pattern in _URL_PATTERNS:
        found += [(m.start(1), m.group(1)) for m in pattern.finditer(html)]
    for m in _SRCSET.finditer(html):
        for candidate in m.group(2).split(","):
            url = candidate.strip().split(" ")[0]
            if re.match(_REMOTE, url, re.I):
                found.append((m.start(2), url))
    seen: dict[str, None] = {}
    for _pos, url in sorted(found):
        seen.setdefault(url, None)
    return list(seen)
