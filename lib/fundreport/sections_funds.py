"""Section builders for the fund statements: 收支, 预算, 结余与可支付月数, 分地区, 其他基金.

Each builder takes a :class:`~fundreport.context.Context` and returns a
:class:`~fundreport.model.Section` (or ``None`` when the data has nothing
for it). Figures come from :mod:`fundreport.indicators`, wording from
:mod:`fundreport.narrative`; nothing here formats a number itself.
"""

from __future__ import annotations

from . import indicators as ind
from . import narrative as nv
from . import vocab
from .context import FUND_SHORT, FUND_SUBJECT, OTHER_FUNDS, Context
from .model import Chart, Column, Flag, KeyFigure, Paragraph, Section, Table


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
    """True when the dataset has any row of the comparison period for the region."""
    if ctx.prev is None:
        return False
    df = ctx.dataset[table]
    return bool(((df["region"] == ctx.region) & (df["period"] == ctx.prev)).any())


COMPONENTS = ("employee", "resident", "maternity")
"""The funds summed into the 合计 row; 统筹/个账 are parts of 职工 and are not added again."""


def _flows(ctx: Context, fund: str, period: str | None, region: str | None = None) -> tuple[float | None, float | None]:
    """(income, expense) excluding 上下级往来, 元.

    合计 (all_funds) = the sum of the component funds when any is given, so it
    excludes 上下级往来 like its rows; a source's own 合计 (which may include
    them) is used only when no component is given.
    """
    if period is None:
        return None, None
    r = region or ctx.region
    if fund == "all_funds":
        parts = [_flows(ctx, f, period, r) for f in COMPONENTS]
        if any(v is not None for pair in parts for v in pair):
            return ind.total(p[0] for p in parts if p[0] is not None), ind.total(
                p[1] for p in parts if p[1] is not None
            )
    return ctx.facts.income(r, period, fund), ctx.facts.expense(r, period, fund)


def statement_funds(ctx: Context) -> list[str]:
    """Funds of the main statement (基本医保, 生育, 合计), those with income or expense."""
    skip = set(OTHER_FUNDS) | {"medical_assistance"}
    return [
        f for f in ctx.funds_with("fund_flows") if f not in skip and any(v is not None for v in _flows(ctx, f, ctx.cur))
    ]


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
    rows, paras, chart, inter_rows, key = [], [], [], [], []
    for f in funds:
        inc, exp = _flows(ctx, f, ctx.cur)
        pinc, pexp = _flows(ctx, f, ctx.prev if compare else None)
        bal = ind.current_balance(inc, exp)
        row = [FUND_SHORT[f], inc]
        row += [pinc, ind.growth_rate(inc, pinc)] if compare else []
        row += [exp] + ([pexp, ind.growth_rate(exp, pexp)] if compare else [])
        row += [bal, ind.balance_rate(inc, exp)]
        rows.append(tuple(row))
        subject = FUND_SUBJECT[f]
        kw = dict(unit=u, comparator=ctx.comparator, omit_missing=not compare)
        # A fund with only one side known (e.g. 统筹 income when 个账 income is not given)
        # states that side alone rather than "无数据".
        clauses = [
            nv.clause_value_with_comparison(w, v, pv, **kw)
            for w, v, pv in (("收入", inc, pinc), ("支出", exp, pexp))
            if v is not None
        ]
        clauses[0] = f"{label}，{ctx.scope}{subject}{clauses[0]}"
        if bal is not None:
            clauses.append(nv.clause_balance("", bal, rate=ind.balance_rate(inc, exp), unit=u))
        paras.append(Paragraph(nv.join_clauses(clauses, sep="；")))
        if f in {"employee", "resident", "maternity"}:
            key.append(KeyFigure(f"{FUND_SHORT[f]}基金收入", nv.fmt_money(inc, u), _change_sub(ctx, inc, pinc)))
            key.append(KeyFigure(f"{FUND_SHORT[f]}基金支出", nv.fmt_money(exp, u), _change_sub(ctx, exp, pexp)))
        for what, cur, prev in (("收入", inc, pinc), ("支出", exp, pexp)):
            if f != "all_funds" and cur is not None:
                chart.append({"x": f"{FUND_SHORT[f]}{what}", "series": ctx.label(), "y": cur})
                if compare and prev is not None:
                    chart.append({"x": f"{FUND_SHORT[f]}{what}", "series": nv.period_label(ctx.prev), "y": prev})
        up = ctx.facts.inter_level(ctx.region, ctx.cur, f, "income")
        down = ctx.facts.inter_level(ctx.region, ctx.cur, f, "expense")
        if up or down:
            up_total, down_total = ind.total(up.values()), ind.total(down.values())
            with_inc = ind.total([inc, up_total]) if inc is not None else None
            with_exp = ind.total([exp, down_total]) if exp is not None else None
            inter_rows.append((FUND_SHORT[f], inc, up_total, with_inc, exp, down_total, with_exp))
            names = [f"{vocab.ITEMS.get_label(k)}{nv.fmt_money(v, u)}" for k, v in {**up, **down}.items()]
            paras.append(
                Paragraph(
                    f"以上{subject}收支不含上下级往来（{nv.enumerate_cn(names)}）；计入上下级往来后，"
                    f"收入{nv.fmt_money(with_inc, u)}，支出{nv.fmt_money(with_exp, u)}。"
                )
            )
    cols = [Column("fund", "险种")] + money_cols(ctx, "income", "基金收入", compare=compare)
    cols += money_cols(ctx, "expense", "基金支出", compare=compare)
    cols += [Column("balance", "当期结余", "money"), Column("balance_rate", "结余率", "percent")]
    totals = frozenset(i for i, f in enumerate(funds) if f == "all_funds")
    note = f"单位：{u}；收支均不含上下级往来" + ("；合计为职工医保、居民医保、生育保险之和" if totals else "")
    blocks: list = [*paras, Table("t-income-expense", "基金收支情况", tuple(cols), tuple(rows), totals, note)]
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
    blocks += _line_tables(ctx, funds, compare)
    if chart:
        blocks.append(Chart("c-income-expense", "bars", "基金收支与上年对比", tuple(chart), "x", "y", "series", u))
    return Section("income_expense", "", tuple(blocks), key_figures=tuple(key))


