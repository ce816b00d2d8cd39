"""Section builders for people and services: 参保, 门诊, 住院, 大病, 生育, 医疗救助.

Same contract as :mod:`fundreport.report.sections_funds`: a Context in, a Section
(or None when the data has nothing for it) out.
"""

from __future__ import annotations

from fundreport.data import vocab
from fundreport.figures.values import Compared, ServiceLine
from fundreport.report import privacy
from fundreport.report.context import Context
from fundreport.report.model import SHARE_TOLERANCE, Chart, Column, KeyFigure, Paragraph, Section, Table
from fundreport.text import narrative as nv
from fundreport.text.labels import DISTINCT_PERSONS, FUND_SHORT, PARTIAL_TOTAL, VISIT_VERB_CODES, VISIT_VERBS

# -- enrolment ----------------------------------------------------------------------


def policy(ctx: Context) -> Section | None:
    """缴费政策: 缴费基数 (平均, 最高, 最低), 单位/个人缴费率, 居民个人缴费与财政补助标准, each with the
    comparison period's figure and its change (amounts: 增减额 and 增减率; rates: 百分点)."""
    lines = ctx.measures.policy()
    if not lines:
        return None
    cmp_ = ctx.comparator
    money_rows, rate_rows, paras = [], [], []
    for fund in dict.fromkeys(ln.fund for ln in lines):
        clauses = []
        for ln in (x for x in lines if x.fund == fund):
            name, v = vocab.POLICY.get_label(ln.item), ln.value
            text = f"{name}为{nv.fmt_standard(v.cur, ln.unit, rate=ln.is_rate)}"
            if v.prev is not None and v.cur is not None:
                was = f"（{cmp_}{nv.fmt_standard(v.prev, ln.unit, rate=ln.is_rate)}）"
                if ln.is_rate:
                    moved = nv.ratio_change_phrase(v.cur, v.prev, comparator=cmp_)
                    text += was + (f"，与{cmp_}持平" if moved == "持平" else f"，比{cmp_}{moved}")
                else:
                    text += was + "，" + nv.standard_change_phrase(v.cur, v.prev, ln.unit, comparator=cmp_)
            clauses.append(text)
            name_fund = FUND_SHORT.get(fund, vocab.FUNDS.get_label(fund))
            if ln.is_rate:
                rate_rows.append((fund, (name_fund, name, v.cur, v.prev, v.change)))
            else:
                money_rows.append((fund, (name_fund, f"{name}（{ln.unit}）", v.cur, v.prev, v.change, v.rate)))
        lead = f"{ctx.label()}，{ctx.scope}{vocab.FUNDS.get_label(fund)}"
        paras.append(Paragraph(nv.join_clauses([lead + clauses[0], *clauses[1:]], sep="；")))
    blocks: list = list(paras)
    if money_rows:
        cols = (
            Column("fund", "险种"),
            Column("item", "项目"),
            Column("cur", "本期", "per"),
            Column("prev", cmp_, "per"),
            Column("change", "增减额", "change_per"),
            Column("rate", "增减率", "rate"),
        )
        rows = tuple(r for _, r in money_rows)
        notes = []
        if any(ln.unit == "元/人/月" for ln in lines):
            notes.append("缴费基数为月缴费基数")
        if any(ln.unit == "元/人/年" for ln in lines):
            notes.append("个人缴费和财政补助为年度人均标准，年度标准适用于年内各期")
        funds = tuple(f for f, _ in money_rows)
        table = Table("t-policy", "缴费基数及筹资标准", cols, rows, note="；".join(notes), row_funds=funds)
        blocks.append(table.without_empty_columns())
    if rate_rows:
        cols = (
            Column("fund", "险种"),
            Column("item", "项目"),
            Column("cur", "本期", "percent"),
            Column("prev", cmp_, "percent"),
            Column("change", "增减（百分点）", "points"),
        )
        rows = tuple(r for _, r in rate_rows)
        funds = tuple(f for f, _ in rate_rows)
        table = Table("t-policy-rates", "缴费率", cols, rows, note="缴费率为占缴费基数的比例", row_funds=funds)
        blocks.append(table.without_empty_columns())
    return Section("policy", "", tuple(blocks))


