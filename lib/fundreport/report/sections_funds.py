"""Report section 基金收支情况 (income and expense by fund and line, their change, 征缴, data editions) and the
helpers the other fund sections share (money columns, balance and months-of-support flags and cells); the
sections 预算 (:mod:`~fundreport.report.sections_budget`), 结余及支撑能力 and 其他基金
(:mod:`~fundreport.report.sections_balance`) and 分地区 (:mod:`~fundreport.report.sections_regions`) are
their own modules.

Each builder takes a :class:`~fundreport.report.context.Context` and returns a
:class:`~fundreport.report.model.Section` (or ``None`` when the data has nothing
for it). Figures come from :mod:`fundreport.figures.indicators`, wording from
:mod:`fundreport.text.narrative`; nothing here formats a number itself.
"""

from __future__ import annotations

from fundreport.data import vocab
from fundreport.figures.values import NEGATIVE_BALANCE, Compared, Doubt
from fundreport.report.context import Context
from fundreport.report.model import Chart, Column, Flag, KeyFigure, Paragraph, Section, Table
from fundreport.text import narrative as nv
from fundreport.text import totals as tt
from fundreport.text.labels import FUND_SHORT, FUND_SUBJECT, RESIDUAL, RESIDUAL_NOTE


def money_cols(ctx: Context, key: str, label: str, *, compare: bool) -> list[Column]:
    """本期 / 上期 / 增减率 columns of one money measure."""
    cols = [Column(f"{key}", f"{label}", "money")]
    if compare:
        cols += [
            Column(f"{key}_prev", f"{label}（{ctx.comparator}）", "money"),
            Column(f"{key}_rate", "增减率", "rate"),
        ]
    return cols


def has_prev(ctx: Context, table: str = "fund_flows") -> bool:
    """True when the report compares with the previous year and ``table`` has that period."""
    return ctx.measures.prev_for(table) is not None


def statement_funds(ctx: Context) -> list[str]:
    """Funds of the main statement (基本医保, 生育, 合计), those with income or expense."""
    return list(ctx.measures.statement_funds)


