"""The batch on a Dask distributed cluster: ``fundreport render --scheduler ADDRESS``.

Each report is one task (:func:`work`) submitted to the scheduler at ``ADDRESS`` (``tcp://host:8786``),
or to a :class:`distributed.Client` / ``LocalCluster`` passed in by a program. A task renders the report
exactly as a local worker does (:func:`fundreport.render.one.render_one`, writing every file under a
temporary name and renaming it), so the output folder must be the same path on every Dask worker (a
shared file system) and the project root too (params, data, notebook). The client (this process) validates
every params file first and writes the manifest and index when all tasks are done, as for the local pool.

A failing report fails its task only; a Dask worker that dies takes its reports with it after the
scheduler's retries (``KilledWorker``), and they are listed as failed, never the batch.

Each Dask worker process keeps one executor (in-process shell or kernel) for all the reports it runs, like
a local worker. Report rendering in one process is serialised by a lock (the in-process shell is one per
process): give workers one thread each (``dask worker ADDRESS --nthreads 1 --nworkers N``) and scale by
processes.
"""

from __future__ import annotations

import atexit
import os
import threading
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from fundreport.render.result import RenderResult

_LOCK = threading.Lock()
_EXECUTORS: dict[tuple, object] = {}


def work(path: str, root: str, out_root: str, notebook: str | None, formats, pdf_engine: str, engine: str) -> dict:
    """One report on a Dask worker; returns its result as JSON (what the local pool's workers return)."""
    from fundreport.render.execute import executor, lean_imports
    from fundreport.render.one import render_one

    with _LOCK:
        key = (engine, root, notebook)
        ex = _EXECUTORS.get(key)
        if ex is None:
            lean_imports()
            ex = executor(engine, Path(root), Path(notebook) if notebook else Path(root) / "notebooks" / "report.ipynb")
            atexit.register(ex.shutdown)
            _EXECUTORS[key] = ex
        result = render_one(
            Path(path), Path(root), Path(out_root), notebook=Path(notebook) if notebook else None,
            formats=formats, pdf_engine=pdf_engine, executor=ex, checked=True,
        )  # fmt: skip
    return result.to_json()


def client_for(scheduler):
    """A distributed Client for an address (``tcp://…``, a scheduler file path ending .json) or the object
    given (a Client, or a cluster with ``scheduler_address``)."""
    from distributed import Client

    if isinstance(scheduler, Client):
        return scheduler, False
    if hasattr(scheduler, "scheduler_address"):
        return Client(scheduler, set_as_default=False), True
    if str(scheduler).endswith(".json"):
        return Client(scheduler_file=str(scheduler), set_as_default=False), True
    return Client(str(scheduler), set_as_default=False, timeout="30s"), True


def run(
    scheduler,
    paths: Iterable[Path],
    root: Path,
    out_root: Path,
    *,
    notebook: Path | None,
    formats,
    pdf_engine: str,
    engine: str,
    on_result: Callable[[Path, RenderResult], None],
) -> None:
    """Submit one task per params file and call ``on_result`` as each finishes (in completion order)."""
    from distributed import as_completed

    client, owned = client_for(scheduler)
    futures = {}
    try:
        for p in paths:
            fut = client.submit(
                work, str(p), str(root), str(out_root), str(notebook) if notebook else None, formats, pdf_engine,
                engine, pure=False, key=f"fundreport-render-{os.path.relpath(Path(p).resolve(), root)}-{uuid.uuid4().hex[:8]}",
            )  # fmt: skip
            futures[fut] = Path(p)
        for fut in as_completed(list(futures), loop=client.loop):
            p = futures[fut]
            try:
                r = RenderResult(**fut.result())
            except Exception as exc:  # noqa: BLE001 - a lost worker or a crashed task fails its report only
                r = RenderResult(
                    params=os.path.relpath(Path(p).resolve(), root),
                    status="failed",
                    error=f"集群任务失败（{type(exc).__name__}）",
                )
            on_result(p, r)
    except KeyboardInterrupt:
        client.cancel(list(futures))
        raise
    finally:
        if owned:
            client.close()
