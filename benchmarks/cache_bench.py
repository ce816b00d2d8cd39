"""Re-running a batch whose inputs did not change (issue 16, the render cache).

A throw-away project of N reports (the five samples' params files repeated under params/r01 …, data
in the repository) is rendered once (HTML), then `fundreport render` is run again as a user would: the
whole command, as a subprocess, wall time. Then one params file changes (a comment appended) and the
batch runs again: only that report is rendered.

    .venv/bin/python benchmarks/cache_bench.py --reports 20 --write docs/performance.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from doc_section import markers, publish  # beside this script

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
START, END = markers("cache")


def make_project(base: Path, n: int) -> Path:
    samples = sorted(p for p in (ROOT / "params").rglob("*.yaml") if not p.name.startswith("_"))
    (base / "params").mkdir(parents=True)
    defaults = (ROOT / "params" / "_defaults.yaml").read_text(encoding="utf-8") + f"data_roots: [{ROOT / 'data'}]\n"
    (base / "params" / "_defaults.yaml").write_text(defaults, encoding="utf-8")
    for i in range(n):
        src = samples[i % len(samples)]
        text = src.read_text(encoding="utf-8").replace("data: data/", f"data: {ROOT}/data/")
        target = base / "params" / f"r{i + 1:02d}" / src.name
        target.parent.mkdir(parents=True)
        target.write_text(text, encoding="utf-8")
    (base / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / "report.ipynb", base / "notebooks")
    return base


def run(root: Path, *extra: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([str(BIN / "fundreport"), "--root", str(root), "render", "--formats", "html", *extra],
                   check=True, capture_output=True)  # fmt: skip
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=20)
    ap.add_argument("--write", type=Path)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = make_project(Path(tmp), args.reports)
        first = run(root)
        print(f"first render of {args.reports} reports: {first:.1f} s", flush=True)
        again = [run(root) for _ in range(3)]
        print(f"unchanged re-run: {', '.join(f'{t:.2f}' for t in again)} s", flush=True)
        one = next((root / "params" / "r01").glob("*.yaml"))
        one.write_text(one.read_text(encoding="utf-8") + "# changed\n", encoding="utf-8")
        changed = run(root)
        print(f"one params file changed: {changed:.1f} s", flush=True)
    text = "\n".join([
        START,
        "## Re-running an unchanged batch (render cache)",
        "",
        f"Measured {dt.date.today().isoformat()} on {platform.machine()}, {os.cpu_count()} cores by "
        f"`benchmarks/cache_bench.py --reports {args.reports}` (whole `fundreport render --formats html` "
        "commands, wall time).",
        "",
        "| Run | Time | Goal |",
        "| --- | ---: | --- |",
        f"| first render of {args.reports} reports | {first:.1f} s | |",
        f"| unchanged re-run (median of 3) | {statistics.median(again):.2f} s | < 1 s "
        f"{'✓' if statistics.median(again) < 1 else '✗'} |",
        f"| one params file changed (1 report rendered, {args.reports - 1} reused) | {changed:.1f} s | |",
        "",
        END,
    ]) + "\n"  # fmt: skip
    publish(args.write, "cache", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