def income_expense(ctx: Context) -> Section | None:
    """基金收支: income, expense, current balance and 结余率 per fund, with the comparison.

    Income and expense exclude 上下级往来 (上级补助收入, 上解上级支出, …); when
    the data has such lines a second table shows the totals with them.
    """
    funds = statement_funds(ctx)
    if not funds:
        return None
    compare = has_prev(ctx)
    label, u = ctx.label(), ctx.unit
    rows, paras, inter_rows, key = [], [], [], []
    for f in funds:
        flow = ctx.measures.flow(f)
        # shown_prev: the comparison figure, or 数据存疑 when the audit found the source's comparison doubtful
        inc, exp, pinc, pexp = flow.income.cur, flow.expense.cur, flow.income.shown_prev, flow.expense.shown_prev
        bal = flow.balance
        row = [_fund_label(ctx, f), inc]
        row += [pinc, flow.income.rate] if compare else []
        row += [exp] + ([pexp, flow.expense.rate] if compare else [])
        row += [bal, flow.balance_rate]
        rows.append(tuple(row))
        subject = tt.subject(flow.basis) if f == "all_funds" else FUND_SUBJECT[f]
        kw = dict(unit=u, comparator=ctx.comparator, omit_missing=not compare)
        # A fund with only one side known (e.g. 统筹 income when 个账 income is not given)
        # states that side alone rather than "无数据".
        clauses = [
            nv.clause_value_with_comparison(w, v, pv, **kw)
            for w, v, pv in (("收入", inc, pinc), ("支出", exp, pexp))
            if v is not None
        ]
        clauses[0] = f"{label}，{ctx.scope}{subject}{clauses[0]}"
        if flow.transfer_funded:
            clauses.append(_transfer_clause(ctx, flow))
        elif bal is not None:
            clauses.append(nv.clause_balance("", bal, rate=flow.balance_rate, unit=u))
        paras.append(Paragraph(nv.join_clauses(clauses, sep="；")))
        raised, raised_parts = ctx.measures.raised(f)
        if raised.cur is not None:
            paras.append(Paragraph(_raised_sentence(ctx, f, raised, raised_parts, compare)))
        # key figures of the basic funds; 职工 as its 统筹基金 when only that is published
        if f in {"employee", "resident", "maternity"} or f == "employee_pool" and "employee" not in funds:
            if flow.income.cur is None and raised.cur is not None:
                key.append(_key_money(ctx, f"{FUND_SHORT[f]}当年筹集", raised))
            else:
                key.append(_key_money(ctx, f"{FUND_SHORT[f].removesuffix('基金')}基金收入", flow.income))
            key.append(_key_money(ctx, f"{FUND_SHORT[f].removesuffix('基金')}基金支出", flow.expense))
        if flow.has_inter:
            with_inc, with_exp = flow.income_with_inter, flow.expense_with_inter
            net_inc, net_exp = flow.income_without_inter, flow.expense_without_inter
            inter_rows.append(
                (FUND_SHORT[f], net_inc, flow.inter_income_total, with_inc, net_exp, flow.inter_expense_total, with_exp)
            )
            names = [
                f"{vocab.ITEMS.get_label(k)}{nv.fmt_money(v, u)}" for k, v in (*flow.inter_income, *flow.inter_expense)
            ]
            if flow.gross:
                text = (
                    f"以上{subject}收支含上下级往来（{nv.enumerate_cn(names)}）；不计上下级往来，"
                    f"收入{nv.fmt_money(net_inc, u)}，支出{nv.fmt_money(net_exp, u)}。"
                )
            else:
                text = (
                    f"以上{subject}收支不含上下级往来（{nv.enumerate_cn(names)}）；计入上下级往来后，"
                    f"收入{nv.fmt_money(with_inc, u)}，支出{nv.fmt_money(with_exp, u)}。"
                )
            paras.append(Paragraph(text))
    cols = [Column("fund", "险种")] + money_cols(ctx, "income", "基金收入", compare=compare)
    cols += money_cols(ctx, "expense", "基金支出", compare=compare)
    cols += [Column("balance", "当期结余", "money"), Column("balance_rate", "结余率", "percent")]
    totals = frozenset(i for i, f in enumerate(funds) if f == "all_funds")
    basis = (
        "收支含上下级往来（本级单位口径：收入含上级补助、下级上解，支出含上解上级、补助下级）"
        if ctx.measures.gross
        else "收支均不含上下级往来"
    )
    note = "；".join(x for x in (f"单位：{u}", basis, _total_note(ctx) if totals else "") if x)
    doubts = list(dict.fromkeys(d for f in funds if (d := ctx.measures.flow(f).income.doubt)))
    if compare and doubts:
        note += f"；“数据存疑”：{'；'.join(doubts)}"
    blocks: list = [
        *paras,
        Table("t-income-expense", "基金收支情况", tuple(cols), tuple(rows), totals, note, tuple(funds)),
    ]
    if inter_rows:
        icols = (
            Column("fund", "险种"),
            Column("income", "基金收入（不含往来）", "money"),
            Column("up", "上下级往来收入", "money"),
            Column("income_all", "基金收入（含往来）", "money"),
            Column("expense", "基金支出（不含往来）", "money"),
            Column("down", "上下级往来支出", "money"),
            Column("expense_all", "基金支出（含往来）", "money"),
        )
        blocks.append(
            Table("t-inter-level", "含与不含上下级往来的基金收支", icols, tuple(inter_rows), note=f"单位：{u}")
        )
    if compare:
        blocks += _change_blocks(ctx, funds)
    blocks += _collection_blocks(ctx)
    blocks += _line_tables(ctx, funds, compare)
    blocks += _edition_table(ctx)
    chart = _income_expense_chart(ctx, [f for f in funds if f != "all_funds"], compare)
    if chart is not None:
        blocks.append(chart)
    flags = [flag for f in funds if f != "all_funds" for flag in _balance_flags(ctx, f, ctx.measures.flow(f).balance)]
    return Section("income_expense", "", tuple(blocks), key_figures=tuple(key), flags=tuple(flags))


def _fund_label(ctx: Context, fund: str) -> str:
    """A fund's row label; the 合计 row says when it holds only part of the funds (text/totals)."""
    return tt.row_label(ctx.measures.flow(fund).basis) if fund == "all_funds" else FUND_SHORT[fund]


