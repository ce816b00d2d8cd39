"""Time and memory of `fundreport check` on one input at a time: the largest inputs the limits allow,
and hostile inputs the limits must refuse quickly.

Each case is a throw-away project (one params file, one dataset) checked by a fresh
`fundreport --root ROOT check` subprocess; wall time and peak RSS come from the child's rusage.
The budget of issue 12 is ≤ 5 s and ≤ 500 MB per input, passing or refused.

    .venv/bin/python benchmarks/check_bench.py --write docs/performance.md

replaces the section between the check-bench markers of docs/performance.md (or appends it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from doc_section import markers, publish  # noqa: E402 (beside this script)

from fundreport.data import read as limits  # noqa: E402
from fundreport.data import safe_yaml  # noqa: E402
from tests import bad_inputs as gen  # noqa: E402

START, END = markers("check")
TIME_BUDGET, MEMORY_BUDGET_MB = 5.0, 500


def _project(base: Path, name: str, write_data, data_rel: str, params_text: str | None = None) -> Path:
    root = base / name
    shutil.rmtree(root, ignore_errors=True)
    (root / "params").mkdir(parents=True)
    (root / "data").mkdir()
    write_data(root / "data")
    text = params_text or f'region: "429001"\nperiod: "2000"\ndata: {data_rel}\n'
    (root / "params" / "r.yaml").write_text(text, encoding="utf-8")
    return root


def _flows_at(cells: int) -> tuple[list, list]:
    """The largest generated dataset (regions × 10 years) whose fund_flows stays within ``cells``."""
    per_region = 10 * len(gen.FUNDS) * len(gen.ITEMS) * len(gen.HEADER) + 4
    return gen.large_dataset_rows(max(1, (cells - 20) // per_region), 10)


def cases(base: Path) -> list[tuple[str, str, Path]]:
    """(name, what it is, project root)."""
    out = []
    r, f = _flows_at(limits.MAX_CELLS)
    n = len(f) * 6 + len(r) * 4
    out.append(
        (
            "xlsx at the cell limit",
            f"{len(f) - 1:,} fund-flow rows, {n:,} cells (limit {limits.MAX_CELLS:,}), no declared size",
            _project(
                base,
                "xlsx-limit",
                lambda d: gen.write_xlsx_dataset(d / "ds.xlsx", {"regions": r, "fund_flows": f}),
                "data/ds.xlsx",
            ),
        )
    )
    r2, f2 = _flows_at(limits.MAX_CSV_CELLS)
    n2 = len(f2) * 6 + len(r2) * 4
    out.append(
        (
            "CSV at the cell limit",
            f"{len(f2) - 1:,} fund-flow rows, {n2:,} cells (limit {limits.MAX_CSV_CELLS:,})",
            _project(
                base,
                "csv-limit",
                lambda d: gen.write_csv_dataset(d / "ds", {"regions": r2, "fund_flows": f2}),
                "data/ds",
            ),
        )
    )
    r3, f3 = _flows_at(limits.MAX_CSV_CELLS * 3)
    out.append(
        (
            "CSV over the cell limit",
            f"{len(f3) - 1:,} fund-flow rows (refused)",
            _project(
                base,
                "csv-over",
                lambda d: gen.write_csv_dataset(d / "ds", {"regions": r3, "fund_flows": f3}),
                "data/ds",
            ),
        )
    )
    out.append(
        (
            "shared-strings bomb",
            "3,000,000 distinct shared strings (refused)",
            _project(base, "ss-bomb", lambda d: gen.shared_strings_bomb(d / "ds.xlsx"), "data/ds.xlsx"),
        )
    )
    out.append(
        (
            "rows bomb, size understated",
            "declares 2 rows, holds 3,000,000 (refused)",
            _project(base, "rows-bomb", lambda d: gen.rows_bomb(d / "ds.xlsx"), "data/ds.xlsx"),
        )
    )
    out.append(
        (
            "rows bomb, no declared size",
            "3,000,000 rows, no dimension element (refused)",
            _project(base, "rows-nodim", lambda d: gen.rows_bomb(d / "ds.xlsx", dimension=None), "data/ds.xlsx"),
        )
    )
    small_r, small_f = gen.large_dataset_rows(1, 1)

    def small(d: Path) -> None:
        gen.write_csv_dataset(d / "ds", {"regions": small_r, "fund_flows": small_f})

    bomb = base / "alias.yaml"
    gen.alias_bomb(bomb)
    out.append(
        (
            "YAML alias bomb",
            "10^9 nodes when expanded (refused)",
            _project(base, "alias", small, "data/ds", bomb.read_text()),
        )
    )
    paragraph = "基金运行平稳，" * 150  # 1,050 characters, within the 2,000 of one paragraph
    big_text = 'region: "429001"\nperiod: "2000"\ndata: data/ds\ncommentary:\n  income_expense:\n' + "".join(
        f'    - "{i}{paragraph}"\n' for i in range(75)
    )
    out.append(
        (
            "params file near the size limit",
            f"{len(big_text.encode()) // 1024} kB (limit {safe_yaml.MAX_BYTES // 1024} kB)",
            _project(base, "big-params", small, "data/ds", big_text),
        )
    )
    sample = base / "ezhou"
    shutil.rmtree(sample, ignore_errors=True)
    (sample / "params").mkdir(parents=True)
    shutil.copytree(ROOT / "data", sample / "data")
    shutil.copy(ROOT / "params" / "ezhou" / "2024M1-3.yaml", sample / "params" / "r.yaml")
    out.append(("鄂州 2024年1-3月 sample", "the real sample", sample))
    return out


def measure(root: Path) -> dict:
    """Wall time, CPU time and peak RSS of one `fundreport check` process (rusage of that child alone)."""
    exe = Path(sys.executable).with_name("fundreport")
    log = root / "check.log"
    t0 = time.perf_counter()
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen([str(exe), "--root", str(root), "check"], stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    lines = log.read_text(encoding="utf-8").strip().splitlines()
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024,
        "exit": proc.returncode,
        "message": next(
            (ln for ln in lines if "过多" in ln or "过大" in ln or "别名" in ln), lines[-1] if lines else ""
        ),
    }


def section(rows: list[tuple[str, str, dict]]) -> str:
    now = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    code = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    lines = [
        START,
        "## Checking one input",
        "",
        f"Measured {now} (commit {code or '—'}, {os.cpu_count()} cores, Python {platform.python_version()}) by "
        "`benchmarks/check_bench.py --write docs/performance.md`. Each row is one fresh `fundreport check` process "
        f"on a throw-away project with that one input; the budget is ≤ {TIME_BUDGET:.0f} s and ≤ {MEMORY_BUDGET_MB} MB "
        "whether the input passes or is refused. CPU time and peak RSS are the check process's own (`wait4`).",
        "",
        "| input | what | exit | wall (s) | CPU (s) | peak RSS (MB) | within budget |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for name, what, m in rows:
        ok = m["wall"] <= TIME_BUDGET and m["rss_mb"] <= MEMORY_BUDGET_MB
        lines.append(
            f"| {name} | {what} | {m['exit']} | {m['wall']:.2f} | {m['cpu']:.2f} | {m['rss_mb']:.0f} | {'yes' if ok else '**no**'} |"
        )
    slow = max(rows, key=lambda r: r[2]["wall"])
    big = max(rows, key=lambda r: r[2]["rss_mb"])
    lines += [
        "",
        f"Slowest: {slow[0]} ({slow[2]['wall']:.2f} s). Largest: {big[0]} ({big[2]['rss_mb']:.0f} MB).",
        "",
        "Limits (in `fundreport.data.read` and `fundreport.data.safe_yaml`): "
        f"workbook {limits.MAX_CELLS:,} cells counted in the sheet XML (not the declared size), "
        f"{limits.MAX_SHARED_STRINGS:,} shared strings, {limits.MAX_UNZIPPED // 2**20} MB unzipped; "
        f"CSV {limits.MAX_CSV_CELLS:,} cells and {limits.MAX_CSV_BYTES // 2**20} MB per dataset; params "
        f"{safe_yaml.MAX_BYTES // 1024} kB, no aliases. openpyxl reads about 30 µs per cell, CSV about 4 µs, and "
        "validation plus the audit about 10 µs per cell, which sets the two cell limits.",
        END,
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--workdir", type=Path, default=Path("/tmp/fr-check-bench"))
    p.add_argument("--write", type=Path, default=None, help="update this markdown file's check-bench section")
    args = p.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    for name, what, root in sorted(cases(args.workdir), key=lambda c: c[0] != "鄂州 2024年1-3月 sample"):
        m = measure(root)
        print(f"{name:34} exit {m['exit']}  {m['wall']:6.2f} s  {m['rss_mb']:6.0f} MB  {m['message'][:90]}")
        rows.append((name, what, m))
    text = section(rows)
    publish(args.write, "check", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
