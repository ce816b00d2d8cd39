"""Aggregating settlement detail (issue 17): ``fundreport aggregate``'s DuckDB query against pandas.

A deterministic synthetic extract (no randomness: every value is arithmetic on the row number) of N
settlements in 2023 and 2024 January-March, 60 % 职工 / 40 % 居民, seven 医疗类别 (普通门诊, 门诊慢特病,
住院, 药店购药, 生育住院), three hospital levels, four districts of one city, 1 in 25 treated out of area,
1 in 500 reversed (a copy of the settlement with 退费结算标志 1 and negative amounts), persons N / 8, is
written as Parquet (amounts as DOUBLE, codes as text). Then, each in a fresh process (wall time and the
process's peak RSS):

- DuckDB: :func:`fundreport.data.detail.open_detail` + :func:`fundreport.data.aggregate.utilisation_rows`
  (the checks and the aggregation: every row parsed, located-error checks included), with the city
  roll-up;
- pandas: ``read_parquet`` (pyarrow) and the same figures with groupby (reversals netted, distinct
  persons, categories and totals, 省内/跨省异地 groups, the city roll-up), as an analyst would write it.

Both must give the same rows (visits, persons and fund paid compared; pandas sums floats, so amounts are
compared to the cent). With ``--big N``, DuckDB alone also runs on N rows under ``--memory-limit``.

    .venv/bin/python benchmarks/detail_bench.py --rows 10000000 --write docs/performance.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from doc_section import markers, publish  # beside this script

ROOT = Path(__file__).resolve().parent.parent
START, END = markers("detail")
CITY = "420700"
DISTRICTS = ("420702", "420703", "420704", "420705")


def generate(path: Path, n: int) -> float:
    """Write the synthetic extract; seconds taken. DuckDB runs in a fresh Python: a child's peak RSS from
    wait4 includes what its parent held when it was started, so this process must stay small (generating 100M
    rows here once made the aggregation's peak read 13.7 GB instead of 3.9 GB)."""
    districts = ", ".join(f"'{d}'" for d in DISTRICTS)
    body = f"""
        SELECT 'S' || i AS setl_id, 'P' || ((i * 2654435761) % {max(1, n // 8)}) AS psn_no,
               CASE WHEN i % 10 < 6 THEN '310' ELSE '390' END AS insutype,
               ['11', '11', '11', '14', '21', '41', '52'][i % 7 + 1] AS med_type,
               ((i // 7) % 3 + 1)::VARCHAR AS hosp_lv,
               (TIMESTAMP '2024-01-01' - INTERVAL (i % 2) YEAR + INTERVAL ((i * 7) % 7776000) SECOND) AS setl_time,
               round(CASE WHEN i % 7 IN (4, 6) THEN 3000 + (i * 7919) % 2000000 / 100.0
                          ELSE 20 + (i * 7919) % 50000 / 100.0 END, 2) AS medfee_sumamt,
               [{districts}][i % 4 + 1] AS insu_admdvs,
               CASE WHEN i % 25 = 0 THEN '110101' ELSE [{districts}][i % 4 + 1] END AS mdtrt_admdvs,
               i
        FROM range({n}) t(i)
    """
    sql = f"""
        COPY (
          WITH b AS ({body})
          SELECT setl_id, psn_no, insutype, med_type, hosp_lv, setl_time, medfee_sumamt,
                 round(medfee_sumamt * 0.8, 2) AS inscp_scp_amt, round(medfee_sumamt * 0.6, 2) AS hifp_pay,
                 '0' AS refd_setl_flag, insu_admdvs, mdtrt_admdvs FROM b
          UNION ALL
          SELECT setl_id, psn_no, insutype, med_type, hosp_lv, setl_time + INTERVAL 1 HOUR, -medfee_sumamt,
                 -round(medfee_sumamt * 0.8, 2), -round(medfee_sumamt * 0.6, 2), '1', insu_admdvs, mdtrt_admdvs
          FROM b WHERE i % 500 = 499
        ) TO '{path}' (FORMAT parquet, COMPRESSION zstd)
    """
    t = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; c = duckdb.connect(); c.execute('SET enable_progress_bar = false'); c.execute(sys.argv[1])",
            sql,
        ],
        check=True,
    )
    return time.perf_counter() - t