def _total_note(ctx: Context) -> str:
    """What the statement's 合计 holds ('' without one), and why its comparison is not shown."""
    flow = ctx.measures.flow("all_funds")
    if flow.bases is None or not flow.known:
        return ""
    return "；".join(x for x in (tt.note(flow.bases, ctx.unit), flow.prev_note) if x)


def _cumulative_words(ctx: Context) -> tuple[str, str, str]:
    """Row label, sentence subject and note of the 累计结余 合计, from what it holds (text/totals)."""
    basis = ctx.measures.cumulative_sum()[1]
    also = ctx.measures.other_funds
    return tt.row_label(basis), tt.subject(basis, also), tt.note((basis,), ctx.unit, also)


def _income_expense_chart(ctx: Context, funds: list[str], compare: bool) -> Chart | None:
    """基金收支 chart. With a trusted comparison: each fund's income and expense in both periods
    (report period dark, comparison light); a figure without a trusted comparison is left out and
    named in the chart's note. Without one: each fund's income beside its expense."""
    both, alone = [], []
    for f in funds:
        flow = ctx.measures.flow(f)
        for what, m in (("收入", flow.income), ("支出", flow.expense)):
            if m.cur is None:
                continue
            x = f"{FUND_SHORT[f]}{what}"
            if compare and m.trusted_prev is not None:  # a doubtful comparison is not drawn
                both += [
                    {"x": x, "series": ctx.label(), "y": m.cur},
                    {"x": x, "series": nv.period_label(ctx.prev), "y": m.trusted_prev},
                ]
            else:
                alone.append(x)
    if both:
        note = f"{nv.enumerate_cn(alone)}的{ctx.comparator}数缺失或存疑，未绘入本图。" if alone else ""
        title = f"基金收支与{ctx.comparator}对比"
        return Chart("c-income-expense", "bars", title, tuple(both), "x", "y", "series", ctx.unit,
                     series_kind="periods", note=note)  # fmt: skip
    data = []
    for f in funds:
        flow = ctx.measures.flow(f)
        for what, v in (("收入", flow.income.cur), ("支出", flow.expense.cur)):
            if v is not None:
                data.append({"x": FUND_SHORT[f], "series": what, "y": v})
    chart = Chart("c-income-expense", "bars", f"{ctx.label()}各险种基金收入与支出", tuple(data), "x", "y", "series",
                  ctx.unit)  # fmt: skip
    return None if chart.problems() else chart


def _collection_blocks(ctx: Context) -> list:
    """征缴情况: 应缴保险费, 保险费收入 (实缴), 征缴率 and 欠费 per fund, when the data gives 应缴."""
    lines = ctx.measures.collection()
    if not lines:
        return []
    u, cmp_ = ctx.unit, ctx.comparator
    rows, clauses = [], []
    for ln in lines:
        rate = ln.rate
        rows.append((FUND_SHORT[ln.fund], ln.due.cur, ln.collected.cur, rate.cur, rate.prev, ln.arrears))
        text = (
            f"{FUND_SUBJECT[ln.fund]}应缴保险费{nv.fmt_money(ln.due.cur, u)}，实缴{nv.fmt_money(ln.collected.cur, u)}，"
            f"征缴率{nv.fmt_percent(rate.cur)}"
        )
        if rate.prev is not None:
            moved = nv.ratio_change_phrase(rate.cur, rate.prev, comparator=cmp_)
            text += f"（{cmp_}{nv.fmt_percent(rate.prev)}）" + ("" if moved == "持平" else f"，比{cmp_}{moved}")
        if ln.arrears:
            text += f"，欠费{nv.fmt_money(ln.arrears, u)}"
        clauses.append(text)
    cols = (
        Column("fund", "险种"),
        Column("due", "应缴保险费", "money"),
        Column("collected", "实缴（保险费收入）", "money"),
        Column("rate", "征缴率", "percent"),
        Column("rate_prev", f"征缴率（{cmp_}）", "percent"),
        Column("arrears", "欠费", "money"),
    )
    note = f"单位：{u}；征缴率 = 保险费收入 ÷ 应缴保险费；欠费 = 应缴 − 实缴（超收不计为负欠费）"
    table = Table("t-collection", "征缴情况", cols, tuple(rows), note=note, row_funds=tuple(ln.fund for ln in lines))
    return [Paragraph(f"{ctx.label()}，" + "；".join(clauses) + "。"), table.without_empty_columns()]


