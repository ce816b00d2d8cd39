"""The in-process notebook engine: same outputs as a kernel, real IPython semantics, the kernel as fallback."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import papermill as pm
import pytest

from fundreport.data.params import iter_params_files
from fundreport.render.execute import InProcess, WarmKernel, executor, needs_kernel
from fundreport.render.export import notebook_to_html
from fundreport.render.nbmeta import report_metadata

from .conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "report.ipynb"


def _html(nb) -> str:
    nb.metadata["fundreport"] = report_metadata(nb)
    return notebook_to_html(nb)


def test_every_sample_gives_the_same_html_bytes_in_process_and_on_a_kernel(tmp_path):
    kernel, here = WarmKernel(ROOT), InProcess()
    try:
        for params in iter_params_files(None, ROOT):
            on_kernel = kernel.execute(NOTEBOOK, tmp_path / "k.ipynb", params, ROOT)
            in_process = here.execute(NOTEBOOK, tmp_path / "i.ipynb", params, ROOT)
            assert _html(in_process) == _html(on_kernel), params
            assert [c.get("execution_count") for c in in_process.cells if c.cell_type == "code"] == list(
                range(1, sum(c.cell_type == "code" for c in in_process.cells) + 1)
            )  # counted from 1 for every report: the shell is reset in between
            assert in_process.metadata.language_info == on_kernel.metadata.language_info
    finally:
        kernel.shutdown()


def _notebook(tmp_path, *sources: str):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell("params_path = ''")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, *(nbformat.v4.new_code_cell(s) for s in sources)]
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, str(path))
    return path


def test_cells_keep_ipython_semantics(tmp_path):
    path = _notebook(
        tmp_path,
        "print('打印'); import sys; print('错误输出', file=sys.stderr); print('再打印')",
        "x = 21\nx * 2",
        "from IPython.display import HTML, display\ndisplay(HTML('<b>粗体</b>'))",
        "%time y = sum(range(10))",
        "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3]);",
        "_ + 1 if isinstance(_, int) else None",
    )
    nb = InProcess().execute(path, tmp_path / "out.ipynb", "", tmp_path)
    cells = nb.cells[1:]  # after papermill's injected parameters: the cells above, from cells[1]
    assert nb.cells[1].metadata.tags == ["injected-parameters"]
    assert [(o.output_type, o.name) for o in cells[1].outputs] == [("stream", "stdout"), ("stream", "stderr")]
    assert cells[1].outputs[0].text == "打印\n再打印\n"  # coalesced per stream, as nbclient does
    (result,) = cells[2].outputs
    assert result.output_type == "execute_result" and result.data["text/plain"] == "42"
    assert result.execution_count == cells[2].execution_count == 4
    assert cells[3].outputs[0].data["text/html"] == "<b>粗体</b>"
    assert "Wall time" in "".join(o.get("text", "") for o in cells[4].outputs)  # a line magic ran
    assert any("image/png" in o.get("data", {}) for o in cells[5].outputs)  # pyplot shows inline
    assert cells[6].outputs[0].data["text/plain"] == "43"  # _ is the last result
    json.dumps(nbformat.v4.upgrade(nb))  # every output is plain JSON, as from a kernel


def test_the_host_process_keeps_its_main_module(tmp_path):
    """IPython's user namespace is __main__ only while a cell runs: the host can still spawn processes."""
    import multiprocessing as mp

    host = sys.modules["__main__"]
    nb = InProcess().execute(
        _notebook(tmp_path, "import sys; sys.modules['__main__'].__name__"), tmp_path / "o.ipynb", "", tmp_path
    )
    assert nb.cells[-1].outputs[0].data["text/plain"] == "'__main__'"
    assert sys.modules["__main__"] is host
    with mp.get_context("spawn").Pool(1) as pool:
        assert pool.apply(abs, (-3,)) == 3


def test_an_error_stops_the_notebook_like_a_kernel_error(tmp_path):
    path = _notebook(tmp_path, "a = 1", "raise ValueError('故意出错')", "b = 2")
    with pytest.raises(pm.PapermillExecutionError) as info:
        InProcess().execute(path, tmp_path / "out.ipynb", "", tmp_path)
    assert info.value.ename == "ValueError" and "故意出错" in info.value.evalue
    nb = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    failed = [c for c in nb.cells if any(o.output_type == "error" for o in c.get("outputs", []))]
    assert len(failed) == 1 and nb.cells[-1].outputs == []  # the cell after the error did not run


def test_reports_do_not_see_each_others_names(tmp_path):
    first = _notebook(tmp_path, "leftover = 1")
    InProcess().execute(first, tmp_path / "1.ipynb", "", tmp_path)
    second = _notebook(tmp_path, "'leftover' in dir()")
    nb = InProcess().execute(second, tmp_path / "2.ipynb", "", tmp_path)
    assert nb.cells[-1].outputs[0].data["text/plain"] == "False"


def test_the_kernel_is_the_fallback(tmp_path):
    r_notebook = tmp_path / "r.ipynb"
    r_notebook.write_text(json.dumps({"metadata": {"kernelspec": {"name": "ir", "language": "R"}}}), "utf-8")
    assert needs_kernel(r_notebook) and not needs_kernel(NOTEBOOK)
    assert isinstance(executor("auto", ROOT, r_notebook), WarmKernel)
    assert isinstance(executor("kernel", ROOT, NOTEBOOK), WarmKernel)
    assert isinstance(executor("auto", ROOT, NOTEBOOK), InProcess)
    with pytest.raises(ValueError, match="unknown execution engine"):
        executor("fast", ROOT, NOTEBOOK)


def test_a_process_that_is_a_kernel_uses_a_kernel():
    """Inside JupyterLab (the explorer) this process's shell is the kernel's: the engine must not take it over."""
    code = (
        "from IPython.core.interactiveshell import InteractiveShell; InteractiveShell.instance()\n"
        "from pathlib import Path\n"
        "from fundreport.render import inprocess; from fundreport.render.execute import executor, WarmKernel\n"
        "assert not inprocess.available()\n"
        "assert isinstance(executor('auto', Path('.'), None), WarmKernel)\n"
        "try:\n    executor('inprocess', Path('.'), None)\nexcept RuntimeError as e:\n    print('refused', e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert "refused" in out.stdout


def test_papermill_knows_the_engine_by_its_entry_point():
    code = "from papermill.engines import papermill_engines as e; print(e.get_engine('fundreport-inprocess').__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "InProcessEngine"


def test_render_processes_skip_the_iri_grammar():
    code = (
        "import sys; from fundreport.render.execute import lean_imports; lean_imports(); import nbformat; "
        "print('rfc3987_syntax' in sys.modules and sys.modules['rfc3987_syntax'] is not None)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
