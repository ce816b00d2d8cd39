"""Rendering benchmark: ``fundreport render`` against the loops a user would otherwise write.

One run does everything:

1. Builds N synthetic regions in a throw-away project root (``--workdir``, default
   ``/tmp/fr-bench/n<N>``): the 鄂州 sample dataset (``data/samples/ezhou/2024M1-3``) copied N
   times, every absolute figure (amounts, persons, visits, stated 增减额) scaled by a fixed
   per-region factor between 0.6 and 1.6, written with the precision of the original figure
   (integers stay integers); ratios, per-visit values and policy standards are left as written
   because uniform scaling does not change them. Each copy names its region 鄂州市01, 鄂州市02, …
   Params files ``params/bench/rNN.yaml`` (the 鄂州 params with an absolute ``data:`` path),
   ``params/_defaults.yaml`` and ``notebooks/report.ipynb`` are copied from the project, and
   ``fundreport --root <workdir> check`` must pass before anything is timed.
2. Times, one after another: ``fundreport render --jobs J --formats html,pdf`` with the default engines
   (a), with ``--pdf-engine chromium`` (a2) and with ``--engine kernel`` (a3), each at ``--extra-jobs``
   worker counts too; an unchanged re-run of a (d) and a re-run after one params file changed (e); and
   the naive shell loop (b): ``papermill`` → ``jupyter nbconvert --to html --no-input`` → ``weasyprint``
   as subprocesses, one report after another. ``--modes`` adds ``inprocess`` (c): papermill's API with a
   fresh kernel per report, nbconvert's ``HTMLExporter`` and WeasyPrint in this process.

3. Prints a results table, saves the raw numbers as ``<workdir>/results.json`` and, with
   ``--write docs/performance.md``, writes the performance document.

Usage (from the project root; takes several minutes)::

    .venv/bin/python benchmarks/render_bench.py --reports 20 --extra-jobs 1 --write docs/performance.md
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.metadata
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

import psutil
import yaml
from doc_section import kept_sections  # beside this script

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SAMPLE_DATA = PROJECT / "data" / "samples" / "ezhou" / "2024M1-3"
SAMPLE_PARAMS = PROJECT / "params" / "ezhou" / "2024M1-3.yaml"
SAMPLE_NAME = "鄂州市"
MARKER = ".render_bench"  # only a folder holding this file is ever wiped

# Columns holding absolute figures, per table. A row is scaled only when its unit (the named
# column, if any) is an absolute unit: rates (%), per-visit values (元/人次) and policy standards
# are invariant under uniform scaling and stay as written.
SCALED_COLUMNS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "enrolment.csv": (("人数",), "单位"),
    "fund_flows.csv": (("数值",), "单位"),
    "budgets.csv": (("预算数",), "单位"),
    "utilisation.csv": (("人次", "人数", "总费用", "政策范围内费用", "基金支付"), None),
    "deficit_summary.csv": (("超支金额", "结余金额"), None),
    "stated.csv": (("数值",), "单位"),
}
ABSOLUTE_UNITS = {"元", "万元", "亿元", "人", "万人", "人次", "万人次"}
PACKAGES = ("papermill", "nbconvert", "nbclient", "jupyter_client", "ipykernel", "weasyprint", "pandas", "matplotlib")

MODES = ("cli", "chromium", "kernel", "rerun", "naive", "inprocess")
# fundreport render modes: (row letter, rest of the row name, extra options, also at --extra-jobs)
ENGINE_MODES = {
    "cli": ("a", "(default engines)", (), True),
    "chromium": ("a2", "--pdf-engine chromium", ("--pdf-engine", "chromium"), True),
    "kernel": ("a3", "--engine kernel", ("--engine", "kernel"), False),
}
DEFAULT_MODES = ("cli", "chromium", "kernel", "rerun", "naive")
TARGET_SPEEDUP = 10.0  # a (default engines) must be at least this many times faster than b (wall, N reports)
TARGET_CHROMIUM = 14.0  # a2 (--pdf-engine chromium) against b
TARGET_RERUN_S = 1.0  # d: an unchanged re-run of N reports, whole command
TARGET_RATIO = 1.5  # a's per-report time must be within this factor of c's


# --------------------------------------------------------------------------- synthetic project


def region_factor(i: int, n: int) -> Decimal:
    """Deterministic scale factor of region i (0-based) of n: evenly from 0.6 to 1.6."""
    if n <= 1:
        return Decimal("1")
    return (Decimal("0.6") + Decimal(i) / Decimal(n - 1)).quantize(Decimal("0.0001"))


def scale_figure(text: str, factor: Decimal) -> str:
    """A written figure times factor, with as many decimals as it was written with."""
    raw = text.strip()
    if not raw:
        return text
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return text  # not a plain number (none in the sample): leave it
    exponent = value.as_tuple().exponent
    quantum = Decimal(1).scaleb(min(exponent, 0)) if isinstance(exponent, int) else Decimal(1)
    return str((value * factor).quantize(quantum, rounding=ROUND_HALF_UP))


def scale_table(src: Path, dst: Path, factor: Decimal, name: str) -> None:
    """Copy one CSV table, scaling its absolute figures and renaming the region."""
    with src.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    columns, unit_column = SCALED_COLUMNS.get(src.name, ((), None))
    idx = [header.index(c) for c in columns if c in header]
    unit_idx = header.index(unit_column) if unit_column and unit_column in header else None
    out = [header]
    for row in body:
        row = list(row)
        is_data = row and not row[0].lstrip().startswith("#")
        if is_data and (unit_idx is None or row[unit_idx].strip() in ABSOLUTE_UNITS):
            for i in idx:
                if i < len(row):
                    row[i] = scale_figure(row[i], factor)
        if src.name in ("regions.csv", "meta.csv"):
            row = [cell.replace(SAMPLE_NAME, name) for cell in row]
        out.append(row)
    with dst.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(out)


def prepare_workdir(workdir: Path) -> None:
    """Empty workdir (refusing a non-empty folder this script did not create)."""
    if workdir.exists():
        if any(workdir.iterdir()) and not (workdir / MARKER).exists():
            raise SystemExit(f"{workdir} is not empty and was not made by this benchmark; choose another --workdir")
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    (workdir / MARKER).write_text("made by benchmarks/render_bench.py; safe to delete\n", encoding="utf-8")


def build_project(root: Path, n: int) -> list[Path]:
    """Write the synthetic project under root; returns the params files, in order."""
    (root / "params" / "bench").mkdir(parents=True)
    (root / "notebooks").mkdir()
    shutil.copy2(PROJECT / "params" / "_defaults.yaml", root / "params" / "_defaults.yaml")
    shutil.copy2(PROJECT / "notebooks" / "report.ipynb", root / "notebooks" / "report.ipynb")
    base_params = yaml.safe_load(SAMPLE_PARAMS.read_text(encoding="utf-8"))
    paths = []
    for i in range(n):
        tag = f"{i + 1:02d}"
        data = root / "data" / f"r{tag}"
        data.mkdir(parents=True)
        factor = region_factor(i, n)
        for src in sorted(SAMPLE_DATA.glob("*.csv")):
            scale_table(src, data / src.name, factor, f"{SAMPLE_NAME}{tag}")
        params = dict(base_params, data=str(data))
        path = root / "params" / "bench" / f"r{tag}.yaml"
        path.write_text(yaml.safe_dump(params, allow_unicode=True, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths


def check_project(root: Path) -> None:
    """``fundreport check`` must pass on the synthetic project, or nothing is timed."""
    proc = subprocess.run(
        [str(BIN / "fundreport"), "--root", str(root), "check"], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        sys.stdout.write(proc.stdout + proc.stderr)
        raise SystemExit(f"fundreport check failed on the synthetic data (exit {proc.returncode})")
    last = [line for line in proc.stdout.strip().splitlines() if line.strip()][-1]
    print(f"check: {last.strip()}")


# --------------------------------------------------------------------------- measuring


def cpu_times() -> tuple[float, float, float]:
    """Machine-wide (busy, steal, total) CPU seconds since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    hz = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]  # idle + iowait
    steal = fields[7] if len(fields) > 7 else 0
    total = sum(fields[:8])
    return (total - idle - steal) / hz, steal / hz, total / hz


