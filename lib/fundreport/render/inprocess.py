"""Running a notebook's cells in a warm IPython shell in this process (papermill engine ``fundreport-inprocess``).

A Jupyter kernel costs every report two readiness handshakes, a ``%reset -f`` round trip and the
serialisation of every output over ZeroMQ. The master notebook needs none of that: its cells are plain
Python calls. :func:`execute_cells` (papermill's engine :class:`fundreport.render.papermill_engine.InProcessEngine`,
registered by entry point and by :func:`register`) executes each code cell with :meth:`IPython.core.interactiveshell.InteractiveShell.run_cell`,
so cells keep real IPython semantics (``display``, magics, ``_``, the last expression's result, the
inline matplotlib backend), and turns what the cell shows into the same nbformat outputs a kernel would
send:

- ``display()`` -> ``display_data`` (data and metadata round-tripped through JSON as on the wire, bytes
  as base64), the last expression -> ``execute_result`` with its execution count;
- ``print``/warnings -> ``stream`` outputs (coalesced per name, as nbclient does);
- an exception -> an ``error`` output (ename, evalue, traceback) and no further cells, which papermill
  turns into ``PapermillExecutionError`` exactly as for a kernel.

The shell is created once per process and reset (``reset(new_session=True)``: empty namespace, execution
count 1, imported modules kept) before each notebook. It cannot run inside a process that already has an
IPython shell (a Jupyter kernel, e.g. the explorer): :func:`available` says so and the kernel engine is
used there.
"""

from __future__ import annotations

import base64
import io
import json
import os
import sys
from datetime import date, datetime

ENGINE_NAME = "fundreport-inprocess"
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"

_SHELL = None  # this process's ReportShell, made on first use
_ReportShell = None  # its class, made on first use


def available() -> bool:
    """True when this process has no IPython shell of its own (else running cells here would take it over)."""
    if "IPython" not in sys.modules:
        return True
    from IPython.core.interactiveshell import InteractiveShell

    return not InteractiveShell.initialized() or isinstance(InteractiveShell.instance(), _shell_class())


