"""Executing the master notebook: in this process (default) or on a Jupyter kernel.

Two executors with one interface, ``execute(notebook, target, params_path, cwd) -> nb``, ``shutdown()`` and
``kill_now()``; a worker keeps one for all its reports:

- :class:`InProcess` runs the cells in this process's warm IPython shell through papermill's engine
  registry (:mod:`fundreport.render.inprocess`): no kernel start, no handshakes, no message serialisation.
  Its outputs are those of a kernel (tests compare the HTML bytes).
- :class:`WarmKernel` runs them on a Jupyter kernel kept warm across reports (``%reset -f`` between them):
  for notebooks in another language, and in a process that is itself a kernel (the explorer in JupyterLab),
  where the in-process shell cannot run.

:func:`executor` picks: ``"auto"`` is in-process unless the notebook needs a kernel or this process is
one.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

ENGINES = ("auto", "inprocess", "kernel")

# jsonschema imports its optional IRI format checker, which builds a Lark grammar (1.6 s on this machine)
# whenever rfc3987-syntax is installed (JupyterLab's dependencies bring it). nbformat never validates
# IRIs, so render processes skip that module; the checker is then simply not available, as jsonschema
# documents for a missing optional dependency.
_SKIPPED_AT_IMPORT = ("rfc3987_syntax",)


def lean_imports() -> None:
    """Leave out import-time work no render needs (see above); call before nbformat is imported.
    A no-op once jsonschema is loaded."""
    if "jsonschema" not in sys.modules:
        for name in _SKIPPED_AT_IMPORT:
            sys.modules.setdefault(name, None)


def needs_kernel(notebook: Path) -> bool:
    """True when the notebook is not Python (its kernelspec or language_info says another language)."""
    try:
        meta = json.loads(Path(notebook).read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError):
        return False  # papermill will report the unreadable notebook
    language = (meta.get("kernelspec") or {}).get("language") or (meta.get("language_info") or {}).get("name")
    return bool(language) and str(language).lower() != "python"


def executor(engine: str, root: Path, notebook: Path | None = None):
    """An executor for ``engine`` (one of :data:`ENGINES`)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown execution engine {engine!r}; choose one of {', '.join(ENGINES)}")
    from fundreport.render import inprocess

    if engine == "inprocess" and not inprocess.available():
        raise RuntimeError("this process already runs an IPython shell: use the kernel engine here")
    if engine == "kernel" or (
        engine == "auto" and (not inprocess.available() or (notebook is not None and needs_kernel(notebook)))
    ):
        return WarmKernel(Path(root))
    return InProcess()


def _papermill(notebook: Path, target: Path, params_path: Path, cwd: Path, **engine):
    """papermill's execute_notebook as both executors call it; ``engine``: engine_name or km."""
    import papermill as pm

    return pm.execute_notebook(
        str(notebook),
        str(target),
        parameters={"params_path": str(params_path)},
        cwd=str(cwd),
        progress_bar=False,
        # papermill rewrites the whole notebook after every cell by default; once at the end is enough
        request_save_on_cell_execute=False,
        **engine,
    )


class InProcess:
    """The notebook's cells run in this process (papermill engine ``fundreport-inprocess``)."""

    name = "inprocess"

    def execute(self, notebook: Path, target: Path, params_path: Path, cwd: Path):
        from fundreport.render import inprocess

        inprocess.register()
        return _papermill(notebook, target, params_path, cwd, engine_name=inprocess.ENGINE_NAME)

    def shutdown(self) -> None:
        pass

    def kill_now(self) -> None:
        pass


class WarmKernel:
    """One Python kernel reused for consecutive notebooks in a process.

    The master notebook assigns every name it uses, and a ``%reset -f`` runs
    before each report, so reports do not see each other's variables; the
    imported modules stay loaded, which is the point. The kernel talks over local
    (ipc) sockets in Jupyter's runtime folder: nothing listens on the network, and the
    kernel has no reason to warn about unencrypted TCP on every start.
    """

    name = "kernel"

    def __init__(self, cwd: Path, kernel_name: str = "python3"):
        self.cwd, self.kernel_name, self.km = cwd, kernel_name, None

    def execute(self, notebook: Path, target: Path, params_path: Path, cwd: Path):
        return _papermill(notebook, target, params_path, cwd, km=self.manager())

    def manager(self):
        from jupyter_client.manager import KernelManager

        if self.km is not None and not self.km.is_alive():
            self.shutdown()
        if self.km is None:
            from jupyter_core.paths import jupyter_runtime_dir

            runtime = Path(jupyter_runtime_dir())
            runtime.mkdir(parents=True, exist_ok=True)
            ip = str(runtime / f"fundreport-{os.getpid()}-{id(self):x}")
            self.km = KernelManager(kernel_name=self.kernel_name, transport="ipc", ip=ip)
            self.km.start_kernel(cwd=str(self.cwd))
        else:
            kc = self.km.client()
            kc.start_channels()
            try:
                kc.wait_for_ready(timeout=60)
                kc.execute_interactive("%reset -f", timeout=60, store_history=False)
            finally:
                kc.stop_channels()
        return self.km

    def kill_now(self) -> None:
        """Kill the kernel process at once, from any thread (no messages, no event loop: the main thread
        may be inside the kernel manager when the worker's parent dies)."""
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        pid = getattr(process, "pid", None)
        if pid:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass  # already gone

    def shutdown(self) -> None:
        if self.km is not None:
            try:
                self.km.shutdown_kernel(now=True)
            except Exception:  # noqa: BLE001 - a dead kernel cannot be shut down twice; nothing to do
                pass
            self.km = None
