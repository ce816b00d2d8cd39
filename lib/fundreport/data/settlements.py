"""Each settlement once, and the months the detail covers (settlement detail as real extracts arrive).

**Each settlement once.** A settlement is one 结算ID with its 退费结算标志 (a reversal is its own settlement,
even where the platform gives it its original's 结算ID). Platforms re-export a month (one more row, another
file name), so the same settlement can arrive in two files, or twice in one:

- copies that agree in every field are counted once (the view ``once`` keeps the first, by file name) and
  the summary says which files overlap and by how many settlements, naming a whole month present in two
  files as such;
- copies that differ in any field are a located error naming both files and how many settlements differ
  (which copy is right is not for the report to guess).

Cost: one extra pass over the settlements that groups them by a 64-bit hash of (结算ID, 退费结算标志) and
keeps the keys seen twice (about 1.2 s per 10 million settlements on 2 cores, see docs/performance.md); only
when there are any is the detail read again for them. A hash collision costs nothing but that second look:
the copies are compared on the exact 结算ID.

**Months covered.** The settlements per file and month (:func:`months`, one pass over 结算时间 that also gives
the default periods) are compared with the months of the periods asked for (:func:`coverage`): a month of
a period with no settlement is an error (a quarter built from two months would print a wrong 同比), or a
warning when the params say the extract is knowingly partial; months outside every period are a warning,
since their settlements are left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from fundreport.data.detail import BY_CODE
from fundreport.data.periods import Period
from fundreport.errors import Issue

REV = "coalesce(refd_setl_flag, FALSE)"
D_REV = "coalesce(d.refd_setl_flag, FALSE)"  # the same, of the detail aliased d


def _columns(src) -> str:
    return ", ".join(["_file", *BY_CODE, *(["_bad"] if src.reads else [])])


@dataclass(frozen=True)
class Overlap:
    """Settlements found in two files (or twice in one: ``first == second``) that agree in every field."""

    first: str
    second: str
    settlements: int
    months: tuple[tuple[int, int], ...] = ()  # (year, month) wholly present in both files

    def sentence(self) -> str:
        where = f"{self.first} 中有 {self.settlements} 条结算出现两次" if self.first == self.second else (
            f"{self.first} 与 {self.second} 有 {self.settlements} 条相同结算")  # fmt: skip
        whole = "、".join(f"{y}年{m}月" for y, m in self.months)
        return where + (f"（{whole}的结算两份文件都有）" if whole else "") + "，只计一次"


def settlements_once(src) -> tuple[list[Overlap], list[Issue]]:
    """Define the view ``once`` (the detail with each settlement once) and say what was repeated: the
    overlaps that agree, and an issue per pair of files whose copies of a settlement differ."""
    # DuckDB: one 64-bit hash per settlement is cheaper to group than the text 结算ID (1.2 s vs 1.6 s / 10M)
    key = f"hash(setl_id, {REV})" if src.dialect == "duckdb" else f"setl_id, {REV}"
    repeated = f"SELECT {key} FROM detail GROUP BY {key} HAVING count(*) > 1"
    if not src.rows(f"SELECT count(*) FROM ({repeated}) t")[0][0]:
        src.view("once", "SELECT * FROM detail")
        return [], []
    # the exact keys (a hash shared by two different settlements is no repeat: their 结算ID differ)
    exact = f"SELECT setl_id, {REV} AS rev FROM detail GROUP BY setl_id, {REV} HAVING count(*) > 1"
    if src.dialect == "duckdb":
        exact = f"SELECT setl_id, rev FROM (SELECT setl_id, {REV} AS rev FROM detail WHERE {key} IN ({repeated})) t " \
                "GROUP BY setl_id, rev HAVING count(*) > 1"  # fmt: skip
    src.table("repeated_keys", exact)
    match = f"d.setl_id = r.setl_id AND {D_REV} = r.rev"
    others = ", ".join(f"d.{c}" for c in BY_CODE if c != "setl_id")
    # one row per copy: its settlement, file, 结算时间's month and a hash of every other field
    src.table(
        "copies",
        f"SELECT d.setl_id, {D_REV} AS rev, d._file, year(d.setl_time) AS y, "
        f"month(d.setl_time) AS m, hash({others}) AS h FROM detail d SEMI JOIN repeated_keys r ON {match}",
    )
    per = src.rows(
        "SELECT min(_file), max(_file), count(DISTINCT h) > 1 AS differ FROM copies GROUP BY setl_id, rev "
        "HAVING count(*) > 1"
    )
    pairs: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for a, b, differ in per:
        pairs[(a, b)][1 if differ else 0] += 1
    issues: list[Issue] = []
    overlaps = []
    whole = _whole_months(src) if any(same for same, _ in pairs.values()) else {}
    for (a, b), (same, differ) in sorted(pairs.items()):
        if differ:
            where = f"与 {b} 中" if a != b else "同一文件中"
            issues.append(Issue(a, f"{where}有 {differ} 条结算（结算ID与退费结算标志相同）出现不止一次且内容不同，"
                                   "无法判断以哪一份为准",
                                expected="同一结算只保留一份：重新导出的月份删去旧文件，或核对两份文件的差异"))  # fmt: skip
        if same:
            overlaps.append(Overlap(a, b, same, tuple(whole.get((a, b), ()))))
    cols = _columns(src)
    # the first copy by file name (copies in one file agree, or the error above stops the aggregation)
    src.view(
        "once",
        f"SELECT {cols} FROM detail d ANTI JOIN repeated_keys r ON {match} UNION ALL "
        f"SELECT {cols} FROM (SELECT d.*, row_number() OVER (PARTITION BY d.setl_id, "
        f"{D_REV} ORDER BY d._file) AS _copy FROM detail d SEMI JOIN repeated_keys r "
        f"ON {match}) t WHERE _copy = 1",
    )
    return overlaps, issues


def _whole_months(src) -> dict[tuple[str, str], list[tuple[int, int]]]:
    """(first file, second file) -> the months whose settlements in one of the two files are all in the other."""
    in_file = {(f, y, m): n for f, y, m, n in src.rows(
        "SELECT _file, year(setl_time), month(setl_time), count(*) FROM detail "
        "GROUP BY _file, year(setl_time), month(setl_time)")}  # fmt: skip
    shared = src.rows(
        "SELECT a._file, b._file, a.y, a.m, count(*) FROM copies a JOIN copies b ON a.setl_id = b.setl_id "
        "AND a.rev = b.rev AND a._file < b._file GROUP BY a._file, b._file, a.y, a.m"
    )
    out: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for a, b, y, m, n in sorted(shared, key=lambda r: (r[0], r[1], r[2] or 0, r[3] or 0)):
        if y is not None and n >= min(in_file.get((a, y, m), 0), in_file.get((b, y, m), 0)) > 0:
            out[(a, b)].append((int(y), int(m)))
    return out


# -- months covered -------------------------------------------------------------------------------------------


def months(src) -> dict[tuple[int, int], int]:
    """Settlements per (year, month) of 结算时间, each settlement once."""
    return {
        (int(y), int(m)): int(n)
        for y, m, n in src.rows(
            "SELECT year(setl_time), month(setl_time), count(*) FROM once WHERE setl_time IS NOT NULL "
            "GROUP BY year(setl_time), month(setl_time)"
        )
    }


def coverage(found: dict[tuple[int, int], int], periods: list[Period], source: str, partial: bool = False
             ) -> tuple[list[Issue], list[str]]:  # fmt: skip
    """(errors, warnings) comparing the months that hold settlements with the months of ``periods``.

    A month of a period without a settlement is an error (a warning with ``partial``: the params say the
    extract is knowingly partial); months outside every period are a warning (their settlements are left
    out of the report)."""
    errors: list[Issue] = []
    warnings: list[str] = []
    wanted = set()
    for p in periods:
        need = [(p.year, m) for m in range(p.start_month, p.end_month + 1)]
        wanted.update(need)
        empty = [f"{m}月" for y, m in need if not found.get((y, m))]
        if not empty:
            continue
        text = f"结算明细中没有 {p.year}年{'、'.join(empty)} 的结算，{p.label()}只能由其余月份汇总"
        if partial:
            warnings.append(text + "（参数 detail.partial 已说明明细不完整）")
        else:
            errors.append(
                Issue(
                    source,
                    text,
                    expected=f"{p.label()}每个月的结算明细（若明知不全：参数文件写 detail.partial: true，或 aggregate 加 --partial）",
                )
            )
    outside = sorted((ym, n) for ym, n in found.items() if ym not in wanted)
    if outside and periods:
        listed = "、".join(f"{y}年{m}月（{n} 条）" for (y, m), n in outside[:12])
        more = f"等 {len(outside)} 个月" if len(outside) > 12 else ""
        warnings.append(f"结算明细中 {listed}{more} 不在汇总的期间内，这些结算未计入")
    return errors, warnings
