"""Analyst commentary against the computed figures: a paragraph must not contradict the report.

Commentary (params ``commentary``) is free text in the bureau's words. This module reads it the way a
reviewer does, clause by clause, and looks for statements it can tie to one computed figure:

- a fund (the nearest fund word before the statement in the same sentence: 职工, 统筹基金, 个人账户,
  居民, 生育, 大额/补充医疗, 公务员, 离休, 大病保险, 医疗救助) and a measure (基金收入, 支出, 当期结余,
  累计结余, 可支付月数, 参保人数);
- then either an amount with its unit (``收入120197万元``), compared after rounding the computed
  figure to the decimals the commentary wrote; or a direction (``收入增加``, ``支出下降3.2%``) compared
  with the sign (and, when a percentage is given, the value) of the computed change.

Statements qualified as approximate (约, 近, 超过, 左右, 余) and parts of a total (征缴收入, 利息收入,
待遇支出, …) are left alone: only what can be tied to a figure unambiguously is checked, so a note is
a real contradiction, not a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from fundreport.figures.values import Compared
from fundreport.report.context import Context
from fundreport.text import narrative as nv

FUND_WORDS: tuple[tuple[str, str], ...] = (
    ("统筹基金", "employee_pool"),
    ("职工统筹", "employee_pool"),
    ("个人账户", "employee_account"),
    ("个账", "employee_account"),
    ("职工", "employee"),
    ("城乡居民", "resident"),
    ("居民", "resident"),
    ("生育", "maternity"),
    ("大额", "employee_major"),
    ("补充医疗", "employee_major"),
    ("公务员", "civil_servant"),
    ("离休", "retired_cadre"),
    ("大病保险", "resident_critical"),
    ("医疗救助", "medical_assistance"),
)
"""Words that name a fund in commentary; where two overlap (职工统筹) the one ending later wins."""

MEASURES: tuple[tuple[str, str], ...] = (
    ("累计结余", "cumulative"),
    ("当期结余", "balance"),
    ("本期结余", "balance"),
    ("可支付", "months"),
    ("可支撑", "months"),
    ("参保人数", "enrolment"),
    ("参保", "enrolment"),
    ("收入", "income"),
    ("支出", "expense"),
)
QUALIFIERS = (
    "征缴", "利息", "其他", "财政补助", "补助", "保险费", "保费", "待遇", "上解", "转移", "筹资",
    "住院", "门诊", "门急诊", "慢特病", "药品", "医疗", "津贴", "刷卡", "异地", "市外", "市内",
)  # fmt: skip
"""Words right before 收入/支出 (or before 基金收入/基金支出) that make it a line of the statement or a
service's fund payments, not the fund's total."""
APPROXIMATE = ("约", "近", "超过", "左右", "余", "多", "逾", "达到约")
UP = ("增加", "增长", "提高", "上升", "增多", "略增", "上涨")
DOWN = ("减少", "下降", "降低", "略减", "回落", "下滑", "减")
UNITS = {
    "亿元": Decimal(10) ** 8,
    "万元": Decimal(10) ** 4,
    "元": Decimal(1),
    "万人": Decimal(10) ** 4,
    "人": Decimal(1),
}

_SENTENCE = re.compile(r"[^。；！？\n]+")
_AMOUNT = re.compile(r"^(?:为|达|达到|共|共计|合计|是|:|：)?\s*(\d[\d,]*(?:\.\d+)?)\s*(亿元|万元|元|个月|万人|人)")
_DIRECTION = re.compile(
    r"^[^，,。；\d]{0,12}?("
    + "|".join(sorted(UP + DOWN, key=len, reverse=True))
    + r")(?:了)?\s*(\d+(?:\.\d+)?)?\s*(%|％)?"
)


@dataclass(frozen=True)
class CommentaryNote:
    """One statement of a commentary paragraph that a computed figure contradicts."""

    key: str  # params key, e.g. commentary.income_expense[2]
    quote: str  # the clause as written
    message: str  # what the report computes instead

    def text(self) -> str:
        return f"{self.key}：“{self.quote}”——{self.message}"


def _fund_before(sentence: str, pos: int) -> str | None:
    best: tuple[int, str] | None = None
    for word, fund in FUND_WORDS:
        for m in re.finditer(re.escape(word), sentence[:pos]):
            if best is None or m.end() > best[0]:
                best = (m.end(), fund)
    return best[1] if best else None


def _figures(ctx: Context, fund: str, measure: str) -> tuple[Compared, str] | None:
    """The computed figure of a measure (with its comparison when it has one) and its kind
    (money | months | count), or None when the report does not compute it."""
    m = ctx.measures
    if measure in ("income", "expense"):
        if fund not in m.statement_funds and fund not in m.other_funds:
            return None
        flow = m.flow(fund)
        return (flow.income if measure == "income" else flow.expense), "money"
    if measure == "balance":
        return Compared(m.flow(fund).balance), "money"
    if measure == "cumulative":
        value = m.cumulative_total(fund) if fund in ("employee", "all_funds") else m.cumulative(fund)
        return Compared(value), "money"
    if measure == "months":
        return Compared(m.support(fund).months), "months"
    if measure == "enrolment":
        line = next((ln for ln in m.enrolment() if ln.fund == fund), None)
        return (line.total, "count") if line else None
    return None


_UNIT_KIND = {"亿元": "money", "万元": "money", "元": "money", "个月": "months", "万人": "count", "人": "count"}


def ind_rate(fig: Compared) -> float | None:
    rate = fig.rate
    return rate if isinstance(rate, float) else None


def _shown(value: float, unit: str, decimals: int) -> Decimal:
    scaled = Decimal(repr(value)) / UNITS.get(unit, Decimal(1))
    return nv.round_half_up(scaled, decimals)


def _check_clause(ctx: Context, sentence: str, start: int, word: str, measure: str) -> str | None:
    """What is wrong with the statement of ``measure`` at ``start`` in ``sentence``, or None."""
    fund = _fund_before(sentence, start)
    if fund is None:
        return None
    before = sentence[max(0, start - 8) : start].removesuffix("基金")
    if measure in ("income", "expense") and any(before.endswith(q) for q in QUALIFIERS):
        return None
    if measure == "months" and ctx.measures.support(fund).implausible:
        s = ctx.measures.support(fund)  # the report prints no months for it: say why, not a number
        if _AMOUNT.match(sentence[start + len(word) :]):
            return nv.implausible_months_phrase(s.implausible, s.monthly, s.ceiling, ctx.unit) + "（报告未列出该数）"
        return None
    figures = _figures(ctx, fund, measure)
    if figures is None or figures[0].cur is None:
        return None
    fig, kind = figures
    value = fig.cur
    rate = None if fig.doubt else ind_rate(fig)
    after = sentence[start + len(word) :]
    if any(after.lstrip("为达").startswith(a) for a in APPROXIMATE):
        return None
    amount = _AMOUNT.match(after)
    if amount and _UNIT_KIND[amount.group(2)] == kind:
        text, unit = amount.group(1).replace(",", ""), amount.group(2)
        decimals = len(text.split(".")[1]) if "." in text else 0
        stated = Decimal(text)
        shown = _shown(value, unit, decimals) if unit != "个月" else nv.round_half_up(value, decimals)
        if shown != stated:
            computed = nv.fmt_months(value) if unit == "个月" else f"{shown}{unit}"
            return f"计算结果为{computed}（按所写的{decimals}位小数取整后比较）"
        return None
    direction = _DIRECTION.match(after)
    if direction and rate is not None:
        said_up = direction.group(1) in UP
        if rate != 0 and said_up != (rate > 0):
            return f"计算结果为{nv.change_phrase(fig.cur, fig.prev, style='增长')}（与所述方向相反）"
        if direction.group(2) and direction.group(3):
            stated = Decimal(direction.group(2))
            decimals = len(direction.group(2).split(".")[1]) if "." in direction.group(2) else 0
            shown = nv.round_half_up(abs(Decimal(repr(rate))) * 100, decimals)
            if shown != stated:
                return f"计算的增减率为{nv.fmt_percent(rate)}"
    return None


def check_commentary(ctx: Context) -> tuple[CommentaryNote, ...]:
    """Every statement of the params commentary that a computed figure contradicts (see the module
    docstring), in section and paragraph order."""
    notes = []
    for section, paragraphs in ctx.params.commentary.items():
        for i, paragraph in enumerate(paragraphs):
            for sent in _SENTENCE.finditer(paragraph):
                sentence = sent.group()
                taken: list[tuple[int, int]] = []
                for word, measure in MEASURES:
                    for m in re.finditer(re.escape(word), sentence):
                        if any(a <= m.start() < b for a, b in taken):
                            continue  # 累计结余 already read; its 结余 is not another statement
                        taken.append((m.start(), m.end()))
                        problem = _check_clause(ctx, sentence, m.start(), word, measure)
                        if problem:
                            quote = sentence[max(0, m.start() - 12) : m.end() + 16].strip("，, ")
                            notes.append(CommentaryNote(f"commentary.{section}[{i + 1}]", quote, problem))
    return tuple(notes)