def enrolment(ctx: Context) -> Section | None:
    """参保: persons per fund with the change; 在职退休比 and 退休占比; category shares.

    在职退休比 = active / retired; 退休占比 = retired / total; shares of a
    category = category / total of the same fund; changes of shares in 百分点.
    """
    prev = ctx.measures.prev_for("enrolment")
    rows, paras, key, shares = [], [], [], []
    lead = f"{ctx.period.end_label}，{ctx.scope}"
    lines = ctx.measures.enrolment()
    for line in lines:
        fund, t = line.fund, line.total
        n, pn = t.cur, t.prev
        rows.append((FUND_SHORT.get(fund, vocab.FUNDS.get_label(fund)), n, pn, t.change, t.rate))
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
            key.append(
                KeyFigure(
                    f"{FUND_SHORT[fund]}参保人数", nv.fmt_count(n, sep=True), _sub(ctx, n, pn), amount=n, unit="人"
                )
            )
        active, retired = line.active, line.retired
        if active is not None and retired is not None:
            share = line.retired_share
            text = (
                f"其中在职职工{nv.fmt_count(active)}、退休人员{nv.fmt_count(retired)}，"
                f"在职退休比为{nv.fmt_ratio_to_one(line.active_retired_ratio)}"
                + (f"（{ctx.comparator}{nv.fmt_ratio_to_one(line.ratio.prev)}）" if line.ratio.prev is not None else "")
                + "，"
                + nv.clause_value_with_comparison(
                    "退休人员占比",
                    share.cur,
                    share.prev,
                    kind="ratio",
                    comparator=ctx.comparator,
                    omit_missing=share.prev is None,
                )
            )
            paras.append(Paragraph(nv.join_clauses([text])))
        for c in ctx.measures.category_shares(fund):
            label = vocab.ENROLMENT.get_label(c.category)
            shares.append((FUND_SHORT.get(fund, fund), label if c.partition else f"其中：{label}", c.persons, c.share))
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
    blocks: list = [
        *paras,
        Table("t-enrolment", "参保人数", tuple(cols), tuple(rows), totals, "单位：人", tuple(e.fund for e in lines)),
    ]
    if shares:
        scols = (
            Column("fund", "险种"),
            Column("cat", "类别"),
            Column("n", "人数", "count"),
            Column("share", "占参保人数", "percent", share_of="fund"),
        )
        blocks.append(Table("t-enrolment-structure", "参保人员结构", scols, tuple(shares), note="单位：人"))
        chart = _enrolment_chart(ctx, [e.fund for e in lines])
        if chart is not None:
            blocks.append(chart)
    blocks += _per_insured_blocks(ctx)
    blocks += _enrolment_group_blocks(ctx)
    blocks += _subregion_enrolment_blocks(ctx)
    return Section("enrolment", "", tuple(blocks), key_figures=tuple(key))


def _enrolment_chart(ctx: Context, funds: list[str]) -> Chart | None:
    """参保人员构成: one 100 % bar per fund, split into the categories that partition its 参保人数
    (在职/退休; 成年人/中小学生儿童/大学生). Overlapping categories (女性, 60岁以上, 缴费人数) are
    shares of another kind and stay in the table; a fund whose parts exceed its total is not drawn."""
    partition = {t.code for t in vocab.ENROLMENT if t.parent == "total"}
    data = []
    for fund in dict.fromkeys(funds):
        parts = [c for c in ctx.measures.category_shares(fund) if c.category in partition and c.share is not None]
        if len(parts) < 2 or sum(c.share for c in parts) > 1 + SHARE_TOLERANCE:
            continue
        bar = FUND_SHORT.get(fund, fund)
        data += [{"x": bar, "series": vocab.ENROLMENT.get_label(c.category), "y": c.share} for c in parts]
        rest = 1 - sum(c.share for c in parts)
        if rest > SHARE_TOLERANCE:
            data.append({"x": bar, "series": "未分项", "y": rest})
    if not data:
        return None
    return Chart(
        "c-enrolment-structure", "composition", "参保人员构成（占本险种参保人数）", tuple(data), "x", "y", "series"
    )


def _enrolment_group_blocks(ctx: Context) -> list:
    """参保人员按单位类型 (机关/事业/企业, …): persons, share of the fund and 女性 per group."""
    lines = ctx.measures.enrolment_groups()
    if not lines:
        return []
    rows = tuple(
        (FUND_SHORT.get(f, vocab.FUNDS.get_label(f)), vocab.GROUPS.get_label(g), n, share, female)
        for f, g, n, share, female in lines
    )
    cols = (
        Column("fund", "险种"),
        Column("group", "类别"),
        Column("n", "参保人数", "count"),
        Column("share", "占该险种参保人数", "percent", share_of="fund"),
        Column("female", "其中女性", "count"),
    )
    clauses = []
    for fund in dict.fromkeys(f for f, *_ in lines):
        parts = [
            f"{vocab.GROUPS.get_label(g)}{nv.fmt_count(n)}" + (f"（占{nv.fmt_percent(sh)}）" if sh is not None else "")
            for f, g, n, sh, _ in lines
            if f == fund
        ]
        clauses.append(f"{FUND_SHORT.get(fund, vocab.FUNDS.get_label(fund))}参保人员中，{nv.enumerate_cn(parts)}")
    table = Table(
        "t-enrolment-groups",
        "参保人员分类别情况",
        cols,
        rows,
        note="单位：人",
        row_funds=tuple(f for f, *_ in lines),
    )
    return [Paragraph(nv.join_clauses(clauses, sep="；")), table.without_empty_columns()]


