"""HTML report -> PDF, with WeasyPrint (in-process) or headless Chromium.

WeasyPrint is the default: it reads the template's paged CSS (running header, "第 N 页 共 M 页"
footer) and embeds subset fonts; one font configuration serves every report of a process, the
min-content widths of table text are remembered between reports (:mod:`.weasy_widths`), and garbage
collection waits while a document is laid out (the layout makes many short-lived objects and no cycles
worth collecting mid-way). Chromium (``engine="chromium"``) prints through a warm browser kept open per
process (:mod:`fundreport.render.chromium`), or, without Playwright, a one-off headless run; it is also
the fallback when WeasyPrint's system libraries are missing. Either way the PDF is written to a temporary
file next to ``out`` and moved into place, so ``out`` is never a half-written PDF.
"""

from __future__ import annotations

import atexit
import gc
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from fundreport.atomic import atomic_path
from fundreport.render.fonts import cjk_font_preflight

ENGINES = ("auto", "weasyprint", "chromium")
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_TIMEOUT = 180  # seconds; a long report with many charts prints in well under a minute


class PdfError(RuntimeError):
    """No usable PDF engine, or the engine failed."""


def weasyprint_available() -> bool:
    """True when WeasyPrint imports, which includes loading Pango/HarfBuzz (OSError when missing)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def find_chromium() -> str | None:
    """Path of a Chromium/Chrome binary: env FUNDREPORT_CHROMIUM, else the first known name on PATH."""
    explicit = os.environ.get("FUNDREPORT_CHROMIUM")
    if explicit:
        return shutil.which(explicit)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _data_only_fetcher():
    """A WeasyPrint URL fetcher that resolves data: URIs only: reports are self-contained, and a
    stray remote URL must not stall an offline render on network timeouts."""
    from weasyprint import urls

    if hasattr(urls, "URLFetcher"):  # newer WeasyPrint (70 has it): a fetcher class
        return urls.URLFetcher(allowed_protocols={"data"})

    def fetch(url: str, *args, **kwargs):  # older WeasyPrint: a plain function
        if not url.startswith("data:"):
            raise ValueError(f"refusing to fetch {url!r}: reports must be self-contained")
        return urls.default_url_fetcher(url, *args, **kwargs)

    return fetch


@cache
def _font_config():
    """One WeasyPrint font configuration per process (fontconfig set up once, fonts reused); the
    process also remembers table text widths from report to report (:mod:`.weasy_widths`)."""
    from weasyprint.text.fonts import FontConfiguration

    from fundreport.render import weasy_widths

    weasy_widths.install()
    # Dropped at exit while modules still work: its __del__ removes a temporary folder with shutil, which
    # is gone (None) if the object lives until interpreter shutdown ("Exception ignored in __del__").
    atexit.register(_font_config.cache_clear)
    return FontConfiguration()


@contextmanager
def _gc_paused():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _weasyprint(html: str, target: Path) -> None:
    import weasyprint

    with _gc_paused():
        document = weasyprint.HTML(string=html, base_url=None, url_fetcher=_data_only_fetcher())
        document.write_pdf(target, font_config=_font_config())


def _chromium(html: str, target: Path) -> None:
    binary = find_chromium()
    if binary is None:
        raise PdfError("Chromium not found: apt-get install chromium, or set FUNDREPORT_CHROMIUM")
    from fundreport.render import chromium

    if chromium.available():
        try:
            chromium.printer(binary).print(html, target)
        except chromium.ChromiumError as exc:
            raise PdfError(str(exc)) from exc
        return
    _chromium_once(binary, html, target)


def _chromium_once(binary: str, html: str, target: Path) -> None:
    """A one-off headless Chromium print (no running header): for installs without Playwright."""
    with tempfile.TemporaryDirectory(prefix="fundreport-chromium-") as work:
        page = Path(work) / "report.html"
        page.write_text(html, encoding="utf-8")
        from fundreport.render.chromium import OFFLINE_ARGS

        cmd = [
            binary,
            "--headless",
            *OFFLINE_ARGS,
            f"--user-data-dir={Path(work) / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={target}",
            page.as_uri(),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT, check=False)
        except subprocess.TimeoutExpired as exc:
            raise PdfError(f"Chromium did not finish printing within {CHROMIUM_TIMEOUT} s") from exc
    # Chromium can exit 0 without writing anything (bad flags, crashed renderer): check the file.
    if proc.returncode != 0 or not target.exists() or target.read_bytes()[:5] != b"%PDF-":
        tail = "\n".join(proc.stderr.strip().splitlines()[-5:])
        raise PdfError(f"Chromium failed to print the PDF (exit {proc.returncode}): {tail}")


def _engine(engine: str) -> Callable[[str, Path], None]:
    if engine not in ENGINES:
        raise ValueError(f"unknown PDF engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if engine == "weasyprint":
        return _weasyprint
    if engine == "chromium":
        return _chromium
    if weasyprint_available():
        return _weasyprint
    if find_chromium():
        return _chromium
    raise PdfError(
        "no PDF engine available: install WeasyPrint's system libraries "
        "(apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0) "
        "or Chromium (apt-get install chromium, or set FUNDREPORT_CHROMIUM)"
    )


def warm_up(engine: str = "auto") -> None:
    """Start what ``engine`` needs before the first report: WeasyPrint's modules and font configuration,
    or the warm Chromium."""
    render = _engine(engine)
    if render is _weasyprint:
        _font_config()
    elif render is _chromium and (binary := find_chromium()):
        from fundreport.render import chromium

        if chromium.available():
            chromium.printer(binary).start()


def html_to_pdf(html: str, out: Path, engine: str = "auto") -> Path:
    """Print a self-contained HTML report to ``out`` as PDF; returns ``out``.

    engine: "weasyprint", "chromium" or "auto" (WeasyPrint if it loads, else Chromium).
    Raises FontError when no Chinese font is installed, PdfError when no engine works.
    """
    out = Path(out)
    render = _engine(engine)
    cjk_font_preflight()
    with atomic_path(out) as tmp:
        render(html, tmp)
    return out
