"""Section builders for the fund statements: 收支, 预算, 结余与可支付月数, 分地区, 其他基金.

Each builder takes a :class:`~fundreport.report.context.Context` and returns a
:class:`~fundreport.report.model.Section` (or ``None`` when the data has nothing
for it). Figures come from :mod:`fundreport.figures.indicators`, wording from
:mod:`fundreport.text.narrative`; nothing here formats a number itself.
"""

from __future__ import annotations

from fundreport.data import vocab
from fundreport.figures.measures import SUPPORT_FUNDS
from fundreport.figures.values import ABOVE_CEILING, NEGATIVE_BALANCE, Compared, Doubt
from fundreport.report.context import Context
from fundreport.report.model import Chart, Column, Flag, KeyFigure, Paragraph, Section, Table
from fundreport.report.sections_regions import subregion_services
from fundreport.text import narrative as nv
from fundreport.text import totals as tt
from fundreport.text.labels import BUDGET_FLAG, FUND_SHORT, FUND_SUBJECT, RESIDUAL, RESIDUAL_NOTE


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


# -- budgets -----------------------------------------------------------------


def budget_line_name(fund: str, item: str) -> str:
    """How a budget line is named in a table row and a sentence (各项基金支出合计, 职工医保基金收入合计, …)."""
    return f"{'各项' if fund == 'all_funds' else FUND_SHORT[fund]}{vocab.ITEMS.get_label(item)}"


def budget(ctx: Context) -> Section | None:
    """预算执行: execution rate = executed / annual budget against 时间进度 = end month / 12.

    A line is flagged when |rate − progress| exceeds thresholds.budget_deviation_pp.
    """
    year = str(ctx.period.year)
    progress = ctx.period.time_progress
    rows, paras, flags = [], [], []
    lines = ctx.measures.budget_lines()
    if lines and not ctx.measures.budget_started():  # a budget that has not started has no 时间进度 to judge
        text = f"{year}年预算尚未开始执行（数据中没有{ctx.label()}的执行数），不计算预算执行率。"
        return Section("budget", "", (Paragraph(text),))
    doubts = []
    for b in lines:
        name = budget_line_name(b.fund, b.item)
        if b.doubt:
            doubt = Doubt(b.doubt)
            rows.append((name, b.plan, b.executed, doubt, b.progress, doubt, nv.DOUBTFUL, nv.DOUBTFUL))
            paras.append(
                Paragraph(
                    f"{name}预算数{nv.fmt_money(b.plan, ctx.unit)}，执行数{nv.fmt_money(b.executed, ctx.unit)}；"
                    f"{b.doubt}，不计算预算执行率（见附录数据核对）。"
                )
            )
            doubts.append(b.doubt)
            continue
        rows.append(
            (name, b.plan, b.executed, b.rate, b.progress, b.deviation, BUDGET_FLAG[b.flag], b.level if b.flag else "—")
        )
        paras.append(Paragraph(nv.sentence_budget(name, b.rate, progress, band=ctx.band_pp / 100)))
        if b.flag:
            flags.append(
                Flag(
                    "budget_deviation",
                    f"{name}预算执行率{nv.fmt_percent(b.rate)}，偏离时间进度{nv.fmt_points(abs(b.deviation))}"
                    + (f"（{b.level}）" if b.level else ""),
                    fund=b.fund,
                )
            )
    if not rows:
        return None
    cols = (
        Column("line", "项目"),
        Column("budget", f"{year}年预算数", "money"),
        Column("executed", f"{ctx.label()}执行数", "money"),
        Column("rate", "预算执行率", "percent"),
        Column("progress", "时间进度", "percent"),
        Column("deviation", "偏离（百分点）", "points"),
        Column("flag", f"±{nv.fmt_number(ctx.band_pp, 2, trim=True)}个百分点控制", "text"),
        Column("level", "偏离程度", "text"),
    )
    lead = Paragraph(
        f"{ctx.label()}时间进度为{nv.fmt_percent(progress)}（已过{ctx.period.end_month}个月÷12），"
        f"预算执行率与时间进度相差超过±{nv.fmt_number(ctx.band_pp, 2, trim=True)}个百分点的列为偏离。"
    )
    a, (b_, c_) = ctx.band_pp, ctx.deviation_levels
    cut = [nv.fmt_number(x, 2, trim=True) for x in (a, b_, c_)]
    note = (
        f"单位：{ctx.unit}；偏离程度：偏离{cut[0]}–{cut[1]}个百分点为一般，{cut[1]}–{cut[2]}个百分点为较大，"
        f"超过{cut[2]}个百分点为严重（分级阈值为本地设定）"
    )
    if doubts:
        note += f"；“数据存疑”：{'；'.join(dict.fromkeys(doubts))}"
    table = Table("t-budget", "预算执行情况", cols, tuple(rows), note=note, row_funds=tuple(b.fund for b in lines))
    return Section("budget", "", (lead, *paras, table), flags=tuple(flags))