def _subregion_enrolment_blocks(ctx: Context) -> list:
    """各地区参保人数: persons per sub-region and fund with the share of the whole region, and a sentence."""
    lines = ctx.measures.subregion_enrolment()
    if not lines:
        return []
    funds = [f for f, _, _ in lines[0][1]]
    names = {c: ctx.dataset.region_name(c) for c, _ in lines}
    cols = [Column("area", "地区")]
    for f in funds:
        cols += [
            Column(f"{f}_n", f"{FUND_SHORT[f]}参保人数", "count"),
            Column(f"{f}_share", "占比", "percent", share_of="total"),
        ]
    rows = []
    for child, cells in lines:
        row: list = [names[child]]
        for _, n, share in cells:
            row += [n, share]
        rows.append(tuple(row))
    clauses = []
    for i, f in enumerate(funds):
        parts = [
            f"{names[c]}{nv.fmt_count(cells[i][1])}（{nv.fmt_percent(cells[i][2])}）"
            for c, cells in lines
            if cells[i][1] is not None and cells[i][2] is not None
        ]
        if parts:
            clauses.append(f"{FUND_SHORT[f]}参保人员中，{nv.enumerate_cn(parts)}")
    blocks: list = []
    if clauses:
        blocks.append(Paragraph(nv.join_clauses([f"分地区看，{clauses[0]}", *clauses[1:]], sep="；")))
    note = f"单位：人；占比 = 该地区参保人数 ÷ {ctx.region_name}参保人数"
    table = Table("t-sub-enrolment", "各地区参保人数", tuple(cols), tuple(rows), note=note)
    blocks.append(table.without_empty_columns())
    return blocks


def _per_insured_blocks(ctx: Context) -> list:
    """人均指标: 人均基金收入/支出 (元) and 住院率 per fund, with the comparison, a table and a sentence;
    also the 在职退休比 of the comparison period when the data has it."""
    lines = ctx.measures.per_insured()
    if not lines:
        return []
    cmp_ = ctx.comparator
    rows, paras = [], []
    for ln in lines:
        rows.append(
            (
                FUND_SHORT[ln.fund],
                ln.income_per.cur,
                ln.expense_per.cur,
                ln.expense_per.shown_prev,
                ln.expense_per.rate,
                ln.inpatient_rate.cur,
                ln.inpatient_rate.prev,
            )
        )
        clauses = []
        if ln.expense_per.cur is not None:
            clauses.append(
                nv.clause_value_with_comparison(
                    "人均基金支出",
                    ln.expense_per.cur,
                    ln.expense_per.shown_prev,
                    kind="money",
                    unit="元",
                    comparator=cmp_,
                    omit_missing=True,
                )
            )
        if ln.inpatient_rate.cur is not None:
            text = f"住院率{nv.fmt_percent(ln.inpatient_rate.cur)}"
            if ln.inpatient_rate.prev is not None:
                text += f"，比{cmp_}" + nv.ratio_change_phrase(
                    ln.inpatient_rate.cur, ln.inpatient_rate.prev, comparator=cmp_
                )
            clauses.append(text)
        if clauses:
            lead = f"按期末参保人数计算，{ctx.label()}{FUND_SHORT[ln.fund]}"
            paras.append(Paragraph(nv.join_clauses([lead + clauses[0], *clauses[1:]], sep="；")))
    cols = (
        Column("fund", "险种"),
        Column("income_per", "人均基金收入（元）", "per"),
        Column("expense_per", "人均基金支出（元）", "per"),
        Column("expense_per_prev", f"人均基金支出（{cmp_}）", "per"),
        Column("expense_per_rate", "增减率", "rate"),
        Column("inpatient_rate", "住院率", "percent"),
        Column("inpatient_rate_prev", f"住院率（{cmp_}）", "percent"),
    )
    note = "人均基金收入/支出 = 本期基金收入/支出 ÷ 期末参保人数（元/人，未年化）；住院率 = 本期住院人次 ÷ 期末参保人数"
    table = Table("t-per-insured", "人均指标", cols, tuple(rows), note=note, row_funds=tuple(ln.fund for ln in lines))
    return [*paras, table.without_empty_columns()]


def _sub(ctx: Context, cur, prev) -> str:
    return "" if prev is None else nv.change_phrase(cur, prev, style="比", comparator=ctx.comparator)


# -- services (outpatient, inpatient, ...) -------------------------------------------


def _service_sentence(ctx: Context, fund: str, s: ServiceLine, prev: str | None) -> str:
    """就诊人次, 基金支付 and 次均基金支付 of one service, each with its comparison."""
    kw = dict(comparator=ctx.comparator, omit_missing=prev is None)
    short, service = FUND_SHORT.get(fund, fund), vocab.SERVICES.get_label(s.code).replace("合计", "")
    name = nv.compose(short, service)
    clauses = []
    if s.persons.cur is not None:
        clauses.append(nv.clause_value_with_comparison("享受待遇", s.persons.cur, s.persons.prev, kind="count", **kw))
    if s.visits.cur is not None:
        clauses.append(nv.clause_value_with_comparison("", s.visits.cur, s.visits.prev, kind="visits", **kw))
    if s.total_cost.cur is not None:
        clauses.append(
            nv.clause_value_with_comparison("医疗总费用", s.total_cost.cur, s.total_cost.prev, unit=ctx.unit, **kw)
        )
    if s.fund_paid.cur is not None:
        clauses.append(
            nv.clause_value_with_comparison("基金支付", s.fund_paid.cur, s.fund_paid.prev, unit=ctx.unit, **kw)
        )
    for label, value, extra in (
        ("次均费用", s.cost_per, {"unit": "元/人次"}),
        ("次均基金支付", s.per_visit, {"unit": "元/人次"}),
        ("政策范围内报销比例", s.inscope_ratio, {"kind": "ratio"}),
        ("实际报销比例", s.actual_ratio, {"kind": "ratio"}),
        ("平均住院日", s.average_stay, {"kind": "days"}),
    ):
        if value.cur is not None:
            clauses.append(nv.clause_value_with_comparison(label, value.cur, value.prev, **extra, **kw))
    if clauses and s.visits.cur is not None:
        i = 0 if s.persons.cur is None else 1
        kind = vocab.SERVICES.term(s.code).kind
        verb = VISIT_VERB_CODES.get(s.code, VISIT_VERBS.get(kind, "就诊"))
        if verb and verb in name:  # 个人账户刷卡 already says it
            verb = ""
        clauses[i] = verb + clauses[i]
    return nv.join_clauses([f"{ctx.label()}，{name}" + (clauses[0] if clauses else "无数据"), *clauses[1:]], sep="；")


