"""Time of the Word and Excel outputs (issue 15).

1. A 1,000-row, 10-column table to .docx: our writer (one XML fragment per table) against the naive
   python-docx cell API (``table.cell(i, j).text = …``) on the same table. Goal: under 1 s.
2. The time each sample report adds for docx + xlsx: building the report model again in the parent
   process, the .docx (its charts drawn again as PNG), the .xlsx. Median of three runs each.

    .venv/bin/python benchmarks/office_bench.py --write docs/performance.md

replaces the section between the office-bench markers of docs/performance.md (or appends it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from doc_section import markers, publish  # noqa: E402 (beside this script)

from fundreport.data.params import iter_params_files, load_params  # noqa: E402
from fundreport.render.excel import report_xlsx  # noqa: E402
from fundreport.render.word import report_docx  # noqa: E402
from fundreport.report.build import build_report  # noqa: E402
from fundreport.report.model import Column, Report, Section, Table  # noqa: E402

START, END = markers("office")
GOAL_S = 1.0


def big_table(rows: int = 1000) -> Report:
    cols = (Column("area", "地区"), *(Column(f"m{j}", f"金额{j}", "money") for j in range(6)),
            Column("n", "人数", "count"), Column("p", "占比", "percent"), Column("r", "增减率", "rate"))  # fmt: skip
    data = tuple(
        (f"第{i}统筹区", *(123456789.0 + i * 1000 + j for j in range(6)), 1000 + i, (i % 97) / 97, (i % 13 - 6) / 50)
        for i in range(rows)
    )
    table = Table("t-big", "各统筹区基金收支", cols, data, note="单位：万元")
    return Report("基准", "", "000000", "测试市", "2024", "2024年度", "2024-12-31",
                  (Section("sub", "一、分地区", (table,)),), numbers={"t-big": 1})  # fmt: skip


def naive_docx(report: Report) -> float:
    """python-docx's documented cell API on the same table (what a first attempt would write)."""
    from docx import Document

    from fundreport.text.narrative import fmt_cell

    table = report.sections[0].blocks[0]
    t0 = time.perf_counter()
    doc = Document()
    out = doc.add_table(rows=len(table.rows) + 1, cols=len(table.columns))
    for j, c in enumerate(table.columns):
        out.cell(0, j).text = c.label
    for i, row in enumerate(table.rows, 1):
        for j, (c, v) in enumerate(zip(table.columns, row, strict=True)):
            out.cell(i, j).text = fmt_cell(v, c.fmt, unit="万元")
    doc.save(io.BytesIO())
    return time.perf_counter() - t0


def timed(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", type=Path, help="docs/performance.md to update")
    args = ap.parse_args()
    big = big_table()
    ours = timed(lambda: report_docx(big), runs=5)
    small = 200  # the cell API is quadratic in the rows: 1,000 rows ran for more than 10 minutes
    naive = naive_docx(big_table(small))
    ours_small = timed(lambda: report_docx(big_table(small)), runs=5)
    print(f"1,000-row table: ours {ours:.3f} s; {small} rows: ours {ours_small:.3f} s, naive {naive:.2f} s", flush=True)
    rows = []
    for path in iter_params_files(None, ROOT):
        loaded = load_params(path)
        report = build_report(loaded)
        model = timed(lambda loaded=loaded: build_report(loaded))
        docx = timed(lambda report=report: report_docx(report))
        xlsx = timed(lambda report=report: report_xlsx(report))
        name = f"{report.region_name} {report.period_label}"
        rows.append((name, model, docx, xlsx))
        print(f"{name:20} model {model:.2f} s  docx {docx:.2f} s  xlsx {xlsx:.2f} s", flush=True)
    lines = [
        START,
        "## Word and Excel outputs",
        "",
        f"Measured {dt.date.today().isoformat()} on {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()} by `benchmarks/office_bench.py` (in-process, medians).",
        "",
        "| What | Time | Goal |",
        "| --- | ---: | --- |",
        f"| 1,000-row × 10-column table to .docx (our writer, whole document) | {ours:.3f} s | < {GOAL_S:.0f} s "
        f"{'✓' if ours < GOAL_S else '✗'} |",
        f"| {small}-row table, our writer | {ours_small:.3f} s | |",
        f"| {small}-row table with python-docx's cell API (`table.cell(i, j).text`) | {naive:.2f} s | "
        f"{naive / ours_small:.0f}× ours; quadratic in the rows (1,000 rows: stopped after 10 min) |",
        "",
        "Time a report adds when `docx,xlsx` are asked for (the model is built again in the parent process; the "
        ".docx draws its charts again):",
        "",
        "| Report | Model | .docx | .xlsx | Added |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(f"| {n} | {m:.2f} s | {d:.2f} s | {x:.2f} s | {m + d + x:.2f} s |" for n, m, d, x in rows),
        "",
        END,
    ]
    text = "\n".join(lines) + "\n"
    publish(args.write, "office", text)
    return 0 if ours < GOAL_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