def budget_plan(ctx: Context) -> Section | None:
    """下年度预算安排: next year's income and expense budgets against this year's execution, the planned
    当期结余 and 结余率, and the 累计结余 and months of support they would leave at the end of next year."""
    plans = ctx.measures.budget_plans()
    if not plans:
        return None
    u, year, rows, paras = ctx.unit, plans[0].year, [], []
    for b in plans:
        name = FUND_SHORT[b.fund]
        rows.append(
            (
                name,
                b.income.cur,
                b.income.prev,
                b.income.rate,
                b.expense.cur,
                b.expense.prev,
                b.expense.rate,
                b.balance,
                b.balance_rate,
                b.cumulative_end,
                b.months,
            )
        )
        kw = dict(unit=u, comparator=f"{ctx.label()}执行", omit_missing=True)
        clauses = [
            f"{year}年{FUND_SUBJECT[b.fund]}"
            + nv.clause_value_with_comparison("收入预算", b.income.cur, b.income.prev, **kw),
            nv.clause_value_with_comparison("支出预算", b.expense.cur, b.expense.prev, **kw),
        ]
        if b.balance is not None:
            clauses.append(nv.clause_balance("预算", b.balance, rate=b.balance_rate, unit=u))
        if b.cumulative_end is not None:
            end = f"预计{year}年末累计结余{nv.fmt_money(b.cumulative_end, u)}"
            if b.months is not None and b.fund not in {"employee", "employee_account", "all_funds"}:
                band = ind_band(ctx, b.months)
                end += f"，可支付{nv.fmt_months(b.months)}" + (f"（{band}）" if band else "")
            clauses.append(end)
        paras.append(Paragraph(nv.join_clauses(clauses, sep="；")))
    cols = (
        Column("fund", "险种"),
        Column("income_plan", f"{year}年收入预算", "money"),
        Column("income_now", f"{ctx.label()}收入", "money"),
        Column("income_rate", "增减率", "rate"),
        Column("expense_plan", f"{year}年支出预算", "money"),
        Column("expense_now", f"{ctx.label()}支出", "money"),
        Column("expense_rate", "增减率", "rate"),
        Column("balance", "预算当期结余", "money"),
        Column("balance_rate", "预算结余率", "percent"),
        Column("cumulative_end", f"预计{year}年末累计结余", "money"),
        Column("months", "预计可支付月数", "months"),
    )
    note = (
        f"单位：{u}；增减率为预算数比{ctx.label()}执行数；预计年末累计结余 = {ctx.period.end_label}累计结余 + 预算当期结余；"
        "预计可支付月数 = 预计年末累计结余 ÷（支出预算 ÷ 12）"
    )
    table = Table(
        "t-budget-plan", "下年度基金收支预算", cols, tuple(rows), note=note, row_funds=tuple(b.fund for b in plans)
    )
    return Section("budget_plan", "", (*paras, table))


def ind_band(ctx: Context, months: float) -> str:
    """The months-of-support band label of a projected value."""
    band = ctx.measures.band(months)
    return band.label if band else ""


# -- balances and months of support ------------------------------------------------