def _service_table(ctx: Context, tid: str, title: str, items: tuple[ServiceLine, ...], total_code: str | None) -> Table:
    """人次, 基金支付, 次均, 报销比例 and shares of the total, with the comparison rates."""
    rows, totals = [], set()
    for i, s in enumerate(items):
        per = s.per_visit
        rows.append(
            (
                vocab.SERVICES.get_label(s.code),
                s.visits.cur,
                s.visits.rate,
                s.total_cost.cur,
                s.fund_paid.cur,
                s.fund_paid.rate,
                s.share,
                s.cost_per.cur,
                s.cost_per.rate,
                per.cur,
                per.rate,
                s.inscope_ratio.cur,
                s.inscope_ratio.change,
                s.actual_ratio.cur,
                s.actual_ratio.change,
                s.average_stay.cur,
                s.average_stay.rate,
            )
        )
        if s.code == total_code:
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
        Column("cost_per_rate", "次均费用增减率", "rate"),
        Column("per", "次均基金支付（元）", "per"),
        Column("per_rate", "次均支付增减率", "rate"),
        Column("inscope", "政策范围内报销比例", "percent"),
        Column("inscope_pp", "政策范围内报销比例增减（百分点）", "points"),
        Column("actual", "实际报销比例", "percent"),
        Column("actual_pp", "实际报销比例增减（百分点）", "points"),
        Column("stay", "平均住院日（天）", "per"),
        Column("stay_rate", "平均住院日增减率", "rate"),
    )
    keep = [j for j in range(len(cols)) if j == 0 or any(r[j] is not None for r in rows)]
    return Table(
        tid,
        title,
        tuple(cols[j] for j in keep),
        tuple(tuple(r[j] for j in keep) for r in rows),
        frozenset(totals),
        f"金额单位：{ctx.unit}"
        + (f"；增减率对比{ctx.comparator}" if any(cols[j].fmt == "rate" for j in keep) else "")
        + _partial_total_note(items, total_code),
        tuple(s.fund for s in items),
    )


def _partial_total_note(items: tuple[ServiceLine, ...], total_code: str | None) -> str:
    """The note of a table that lists a total with some of its categories when the categories need not make
    it up (门诊合计: ``Term.partition`` False), so no reader takes the difference for an error."""
    if total_code is None or vocab.SERVICES.term(total_code).partition:
        return ""
    codes = {s.code for s in items}
    if total_code not in codes or not codes & {t.code for t in vocab.SERVICES.children(total_code)}:
        return ""
    return "；" + PARTIAL_TOTAL.format(total=vocab.SERVICES.get_label(total_code))


def _service_section(ctx: Context, code: str, roots: list[str], funds: list[str] | None = None) -> Section | None:
    prev = ctx.measures.prev_for("utilisation")
    blocks: list = []
    codes = []
    for root in roots:
        codes += [root] + [t.code for t in vocab.SERVICES.children(root)]
    for fund in funds or ctx.funds_with("utilisation"):
        items = ctx.measures.services(fund, codes, roots[0])
        if not items:
            continue
        blocks += [Paragraph(_service_sentence(ctx, fund, s, prev)) for s in items]
        if all(s.inscope_cost.cur is None for s in items) and ctx.measures.stated_only(fund, "reimbursement_inscope"):
            blocks.append(
                Paragraph(
                    f"数据未提供{FUND_SHORT.get(fund, fund)}的政策范围内费用，无法计算政策范围内报销比例；"
                    "原报告所述的政策范围内报销比例列于附录“无法核对的报告数值”。"
                )
            )
        name = FUND_SHORT.get(fund, vocab.FUNDS.get_label(fund))
        title = nv.compose(name, vocab.SERVICES.get_label(roots[0]).replace("合计", ""), "待遇情况")
        blocks.append(_service_table(ctx, f"t-{code}-{fund}", title, items, roots[0]))
        blocks += _group_blocks(ctx, code, fund, codes, name)
        blocks += _group_blocks(ctx, code, fund, codes, name, places=True)
        if total_line := next((s for s in items if s.code == roots[0]), None):
            blocks += _cost_blocks(ctx, code, fund, total_line, name)
        if code in ("inpatient", "outpatient"):  # parts that are separate visits of one total
            blocks += _growth_blocks(ctx, items, roots[0], name)
            blocks += _structure_blocks(ctx, code, fund, items, roots[0], name)
            blocks += _institution_blocks(ctx, code, fund, roots[0], name)
        total = next((s for s in items if s.code == roots[0]), None)
        parts = [s for s in items if s.code != roots[0] and s.fund_paid.cur is not None]
        if total and len(parts) >= 2 and total.fund_paid.cur:
            chart = _paid_composition(ctx, f"c-{code}-{fund}", f"{title}：基金支付构成", total, parts)
            if chart is not None:
                blocks.append(chart)
    return Section(code, "", tuple(blocks)) if blocks else None


