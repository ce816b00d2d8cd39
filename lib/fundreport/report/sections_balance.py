"""Report sections 结余及支撑能力 (累计结余, 可支付月数 book and 实际, their bands and flags), 暂收暂付款 and
其他医疗保障资金 (大额, 大病, 公务员, 离休: balances and their months where they are judged)."""

from __future__ import annotations

from fundreport.data import vocab
from fundreport.figures.measures import SUPPORT_FUNDS
from fundreport.figures.values import ABOVE_CEILING
from fundreport.report.context import Context
from fundreport.report.model import Chart, Column, Flag, KeyFigure, Paragraph, Section, Table
from fundreport.report.sections_funds import (
    _balance_flags,
    _change_blocks,
    _cumulative_words,
    _implausible,
    _months_cell,
    _months_not_assessed,
    _negative_cumulative,
    has_prev,
)
from fundreport.text import narrative as nv
from fundreport.text.labels import FUND_SHORT, FUND_SUBJECT


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
