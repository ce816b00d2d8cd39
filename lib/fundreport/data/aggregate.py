"""Settlement detail -> the data contract's utilisation table (医疗待遇), in SQL (DuckDB, or another engine).

For each region, period, fund and service category (:func:`utilisation_rows`):

- 人次 (visits) = settlements, net of reversals: a settlement counts +1, a reversal (退费结算标志 = 1) −1;
- 人数 (persons) = distinct 人员编号 among settlements that were not reversed (empty without 人员编号);
- 总费用 = Σ 医疗费总额, 政策范围内费用 = Σ 符合政策范围金额, 基金支付 = Σ 基本医疗保险统筹基金支出, in 元
  at full precision; a reversal's amounts are subtracted whatever their sign in the file.

A reversal cancels the settlement it names in 原结算ID, or else the settlement with its own 结算ID.

An outpatient settlement counts in its 医疗类别's category only when the pooling fund paid something
(享受统筹待遇: 统筹基金支出 ≠ 0); one paid from the personal account or in cash only (a pharmacy purchase with
the 个人账户) counts in 门诊合计 and in the account rows. 门诊合计's 基金支付 is the pooling fund's plus the
personal account's (个人账户支出 + 个人账户共济支付), so that it is the sum of its categories, as in the
fund statements; with account columns in the detail its 人次 and 人数 are left empty, since one settlement
can be in several of its categories. Without 医疗费总额 (e.g. an outpatient extract without it) 总费用 is
left empty.

Other payers of a settlement give rows of their own (:data:`PAYERS`), each counting the settlements that
payer paid (≠ 0, net of reversals) and the amount it paid, in 基金支付: 个人账户刷卡 and 门诊共济个人账户 (the
settlement's fund, outpatient settlements), 大病保险待遇 of 职工大额医疗费用补助 (大额) and 城乡居民大病保险 (大病),
公务员医疗补助 in 门诊合计 / 住院合计, 医疗救助 in 门诊医疗救助 / 住院医疗救助 (and 医疗救助合计). Their 总费用 and
政策范围内费用 are left empty: the settlement's costs are counted once, in its own fund's rows.

Categories (the mapping is :data:`DEFAULT_MAPPING`, overridable from a YAML file, see :func:`load_mapping`):
医疗类别 gives the outpatient category (counted also in 门诊合计), 住院 (counted in 住院合计 and in one of
市内一级及以下/市内二级/市内三级 by 医院等级, or 市外就医 when the settlement is out of area: 异地就医标志, or
else the first four digits of 就医地 and 参保地 differ) or 生育医疗待遇 (not 生育待遇合计, which includes 生育津贴,
paid outside the settlement system). 险种类型 gives
the fund. Regions: 参保地医保区划, rolled up to every ancestor in the dataset's 地区 table when given
(persons are distinct per region, so a city's persons are not the sum of its districts').

Periods: the codes asked for, or else for every year in the data the months January to the latest month
of the latest year (2024M1-3 and 2023M1-3: a report and its comparison).

The source runs the SQL: files through DuckDB (:class:`fundreport.data.detail.DetailSource`), or a table on
Spark, Trino or another engine (:mod:`fundreport.data.sql_source`), through four methods (``rows``, ``view``,
``table``, ``drop``). The statements are DuckDB's dialect in standard forms, translated for other engines.
The settlements are read three times (the sums per key, the persons, the reversals when there are any);
everything derived from the codes is computed on the distinct keys (see :func:`_classify`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from fundreport.data.detail import DetailSource, check_detail, open_detail
from fundreport.data.into_dataset import (  # noqa: F401 (re-exported: the command's writing half)
    dataset_periods,
    region_chains,
    write_table,
    write_utilisation,
)
from fundreport.data.periods import Period, PeriodError
from fundreport.data.settlements import coverage, months, settlements_once
from fundreport.data.vocab import FUNDS, GROUPS, SERVICES
from fundreport.errors import InputError, Issue

INPATIENT = "inpatient"  # a 医疗类别 mapped here is split by hospital level / out of area
IGNORE = "ignore"  # a 医疗类别 mapped here is left out (and counted in the summary)
OUTPATIENT = ("outpatient_ordinary", "outpatient_pooling", "outpatient_chronic", "outpatient_special_drug",
              "outpatient_two_diseases")  # fmt: skip
MATERNITY = ("maternity_medical",)
LEVELS = ("inpatient_level1", "inpatient_level2", "inpatient_level3")

DEFAULT_MAPPING: dict[str, dict[str, str]] = {
    # 险种类型 (insutype) -> fund code
    "insutype": {
        "310": "employee", "职工基本医疗保险": "employee", "职工医保": "employee",
        "390": "resident", "城乡居民基本医疗保险": "resident", "居民医保": "resident",
        "510": "maternity", "生育保险": "maternity",
    },
    # 医疗类别 (med_type) -> outpatient / maternity category, inpatient, or ignore
    "med_type": {
        "11": "outpatient_pooling", "普通门诊": "outpatient_pooling",
        "12": "outpatient_pooling", "门诊挂号": "outpatient_pooling",
        "13": "outpatient_pooling", "急诊": "outpatient_pooling",
        "14": "outpatient_chronic", "门诊慢特病": "outpatient_chronic", "门诊慢特病种": "outpatient_chronic",
        "门诊两病": "outpatient_two_diseases", "两病": "outpatient_two_diseases",
        "21": INPATIENT, "普通住院": INPATIENT, "住院": INPATIENT, "22": INPATIENT, "外伤住院": INPATIENT,
        "急诊转住院": INPATIENT, "转外诊治住院": INPATIENT, "日间手术": INPATIENT,
        "41": "outpatient_pooling", "定点药店购药": "outpatient_pooling",
        "51": "maternity_medical", "生育门诊": "maternity_medical",
        "52": "maternity_medical", "生育住院": "maternity_medical", "计划生育手术": "maternity_medical",
    },
    # 医院等级 (hosp_lv) -> level of an inpatient settlement in the region
    "hosp_lv": {
        "1": "inpatient_level1", "一级": "inpatient_level1", "9": "inpatient_level1", "未定级": "inpatient_level1",
        "2": "inpatient_level2", "二级": "inpatient_level2",
        "3": "inpatient_level3", "三级": "inpatient_level3",
        **{f"{i:02d}": "inpatient_level3" for i in range(1, 5)},  # 三级特等/甲/乙/丙
        **{f"{i:02d}": "inpatient_level2" for i in range(5, 8)},  # 二级甲/乙/丙
        **{f"{i:02d}": "inpatient_level1" for i in range(8, 12)},  # 一级甲/乙/丙, 无等级
        "三级甲等": "inpatient_level3", "三级乙等": "inpatient_level3", "二级甲等": "inpatient_level2",
        "二级乙等": "inpatient_level2", "一级甲等": "inpatient_level1", "无等级": "inpatient_level1",
    },
}  # fmt: skip
NO_POOL = "outpatient_no_pool"  # an outpatient settlement the pooling fund paid nothing for
# Payers other than the pooling fund: column -> (fund, or None for the settlement's own; the category of an
# outpatient, an inpatient and a maternity settlement, None where that payer gives no row).
PAYERS: dict[str, tuple[str | None, tuple[str | None, str | None, str | None]]] = {
    "acct_pay": (None, ("outpatient_account", None, None)),
    "acct_mulaid_pay": (None, ("outpatient_pooled_account", None, None)),
    "hifob_pay": ("employee_major", ("critical_illness",) * 3),
    "hifmi_pay": ("resident_critical", ("critical_illness",) * 3),
    "cvlserv_pay": ("civil_servant", ("outpatient_total", "inpatient_total", None)),
    "maf_pay": ("medical_assistance", ("assistance_outpatient", "assistance_inpatient", "assistance_inpatient")),
}
ACCOUNT = ("acct_pay", "acct_mulaid_pay")  # counted in 门诊合计's 基金支付 too
# The amounts of a settlement summed (besides the other payers')
AMOUNTS = ("medfee_sumamt", "inscp_scp_amt", "fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt", "psn_cash_pay",
           "hifp_pay")  # fmt: skip
ALLOWED = {
    "insutype": {t.code for t in FUNDS},
    "med_type": {*OUTPATIENT, *MATERNITY, INPATIENT, IGNORE},
    "hosp_lv": set(LEVELS),
}


def load_mapping(path: Path | None) -> dict[str, dict[str, str]]:
    """The default mapping with a YAML file's entries over it (``insutype:``, ``med_type:``, ``hosp_lv:``,
    each value -> category code); every error of the file at once."""
    mapping = {k: dict(v) for k, v in DEFAULT_MAPPING.items()}
    if path is None:
        return mapping
    from fundreport.data.safe_yaml import read_params_yaml

    issues: list[Issue] = []
    data = read_params_yaml(Path(path), issues)
    if issues:
        raise InputError(issues)
    if not isinstance(data, dict):
        raise InputError([Issue(str(path), "应为映射表", expected="insutype / med_type / hosp_lv 三个键")])
    for key, table in data.items():
        if key not in mapping:
            issues.append(Issue(str(path), "未知的键", key=str(key), expected="insutype、med_type 或 hosp_lv"))
            continue
        if not isinstance(table, dict):
            issues.append(Issue(str(path), "应为“值: 类别代码”的映射", key=str(key)))
            continue
        for value, target in table.items():
            if str(target) not in ALLOWED[key]:
                issues.append(Issue(str(path), "类别代码无效", key=f"{key}.{value}", value=target,
                                    expected="、".join(sorted(ALLOWED[key]))))  # fmt: skip
            else:
                mapping[key][str(value).strip()] = str(target)
    if issues:
        raise InputError(issues)
    return mapping


@dataclass(frozen=True)
class Summary:
    """What an aggregation read and left out (for the command's message; no identifiers)."""

    settlements: int
    reversals: int
    orphan_reversals: int  # reversals whose original is not in the data (still subtracted)
    ignored: int  # settlements of a 医疗类别 mapped to ignore
    outside_periods: int  # settlements in no period asked for
    rows: int  # utilisation rows written
    missing: tuple[str, ...]  # optional detail fields absent
    repeated: tuple[str, ...] = ()  # settlements found twice that agree, counted once (sentences)
    warnings: tuple[str, ...] = ()  # months missing from a knowingly partial extract, months left out


def summary_lines(s: Summary, written: str = "") -> list[str]:
    """What an aggregation read and left out, in sentences (``fundreport aggregate`` and ``check``)."""
    from fundreport.data.detail import BY_CODE as FIELDS_BY_CODE

    lines = [f"已汇总 {s.settlements} 条结算（冲销 {s.reversals} 条，其中 {s.orphan_reversals} 条找不到原结算、仍已扣减），"
             f"{s.rows} 行汇总数{'，写入 ' + written if written else ''}"]  # fmt: skip
    if s.ignored or s.outside_periods:
        lines.append(f"未计入：{s.ignored} 条按映射忽略的结算，{s.outside_periods} 条不在所选期间的结算。")
    lines += [f"重复结算：{r}。" for r in s.repeated]
    lines += [f"注意：{w}。" for w in s.warnings]
    if s.missing:
        lines.append(f"明细中没有的列（相应指标无法计算）：{'、'.join(FIELDS_BY_CODE[c].label for c in s.missing)}")
    return lines


CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _printable(text: str | None) -> str | None:
    """Text of the extract as the report may print it: control characters (a NUL inside a name, typed
    over or cut by an export) removed, spaces at the ends trimmed."""
    return None if text is None else CONTROL.sub("", text).strip() or None


def _values(pairs) -> str:
    """A VALUES list of string pairs (escaped), or one row of NULLs when empty."""
    rows = [f"('{str(a).replace(chr(39), chr(39) * 2)}', '{str(b).replace(chr(39), chr(39) * 2)}')" for a, b in pairs]
    return ", ".join(rows) or "(NULL, NULL)"


def default_periods(src: DetailSource) -> list[Period]:
    """January to the latest month of the latest year, for every year in the data."""
    months = dict(src.rows(
        "SELECT year(setl_time), max(month(setl_time)) FROM detail WHERE setl_time IS NOT NULL GROUP BY year(setl_time)"
    ))  # fmt: skip
    if not months:
        return []
    last = months[max(months)]
    out = []
    for year in sorted(months, reverse=True):
        text = str(year) if last == 12 else f"{year}M1-{last}" if last > 1 else f"{year}M1"
        out.append(Period.parse(text))
    return out


def _unmapped(src: DetailSource) -> list[Issue]:
    """Codes in the data that the mapping does not know (each value once, with its count and first file)."""
    issues = []
    checks = [
        ("insutype", "险种类型", "TRUE"),
        ("med_type", "医疗类别", "TRUE"),
        ("hosp_lv", "医院等级", "svc = 'inpatient' AND NOT outside"),
    ]
    for key, label, where in checks:
        if key == "hosp_lv" and not src.has("hosp_lv"):
            continue
        rows = src.rows(
            f"SELECT {key}, sum(n), min(_file) FROM coded WHERE {where} AND {key}_mapped IS NULL "
            f"GROUP BY {key} ORDER BY 2 DESC LIMIT 20"
        )
        for value, n, file in rows:
            issues.append(
                Issue(file, f"{label}无法归类（{n} 条结算）", column=src.columns.get(key, key), value=value,
                      expected=f"在映射文件的 {key} 中指定其类别" if value is not None else "不能为空")
            )  # fmt: skip
    return issues


def _q(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _lookup(expr: str, table: dict[str, str]) -> str:
    """SQL: ``table[expr]``, NULL for other values. A CASE, not a join: joined to a table of a few rows, the
    planner (which cannot estimate the detail's size) may build its hash table on the settlements."""
    if not table:
        return "NULL::VARCHAR"
    return f"CASE {expr} " + " ".join(f"WHEN {_q(k)} THEN {_q(v)}" for k, v in table.items()) + " END"


def period_batches(periods: list[Period]) -> list[list[Period]]:
    """The periods in groups whose months do not overlap (a settlement then lies in at most one period of
    a group, so that its period is a plain expression); usually one group."""
    batches: list[list[Period]] = []
    for p in periods:
        months = {(p.year, m) for m in range(p.start_month, p.end_month + 1)}
        for batch in batches:
            if not any(months & {(q.year, m) for m in range(q.start_month, q.end_month + 1)} for q in batch):
                batch.append(p)
                break
        else:
            batches.append([p])
    return batches


def _key_columns(src: DetailSource) -> list[str]:
    """The columns of ``keyed`` that every derived column (period, fund, category, level, place, sign, which
    payers paid) is a function of: the classification runs on their distinct combinations (a few hundred or
    thousand, in the table ``grouped``) instead of on every settlement, where each CASE would cost more than
    reading the columns."""
    keys = ["_file", "insu_admdvs", "period", "insutype", "med_type", "hosp_lv", "rev", "nopool"]
    keys += [c for c in ("out_flag", "mdtrt_admdvs") if src.has(c)]
    return keys + [f"has_{c}" for c in PAYERS if src.has(c)]


def _classify(src: DetailSource, mapping, periods: list[Period]) -> None:
    """The per-settlement views ``settled`` (the settlements of the periods, which must not overlap: the key
    columns of :func:`_key_columns`, signed amounts, 人员编号 and 结算ID) and ``keyed`` (the same with ``live``:
    neither a reversal nor named by one, from the table ``cancelled`` of the settlements reversals name),
    the table ``grouped`` (their sums per key: ``n`` settlements and the signed amounts), the view ``coded``
    (``grouped`` with the derived columns: fund, category ``svc``, out of area, place, ``sgn``) and the
    per-settlement view ``classified`` (``keyed`` with ``coded``'s derived columns). Views are streamed into
    each query instead of holding the settlements in memory."""
    period = (
        "CASE "
        + " ".join(
            f"WHEN year(d.setl_time) = {p.year} AND month(d.setl_time) BETWEEN {p.start_month} AND {p.end_month} "
            f"THEN {_q(p.code)}"
            for p in periods
        )
        + " END"
    )
    ref = "coalesce(d.init_setl_id, d.setl_id)" if src.has("init_setl_id") else "d.setl_id"
    rev = "coalesce(d.refd_setl_flag, FALSE)"
    has = "".join(f", coalesce(d.{c}, 0) <> 0 AS has_{c}" for c in PAYERS if src.has(c))
    place_keys = "".join(f", d.{c}" for c in ("out_flag", "mdtrt_admdvs") if src.has(c))
    days = "greatest(1, date_diff('day', d.begndate::DATE, d.enddate::DATE))"
    # A reversal's amounts are subtracted whatever their sign in the file.
    amounts = [f"CASE WHEN {rev} THEN -abs({e}) ELSE {e} END AS {name}"
               for name, e in [(c, f"d.{c}") for c in AMOUNTS] + [("days", days)]]  # fmt: skip
    payers = [f"CASE WHEN {rev} THEN -abs(d.{c}) ELSE d.{c} END AS {c}" for c in PAYERS if src.has(c)]
    src.view(
        "settled",
        f"""
        SELECT d._file, d.setl_id, {ref} AS ref, d.psn_no, d.insu_admdvs, {period} AS period, d.insutype, d.med_type,
               d.hosp_lv, {rev} AS rev, coalesce(d.hifp_pay, 0) = 0 AS nopool{has}{place_keys},
               d.fixmedins_code, d.fixmedins_name, {", ".join(amounts + payers)}{", d._bad" if src.reads else ""}
        FROM once d
    """,
    )
    # The settlements reversed (few), computed once; only the persons and 定点机构 need them (``grouped`` sums
    # every settlement with its sign and does not read the 结算ID).
    src.table("cancelled", "SELECT DISTINCT ref FROM settled WHERE rev AND period IS NOT NULL")
    src.view("keyed", "SELECT d.*, NOT d.rev AND c.ref IS NULL AS live "
                      "FROM settled d LEFT JOIN cancelled c ON c.ref = d.setl_id AND NOT d.rev")  # fmt: skip
    keys = ", ".join(_key_columns(src))
    sums = ", ".join(f"sum({c}) AS {c}" for c in (*AMOUNTS, "days", *(c for c in PAYERS if src.has(c))))
    # Every settlement, in the periods or not (period NULL): with files, the same scan finds the values that do
    # not parse (``bad``: the OR of the detail's ``_bad`` bits, see check_detail).
    bad = ", bit_or(_bad) AS bad" if src.reads else ""
    src.table("grouped", f"SELECT {keys}, count(*) AS n, {sums}{bad} FROM settled GROUP BY {keys}")
    outside = (
        "coalesce(out_flag, FALSE)"
        if src.has("out_flag")
        else "coalesce(left(mdtrt_admdvs, 4) <> left(insu_admdvs, 4), FALSE)"
        if src.has("mdtrt_admdvs")
        else "FALSE"
    )
    # 省内 / 跨省异地 (a group of its own, see _aggregate) only where the 就医地 is known: an out-of-area flag
    # alone does not say which.
    place = "''"
    if src.has("mdtrt_admdvs"):
        place = (f"CASE WHEN NOT {outside} OR mdtrt_admdvs IS NULL THEN '' "
                 "WHEN left(mdtrt_admdvs, 2) <> left(insu_admdvs, 2) THEN 'cross_province' ELSE 'in_province' END")  # fmt: skip
    present = src.rows("SELECT DISTINCT insutype, med_type, hosp_lv FROM grouped WHERE period IS NOT NULL")
    mapping = {k: {a: b for a, b in mapping[k].items() if a in {r[i] for r in present}}
               for i, k in enumerate(("insutype", "med_type", "hosp_lv"))}  # fmt: skip
    med = _lookup("med_type", mapping["med_type"])
    outpatient = ", ".join(_q(c) for c in OUTPATIENT)
    svc = f"CASE WHEN {med} IN ({outpatient}) AND nopool THEN '{NO_POOL}' ELSE {med} END"
    src.view(
        "coded",
        f"""
        SELECT g.*, {_lookup("insutype", mapping["insutype"])} AS insutype_mapped, {med} AS med_type_mapped,
               {_lookup("hosp_lv", mapping["hosp_lv"])} AS hosp_lv_mapped, {svc} AS svc, {outside} AS outside,
               {place} AS place, CASE WHEN rev THEN -1 ELSE 1 END AS sgn
        FROM grouped g WHERE g.period IS NOT NULL
    """,
    )
    derived = "insutype_mapped, med_type_mapped, hosp_lv_mapped, svc, outside, place, sgn"
    src.view(
        "classified",
        f"""
        SELECT d.*, {", ".join(f"k.{c}" for c in derived.split(", "))}
        FROM keyed d JOIN coded k ON {_same_keys(src, "d", "k")}
    """,
    )


def _same_keys(src: DetailSource, a: str, b: str) -> str:
    """SQL: the key columns of ``a`` and ``b`` are equal (NULL equal to NULL)."""
    return " AND ".join(f"{a}.{c} IS NOT DISTINCT FROM {b}.{c}" for c in _key_columns(src))


# Places of a flow and the groups it counts in (全部; out of area, 省内异地 or 跨省异地 too).
PLACES = (("", "all"), ("in_province", "all"), ("in_province", "in_province"), ("cross_province", "all"),
          ("cross_province", "cross_province"))  # fmt: skip


def _rows_view(src: DetailSource) -> None:
    """The view ``flows`` over ``coded`` (its keys and sums): each group once as its own fund's flow (payer
    ``hifp_pay``: its costs, the pooling fund's payment, and with the personal account for 门诊合计), and once
    more for each other payer of :data:`PAYERS` that paid its settlements (≠ 0, a key), with that payer's
    fund and category, its amount as the fund paid and no costs. ``lvl``: the level of an inpatient
    settlement, else ''. ``visits``: the settlements, net of reversals. A few hundred rows: plain SQL."""
    level = "CASE WHEN outside THEN 'inpatient_outside' ELSE coalesce(hosp_lv_mapped, 'inpatient_level1') END"
    if not src.has("hosp_lv"):
        level = "CASE WHEN outside THEN 'inpatient_outside' ELSE '' END"
    account = " + ".join(f"coalesce({c}, 0)" for c in ("hifp_pay", *ACCOUNT) if src.has(c))
    maternity = ", ".join(_q(s) for s in MATERNITY)
    payers = [c for c in PAYERS if src.has(c)]
    fund, svc = ["CASE payer WHEN 'hifp_pay' THEN insutype_mapped"], ["CASE payer WHEN 'hifp_pay' THEN svc"]
    for col in payers:
        own, (out, inp, mat) = PAYERS[col]
        fund.append(f"WHEN {_q(col)} THEN {_q(own) if own else 'insutype_mapped'}")
        svc.append(
            f"WHEN {_q(col)} THEN CASE WHEN svc = '{INPATIENT}' THEN {_q(inp) if inp else 'NULL'} "
            f"WHEN svc IN ({maternity}) THEN {_q(mat) if mat else 'NULL'} ELSE {_q(out) if out else 'NULL'} END"
        )
    mine = "payer = 'hifp_pay'"
    names = ", ".join(f"({_q(c)})" for c in ("hifp_pay", *payers))
    amount = "CASE pp.payer " + " ".join(f"WHEN {_q(c)} THEN c.{c}" for c in ("hifp_pay", *payers)) + " END"
    paid_by = " OR ".join(f"(pp.payer = {_q(c)} AND c.has_{c})" for c in payers)
    keys = ", ".join(_key_columns(src))
    src.view(
        "flows",
        f"""
        SELECT {keys}, {" ".join(fund)} END AS fund, {" ".join(svc)} END AS svc,
               CASE WHEN {mine} AND svc = '{INPATIENT}' THEN {level} ELSE '' END AS lvl, place, sgn * n AS visits,
               CASE WHEN {mine} THEN medfee_sumamt END AS cost, CASE WHEN {mine} THEN inscp_scp_amt END AS inscope,
               CASE WHEN {mine} THEN fulamt_ownpay_amt END AS ownpay, CASE WHEN {mine} THEN overlmt_selfpay END AS overlimit,
               CASE WHEN {mine} THEN preselfpay_amt END AS preself, CASE WHEN {mine} THEN psn_cash_pay END AS cash,
               CASE WHEN {mine} AND svc = '{INPATIENT}' THEN days END AS days, amount AS paid, {mine} AS own,
               CASE WHEN {mine} THEN {account} ELSE amount END AS paid_all
        FROM (SELECT c.*, pp.payer AS payer, {amount} AS amount
              FROM coded c CROSS JOIN (VALUES {names}) AS pp(payer)
              WHERE c.svc <> '{IGNORE}' AND (pp.payer = 'hifp_pay'{" OR " + paid_by if payers else ""})) f
    """,
    )


def _targets(svc: str, lvl: str) -> tuple[str, ...]:
    """The utilisation categories a flow of category ``svc`` (and level ``lvl``) counts in: its category
    (住院 -> 住院合计) and its total or level (住院 -> its level; outpatient -> 门诊合计; 救助 -> 医疗救助合计).
    No 生育待遇合计: it includes 生育津贴, which is paid outside the settlement system."""
    out = []
    if svc == INPATIENT:
        out += ["inpatient_total", *([lvl] if lvl else [])]
    elif svc is not None:
        out += [] if svc == NO_POOL else [svc]
        if svc in (*OUTPATIENT, NO_POOL):
            out.append("outpatient_total")
        elif svc in ("assistance_outpatient", "assistance_inpatient"):
            out.append("assistance_total")
    return tuple(out)


# Sums of a flow besides its 人次 (flows column, utilisation column, detail column it needs or None)
SUMS = (
    ("cost", "total_cost", "medfee_sumamt"),
    ("inscope", "inscope_cost", "inscp_scp_amt"),
    ("paid", "fund_paid", None),
    ("paid_all", "fund_paid_all", None),
    ("ownpay", "ownpay_cost", "fulamt_ownpay_amt"),
    ("overlimit", "overlimit_cost", "overlmt_selfpay"),
    ("preself", "preself_cost", "preselfpay_amt"),
    ("days", "bed_days", "enddate"),
    ("cash", "cash_pay", "psn_cash_pay"),
)
MEASURES = ("visits", "persons", *(m for _, m, _ in SUMS if m != "fund_paid_all"))


def _categories() -> list[tuple[str, str, str]]:
    """(category, level, utilisation category) for every category and level a flow can have
    (:func:`_targets` spelled out as a table)."""
    payer_svcs = {svc for _, svcs in PAYERS.values() for svc in svcs if svc}
    out = []
    for svc in sorted({*OUTPATIENT, *MATERNITY, INPATIENT, NO_POOL, *payer_svcs}):
        for lvl in ("", *LEVELS, "inpatient_outside") if svc == INPATIENT else ("",):
            out += [(svc, lvl, service) for service in _targets(svc, lvl)]
    return out


def _target_views(src: DetailSource, regions: dict[str, list[str]] | None) -> None:
    """The view ``targets``: for each (参保地, category, level, place) of a flow, the rows it counts in
    (region, utilisation category, group): every region of the 参保地's chain, every category of
    :func:`_categories`, the group 全部 and, out of area, 省内异地 or 跨省异地 (not in 市外就医, all out of area).
    Small tables written as VALUES, so that the same SQL runs on any engine."""

    def values(rows, names: str) -> str:
        return (
            "SELECT * FROM (VALUES " + ", ".join("(" + ", ".join(map(_q, r)) + ")" for r in rows) + f") AS v({names})"
        )

    if regions:
        src.view(
            "chains", values(sorted((leaf, up) for leaf, chain in regions.items() for up in chain), "leaf, region")
        )
    else:  # each 参保地 on its own
        src.view("chains", "SELECT DISTINCT insu_admdvs AS leaf, insu_admdvs AS region FROM coded")
    src.view("categories", values(_categories(), "svc, lvl, service"))
    src.view("places", values(PLACES, "place, grp"))
    src.view(
        "targets",
        """
        SELECT c.leaf AS insu_admdvs, k.svc, k.lvl, p.place, c.region, k.service, p.grp
        FROM chains c CROSS JOIN categories k CROSS JOIN places p WHERE p.grp = 'all' OR k.service <> 'inpatient_outside'
    """,
    )


BITS = 62  # person-count slots per mask column (a BIGINT on every engine)


def _slots() -> tuple[list[tuple[str, str]], dict[tuple[str, str, str], int]]:
    """The (utilisation category, group) pairs persons are counted in, and for each (category, level,
    place) of a flow the set of those it counts in as a bit mask (bit i: pair i); :func:`_targets` and
    :data:`PLACES` as bits."""
    pairs: list[tuple[str, str]] = []
    masks: dict[tuple[str, str, str], int] = {}
    for svc, lvl, service in _categories():
        for place, grp in PLACES:
            if grp != "all" and service == "inpatient_outside":
                continue
            if (service, grp) not in pairs:
                pairs.append((service, grp))
            masks[(svc, lvl, place)] = masks.get((svc, lvl, place), 0) | 1 << pairs.index((service, grp))
    return pairs, masks


def _persons(src: DetailSource, regions_view: str = "chains") -> tuple[list[tuple[tuple, int]], int]:
    """((region, period, fund, utilisation category, group), 人数) of the live settlements: distinct 人员编号.

    Each flow of ``flows`` (keys, fund) gets the mask of the (category, group) pairs it counts in
    (:func:`_slots`); the settlements are joined to them by key, and OR-ed per (period, fund, 参保地, person)
    and then per (region of the 参保地's chain, period, fund, person), so that a person in two districts, or
    in two categories of 门诊合计, counts once in the city and in 门诊合计; the persons are then counted per
    mask (a few hundred distinct) and each mask's count is added to every pair of its bits. Hash
    aggregates, which spill to disk (count(DISTINCT)'s per-group sets do not: 100M settlements took 13.5 GB
    of memory under a 4 GB limit)."""
    pairs, masks = _slots()
    width = range((len(pairs) + BITS - 1) // BITS)
    cols = [f"m{w}" for w in width]
    rows = [(svc, lvl, place, *((m >> (BITS * w)) & ((1 << BITS) - 1) for w in width))
            for (svc, lvl, place), m in masks.items()]  # fmt: skip
    table = ", ".join(f"({_q(a)}, {_q(b)}, {_q(c)}, " + ", ".join(f"CAST({v} AS BIGINT)" for v in vs) + ")"
                      for a, b, c, *vs in rows)  # fmt: skip
    keys = ", ".join(_key_columns(src))
    ors = ", ".join(f"bit_or(m.{c}) AS {c}" for c in cols)
    masked = ", ".join(cols)
    # pid / rid: a number for each (period, fund, 参保地) and (region, period, fund), so that the large
    # aggregates hash two columns instead of four.
    src.table(
        "person_flows",
        f"""
        SELECT *, dense_rank() OVER (ORDER BY period, fund, insu_admdvs) AS pid FROM (
          SELECT {", ".join(f"f.{k}" for k in _key_columns(src))}, f.fund, {ors}, max(CASE WHEN f.own THEN 1 ELSE 0 END) AS own
          FROM flows f JOIN (VALUES {table}) AS m(svc, lvl, place, {masked})
               ON m.svc = f.svc AND m.lvl = f.lvl AND m.place = f.place
          WHERE NOT f.rev GROUP BY {keys}, f.fund
        ) x
    """,
    )
    src.table(
        "person_regions",
        f"""
        SELECT p.pid, h.region, p.period, p.fund, dense_rank() OVER (ORDER BY h.region, p.period, p.fund) AS rid
        FROM (SELECT DISTINCT pid, period, fund, insu_admdvs FROM person_flows) p
             JOIN {regions_view} h ON h.leaf = p.insu_admdvs
    """,
    )
    # A settlement a reversal names adds no bit, but is counted (``gone``, once: on its own fund's row).
    live = ", ".join(f"bit_or(CASE WHEN c.ref IS NULL THEN f.{c} ELSE 0 END) AS {c}" for c in cols)
    src.table(
        "by_person",
        f"""
        SELECT f.pid, d.psn_no, {live}, sum(CASE WHEN c.ref IS NOT NULL THEN f.own ELSE 0 END) AS gone
        FROM settled d JOIN person_flows f ON {_same_keys(src, "d", "f")} LEFT JOIN cancelled c ON c.ref = d.setl_id
        GROUP BY f.pid, d.psn_no
    """,
    )
    gone = int(src.rows("SELECT coalesce(sum(gone), 0) FROM by_person")[0][0])
    counted = src.rows(f"""
        SELECT rid, {masked}, count(*) FROM (
          SELECT r.rid, p.psn_no, {ors.replace("m.", "p.")}
          FROM by_person p JOIN person_regions r ON r.pid = p.pid GROUP BY r.rid, p.psn_no
        ) x GROUP BY rid, {masked}
    """)  # fmt: skip
    names = {rid: (region, period, fund) for _, region, period, fund, rid in src.rows("SELECT * FROM person_regions")}
    for name in ("by_person", "person_regions", "person_flows"):
        src.drop(name)
    out: dict[tuple, int] = {}
    for rid, *parts, n in counted:
        mask = sum(int(v) << (BITS * w) for w, v in enumerate(parts))
        for i, pair in enumerate(pairs):
            if mask >> i & 1:
                out[(*names[rid], *pair)] = out.get((*names[rid], *pair), 0) + n
    return list(out.items()), gone


def _aggregate(src: DetailSource, regions: dict[str, list[str]] | None) -> tuple[list[dict], int | None]:
    """The utilisation rows of the classified settlements (see :func:`utilisation_rows`):

    1. sums: ``flows`` (a few hundred rows) summed by group (参保地, period, fund, category, level, place),
       joined to ``targets`` (:func:`_target_views`: the regions, categories and groups each counts in) and
       summed again; exact decimals. 门诊合计's 基金支付 is the pooling fund's plus the personal account's
       (``fund_paid_all``);
    2. persons: :func:`_persons`."""
    _rows_view(src)
    _target_views(src, regions)
    has_days = src.has("begndate") and src.has("enddate")
    # Only the sums the detail can give: a NULL constant would be one more grouping key.
    present = [(col, name) for col, name, need in SUMS
               if need is None or (has_days if col == "days" else src.has(need))]  # fmt: skip
    keys = "insu_admdvs, period, fund, svc, lvl, place"
    names = [name for _, name in present]
    src.view("by_group", f"SELECT {keys}, sum(visits) AS visits, {', '.join(f'sum({c}) AS {n}' for c, n in present)} "
                         f"FROM flows GROUP BY {keys}")  # fmt: skip
    row_keys = "t.region, g.period, g.fund, t.service, t.grp"
    measures = [n for n in names if n != "fund_paid_all"]
    paid = (
        "g.fund_paid"
        if "fund_paid_all" not in names
        else ("CASE WHEN t.service = 'outpatient_total' THEN g.fund_paid_all ELSE g.fund_paid END")
    )
    sums = src.rows(f"""
        SELECT {row_keys}, sum(g.visits), {", ".join(f"sum({paid if n == 'fund_paid' else 'g.' + n})" for n in measures)}
        FROM by_group g JOIN targets t ON t.insu_admdvs = g.insu_admdvs AND t.svc = g.svc AND t.lvl = g.lvl
             AND t.place = g.place
        GROUP BY {row_keys}
    """)  # fmt: skip
    out: dict[tuple, dict] = {}
    for region, period, fund, service, group, visits, *amounts in sums:
        out[(region, period, fund, service, group)] = {
            "region": region, "period": period, "fund": fund, "service": service, "group": group,
            "visits": visits, "persons": None} | dict.fromkeys(MEASURES[2:]) | dict(zip(measures, amounts, strict=True))  # fmt: skip
    gone = None
    if src.has("psn_no") and out:
        for r in out.values():
            r["persons"] = 0
        counted, gone = _persons(src)
        for key, n in counted:
            out[key]["persons"] = n
    rows = list(out.values())
    if any(src.has(c) for c in ACCOUNT):
        # A settlement can be in 门诊统筹 and in 个人账户刷卡: 门诊合计's categories overlap, so its 人次 and 人数
        # would not be their sum, and shares of them would add up to more than 100 %.
        for r in rows:
            if r["service"] == "outpatient_total":
                r["visits"] = r["persons"] = None
    return rows, gone


LEVEL_LABELS = {"inpatient_level1": "一级", "inpatient_level2": "二级", "inpatient_level3": "三级"}


def _institutions(src: DetailSource) -> list[dict]:
    """The 定点机构待遇 rows (when the detail has 定点医药机构编号): per region (each of the 参保地's chain),
    period, fund, 住院合计 / 门诊合计 and institution, of the settlements' own fund: 人次 (net of reversals),
    人数 (distinct 人员编号 of live settlements: DISTINCT per region then count, which spills where
    count(DISTINCT) would not), 总费用 and 基金支付 (住院: the pooling fund; 门诊: the pooling fund and the
    personal account, as 门诊合计's 基金支付, so that an institution's share of the category is a share of
    like with like); the institution's name and level as the detail gives them (the largest value where its
    rows differ)."""
    if not src.has("fixmedins_code"):
        return []
    outpatient = ", ".join(_q(c) for c in (*OUTPATIENT, NO_POOL))
    account = " + ".join(f"coalesce({c}, 0)" for c in ("hifp_pay", *ACCOUNT) if src.has(c))
    level = "CASE hosp_lv_mapped " + " ".join(f"WHEN {_q(k)} THEN {_q(v)}" for k, v in LEVEL_LABELS.items()) + " END"
    keys = "insu_admdvs, period, fund, service, institution"
    src.table(
        "by_institution",
        f"""
        SELECT {keys}, psn_no, bool_or(live) AS live, sum(sgn) AS visits, sum(medfee_sumamt) AS total_cost,
               sum(paid) AS fund_paid, max(fixmedins_name) AS name, max(lvl) AS lvl
        FROM (SELECT insu_admdvs, period, insutype_mapped AS fund, fixmedins_code AS institution, psn_no, live, sgn,
                     rev, medfee_sumamt, fixmedins_name,
                     CASE WHEN svc = '{INPATIENT}' THEN 'inpatient_total' ELSE 'outpatient_total' END AS service,
                     CASE WHEN svc = '{INPATIENT}' THEN hifp_pay ELSE {account} END AS paid,
                     {level} AS lvl
              FROM classified WHERE fixmedins_code IS NOT NULL AND (svc = '{INPATIENT}' OR svc IN ({outpatient}))) c
        GROUP BY {keys}, psn_no
    """,
    )
    row_keys = "h.region, b.period, b.fund, b.service, b.institution"
    out: dict[tuple, dict] = {}
    for region, period, fund, service, inst, name, lvl, visits, cost, paid in src.rows(f"""
        SELECT {row_keys}, max(b.name), max(b.lvl), sum(b.visits), sum(b.total_cost), sum(b.fund_paid)
        FROM by_institution b JOIN chains h ON h.leaf = b.insu_admdvs GROUP BY {row_keys}
    """):
        out[(region, period, fund, service, inst)] = {
            "region": region, "period": period, "fund": fund, "service": service, "institution": _printable(inst),
            "institution_name": _printable(name), "level": lvl, "visits": visits, "persons": None, "total_cost": cost,
            "fund_paid": paid}  # fmt: skip
    if src.has("psn_no"):
        for r in out.values():
            r["persons"] = 0
        for region, period, fund, service, inst, n in src.rows(f"""
            SELECT region, period, fund, service, institution, count(*) FROM (
              SELECT DISTINCT {row_keys}, b.psn_no FROM by_institution b JOIN chains h ON h.leaf = b.insu_admdvs
              WHERE b.live
            ) d GROUP BY region, period, fund, service, institution
        """):
            out[(region, period, fund, service, inst)]["persons"] = n
    src.drop("by_institution")
    return list(out.values())


def _counts(src: DetailSource, gone: int | None = None) -> tuple[int, int, int, int, int]:
    """Settlements, reversals, reversals whose original is not in the data, settlements ignored by the
    mapping, and all settlements of the classified periods. ``gone``: the originals reversals name, as
    :func:`_persons` counted them (not in ignored categories), or None to count them here."""
    main = src.rows(
        f"SELECT sum(n) FILTER (WHERE NOT rev), sum(n) FILTER (WHERE rev), sum(n) FILTER (WHERE svc = '{IGNORE}'), "
        "sum(n) FROM coded"
    )[0]
    main = [int(v or 0) for v in main]
    refs = src.rows("SELECT count(*) FROM cancelled")[0][0]
    matched = gone or 0
    if refs and (gone is None or main[2]):  # the semi join keeps the reversals (few) as the side held in memory
        matched = src.rows(
            "SELECT count(*) FROM settled o SEMI JOIN cancelled r ON o.setl_id = r.ref WHERE NOT o.rev "
            "AND o.period IS NOT NULL"
        )[0][0]
    return main[0], main[1], max(0, refs - int(matched)), main[2], main[3]


def utilisation_rows(
    src: DetailSource,
    mapping=None,
    periods: list[Period] | None = None,
    regions: dict[str, list[str]] | None = None,
    *,
    partial: bool = False,
) -> tuple[list[dict], Summary]:
    """The utilisation rows (code values, money in 元 as exact decimals) and a summary; raises
    :class:`InputError` for values that do not parse, unmapped codes and regions outside ``regions``.

    ``regions``: leaf region code -> the codes it counts in (itself and its ancestors), from the dataset's
    地区 table; None counts each 参保地 code on its own."""
    tables, summary = detail_tables(src, mapping, periods, regions, institutions=False, partial=partial)
    return tables["utilisation"], summary


def detail_tables(
    src: DetailSource,
    mapping=None,
    periods: list[Period] | None = None,
    regions: dict[str, list[str]] | None = None,
    *,
    institutions: bool = True,
    partial: bool = False,
) -> tuple[dict[str, list[dict]], Summary]:
    """:func:`utilisation_rows`, and with ``institutions`` the 定点机构待遇 rows (:func:`_institutions`), as
    ``{"utilisation": rows, "institutions": rows}``. Each settlement counts once and the months of the
    periods must all hold settlements (:mod:`fundreport.data.settlements`; ``partial``: a missing month is
    a warning, the params say the extract is knowingly partial)."""  # fmt: skip
    mapping = mapping or DEFAULT_MAPPING
    periods = periods or default_periods(src)
    if not periods:
        raise InputError(check_detail(src) or [Issue(str(src.files[0]), "结算明细中没有可用的结算时间")])
    repeated, differ = settlements_once(src)
    where = str(src.files[0]) if len(src.files) == 1 else os.path.commonpath([str(f) for f in src.files])
    missing_months, warnings = coverage(months(src), periods, where, partial)
    pending = differ + missing_months  # raised with the first batch's errors: all errors of the detail at once
    rows, by_institution, counts, in_periods = [], [], [0, 0, 0, 0], 0
    for k, batch in enumerate(period_batches(periods)):
        _classify(src, mapping, batch)
        if k == 0:  # values that do not parse, found by the first batch's scan of every settlement
            found = {f: int(b) for f, b in src.rows("SELECT _file, bit_or(bad) FROM grouped GROUP BY _file")} if src.reads else {}  # fmt: skip
            if issues := check_detail(src, found):
                raise InputError(issues + pending)
        issues = (pending if k == 0 else []) + _unmapped(src)
        if regions:
            known = ", ".join(_q(code) for code in regions)
            for code, n in src.rows(
                f"SELECT insu_admdvs, sum(n) FROM coded WHERE insu_admdvs NOT IN ({known}) "
                "GROUP BY insu_admdvs ORDER BY 2 DESC LIMIT 20"
            ):
                issues.append(Issue(str(src.files[0]), f"参保地区划不在数据集的地区表中（{n} 条结算）",
                                    column=src.columns["insu_admdvs"], value=code, expected="地区表中的地区代码"))  # fmt: skip
        if issues:
            raise InputError(issues)
        found, gone = _aggregate(src, regions)
        rows += found
        by_institution += _institutions(src) if institutions else []
        batch_counts = _counts(src, gone)
        counts = [a + b for a, b in zip(counts, batch_counts[:4], strict=True)]
        in_periods += batch_counts[4]
    order = {t.code: i for i, t in enumerate(SERVICES)}
    funds = {t.code: i for i, t in enumerate(FUNDS)}
    groups = {code: i for i, code in enumerate(GROUPS.codes)}
    rows.sort(key=lambda r: (r["region"], -Period.parse(r["period"]).year, r["period"], funds[r["fund"]],
                             order[r["service"]], groups[r["group"]]))  # fmt: skip
    total = src.rows("SELECT count(*) FROM once")[0][0]
    summary = Summary(*counts, max(0, total - in_periods), len(rows) + len(by_institution), src.missing,
                      tuple(o.sentence() for o in repeated), tuple(warnings))  # fmt: skip
    by_institution.sort(key=lambda r: (r["region"], -Period.parse(r["period"]).year, r["period"], funds[r["fund"]],
                                       order[r["service"]], r["institution"]))  # fmt: skip
    return {"utilisation": rows, "institutions": by_institution}, summary


def aggregate(
    detail_paths,
    dataset: Path,
    *,
    periods=None,
    mapping_path: Path | None = None,
    memory_limit: str = "2GB",
    partial: bool = False,
) -> Summary:
    """``fundreport aggregate``: read the detail, aggregate, write ``dataset/utilisation.csv``. Without
    ``periods``, the default periods (:func:`default_periods`) take the codes the dataset already uses for
    the same months (:func:`dataset_periods`), so that a report of ``2024Q1`` finds them. ``partial``: a
    month of a period without settlements is a warning, not an error (:func:`detail_tables`)."""
    mapping = load_mapping(mapping_path)
    parsed = _parse_periods(periods)
    src = open_detail(detail_paths, memory_limit=memory_limit)
    try:
        return _into_dataset(src, dataset, parsed, mapping, partial)
    finally:
        src.close()


def aggregate_table(
    conn, table: str, dataset: Path, *, dialect: str, periods=None, mapping_path: Path | None = None
) -> Summary:
    """:func:`aggregate` for a detail table on another engine (Spark, Trino…): ``conn`` a DB-API connection,
    ``table`` its name there, ``dialect`` the engine's SQL (:mod:`fundreport.data.sql_source`). The same
    queries run there; only the sums come back, and ``dataset/utilisation.csv`` is written here."""
    from fundreport.data.sql_source import open_table

    mapping = load_mapping(mapping_path)
    parsed = _parse_periods(periods)
    return _into_dataset(open_table(conn, table, dialect), dataset, parsed, mapping)


def _parse_periods(periods) -> list[Period]:
    try:
        return [Period.parse(p) for p in periods or []]
    except PeriodError as exc:
        raise InputError([Issue("--period", str(exc))]) from exc


def _into_dataset(src, dataset: Path, parsed: list[Period], mapping, partial: bool = False) -> Summary:
    if not parsed:
        known = dataset_periods(dataset)
        parsed = [known.get((p.year, p.start_month, p.end_month), p) for p in default_periods(src)]
    tables, summary = detail_tables(src, mapping, parsed or None, region_chains(dataset), partial=partial)
    write_utilisation(tables["utilisation"], dataset)
    if tables["institutions"]:
        write_table("institutions", tables["institutions"], dataset)
    return summary
