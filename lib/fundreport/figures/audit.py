"""Consistency checks on the input: findings with severity, location, expected and found.

Checks (each a function ``check_*`` returning findings):

- parts add up to totals: statement lines to 收入/支出合计 (without and, for
  information, with 上下级往来), 待遇 parts, 保险费 parts, 统筹 + 个账 = 职工,
  hospital levels and outpatient categories per measure, enrolment
  partitions, sub-regions to their parent;
- income − expense equals a stated 本期结余;
- a whole table whose current values equal the comparison values (copy error);
- stated figures (the 报告数值 table) against the recomputed value.

Tolerances follow the precision the figures were written with: a sum of n
rounded figures may differ from a rounded total by half a unit of the
coarsest figure for each of the n + 1 roundings.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from fundreport.data import vocab
from fundreport.data.dataset import Dataset
from fundreport.data.periods import Period
from fundreport.data.tables import BY_CODE
from fundreport.figures.facts import EMPLOYEE_PARTS, Facts
from fundreport.figures.registry import DERIVED, INDICATORS, BudgetDoubt, Query, Uncheckable, compute, kind_of  # noqa: F401 (re-export)
from fundreport.figures.totals import fund_total, given_io
from fundreport.text.labels import AUDIT_RULES, FUND_SHORT

SEVERITIES = ("error", "warning", "info")
ENROLMENT_PARTITIONS = (("active", "retired"), ("adult", "student_child", "college"))
MONEY_SUMS = ("income_total", "expense_total", "expense_benefit", "income_premium")


@dataclass(frozen=True)
class Finding:
    """One audit finding. Amounts in 元, ratios as fractions, as in the data model.

    ``found`` is the figure as the source gives it (报告值), ``expected`` the figure recomputed from
    the raw data (计算值); ``kind`` says how both are written (money, count, ratio, months, per,
    number); ``rule`` is the check in words (:data:`fundreport.text.labels.AUDIT_RULES`).
    ``subject`` is the data code (for programs); readers see :func:`subject_label`.
    """

    severity: str  # error | warning | info
    check: str  # sum | balance | copy | stated | inter_level | sign | ledger
    message: str  # Chinese, states what disagrees
    region: str
    period: str
    fund: str
    subject: str
    expected: float | None
    found: float | None
    source: str = ""  # file and row of the stated figure, when there is one
    kind: str = "money"

    @property
    def rule(self) -> str:
        return AUDIT_RULES.get(self.check, "")

    @property
    def difference(self) -> float | None:
        """报告值 − 计算值."""
        return None if self.found is None or self.expected is None else self.found - self.expected


@dataclass(frozen=True)
class Unchecked:
    """A stated figure that could not be recomputed, and why."""

    region: str
    period: str
    fund: str
    indicator: str
    subject: str
    value: float
    reason: str
    source: str = ""

    @property
    def kind(self) -> str:
        return kind_of(self.subject, self.indicator)


@dataclass(frozen=True)
class Coverage:
    """How many stated figures (报告数值) the audit compared: consistent, inconsistent, not checkable."""

    total: int
    consistent: int
    inconsistent: int
    unchecked: tuple[Unchecked, ...]
    consistent_keys: tuple[tuple[str, str], ...] = ()  # (region, period) of each consistent figure


@dataclass(frozen=True)
class Audit:
    findings: tuple[Finding, ...]
    coverage: Coverage


def subject_label(subject: str) -> str:
    """A data code in Chinese: 基金收入合计, 住院合计·基金支付, 在职职工; several codes joined with 、."""
    parts = []
    for code in subject.split("、"):
        head, _, measure = code.partition(".")
        label = head
        for vocab_ in (vocab.ITEMS, vocab.ENROLMENT, vocab.POLICY, vocab.SERVICES):
            if head in vocab_:
                label = vocab_.get_label(head)
                break
        if measure:
            label += f"·{ds_label('utilisation', measure)}"
        parts.append(label)
    return "、".join(parts)


def _unit_label(unit: str | None) -> str:
    return vocab.UNITS.get_label(unit) if unit else ""


def _tolerance(quanta: list[float], floor: float = 0.0) -> float:
    return max(floor, 0.5 * max(quanta, default=0.0) * (len(quanta) + 1)) + 1e-6


def audit(ds: Dataset, employee_parts: tuple[str, ...] = EMPLOYEE_PARTS) -> Audit:
    """All findings of a dataset, in a stable order, and the coverage of its stated figures.

    ``employee_parts``: the funds 职工 is made of (params ``employee_parts``)."""
    facts = Facts(ds, employee_parts)
    findings: list[Finding] = []
    for check in (
        check_statement_sums,
        check_balances,
        check_fund_split,
        check_fund_totals,
        check_utilisation_sums,
        check_benefits_against_ledger,
        check_enrolment_sums,
        check_subregions,
        check_copies,
        check_budgets,
        check_signs,
    ):
        findings.extend(check(ds, facts))
    copies = [f for f in findings if f.check == "copy"]
    stated, coverage = check_stated_with_coverage(ds, facts, copies)
    return Audit(tuple(findings + stated), coverage)


def comparison_family(fund: str) -> set[str]:
    """The funds whose comparison a copy finding of ``fund`` makes doubtful: itself, its parent and its parts
    (职工 ↔ 统筹/个账), and for 合计 every fund it sums (the report's body and the audit use this one rule)."""
    related = {fund} | {t.code for t in vocab.FUNDS if t.parent == fund}
    term = vocab.FUNDS.term(fund)
    if term.parent:
        related |= {term.parent}
    if fund == "all_funds":
        related |= {"employee", "resident", "maternity", "employee_pool", "employee_account"}
    return related


def copied_comparison(copies: list[Finding], region: str, periods: set[str], fund: str) -> Finding | None:
    """The copy finding that makes ``fund``'s comparison between ``periods`` doubtful, or None."""
    family = comparison_family(fund)
    return next((f for f in copies if f.region == region and f.period in periods and f.fund in family), None)


def run_audit(ds: Dataset, employee_parts: tuple[str, ...] = EMPLOYEE_PARTS) -> list[Finding]:
    """All findings of a dataset, in a stable order."""
    return list(audit(ds, employee_parts).findings)


# -- parts and totals ---------------------------------------------------------


def _flows(ds: Dataset, table: str = "fund_flows") -> dict[tuple, tuple[float, float]]:
    """(region, period, fund, item) -> (value, quantum) of fund_flows (or of budgets)."""
    df = ds[table]
    return {
        (r, p, f, i): (v, q)
        # lists, not Series: iterating pandas extension arrays costs a microsecond per cell
        for r, p, f, i, v, q in zip(
            *(df[c].tolist() for c in ("region", "period", "fund", "item", "value", "quantum")), strict=True
        )
    }


def _listed_sums(values: dict[tuple, tuple[float, float]]):
    """(key of a stated total, its value, its listed parts {code: (value, quantum)}, their sum, the rounding
    tolerance) for every total in :data:`MONEY_SUMS` that has listed parts, in a stable order."""
    for r, p, f in sorted({k[:3] for k in values}):
        for total in MONEY_SUMS:
            if (r, p, f, total) not in values:
                continue
            stated, q = values[(r, p, f, total)]
            children = vocab.ITEMS.children(total)
            parts = {t.code: values[(r, p, f, t.code)] for t in children if (r, p, f, t.code) in values}
            if parts:
                s = sum(v for v, _ in parts.values())
                yield (r, p, f, total), stated, parts, s, _tolerance([q] + [pq for _, pq in parts.values()])


def check_statement_sums(ds: Dataset, facts: Facts) -> list[Finding]:
    out = []
    for (r, p, f, total), stated, parts, s, tol in _listed_sums(_flows(ds)):
        label = vocab.ITEMS.get_label(total)
        if abs(s - stated) <= tol:
            continue
        kind = total.split("_")[0]
        inter = facts.inter_level(r, p, f, kind) if total in {"income_total", "expense_total"} else {}
        if inter and abs(s + sum(inter.values()) - stated) <= tol:
            names = "、".join(vocab.ITEMS.get_label(c) for c in inter)
            out.append(
                Finding(
                    "warning",
                    "inter_level",
                    f"{label}含上下级往来（{names}）；不含上下级往来应为各项之和",
                    r,
                    p,
                    f,
                    total,
                    s,
                    stated,
                )
            )
        elif s > stated + tol:
            names = "、".join(vocab.ITEMS.get_label(c) for c in parts)
            out.append(Finding("error", "sum", f"所列各项（{names}）之和大于{label}", r, p, f, total, s, stated))
        elif len(parts) >= 2:
            # the source may list only some lines: a shortfall is reported, not judged
            names = "、".join(vocab.ITEMS.get_label(c) for c in parts)
            out.append(
                Finding(
                    "info",
                    "sum",
                    f"所列各项（{names}）之和小于{label}：有未列出的项目，或数据有误",
                    r,
                    p,
                    f,
                    total,
                    s,
                    stated,
                )
            )
    return out


def check_signs(ds: Dataset, facts: Facts) -> list[Finding]:
    """Income and expense lines are not negative (a negative 待遇支出 makes months of support and rates absurd)."""
    out = []
    for (r, p, f, item), (v, _q) in sorted(_flows(ds).items()):
        term = vocab.ITEMS.term(item)
        if term.kind in {"income", "expense"} and v < 0:
            what = "收入" if term.kind == "income" else "支出"
            out.append(
                Finding(
                    "warning", "sign", f"{term.label}为负数（{what}项目一般不为负，请核对符号）", r, p, f, item, 0.0, v
                )
            )
    return out


def check_budgets(ds: Dataset, facts: Facts) -> list[Finding]:
    """Budget tables: lines against their totals, and a stated budget 本期结余 against income − expense budgets."""
    out = []
    budgets = _flows(ds, "budgets")
    for (r, p, f, total), stated, _parts, s, tol in _listed_sums(budgets):
        if s > stated + tol:
            label = vocab.ITEMS.get_label(total)
            out.append(Finding("error", "sum", f"预算表所列各项之和大于{label}预算", r, p, f, total, s, stated))
    for r, p, f in sorted({k[:3] for k in budgets}):
        if (r, p, f, "balance_current") in budgets:
            stated, q = budgets[(r, p, f, "balance_current")]
            inc, exp = facts.budget(r, p, f, "income_total"), facts.budget(r, p, f, "expense_total")
            if inc is not None and exp is not None and abs(inc - exp - stated) > _tolerance([q, q, q]):
                out.append(
                    Finding(
                        "error",
                        "balance",
                        "预算本期结余与收入预算减支出预算不符",
                        r,
                        p,
                        f,
                        "balance_current",
                        inc - exp,
                        stated,
                    )  # fmt: skip
                )
    return out


def check_balances(ds: Dataset, facts: Facts) -> list[Finding]:
    """Income − expense against a stated 本期结余."""
    out = []
    flows = _flows(ds)
    for (r, p, f, item), (stated, q) in sorted(flows.items()):
        if item != "balance_current":
            continue
        inc, exp = facts.income(r, p, f), facts.expense(r, p, f)
        if inc is None or exp is None:
            continue
        computed = inc - exp
        quanta = [q] + [flows.get((r, p, f, i), (0, 0))[1] for i in ("income_total", "expense_total")]
        tol = _tolerance(quanta)
        if abs(computed - stated) <= tol:
            continue
        inter = sum(facts.inter_level(r, p, f, "income").values()) - sum(facts.inter_level(r, p, f, "expense").values())
        if inter and abs(computed + inter - stated) <= tol:
            out.append(
                Finding(
                    "warning",
                    "inter_level",
                    "所述本期结余含上下级往来；不含上下级往来的本期结余见“应为”",
                    r,
                    p,
                    f,
                    "balance_current",
                    computed,
                    stated,
                )
            )
        else:
            out.append(
                Finding("error", "balance", "本期结余与收入减支出不符", r, p, f, "balance_current", computed, stated)
            )
    return out


def check_fund_split(ds: Dataset, facts: Facts) -> list[Finding]:
    """职工 = the sum of its parts (统筹基金 + 个人账户, or as declared) for every item given for all of them."""
    out = []
    flows = _flows(ds)
    parts = facts.employee_parts
    names = "、".join(vocab.FUNDS.get_label(f) for f in parts)
    for (r, p, f, item), (total, q) in sorted(flows.items()):
        if f != "employee":
            continue
        given = [flows.get((r, p, part, item)) for part in parts]
        if any(g is None for g in given):
            continue
        s = sum(g[0] for g in given)
        if abs(s - total) > _tolerance([q, *(g[1] for g in given)]):
            out.append(
                Finding(
                    "error",
                    "sum",
                    f"职工{vocab.ITEMS.get_label(item)}与{names}之和不符",
                    r,
                    p,
                    f,
                    item,
                    s,
                    total,
                )
            )
    return out


def check_fund_totals(ds: Dataset, facts: Facts) -> list[Finding]:
    """An entered 合计 (全部险种 基金收入合计 / 基金支出合计) equals the sum of its complete parts (职工 or its
    统筹基金, 居民, 生育; the total rule of :mod:`fundreport.figures.totals`), or the parts with their
    上下级往来 (then the report prints the parts without them; an information finding says so)."""
    out = []
    keys = sorted({(r, p) for (r, p, f, _item) in _flows(ds) if f == "all_funds"})
    for r, p in keys:
        totals = fund_total(facts, r, p, given_io(facts, r, p))
        for kind, (value, basis) in zip(("income", "expense"), totals, strict=True):
            entered = facts.income(r, p, "all_funds") if kind == "income" else facts.expense(r, p, "all_funds")
            if entered is None:
                continue
            names = "、".join(FUND_SHORT[f] for f in basis.members) or "各险种"
            item = vocab.ITEMS.get_label(f"{kind}_total")
            if basis.differs:
                msg = f"全部险种{item}与各险种之和不符"
                out.append(Finding("error", "sum", msg, r, p, "all_funds", f"{kind}_total", basis.parts_sum, entered))
            elif basis.includes_inter:
                msg = f"全部险种{item}含上下级往来，与{names}不含往来之和不同，报告按不含往来列示"
                out.append(Finding("info", "inter_level", msg, r, p, "all_funds", f"{kind}_total", value, entered))
    return out


def check_utilisation_sums(ds: Dataset, facts: Facts) -> list[Finding]:
    """Categories against their total (hospital levels to 住院合计, outpatient categories to 门诊合计), per
    measure, by what the data contract declares (``ColumnSpec.adds``, ``Term.partition``):

    - a measure that adds up (人次, amounts) under a total its children make up: the children's sum equals
      the total; under a total that may hold what no child shows (门诊合计): the sum is not above it;
    - distinct persons (人数: a person in two levels counts once in 住院合计): no child is above the total,
      and under a total its children make up, the total is not above their sum.
    """
    out = []
    df = ds.utilisation
    if not len(df):
        return out
    spec = BY_CODE["utilisation"]
    measures = [(c.code, c.adds) for c in spec.columns if c.adds is not None and c.code in df.columns]
    rows = {(r.region, r.period, r.fund, r.service, r.group): r for r in df.itertuples()}
    for (reg, per, fund, service, group), row in sorted(rows.items()):
        children = [t.code for t in vocab.SERVICES.children(service)]
        if not children:
            continue
        whole = vocab.SERVICES.term(service).partition
        parts = [rows[k] for c in children if (k := (reg, per, fund, c, group)) in rows]
        for m, adds in measures:
            stated = getattr(row, m)
            values = [getattr(p, m) for p in parts if not pd.isna(getattr(p, m))]
            if pd.isna(stated) or len(values) < (2 if adds else 1):
                continue
            money = spec.column(m).kind == "number"
            quanta = [row.quantum if money else 1.0] + [
                p.quantum if money else 1.0 for p in parts if not pd.isna(getattr(p, m))
            ]
            tol, s = _tolerance(quanta), sum(values)
            label, col = vocab.SERVICES.get_label(service), ds_label("utilisation", m)
            if adds and (abs(s - stated) > tol if whole else s > stated + tol):
                what, found = "与各类别之和不符" if whole else "小于各类别之和", s
            elif not adds and max(values) > stated + tol:
                what, found = "小于其中一个类别的人数（人数为去重人数，合计不应小于任一类别）", max(values)
            elif not adds and whole and len(values) >= 2 and stated > s + tol:
                what, found = "大于各类别人数之和", s
            else:
                continue
            out.append(
                Finding(
                    "warning",
                    "sum",
                    f"{label}{col}{what}",
                    reg,
                    per,
                    fund,
                    f"{service}.{m}",
                    found,
                    stated,
                    kind="money" if money else "count",
                )
            )
    return out


LEDGER_TOLERANCE = 0.01
"""A utilisation table's fund paid may differ from the ledger's benefit line by this share (1 %: settlements
booked in the next month, 清算 adjustments) before it is a finding."""

LEDGER_LINES = (
    ("inpatient_total", "benefit_inpatient"),
    ("outpatient_total", "benefit_outpatient"),
    ("maternity_medical", "benefit_maternity_medical"),
)
"""Utilisation category whose 基金支付 is compared with a ledger (fund_flows) line of the same fund."""


def check_benefits_against_ledger(ds: Dataset, facts: Facts) -> list[Finding]:
    """基金支付 of 住院合计 / 门诊合计 / 生育医疗待遇 (typed in, or summed from settlement detail by ``fundreport
    aggregate``) against the fund's 住院费用支出 / 门诊费用支出 / 生育医疗费用支出 of the same region and period;
    a difference over :data:`LEDGER_TOLERANCE` of the ledger (and over the rounding of both) is a finding
    with both figures (expected: the ledger)."""
    df = ds.utilisation
    if not len(df):
        return []
    flows = _flows(ds)
    lines = dict(LEDGER_LINES)
    out = []
    for r in df.itertuples():
        item = lines.get(r.service)
        if (
            item is None
            or r.group != "all"
            or pd.isna(r.fund_paid)
            or (key := (r.region, r.period, r.fund, item)) not in flows
        ):
            continue
        ledger, q = flows[key]
        if abs(r.fund_paid - ledger) > max(_tolerance([q, r.quantum]), LEDGER_TOLERANCE * abs(ledger)):
            out.append(
                Finding(
                    "warning",
                    "ledger",
                    f"{vocab.SERVICES.get_label(r.service)}基金支付与基金收支表{vocab.ITEMS.get_label(item)}相差超过"
                    f"{LEDGER_TOLERANCE:.0%}",
                    r.region,
                    r.period,
                    r.fund,
                    f"{r.service}.fund_paid",
                    ledger,
                    r.fund_paid,
                )
            )
    return out


def _enrolment(ds: Dataset) -> dict[tuple, tuple[float, float]]:
    """(region, period, fund, category, group) -> (persons, quantum)."""
    df = ds.enrolment
    cols = [df[c].tolist() for c in ("region", "period", "fund", "category", "group", "value", "quantum")]
    return {(r, p, f, c, g or "all"): (v, q) for r, p, f, c, g, v, q in zip(*cols, strict=True)}


def check_enrolment_sums(ds: Dataset, facts: Facts) -> list[Finding]:
    """在职 + 退休 and 成年人 + 学生儿童 + 大学生 against 参保人数."""
    out = []
    vals = _enrolment(ds)
    for (r, p, f, c, g), (total, q) in sorted(vals.items()):
        if c != "total":
            continue
        for part in ENROLMENT_PARTITIONS:
            values = [vals.get((r, p, f, x, g)) for x in part]
            if any(v is None for v in values):
                continue
            s = sum(v for v, _ in values)
            if abs(s - total) > _tolerance([q] + [vq for _, vq in values]):
                names = "、".join(vocab.ENROLMENT.get_label(x) for x in part)
                out.append(
                    Finding("warning", "sum", f"参保人数与{names}之和不符", r, p, f, "total", s, total, kind="count")
                )
    return out


def _subregion_sums(
    parents: dict[str, str], vals: dict[tuple, tuple[float, float]]
) -> list[tuple[tuple, float, float]]:
    """(parent key, sum of children, parent value) where two or more children disagree with the parent."""
    groups: dict[tuple, list[tuple[float, float]]] = defaultdict(list)
    for key, vq in vals.items():
        if key[0] in parents:
            groups[(parents[key[0]], *key[1:])].append(vq)
    out = []
    for key, parts in sorted(groups.items()):
        if key not in vals or len(parts) < 2:
            continue
        total, q = vals[key]
        s = sum(v for v, _ in parts)
        if abs(s - total) > _tolerance([q] + [pq for _, pq in parts]):
            out.append((key, s, total))
    return out


def check_subregions(ds: Dataset, facts: Facts) -> list[Finding]:
    """Sub-regions add up to their parent (statements and enrolment)."""
    parents = {c: p for c, p in zip(ds.regions["code"], ds.regions["parent"], strict=True) if isinstance(p, str) and p}
    out = []
    for (reg, per, fund, item), s, total in _subregion_sums(parents, _flows(ds)):
        label = vocab.ITEMS.get_label(item)
        out.append(
            Finding(
                "warning", "sum", f"各地区{label}之和与{ds.region_name(reg)}合计不符", reg, per, fund, item, s, total
            )
        )
    for (reg, per, fund, cat, _g), s, total in _subregion_sums(parents, _enrolment(ds)):
        label = vocab.ENROLMENT.get_label(cat)
        out.append(
            Finding(
                "warning",
                "sum",
                f"各地区{label}之和与{ds.region_name(reg)}合计不符",
                reg,
                per,
                fund,
                cat,
                s,
                total,
                kind="count",
            )
        )
    return out


def check_copies(ds: Dataset, facts: Facts) -> list[Finding]:
    """A fund's statement identical in a period and its comparison period (copy error)."""
    out = []
    flows = _flows(ds)
    by: dict[tuple, dict[str, float]] = defaultdict(dict)
    for (r, p, f, i), (v, _) in flows.items():
        by[(r, p, f)][i] = v
    for (r, p, f), items in sorted(by.items()):
        try:
            prev = Period.parse(p).comparison.code
        except ValueError:
            continue
        other = by.get((r, prev, f))
        if not other:
            continue
        common = [i for i in items if i in other and items[i] != 0]
        if len(common) >= 2 and all(items[i] == other[i] for i in common):
            names = "、".join(vocab.ITEMS.get_label(i) for i in common)
            # 报告值 / 计算值: the first identical item in the period and in its comparison period
            out.append(
                Finding(
                    "error",
                    "copy",
                    f"{p}与{prev}的{len(common)}个项目（{names}）数值完全相同，疑为复制错误",
                    r,
                    p,
                    f,
                    "、".join(common),
                    other[common[0]],
                    items[common[0]],
                )
            )
    return out


# -- stated figures -------------------------------------------------------------


def ds_label(table: str, column: str) -> str:
    """The Chinese header of a table column (for finding messages)."""
    return BY_CODE[table].column(column).label


ESTIMATED = "计算所用数据含推算数（来源为“推算”），推算数不用于核对报告所述数值"


def recompute(
    facts: Facts, region: str, period: str, fund: str, indicator: str, subject: str, group: str = "all"
) -> float | None:
    """The computed value of a stated figure, or None when the data cannot give it."""
    return recompute_with_precision(facts, region, period, fund, indicator, subject, group)[0]


def recompute_with_precision(
    facts: Facts, region: str, period: str, fund: str, indicator: str, subject: str, group: str = "all"
) -> tuple[float | None, float]:
    """(computed value, its uncertainty from the rounding of its inputs).

    The uncertainty is first-order: |y| × Σ (half quantum / |x|) over the
    inputs x of a ratio, and Σ half quanta for a difference.
    """
    with facts.tracking() as used:
        y = compute(indicator, Query(facts, region, period, fund, subject, group))
    if y is None:
        return None, 0.0
    if any(e for _, _, e in used):
        raise Uncheckable(ESTIMATED)
    half = [(abs(v), q / 2) for v, q, _ in used if v]
    error = INDICATORS[indicator].error  # compute() returned a value: the code is known
    if error == "absolute":
        return y, sum(h for _, h in half)
    rel = sum(h / v for v, h in half)
    # a rate r = cur / prev − 1 carries the relative error of cur / prev = 1 + r
    return y, (abs(1 + y) if error == "rate" else abs(y)) * rel


def _total_with_inter(facts: Facts, region: str, period: str, fund: str, subject: str) -> bool:
    """The source's 合计 income or expense of the period includes 上下级往来 (the report prints the parts
    without them), so a stated figure on it was computed on another basis."""
    if fund != "all_funds" or subject not in {"income_total", "expense_total"}:
        return False
    totals = fund_total(facts, region, period, given_io(facts, region, period))
    return totals[0 if subject == "income_total" else 1][1].includes_inter


def _why_not(facts: Facts, region: str, period: str, fund: str, indicator: str, subject: str, group: str) -> str:
    """Why a stated figure could not be recomputed (in words)."""
    label = vocab.INDICATORS.get_label(indicator)
    if indicator not in INDICATORS or INDICATORS[indicator].compute is None:
        return f"暂不核对“{label}”类数值"
    try:
        p = Period.parse(period)
    except ValueError:
        return "期间代码无法识别"
    head, _, measure = subject.partition(".")
    if indicator in {"yoy_rate", "yoy_change", "value"} and head in vocab.SERVICES and not measure:
        # a category alone (住院合计) does not say which of its figures changed: 人次, 费用, 次均…
        return (
            f"指标对象只写了待遇类别“{vocab.SERVICES.get_label(head)}”，未写明是人次、费用、基金支付、次均值"
            "还是报销比例，无法核对"
        )
    if indicator in {"yoy_rate", "yoy_change"}:
        cur = recompute(facts, region, period, fund, "value", subject, group)
        prev = recompute(facts, region, p.comparison.code, fund, "value", subject, group)
        if prev is None:
            return f"数据中没有比较期（{p.comparison.code}）的{subject_label(subject)}"
        if cur is None:
            return f"数据中没有本期的{subject_label(subject)}"
    if indicator == "budget_execution":
        head = subject.partition(".")[0]
        if facts.budget(region, str(p.year), fund, head) is None:
            return f"数据中没有{subject_label(subject)}的预算数"
    return f"数据中缺少计算{label}（{subject_label(subject)}）所需的原始数值"


def check_stated(ds: Dataset, facts: Facts) -> list[Finding]:
    """Each stated figure against its recomputation, at the precision it was written with."""
    return check_stated_with_coverage(ds, facts)[0]


def check_stated_with_coverage(
    ds: Dataset, facts: Facts, copies: list[Finding] | None = None
) -> tuple[list[Finding], Coverage]:
    """Findings of the stated figures, and how many were consistent, inconsistent or not checkable (and why).

    ``copies``: the copy findings; a stated 同比 whose comparison they make doubtful is not checkable (the
    report's body shows no such comparison either)."""
    out: list[Finding] = []
    unchecked: list[Unchecked] = []
    consistent: list[tuple[str, str]] = []
    df = ds.stated
    files = ds.files.get("stated", "")
    for rec in df.to_dict("records"):
        group = rec["group"] or "all"
        args = (facts, rec["region"], rec["period"], rec["fund"], rec["indicator"], rec["subject"], group)
        source = f"{files} 第{rec['source_row']}行"
        try:
            if rec["indicator"] in {"yoy_rate", "yoy_change"} and copies:
                comparison = Period.parse(rec["period"]).comparison.code
                copy = copied_comparison(copies, rec["region"], {rec["period"], comparison}, rec["fund"])
                if copy is not None:
                    raise Uncheckable(f"{copy.message}，报告正文不作比较，无法核对")
            computed, uncertainty = recompute_with_precision(*args)
            reason = "" if computed is not None else _why_not(*args)
        except BudgetDoubt as exc:  # the same rule as the report's budget section, which prints no rate for it
            computed, uncertainty, reason = None, 0.0, f"{exc}，执行率无法核对"
        except Uncheckable as exc:
            computed, uncertainty, reason = None, 0.0, str(exc)
        except ValueError:
            computed, uncertainty, reason = None, 0.0, "期间或指标无法识别"
        if computed is None:
            unchecked.append(
                Unchecked(
                    rec["region"],
                    rec["period"],
                    rec["fund"],
                    rec["indicator"],
                    rec["subject"],
                    rec["value"],
                    reason,
                    source,
                )
            )
            continue
        stated = rec["value"]
        quantum = rec["quantum"]
        # half a unit of the last written digit, plus float noise
        if abs(computed - stated) <= 0.5 * quantum + uncertainty + 1e-9 * max(1.0, abs(stated)):
            consistent.append((rec["region"], rec["period"]))
            continue
        label = vocab.INDICATORS.get_label(rec["indicator"])
        where = f"{rec.get('location') or ''}".strip()
        # off by about one unit of the last written digit: the source likely computed from rounded figures
        last_digit = abs(computed - stated) <= 1.5 * quantum + uncertainty
        note = "，相差在末位，可能是原报告用取整后的数值计算" if last_digit else ""
        if not last_digit and _total_with_inter(facts, rec["region"], rec["period"], rec["fund"], rec["subject"]):
            note = "，原报告的合计含上下级往来，本报告按不含往来的各险种之和计算"
        out.append(
            Finding(
                "info" if last_digit else "warning",
                "stated",
                f"报告所述{subject_label(rec['subject'])}{label}与按原始数据计算的结果不符"
                + (f"（{where}）" if where else "")
                + note,
                rec["region"],
                rec["period"],
                rec["fund"],
                rec["subject"],
                computed,
                stated,
                source,
                kind=kind_of(rec["subject"], rec["indicator"]),
            )
        )
    coverage = Coverage(len(df), len(consistent), len(out), tuple(unchecked), tuple(consistent))
    return out, coverage
