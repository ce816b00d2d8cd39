"""Deterministic synthetic settlement detail whose aggregation gives a sample's utilisation table.

From a dataset's typed utilisation rows (e.g. 鄂州 2024年1-3月) :func:`plan` makes blocks of settlements,
one block per category the detail can give (门诊统筹, 慢特病, 单独支付药品, 两病, 住院 by level and 市外,
生育医疗, settlements paid from the personal account only), with the other payers (大额, 大病, 医疗救助, 共济)
attached to the first settlements of a block of the same fund. :func:`write_detail` writes them as one
Parquet file with DuckDB: amounts in 分 split evenly over a block's settlements (the first ``total mod n``
one 分 more), so every sum is the sample's figure exactly; one settlement in a thousand is settled twice and
the copy reversed, so reversals net out. :func:`reference_rows` is what a correct aggregation must give,
computed here in Python from the plan, independently of the SQL: the sample's figures, with the totals the
sum of their categories and the costs the sample does not publish taken from the plan.

Not derivable from detail, so left as typed rows: 生育津贴, 生育待遇合计 (includes 津贴), 资助参保, rows by group.
Persons and 政策范围内费用 are not in the sample, so the detail has no 人员编号 and no 符合政策范围金额.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from fundreport.data.periods import Period
from fundreport.data.vocab import FUNDS, GROUPS, SERVICES, UNITS

INSUTYPE = {"employee": "310", "resident": "390", "maternity": "510"}
MED_TYPE = {
    "outpatient_pooling": "11",
    "outpatient_chronic": "14",
    "outpatient_special_drug": "9902",  # not a national code: mapped by MAPPING_YAML (shows --mapping at work)
    "outpatient_two_diseases": "门诊两病",
    "maternity_medical": "52",
    "account": "41",  # 定点药店购药 paid from the personal account only
}
LEVELS = {"inpatient_level1": ("1", False), "inpatient_level2": ("2", False), "inpatient_level3": ("3", False),
          "inpatient_outside": ("3", True)}  # fmt: skip
OUTPATIENT = ("outpatient_pooling", "outpatient_chronic", "outpatient_special_drug", "outpatient_two_diseases")
MAPPING_YAML = 'med_type:\n  "9902": outpatient_special_drug\n'
REVERSED_EVERY = 1000  # one settlement in this many is settled a second time and that copy reversed
# Other payers: row (fund, category) -> the column and the (fund, kind) of the block it is attached to.
ATTACHED = {
    ("employee_major", "critical_illness"): ("hifob_pay", "employee", "inpatient"),
    ("resident_critical", "critical_illness"): ("hifmi_pay", "resident", "inpatient"),
    ("medical_assistance", "assistance_outpatient"): ("maf_pay", "resident", "outpatient"),
    ("medical_assistance", "assistance_inpatient"): ("maf_pay", "resident", "inpatient"),
}
PAYER_COLUMNS = ("hifp_pay", "acct_pay", "acct_mulaid_pay", "hifob_pay", "hifmi_pay", "maf_pay")


@dataclass
class Block:
    """``n`` settlements of one period, fund and category; amounts in 分 over the whole block."""

    period: str
    fund: str
    service: str  # a category code, or "account" (paid from the personal account only)
    n: int
    cost: int | None  # None: the sample publishes no 总费用, so the block goes to the file without that column
    hifp: int
    payers: dict[str, tuple[int, int]] = field(default_factory=dict)  # column -> (first k settlements, 分)

    @property
    def kind(self) -> str:
        return "inpatient" if self.service in LEVELS else "outpatient"


def _fen(value: str, unit: str) -> int | None:
    if not value.strip():
        return None
    fen = Decimal(value) * Decimal(str(UNITS.term(UNITS.resolve(unit)).factor)) * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"{value} {unit} is not a whole number of 分")
    return int(fen)


def seed_rows(dataset: Path, region: str) -> dict[tuple[str, str, str], dict]:
    """(period, fund, service) -> {visits, cost, paid} (分) of the dataset's utilisation rows for all groups."""
    out = {}
    with (Path(dataset) / "utilisation.csv").open(encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["地区代码"] != region or (GROUPS.resolve(r["分组"]) or "all") != "all":
                continue
            key = (r["期间"], FUNDS.resolve(r["险种"]), SERVICES.resolve(r["类别"]))
            visits = r["人次"].strip()
            out[key] = {"visits": int(visits) if visits else None, "cost": _fen(r["总费用"], r["金额单位"]),
                        "paid": _fen(r["基金支付"], r["金额单位"])}  # fmt: skip
    return out


def plan(seed: dict) -> list[Block]:
    """The settlement blocks that reproduce ``seed``'s detail-derivable rows."""
    blocks: list[Block] = []
    for period in sorted({k[0] for k in seed}):
        for fund in ("employee", "resident", "maternity"):
            for svc in (*OUTPATIENT, "maternity_medical", *LEVELS):
                r = seed.get((period, fund, svc))
                if not r or not r["visits"] or r["paid"] is None or (svc in LEVELS) != (r["cost"] is not None):
                    continue
                blocks.append(Block(period, fund, svc, r["visits"], r["cost"], r["paid"]))
            acct = seed.get((period, fund, "outpatient_account"))
            if acct and acct["visits"] and acct["paid"] is not None:
                block = Block(
                    period, fund, "account", acct["visits"], 0, 0, {"acct_pay": (acct["visits"], acct["paid"])}
                )
                pooled = seed.get((period, fund, "outpatient_pooled_account"))
                if pooled and pooled["visits"] and pooled["paid"] is not None:
                    block.payers["acct_mulaid_pay"] = (pooled["visits"], pooled["paid"])
                block.cost = None
                blocks.append(block)
        for (fund, svc), (column, host_fund, kind) in ATTACHED.items():
            r = seed.get((period, fund, svc))
            if not r or not r["visits"] or r["paid"] is None:
                continue
            hosts = [b for b in blocks if b.period == period and b.fund == host_fund and b.kind == kind
                     and b.service != "account" and column not in b.payers]  # fmt: skip
            host = max(hosts, key=lambda b: b.n, default=None)
            if host is None or host.n < r["visits"]:
                raise ValueError(f"no {host_fund} {kind} block of {period} with {r['visits']} settlements for {svc}")
            host.payers[column] = (r["visits"], r["paid"])
    return blocks


def _share(total: int, n: str, i: str = "i") -> str:
    """SQL: the i-th of ``n`` shares of ``total`` 分 (the first ``total mod n`` one 分 more)."""
    return f"({total} // {n} + CASE WHEN {i} < {total} % {n} THEN 1 ELSE 0 END)"


def _block_sql(k: int, b: Block) -> str:
    p = Period.parse(b.period)
    start = f"{p.year}-{p.start_month:02d}-01"
    end = f"{p.year + (p.end_month == 12)}-{p.end_month % 12 + 1:02d}-01"
    seconds = f"epoch(TIMESTAMP '{end}') - epoch(TIMESTAMP '{start}')"
    level, outside = LEVELS.get(b.service, ("1", False))
    med = "21" if b.service in LEVELS else MED_TYPE[b.service]
    amounts = {"hifp_pay": _share(b.hifp, str(b.n)) if b.hifp else "0"}
    for col in PAYER_COLUMNS[1:]:
        if col in b.payers:
            n, fen = b.payers[col]
            amounts[col] = f"CASE WHEN i < {n} THEN {_share(fen, str(n))} ELSE 0 END"
        else:
            amounts[col] = "0"
    cost = "NULL::BIGINT" if b.cost is None else _share(b.cost, str(b.n))
    return (
        f"SELECT 'B{k}-' || i AS setl_id, i, '{INSUTYPE[b.fund]}' AS insutype, '{med}' AS med_type, "
        f"'{level}' AS hosp_lv, {str(outside).upper()} AS out_flag, "
        f"TIMESTAMP '{start}' + to_seconds(((i * 7919) % ({seconds}))::BIGINT) AS setl_time, {cost} AS medfee_sumamt, "
        + ", ".join(f"{amounts[c]} AS {c}" for c in PAYER_COLUMNS)
        + f" FROM range({b.n}) t(i)"
    )


def write_detail(blocks: list[Block], folder: Path) -> int:
    """Write the settlements (and the reversed copies) as Parquet files in ``folder``: those with a 总费用 in
    ``inpatient.parquet``, the others in ``outpatient.parquet`` without the 医疗费总额 column (as an extract
    of outpatient settlements without costs would be). Returns the number of rows."""
    import duckdb

    money = ["medfee_sumamt", *PAYER_COLUMNS]
    # 分 -> 元 as DECIMAL(18,2), exactly
    yuan = ", ".join(f"CAST({c} AS DECIMAL(18,0)) / 100::DECIMAL(18,2) AS {c}" for c in money)
    neg = ", ".join(f"-CAST({c} AS DECIMAL(18,0)) / 100::DECIMAL(18,2) AS {c}" for c in money)
    cols = "insutype, med_type, hosp_lv, out_flag, setl_time"
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    con.execute("CREATE TEMP TABLE g AS " + " UNION ALL ".join(_block_sql(k, b) for k, b in enumerate(blocks)))
    con.execute(f"""
        CREATE TEMP TABLE s AS
        SELECT setl_id, {cols}, {yuan}, FALSE AS refd_setl_flag, '420700' AS insu_admdvs FROM g
        UNION ALL
        SELECT 'X' || setl_id, {cols}, {yuan}, FALSE, '420700' FROM g WHERE i % {REVERSED_EVERY} = 7
        UNION ALL
        SELECT 'X' || setl_id, {cols}, {neg}, TRUE, '420700' FROM g WHERE i % {REVERSED_EVERY} = 7
    """)
    folder.mkdir(parents=True, exist_ok=True)
    for name, where, drop in (("inpatient", "IS NOT NULL", ""), ("outpatient", "IS NULL", " EXCLUDE (medfee_sumamt)")):
        con.execute(f"COPY (SELECT *{drop} FROM s WHERE medfee_sumamt {where}) TO '{folder / name}.parquet' "
                    "(FORMAT parquet, COMPRESSION zstd)")  # fmt: skip
    n = con.execute("SELECT count(*) FROM s").fetchone()[0]
    con.close()
    return n


def reference_rows(blocks: list[Block], region: str) -> list[dict]:
    """The utilisation rows (元, Decimal) a correct aggregation of the blocks' settlements gives."""
    rows: dict[tuple, dict] = {}

    def add(period, fund, service, visits, cost, paid):
        r = rows.setdefault((period, fund, service), {"visits": 0, "total_cost": None, "fund_paid": 0})
        r["visits"] += visits
        if cost is not None:
            r["total_cost"] = (r["total_cost"] or 0) + cost
        r["fund_paid"] += paid

    for b in blocks:
        account = sum(fen for col, (_, fen) in b.payers.items() if col in ("acct_pay", "acct_mulaid_pay"))
        if b.service == "account":
            n, fen = b.payers["acct_pay"]
            add(b.period, b.fund, "outpatient_account", n, None, fen)
            if "acct_mulaid_pay" in b.payers:
                n, fen = b.payers["acct_mulaid_pay"]
                add(b.period, b.fund, "outpatient_pooled_account", n, None, fen)
            add(b.period, b.fund, "outpatient_total", b.n, b.cost, account)
        elif b.service in LEVELS:
            add(b.period, b.fund, b.service, b.n, b.cost, b.hifp)
            add(b.period, b.fund, "inpatient_total", b.n, b.cost, b.hifp)
        else:
            add(b.period, b.fund, b.service, b.n, b.cost, b.hifp)
            if b.service in OUTPATIENT:
                add(b.period, b.fund, "outpatient_total", b.n, b.cost, b.hifp + account)
        for (fund, svc), (column, _, kind) in ATTACHED.items():
            if column in b.payers and kind == b.kind:
                n, fen = b.payers[column]
                add(b.period, fund, svc, n, None, fen)
                if fund == "medical_assistance":
                    add(b.period, fund, "assistance_total", n, None, fen)
    cent = Decimal("0.01")
    return [
        {"region": region, "period": p, "fund": f, "service": s, "persons": None,
         "visits": None if s == "outpatient_total" else r["visits"],  # its categories overlap (see aggregate)
         "total_cost": None if r["total_cost"] is None else (Decimal(r["total_cost"]) * cent),
         "inscope_cost": None, "fund_paid": Decimal(r["fund_paid"]) * cent}
        for (p, f, s), r in rows.items()
    ]  # fmt: skip


def with_consistent_totals(dataset: Path) -> None:
    """Rewrite ``dataset/utilisation.csv`` with each 住院合计 row (人次, 总费用, 基金支付) set to the sum of its
    levels (市内一/二/三级, 市外就医), in the row's own unit: the totals a detail aggregation gives. The 鄂州
    sample's typed totals differ from those sums by 0.01万元 (rounding) and, for 职工 2023, 0.20万元."""
    path = Path(dataset) / "utilisation.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        if SERVICES.resolve(r["类别"]) != "inpatient_total":
            continue
        parts = [x for x in rows if (x["地区代码"], x["期间"], x["险种"], x["分组"]) == (r["地区代码"], r["期间"], r["险种"], r["分组"])
                 and SERVICES.resolve(x["类别"]) in LEVELS and x["金额单位"] == r["金额单位"]]  # fmt: skip
        for col in ("人次", "总费用", "基金支付"):
            if r[col].strip() and all(x[col].strip() for x in parts):
                r[col] = str(sum(Decimal(x[col]) for x in parts))
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