def balance(ctx: Context) -> Section | None:
    """累计结余 and 可支付月数 (book and adjusted) with the band of each pooled fund."""
    u = ctx.unit
    rows, paras, flags, key, chart, row_funds, doubts = [], [], [], [], [], [], []
    reported = set(ctx.measures.statement_funds)
    for fund in SUPPORT_FUNDS + ("employee_account",):
        s = ctx.measures.support(fund)
        if s.pooled and s.months is None and (fund in reported or s.cumulative is not None):
            flags += [f for f in (_months_not_assessed(ctx, fund, s),) if f is not None]
        if s.cumulative is None:
            continue
        pooled = fund != "employee_account"
        if s.cumulative < 0:
            flags.append(_negative_cumulative(ctx, fund, s.cumulative))
        band, adj_band = s.band, s.adj_band
        why = _implausible(ctx, s, s.implausible)
        adj_why = _implausible(ctx, s, s.adj_implausible)
        row_funds.append(fund)
        rows.append(
            (
                FUND_SHORT[fund],
                s.cumulative,
                s.monthly if pooled else None,
                _months_cell(s.months, s.implausible, why) if pooled else None,
                band.label if pooled and band else "—",
                s.adjusted,
                _months_cell(s.adj_months, s.adj_implausible, adj_why) if pooled else None,
                adj_band.label if pooled and adj_band else "—",
            )
        )
        doubts += [w for w in (why, adj_why) if w and pooled]
        subject = f"{ctx.period.end_label}，{FUND_SUBJECT[fund]}累计结余"
        if not pooled:
            paras.append(Paragraph(f"{subject}{nv.fmt_money(s.cumulative, u)}，归参保人个人所有，不计算可支付月数。"))
            continue
        paras.append(
            Paragraph(
                nv.sentence_months_of_support(
                    subject,
                    s.cumulative,
                    s.months,
                    unit=u,
                    band=band.label if band else None,
                    monthly_expense=s.monthly,
                    adjusted_balance=s.adjusted,
                    adjusted_months=s.adj_months,
                    adjusted_band=adj_band.label if adj_band else None,
                    why=why,
                    adjusted_why=adj_why,
                    **_adjustment_words(ctx, fund),
                )
            )
        )
        before = ctx.measures.support_prev(fund)
        if before is not None and before.months is not None and s.months is not None:
            paras.append(Paragraph(_months_trend(ctx, fund, s.months, before.months, band, before.band)))
        last_month = ctx.measures.support_prev_month(fund)
        if last_month is not None and last_month.months is not None and s.months is not None:
            paras.append(
                Paragraph(_months_trend(ctx, fund, s.months, last_month.months, band, last_month.band, "上月"))
            )
        for which, months, b in (("", s.months, band), ("实际", s.adj_months, adj_band)):
            if b is not None and b.risk and months >= 0:
                flags.append(
                    Flag(
                        "months_band",
                        f"{FUND_SHORT[fund]}{which}可支付月数{nv.fmt_months(months)}，属于“{b.label}”区间",
                        fund=fund,
                    )
                )
        if fund in {"employee_pool", "resident"} and s.months is not None:
            shown, shown_band = s.shown_months, s.shown_band
            key.append(
                KeyFigure(
                    f"{FUND_SHORT[fund]}{'实际' if s.adj_months is not None else ''}可支付月数",
                    nv.fmt_months(shown),
                    shown_band.label if shown_band else "",
                    shown_band.risk if shown_band else None,
                    amount=shown,
                    unit="个月",
                )
            )
        if s.months is not None:
            chart.append({"x": FUND_SHORT[fund], "series": "账面", "y": s.months})
            if s.adj_months is not None:
                chart.append({"x": FUND_SHORT[fund], "series": "实际", "y": s.adj_months})
    totals, total_note = set(), ""
    cumulative = _cumulative_blocks(ctx)
    for fund in ("employee", "all_funds"):  # published totals are printed even when they cannot be split
        cum = ctx.measures.cumulative_total(fund)
        if cum is None or (fund == "employee" and "employee" in row_funds):
            continue
        if fund == "all_funds":
            totals.add(len(rows))
        row_funds.append(fund)
        label, subject = FUND_SHORT[fund], FUND_SUBJECT[fund]
        if fund == "all_funds":
            label, subject, total_note = _cumulative_words(ctx)
        rows.append((label, cum, None, None, "—", None, None, "—"))
        said = f"{subject}累计结余{nv.fmt_money(cum, u)}"
        if fund == "all_funds" and any(isinstance(b, Paragraph) and said in b.text for b in cumulative):
            continue  # the 累计结余变动 paragraph below states it
        paras.append(
            Paragraph(
                f"{ctx.period.end_label}，{subject}累计结余{nv.fmt_money(cum, u)}"
                + ("（含个人账户，不计算可支付月数）。" if fund == "employee" else "。")
            )
        )
    if not rows:
        if not flags:
            return None
        text = "本期数据未提供基金累计结余，无法计算可支付月数、判断基金支撑能力。"
        return Section("balance", "", (Paragraph(text),), flags=tuple(flags))
    cols = (
        Column("fund", "险种"),
        Column("cumulative", "累计结余", "money"),
        Column("monthly", "月均支出", "money"),
        Column("months", "可支付月数", "months"),
        Column("band", "区间", "text"),
        Column("adjusted", "实际结余", "money"),
        Column("adj_months", "实际可支付月数", "months"),
        Column("adj_band", "区间", "text"),
    )
    a, b, c, d = (nv.fmt_number(x, 2, trim=True) for x in ctx.cuts)
    note = (
        f"单位：{u}；月均支出 = 本期支出 ÷ {ctx.period.months_elapsed}个月；区间：<{a}个月严重不足，{a}-{b}不足，"
        f"{b}-{c}合理，{c}-{d}充足，>{d}过多结余。实际结余 = 累计结余 − 一次性预缴及补贴 − 应付未付 − 预留金。"
    )
    note += f"{total_note}。" if total_note else ""
    note += "".join(f"{w}。" for w in dict.fromkeys(doubts) if "不作判断" in w)
    blocks: list = [
        *paras,
        Table("t-balance", "累计结余及可支付月数", cols, tuple(rows), frozenset(totals), note, tuple(row_funds)),
        *cumulative,
    ]
    if len(chart) >= 2:  # one bar compares nothing: the table and sentence say it
        blocks.append(
            Chart("c-months", "months", "可支付月数", tuple(chart), "x", "y", "series", cuts=ctx.cuts, ylabel="个月")
        )
    return Section("balance", "", tuple(blocks), key_figures=tuple(key), flags=tuple(flags))