def _paid_composition(ctx: Context, cid: str, title: str, total, parts) -> Chart | None:
    """基金支付构成: each part's fund paid as a share of the total's fund paid, one 100 % bar for the
    report period and one for the comparison period when every part has it. Parts adding up to more
    than the total are not one partition and are not drawn; a shortfall is shown as 未分项."""
    bars = [(ctx.label(), total.fund_paid.cur, [(p, p.fund_paid.cur) for p in parts])]
    prev = ctx.measures.prev_for("utilisation")
    if prev is not None and total.fund_paid.prev and all(p.fund_paid.prev is not None for p in parts):
        bars.append((nv.period_label(prev), total.fund_paid.prev, [(p, p.fund_paid.prev) for p in parts]))
    data = []
    for bar, whole, values in bars:
        shares = [(vocab.SERVICES.get_label(p.code), ctx.measures.share(v, whole)) for p, v in values]
        if any(s is None or s < 0 for _, s in shares) or sum(s for _, s in shares) > 1 + SHARE_TOLERANCE:
            return None
        data += [{"x": bar, "series": name, "y": s} for name, s in shares]
        if (rest := 1 - sum(s for _, s in shares)) > SHARE_TOLERANCE:
            data.append({"x": bar, "series": "未分项", "y": rest})
    return Chart(cid, "composition", title, tuple(data), "x", "y", "series", series_kind="categories")


def _structure_blocks(ctx: Context, section: str, fund: str, items, total_code: str, name: str) -> list:
    """结构: each part's share of the total's visits, cost and fund paid (住院: 出院占比 and 费用占比 by hospital
    level), with the comparison period's visit share, and a chart of visits by part in both periods."""
    lines = [ln for ln in ctx.measures.service_structure(items, total_code) if ln.visit_share.cur is not None
             or ln.cost_share.cur is not None]  # fmt: skip
    if len(lines) < 2:
        return []
    cmp_ = ctx.comparator
    what = vocab.SERVICES.get_label(total_code).replace("合计", "")
    visit_word = "出院" if total_code == "inpatient_total" else "人次"
    rows = tuple(
        (
            vocab.SERVICES.get_label(ln.code),
            ln.visits.cur,
            ln.visit_share.cur,
            ln.visit_share.prev,
            ln.cost_share.cur,
            ln.paid_share.cur,
        )
        for ln in lines
    )
    cols = (
        Column("part", "类别"),
        Column("visits", "人次", "visits"),
        Column("visit_share", f"{visit_word}占比", "percent", share_of="total"),
        Column("visit_share_prev", f"{visit_word}占比（{cmp_}）", "percent"),
        Column("cost_share", "费用占比", "percent", share_of="total"),
        Column("paid_share", "基金支付占比", "percent", share_of="total"),
    )
    note = f"占比 = 该类别 ÷ {vocab.SERVICES.get_label(total_code)}（同一期间）"
    table = Table(f"t-{section}-{fund}-structure", nv.compose(name, what, "结构"), cols, rows, note=note)
    parts = [
        f"{vocab.SERVICES.get_label(ln.code)}占{nv.fmt_percent(ln.visit_share.cur)}"
        + (f"（{cmp_}{nv.fmt_percent(ln.visit_share.prev)}）" if ln.visit_share.prev is not None else "")
        for ln in lines
        if ln.visit_share.cur is not None
    ]
    blocks: list = []
    if parts:
        blocks.append(Paragraph(f"从就医结构看，{ctx.label()}{name}{what}人次中，{nv.enumerate_cn(parts)}。"))
    blocks.append(table.without_empty_columns())
    chart = []
    prev_label = nv.period_label(ctx.measures.prev_for("utilisation")) if ctx.measures.prev_for("utilisation") else None
    for ln in lines:
        if ln.visits.cur is None:
            continue
        chart.append({"x": vocab.SERVICES.get_label(ln.code), "series": ctx.label(), "y": ln.visits.cur})
        if prev_label and ln.visits.prev is not None:
            chart.append({"x": vocab.SERVICES.get_label(ln.code), "series": prev_label, "y": ln.visits.prev})
    if len({d["x"] for d in chart}) >= 2:
        blocks.append(
            Chart(
                f"c-{section}-{fund}-visits",
                "bars",
                f"{name}{what}人次",
                tuple(chart),
                "x",
                "y",
                "series",
                "人次",
                series_kind="periods",
            )
        )
    by_code = {it.code: it for it in items}
    paid = []
    for ln in lines:  # fund paid by part in both periods: drawn only when there is a comparison
        fp = by_code[ln.code].fund_paid
        if prev_label and fp.cur is not None and fp.prev is not None:
            paid.append({"x": vocab.SERVICES.get_label(ln.code), "series": ctx.label(), "y": fp.cur})
            paid.append({"x": vocab.SERVICES.get_label(ln.code), "series": prev_label, "y": fp.prev})
    if len({d["x"] for d in paid}) >= 2:
        title = nv.compose(name, what, "基金支付")
        blocks.append(
            Chart(
                f"c-{section}-{fund}-paid",
                "bars",
                title,
                tuple(paid),
                "x",
                "y",
                "series",
                ctx.unit,
                series_kind="periods",
            )
        )
    return blocks