def _change_blocks(
    ctx: Context, funds: list[str], tid: str = "t-income-expense-change", title: str = "基金收支增减情况"
) -> list:
    """收支增减: 增减额 of income and expense, 收支增速差 and the comparison period's 当期结余 per fund,
    with a sentence on the funds whose expense grows faster than their income."""
    rows, phrases = [], []
    for f in funds:
        flow = ctx.measures.flow(f)
        if flow.income.prev is None and flow.expense.prev is None:
            continue
        gap = flow.growth_gap
        rows.append(
            (
                _fund_label(ctx, f),
                flow.income.change,
                flow.expense.change,
                gap,
                flow.balance,
                flow.shown_prev_balance,
                flow.balance_change,
            )
        )
        if gap is not None and not isinstance(gap, Doubt) and f != "all_funds":
            phrases.append(f"{FUND_SHORT[f]}{nv.growth_gap_phrase(gap)}")
    if not rows:
        return []
    cols = (
        Column("fund", "险种"),
        Column("income_change", "收入增减额", "change"),
        Column("expense_change", "支出增减额", "change"),
        Column("gap", "收支增速差（百分点）", "points"),
        Column("balance", "当期结余", "money"),
        Column("balance_prev", f"当期结余（{ctx.comparator}）", "money"),
        Column("balance_change", "结余增减额", "change"),
    )
    note = (
        f"单位：{ctx.unit}；增减额 = 本期 − {ctx.comparator}；收支增速差 = 支出增减率 − 收入增减率"
        "（正数表示支出增长快于收入）；增减率无法计算（上期为零、负数或缺失）时不计算增速差"
    )
    blocks: list = []
    if phrases:
        blocks.append(Paragraph(nv.join_clauses([f"从收支增速看，{phrases[0]}", *phrases[1:]], sep="；")))
    funds_of = tuple(
        f
        for f in funds
        if ctx.measures.flow(f).income.prev is not None or ctx.measures.flow(f).expense.prev is not None
    )
    totals = frozenset(i for i, f in enumerate(funds_of) if f == "all_funds")
    if totals and _total_note(ctx):
        note += "；" + _total_note(ctx)
    blocks.append(Table(tid, title, cols, tuple(rows), totals, note, funds_of))
    return blocks


GROUPED = 3
"""More sub-region flags than this of one fund and band are one flag with the count and the worst cases."""


def _subregion_band_flags(ctx: Context, fund: str, banded: dict, names: dict[str, str]) -> list[Flag]:
    """Months-of-support flags of sub-regions: one per sub-region, or, for more than :data:`GROUPED` of one
    band, one flag with their count naming the worst (lowest for a shortage, highest for a surplus)."""
    out = []
    for (which, label, source), hits in banded.items():
        what = f"{FUND_SHORT[fund]}{which}可支付月数"
        if len(hits) <= GROUPED:
            out += [
                Flag(
                    "months_band",
                    f"{names[c]}{what}{nv.fmt_months(m)}（{label}{'，' + source if source else ''}）",
                    fund=fund,
                    region=c,
                )  # fmt: skip
                for c, m in hits
            ]
            continue
        surplus = ctx.measures.band(hits[0][1]).low is not None and ctx.measures.band(hits[0][1]).high is None
        worst = sorted(hits, key=lambda h: -h[1] if surplus else h[1])[:GROUPED]
        named = nv.enumerate_cn(f"{names[c]}{nv.fmt_months(m)}" for c, m in worst)
        text = f"{len(hits)}个下级地区{what}属于“{label}”区间（{source + '；' if source else ''}"
        text += f"{'最高' if surplus else '最低'}：{named}等）"
        out.append(Flag("months_band", text, fund=fund, amount=float(len(hits))))
    return out


def _implausible(ctx: Context, s, code: str) -> str:
    """Why a months figure of ``s`` is not printed ('' when it is), in words."""
    return nv.implausible_months_phrase(code, s.monthly, s.ceiling, ctx.unit) if code else ""


def _months_cell(months: float | None, code: str, why: str):
    """A months-of-support cell: the figure, or 不适用 (negative balance) / 数据存疑 (above the ceiling)."""
    if not code:
        return months
    return Doubt(why, label="不适用" if code == NEGATIVE_BALANCE else "数据存疑")


