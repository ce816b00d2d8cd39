"""Render one params file: execute the master notebook, export HTML, print the PDF.

Everything runs in the calling process: papermill's Python API executes the
notebook (by default in a warm IPython shell of this process, else on a kernel
kept warm across reports: see :mod:`fundreport.render.execute`), nbconvert's
exporter writes the HTML, WeasyPrint (or a warm Chromium) prints the PDF.

Outputs go to ``outputs/<slug>/`` as ``report.ipynb``, ``report.html`` and
``report.pdf``. Every file is written to a temporary name and renamed, so a
reader never sees half a file; when a report fails, the executed notebook is
kept (``report.ipynb``, with the error in it) and any HTML or PDF of an
earlier run is removed, so no output from older or invalid data is left
beside it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import nbformat

from fundreport.atomic import atomic_path, write_text_atomic
from fundreport.data.check import check_report
from fundreport.data.dataset import data_hash
from fundreport.data.params import OUTPUT_FORMATS
from fundreport.render.export import external_urls, notebook_to_html
from fundreport.render.nbmeta import report_metadata
from fundreport.render.pdf import html_to_pdf
from fundreport.render.result import OUTPUT_NAMES, STALE_DIR, RenderResult

FORMATS = OUTPUT_FORMATS


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _replace_notebook(nb, target: Path) -> None:
    with atomic_path(target) as tmp:
        nbformat.write(nb, str(tmp))


def _summary(meta: dict, result: RenderResult) -> None:
    """Region, period, key figures and flags for the index and manifest, from the executed notebook's metadata."""
    result.region, result.region_name = meta.get("region", ""), meta.get("region_name", "")
    result.period, result.period_label = meta.get("period", ""), meta.get("period_label", "")
    result.key_figures = list(meta.get("key_figures", []))
    result.flags = [
        {k: f.get(k, "") for k in ("code", "text", "fund", "region")} | {"risk": f.get("risk", True)}
        for f in meta.get("flags", [])
    ]


def _error_text(exc: BaseException) -> str:
    """One line in Chinese saying what failed (the traceback goes to the log file)."""
    ename, evalue = getattr(exc, "ename", None), getattr(exc, "evalue", None)
    if ename:  # papermill's PapermillExecutionError: the kernel-side exception
        first = str(evalue).strip().splitlines()[0] if str(evalue).strip() else ""
        if ename == "InputError":
            return f"输入有误：{first}"
        return f"报告笔记本执行出错（{ename}：{first}）"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if type(exc).__name__ in {"FontError", "PdfError"}:
        return f"生成 PDF 失败：{text}"
    return f"生成失败（{type(exc).__name__}：{text}）"


def _log_failure(out_dir: Path, exc: BaseException) -> Path:
    """The full traceback (and the kernel's, when there is one) in report.error.log beside the outputs."""
    import traceback

    parts = ["".join(traceback.format_exception(exc))]
    kernel_tb = getattr(exc, "traceback", None)
    if kernel_tb:
        parts.append("\n".join(str(line) for line in kernel_tb))
    return write_text_atomic(out_dir / "report.error.log", "\n".join(parts))