DUCKDB_RUN = """
import json, sys, time
from fundreport.data.aggregate import load_mapping, utilisation_rows
from fundreport.data.detail import open_detail
t = time.perf_counter()
src = open_detail([sys.argv[1]], memory_limit=sys.argv[2])
chains = {d: [d, sys.argv[3]] for d in sys.argv[4].split(",")}
chains[sys.argv[3]] = [sys.argv[3]]
rows, summary = utilisation_rows(src, load_mapping(None), regions=chains)
src.close()
out = [[r["region"], r["period"], r["fund"], r["service"], r["group"], int(r["visits"]), r["persons"],
        str(r["fund_paid"])] for r in rows]
print(json.dumps({"seconds": time.perf_counter() - t, "rows": out}))
"""

PANDAS_RUN = """
import json, sys, time
import numpy as np, pandas as pd
from fundreport.data.aggregate import DEFAULT_MAPPING
t = time.perf_counter()
df = pd.read_parquet(sys.argv[1])
when = pd.to_datetime(df["setl_time"])
df = df[when.dt.month.between(1, 3)]
when = when[df.index]
df = df.assign(period=when.dt.year.astype(str) + "M1-3")
rev = df["refd_setl_flag"] == "1"
cancelled = set(df.loc[rev, "setl_id"])
df = df.assign(
    live=~rev & ~df["setl_id"].isin(cancelled), sgn=np.where(rev, -1, 1),
    fund=df["insutype"].map(DEFAULT_MAPPING["insutype"]), svc=df["med_type"].map(DEFAULT_MAPPING["med_type"]),
    outside=df["mdtrt_admdvs"].str[:4] != df["insu_admdvs"].str[:4],
    fund_paid=np.where(rev, -df["hifp_pay"].abs(), df["hifp_pay"]),
)
inpatient = df["svc"] == "inpatient"
level = np.where(df["outside"], "inpatient_outside", df["hosp_lv"].map(DEFAULT_MAPPING["hosp_lv"]))
first = np.where(inpatient, "inpatient_total", df["svc"])
# 生育医疗待遇 counts only in itself (生育待遇合计 includes 生育津贴, which settlements do not pay)
second = np.where(inpatient, level, np.where(df["svc"] == "maternity_medical", None, "outpatient_total"))
# only the columns the figures need from here on (the copies below would otherwise hold every column)
df = df[["period", "fund", "insu_admdvs", "mdtrt_admdvs", "outside", "live", "sgn", "fund_paid", "psn_no"]]
cats = pd.concat([df.assign(service=first), df.assign(service=second)])
cats = cats[cats["service"].notna()]
# treated outside the city: also in 省内异地 / 跨省异地 (by the province digits), except in 市外就医 itself
away = cats[cats["outside"] & (cats["service"] != "inpatient_outside")]
place = np.where(away["mdtrt_admdvs"].str[:2] != away["insu_admdvs"].str[:2], "cross_province", "in_province")
cats = pd.concat([cats.assign(group="all"), away.assign(group=place)])
cats = pd.concat([cats.assign(region=cats["insu_admdvs"]), cats.assign(region=sys.argv[3])])
keys = ["region", "period", "fund", "service", "group"]
g = cats.groupby(keys).agg(visits=("sgn", "sum"), fund_paid=("fund_paid", "sum"))
g["persons"] = cats[cats["live"]].groupby(keys)["psn_no"].nunique()
out = [[*k, int(r.visits), int(r.persons) if r.persons == r.persons else None, f"{r.fund_paid:.2f}"]
       for k, r in g.iterrows()]
print(json.dumps({"seconds": time.perf_counter() - t, "rows": out}))
"""