def _change_sub(ctx: Context, cur: float | None, prev: float | None) -> str:
    if prev is None or cur is None:
        return ""
    return nv.change_phrase(cur, prev, style="比", comparator=ctx.comparator)


def _line_tables(ctx: Context, funds: list[str], compare: bool) -> list[Table]:
    """One table of income and expense lines per fund that has at least two lines."""
    out = []
    u = ctx.unit
    for f in funds:
        rows = []
        for total in ("income_total", "expense_total", "expense_benefit"):
            for code, cur in ctx.facts.lines(ctx.region, ctx.cur, f, total).items():
                if vocab.ITEMS.term(code).inter_level:
                    continue
                prev = ctx.facts.item(ctx.region, ctx.prev, f, code) if compare else None
                row = ["　" * (total == "expense_benefit") + vocab.ITEMS.get_label(code), cur]
                row += [prev, ind.change(cur, prev), ind.growth_rate(cur, prev)] if compare else []
                rows.append(tuple(row))
        if len(rows) < 2:
            continue
        cols = [Column("item", "项目"), Column("cur", ctx.label(), "money")]
        if compare:
            cols += [
                Column("prev", nv.period_label(ctx.prev), "money"),
                Column("change", "增减额", "change"),
                Column("rate", "增减率", "rate"),
            ]
        out.append(Table(f"t-lines-{f}", f"{FUND_SHORT[f]}基金收支明细", tuple(cols), tuple(rows), note=f"单位：{u}"))
    return out


# -- budgets -----------------------------------------------------------------

BUDGET_ITEMS = ("income_total", "income_premium", "expense_total", "expense_benefit")


def executed(ctx: Context, fund: str, item: str) -> float | None:
    """The executed amount of a budget line in the report period (元)."""
    f = ctx.facts
    if item == "income_total":
        return _flows(ctx, fund, ctx.cur)[0]
    if item == "expense_total":
        return _flows(ctx, fund, ctx.cur)[1]
    if item == "expense_benefit":
        return f.benefit(ctx.region, ctx.cur, fund)
    return f.item(ctx.region, ctx.cur, fund, item)