def _growth_blocks(ctx: Context, items: tuple[ServiceLine, ...], total_code: str, name: str) -> list:
    """变动: the categories of a total ranked by the change of 基金支付 (本期 − 比较期): the three that grew
    most and the one that fell most, each with its amount and rate. Ranked by amount, not rate: a category
    on a tiny base (under 1 % of the total's comparison figure) would top a ranking by rate; its rate is
    not compared. Shown when at least three categories have both periods; a doubtful comparison is left
    out."""
    total = next((s for s in items if s.code == total_code), None)
    base = total.fund_paid.prev if total is not None else None
    moved = [(s, s.fund_paid.cur - s.fund_paid.prev) for s in items
             if s.code != total_code and not s.fund_paid.doubt and s.fund_paid.cur is not None
             and s.fund_paid.prev is not None]  # fmt: skip
    if len(moved) < 3:
        return []

    def said(s: ServiceLine) -> str:
        amount = nv.amount_change_phrase(s.fund_paid.cur, s.fund_paid.prev, ctx.unit, comparator=ctx.comparator)
        if base and s.fund_paid.prev < 0.01 * base:
            rate = f"{ctx.comparator}基数很小，不比较增减率"
        else:
            rate = nv.change_phrase(s.fund_paid.cur, s.fund_paid.prev, comparator=ctx.comparator)
        return f"{vocab.SERVICES.get_label(s.code)}（{amount}，{rate}）"

    ups = sorted((m for m in moved if m[1] > 0), key=lambda m: (-m[1], m[0].code))
    downs = sorted((m for m in moved if m[1] < 0), key=lambda m: (m[1], m[0].code))
    what = vocab.SERVICES.get_label(total_code).replace("合计", "")
    if ups:
        lead = "增加最多的类别依次是" if len(ups) > 1 else "增加的类别是"
        text = f"从变动看，{name}{what}基金支付{lead}{nv.enumerate_cn(said(s) for s, _ in ups[:3])}"
        if downs:
            text += f"；减少最多的是{said(downs[0][0])}"
    elif downs:
        text = f"从变动看，{name}{what}各类别基金支付均未增加，减少最多的是{said(downs[0][0])}"
    else:
        return []
    return [Paragraph(text + "。")]


COST_PARTS = (("ownpay_cost", "全自费"), ("overlimit_cost", "超限价自付"), ("preself_cost", "先行自付"))


def _cost_blocks(ctx: Context, section: str, fund: str, s: ServiceLine, name: str) -> list:
    """医疗费用构成 of a service total, when the data give 全自费, 超限价自付 or 先行自付 (settlement detail
    does): 政策范围内费用 (住院: of which 基金支付 and 政策范围内自付 = 政策范围内费用 − 基金支付), 全自费,
    超限价自付 and 先行自付, each with its change rate and its share of 医疗总费用 (share = part ÷ 总费用 of the
    same period; its change in 百分点). What the parts leave of 总费用 is 未分项; parts adding up to more
    than 总费用 are not one partition, and the table says so."""
    total = s.total_cost
    if total.cur is None or all(getattr(s, k).cur is None for k, _ in COST_PARTS):
        return []
    lines: list[tuple[str, Compared, bool]] = [("医疗总费用", total, False), ("政策范围内费用", s.inscope_cost, False)]
    if section == "inpatient":  # 门诊合计's 基金支付 includes the personal account, not an in-scope share
        lines += [("其中：基金支付", s.fund_paid, True), ("\u3000\u3000\u3000政策范围内自付", s.inscope_selfpay, True)]
    lines += [(label, getattr(s, k), False) for k, label in COST_PARTS]
    parts = [c for label, c, sub in lines[1:] if not sub]

    def rest(which: str) -> float | None:
        values = [getattr(c, which) for c in parts]
        whole = getattr(total, which)
        if whole is None or any(v is None for v in values):
            return None
        return whole - sum(values)

    left = Compared(rest("cur"), rest("prev"))
    over = left.cur is not None and left.cur < -SHARE_TOLERANCE * total.cur
    if left.cur is not None and left.cur > SHARE_TOLERANCE * total.cur:
        lines.append(("未分项", left, False))
    # Who paid, not what for: 个人现金支付 overlaps the parts above (a self-paid part is paid in cash or from
    # the account), so it is shown beside the partition, not in it.
    lines.append(("另：个人现金支付", s.cash_pay, True))
    rows = []
    for label, c, _sub in lines:
        if c.cur is None:
            continue
        share = Compared(ctx.measures.share(c.cur, total.cur), ctx.measures.share(c.prev, total.prev))
        rows.append((label, c.cur, c.rate, share.cur, share.change if c is not total else None))
    cols = (
        Column("part", "项目"),
        Column("amount", "金额", "money"),
        Column("rate", "增减率", "rate"),
        Column("share", "占医疗总费用比重", "percent", share_of="total"),
        Column("share_pp", "比重增减（百分点）", "points"),
    )
    note = f"金额单位：{ctx.unit}；比重 = 该项 ÷ 医疗总费用（同一期间）"
    if over:
        note += "；政策范围内费用、全自费、超限价自付、先行自付之和超过医疗总费用，构成数据存疑，请核对结算明细"
    what = vocab.SERVICES.get_label(s.code).replace("合计", "")
    table = Table(f"t-{section}-{fund}-costs", nv.compose(name, what, "医疗费用构成"), cols, tuple(rows), frozenset({0}),
                  note, tuple([fund] * len(rows)))  # fmt: skip
    said = [
        f"{label}{nv.fmt_money(c.cur, ctx.unit)}（占{nv.fmt_percent(ctx.measures.share(c.cur, total.cur))}）"
        for label, c, sub in lines[1:]
        if not sub and c.cur is not None and label != "未分项"
    ]
    text = f"从费用构成看，{ctx.label()}{name}{what}医疗总费用{nv.fmt_money(total.cur, ctx.unit)}，其中{nv.enumerate_cn(said)}"
    if s.cash_pay.cur is not None:
        text += (f"；个人现金支付{nv.fmt_money(s.cash_pay.cur, ctx.unit)}，"
                 f"占医疗总费用的{nv.fmt_percent(ctx.measures.share(s.cash_pay.cur, total.cur))}")  # fmt: skip
    if over:
        text += "；各项之和超过医疗总费用，费用构成数据存疑"
    return [Paragraph(text + "。"), table.without_empty_columns()]