class Monitor:
    """Resources used while a mode runs.

    Memory: resident memory of this process's descendants, sampled every `interval` s.
    ``peak_tree_mb`` is the largest sum over the process tree at one instant (workers + kernels);
    ``peak_process_mb`` the largest single process. This process's own RSS is left out unless
    ``include_self`` (the in-process mode runs the work here).
    CPU: machine-wide busy and steal seconds from /proc/stat (includes anything else running).
    """

    def __init__(self, include_self: bool, interval: float = 0.2):
        self.include_self, self.interval = include_self, interval
        self.peak_tree = self.peak_process = 0
        self.cpu: tuple[float, float, float] = (0.0, 0.0, 0.0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        procs = me.children(recursive=True) + ([me] if self.include_self else [])
        total = 0
        for p in procs:
            try:
                rss = p.memory_info().rss
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            total += rss
            self.peak_process = max(self.peak_process, rss)
        self.peak_tree = max(self.peak_tree, total)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> Monitor:
        self.cpu = cpu_times()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.cpu = tuple(b - a for a, b in zip(self.cpu, cpu_times(), strict=True))

    def to_json(self) -> dict[str, float]:
        busy, steal, total = self.cpu
        return {
            "peak_tree_mb": round(self.peak_tree / 2**20),
            "peak_process_mb": round(self.peak_process / 2**20),
            "cpu_busy_s": round(busy, 1),
            "cpu_steal_s": round(steal, 1),
            "cpu_util_pct": round(100 * busy / total, 1) if total else 0.0,
        }


@dataclass
class ModeResult:
    name: str
    reports: int
    wall: float = 0.0
    per_report: list[float] = field(default_factory=list)  # seconds of each report, where known
    phases: dict[str, float] = field(default_factory=dict)  # mean seconds per report by phase
    resources: dict[str, float] = field(default_factory=dict)
    ok: int = 0
    note: str = ""
    rendered: int = 0  # reports rendered (not reused from an earlier run)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.per_report) if self.per_report else self.wall / self.reports

    @property
    def fixed(self) -> float:
        """Wall time not spent on reports by the busiest worker: startup, validation, index (an estimate:
        the wall time less the reports' total worker time spread over the workers)."""
        jobs = int(self.name.split("--jobs ")[1].split()[0]) if "--jobs " in self.name else 1
        return max(0.0, self.wall - sum(self.per_report) / jobs)


def is_pdf(path: Path) -> bool:
    return path.is_file() and path.read_bytes()[:5] == b"%PDF-"


def run_cli(
    root: Path, paths: list[Path], jobs: int, label: str, *, extra: tuple[str, ...] = (), out_name: str | None = None
) -> ModeResult:
    """``fundreport render`` with a worker pool (``extra``: more options, e.g. the PDF engine)."""
    out = root / (out_name or f"out-cli-j{jobs}")
    cmd = [str(BIN / "fundreport"), "--root", str(root), "render", "--jobs", str(jobs), "--formats", "html,pdf"]
    cmd += [*extra, "--out", str(out), str(root / "params" / "bench")]
    log = root / "logs" / f"{out.name}.log"
    with Monitor(include_self=False) as mem, log.open("a") as fh:
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=root, stdout=fh, stderr=subprocess.STDOUT, check=False)
        wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"fundreport render failed (exit {proc.returncode}); see {log}:\n{log.read_text()[-3000:]}")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]
    result = ModeResult(label, len(paths), wall=wall, resources=mem.to_json())
    fresh = [r for r in manifest if not r.get("reused")]
    result.per_report = [r["seconds"]["total"] for r in fresh]
    for phase in ("validate", "execute", "html", "pdf"):
        if fresh:
            result.phases[phase] = statistics.fmean(r["seconds"].get(phase, 0.0) for r in fresh)
    result.ok = sum(r["status"] == "ok" and is_pdf(out / r["outputs"]["pdf"]) for r in manifest)
    result.rendered = len(fresh)
    result.note = "per report = worker time of one report (manifest); wall includes startup, validation, index"
    return result