def budget(ctx: Context) -> Section | None:
    """预算执行: execution rate = executed / annual budget against 时间进度 = end month / 12.

    A line is flagged when |rate − progress| exceeds thresholds.budget_deviation_pp.
    """
    year = str(ctx.period.year)
    progress = ctx.period.time_progress
    rows, paras, flags = [], [], []
    for fund in ctx.funds_with("budgets", year):
        for item in BUDGET_ITEMS:
            plan = ctx.facts.budget(ctx.region, year, fund, item)
            if plan is None:
                continue
            done = executed(ctx, fund, item)
            rate = ind.budget_execution(done, plan)
            dev = ind.budget_deviation(rate, progress)
            flag = ind.budget_flag(rate, progress, ctx.band_pp)
            name = f"{'各项' if fund == 'all_funds' else FUND_SHORT[fund]}{vocab.ITEMS.get_label(item)}"
            rows.append((name, plan, done, rate, progress, dev, {True: "超出控制范围", False: "正常"}.get(flag, "—")))
            paras.append(Paragraph(nv.sentence_budget(name, rate, progress, band=ctx.band_pp / 100)))
            if flag:
                flags.append(
                    Flag(
                        "budget_deviation",
                        f"{name}预算执行率{nv.fmt_percent(rate)}，偏离时间进度{nv.fmt_points(abs(dev))}",
                        fund=fund,
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
    )
    lead = Paragraph(
        f"{ctx.label()}时间进度为{nv.fmt_percent(progress)}（已过{ctx.period.end_month}个月÷12），"
        f"预算执行率与时间进度相差超过±{nv.fmt_number(ctx.band_pp, 2, trim=True)}个百分点的列为偏离。"
    )
    table = Table("t-budget", "预算执行情况", cols, tuple(rows), note=f"单位：{ctx.unit}")
    return Section("budget", "", (lead, *paras, table), flags=tuple(flags))


# -- balances and months of support ------------------------------------------------

SUPPORT_FUNDS = ("employee_pool", "resident", "maternity")
"""Pooled funds judged by months of support; other funds show their cumulative balance only."""


def support(ctx: Context, region: str, fund: str) -> dict:
    """Cumulative balance and months of support of one fund in one region.

    months = 累计结余 / (period expense / months elapsed); the 实际 version
    uses the adjusted balance; bands from thresholds.months_bands. 职工 is
    judged on 统筹基金 only (个人账户 belongs to the insured).
    """
    f, p, m = ctx.facts, ctx.cur, ctx.period.months_elapsed
    cum = f.cumulative(region, p, fund)
    exp = f.expense(region, p, fund)
    adj = f.adjusted(region, p, fund)
    months = ind.months_of_support(cum, exp, m)
    adj_months = ind.months_of_support(adj, exp, m)
    return {
        "cumulative": cum,
        "monthly": ind.monthly_expense(exp, m),
        "months": months,
        "band": ind.months_band(months, ctx.cuts),
        "adjusted": adj,
        "adj_months": adj_months,
        "adj_band": ind.months_band(adj_months, ctx.cuts),
    }


def balance(ctx: Context) -> Section | None:
    """累计结余 and 可支付月数 (book and adjusted) with the band of each pooled fund."""
    u = ctx.unit
    rows, paras, flags, key, chart = [], [], [], [], []
    for fund in SUPPORT_FUNDS + ("employee_account",):
        s = support(ctx, ctx.region, fund)
        if s["cumulative"] is None:
            continue
        pooled = fund != "employee_account"
        if s["cumulative"] < 0:
            flags.append(
                Flag(
                    "negative_balance",
                    f"{FUND_SHORT[fund]}累计结余为负（{nv.fmt_money(s['cumulative'], u)}）",
                    fund=fund,
                )
            )
        band, adj_band = s["band"], s["adj_band"]
        rows.append(
            (
                FUND_SHORT[fund],
                s["cumulative"],
                s["monthly"] if pooled else None,
                s["months"] if pooled else None,
                band.label if pooled and band else "—",
                s["adjusted"],
                s["adj_months"] if pooled else None,
                adj_band.label if pooled and adj_band else "—",
            )
        )
        subject = f"{ctx.period.end_label}，{FUND_SUBJECT[fund]}累计结余"
        if not pooled:
            paras.append(
                Paragraph(f"{subject}{nv.fmt_money(s['cumulative'], u)}，归参保人个人所有，不计算可支付月数。")
            )
            continue
        paras.append(
            Paragraph(
                nv.sentence_months_of_support(
                    subject,
                    s["cumulative"],
                    s["months"],
                    unit=u,
                    band=band.label if band else None,
                    monthly_expense=s["monthly"],
                    adjusted_balance=s["adjusted"],
                    adjusted_months=s["adj_months"],
                    adjusted_band=adj_band.label if adj_band else None,
                )
            )
        )
        for which, months, b in (("", s["months"], band), ("实际", s["adj_months"], adj_band)):
            if b is not None and b.risk and months >= 0:
                flags.append(
                    Flag(
                        "months_band",
                        f"{FUND_SHORT[fund]}{which}可支付月数{nv.fmt_months(months)}，属于“{b.label}”区间",
                        fund=fund,
                    )
                )
        if fund in {"employee_pool", "resident"} and s["months"] is not None:
            shown = s["adj_months"] if s["adj_months"] is not None else s["months"]
            shown_band = adj_band if s["adj_months"] is not None else band
            key.append(
                KeyFigure(
                    f"{FUND_SHORT[fund]}{'实际' if s['adj_months'] is not None else ''}可支付月数",
                    nv.fmt_months(shown),
                    shown_band.label if shown_band else "",
                    shown_band.risk if shown_band else None,
                )
            )
        if s["months"] is not None:
            chart.append({"x": FUND_SHORT[fund], "series": "账面", "y": s["months"]})
            if s["adj_months"] is not None:
                chart.append({"x": FUND_SHORT[fund], "series": "实际", "y": s["adj_months"]})
    if not rows:
        return None
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
    blocks: list = [*paras, Table("t-balance", "累计结余及可支付月数", cols, tuple(rows), note=note)]
    if chart:
        blocks.append(
            Chart("c-months", "months", "可支付月数", tuple(chart), "x", "y", "series", cuts=ctx.cuts, ylabel="个月")
        )
    return Section("balance", "", tuple(blocks), key_figures=tuple(key), flags=tuple(flags))


# -- sub-regions -------------------------------------------------------------------


def subregions(ctx: Context) -> Section | None:
    """分地区: balance and months of support per sub-region; 收不抵支 counts (also over years)."""
    u, blocks, flags = ctx.unit, [], []
    names = {c: ctx.dataset.region_name(c) for c in ctx.children}
    for fund in ("employee_pool", "resident", "employee", "maternity"):
        rows, balances, chart = [], {}, []
        for child in ctx.children:
            inc = ctx.facts.income(child, ctx.cur, fund)
            exp = ctx.facts.expense(child, ctx.cur, fund)
            s = support(ctx, child, fund)
            if inc is None and exp is None and s["cumulative"] is None:
                continue
            cur_bal = ind.current_balance(inc, exp)
            balances[child] = cur_bal
            band, adj_band = s["band"], s["adj_band"]
            rows.append(
                (
                    names[child],
                    inc,
                    exp,
                    cur_bal,
                    s["cumulative"],
                    s["months"],
                    band.label if band else "—",
                    s["adjusted"],
                    s["adj_months"],
                    adj_band.label if adj_band else "—",
                )
            )
            months = s["adj_months"] if s["adj_months"] is not None else s["months"]
            if months is not None:
                chart.append(
                    {"x": names[child], "series": "实际" if s["adj_months"] is not None else "账面", "y": months}
                )
            for which, m, b in (("", s["months"], band), ("实际", s["adj_months"], adj_band)):
                if b is not None and b.risk:
                    flags.append(
                        Flag(
                            "months_band",
                            f"{names[child]}{FUND_SHORT[fund]}{which}可支付月数{nv.fmt_months(m)}（{b.label}）",
                            fund=fund,
                            region=child,
                        )
                    )
        if not rows:
            continue
        deficit = ind.deficit(balances)
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
        table = Table(
            f"t-sub-{fund}",
            f"各地区{FUND_SHORT[fund]}基金运行情况",
            tuple(cols[i] for i in keep),
            tuple(tuple(r[i] for i in keep) for r in rows),
            note=f"单位：{u}",
        )
        blocks.append(table)
        if chart:
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
                f"c-deficit-{fund}", "bars", f"{FUND_SHORT[fund]}历年收不抵支统筹区数", data, "x", "y", "series", "个"
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


def other_funds(ctx: Context) -> Section | None:
    """公务员补助, 大额补助, 大病保险, 离休统筹: income, expense, balances."""
    u, rows, paras = ctx.unit, [], []
    compare = has_prev(ctx)
    for fund in [f for f in ctx.funds_with("fund_flows") if f in OTHER_FUNDS]:
        inc, exp = _flows(ctx, fund, ctx.cur)
        pinc, pexp = _flows(ctx, fund, ctx.prev if compare else None)
        bal = ind.current_balance(inc, exp)
        if bal is None:
            bal = ctx.facts.item(ctx.region, ctx.cur, fund, "balance_current")
        cum = ctx.facts.cumulative(ctx.region, ctx.cur, fund)
        rows.append((FUND_SHORT[fund], inc, exp, bal, cum))
        kw = dict(unit=u, comparator=ctx.comparator, omit_missing=not compare)
        clauses = [
            f"{ctx.label()}，{FUND_SUBJECT[fund]}" + nv.clause_value_with_comparison("收入", inc, pinc, **kw),
            nv.clause_value_with_comparison("支出", exp, pexp, **kw),
        ]
        if bal is not None:
            clauses.append(nv.clause_balance("", bal, rate=ind.balance_rate(inc, exp), unit=u))
        if cum is not None:
            clauses.append(f"累计结余{nv.fmt_money(cum, u)}")
        paras.append(Paragraph(nv.join_clauses(clauses, sep="；")))
    if not rows:
        return None
    cols = (
        Column("fund", "项目"),
        Column("income", "收入", "money"),
        Column("expense", "支出", "money"),
        Column("balance", "当期结余", "money"),
        Column("cumulative", "累计结余", "money"),
    )
    return Section(
        "other_funds", "", (*paras, Table("t-other-funds", "其他医疗保障资金", cols, tuple(rows), note=f"单位：{u}"))
    )
