"""Section builders for people and services: 参保, 门诊, 住院, 大病, 生育, 医疗救助.

Same contract as :mod:`fundreport.sections_funds`: a Context in, a Section
(or None when the data has nothing for it) out.
"""

from __future__ import annotations

from . import indicators as ind
from . import narrative as nv
from . import vocab
from .context import FUND_SHORT, Context
from .model import Chart, Column, KeyFigure, Paragraph, Section, Table
from .sections_funds import has_prev

# -- enrolment ----------------------------------------------------------------------


def enrolment(ctx: Context) -> Section | None:
    """参保: persons per fund with the change; 在职退休比 and 退休占比; category shares.

    在职退休比 = active / retired; 退休占比 = retired / total; shares of a
    category = category / total of the same fund; changes of shares in 百分点.
    """
    f, r, cur = ctx.facts, ctx.region, ctx.cur
    prev = ctx.prev if has_prev(ctx, "enrolment") else None
    rows, paras, key, shares = [], [], [], []
    lead = f"{ctx.period.end_label}，{ctx.scope}"
    for fund in ctx.funds_with("enrolment"):
        n, pn = f.enrolment(r, cur, fund), (f.enrolment(r, prev, fund) if prev else None)
        if n is None:
            continue
        rows.append(
            (FUND_SHORT.get(fund, vocab.FUNDS.get_label(fund)), n, pn, ind.change(n, pn), ind.growth_rate(n, pn))
        )
        if fund == "all_funds":
            continue
        clause = nv.clause_value_with_comparison(
            f"{vocab.FUNDS.get_label(fund)}参保",
            n,
            pn,
            kind="count",
            compare="both",
            comparator=ctx.comparator,
            omit_missing=prev is None,
        )
        paras.append(Paragraph(nv.join_clauses([lead + clause])))
        if fund in {"employee", "resident"}:
            key.append(KeyFigure(f"{FUND_SHORT[fund]}参保人数", nv.fmt_count(n), _sub(ctx, n, pn)))
        active, retired = f.enrolment(r, cur, fund, "active"), f.enrolment(r, cur, fund, "retired")
        if active is not None and retired is not None:
            share = ind.retired_share(retired, n)
            pshare = ind.retired_share(f.enrolment(r, prev, fund, "retired"), pn) if prev else None
            text = (
                f"其中在职职工{nv.fmt_count(active)}、退休人员{nv.fmt_count(retired)}，"
                f"在职退休比为{nv.fmt_ratio_to_one(ind.active_retired_ratio(active, retired))}，"
                + nv.clause_value_with_comparison(
                    "退休人员占比", share, pshare, kind="ratio", comparator=ctx.comparator, omit_missing=pshare is None
                )
            )
            paras.append(Paragraph(nv.join_clauses([text])))
        for t in vocab.ENROLMENT:
            if t.code in {"total", "contributors_net_change"}:
                continue
            v = f.enrolment(r, cur, fund, t.code)
            if v is not None and t.code not in {"population_registered", "population_resident", "ineligible"}:
                shares.append((FUND_SHORT.get(fund, fund), t.label, v, ind.share(v, n)))
    if not rows:
        return None
    compare = prev is not None
    cols = [Column("fund", "险种"), Column("n", ctx.label() if compare else "参保人数", "count")]
    if compare:
        cols += [
            Column("prev", nv.period_label(prev), "count"),
            Column("change", "增减人数", "change_count"),
            Column("rate", "增减率", "rate"),
        ]
        rows = [r_ for r_ in rows]
    else:
        rows = [r_[:2] for r_ in rows]
    totals = frozenset(i for i, r_ in enumerate(rows) if r_[0] == FUND_SHORT["all_funds"])
    blocks: list = [*paras, Table("t-enrolment", "参保人数", tuple(cols), tuple(rows), totals, "单位：人")]
    if shares:
        scols = (
            Column("fund", "险种"),
            Column("cat", "类别"),
            Column("n", "人数", "count"),
            Column("share", "占参保人数", "percent"),
        )
        blocks.append(Table("t-enrolment-structure", "参保人员结构", scols, tuple(shares), note="单位：人"))
        data = tuple({"x": f"{a}{b}", "y": s} for a, b, _, s in shares if s is not None)
        if data:
            blocks.append(
                Chart("c-enrolment-structure", "shares", "参保人员结构（占参保人数）", data, "x", "y", ylabel="%")
            )
    return Section("enrolment", "", tuple(blocks), key_figures=tuple(key))


def _sub(ctx: Context, cur, prev) -> str:
    return "" if prev is None else nv.change_phrase(cur, prev, style="比", comparator=ctx.comparator)


# -- services (outpatient, inpatient, ...) -------------------------------------------