def run_rerun(root: Path, paths: list[Path], jobs: int, *, change: bool) -> ModeResult:
    """The default command again on its own output folder: nothing changed (every report reused), or one
    params file changed (a comment line added: its bytes, hence its inputs key, differ)."""
    if change:
        with paths[0].open("a", encoding="utf-8") as fh:
            fh.write("# edited by benchmarks/render_bench.py\n")
    label = "e. one params file changed, re-run" if change else "d. unchanged re-run"
    return run_cli(root, paths, jobs, label, out_name=f"out-cli-j{jobs}")


def run_step(cmd: list[str], cwd: Path, env: dict[str, str], log: Path) -> float:
    """Run one command, appending its output to log; seconds taken. Stops the benchmark if it fails."""
    with log.open("a") as fh:
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=fh, stderr=subprocess.STDOUT, check=False)
        seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed (exit {proc.returncode}); see {log}")
    return seconds


def run_naive(root: Path, paths: list[Path]) -> ModeResult:
    """b. papermill → jupyter nbconvert → weasyprint as subprocesses, one report after another."""
    out = root / "out-naive"
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    result = ModeResult("b. naive CLI loop (papermill, nbconvert, weasyprint)", len(paths))
    phases: dict[str, list[float]] = {"papermill": [], "nbconvert": [], "weasyprint": []}
    with Monitor(include_self=False) as mem:
        t_all = time.perf_counter()
        for path in paths:
            folder = out / path.stem
            folder.mkdir(parents=True)
            nb, html, pdf = folder / "out.ipynb", folder / "out.html", folder / "out.pdf"
            steps = {
                "papermill": ["papermill", "notebooks/report.ipynb", str(nb), "-p", "params_path", str(path)],
                "nbconvert": ["jupyter", "nbconvert", "--to", "html", "--no-input", str(nb)],
                "weasyprint": ["weasyprint", str(html), str(pdf)],
            }
            for phase, cmd in steps.items():
                phases[phase].append(run_step(cmd, root, env, root / "logs" / f"naive-{path.stem}.log"))
            result.per_report.append(sum(phases[p][-1] for p in phases))
            result.ok += is_pdf(pdf)
            print(f"  naive {path.stem}: {result.per_report[-1]:.1f} s", flush=True)
        result.wall = time.perf_counter() - t_all
    result.resources = mem.to_json()
    result.phases = {p: statistics.fmean(v) for p, v in phases.items()}
    return result