def _adjustment_words(ctx: Context, fund: str) -> dict:
    """The 剔除… phrase of the months sentence naming each deduction with its amount, when the data gives them."""
    parts = ctx.measures.deductions(fund)
    if not parts:
        return {}
    named = "、".join(f"{vocab.ITEMS.get_label(code)}{nv.fmt_money(v, ctx.unit)}" for code, v in parts)
    return {"adjustment": f"剔除{named}后"}


def _months_trend(ctx: Context, fund: str, now: float, then: float, band, band_then, cmp_: str = "") -> str:
    """可支付月数 against the comparison period (or ``cmp_``, e.g. 上月): ``比去年同期（18.2个月）增加3.3个月``,
    and the band change."""
    diff = nv.round_half_up(now, 1) - nv.round_half_up(then, 1)
    cmp_ = cmp_ or ctx.comparator
    text = f"{FUND_SUBJECT[fund]}可支付月数比{cmp_}（{nv.fmt_months(then)}）"
    text += "持平" if diff == 0 else f"{'增加' if diff > 0 else '减少'}{nv.fmt_months(abs(diff))}"
    if band is not None and band_then is not None and band != band_then:
        text += f"，由“{band_then.label}”区间变为“{band.label}”区间"
    return text + "。"


def _cumulative_blocks(ctx: Context) -> list:
    """累计结余变动及构成: each fund's 累计结余 with its share of the total, 比年初 and 同比, and a sentence
    on the total. Nothing when the data has neither a second period nor a total to compare with."""
    lines = ctx.measures.cumulative_lines()
    u, cmp_ = ctx.unit, ctx.comparator
    has_start = any(ln.start is not None and ln.start.prev is not None for ln in lines)
    has_prev = any(ln.prev.prev is not None for ln in lines)
    has_share = any(ln.share is not None for ln in lines)
    if not lines or not (has_start or has_prev or has_share):
        return []
    cols = [Column("fund", "险种"), Column("cumulative", "累计结余", "money")]
    cols += [Column("share", "占合计比重", "percent", share_of="total")] if has_share else []
    if has_start:
        cols += [
            Column("start", "年初累计结余", "money"),
            Column("start_change", "比年初增减额", "change"),
            Column("start_rate", "比年初增减率", "rate"),
        ]
    if has_prev:
        cols += [
            Column("prev", f"累计结余（{cmp_}）", "money"),
            Column("prev_change", "同比增减额", "change"),
            Column("prev_rate", "同比增减率", "rate"),
        ]
    rows = []
    label, whole, total_note = _cumulative_words(ctx)
    split = any(ln.fund == "employee" for ln in lines)  # 统筹 and 个账 are then 其中 rows of 职工, not parts of 合计
    sub = {"employee_pool": "　其中：统筹基金", "employee_account": "　　　　个人账户"} if split else {}
    for ln in lines:
        row: list = [label if ln.fund == "all_funds" else sub.get(ln.fund, FUND_SHORT[ln.fund]), ln.end]
        row += [ln.share] if has_share else []
        if has_start:
            st = ln.start
            row += [st.prev, st.change, st.rate] if st is not None else [None, None, None]
        row += [ln.prev.shown_prev, ln.prev.change, ln.prev.rate] if has_prev else []
        rows.append(tuple(row))
    sentences = []
    ordered = sorted(lines, key=lambda ln: ln.fund != "all_funds")  # the total first
    for ln in ordered:
        start_known = ln.start is not None and ln.start.prev is not None
        if ln.fund != "all_funds" and not start_known and ln.prev.prev is None:
            continue
        name = whole if ln.fund == "all_funds" else FUND_SUBJECT[ln.fund]
        clauses = [f"{name}累计结余{nv.fmt_money(ln.end, u)}"]
        if start_known:
            clauses.append(nv.amount_change_phrase(ln.end, ln.start.prev, u, prefix="比年初"))
            if ln.start.rate is not None:
                clauses.append(nv.change_phrase(ln.end, ln.start.prev, style="增长"))
        if ln.prev.prev is not None and not ln.prev.doubt:
            if ln.prev.rate is not None:
                clauses.append(f"比{cmp_}" + nv.change_phrase(ln.end, ln.prev.prev, style="增长", comparator=cmp_))
            else:
                clauses.append(nv.amount_change_phrase(ln.end, ln.prev.prev, u, prefix=f"比{cmp_}", comparator=cmp_))
        if ln.fund == "employee_account" and ln.share is not None:
            clauses.append(f"占{whole}累计结余的{nv.fmt_percent(ln.share)}")
        sentences.append("，".join(clauses))
    said = {
        ln.fund
        for ln in ordered
        if any(
            s.startswith((whole if ln.fund == "all_funds" else FUND_SUBJECT[ln.fund]) + "累计结余") for s in sentences
        )
    }
    account = next(
        (ln for ln in lines if ln.fund == "employee_account" and ln.share is not None and ln.fund not in said), None
    )
    blocks: list = []
    if sentences or account:
        text = "；".join(sentences)
        if account is not None:
            text += ("；其中" if text else "") + (
                f"{FUND_SUBJECT['employee_account']}累计结余{nv.fmt_money(account.end, u)}，"
                f"占{whole}累计结余的{nv.fmt_percent(account.share)}"
            )
        blocks.append(Paragraph(f"{ctx.period.end_label}，{text}。"))
    note = f"单位：{u}" + ("；比重 = 本险种累计结余 ÷ 合计" if has_share else "")
    note += f"；{total_note}" if total_note and any(ln.fund == "all_funds" for ln in lines) else ""
    if has_start:
        note += "；年初累计结余为本年1月1日（上年末）数"
    funds = tuple(ln.fund for ln in lines)
    totals = frozenset(i for i, ln in enumerate(lines) if ln.fund == "all_funds")
    blocks.append(Table("t-cumulative", "累计结余变动及构成", tuple(cols), tuple(rows), totals, note, funds))
    return blocks