def _wire(value):
    """What a value becomes on the Jupyter wire: bytes -> base64 text, dates -> ISO text, numbers plain."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _json(value):
    return json.loads(json.dumps(value, default=_wire))


class _Outputs:
    """The outputs of the cell being executed, as nbformat nodes."""

    def __init__(self):
        self.items: list = []
        self.clear_pending = False

    def add(self, output_type: str, content: dict) -> None:
        from nbformat.v4 import output_from_msg

        if self.clear_pending:
            self.items.clear()
            self.clear_pending = False
        msg = {"header": {"msg_type": output_type}, "content": _json(content)}
        self.items.append(output_from_msg(msg))

    def stream(self, name: str, text: str) -> None:
        last = self.items[-1] if self.items else None
        if last is not None and last.output_type == "stream" and last.name == name and not self.clear_pending:
            last.text += text
        else:
            self.add("stream", {"name": name, "text": text})

    def clear(self, wait: bool) -> None:
        if wait:
            self.clear_pending = True
        else:
            self.items.clear()

    def coalesced(self) -> list:
        """One stream output per name, at its first place (nbclient's ``coalesce_streams``)."""
        out, streams = [], {}
        for item in self.items:
            if item.output_type == "stream":
                if item.name in streams:
                    streams[item.name].text += item.text
                    continue
                streams[item.name] = item
            out.append(item)
        return out


class _Stream(io.TextIOBase):
    """sys.stdout / sys.stderr while a cell runs: text becomes stream outputs."""

    def __init__(self, name: str, outputs: _Outputs):
        self.name, self.outputs = name, outputs

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if text:
            self.outputs.stream(self.name, text)
        return len(text)


def _shell_class():
    """The ReportShell class (made on first use: IPython is imported only when a notebook runs here)."""
    global _ReportShell
    if _ReportShell is not None:
        return _ReportShell
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell

    class Publisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
            content = {"data": data, "metadata": metadata or {}}
            self.shell.outputs.add("update_display_data" if update else "display_data", content)

        def clear_output(self, wait=False):
            self.shell.outputs.clear(wait)

    class Hook(DisplayHook):
        def start_displayhook(self):
            self._content = {"data": {}, "metadata": {}, "execution_count": self.prompt_count}

        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            self._content["data"], self._content["metadata"] = format_dict, md_dict or {}

        def finish_displayhook(self):
            if self._content["data"]:
                self.shell.outputs.add("execute_result", self._content)

    class ReportShell(InteractiveShell):
        """An IPython shell whose displays, results, streams and tracebacks become notebook outputs."""

        outputs = _Outputs()

        def _showtraceback(self, etype, evalue, stb):
            content = {"ename": etype.__name__, "evalue": str(evalue), "traceback": list(stb)}
            self.outputs.add("error", content)

    ReportShell.display_pub_class = Publisher
    ReportShell.displayhook_class = Hook
    _ReportShell = ReportShell
    return ReportShell


def shell():
    """This process's warm shell (created on the first call: no history file, colours off)."""
    global _SHELL
    if _SHELL is None:
        if not available():
            raise RuntimeError("this process already runs an IPython shell; use the kernel engine here")
        from traitlets.config import Config

        # As in a kernel: pyplot figures a cell leaves open are shown inline at the end of the cell (the
        # inline backend hooks itself into this shell when a cell first imports pyplot). Not through the
        # MPLBACKEND variable, which child processes would inherit.
        if "matplotlib.pyplot" not in sys.modules and not os.environ.get("MPLBACKEND"):
            import matplotlib

            matplotlib.use(INLINE_BACKEND)
        config = Config({"HistoryManager": {"enabled": False}, "InteractiveShell": {"colors": "nocolor"}})
        host_main = sys.modules.get("__main__")
        _SHELL = _shell_class().instance(config=config)
        # IPython makes its user namespace this process's __main__ (for pickling interactively defined
        # objects). That holds while a cell runs (see run_cell); in between, the host keeps its own __main__,
        # which multiprocessing needs to start workers.
        if not hasattr(_SHELL.user_module, "__spec__"):
            _SHELL.user_module.__spec__ = None
        sys.modules["__main__"] = host_main
    return _SHELL


def language_info() -> dict:
    """The kernel's language_info (as ipykernel reports it), which papermill records in the notebook."""
    return {
        "codemirror_mode": {"name": "ipython", "version": sys.version_info[0]},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": sys.version.split()[0],
    }


def run_cell(sh, cell) -> bool:
    """Execute one code cell in ``sh``; sets its outputs and execution count; False when it raised."""
    sh.outputs = outputs = _Outputs()
    saved = sys.stdout, sys.stderr, sys.modules.get("__main__")
    sys.stdout, sys.stderr = _Stream("stdout", outputs), _Stream("stderr", outputs)
    sys.modules["__main__"] = sh.user_module
    try:
        cell.execution_count = sh.execution_count
        result = sh.run_cell(cell.source, store_history=True)
    finally:
        sys.stdout, sys.stderr, sys.modules["__main__"] = saved
    cell.outputs = outputs.coalesced()
    return result.success


def execute_cells(nb_man) -> None:
    """Run the code cells of papermill's managed notebook in this process's shell, reset before and after
    (the report's objects are not kept alive until the next one); stops at the first error."""
    sh = shell()
    sh.reset(new_session=True)
    nb = nb_man.nb
    for index, cell in enumerate(nb.cells):
        nb_man.cell_start(cell, index)
        try:
            if cell.cell_type == "code" and not run_cell(sh, cell):
                nb_man.cell_exception(cell, cell_index=index)
                break
        finally:
            nb_man.cell_complete(cell, cell_index=index)
    sh.reset(new_session=True)
    nb.metadata["language_info"] = language_info()


def register() -> None:
    """Make the engine known to papermill under :data:`ENGINE_NAME` (the entry point does the same).

    papermill.engines is imported first: importing it loads the entry points, and the engine module may
    only be loaded after papermill's Engine class exists (else the import would be circular)."""
    from papermill.engines import papermill_engines

    from fundreport.render.papermill_engine import InProcessEngine

    papermill_engines.register(ENGINE_NAME, InProcessEngine)