def run_inprocess(root: Path, paths: list[Path]) -> ModeResult:
    """c. papermill.execute_notebook + HTMLExporter + WeasyPrint, in this process, one at a time."""
    import papermill as pm
    import weasyprint
    from nbconvert import HTMLExporter

    out = root / "out-inprocess"
    # What `jupyter nbconvert --to html --no-input` configures, built once as an in-process user would.
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    result = ModeResult("c. in-process (papermill API, HTMLExporter, WeasyPrint)", len(paths))
    phases: dict[str, list[float]] = {"execute": [], "html": [], "pdf": []}
    with Monitor(include_self=True) as mem:
        t_all = time.perf_counter()
        for path in paths:
            folder = out / path.stem
            folder.mkdir(parents=True)
            t0 = time.perf_counter()
            nb = pm.execute_notebook(
                str(root / "notebooks" / "report.ipynb"),
                str(folder / "out.ipynb"),
                parameters={"params_path": str(path)},
                cwd=str(root),
                progress_bar=False,
            )
            t1 = time.perf_counter()
            body, _ = exporter.from_notebook_node(nb)
            (folder / "out.html").write_text(body, encoding="utf-8")
            t2 = time.perf_counter()
            weasyprint.HTML(string=body, base_url=str(folder)).write_pdf(folder / "out.pdf")
            t3 = time.perf_counter()
            for phase, seconds in zip(phases, (t1 - t0, t2 - t1, t3 - t2), strict=True):
                phases[phase].append(seconds)
            result.per_report.append(t3 - t0)
            result.ok += is_pdf(folder / "out.pdf")
            print(f"  in-process {path.stem}: {result.per_report[-1]:.1f} s", flush=True)
        result.wall = time.perf_counter() - t_all
    result.resources = mem.to_json()
    result.phases = {p: statistics.fmean(v) for p, v in phases.items()}
    return result


# --------------------------------------------------------------------------- reporting


def machine() -> dict[str, str]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line)
    info = {
        "CPU": cpu,
        "cores (os.cpu_count)": str(os.cpu_count()),
        "RAM": f"{mem_kb / 2**20:.1f} GiB",
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
    }
    info.update({name: importlib.metadata.version(name) for name in PACKAGES})
    return info


def code_version() -> dict[str, object]:
    """The library code being measured: git commit, uncommitted changes, and a digest of the sources.

    The digest covers lib/ and notebooks/report.ipynb, so an edit made while the benchmark runs shows up
    as a different digest at the end even when nothing is committed.
    """

    def git(*cmd: str) -> str:
        proc = subprocess.run(["git", *cmd], cwd=PROJECT, capture_output=True, text=True, check=False)
        return proc.stdout.strip() if proc.returncode == 0 else ""

    sources = sorted(f for f in (PROJECT / "lib").rglob("*") if f.is_file() and "__pycache__" not in f.parts)
    digest = hashlib.sha256()
    for f in [*sources, PROJECT / "notebooks" / "report.ipynb"]:
        digest.update(str(f.relative_to(PROJECT)).encode() + b"\0" + f.read_bytes())
    return {
        "commit": git("rev-parse", "--short", "HEAD") or "unknown",
        "dirty": bool(git("status", "--porcelain", "--", "lib", "notebooks")),
        "digest": digest.hexdigest()[:12],
    }


def code_label(code: dict[str, object] | None) -> str:
    if not code:
        return "—"
    return f"{code['commit']}{' + uncommitted changes' if code['dirty'] else ''} (sources {code['digest']})"


def summarise(res: dict[str, ModeResult], jobs: int, n: int) -> dict[str, object]:
    a, b, c = res.get("cli"), res.get("naive"), res.get("inprocess")
    s: dict[str, object] = {}
    for key, r in res.items():
        if b and key not in ("naive", "inprocess", "rerun", "change"):
            s[f"speedup_{key}"] = b.wall / r.wall  # how many times faster than the naive loop
    if a:
        s["a_wall_per_report"] = a.wall / n
        s["a_cpu_per_report"] = a.wall * jobs / n
    if a and b:
        s["speedup_b_over_a"] = b.wall / a.wall
        s["speedup_met"] = s["speedup_b_over_a"] >= TARGET_SPEEDUP
    if res.get("chromium") and b:
        s["speedup_chromium_met"] = s["speedup_chromium"] >= TARGET_CHROMIUM
    if res.get("rerun"):
        s["rerun_s"] = res["rerun"].wall
        s["rerun_met"] = res["rerun"].wall < TARGET_RERUN_S and res["rerun"].rendered == 0
    if a and c:
        s["ratio_a_over_c"] = s["a_cpu_per_report"] / c.mean
        s["ratio_wall_a_over_c"] = s["a_wall_per_report"] / c.mean
    return s


