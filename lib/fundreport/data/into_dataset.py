"""Aggregated rows into a dataset folder: the dataset's region chains and period codes that an aggregation
follows, and the atomic write of ``utilisation.csv`` / ``institutions.csv`` that replaces rows of the same key
(and the categories derived together, :data:`DERIVED_TOGETHER`) and keeps the others.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from fundreport.data.periods import Period, PeriodError
from fundreport.data.tables import BY_CODE as TABLES
from fundreport.data.vocab import FUNDS, GROUPS, SERVICES

DERIVED_TOGETHER = (
    ("inpatient_level1", "inpatient_level2", "inpatient_level3", "inpatient_outside"),
    ("outpatient_ordinary", "outpatient_pooling", "outpatient_chronic", "outpatient_special_drug",
     "outpatient_two_diseases"),
    ("outpatient_account", "outpatient_pooled_account"),
    ("assistance_outpatient", "assistance_inpatient"),
)  # fmt: skip
"""Categories one aggregation gives together (see :func:`write_table`)."""


def region_chains(dataset: Path) -> dict[str, list[str]] | None:
    """Leaf code -> [itself, parent, …] from the dataset's 地区 table (regions.csv), or None without one."""
    path = Path(dataset) / "regions.csv"
    if not path.exists():
        return None
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    parent = {}
    for r in rows:
        code = (r.get("地区代码") or r.get("region") or "").strip()
        if code and not code.startswith("#"):
            parent[code] = (r.get("上级地区代码") or r.get("parent") or "").strip() or None
    chains = {}
    for code in parent:
        chain, seen = [code], {code}
        while (up := parent.get(chain[-1])) and up not in seen:
            chain.append(up)
            seen.add(up)
        chains[code] = chain
    return chains


HEADER = [c.label for c in TABLES["utilisation"].columns]
KEY = ("region", "period", "fund", "service", "group")


def _csv_row(r: dict, table: str = "utilisation") -> list[str]:
    """A row in the table's columns (codes given as their Chinese labels, amounts in 元)."""
    cells = {"fund": FUNDS.get_label(r["fund"]), "service": SERVICES.get_label(r["service"]),
             "group": GROUPS.get_label(r.get("group", "all")), "money_unit": "元", "note": "由结算明细汇总"}  # fmt: skip
    return [cells.get(c) or ("" if r.get(c) is None else str(r[c])) for c in TABLES[table].codes]


def _existing(target: Path, table: str) -> list[dict[str, str]]:
    """The rows of an existing table file, by Chinese label (a column may be headed by its label or code)."""
    if not target.exists():
        return []
    names = {name: c.label for c in TABLES[table].columns for name in (c.label, c.code)}
    with target.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = [names.get(h.strip()) for h in next(reader, [])]
        return [{h: v.strip() for h, v in zip(header, line, strict=False) if h} for line in reader]


def _resolved(spec, code: str, text: str) -> str:
    """A key cell of an existing file as the code the new rows use (a label or a code may be typed)."""
    vocab = {"fund": FUNDS, "service": SERVICES, "group": GROUPS}.get(code)
    if vocab is None:
        return text
    return vocab.resolve(text) or ("all" if code == "group" else text)


def write_table(table: str, rows: list[dict], dataset: Path) -> tuple[int, int]:
    """Write the rows into ``dataset/<table>.csv`` atomically: rows of the same key (the table's key columns)
    are replaced, other rows of an existing file kept. Returns (rows replaced, rows kept).

    Categories the detail derives together (:data:`DERIVED_TOGETHER`: the hospital levels, the outpatient
    categories, the account rows, the assistance rows) are replaced together: when the rows give one of them
    for a region, period, fund and group, an old row of another (市内二级 typed in, no settlement there now)
    would no longer be a part of the new total, and its share of that total would be nonsense. A category the
    detail does not derive (个人账户刷卡 without account columns) is kept."""
    from fundreport.atomic import write_text_atomic

    spec = TABLES[table]
    target = Path(dataset) / f"{table}.csv"
    header = [c.label for c in spec.columns]
    new = {tuple(r.get(k, "all" if k == "group" else None) for k in spec.key) for r in rows}
    together = {code: i for i, codes in enumerate(DERIVED_TOGETHER) for code in codes}
    # key: region, period, fund, service, group -> the groups of categories the rows give
    given = {(*k[:3], k[4], together[k[3]]) for k in new if k[3] in together} if table == "utilisation" else set()
    kept, replaced = [], 0
    for old in _existing(target, table):
        key = tuple(_resolved(spec, k, old.get(spec.column(k).label, "")) for k in spec.key)
        if key in new or (given and key[3] in together and (*key[:3], key[4], together[key[3]]) in given):
            replaced += 1
        else:
            kept.append([old.get(h, "") for h in header])
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(kept)
    w.writerows(_csv_row(r, table) for r in rows)
    Path(dataset).mkdir(parents=True, exist_ok=True)
    write_text_atomic(target, buf.getvalue())
    return replaced, len(kept)


def write_utilisation(rows: list[dict], dataset: Path) -> tuple[int, int]:
    """:func:`write_table` of the utilisation table."""
    return write_table("utilisation", rows, dataset)


def dataset_periods(dataset: Path) -> dict[tuple[int, int, int], Period]:
    """(year, first month, last month) -> the period code the dataset's CSV tables already use for those
    months (``2024Q1`` where the fund statements say 2024Q1), when they use exactly one."""
    codes: dict[tuple[int, int, int], set[str]] = {}
    for path in sorted(Path(dataset).glob("*.csv")):
        try:
            with path.open(encoding="utf-8-sig", newline="") as fh:
                for row in csv.DictReader(fh):
                    text = (row.get("期间") or row.get("period") or row.get("预算年度") or "").strip()
                    try:
                        p = Period.parse(text)
                    except PeriodError:
                        continue
                    codes.setdefault((p.year, p.start_month, p.end_month), set()).add(p.code)
        except (OSError, UnicodeDecodeError, csv.Error):
            continue  # the dataset's own check reports unreadable tables
    return {k: Period.parse(next(iter(v))) for k, v in codes.items() if len(v) == 1}