TOP_INSTITUTIONS = 10  # institutions listed per fund and category


def _institution_blocks(ctx: Context, section: str, fund: str, total_code: str, name: str) -> list:
    """定点医药机构: the :data:`TOP_INSTITUTIONS` institutions with the largest 基金支付 of a category total,
    each with 人数, 人次, 医疗总费用, 基金支付, its change rate, its share of the category's 基金支付 and 次均费用;
    rows of fewer than ``min_cell_persons`` persons are suppressed (:mod:`fundreport.report.privacy`). The
    sentence gives the listed institutions' combined share only when no row is hidden (else the hidden
    rows' amounts could be recovered from it)."""
    lines = ctx.measures.institutions(fund, total_code)
    if not lines:
        return []
    top = lines[:TOP_INSTITUTIONS]
    rows = [(ln.name or ln.code, ln.level, ln.persons, ln.visits, ln.total_cost, ln.fund_paid.cur, ln.fund_paid.rate,
             ln.share, ln.cost_per) for ln in top]  # fmt: skip
    k = ctx.params.min_cell_persons
    shown, hidden = privacy.suppress(rows, lambda r: r[2] if r[2] is not None else r[3], range(2, 9), k)
    cols = (
        Column("institution", "机构"),
        Column("level", "等级"),
        Column("persons", "人数", "count"),
        Column("visits", "人次", "visits"),
        Column("cost", "医疗总费用", "money"),
        Column("paid", "基金支付", "money"),
        Column("rate", "基金支付增减率", "rate"),
        Column("share", "占基金支付比重", "percent", share_of="total"),
        Column("cost_per", "次均费用（元）", "per"),
    )
    what = vocab.SERVICES.get_label(total_code).replace("合计", "")
    total = vocab.SERVICES.get_label(total_code)
    note = f"金额单位：{ctx.unit}；比重 = 该机构基金支付 ÷ {name}{total}基金支付（同一期间）"
    if len(lines) > len(top):
        note += f"；共{len(lines)}家机构，列出基金支付最多的{len(top)}家"
    if hidden:
        note += "；" + privacy.note(k, "机构")
    title = nv.compose(name, what, "定点医药机构情况")
    blocks: list = []
    shares = [ln.share for ln in top]
    first = top[0].name or top[0].code if top else ""
    if not hidden and len(top) >= 2 and all(x is not None for x in shares) and len(lines) > len(top):
        blocks.append(Paragraph(
            f"从定点医药机构看，{ctx.label()}{name}{what}基金支付最多的{len(top)}家机构共占{nv.fmt_percent(sum(shares))}，"
            f"其中{first}占{nv.fmt_percent(top[0].share)}。"
        ))  # fmt: skip
    elif not hidden and len(top) >= 2 and top[0].share is not None:  # all listed: their shares add up to 100 %
        blocks.append(Paragraph(
            f"从定点医药机构看，{ctx.label()}{name}{what}基金支付分布在{len(top)}家定点医药机构，其中{first}最多，"
            f"占{nv.fmt_percent(top[0].share)}。"
        ))  # fmt: skip
    blocks.append(Table(f"t-{section}-{fund}-institutions", title, cols, tuple(shown), frozenset(), note,
                        tuple([fund] * len(shown))).without_empty_columns())  # fmt: skip
    return blocks