def scaling_rows(
    res: dict[str, ModeResult], n: int, workers: tuple[int, ...] = (1, 2, 16), big: int = 200
) -> list[str]:
    """Measured walls for the worker counts run, and on paper for 16 workers and ``big`` reports.

    On paper: wall(W, N) = fixed + ceil(N / W) × t, with t a report's worker time measured with one worker
    (no other worker competing for the cores: W real cores assumed) and fixed the start-up and index time
    measured with one worker; the naive loop is N × its mean per report."""
    b = res.get("naive")
    rows = []
    for key, title in (("cli", "default engines"), ("chromium", "Chromium")):
        one = res.get(f"{key}-j1") or (res.get(key) if res.get(key) and "--jobs 1 " in res[key].name else None)
        for w in workers:
            measured = next((r for k, r in res.items() if k.split("-j")[0] == key and f"--jobs {w} " in r.name), None)
            if measured is not None:
                ratio = f"{b.wall / measured.wall:.1f}×" if b and measured.reports == n else "—"
                rows.append(f"| {title} | {w} | {n} | {measured.wall:.1f} (measured) | {ratio} |")
            elif one is not None and b is not None:
                wall = one.fixed + -(-big // w) * one.mean
                rows.append(
                    f"| {title} | {w} | {big} | {wall:.0f} (on paper: {one.fixed:.1f} + ⌈{big}/{w}⌉ × {one.mean:.2f}) "
                    f"| {big * b.mean / wall:.0f}× |"
                )
    return rows


def results_table(res: dict[str, ModeResult]) -> str:
    lines = [
        "| method | reports | OK PDFs | wall (s) | mean per report (s) | phases, mean s/report "
        "| CPU busy s (util, steal s) | peak RSS tree / process (MB) |",
        "|---|---:|---:|---:|---:|---|---:|---:|",
    ]
    for r in res.values():
        phases = ", ".join(f"{k} {v:.2f}" for k, v in r.phases.items())
        x = r.resources
        cpu = f"{x.get('cpu_busy_s', 0):.0f} ({x.get('cpu_util_pct', 0):.0f} %, {x.get('cpu_steal_s', 0):.1f})"
        mem = f"{x.get('peak_tree_mb', 0):.0f} / {x.get('peak_process_mb', 0):.0f}"
        lines.append(f"| {r.name} | {r.reports} | {r.ok} | {r.wall:.1f} | {r.mean:.2f} | {phases} | {cpu} | {mem} |")
    return "\n".join(lines)


def verdicts(s: dict[str, object], jobs: int, n: int) -> list[str]:
    def met(ok: object) -> str:
        return "**met**" if ok else "**not met**"

    out = []
    if "speedup_b_over_a" in s:
        out.append(
            f"- Default engines (in-process notebook, WeasyPrint) over the naive loop (b wall / a wall, {n} reports, "
            f"HTML + PDF, {jobs} jobs): **{s['speedup_b_over_a']:.2f}×**; target ≥ {TARGET_SPEEDUP:g}×: "
            f"{met(s['speedup_met'])}."
        )
    if "speedup_chromium" in s:
        out.append(
            f"- `--pdf-engine chromium` over the naive loop: **{s['speedup_chromium']:.2f}×**; target "
            f"≥ {TARGET_CHROMIUM:g}×: {met(s['speedup_chromium_met'])}."
        )
    if "speedup_kernel" in s:
        out.append(
            f"- `--engine kernel` (a warm Jupyter kernel per worker) over the naive loop: {s['speedup_kernel']:.2f}×."
        )
    if "rerun_s" in s:
        out.append(
            f"- Unchanged re-run of {n} reports (whole command): **{s['rerun_s']:.2f} s**; target < {TARGET_RERUN_S:g} s: "
            f"{met(s['rerun_met'])}."
        )
    if "ratio_a_over_c" in s:
        out.append(
            f"- Per report, `fundreport render` (wall × jobs / N = {s['a_cpu_per_report']:.2f} s) against in-process "
            f"papermill + nbconvert + WeasyPrint with a fresh kernel per report (c): {s['ratio_a_over_c']:.2f}×."
        )
    return out


def performance_doc(
    res: dict[str, ModeResult],
    s: dict[str, object],
    args: argparse.Namespace,
    info: dict,
    history: list[dict],
    code: dict[str, object],
) -> str:
    machine_rows = "\n".join(f"| {k} | {v} |" for k, v in info.items())
    n, jobs = args.reports, args.jobs
    changed_note = (
        "\n**Warning:** the library sources changed while this benchmark ran; the modes did not all measure the "
        "same code.\n"
        if code.get("changed_during_run")
        else ""
    )
    scaling = scaling_rows(res, n)
    scaling_text = (
        "\n".join(["| engines | workers | reports | wall (s) | × naive loop |", "|---|---:|---:|---|---:|", *scaling])
        if scaling
        else "(run with `--extra-jobs 1` and the naive loop for this table)"
    )
    return f"""# Rendering performance

Measured {datetime.now().strftime("%Y-%m-%d %H:%M")} by `benchmarks/render_bench.py` (the numbers below are
its output; rerun it to refresh them).

## What is measured

{n} synthetic reports, each rendered to HTML and PDF. Each report is the 鄂州 2024年1-3月 sample
(`data/samples/ezhou/2024M1-3`, the largest sample: 21 PDF pages, 11 charts, 30 tables) copied into its own
dataset, with every absolute figure (amounts, persons, visits, stated 增减额) multiplied by a fixed factor
from 0.6 to 1.6 (region 1 … {n}) and written with the precision of the original figure; ratios, per-visit
values and policy standards are unchanged. Regions are named 鄂州市01 … 鄂州市{n:02d}. Params files are the
鄂州 params (with its commentary) under `params/bench/` of a throw-away project root, and `fundreport check`
passes on all of them before timing.

All in one run, one after another (the CPU column is machine-wide, so it also shows whether anything else
was running: 50 % is one of two cores busy):

- **a. `fundreport render --jobs {jobs} --formats html,pdf`** with the default engines: each worker runs the
  notebook in its own warm IPython shell (papermill engine `fundreport-inprocess`), exports HTML with the
  project's template and prints the PDF with WeasyPrint. Wall time of the whole command (startup, validation,
  rendering, index and manifest); "mean per report" is a worker's time for one report (manifest.json).
  Rows a′ are the same command with another `--jobs`.
- **a2. the same with `--pdf-engine chromium`**: PDFs from a Chromium kept open per worker (Playwright over
  the DevTools protocol, Debian's chromium).
- **a3. the same with `--engine kernel`**: the notebook on a warm Jupyter kernel per worker (the engine
  before in-process execution).
- **d. unchanged re-run**: command a again on its own output folder; every report's inputs hash the same, so
  nothing is rendered (whole command, including Python start-up).
- **e. one file changed**: a comment line appended to one params file, then command a again: one report
  rendered, {n - 1} reused.
- **b. naive loop**: what a user would otherwise script, sequentially, as subprocesses with cwd the project
  root: `papermill notebooks/report.ipynb out.ipynb -p params_path <yaml>`, then
  `jupyter nbconvert --to html --no-input out.ipynb`, then `weasyprint out.html out.pdf`. It uses nbconvert's
  stock `lab` template, so its PDF step works on other HTML (JupyterLab's stylesheet, no paged CSS).

Peak RSS is sampled every 0.2 s with psutil: "tree" is the largest sum over the benchmark's child
processes at one moment, "process" the largest single process.

## How to run

```sh
.venv/bin/python benchmarks/render_bench.py --reports {n} --extra-jobs 1 --write docs/performance.md
```

This document was written by `{args.command_line}`. Options: `--jobs` (default: CPU count), `--extra-jobs`
(also time the pool with these worker counts), `--workdir` (default `/tmp/fr-bench/n<N>`), `--modes`
(subset of {", ".join(MODES)}; `inprocess` times papermill's API with a fresh kernel per report),
`--previous` (results.json of earlier runs, for the run-to-run table). Raw numbers go to
`<workdir>/results.json`, logs to `<workdir>/logs/`.

## Machine

| | |
|---|---|
{machine_rows}

## Results

{results_table(res)}

## Targets

{chr(10).join(verdicts(s, jobs, n))}
{changed_note}
## Scaling

{scaling_text}

## Where the time goes

{chr(10).join(observations(res, jobs, n))}
{history_section(history)}"""


def headline(raw: dict, label: str) -> dict[str, object]:
    """One row of the run-to-run table, from a results.json mapping."""
    modes, summary, a = raw.get("modes", {}), raw.get("summary", {}), raw.get("args", {})
    return {
        "run": label,
        "reports": a.get("reports"),
        "jobs": a.get("jobs"),
        "a_wall": modes.get("cli", {}).get("wall"),
        "chromium_wall": modes.get("chromium", {}).get("wall"),
        "b_wall": modes.get("naive", {}).get("wall"),
        "rerun": modes.get("rerun", {}).get("wall"),
        "speedup": summary.get("speedup_b_over_a"),
        "speedup_chromium": summary.get("speedup_chromium"),
        "code": (raw.get("code") or {}).get("commit"),
    }


def history_section(history: list[dict[str, object]]) -> str:
    """The run-to-run table (this run and any --previous runs), or '' for a single run."""
    if len(history) < 2:
        return ""

    def fmt(v: object, spec: str, unit: str = "") -> str:
        return "—" if v is None else format(v, spec) + unit

    rows = [
        f"| {h['run']} | {h.get('code') or '—'} | {h['reports']} | {h['jobs']} | {fmt(h['b_wall'], '.1f')} "
        f"| {fmt(h['a_wall'], '.1f')} | {fmt(h.get('chromium_wall'), '.1f')} | {fmt(h.get('rerun'), '.2f')} "
        f"| {fmt(h['speedup'], '.2f', '×')} | {fmt(h.get('speedup_chromium'), '.2f', '×')} |"
        for h in history
    ]
    lines = [
        "",
        "## Run-to-run variation",
        "",
        "The same benchmark run several times on this machine (earlier runs given with `--previous`; the last "
        "row is the run above):",
        "",
        "| run | code | reports | jobs | b naive (s) | a default (s) | a2 Chromium (s) | d re-run (s) "
        "| b / a | b / a2 |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
    ]
    for key, target, name in (
        ("speedup", TARGET_SPEEDUP, "default"),
        ("speedup_chromium", TARGET_CHROMIUM, "Chromium"),
    ):
        values = [h[key] for h in history if h.get(key) is not None]
        if values:
            lines.append(
                f"- {name}: {min(values):.2f}× to {max(values):.2f}× (mean {statistics.fmean(values):.2f}×); "
                f"≥ {target:g}× in {sum(v >= target for v in values)} of {len(values)} runs."
            )
    return "\n".join(lines) + "\n"


def observations(res: dict[str, ModeResult], jobs: int, n: int) -> list[str]:
    """Plain facts derived from the measurements (no interpretation beyond arithmetic)."""
    a, b = res.get("cli"), res.get("naive")
    out = []
    for key in ("cli", "chromium", "kernel"):
        r = res.get(key)
        if r:
            busy = sum(r.per_report) / jobs
            out.append(
                f"- {r.name.split('.')[0]}: the workers spend {sum(r.per_report):.1f} s on reports in total "
                f"({busy:.1f} s per worker); the other {r.wall - busy:.1f} s of the {r.wall:.1f} s wall time is "
                "startup, validation of all params files, starting the workers, waiting for the last report and "
                "writing the index."
            )
    for key, r in res.items():
        if "-j" in key and res.get(key.split("-j")[0]):
            base = res[key.split("-j")[0]]
            out.append(
                f"- {base.name.split('.')[0]}: a report takes a worker {base.mean:.2f} s with {jobs} workers and "
                f"{r.mean:.2f} s with {key.split('-j')[1]} (phases: "
                + ", ".join(f"{k} {base.phases[k]:.2f} vs {r.phases.get(k, 0):.2f}" for k in base.phases)
                + ("): concurrent workers slow each other down." if base.mean > 1.05 * r.mean else ").")
            )
    cores = os.cpu_count() or 1
    if b and cores > 1 and b.resources.get("cpu_util_pct", 0) > 115 / cores:
        util = b.resources["cpu_util_pct"]
        out.append(
            f"- While b ran, the machine was {util:.0f} % busy, although that loop keeps one core busy "
            f"({100 / cores:.0f} % of {cores}): something else was running at the same time."
        )
    if a and b:
        for target, r, name in ((TARGET_SPEEDUP, a, "a"), (TARGET_CHROMIUM, res.get("chromium"), "a2")):
            if r:
                need = b.wall / target
                out.append(
                    f"- For {target:g}× over the naive loop, {name} must finish within {need:.1f} s (measured "
                    f"{r.wall:.1f} s): about {(need - r.fixed) * jobs / n:.2f} s of worker time per report after its "
                    f"fixed {r.fixed:.1f} s (measured {r.mean:.2f} s)."
                )
    return out


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--reports", "-n", type=int, default=20, help="number of synthetic reports (default 20)")
    p.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, help="fundreport render --jobs")
    p.add_argument("--workdir", type=Path, default=None, help="throw-away project root (default /tmp/fr-bench/n<N>)")
    p.add_argument("--extra-jobs", default="", help="also time fundreport render with these --jobs, e.g. 1")
    p.add_argument("--inprocess-reports", type=int, default=None, help="reports for mode c (default: all)")
    p.add_argument("--modes", default=",".join(DEFAULT_MODES), help=f"comma-separated subset of {','.join(MODES)}")
    p.add_argument("--previous", type=Path, nargs="*", default=[], help="results.json of earlier runs to compare")
    p.add_argument("--write", type=Path, default=None, help="write the performance document here")
    args = p.parse_args(argv)
    given = sys.argv[1:] if argv is None else argv
    args.command_line = shlex.join([".venv/bin/python", "benchmarks/render_bench.py", *given])
    args.workdir = (args.workdir or Path(f"/tmp/fr-bench/n{args.reports}")).resolve()
    args.modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    try:
        args.extra_jobs = sorted({int(j) for j in args.extra_jobs.split(",") if j.strip()} - {args.jobs})
    except ValueError:
        p.error("--extra-jobs takes comma-separated numbers, e.g. 1")
    unknown = set(args.modes) - set(MODES)
    if unknown or args.reports < 1 or args.jobs < 1 or any(j < 1 for j in args.extra_jobs):
        p.error(f"bad --modes {sorted(unknown)}" if unknown else "--reports and --jobs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    root = args.workdir
    code_start = code_version()
    previous = []
    for f in args.previous:
        raw = json.loads(f.read_text(encoding="utf-8"))
        when = raw.get("measured") or datetime.fromtimestamp(f.stat().st_mtime).isoformat(timespec="seconds")
        previous.append(headline(raw, f"earlier ({when})"))
    prepare_workdir(root)
    (root / "logs").mkdir()
    paths = build_project(root, args.reports)
    print(f"built {len(paths)} synthetic reports in {root}")
    check_project(root)

    res: dict[str, ModeResult] = {}
    j = args.jobs
    for mode, (letter, suffix, extra, scaled) in ENGINE_MODES.items():
        if mode not in args.modes:
            continue
        for jobs in [j, *(args.extra_jobs if scaled else [])]:
            key, mark = (mode, "") if jobs == j else (f"{mode}-j{jobs}", "'")
            name = f"{letter}{mark}. fundreport render --jobs {jobs} {suffix}"
            print(f"{name} …", flush=True)
            res[key] = run_cli(root, paths, jobs, name, extra=extra, out_name=f"out-{mode}-j{jobs}")
            print(f"  wall {res[key].wall:.1f} s", flush=True)
    if "cli" in args.modes and "rerun" in args.modes:
        res["rerun"] = run_rerun(root, paths, j, change=False)
        print(f"d. unchanged re-run: {res['rerun'].wall:.2f} s", flush=True)
        res["change"] = run_rerun(root, paths, j, change=True)
        print(f"e. one file changed: {res['change'].wall:.2f} s", flush=True)
    if "naive" in args.modes:
        print("b. naive loop …", flush=True)
        res["naive"] = run_naive(root, paths)
    if "inprocess" in args.modes:
        print("c. in-process …", flush=True)
        res["inprocess"] = run_inprocess(root, paths[: args.inprocess_reports or len(paths)])

    summary = summarise(res, args.jobs, args.reports)
    code = code_version()
    code["changed_during_run"] = code["digest"] != code_start["digest"]
    if code["changed_during_run"]:
        print(f"WARNING: lib/ or notebooks/report.ipynb changed while the benchmark ran ({code_start} → {code})")
    info = machine() | {"fundreport code": code_label(code)}
    print()
    print(results_table(res))
    print()
    print("\n".join(verdicts(summary, args.jobs, args.reports)))
    plain_args = {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items() if k != "previous"}
    raw = {"measured": datetime.now().isoformat(timespec="seconds"), "args": plain_args, "machine": info, "code": code}
    raw |= {"summary": summary, "modes": {k: asdict(v) | {"mean": v.mean} for k, v in res.items()}}
    history = [*previous, headline(raw, f"this run ({raw['measured']})")]
    if len(history) > 1:
        print(history_section(history))
    (root / "results.json").write_text(json.dumps(raw, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nraw results: {root / 'results.json'}")
    if args.write:
        args.write.parent.mkdir(parents=True, exist_ok=True)
        doc = performance_doc(res, summary, args, info, history, code)
        old = args.write.read_text(encoding="utf-8") if args.write.exists() else ""
        kept = kept_sections(
            old, ("pdf-engines", "check", "office", "cache", "detail")
        )  # the sections the other benchmarks write
        if kept:
            doc = doc.rstrip("\n") + "\n\n" + kept + "\n"
        args.write.write_text(doc, encoding="utf-8")
        print(f"wrote {args.write}")
    failed = [r.name for r in res.values() if r.ok != r.reports]
    if failed:
        print(f"WARNING: not every report produced a PDF in: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