def _services(ctx: Context, fund: str, codes: list[str], prev: str | None) -> list[dict]:
    f, r = ctx.facts, ctx.region
    out = []
    for code in codes:
        m = {
            k: f.use(r, ctx.cur, fund, code, k)
            for k in ("visits", "persons", "total_cost", "inscope_cost", "fund_paid")
        }
        if all(v is None for v in m.values()):
            continue
        p = {k: f.use(r, prev, fund, code, k) for k in m} if prev else dict.fromkeys(m)
        out.append({"code": code, "cur": m, "prev": p})
    return out


def _service_sentence(ctx: Context, fund: str, s: dict, prev: str | None) -> str:
    """就诊人次, 基金支付 and 次均基金支付 of one service, each with its comparison."""
    c, p = s["cur"], s["prev"]
    kw = dict(comparator=ctx.comparator, omit_missing=prev is None)
    short, service = FUND_SHORT.get(fund, fund), vocab.SERVICES.get_label(s["code"])
    name = service if service.startswith(short) else f"{short}{service}"
    clauses = []
    if c["persons"] is not None:
        clauses.append(nv.clause_value_with_comparison("享受待遇", c["persons"], p["persons"], kind="count", **kw))
    if c["visits"] is not None:
        clauses.append(nv.clause_value_with_comparison("", c["visits"], p["visits"], kind="visits", **kw))
    if c["total_cost"] is not None:
        clauses.append(
            nv.clause_value_with_comparison("医疗总费用", c["total_cost"], p["total_cost"], unit=ctx.unit, **kw)
        )
    if c["fund_paid"] is not None:
        clauses.append(nv.clause_value_with_comparison("基金支付", c["fund_paid"], p["fund_paid"], unit=ctx.unit, **kw))
    per = ind.per_visit(c["fund_paid"], c["visits"])
    if per is not None:
        pper = ind.per_visit(p["fund_paid"], p["visits"])
        clauses.append(nv.clause_value_with_comparison("次均基金支付", per, pper, unit="元/人次", **kw))
    inscope = ind.reimbursement_inscope(c["fund_paid"], c["inscope_cost"])
    if inscope is not None:
        pin = ind.reimbursement_inscope(p["fund_paid"], p["inscope_cost"])
        clauses.append(nv.clause_value_with_comparison("政策范围内报销比例", inscope, pin, kind="ratio", **kw))
    actual = ind.reimbursement_actual(c["fund_paid"], c["total_cost"])
    if actual is not None:
        pact = ind.reimbursement_actual(p["fund_paid"], p["total_cost"])
        clauses.append(nv.clause_value_with_comparison("实际报销比例", actual, pact, kind="ratio", **kw))
    if clauses and c["visits"] is not None:
        clauses[0 if c["persons"] is None else 1] = "就诊" + clauses[0 if c["persons"] is None else 1]
    return nv.join_clauses([f"{ctx.label()}，{name}" + (clauses[0] if clauses else "无数据"), *clauses[1:]], sep="；")


def _service_table(
    ctx: Context, tid: str, title: str, fund: str, items: list[dict], total_code: str | None, prev
) -> Table:
    """人次, 基金支付, 次均, 报销比例 and shares of the total, with the comparison rates."""
    tot = next((s["cur"] for s in items if s["code"] == total_code), None)
    rows, totals = [], set()
    for i, s in enumerate(items):
        c, p = s["cur"], s["prev"]
        per, pper = ind.per_visit(c["fund_paid"], c["visits"]), ind.per_visit(p["fund_paid"], p["visits"])
        cost_per = ind.per_visit(c["total_cost"], c["visits"])
        rows.append(
            (
                vocab.SERVICES.get_label(s["code"]),
                c["visits"],
                ind.growth_rate(c["visits"], p["visits"]),
                c["total_cost"],
                c["fund_paid"],
                ind.growth_rate(c["fund_paid"], p["fund_paid"]),
                ind.share(c["fund_paid"], tot["fund_paid"]) if tot and s["code"] != total_code else None,
                cost_per,
                per,
                ind.growth_rate(per, pper),
                ind.reimbursement_inscope(c["fund_paid"], c["inscope_cost"]),
                ind.reimbursement_actual(c["fund_paid"], c["total_cost"]),
            )
        )
        if s["code"] == total_code:
            totals.add(i)
    cols = (
        Column("service", "类别"),
        Column("visits", "人次", "visits"),
        Column("visits_rate", "人次增减率", "rate"),
        Column("total_cost", "医疗总费用", "money"),
        Column("fund_paid", "基金支付", "money"),
        Column("paid_rate", "基金支付增减率", "rate"),
        Column("share", "基金支付占比", "percent"),
        Column("cost_per", "次均费用（元）", "per"),
        Column("per", "次均基金支付（元）", "per"),
        Column("per_rate", "次均支付增减率", "rate"),
        Column("inscope", "政策范围内报销比例", "percent"),
        Column("actual", "实际报销比例", "percent"),
    )
    keep = [j for j in range(len(cols)) if j == 0 or any(r[j] is not None for r in rows)]
    return Table(
        tid,
        title,
        tuple(cols[j] for j in keep),
        tuple(tuple(r[j] for j in keep) for r in rows),
        frozenset(totals),
        f"金额单位：{ctx.unit}；增减率对比{ctx.comparator}",
    )