def render_one(
    params_path: Path,
    root: Path,
    out_root: Path,
    *,
    notebook: Path | None = None,
    formats: tuple[str, ...] | None = None,
    pdf_engine: str = "auto",
    engine: str = "auto",
    executor=None,
    checked: bool = False,
) -> RenderResult:
    """Validate, execute and export one report (see the module docstring). Never raises for bad input.

    ``engine``: how the notebook is executed (:data:`fundreport.render.execute.ENGINES`); ``executor``: one
    kept by the caller across reports (a worker's), else one is made for this report and shut down after.
    ``checked``: the batch has already checked this params file and its data, so only the params
    file is read here (the dataset is loaded once by the batch and once where the notebook builds).
    """
    notebook = Path(notebook or Path(root) / "notebooks" / "report.ipynb")
    if executor is None:  # a single report: an executor of its own, shut down at the end
        from fundreport.render.execute import executor as make_executor

        own = make_executor(engine, Path(root), notebook)
        try:
            return render_one(
                params_path, root, out_root, notebook=notebook, formats=formats, pdf_engine=pdf_engine,
                executor=own, checked=checked,
            )  # fmt: skip
        finally:
            own.shutdown()
    t0 = time.perf_counter()
    params_path = Path(params_path).resolve()
    rel = os.path.relpath(params_path, root)
    result = RenderResult(params=rel)
    check = check_report(params_path, load_data=not checked)
    result.seconds["validate"] = round(time.perf_counter() - t0, 3)
    if check.params is not None:
        result.slug = check.params.slug
        result.params_hash = _digest(params_path)
    if not check.ok:
        shown = [str(i) for i in check.issues[:50]]
        more = len(check.issues) - len(shown)
        result.status = "invalid"
        result.error = "\n".join(shown + ([f"…… 另有 {more} 处，完整列表请运行 fundreport check"] if more > 0 else []))
        if result.slug:
            _clear(out_root / result.slug)
        return result
    loaded = check.params
    result.data_hash = data_hash(loaded.data_path)[:16]
    out_dir = out_root / result.slug
    out_dir.mkdir(parents=True, exist_ok=True)
    formats = formats or tuple(loaded.params.outputs)
    try:
        t = time.perf_counter()
        tmp_nb = out_dir / ".report.running.ipynb"
        try:
            nb = executor.execute(notebook, tmp_nb, params_path, Path(root))
        finally:
            if tmp_nb.exists():  # papermill writes the notebook as it goes; keep it under its real name
                os.replace(tmp_nb, out_dir / OUTPUT_NAMES["ipynb"])
        result.seconds["execute"] = round(time.perf_counter() - t, 3)
        result.outputs["ipynb"] = f"{result.slug}/{OUTPUT_NAMES['ipynb']}"
        meta = report_metadata(nb)  # built once, where the notebook ran; never again here
        if meta is None:
            raise RuntimeError("the notebook did not open a report (no fundreport.render.notebook.open_report output)")
        _summary(meta, result)
        nb.metadata["fundreport"] = meta
        _replace_notebook(nb, out_dir / OUTPUT_NAMES["ipynb"])
        t = time.perf_counter()
        html = notebook_to_html(nb)
        remote = external_urls(html)
        if remote:
            raise RuntimeError(f"HTML would load external resources: {', '.join(remote[:3])}")
        if "html" in formats:
            write_text_atomic(out_dir / OUTPUT_NAMES["html"], html)
            result.outputs["html"] = f"{result.slug}/{OUTPUT_NAMES['html']}"
        result.seconds["html"] = round(time.perf_counter() - t, 3)
        if "pdf" in formats:
            t = time.perf_counter()
            html_to_pdf(html, out_dir / OUTPUT_NAMES["pdf"], engine=pdf_engine)
            result.outputs["pdf"] = f"{result.slug}/{OUTPUT_NAMES['pdf']}"
            result.seconds["pdf"] = round(time.perf_counter() - t, 3)
        if "docx" in formats or "xlsx" in formats:
            _office(loaded, out_dir, formats, result)
        for kind in FORMATS:
            if kind not in formats:
                (out_dir / OUTPUT_NAMES[kind]).unlink(missing_ok=True)
        shutil.rmtree(out_dir / STALE_DIR, ignore_errors=True)  # a current report replaces set-aside ones
        result.status = "ok"
    except Exception as exc:  # noqa: BLE001 - one bad report must not stop the batch
        _clear(out_dir, keep_notebook=True)
        log = _log_failure(out_dir, exc)
        result.status = "failed"
        result.error = f"{_error_text(exc)}；详细信息见 {os.path.relpath(log, root)}"
        if (out_dir / OUTPUT_NAMES["ipynb"]).exists():
            result.outputs = {"ipynb": f"{result.slug}/{OUTPUT_NAMES['ipynb']}"}
        else:
            result.outputs = {}
    result.seconds["total"] = round(time.perf_counter() - t0, 3)
    return result


def _office(loaded, out_dir: Path, formats: tuple[str, ...], result: RenderResult) -> None:
    """Word and Excel from the report model, built here from the same params and data as in the notebook
    (the notebook carries the report's text, not its objects); each file written atomically."""
    from fundreport.report.build import build_report

    t = time.perf_counter()
    report = build_report(loaded)
    if "docx" in formats:
        from fundreport.render.word import write_docx

        write_docx(report, out_dir / OUTPUT_NAMES["docx"], profile=loaded.params.word_profile)
        result.outputs["docx"] = f"{result.slug}/{OUTPUT_NAMES['docx']}"
    if "xlsx" in formats:
        from fundreport.render.excel import write_xlsx

        write_xlsx(report, out_dir / OUTPUT_NAMES["xlsx"])
        result.outputs["xlsx"] = f"{result.slug}/{OUTPUT_NAMES['xlsx']}"
    result.seconds["office"] = round(time.perf_counter() - t, 3)


def set_aside(out_dir: Path, out_root: Path) -> dict[str, str]:
    """Move an earlier run's outputs into ``<out_dir>/stale/`` (replacing older stale copies) so that
    nothing in the report folder looks current; returns kind -> path relative to ``out_root``."""
    moved: dict[str, str] = {}
    if not out_dir.is_dir():
        return moved
    for kind, name in OUTPUT_NAMES.items():
        src = out_dir / name
        if src.exists():
            dest = out_dir / STALE_DIR / name
            dest.parent.mkdir(exist_ok=True)
            os.replace(src, dest)
            moved[kind] = dest.relative_to(out_root).as_posix()
    _clear(out_dir)
    return moved


def _clear(out_dir: Path, keep_notebook: bool = False) -> None:
    """Remove outputs of an earlier run (and stray temporary files) from a report folder."""
    if not out_dir.is_dir():
        return
    (out_dir / "report.error.log").unlink(missing_ok=True)
    for kind, name in OUTPUT_NAMES.items():
        if kind != "ipynb" or not keep_notebook:
            (out_dir / name).unlink(missing_ok=True)
    for stray in out_dir.glob(".report.*"):
        stray.unlink(missing_ok=True)