def balance_sheet(ctx: Context) -> Section | None:
    """暂收暂付款 (资产负债表情况): 暂收款, 暂付款 (其中垫付医疗费, 异地就医预付金) per fund, and the
    share of the 累计结余 tied up in 暂付款 (暂付款 ÷ 累计结余)."""
    lines = ctx.measures.balance_sheet()
    if not lines:
        return None
    u = ctx.unit
    rows, clauses = [], []
    for ln in lines:
        rows.append(
            (
                FUND_SHORT[ln.fund],
                ln.receipts,
                ln.payments,
                ln.advance_medical,
                ln.advance_offsite,
                ln.cumulative,
                ln.advances_share,
            )
        )
        parts = []
        if ln.receipts is not None:
            parts.append(f"暂收款{nv.fmt_money(ln.receipts, u)}")
        if ln.payments is not None:
            text = f"暂付款{nv.fmt_money(ln.payments, u)}"
            named = [
                (name, v)
                for name, v in (("垫付医疗费", ln.advance_medical), ("异地就医预付金", ln.advance_offsite))
                if v is not None
            ]
            inner = [f"{name}{nv.fmt_money(v, u)}" for name, v in named]
            if inner:
                other = ln.other_payments
                rest = f"，其他暂付款{nv.fmt_money(other, u)}" if other is not None and other > 0 else ""
                text += f"（其中{'、'.join(inner)}{rest}）"
            if ln.advances_share is not None:
                what = "垫付和预付款" if len(named) > 1 else named[0][0]
                text += f"，{what}相当于累计结余的{nv.fmt_percent(ln.advances_share)}"
            parts.append(text)
        clauses.append(f"{FUND_SUBJECT[ln.fund]}" + "，".join(parts))
    cols = (
        Column("fund", "险种"),
        Column("receipts", "暂收款", "money"),
        Column("payments", "暂付款", "money"),
        Column("advance_medical", "其中：垫付医疗费", "money"),
        Column("advance_offsite", "其中：异地就医预付金", "money"),
        Column("cumulative", "累计结余", "money"),
        Column("share", "垫付预付占累计结余", "percent", share_of="row"),
    )
    note = (
        f"单位：{u}；期末数。暂收款为暂收未付、暂扣预留等待付出的款项；暂付款为垫付、预付等已付出尚未结算的款项，"
        "也可能含上解上级、与暂收款对冲的款项，计在累计结余内，但不是可动用的资金；"
        "垫付预付占累计结余 = （垫付医疗费 + 异地就医预付金）÷ 累计结余（累计结余为正时计算），暂付款未分项时不计算"
    )
    table = Table(
        "t-balance-sheet", "暂收暂付款情况", cols, tuple(rows), note=note, row_funds=tuple(ln.fund for ln in lines)
    )
    text = f"{ctx.period.end_label}，" + "；".join(clauses) + "。"
    return Section("balance_sheet", "", (Paragraph(text), table.without_empty_columns()))


