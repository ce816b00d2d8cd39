"""A batch under faults: stale outputs of invalid inputs moved aside, failures in one Chinese line with a log,
and Ctrl-C / SIGTERM stop workers and kernels, write index and manifest, exit 130 / 143 without a traceback."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fundreport import cli

from .conftest import ROOT


def project(tmp_path: Path, names=("ezhou/2024M1-3",)) -> Path:
    (tmp_path / "params").mkdir()
    defaults = (ROOT / "params" / "_defaults.yaml").read_text(encoding="utf-8") + f"data_roots: [{ROOT / 'data'}]\n"
    (tmp_path / "params" / "_defaults.yaml").write_text(defaults, encoding="utf-8")
    for name in names:
        text = (
            (ROOT / "params" / f"{name}.yaml").read_text(encoding="utf-8").replace("data: data/", f"data: {ROOT}/data/")
        )
        target = tmp_path / "params" / f"{name}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / "report.ipynb", tmp_path / "notebooks")
    return tmp_path


def test_outputs_of_inputs_that_became_invalid_are_not_left_looking_current(tmp_path, capsys):
    root = project(tmp_path)
    assert cli.main(["--root", str(root), "render", "--formats", "html"]) == 0
    html = root / "outputs/ezhou/2024M1-3/report.html"
    assert html.exists()
    params = root / "params/ezhou/2024M1-3.yaml"
    params.write_text(params.read_text(encoding="utf-8") + "colour: red\n", encoding="utf-8")
    assert cli.main(["--root", str(root), "render", "--formats", "html"]) == 1
    assert not html.exists() and not (html.parent / "report.ipynb").exists()
    moved = html.parent / "stale" / "report.html"
    assert moved.exists()  # set aside, not lost
    manifest = json.loads((root / "outputs/manifest.json").read_text(encoding="utf-8"))
    assert [r["status"] for r in manifest["reports"]] == ["invalid"]
    assert manifest["reports"][0]["outputs"] == {}
    assert manifest["reports"][0]["stale"]["html"] == "ezhou/2024M1-3/stale/report.html"
    index = (root / "outputs/index.html").read_text(encoding="utf-8")
    assert "不是当前结果" in index and 'href="ezhou/2024M1-3/stale/report.html"' in index
    capsys.readouterr()


def test_a_failed_report_has_one_chinese_line_and_a_log(tmp_path, capsys):
    root = project(tmp_path)
    nb = json.loads((root / "notebooks/report.ipynb").read_text(encoding="utf-8"))
    nb["cells"].append(
        {"cell_type": "code", "metadata": {}, "source": ["1 / 0"], "outputs": [], "execution_count": None}
    )
    (root / "notebooks/report.ipynb").write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    assert cli.main(["--root", str(root), "render", "--formats", "html"]) == 1
    printed = capsys.readouterr().out
    assert "报告笔记本执行出错（ZeroDivisionError" in printed and "report.error.log" in printed
    assert "Traceback" not in printed
    log = root / "outputs/ezhou/2024M1-3/report.error.log"
    assert "ZeroDivisionError" in log.read_text(encoding="utf-8")


def descendants(pid: int) -> set[int]:
    """PIDs of the processes below ``pid`` (children, grandchildren, …) now."""
    parent_of = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            parent_of[int(d.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    out, frontier = set(), {pid}
    while frontier:
        frontier = {c for c, p in parent_of.items() if p in frontier} - out
        out |= frontier
    return out


def alive(pids: set[int]) -> set[int]:
    return {p for p in pids if Path(f"/proc/{p}").exists() and "Z" not in _state(p)}


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def kernels() -> set[int]:
    """PIDs of running processes that are Jupyter kernels or multiprocessing workers."""
    out = set()
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                cmd = (d / "cmdline").read_bytes()
            except OSError:
                continue
            if b"ipykernel" in cmd or b"multiprocessing.spawn" in cmd:
                out.add(int(d.name))
    return out


def start_render(root: Path, output=subprocess.PIPE) -> tuple[subprocess.Popen, set[int]]:
    """`fundreport render --jobs 2` in its own session, returned once its own workers and kernels run,
    with the pids below it (other processes on the machine do not count)."""
    exe = Path(sys.executable).with_name("fundreport")
    proc = subprocess.Popen(
        [str(exe), "--root", str(root), "render", "--jobs", "2", "--formats", "html"],
        stdout=output, stderr=output, start_new_session=True,
    )  # fmt: skip
    deadline = time.time() + 60
    seen: set[int] = set()
    while time.time() < deadline and not (kernels() & (seen := seen | descendants(proc.pid))):
        time.sleep(0.2)
    time.sleep(1.0)
    return proc, seen | descendants(proc.pid)


def gone(pids: set[int], seconds: float = 15.0) -> bool:
    """True when every one of ``pids`` has exited within ``seconds``."""
    for _ in range(int(seconds / 0.2)):
        if not alive(pids):
            return True
        time.sleep(0.2)
    return not alive(pids)


@pytest.mark.parametrize("sig,code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["ctrl-c", "sigterm"])
def test_interrupted_batch_stops_cleanly(tmp_path, sig, code):
    root = project(tmp_path, ("ezhou/2024M1-3", "huangshi/2020", "jiashi/2020", "zhuzhou/2021", "zhuzhou/2021H1"))
    proc, seen = start_render(root)
    os.killpg(proc.pid, sig) if sig == signal.SIGINT else proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err.decode()[-2000:]
    assert b"Traceback" not in out + err
    assert (root / "outputs/index.html").exists() and (root / "outputs/manifest.json").exists()
    assert gone(seen, 10), "workers and kernels follow within a few seconds"


def test_set_aside_outputs_go_once_the_report_is_current_again(tmp_path, capsys):
    root = project(tmp_path)
    params = root / "params/ezhou/2024M1-3.yaml"
    good = params.read_text(encoding="utf-8")
    assert cli.main(["--root", str(root), "render", "--formats", "html"]) == 0
    params.write_text(good + "colour: red\n", encoding="utf-8")
    assert cli.main(["--root", str(root), "render", "--formats", "html"]) == 1
    assert (root / "outputs/ezhou/2024M1-3/stale/report.html").exists()
    params.write_text(good, encoding="utf-8")
    assert cli.main(["--root", str(root), "render", "--formats", "html"]) == 0
    assert (root / "outputs/ezhou/2024M1-3/report.html").exists()
    assert not (root / "outputs/ezhou/2024M1-3/stale").exists()
    capsys.readouterr()


def test_the_index_lists_reports_of_earlier_runs(tmp_path, capsys):
    root = project(tmp_path, names=("ezhou/2024M1-3", "jiashi/2020"))
    a, b = root / "params/ezhou/2024M1-3.yaml", root / "params/jiashi/2020.yaml"
    assert cli.main(["--root", str(root), "render", "--formats", "html", str(a)]) == 0
    assert cli.main(["--root", str(root), "render", "--formats", "html", str(b)]) == 0
    index = (root / "outputs/index.html").read_text(encoding="utf-8")
    assert "鄂州市" in index and "伽师县" in index and "共 2 份，已生成 2 份" in index
    assert "IPYNB" not in index and "秒" not in index and 'name="viewport"' in index
    manifest = json.loads((root / "outputs/manifest.json").read_text(encoding="utf-8"))
    assert [r["params"] for r in manifest["reports"]] == ["params/ezhou/2024M1-3.yaml", "params/jiashi/2020.yaml"]
    capsys.readouterr()


def test_killing_the_parent_leaves_no_worker_or_kernel(tmp_path):
    root = project(tmp_path, ("ezhou/2024M1-3", "huangshi/2020", "jiashi/2020"))
    proc, seen = start_render(root, subprocess.DEVNULL)
    assert kernels() & seen, "no worker or kernel started"
    proc.kill()  # SIGKILL: no chance to clean up; the workers must notice and stop their kernels
    proc.wait(timeout=10)
    assert gone(seen)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
@pytest.mark.parametrize("when", ["before_checking", "after_last_report"])
def test_an_interrupt_at_either_end_of_a_batch_still_writes_index_and_manifest(tmp_path, monkeypatch, sig, when):
    """CI once hit Ctrl-C after the last report had finished, while the pool shut down: the index was never
    written. Here the signal is sent to this process at those two moments, deterministically."""
    from fundreport.render import batch

    class Terminated(KeyboardInterrupt):
        pass

    def on_term(_signum, _frame):
        raise Terminated()

    target = {"before_checking": "validate_all", "after_last_report": "save_results"}[when]
    original = getattr(batch, target)

    def interrupted(*args, **kwargs):
        os.kill(os.getpid(), sig)
        return original(*args, **kwargs)

    monkeypatch.setattr(batch, target, interrupted)
    root = project(tmp_path)
    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        with pytest.raises(Terminated if sig == signal.SIGTERM else KeyboardInterrupt):
            batch.render_all([root / "params/ezhou/2024M1-3.yaml"], root, root / "outputs", jobs=1, formats=("html",))
    finally:
        signal.signal(signal.SIGTERM, previous)
    manifest = json.loads((root / "outputs/manifest.json").read_text(encoding="utf-8"))
    index = (root / "outputs/index.html").read_text(encoding="utf-8")
    status = "ok" if when == "after_last_report" else "failed"  # finished, or never started (已中断，未生成)
    assert [r["status"] for r in manifest["reports"]] == [status]
    assert ("已中断，未生成" in index) == (status == "failed")
    assert (root / "outputs/ezhou/2024M1-3/report.html").exists() == (status == "ok")


def test_an_unforeseen_error_checking_one_report_does_not_stop_the_others(tmp_path, monkeypatch, capsys):
    from fundreport.data import check

    real = check._load

    def failing(path, cache):
        if "ezhou" in str(path):
            raise RuntimeError("something no check foresaw")
        return real(path, cache)

    monkeypatch.setattr(check, "_load", failing)
    root = project(tmp_path, ("ezhou/2024M1-3", "jiashi/2020"))
    assert cli.main(["--root", str(root), "render", "--jobs", "1", "--formats", "html"]) == 1
    assert (root / "outputs/jiashi/2020/report.html").exists()
    manifest = {r["params"]: r for r in json.loads((root / "outputs/manifest.json").read_text("utf-8"))["reports"]}
    bad = manifest[os.path.join("params", "ezhou", "2024M1-3.yaml")]
    assert bad["status"] == "invalid" and "读取数据时出错（RuntimeError：something no check foresaw）" in bad["error"]
    assert "Traceback" not in capsys.readouterr().out
