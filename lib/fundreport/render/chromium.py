"""PDF from a warm Chromium over the DevTools protocol (``--pdf-engine chromium``).

The system's Chromium (Debian's ``chromium`` package, or ``FUNDREPORT_CHROMIUM``) is driven by Playwright's
client; nothing is downloaded. One browser per process is started on first use and kept open for every
later report (closed at exit), so a report costs a page load and a print, not a browser start.

Pages: the template's ``@page`` size and margins are used as they are (``prefer_css_page_size``); the
running header (the report's ``.fr-running`` text) and the "第 N 页 共 M 页" footer come from Chromium's
header and footer templates, because Chromium has no CSS ``string-set``; the template's own margin boxes
are switched off for this engine so nothing is printed twice. Chromium embeds the CJK font (as Type 3
glyphs with a Unicode map: text stays searchable and copyable).

Offline by construction: the page is given as a string, every host name resolves nowhere and every request
goes to a dead proxy, so a stray remote reference cannot stall or leak. Playwright's synchronous API is
used from one thread that owns it (a report may be printed from any thread, or from inside a running
asyncio loop such as a Jupyter kernel's).
"""

from __future__ import annotations

import atexit
import threading
from concurrent.futures import ThreadPoolExecutor
from html import escape
from pathlib import Path

TIMEOUT_S = 180  # a long report prints in a few seconds; a hung renderer must not hang the batch
OFFLINE_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://127.0.0.1:9",
)
_FONT = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif"
# Chromium draws header and footer templates in the page margins, at its own default size unless told.
HEADER = f'<div style="width:100%;text-align:center;font-size:9pt;color:#555;font-family:{_FONT}">{{text}}</div>'
FOOTER = (
    f'<div style="width:100%;text-align:center;font-size:9pt;font-family:{_FONT}">'
    '第 <span class="pageNumber"></span> 页 共 <span class="totalPages"></span> 页</div>'
)
# The template's margin boxes (WeasyPrint's running header and footer), off for this engine.
NO_MARGIN_BOXES = "@page{@top-center{content:none}@bottom-center{content:none}}"


class ChromiumError(RuntimeError):
    """Chromium could not be started or could not print."""


class _Browser:
    """Playwright, one browser and one page, living on the printer thread."""

    def __init__(self, binary: str):
        from playwright.sync_api import sync_playwright

        self.playwright = sync_playwright().start()
        try:
            self.browser = self.playwright.chromium.launch(executable_path=binary, args=list(OFFLINE_ARGS))
            self.page = self.browser.new_page()
        except Exception:
            self.playwright.stop()
            raise

    def alive(self) -> bool:
        return self.browser.is_connected() and not self.page.is_closed()

    def print(self, html: str, target: Path) -> None:
        page = self.page
        page.set_content(html, wait_until="load", timeout=TIMEOUT_S * 1000)
        running = page.evaluate("() => (document.querySelector('.fr-running') || {}).textContent || ''")
        page.add_style_tag(content=NO_MARGIN_BOXES)
        page.pdf(
            path=str(target),
            prefer_css_page_size=True,
            print_background=True,
            display_header_footer=True,
            header_template=HEADER.format(text=escape(running.strip())),
            footer_template=FOOTER,
        )

    def close(self) -> None:
        try:
            self.browser.close()
        finally:
            self.playwright.stop()


class Printer:
    """A warm Chromium for this process; :meth:`print` is safe to call from any thread."""

    def __init__(self, binary: str):
        self.binary = binary
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fundreport-chromium")
        self._browser: _Browser | None = None

    def _ready(self) -> _Browser:
        if self._browser is not None and not self._browser.alive():  # crashed since the last report
            self._close()
        if self._browser is None:
            self._browser = _Browser(self.binary)
        return self._browser

    def _print(self, html: str, target: Path) -> None:
        self._ready().print(html, target)

    def start(self) -> None:
        """Start the browser now (it is otherwise started by the first print)."""
        self._pool.submit(self._ready).result(timeout=TIMEOUT_S)

    def print(self, html: str, target: Path) -> None:
        try:
            self._pool.submit(self._print, html, Path(target)).result(timeout=TIMEOUT_S)
        except TimeoutError as exc:
            raise ChromiumError(f"Chromium did not finish printing within {TIMEOUT_S} s") from exc
        except Exception as exc:  # noqa: BLE001 - Playwright's errors name the cause; keep it
            raise ChromiumError(f"Chromium failed to print: {str(exc).strip().splitlines()[0]}") from exc

    def _close(self) -> None:
        browser, self._browser = self._browser, None
        if browser is not None:
            try:
                browser.close()
            except Exception:  # noqa: BLE001 - a crashed browser cannot be closed twice
                pass

    def close(self) -> None:
        try:
            self._pool.submit(self._close).result(timeout=30)
        except Exception:  # noqa: BLE001 - at exit, nothing more to do
            pass
        self._pool.shutdown(wait=False)


_PRINTERS: dict[str, Printer] = {}
_LOCK = threading.Lock()


def printer(binary: str) -> Printer:
    """This process's warm printer for ``binary`` (started on first use, closed at exit)."""
    with _LOCK:
        if binary not in _PRINTERS:
            _PRINTERS[binary] = Printer(binary)
            atexit.register(_PRINTERS[binary].close)
        return _PRINTERS[binary]


def available() -> bool:
    """True when Playwright's client is installed (the browser itself is looked for separately)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True