# -- sub-regions -------------------------------------------------------------------


def subregions(ctx: Context) -> Section | None:
    """分地区: balance and months of support per sub-region; 收不抵支 counts (also over years)."""
    u, blocks, flags = ctx.unit, [], []
    names = {c: ctx.dataset.region_name(c) for c in ctx.children}
    for fund in ("employee_pool", "resident", "employee", "maternity"):
        rows, chart = [], []
        lines = ctx.measures.subregions(fund)
        judged = fund in SUPPORT_FUNDS  # months of support are judged on the same funds as the region's own
        banded: dict[tuple[str, str], list[tuple[str, float]]] = {}
        for line in lines:
            child, flow, s = line.region, line.flow, line.support
            band, adj_band = (s.band, s.adj_band) if judged else (None, None)
            why, adj_why = _implausible(ctx, s, s.implausible), _implausible(ctx, s, s.adj_implausible)
            rows.append(
                (
                    names[child],
                    flow.income.cur,
                    flow.expense.cur,
                    flow.balance,
                    s.cumulative,
                    _months_cell(s.months, s.implausible, why) if judged else None,
                    band.label if band else "—",
                    s.adjusted,
                    _months_cell(s.adj_months, s.adj_implausible, adj_why) if judged else None,
                    adj_band.label if adj_band else "—",
                )
            )
            if judged and s.shown_months is not None:
                chart.append(
                    {"x": names[child], "series": "实际" if s.adj_months is not None else "账面", "y": s.shown_months}
                )
            for which, m, b in (("", s.months, band), ("实际", s.adj_months, adj_band)):
                if b is not None and b.risk:
                    banded.setdefault((which, b.label, ""), []).append((child, m))
        if not rows:
            continue
        # months the source states for sub-regions whose expense the data lacks: shown as the source's figures,
        # and judged as such (a district with 1 month of support in the table is a flag, never "无法评估")
        stated = [
            ctx.measures.stated_value(fund, "months_of_support_adjusted", line.region)
            if line.support.adj_months is None and judged
            else None
            for line in lines
        ]
        for line, v in zip(lines, stated, strict=True):
            b = ctx.measures.band(v) if v is not None and line.support.months is None else None
            if b is not None and b.risk:
                banded.setdefault(("实际", b.label, "原报告所列"), []).append((line.region, v))
        flags += _subregion_band_flags(ctx, fund, banded, names)
        odd = [names[x.region] for x in lines if x.support.implausible == ABOVE_CEILING] if judged else []
        if odd:
            flags.append(
                Flag(
                    "not_assessed",
                    f"{len(odd)}个下级地区{FUND_SHORT[fund]}可支付月数不作判断（超过"
                    f"{nv.fmt_number(ctx.params.thresholds.months_ceiling, 2, trim=True)}个月，本期支出基数异常："
                    f"{nv.enumerate_cn(odd)}）",
                    risk=None,
                    fund=fund,
                )
            )
        unknown = [
            names[x.region]
            for x, v in zip(lines, stated, strict=True)
            if x.support.months is None and not x.support.implausible and v is None
        ]
        if judged and unknown:
            flags.append(
                Flag(
                    "not_assessed",
                    f"{len(unknown)}个下级地区{FUND_SHORT[fund]}可支付月数无法评估（缺少本期基金支出或累计结余："
                    f"{nv.enumerate_cn(unknown)}）",
                    risk=None,
                    fund=fund,
                )
            )
        moves = ctx.measures.band_moves(fund)
        if moves:
            worse = [m for m in moves if m[2].low is None or (m[1].low is not None and m[2].low < m[1].low)]
            detail = nv.enumerate_cn(f"{names[c]}由“{a.label}”变为“{b.label}”" for c, a, b in moves)
            blocks.append(
                Paragraph(
                    f"与{ctx.comparator}相比，{len(moves)}个地区{FUND_SUBJECT[fund]}可支付月数区间发生变化，"
                    f"其中{len(worse)}个下降：{detail}。"
                )
            )
        funded = [names[x.region] for x in lines if x.flow.transfer_funded]
        if funded:
            blocks.append(
                Paragraph(
                    f"{nv.enumerate_cn(funded)}的{FUND_SUBJECT[fund]}主要依靠上级补助（本级收入占含上级补助收入不足"
                    f"{nv.fmt_percent(ctx.params.thresholds.own_income_share)}），未按本级收入计算结余、计入收不抵支统计。"
                )
            )
        deficit = ctx.measures.deficit(lines)
        if deficit.areas:
            blocks.append(
                Paragraph(
                    nv.sentence_deficit_areas(
                        deficit.deficit_count,
                        total=deficit.areas,
                        shortfall=deficit.shortfall if deficit.deficit_count else None,
                        names=[names[c] for c in deficit.deficit_areas],
                        unit=u,
                        scope=f"{FUND_SUBJECT[fund]}",
                        period=ctx.period,
                        period_style=ctx.params.period_style,
                    )
                )
            )
            if deficit.deficit_count:
                flags.append(
                    Flag(
                        "deficit_areas",
                        f"{FUND_SHORT[fund]}{deficit.deficit_count}个统筹区当期收不抵支（"
                        f"{nv.enumerate_cn(names[c] for c in deficit.deficit_areas)}）",
                        fund=fund,
                    )
                )
        cols = (
            Column("area", "地区"),
            Column("income", "基金收入", "money"),
            Column("expense", "基金支出", "money"),
            Column("balance", "当期结余", "money"),
            Column("cumulative", "累计结余", "money"),
            Column("months", "可支付月数", "months"),
            Column("band", "区间"),
            Column("adjusted", "实际结余", "money"),
            Column("adj_months", "实际可支付月数", "months"),
            Column("adj_band", "区间"),
        )
        keep = [i for i, c in enumerate(cols) if i < 1 or any(r[i] not in (None, "—") for r in rows)]
        cols = tuple(cols[i] for i in keep)
        rows = [tuple(r[i] for i in keep) for r in rows]
        note = f"单位：{u}"
        if any(v is not None for v in stated):
            cols += (Column("stated_months", "实际可支付月数（报告值）", "months"),)
            rows = [(*r, v) for r, v in zip(rows, stated, strict=True)]
            note += "；实际可支付月数（报告值）为原报告所列，数据中没有各地区的基金支出，本报告未能核算"
        table = Table(
            f"t-sub-{fund}", nv.compose(f"各地区{FUND_SHORT[fund]}", "基金运行情况"), cols, tuple(rows), note=note
        )
        blocks.append(table)
        if len(chart) >= 2:
            blocks.append(
                Chart(
                    f"c-sub-{fund}",
                    "months",
                    f"各地区{FUND_SHORT[fund]}可支付月数",
                    tuple(chart),
                    "x",
                    "y",
                    "series",
                    cuts=ctx.cuts,
                    ylabel="个月",
                )
            )
    blocks += _deficit_history(ctx)
    blocks += subregion_services(ctx)
    if not blocks:
        return None
    return Section("subregions", "", tuple(blocks), flags=tuple(flags))