def _months_not_assessed(ctx: Context, fund: str, s) -> Flag | None:
    """可支付月数无法评估, saying which input is missing, or why the figure is not a judgement (its
    expense base is abnormal); None for a negative balance (its own flag says it)."""
    if s.implausible == NEGATIVE_BALANCE:
        return None
    if s.implausible:
        text = f"{FUND_SHORT[fund]}可支付月数不作判断（超过{nv.fmt_number(s.ceiling, 2, trim=True)}个月，本期支出基数异常）"
        return Flag("not_assessed", text, risk=None, fund=fund)
    flow = ctx.measures.flow(fund, compare=False)
    missing = [w for w, v in (("累计结余", s.cumulative), ("本期基金支出", flow.expense.cur)) if v is None]
    why = f"缺少{'和'.join(missing)}" if missing else "本期基金支出为零"
    return Flag("not_assessed", f"{FUND_SHORT[fund]}可支付月数无法评估（{why}）", risk=None, fund=fund)


def _negative_cumulative(ctx: Context, fund: str, cumulative: float) -> Flag:
    """累计结余为负, with its amount."""
    text = f"{FUND_SHORT[fund]}累计结余为负（{nv.fmt_money(cumulative, ctx.unit)}）"
    return Flag("negative_balance", text, fund=fund, amount=cumulative)


def _seasonal_note(ctx: Context, fund: str) -> str:
    """Why a 居民 part-year deficit may be seasonal, with the region's own history when the data has it."""
    s = ctx.measures.seasonality(fund)
    if fund != "resident" or s is None:
        return ""
    months = f"1-{s.end_month}月"
    if s.years:
        years = "、".join(f"{y}年{nv.fmt_percent(v)}" for y, v in s.years)
        return (
            f"（居民医保费多在下半年集中征缴，往年{months}收入占全年的比例：{years}，"
            f"平均{nv.fmt_percent(s.average)}；期中收不抵支须结合全年征缴进度判断）"
        )
    return (
        f"（居民医保费多在下半年集中征缴，期中收不抵支可能为季节性；数据中没有往年{months}与全年的收入，"
        "未能测算征缴进度，须结合全年征缴计划判断）"
    )


def _raised_sentence(ctx: Context, fund: str, raised: Compared, parts, compare: bool) -> str:
    """当年筹集基金: the year's amount raised, with its parts; why it is not set against the period's expense."""
    kw = dict(unit=ctx.unit, comparator=ctx.comparator, omit_missing=not compare)
    text = f"{ctx.period.year}年{ctx.scope}共筹集{FUND_SUBJECT[fund]}" + nv.clause_value_with_comparison(
        "", raised.cur, raised.shown_prev if compare else None, **kw
    )
    if parts:
        names = "、".join(
            f"{vocab.ITEMS.get_label(c).split('：')[-1]}{nv.fmt_money(v.cur, ctx.unit)}" for c, v in parts
        )
        text += f"，其中{names}"
    if ctx.period.months_elapsed < 12:
        text += f"。筹集额为全年数，不与{ctx.label()}支出相减计算结余"
    return text + "。"


def _transfer_clause(ctx: Context, flow) -> str:
    """Why no 结余率 is given for a fund funded by transfers (own income a small share of the total)."""
    return (
        f"本级收入仅占含上下级往来收入（{nv.fmt_money(flow.income_with_inter, ctx.unit)}）的"
        f"{nv.fmt_percent(flow.own_share)}，基金主要依靠上级补助，不按本级收入计算结余率、判断收不抵支"
    )


def _balance_flags(ctx: Context, fund: str, balance: float | None) -> list[Flag]:
    """当期收不抵支 of a fund (with its amount), or 无法评估 when only one side of its flows is known
    or the fund is funded by transfers."""
    flow = ctx.measures.flow(fund, compare=False)
    name = FUND_SHORT[fund]
    if flow.transfer_funded:
        text = f"{name}主要依靠上级补助（本级收入占{nv.fmt_percent(flow.own_share)}），当期收支平衡未按本级收入评估"
        return [Flag("not_assessed", text, risk=None, fund=fund)]
    basis = ""
    if balance is None and flow.known:
        # one side is missing but the source states the period's balance: judge on that entered figure
        balance = ctx.measures.other_balance(fund)
        basis = "（按报告所列本期结余）" if balance is not None else ""
    if balance is None:
        if not flow.known:
            return []
        missing = "基金支出" if flow.expense.cur is None else "基金收入"
        if flow.income.cur is None and ctx.measures.raised(fund)[0].cur is not None:
            missing += "，数据只有全年筹集额"
        return [Flag("not_assessed", f"{name}当期收支平衡无法评估（缺少{missing}）", risk=None, fund=fund)]
    if balance >= 0:
        return []
    text = f"{name}当期收不抵支{nv.fmt_money(-balance, ctx.unit)}{basis}{_seasonal_note(ctx, fund)}"
    return [Flag("current_deficit", text, fund=fund, amount=-balance)]


