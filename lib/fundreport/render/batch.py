"""Render many params files: validate all first, then a worker pool, then index and manifest.

``render_all`` checks every params file (schema and data) before anything
executes and reports all invalid ones; the valid ones are rendered by
``jobs`` worker processes (each keeps one warm executor: an IPython shell of its
own or a kernel, see :mod:`fundreport.render.execute`). A failing report never stops the
others. At the end ``outputs/index.html`` (one row per report with status,
time, links, key figures and risk flags) and ``outputs/manifest.json``
(hashes, status, timings, paths) are written atomically.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import multiprocessing as mp
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from html import escape
from pathlib import Path

from fundreport.atomic import write_text_atomic
from fundreport.data.decimals import Written
from fundreport.data.paths import slug_for
from fundreport.data.periods import Period
from fundreport.render.cache import RESULT_NAME, inputs_key, reusable
from fundreport.render.result import STALE_DIR, RenderResult
from fundreport.text.labels import RENDER_STATUS, STALE_NOTE
from fundreport.text.narrative import fmt_money

log = logging.getLogger(__name__)

_EXECUTOR = None  # the worker's executor (in-process shell or warm kernel)


def _init_worker(root: str, parent: int, engine: str = "auto", notebook: str | None = None) -> None:
    from fundreport.render.execute import executor, lean_imports

    global _EXECUTOR
    lean_imports()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; Ctrl-C reaches the whole group
    # The parent may be killed (SIGKILL leaves no chance to clean up): a worker whose parent is gone
    # stops its kernel and exits, so no worker or kernel is left behind. ``parent`` is the pid the
    # parent passed, not os.getppid() here: a parent killed while this worker was still importing
    # would otherwise be recorded as init's pid and never be missed.
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    _EXECUTOR = executor(engine, Path(root), Path(notebook) if notebook else Path(root) / "notebooks" / "report.ipynb")
    atexit.register(_EXECUTOR.shutdown)


@contextlib.contextmanager
def _sigint_ignored():
    """SIGINT ignored in this process for the duration (a no-op outside the main thread)."""
    try:
        old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: signals are not ours to set
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            if _EXECUTOR is not None:
                _EXECUTOR.kill_now()  # not shutdown(): the main thread may hold the kernel manager
            os._exit(1)


def _warm(pdf_engine: str) -> None:
    """Load what every report needs (libraries, template, shell, PDF engine) while the parent is still
    checking the params files; a failure here only means the first report pays for it."""
    try:
        import nbformat

        from fundreport import notebook  # noqa: F401 - pandas, the report model and its builders
        from fundreport.render import inprocess, one  # noqa: F401 - papermill
        from fundreport.render.charts import warm_up as warm_charts
        from fundreport.render.execute import InProcess
        from fundreport.render.export import notebook_to_html
        from fundreport.render.pdf import warm_up as warm_pdf

        if isinstance(_EXECUTOR, InProcess):
            inprocess.shell()
        notebook_to_html(nbformat.v4.new_notebook())  # loads and compiles the template
        warm_charts()
        warm_pdf(pdf_engine)
    except Exception:  # noqa: BLE001 - the report itself will meet and report the same problem
        pass


def _work(path: str, root: str, out_root: str, notebook: str | None, formats, pdf_engine: str) -> dict:
    from fundreport.render.one import render_one

    result = render_one(
        Path(path),
        Path(root),
        Path(out_root),
        notebook=Path(notebook) if notebook else None,
        formats=formats,
        pdf_engine=pdf_engine,
        executor=_EXECUTOR,
        checked=True,
    )
    return result.to_json()


def validate_all(paths: list[Path], root: Path) -> tuple[list[Path], list[RenderResult]]:
    """(valid paths, results of the invalid ones with every issue listed)."""
    from fundreport.data.check import check_report

    valid, invalid = [], []
    datasets: dict = {}  # each dataset is loaded once, however many params files use it
    for p in paths:
        check = check_report(p, datasets=datasets)
        if check.ok:
            valid.append(p)
        else:
            r = RenderResult(params=os.path.relpath(Path(p).resolve(), root), status="invalid")
            r.slug = check.params.slug if check.params else slug_for(Path(p), root)
            r.error = issues_text(check.issues)
            invalid.append(r)
    return valid, invalid


def render_all(
    paths: list[Path],
    root: Path,
    out_root: Path,
    *,
    jobs: int | None = None,
    notebook: Path | None = None,
    formats: tuple[str, ...] | None = None,
    pdf_engine: str = "auto",
    on_start: Callable[[int], None] | None = None,
    on_done: Callable[[RenderResult], None] | None = None,
    force: bool = False,
    engine: str = "auto",
    scheduler=None,
) -> list[RenderResult]:
    """Render every params file; returns one result per file, in the order given.

    A report whose inputs (params, defaults, data, notebook, code, formats, engine: see
    :mod:`fundreport.render.cache`) are those of its last successful run is not rendered again unless
    ``force``; its earlier result is returned with ``reused`` set. That check runs before the checking
    and rendering modules are imported.

    ``engine``: how notebooks execute (:data:`fundreport.render.execute.ENGINES`). ``scheduler``: a Dask
    scheduler address (or Client / cluster) to run the reports on instead of the local pool of ``jobs``
    processes (see :mod:`fundreport.render.cluster`)."""
    root, out_root = Path(root).resolve(), Path(out_root).resolve()
    out_root.mkdir(parents=True, exist_ok=True)
    keys: dict[Path, str | None] = {}
    results: dict[str, RenderResult] = {}
    pool = None
    interrupted = None

    def on_result(p: Path, r: RenderResult) -> None:
        results[r.params] = r
        if on_done:
            on_done(r)

    # A Ctrl-C or SIGTERM anywhere from here on stops the workers and still writes index and manifest
    # (test_faults); only the final writing defers it, so that it is never left half done.
    try:
        keys.update((p, inputs_key(p, root, notebook=notebook, formats=formats, pdf_engine=pdf_engine)) for p in paths)
        reused = {} if force else {p: old for p in paths if (old := reusable(p, root, out_root, keys[p])) is not None}
        todo = [p for p in paths if p not in reused]
        # The local workers start (and load their libraries) while the params files are checked here.
        if todo and scheduler is None:
            pool = _start_pool(min(jobs or os.cpu_count() or 1, len(todo)), root, engine, notebook, pdf_engine)
        for r in reused.values():
            on_result(Path(r.params), r)
        valid, invalid = validate_all(todo, root) if todo else ([], [])
        for r in invalid:
            on_result(Path(r.params), r)
            if r.slug:  # the old outputs of a report whose inputs are now invalid must not look current
                from fundreport.render.one import set_aside

                r.stale = set_aside(out_root / r.slug, out_root)
        if on_start:
            on_start(len(valid))
        run = dict(notebook=notebook, formats=formats, pdf_engine=pdf_engine, engine=engine, on_result=on_result)
        if valid and scheduler is not None:
            from fundreport.render import cluster

            cluster.run(scheduler, valid, root, out_root, **run)
        elif valid:
            _run_local(pool, valid, root, out_root, **run)
    except KeyboardInterrupt as exc:  # Ctrl-C or SIGTERM: the workers are stopped, what finished is kept
        interrupted = exc
        if pool is not None:
            _stop(pool)
    except BaseException:  # the workers go too
        if pool is not None:
            _stop(pool)
            pool.shutdown(wait=True, cancel_futures=True)
        raise
    with signals_deferred():
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        ordered = [
            results.get(rel := os.path.relpath(Path(p).resolve(), root))
            or RenderResult(params=rel, status="failed", error="已中断，未生成")
            for p in paths
        ]
        for p, r in zip(paths, ordered, strict=True):
            if r.status == "ok" and not r.reused:
                r.inputs_key = keys.get(p) or ""
        save_results(ordered, out_root)
        everything = all_results(ordered, out_root)
        write_manifest(everything, out_root)
        wants_pdf = any("pdf" in r.outputs for r in everything if r.status == "ok")
        write_index(everything, out_root, pdf_engine=pdf_engine if wants_pdf else None)
    if interrupted is not None:
        raise interrupted
    return ordered


@contextlib.contextmanager
def signals_deferred(signums=(signal.SIGINT, signal.SIGTERM)):
    """Run the block to its end when Ctrl-C or SIGTERM arrives in it, then act on the first such signal as
    its handler would have (KeyboardInterrupt, or the CLI's SIGTERM exception). Outside the main thread,
    where signals are not ours to set, the block simply runs."""
    pending: list[int] = []
    try:
        old = {s: signal.signal(s, lambda signum, _frame: pending.append(signum)) for s in signums}
    except ValueError:
        yield
        return
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
    if pending:
        signal.raise_signal(pending[0])  # the restored handler raises here, after the block


def _start_pool(jobs: int, root: Path, engine: str, notebook: Path | None, pdf_engine: str) -> ProcessPoolExecutor:
    """``jobs`` local worker processes, each keeping one executor, started now and warming up (:func:`_warm`)."""
    # spawn: workers start clean (no copied locks or threads from the parent's progress display).
    ctx = mp.get_context("spawn")
    nb = str(notebook) if notebook else None
    pool = ProcessPoolExecutor(
        jobs, mp_context=ctx, initializer=_init_worker, initargs=(str(root), os.getpid(), engine, nb)
    )
    # Workers are started by these submits. They are born ignoring SIGINT (an ignored signal stays ignored
    # across exec), so a Ctrl-C while they are still importing cannot print a traceback from them; the
    # parent handles it and stops them.
    with _sigint_ignored():
        for _ in range(jobs):
            pool.submit(_warm, pdf_engine)
    return pool


def _run_local(pool: ProcessPoolExecutor, valid: list[Path], root: Path, out_root: Path, *, notebook, formats,
               pdf_engine: str, engine: str, on_result: Callable[[Path, RenderResult], None]) -> None:  # fmt: skip
    """The reports on the local pool (see :func:`_start_pool`), results in completion order."""
    nb = str(notebook) if notebook else None
    with _sigint_ignored():
        futures = {pool.submit(_work, str(p), str(root), str(out_root), nb, formats, pdf_engine): p for p in valid}
    for fut in as_completed(futures):
        p = futures[fut]
        try:
            r = RenderResult(**fut.result())
        except Exception as exc:  # noqa: BLE001 - a crashed worker fails its report only
            r = RenderResult(
                params=os.path.relpath(Path(p).resolve(), root),
                status="failed",
                error=f"生成进程意外退出（{type(exc).__name__}）",
            )
        on_result(p, r)


def issues_text(issues, limit: int = 50) -> str:
    """The first ``limit`` issues of a file, one per line (``fundreport check`` lists them all)."""
    lines = [str(i) for i in issues[:limit]]
    if len(issues) > limit:
        lines.append(f"…… 另有 {len(issues) - limit} 处，完整列表请运行 fundreport check")
    return "\n".join(lines)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Terminate the pool's workers (their kernels follow: they watch their parent)."""
    for proc in list(getattr(pool, "_processes", {}).values()):
        try:
            proc.terminate()
        except Exception:  # noqa: BLE001 - already gone
            pass


# RESULT_NAME (report.json): each report folder keeps the result of its newest run, so the index and manifest
# list every report under outputs/, not only those of the last run; the cache reads it too.


def save_results(results: list[RenderResult], out_root: Path) -> None:
    """Write each result to ``<slug>/report.json`` (atomically); a reused result's file stays as it was."""
    for r in results:
        if r.slug and not r.reused:
            text = json.dumps(r.to_json(), ensure_ascii=False, indent=2) + "\n"
            (out_root / r.slug).mkdir(parents=True, exist_ok=True)
            write_text_atomic(out_root / r.slug / RESULT_NAME, text)


def all_results(results: list[RenderResult], out_root: Path) -> list[RenderResult]:
    """This run's results and the newest results of earlier runs still under ``out_root``, one per params
    file, sorted by region and period."""
    known = {r.params: r for r in results}
    fields = set(RenderResult.__dataclass_fields__)
    for path in sorted(out_root.rglob(RESULT_NAME)):
        if STALE_DIR in path.relative_to(out_root).parts:
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            old = RenderResult(**{k: v for k, v in data.items() if k in fields})
        except (OSError, ValueError, TypeError):
            continue  # a damaged or foreign file is not a report
        known.setdefault(old.params, old)
    return sorted(known.values(), key=lambda r: (r.region or "~", r.period, r.params))


def write_manifest(results: list[RenderResult], out_root: Path) -> Path:
    data = {
        "generated_by": "fundreport render",
        "reports": [r.to_json() for r in sorted(results, key=lambda r: r.params)],
    }
    return write_text_atomic(out_root / "manifest.json", json.dumps(data, ensure_ascii=False, indent=2) + "\n")


_INDEX_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;margin:16px;color:#222}
h1{font-size:20px}.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border:1px solid #bbb;padding:4px 6px;vertical-align:top;text-align:left}th{background:#eee}
.ok{color:#1a5e1a}.stale{color:#555;font-weight:normal;font-size:12px}.invalid,.failed{color:#a00000;font-weight:bold}.risk{color:#a00000}
.kf{display:block;white-space:nowrap}.kf b{font-weight:600}pre{white-space:pre-wrap;word-break:break-all;margin:0;font-size:12px}
ul{margin:0;padding-left:16px}td:nth-child(-n+3){white-space:nowrap}.unknown{margin:2px 0 0;color:#555;font-size:12px}
@media (max-width:600px){body{margin:8px}table,tbody,tr,td{display:block;width:auto}thead{display:none}
tr{border:1px solid #bbb;margin:0 0 10px;padding:4px 6px}td{border:0;padding:2px 0}
td::before{content:attr(data-label) "：";color:#666;font-size:12px}.kf{white-space:normal}}
.sort{margin:0 0 8px}.sort button{font:inherit;font-size:13px;margin-left:6px;padding:2px 10px;border:1px solid #999;
background:#f4f4f4;border-radius:3px;cursor:pointer}.sort button[aria-pressed=true]{background:#333;color:#fff}
@page{size:A4 landscape;margin:12mm 12mm 14mm;@bottom-center{content:"第 " counter(page) " 页 共 " counter(pages) " 页";
font-size:8pt}}
@media print{body{margin:0}.sort{display:none}.scroll{overflow:visible}table{font-size:8.5pt}a{color:#222}
thead{display:table-header-group}tr{break-inside:avoid}.kf{display:inline-block;margin:0 12px 0 0}td:nth-child(5){width:48%}}
"""

_SORT_JS = """
document.querySelectorAll('.sort button').forEach(function (b) {
  b.addEventListener('click', function () {
    var key = b.dataset.key, rows = Array.prototype.slice.call(document.querySelectorAll('tbody tr'));
    rows.sort(function (x, y) {
      var a = x.dataset[key] + '|' + x.dataset.region + '|' + x.dataset.period,
          c = y.dataset[key] + '|' + y.dataset.region + '|' + y.dataset.period;
      return a < c ? -1 : a > c ? 1 : 0;
    });
    if (key === 'period') rows.reverse();  // newest period first
    rows.forEach(function (r) { r.parentNode.appendChild(r); });
    document.querySelectorAll('.sort button').forEach(function (o) { o.setAttribute('aria-pressed', o === b); });
  });
});
"""

INDEX_UNIT = "万元"
"""Money in the index is shown in one unit for every report, whatever each report's own unit."""


def _figure(k: dict) -> str:
    """One key figure: money amounts in :data:`INDEX_UNIT`, others as the report shows them."""
    if k.get("unit") == "元" and isinstance(k.get("amount"), int | float):
        amount = Written(k["amount"], k["step"]) if k.get("step") else k["amount"]
        value = fmt_money(amount, INDEX_UNIT, sep=True)
    else:
        value = k["value"]
    sub = f"（{escape(k['sub'])}）" if k.get("sub") else ""
    return f'<span class="kf{" risk" if k.get("risk") else ""}">{escape(k["label"])} <b>{escape(value)}</b>{sub}</span>'


def _row(r: RenderResult) -> str:
    links = " ".join(
        f'<a href="{escape(r.outputs[kind])}">{escape(kind.upper())}</a>'
        for kind in ("html", "pdf", "docx", "xlsx")
        if kind in r.outputs
    )
    figs = "".join(_figure(k) for k in r.key_figures)
    # risks in full; checks that could not be made are counted, never dropped (and never read as "no risk")
    risks = "".join(f"<li>{escape(f['text'])}</li>" for f in r.flags if f.get("risk", True))
    unknown = sum(f.get("risk", True) is None for f in r.flags)
    flags = f'<ul class="risk">{risks}</ul>' if risks else ""
    if unknown:
        flags += f'<p class="unknown">另有 {unknown} 项无法评估（数据不足），见报告“主要指标与风险提示”。</p>'
    if not flags and r.status == "ok":
        flags = "未发现"
    error = f"<pre>{escape(r.error)}</pre>" if r.error else ""
    if r.stale:
        old = "、".join(
            f'<a href="{escape(path)}">{escape(kind.upper())}</a>' for kind, path in sorted(r.stale.items())
        )
        error += f'<p class="stale">{STALE_NOTE}：{old}</p>'
    name = escape(r.region_name or r.slug or r.params)
    keys = f'data-region="{escape(r.region or r.slug or r.params)}" data-period="{escape(_period_key(r.period))}"'
    return (
        f'<tr {keys}><td data-label="地区">{name}</td><td data-label="期间">{escape(r.period_label or r.period)}</td>'
        f'<td data-label="状态" class="{escape(r.status)}">{RENDER_STATUS.get(r.status, escape(r.status))}{error}</td>'
        f'<td data-label="文件">{links}</td><td data-label="主要指标">{figs}</td><td data-label="风险提示">{flags}</td></tr>'
    )


def _period_key(code: str) -> str:
    """A sort key in time order: year, then the last month covered, then the first (2021H1 before 2021)."""
    try:
        p = Period.parse(code)
    except ValueError:
        return f"~{code}"
    return f"{p.year:04d}-{p.end_month:02d}-{p.start_month:02d}"


def index_html(results: list[RenderResult]) -> str:
    """The index page: every report at a glance (self-contained, escaped, no run-time stamp so that identical
    runs give identical files); sorted by region then period, re-sortable by period (newest first)."""
    rows = "\n".join(_row(r) for r in results)
    ok = sum(r.status == "ok" for r in results)
    return (
        '<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>医保基金运行分析报告一览</title><style>{_INDEX_CSS}</style></head><body>"
        f"<h1>医保基金运行分析报告一览</h1><p>共 {len(results)} 份，已生成 {ok} 份；金额单位：{INDEX_UNIT}。</p>"
        '<p class="sort">排序：<button type="button" data-key="region" aria-pressed="true">按地区</button>'
        '<button type="button" data-key="period" aria-pressed="false">按期间（新→旧）</button></p>'
        '<div class="scroll"><table><thead><tr><th>地区</th><th>期间</th><th>状态</th><th>文件</th><th>主要指标</th>'
        f"<th>风险提示</th></tr></thead><tbody>\n{rows}\n</tbody></table></div><script>{_SORT_JS}</script>"
        "</body></html>\n"
    )


def write_index(results: list[RenderResult], out_root: Path, *, pdf_engine: str | None = None) -> Path:
    """outputs/index.html, and outputs/index.pdf (A4 landscape, one report per row) when ``pdf_engine`` is
    given; the PDF is written atomically and a failure of the engine leaves the HTML index in place."""
    html = index_html(results)
    index = out_root / "index.html"
    unchanged = index.is_file() and index.read_text(encoding="utf-8") == html and (out_root / "index.pdf").is_file()
    path = index if unchanged else write_text_atomic(index, html)
    if pdf_engine and not unchanged:  # an unchanged index keeps its PDF (and WeasyPrint is not loaded)
        from fundreport.render.pdf import html_to_pdf

        try:
            html_to_pdf(html, out_root / "index.pdf", pdf_engine)
        except Exception as exc:  # noqa: BLE001 - the overview PDF is a convenience; the reports stand
            log.warning("index.pdf 未生成：%s", exc)
    return path