def _deficit_history(ctx: Context) -> list:
    """收不抵支 over years from the deficit_summary table (counts as given by the source)."""
    df = ctx.dataset.deficit_summary
    df = df[df["region"] == ctx.region].sort_values("period")
    if df.empty:
        return []
    out: list = []
    for fund, part in df.groupby("fund", sort=False):
        rows = [
            (
                nv.period_label(r["period"]),
                r["areas_total"],
                r["areas_deficit"],
                r["deficit_amount"],
                r["surplus_amount"],
            )
            for r in part.to_dict("records")
        ]
        cols = (
            Column("year", "年度"),
            Column("areas", "统筹区数", "count"),
            Column("deficit", "收不抵支统筹区数", "count"),
            Column("shortfall", "收不抵支金额", "money"),
            Column("surplus", "其余统筹区结余", "money"),
        )
        out.append(
            Table(
                f"t-deficit-{fund}",
                f"{FUND_SHORT[fund]}历年当期收不抵支情况",
                cols,
                tuple(rows),
                note=f"单位：{ctx.unit}",
            )
        )
        data = tuple(
            {"x": r[0], "series": series, "y": v}
            for r in rows
            for series, v in (("统筹区数", r[1]), ("收不抵支统筹区数", r[2]))
        )
        out.append(
            Chart(
                f"c-deficit-{fund}",
                "bars",
                f"{FUND_SHORT[fund]}历年收不抵支统筹区数",
                data,
                "x",
                "y",
                "series",
                "个",
                ylabel="统筹区数（个）",
            )
        )
        years = [r[0] for r in rows if r[2]]
        out.append(
            Paragraph(
                f"{nv.period_label(part['period'].iloc[0])}至{nv.period_label(part['period'].iloc[-1])}，"
                + (
                    f"{FUND_SUBJECT[fund]}出现当期收不抵支的有{nv.enumerate_cn(years)}。"
                    if years
                    else f"{FUND_SUBJECT[fund]}各统筹区均未出现当期收不抵支。"
                )
            )
        )
    return out