def _service_section(ctx: Context, code: str, roots: list[str], funds: list[str] | None = None) -> Section | None:
    prev = ctx.prev if has_prev(ctx, "utilisation") else None
    blocks: list = []
    codes = []
    for root in roots:
        codes += [root] + [t.code for t in vocab.SERVICES.children(root)]
    for fund in funds or ctx.funds_with("utilisation"):
        items = _services(ctx, fund, codes, prev)
        if not items:
            continue
        blocks += [Paragraph(_service_sentence(ctx, fund, s, prev)) for s in items]
        name = FUND_SHORT.get(fund, vocab.FUNDS.get_label(fund))
        title = f"{name}{vocab.SERVICES.get_label(roots[0]).replace('合计', '')}待遇情况"
        blocks.append(_service_table(ctx, f"t-{code}-{fund}", title, fund, items, roots[0], prev))
        total = next((s for s in items if s["code"] == roots[0]), None)
        parts = [s for s in items if s["code"] != roots[0] and s["cur"]["fund_paid"] is not None]
        if total and parts and total["cur"]["fund_paid"]:
            data = tuple(
                {
                    "x": vocab.SERVICES.get_label(s["code"]),
                    "y": ind.share(s["cur"]["fund_paid"], total["cur"]["fund_paid"]),
                }
                for s in parts
            )
            blocks.append(Chart(f"c-{code}-{fund}", "shares", f"{title}：基金支付构成", data, "x", "y", ylabel="%"))
    return Section(code, "", tuple(blocks)) if blocks else None


def outpatient(ctx: Context) -> Section | None:
    """门诊: categories (门诊统筹, 慢特病, 单独支付药品, 个账, 两病…) with per-visit fund paid and shares."""
    return _service_section(ctx, "outpatient", ["outpatient_total", "outpatient_ordinary"], ["employee", "resident"])


def inpatient(ctx: Context) -> Section | None:
    """住院: by hospital level, per-visit cost and fund paid, 政策范围内 and 实际 reimbursement."""
    return _service_section(ctx, "inpatient", ["inpatient_total"], ["employee", "resident"])


def critical_illness(ctx: Context) -> Section | None:
    """大病保险 / 大额补助 benefits."""
    return _service_section(ctx, "critical_illness", ["critical_illness"], ["employee_major", "resident_critical"])


def maternity(ctx: Context) -> Section | None:
    """生育保险: enrolment (female), 生育医疗 and 生育津贴 benefits."""
    sec = _service_section(ctx, "maternity", ["maternity_total"], ["maternity", "employee"])
    female = ctx.facts.enrolment(ctx.region, ctx.cur, "maternity", "female")
    total = ctx.facts.enrolment(ctx.region, ctx.cur, "maternity")
    extra = []
    if total is not None:
        text = f"{ctx.period.end_label}，生育保险参保{nv.fmt_count(total)}"
        if female is not None:
            text += f"，其中女性{nv.fmt_count(female)}，占{nv.fmt_percent(ind.share(female, total))}"
        extra.append(Paragraph(text + "。"))
    if sec is None and not extra:
        return None
    return Section("maternity", "", tuple(extra) + (sec.blocks if sec else ()))


def assistance(ctx: Context) -> Section | None:
    """医疗救助: fund income and expense, assisted persons and amounts."""
    sec = _service_section(ctx, "assistance", ["assistance_total", "assistance_enrolment"], ["medical_assistance"])
    f, r, u = ctx.facts, ctx.region, ctx.unit
    inc, exp = f.income(r, ctx.cur, "medical_assistance"), f.expense(r, ctx.cur, "medical_assistance")
    extra = []
    if inc is not None or exp is not None:
        lines = f.lines(r, ctx.cur, "medical_assistance", "income_total")
        text = f"{ctx.label()}，医疗救助基金收入{nv.fmt_money(inc, u)}"
        if lines:
            text += (
                f"（{nv.enumerate_cn(f'{vocab.ITEMS.get_label(k)}{nv.fmt_money(v, u)}' for k, v in lines.items())}）"
            )
        if exp is not None:
            text += f"，支出{nv.fmt_money(exp, u)}"
        extra.append(Paragraph(text + "。"))
    for cat in ("subsidised", "low_income", "poverty_alleviated"):
        n = f.enrolment(r, ctx.cur, "medical_assistance", cat)
        if n is not None:
            extra.append(Paragraph(f"{ctx.period.end_label}，{vocab.ENROLMENT.get_label(cat)}{nv.fmt_count(n)}。"))
    if sec is None and not extra:
        return None
    return Section("assistance", "", tuple(extra) + (sec.blocks if sec else ()))