def run(code: str, *args: str) -> dict:
    """Run ``code`` in a fresh Python; its JSON line, wall time and its own peak RSS (MB, from wait4)."""
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage (not the max over all children)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise SystemExit(err.read().decode()[-3000:])
        result = json.loads(out.read().decode().strip().splitlines()[-1])
    return result | {"wall": wall, "peak_mb": usage.ru_maxrss / 1024}


def same(a: list, b: list) -> bool:
    key = lambda r: tuple(r[:5])  # noqa: E731
    da, db = {key(r): r for r in a}, {key(r): r for r in b}
    if da.keys() != db.keys():
        return False
    return all(da[k][5:7] == db[k][5:7] and abs(float(da[k][7]) - float(db[k][7])) < 0.005 for k in da)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=10_000_000)
    p.add_argument("--big", type=int, default=0, help="also DuckDB alone on this many rows (e.g. 100000000)")
    p.add_argument("--memory-limit", default="4GB", help="DuckDB's memory limit (default 4GB)")
    p.add_argument("--workdir", type=Path, default=Path("/tmp/fr-detail-bench"))
    p.add_argument("--no-pandas", action="store_true")
    p.add_argument("--write", type=Path, default=None)
    args = p.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    districts = ",".join(DISTRICTS)
    results = []
    for n, with_pandas in ((args.rows, not args.no_pandas), *(((args.big, False),) if args.big else ())):
        path = args.workdir / f"detail-{n}.parquet"
        gen = generate(path, n) if not path.exists() else 0.0
        rows = n + n // 500
        print(f"{rows:,} rows, {path.stat().st_size / 2**20:.0f} MB Parquet (generated in {gen:.1f} s)", flush=True)
        duck = run(DUCKDB_RUN, str(path), args.memory_limit, CITY, districts)
        print(f"  DuckDB: {duck['seconds']:.2f} s, peak {duck['peak_mb']:.0f} MB", flush=True)
        entry = {"rows": rows, "mb": path.stat().st_size / 2**20, "duckdb": duck}
        if with_pandas:
            pdr = run(PANDAS_RUN, str(path), args.memory_limit, CITY, districts)
            print(f"  pandas: {pdr['seconds']:.2f} s, peak {pdr['peak_mb']:.0f} MB", flush=True)
            entry["pandas"] = pdr
            entry["same"] = same(duck["rows"], pdr["rows"])
            print(f"  same rows: {entry['same']} ({len(duck['rows'])} rows)", flush=True)
        results.append(entry)
    lines = [
        START,
        "## Aggregating settlement detail",
        "",
        f"Measured {datetime.now():%Y-%m-%d} ({platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}) by `benchmarks/detail_bench.py` on a synthetic Parquet extract (see the "
        f"script: deterministic, 60 % 职工, seven 医疗类别, four districts, 1 in 500 settlements reversed). "
        f"Each run is a fresh process reading the file; times are its own (read, checks, aggregation), peak "
        f"RSS is the process's. DuckDB's memory limit: {args.memory_limit}.",
        "",
        "| rows | Parquet | DuckDB (s) | rows/s | peak RSS (MB) | pandas (s) | pandas peak (MB) | pandas / DuckDB | same rows |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for e in results:
        d, pdr = e["duckdb"], e.get("pandas")
        lines.append(
            f"| {e['rows']:,} | {e['mb']:.0f} MB | {d['seconds']:.2f} | {e['rows'] / d['seconds']:,.0f} | "
            f"{d['peak_mb']:.0f} | "
            + (f"{pdr['seconds']:.2f} | {pdr['peak_mb']:.0f} | {pdr['seconds'] / d['seconds']:.1f}× | "
               f"{'yes' if e['same'] else 'NO'} |" if pdr else "— | — | — | — |")
        )  # fmt: skip
    lines += ["", END]
    publish(args.write, "detail", "\n".join(lines) + "\n")
    return 0 if all(e.get("same", True) for e in results) else 1


if __name__ == "__main__":
    sys.exit(main())