# -- other funds ------------------------------------------------------------------


SUPPLEMENTARY_SUPPORT = ("employee_major", "civil_servant")
"""Supplementary funds that keep a balance to pay benefits over time: their months of support are shown."""


def other_funds(ctx: Context) -> Section | None:
    """公务员补助, 大额补助, 大病保险, 离休统筹: income, expense, balances; 可支付月数 (with the band of
    the basic funds' thresholds) for 大额补助 and 公务员补助."""
    u, rows, paras, flags, months_shown = ctx.unit, [], [], [], False
    compare = has_prev(ctx)
    for fund in ctx.measures.other_funds:
        flow = ctx.measures.flow(fund, compare=compare)
        inc, exp, pinc, pexp = flow.income.cur, flow.expense.cur, flow.income.shown_prev, flow.expense.shown_prev
        bal = ctx.measures.other_balance(fund)
        cum = ctx.measures.cumulative(fund)
        support = ctx.measures.support(fund) if fund in SUPPLEMENTARY_SUPPORT else None
        months = support.months if support else None
        band = support.band if support and months is not None else None
        odd = support.implausible == ABOVE_CEILING if support else False  # a negative balance has its own flag
        why = _implausible(ctx, support, support.implausible) if odd else ""
        months_shown = months_shown or months is not None or odd
        rows.append((FUND_SHORT[fund], inc, exp, bal, cum, _months_cell(months, "above_ceiling" if odd else "", why),
                     band.label if band else None))  # fmt: skip
        flags += _balance_flags(ctx, fund, bal)
        if cum is not None and cum < 0:
            flags.append(_negative_cumulative(ctx, fund, cum))
        if band is not None and band.risk:  # a band the table marks is in the risk panel too
            text = f"{FUND_SHORT[fund]}可支付月数{nv.fmt_months(months)}，属于“{band.label}”区间"
            flags.append(Flag("months_band", text, fund=fund))
        kw = dict(unit=u, comparator=ctx.comparator, omit_missing=not compare)
        clauses = [
            f"{ctx.label()}，{FUND_SUBJECT[fund]}" + nv.clause_value_with_comparison("收入", inc, pinc, **kw),
            nv.clause_value_with_comparison("支出", exp, pexp, **kw),
        ]
        if bal is not None:
            clauses.append(nv.clause_balance("", bal, rate=flow.balance_rate, unit=u))
        if cum is not None:
            text = f"累计结余{nv.fmt_money(cum, u)}"
            before = ctx.measures.cumulative_prev(fund) if compare else None
            if before is not None:
                text += f"（{ctx.comparator}{nv.fmt_money(before, u)}）"
            if months is not None:
                text += f"，按本期支出水平可支付{nv.fmt_months(months)}" + (f"（{band.label}）" if band else "")
            elif odd:
                text += f"，{why}"
            clauses.append(text)
        paras.append(Paragraph(nv.join_clauses(clauses, sep="；")))
    if not rows:
        return None
    cols = [
        Column("fund", "项目"),
        Column("income", "收入", "money"),
        Column("expense", "支出", "money"),
        Column("balance", "当期结余", "money"),
        Column("cumulative", "累计结余", "money"),
    ]
    note = f"单位：{u}"
    if months_shown:
        cols += [Column("months", "可支付月数", "months"), Column("band", "区间", "text")]
        note += (
            f"；可支付月数 = 累计结余 ÷（本期支出 ÷ {ctx.period.months_elapsed}个月），仅对滚存使用的大额补助、"
            "公务员补助计算，区间沿用基本医保的月数区间"
        )
    else:
        rows = [r[:5] for r in rows]
    table = Table(
        "t-other-funds", "其他医疗保障资金", tuple(cols), tuple(rows), note=note, row_funds=ctx.measures.other_funds
    )
    extra = (
        _change_blocks(ctx, list(ctx.measures.other_funds), "t-other-funds-change", "其他医疗保障资金收支增减情况")
        if compare
        else []
    )
    return Section("other_funds", "", (*paras, table, *extra), flags=tuple(flags))
