"""Report sections 预算执行情况 and 下年度基金收支预算: the budget lines of the report year against 时间进度,
and next year's budgets against this period's figures."""

from __future__ import annotations

from fundreport.data import vocab
from fundreport.figures.values import Doubt
from fundreport.report.context import Context
from fundreport.report.model import Column, Flag, Paragraph, Section, Table
from fundreport.text import narrative as nv
from fundreport.text.labels import BUDGET_FLAG, FUND_SHORT, FUND_SUBJECT


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