def _edition_table(ctx: Context) -> list:
    """快报 / 公报 / 决算 figures of the same items beside the ones the report uses, with the difference."""
    lines = ctx.measures.editions()
    if not lines:
        return []
    rows = tuple(
        (
            FUND_SHORT.get(e.fund, vocab.FUNDS.get_label(e.fund)),
            vocab.ITEMS.get_label(e.item),
            vocab.EDITIONS.get_label(e.edition),
            e.value,
            e.used,
            e.difference,
        )
        for e in lines
    )
    cols = (
        Column("fund", "险种"),
        Column("item", "项目"),
        Column("edition", "版本"),
        Column("value", "该版本数值", "money"),
        Column("used", "本报告采用", "money"),
        Column("difference", "差额", "change"),
    )
    names = "、".join(dict.fromkeys(vocab.EDITIONS.get_label(e.edition) for e in lines))
    text = f"数据另有{names}数值，与本报告采用的数值对照如下；报告中的分析均以本报告采用的数值为准。"
    note = f"单位：{ctx.unit}；差额 = 该版本数值 − 本报告采用"
    return [
        Paragraph(text),
        Table("t-editions", "不同版本数值对照", cols, rows, note=note, row_funds=tuple(e.fund for e in lines)),
    ]


def _key_money(ctx: Context, label: str, value: Compared) -> KeyFigure:
    """A key-figure card of a money figure: raw 元 value, formatted in the report unit, with its change."""
    if value.doubt and value.prev is not None:
        sub = f"{ctx.comparator}数据存疑"
    elif value.prev is None or value.cur is None:
        sub = ""
    else:
        sub = nv.change_phrase(value.cur, value.prev, style="比", comparator=ctx.comparator)
    return KeyFigure(label, nv.fmt_money(value.cur, ctx.unit, sep=True), sub, amount=value.cur, unit="元")


def _line_tables(ctx: Context, funds: list[str], compare: bool) -> list[Table]:
    """One statement table per fund with listed lines: each total over its lines, which add up to it
    (a 未列明项目 row holds what the source does not list, or by how much its parts exceed the total)."""
    out = []
    u = ctx.unit
    for f in funds:
        lines = ctx.measures.lines(f)
        if sum(line.role == "line" for line in lines) < 2:  # one listed line says no more than its total
            continue
        rows, totals = [], set()
        for i, line in enumerate(lines):
            v = line.value
            label = RESIDUAL if line.role == "residual" else vocab.ITEMS.get_label(line.code)
            row = ["　" * line.depth + label, v.cur]
            row += [v.shown_prev, v.change, v.rate] if compare else []
            rows.append(tuple(row))
            if line.role == "total" and line.depth == 0:
                totals.add(i)
        cols = [Column("item", "项目"), Column("cur", ctx.label(), "money")]
        if compare:
            cols += [
                Column("prev", nv.period_label(ctx.prev), "money"),
                Column("change", "增减额", "change"),
                Column("rate", "增减率", "rate"),
            ]
        note = f"单位：{u}；收支不含上下级往来"
        if any(line.role == "residual" for line in lines):
            note += f"；{RESIDUAL_NOTE}"
        doubts = list(dict.fromkeys(line.value.doubt for line in lines if line.value.doubt))
        if compare and doubts:
            note += f"；“数据存疑”：{'；'.join(doubts)}"
        out.append(
            Table(
                f"t-lines-{f}",
                nv.compose(FUND_SHORT[f], "基金收支明细"),
                tuple(cols),
                tuple(rows),
                frozenset(totals),
                note,
                row_funds=(f,) * len(rows),
            )
        )
    return out
