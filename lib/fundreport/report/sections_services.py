"""Report sections on services: 门诊, 住院, 大病保险, 生育保险 and 医疗救助 待遇 — categories with their change,
structure, growth, cost composition, 定点医药机构, person groups and 异地就医.

Same contract as :mod:`fundreport.report.sections_funds`: a Context in, a Section (or None) out."""

from __future__ import annotations

from fundreport.data import vocab
from fundreport.figures.values import Compared, ServiceLine
from fundreport.report import privacy
from fundreport.report.context import Context
from fundreport.report.model import SHARE_TOLERANCE, Chart, Column, Paragraph, Section, Table
from fundreport.text import narrative as nv
from fundreport.text.labels import DISTINCT_PERSONS, FUND_SHORT, PARTIAL_TOTAL, VISIT_VERB_CODES, VISIT_VERBS


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