def _group_blocks(ctx: Context, section: str, fund: str, codes: list[str], name: str, places: bool = False) -> list:
    """By person group (在职/退休, 机关/事业/企业), or with ``places`` by where treated (省内/跨省异地就医):
    visits, cost and fund paid of each service category with the group's share of the category's visits,
    cost and fund paid, and a sentence on the first category."""
    u, rows, row_funds, sentence, rows_codes = ctx.unit, [], [], "", []
    for code in codes:
        groups = [g for g in ctx.measures.service_groups(fund, code)
                  if (vocab.GROUPS.term(g[0]).kind == "place") == places]  # fmt: skip
        rows_codes += [code] if groups else []
        for group, line, sh in groups:
            rows.append(
                (
                    vocab.SERVICES.get_label(code),
                    vocab.GROUPS.get_label(group),
                    line.persons.cur,
                    line.visits.cur,
                    sh["visits"],
                    line.total_cost.cur,
                    sh["total_cost"],
                    line.fund_paid.cur,
                    sh["fund_paid"],
                    line.cost_per_visit,
                )
            )
            row_funds.append(fund)
        if groups and not sentence:
            parts = []
            for g, ln, sh in groups:
                said = [
                    f"{what}{shown}" + (f"（占{nv.fmt_percent(sh[k])}）" if sh[k] is not None else "")
                    for what, k, shown in (
                        ("", "persons", nv.fmt_count(ln.persons.cur)),
                        ("", "visits", nv.fmt_count(ln.visits.cur, "人次")),
                        ("费用", "total_cost", nv.fmt_money(ln.total_cost.cur, u)),
                        ("基金支付", "fund_paid", nv.fmt_money(ln.fund_paid.cur, u)),
                    )
                    if getattr(ln, k).cur is not None
                ]
                if said:
                    parts.append(vocab.GROUPS.get_label(g) + "、".join(said))
            if parts:
                service = vocab.SERVICES.get_label(code).replace("合计", "")
                sentence = f"{ctx.label()}{name}{service}中，{nv.enumerate_cn(parts, sep='；')}"
                away = [sh["fund_paid"] for _, _, sh in groups]
                if places and len(groups) > 1 and all(v is not None for v in away):
                    sentence += f"；异地就医合计占基金支付的{nv.fmt_percent(sum(away))}"
                sentence += "。"
    if not rows:
        return []
    cols = (
        Column("service", "类别"),
        Column("group", "就医地" if places else "人员"),
        Column("persons", "人数", "count"),
        Column("visits", "人次", "visits"),
        Column("visit_share", "人次占比", "percent", share_of="service"),
        Column("cost", "医疗总费用", "money"),
        Column("cost_share", "费用占比", "percent", share_of="service"),
        Column("paid", "基金支付", "money"),
        Column("paid_share", "基金支付占比", "percent", share_of="service"),
        Column("cost_per_visit", "次均费用（元）", "per"),
    )
    table = Table(
        f"t-{section}-{fund}-{'places' if places else 'groups'}",
        nv.compose(
            name,
            vocab.SERVICES.get_label(rows_codes[0]).replace("合计", ""),
            "异地就医情况" if places else "分人员类别情况",
        ),  # fmt: skip
        cols,
        tuple(rows),
        note=f"金额单位：{u}"
        + ("；占比为占该类别全部人次、费用、基金支付的比重" if any(r[4] or r[6] or r[8] for r in rows) else "")
        + (f"；{DISTINCT_PERSONS}" if places and len({r[1] for r in rows}) > 1 and any(r[2] for r in rows) else ""),
        row_funds=tuple(row_funds),
    )
    blocks: list = [Paragraph(sentence)] if sentence else []
    return [*blocks, table.without_empty_columns()]


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
    female = ctx.measures.enrolled("maternity", "female")
    total = ctx.measures.enrolled("maternity")
    extra = []
    if total is not None:
        text = f"{ctx.period.end_label}，生育保险参保{nv.fmt_count(total)}"
        if female is not None:
            text += f"，其中女性{nv.fmt_count(female)}，占{nv.fmt_percent(ctx.measures.share(female, total))}"
        extra.append(Paragraph(text + "。"))
    if sec is None and not extra:
        return None
    return Section("maternity", "", tuple(extra) + (sec.blocks if sec else ()))


def assistance(ctx: Context) -> Section | None:
    """医疗救助: fund income and expense, assisted persons and amounts."""
    sec = _service_section(ctx, "assistance", ["assistance_total", "assistance_enrolment"], ["medical_assistance"])
    u = ctx.unit
    flow = ctx.measures.flow("medical_assistance", compare=False)
    inc, exp = flow.income.cur, flow.expense.cur
    extra = []
    if inc is not None or exp is not None:
        lines = ctx.measures.income_lines("medical_assistance")
        text = f"{ctx.label()}，医疗救助基金收入{nv.fmt_money(inc, u)}"
        if lines:
            text += f"（{nv.enumerate_cn(f'{vocab.ITEMS.get_label(k)}{nv.fmt_money(v, u)}' for k, v in lines)}）"
        if exp is not None:
            text += f"，支出{nv.fmt_money(exp, u)}"
        start = ctx.measures.year_start_cumulative("medical_assistance")
        end = ctx.measures.cumulative("medical_assistance")
        if start is not None:
            text += f"；年初累计结余{nv.fmt_money(start, u)}"
        if end is not None:
            text += f"，{ctx.period.end_label}累计结余{nv.fmt_money(end, u)}"
        extra.append(Paragraph(text + "。"))
    for cat in ("subsidised", "low_income", "poverty_alleviated"):
        n = ctx.measures.enrolled("medical_assistance", cat)
        if n is not None:
            extra.append(Paragraph(f"{ctx.period.end_label}，{vocab.ENROLMENT.get_label(cat)}{nv.fmt_count(n)}。"))
    if sec is None and not extra:
        return None
    return Section("assistance", "", tuple(extra) + (sec.blocks if sec else ()))
