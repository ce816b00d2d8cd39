"""Section builders for the people a fund covers: 缴费政策 and 参保 (enrolment, its structure, sub-regions and
per-insured figures); the services are in :mod:`fundreport.report.sections_services`.

Same contract as :mod:`fundreport.report.sections_funds`: a Context in, a Section
(or None when the data has nothing for it) out.
"""

from __future__ import annotations

from fundreport.data import vocab
from fundreport.report.context import Context
from fundreport.report.model import SHARE_TOLERANCE, Chart, Column, KeyFigure, Paragraph, Section, Table
from fundreport.text import narrative as nv
from fundreport.text.labels import FUND_SHORT

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
