"""Chinese wording of report figures: the one place where numbers become text.

Every number shown in a report goes through this module, so rounding and
wording follow one set of rules.

Conventions of the data model (inputs):

* money in 元 (float, full precision); persons in 人; visits in 人次;
  ratios and rates as fractions (``0.139`` is 13.9%); months as floats;
* a missing value is ``None`` (a float NaN, as pandas delivers it, is
  treated the same way);
* the comparison period is 去年同期 (``comparator`` changes the word, e.g.
  ``"上年"`` in annual reports).

Rounding rules (display only; values are never rounded inside the library):

* a float is taken at the exact decimal of its shortest ``repr`` (so
  ``2.675`` is 2.675, not the binary 2.67499999…), scaled to the display unit
  and divided exactly (rational arithmetic, no precision limit), then rounded
  **half up** (ties away from zero), never banker's rounding; the result is a
  :class:`~decimal.Decimal` with exactly the requested decimals;
* a result that rounds to zero is shown without a sign: never ``-0.00``;
* running text has no thousands separators (``24959.60万元``); tables may
  ask for them (``table=True`` → ``24,959.60``).

Wording rules:

* increase / decrease words come from the sign of the change, the number is
  its magnitude: ``比增0.46%`` / ``比降13.90%``, ``同比增长4.48%`` /
  ``同比下降19.01%``, ``增加918人`` / ``减少15280人``; never ``增长-13.9%``;
* equal values are ``持平``; different values whose change rounds to zero at
  the displayed precision are ``基本持平``;
* 增减率 = (cur − prev) / prev, always over the previous period; a missing,
  zero or negative previous value gives no rate and says so;
* a change of a ratio is in 个百分点: ``提高1.23个百分点``.

All functions are pure and return plain ``str`` (the caller escapes for HTML).
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Iterable, Sequence
from fractions import Fraction

from fundreport.data.periods import Period
from fundreport.text.formats import (  # noqa: F401 (re-exported: nv.fmt_money and the like)
    _DEFAULT_DECIMALS,
    _TARGET_OPS,
    _WHOLE_KINDS,
    DOUBTFUL,
    ESTIMATED,
    MISSING,
    _default_decimals,
    _display,
    _exact,
    _is_missing,
    _render,
    _rounded,
    _unit_term,
    fmt_bounds,
    fmt_cell,
    fmt_count,
    fmt_money,
    fmt_months,
    fmt_number,
    fmt_percent,
    fmt_points,
    fmt_ratio_to_one,
    fmt_standard,
    fmt_target,
    fmt_value,
    round_half_up,
    to_decimal,
)

__all__ = [
    "CHANGE_STYLES",
    "KIND_UNITS",
    "MISSING",
    "amount_change_phrase",
    "change_phrase",
    "change_rate",
    "clause_balance",
    "clause_value_with_comparison",
    "cn_number",
    "enumerate_cn",
    "fmt_bounds",
    "fmt_count",
    "fmt_money",
    "fmt_months",
    "fmt_number",
    "fmt_percent",
    "fmt_points",
    "fmt_ratio_to_one",
    "fmt_target",
    "fmt_value",
    "heading_prefix",
    "join_clauses",
    "ordinal_clauses",
    "period_label",
    "ratio_change_phrase",
    "round_half_up",
    "sentence_budget",
    "sentence_deficit_areas",
    "sentence_months_of_support",
    "sentence_value_with_comparison",
    "to_decimal",
]


# style → (increase word, decrease word, equal word, near-equal word)
CHANGE_STYLES: dict[str, tuple[str, str, str, str]] = {
    "比": ("比增", "比降", "持平", "基本持平"),
    "同比": ("同比增长", "同比下降", "同比持平", "同比基本持平"),
    "增长": ("增长", "下降", "持平", "基本持平"),
    "增幅": ("增幅为", "降幅为", "持平", "基本持平"),
    "较去年同期": ("较去年同期增长", "较去年同期下降", "与去年同期持平", "与去年同期基本持平"),
}
"""Words of a rate change: ``style → (up, down, equal, near-equal)``."""

KIND_UNITS: dict[str, tuple[str, frozenset[str]]] = {
    "money": ("万元", frozenset({"money", "rate"})),
    "count": ("人", frozenset({"persons", "count"})),
    "visits": ("人次", frozenset({"visits"})),
    "ratio": ("%", frozenset({"ratio"})),
    "months": ("个月", frozenset({"months"})),
    "days": ("天", frozenset({"days"})),
}
"""Kinds of a reported value: ``kind → (default unit, allowed UNITS kinds)``."""

_CN_DIGITS = "零一二三四五六七八九"
_TRAILING_PUNCT = "，,；;。.、：: \u3000"


# --------------------------------------------------------------------------
# changes


def change_rate(cur: object, prev: object) -> Fraction | None:
    """增减率 = (cur − prev) / prev, a fraction (0.0046 is 0.46%).

    Always over the previous period, never the current one. Exact: the
    result is a :class:`~fractions.Fraction` of the inputs' exact decimals
    (``float(rate)`` for charts; the ``fmt_*`` functions take it as is).
    ``None`` when either value is missing or ``prev <= 0`` (a zero base has
    no rate; over a negative base, e.g. a deficit, the sign would mislead).
    """
    if _is_missing(cur) or _is_missing(prev):
        return None
    base = _exact(prev)
    if base <= 0:
        return None
    return (_exact(cur) - base) / base


def _no_rate_reason(cur: object, prev: object, comparator: str) -> str | None:
    if _is_missing(cur):
        return "本期无数据"
    if _is_missing(prev):
        return f"无{comparator}数据"
    base = _exact(prev)
    if base == 0:
        return f"{comparator}为0，不计算增减率"
    if base < 0:
        return f"{comparator}为负数，不计算增减率"
    return None


def _style(style: str) -> tuple[str, str, str, str]:
    try:
        return CHANGE_STYLES[style]
    except KeyError:
        raise ValueError(f"unknown style {style!r}; one of {', '.join(CHANGE_STYLES)}") from None


def change_phrase(
    cur: object, prev: object, *, style: str = "比", decimals: int = 2, comparator: str = "去年同期"
) -> str:
    """The change of a value as a rate: ``比增0.46%`` / ``比降13.90%``.

    rate = (cur − prev) / prev (:func:`change_rate`); the word follows the
    sign, the number is |rate| × 100 rounded half up. ``style`` picks the
    words (:data:`CHANGE_STYLES`): ``"比"`` 比增/比降, ``"同比"``
    同比增长/同比下降, ``"增长"`` 增长/下降, ``"增幅"`` 增幅为/降幅为,
    ``"较去年同期"``. cur == prev → ``持平`` (style's word); a change that
    rounds to 0.00% → ``基本持平``. No rate: prev missing → ``无去年同期数据``;
    prev = 0 → ``去年同期为0，不计算增减率``; prev < 0 → ``去年同期为负数，不计算增减率``;
    cur missing → ``本期无数据``.
    """
    up, down, equal, near = _style(style)
    if not _is_missing(cur) and not _is_missing(prev) and _exact(cur) == _exact(prev):
        return equal
    reason = _no_rate_reason(cur, prev, comparator)
    if reason is not None:
        return reason
    rate = change_rate(cur, prev)
    assert rate is not None
    magnitude = round_half_up(abs(rate) * 100, decimals)  # exact Fraction arithmetic
    if magnitude == 0:
        return near
    return f"{up if rate > 0 else down}{_render(magnitude)}%"


def amount_change_phrase(
    cur: object,
    prev: object,
    unit: str = "人",
    *,
    decimals: int | None = None,
    prefix: str = "",
    comparator: str = "去年同期",
) -> str:
    """The change of a value as an amount: ``增加918人`` / ``减少15280人``.

    amount = cur − prev (base units), shown as |amount| in ``unit`` (see
    :func:`fmt_value`) after 增加/减少. ``prefix`` goes first
    (``"同比"`` → ``同比增加918人``, ``"较去年同期"``, ``"比上年"``).
    Equal → ``持平``; a change that rounds to zero → ``基本持平``;
    prev missing → ``无去年同期数据``; cur missing → ``本期无数据``.
    """
    if _is_missing(cur):
        return "本期无数据"
    if _is_missing(prev):
        return f"无{comparator}数据"
    amount = _exact(cur) - _exact(prev)
    if amount == 0:
        return f"{prefix}持平"
    diff = cur - prev if isinstance(cur, float) and isinstance(prev, float) else amount
    shown, term = _rounded(abs(diff) if getattr(diff, "quantum", None) else abs(amount), unit, decimals)
    if shown == 0:
        return f"{prefix}基本持平"
    return f"{prefix}{'增加' if amount > 0 else '减少'}{_render(shown)}{term.label}"


def _points(cur: object, prev: object, decimals: int, basis: str) -> Fraction:
    """cur% − prev% in percentage points, at ``decimals`` places (exact).

    basis "display": round each percentage half up first, then subtract (the
    difference of the figures shown); basis "exact": round (cur − prev) × 100.
    """
    if basis == "display":
        return Fraction(round_half_up(_pct(cur), decimals)) - Fraction(round_half_up(_pct(prev), decimals))
    if basis == "exact":  # the difference as the figures layer computes it (cur − prev), rounded once
        return Fraction(round_half_up(_pct(float(cur) - float(prev)), decimals))  # type: ignore[arg-type]
    raise ValueError(f"basis must be 'display' or 'exact', not {basis!r}")


def _pct(ratio: object) -> Fraction:
    """A fraction in percent (× 100), exact."""
    return _exact(ratio) * 100


def _points_text(points: Fraction, decimals: int) -> str:
    return _render(round_half_up(abs(points), decimals))


def ratio_change_phrase(
    cur_ratio: object,
    prev_ratio: object,
    *,
    decimals: int = 2,
    basis: str = "exact",
    prefix: str = "",
    words: tuple[str, str] = ("提高", "降低"),
    comparator: str = "去年同期",
) -> str:
    """The change of a ratio in percentage points: ``提高1.23个百分点`` / ``降低2.47个百分点``.

    points = cur% − prev%, computed at full precision and rounded once (``basis="exact"``, the default:
    the sentence prints the same string as the table's 百分点 column; 77.1049% vs 75.8651% → 1.24).
    ``basis="display"`` subtracts the rounded percentages instead (→ 1.23), for a text that must
    agree with the two figures it shows rather than with the table. A ratio change is
    never a growth rate (77.10% vs 75.87% is not "+1.63%"). ``words`` are
    the (up, down) verbs, e.g. ``("上升", "下降")``; ``prefix`` goes first.
    Equal → ``持平``; rounds to zero → ``基本持平``; a missing value →
    ``无去年同期数据`` / ``本期无数据``.
    """
    if _is_missing(cur_ratio):
        return "本期无数据"
    if _is_missing(prev_ratio):
        return f"无{comparator}数据"
    if _exact(cur_ratio) == _exact(prev_ratio):
        return f"{prefix}持平"
    points = _points(cur_ratio, prev_ratio, decimals, basis)
    if points == 0:
        return f"{prefix}基本持平"
    up, down = words
    return f"{prefix}{up if points > 0 else down}{_points_text(points, decimals)}个百分点"


def standard_change_phrase(cur: object, prev: object, unit: str, *, comparator: str = "上年") -> str:
    """The change of a policy amount: ``比上年增加290元/人/月，增长6.09%``, ``与上年持平``; amounts
    without padded zeros (:func:`fmt_standard`), the rate as in :func:`change_phrase`."""
    if _is_missing(cur) or _is_missing(prev):
        return ""
    diff = _exact(cur) - _exact(prev)
    if diff == 0:
        return f"与{comparator}持平"
    text = f"比{comparator}{'增加' if diff > 0 else '减少'}{fmt_standard(abs(diff), unit)}"
    if change_rate(cur, prev) is not None:
        text += "，" + change_phrase(cur, prev, style="增长", comparator=comparator)
    return text


def growth_gap_phrase(gap: object, decimals: int = 2) -> str:
    """收支增速差 in words: ``支出增速高于收入增速1.23个百分点`` (gap = expense growth − income growth,
    a fraction), ``…低于…`` when negative, ``收支增速持平`` when it rounds to zero."""
    points = round_half_up(abs(_exact(gap)) * 100, decimals)
    if points == 0:
        return "收支增速持平"
    word = "高于" if _exact(gap) > 0 else "低于"
    return f"支出增速{word}收入增速{_render(points)}个百分点"


# --------------------------------------------------------------------------
# periods and lists


def period_label(period: Period | str | int | None, style: str = "auto") -> str:
    """The Chinese name of a period (:meth:`Period.label`); a code is parsed first; None → ``""``."""
    if period is None:
        return ""
    if not isinstance(period, Period):
        period = Period.parse(period)
    return period.label(style)


def cn_number(n: int) -> str:
    """A whole number 0–99 in Chinese numerals: 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or not 0 <= n <= 99:
        raise ValueError(f"cn_number supports 0-99, not {n!r}")
    n = int(n)
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return f"{head}十{_CN_DIGITS[ones] if ones else ''}"


def heading_prefix(n: int, style: str = "（一）") -> str:
    """A numbered heading prefix: style ``"一、"`` ``"（一）"`` ``"1."`` ``"（1）"`` ``"第一部分"``.

    The ``一`` in the style is replaced by :func:`cn_number` (n), a ``1`` by n.
    """
    if "一" in style:
        return style.replace("一", cn_number(n), 1)
    if "1" in style:
        return style.replace("1", str(n), 1)
    raise ValueError(f"style {style!r} contains neither 一 nor 1")


def _strip_end(text: str) -> str:
    """A clause without the punctuation and spaces around it."""
    return text.strip(_TRAILING_PUNCT)


def join_clauses(clauses: Iterable[str | None], *, sep: str = "，", end: str = "。") -> str:
    """Join clauses into one sentence: empty ones are skipped, the
    punctuation around each clause is dropped, ``sep`` goes between and
    ``end`` after; a parenthetical repeated in several clauses is said once
    (:func:`once`).

    ``join_clauses(["收入1万元。", "", "支出2万元"], sep="；") == "收入1万元；支出2万元。"``.
    Nothing to join → ``""``.
    """
    parts = [_strip_end(c) for c in clauses if c]
    parts = [p for p in parts if p]
    if not parts:
        return ""
    return once(sep.join(parts)) + end


_PAREN = re.compile(r"（[^（）]{2,}）")


def once(sentence: str) -> str:
    """A parenthetical that occurs more than once in a sentence is kept at its last place only, worded
    for all: ``收入1万元（无去年同期数据）；支出2万元（无去年同期数据）`` →
    ``收入1万元；支出2万元（均无去年同期数据）``; ``（上年数据存疑，未作比较）`` → ``（上年数据存疑，均未作比较）``.
    Only when every clause (separated by ``；``) that has a parenthetical says this one: otherwise "均"
    would claim it of a clause that has its comparison, and the sentence is left as it is."""
    seen = [m.group() for m in _PAREN.finditer(sentence)]
    clauses = sentence.split("；")
    for text in dict.fromkeys(t for t in seen if seen.count(t) > 1):
        if not all(text in c or "（" not in c for c in clauses):
            continue  # said of some clauses only: "均" would claim it of all
        head, _, tail = sentence.rpartition(text)
        head = head.replace(text, "")
        inner = text[1:-1]
        if inner.startswith("无"):
            inner = "均" + inner
        elif "未作比较" in inner:
            inner = inner.replace("未作比较", "均未作比较")
        else:
            inner = "均" + inner
        sentence = f"{head}（{inner}）{tail}"
    return sentence


def compose(*parts: str) -> str:
    """Words joined without saying an overlap twice: ``compose("居民大病保险", "大病保险待遇", "情况")`` →
    ``居民大病保险待遇情况``; ``compose("职工统筹基金", "基金运行情况")`` → ``职工统筹基金运行情况``.
    An overlap is the longest end of what is written so far (two characters or more) that the next
    part starts with."""
    out = ""
    for part in (p for p in parts if p):
        cut = next((n for n in range(min(len(out), len(part)), 1, -1) if out.endswith(part[:n])), 0)
        out += part[cut:]
    return out


def ordinal_clauses(
    items: Iterable[str | None], *, marker: str = "是", lead: str = "", sep: str = "；", end: str = "。"
) -> str:
    """A Chinese enumerated list: ``一是……；二是……。``.

    Item k (from 1, empty items skipped) is ``cn_number(k) + marker + item``;
    ``lead`` goes first (``"主要原因："``). ``marker="、"`` gives ``一、……``.
    Nothing to list → ``""``.
    """
    parts = [_strip_end(i) for i in items if i]
    parts = [p for p in parts if p]
    if not parts:
        return ""
    body = sep.join(f"{cn_number(k)}{marker}{p}" for k, p in enumerate(parts, 1))
    return f"{lead}{body}{end}"


def enumerate_cn(items: Iterable[str | None], *, sep: str = "、", last_sep: str | None = None) -> str:
    """Names in a row: ``醴陵市、攸县、茶陵县``; ``last_sep="和"`` → ``醴陵市、攸县和茶陵县``."""
    parts = [str(i).strip() for i in items if i]
    parts = [p for p in parts if p]
    if last_sep is None or len(parts) < 2:
        return sep.join(parts)
    return f"{sep.join(parts[:-1])}{last_sep}{parts[-1]}"


# --------------------------------------------------------------------------
# sentences


def _kind_unit(kind: str, unit: str | None) -> str:
    try:
        default, allowed = KIND_UNITS[kind]
    except KeyError:
        raise ValueError(f"unknown kind {kind!r}; one of {', '.join(KIND_UNITS)}") from None
    unit = default if unit is None else unit
    if _unit_term(unit).kind not in allowed:
        raise ValueError(f"unit {unit!r} does not fit kind {kind!r}")
    return unit


_DEFAULT_COMPARE = {"money": "rate", "count": "rate", "visits": "rate", "ratio": "points", "months": "amount",
                    "days": "amount"}  # fmt: skip


def clause_value_with_comparison(
    subject: str,
    cur: object,
    prev: object,
    *,
    kind: str = "money",
    unit: str | None = None,
    decimals: int | None = None,
    verb: str | None = None,
    compare: str | None = None,
    style: str = "比",
    inside: bool = False,
    omit_missing: bool = False,
    comparator: str = "去年同期",
) -> str:
    """A value with its comparison, without period or final punctuation.

    ``全市职工基本医保基金收入24959.60万元（去年同期28990.38万元），比降13.90%``.

    subject + verb + cur（comparator + verb + prev）+ comparison, where
    ``kind`` is money / count / visits / ratio / months with default units
    万元 / 人 / 人次 / % / 个月 (:data:`KIND_UNITS`) and ``verb`` defaults to
    ``为`` for ratios, nothing otherwise. ``compare`` (default by kind):

    * ``"rate"`` (money, count, visits): :func:`change_phrase` with ``style``;
    * ``"both"``: the amount change inside the brackets and the rate after,
      ``684806人（去年同期700086人，减少15280人），比降2.18%``;
    * ``"amount"`` (months): :func:`amount_change_phrase`;
    * ``"points"`` (ratio): :func:`ratio_change_phrase`, ``提高1.23个百分点``;
    * ``"none"``: only the two values.

    ``inside=True`` puts the comparison inside the brackets:
    ``1376人次（去年同期1317人次，同比增长4.48%）``. A missing prev gives
    ``（无去年同期数据）`` or, with ``omit_missing=True``, nothing; a zero prev
    gives ``（去年同期为0），不计算增减率`` (a negative one shows its value and
    ``不计算增减率``). A
    missing cur gives ``subject + 本期无数据``.
    """
    unit = _kind_unit(kind, unit)
    verb = ("为" if kind == "ratio" else "") if verb is None else verb
    compare = _DEFAULT_COMPARE[kind] if compare is None else compare
    if getattr(prev, "doubtful", False):  # the comparison figure cannot be trusted: no comparison is made
        if _is_missing(cur):
            return f"{subject}本期无数据"
        return f"{subject}{verb}{fmt_value(cur, unit, decimals=decimals)}（{comparator}数据存疑，未作比较）"
    if compare not in {"rate", "both", "amount", "points", "none"}:
        raise ValueError(f"unknown compare {compare!r}")
    if _is_missing(cur):
        return f"{subject}本期无数据"
    head = f"{subject}{verb}{fmt_value(cur, unit, decimals=decimals)}"
    if _is_missing(prev):
        return head if omit_missing else f"{head}（无{comparator}数据）"

    zero_base = compare in {"rate", "both"} and _exact(prev) == 0
    prev_text = "为0" if zero_base else f"{verb}{fmt_value(prev, unit, decimals=decimals)}"
    bracket = [f"{comparator}{prev_text}"]
    if compare == "both":
        bracket.append(amount_change_phrase(cur, prev, unit, decimals=decimals, comparator=comparator))
    if compare in {"rate", "both"}:
        reason = _no_rate_reason(cur, prev, comparator)
        if reason is not None and _exact(cur) != _exact(prev):
            tail = "不计算增减率"  # the bracket already shows the zero or negative base
        else:
            tail = change_phrase(cur, prev, style=style, comparator=comparator)
    elif compare == "amount":
        tail = amount_change_phrase(cur, prev, unit, decimals=decimals, comparator=comparator)
    elif compare == "points":
        pct_decimals = 2 if decimals is None else decimals
        tail = ratio_change_phrase(cur, prev, decimals=pct_decimals, comparator=comparator)
    else:
        tail = ""
    if inside and tail:
        bracket.append(tail)
        tail = ""
    text = f"{head}（{'，'.join(bracket)}）"
    return f"{text}，{tail}" if tail else text


def sentence_value_with_comparison(
    period: Period | str | None,
    subject: str,
    cur: object,
    prev: object,
    *,
    kind: str = "money",
    unit: str | None = None,
    decimals: int | None = None,
    verb: str | None = None,
    compare: str | None = None,
    style: str = "比",
    inside: bool = False,
    omit_missing: bool = False,
    comparator: str = "去年同期",
    period_style: str = "auto",
    end: str = "。",
) -> str:
    """The house-style sentence: period label, clause, ``。``.

    ``sentence_value_with_comparison(Period.parse("2024M1-3"), "全市职工基本医保基金收入",
    249596000.0, 289903800.0)`` →
    ``2024年1-3月，全市职工基本医保基金收入24959.60万元（去年同期28990.38万元），比降13.90%。``

    ``period`` is a :class:`Period` or a code (None: no period), labelled with
    ``period_style`` (``"auto"`` or ``"months"``); ``end`` closes the
    sentence. The other keywords are those of
    :func:`clause_value_with_comparison`.
    """
    clause = clause_value_with_comparison(
        subject,
        cur,
        prev,
        kind=kind,
        unit=unit,
        decimals=decimals,
        verb=verb,
        compare=compare,
        style=style,
        inside=inside,
        omit_missing=omit_missing,
        comparator=comparator,
    )
    label = period_label(period, period_style)
    return join_clauses([f"{label}，{clause}" if label else clause], end=end)


def _band_text(band: object) -> str:
    return f"±{fmt_value(band, '个百分点', trim=True)}"


def sentence_budget(
    subject: str,
    rate: object,
    time_progress: Period | object,
    *,
    band: object = None,
    decimals: int = 2,
    period: Period | str | None = None,
    period_style: str = "auto",
    end: str = "。",
) -> str:
    """Budget execution against time progress.

    ``sentence_budget("职工医保基金收入", 0.3921, 0.5)`` →
    ``职工医保基金收入预算执行率为39.21%，时间进度为50.00%，低于时间进度10.79个百分点。``

    ``rate`` = 预算执行率 (executed / budget, a fraction); ``time_progress`` a
    fraction or a :class:`Period` (its ``time_progress`` = end month / 12).
    deviation = rate% − progress%, both rounded half up to ``decimals`` first
    so the sentence agrees with the figures shown: 高于 / 低于时间进度 N个百分点,
    or 与时间进度持平. With ``band`` (a fraction, 0.05 = ±5 points; 株洲's
    rule) the sentence adds 在±5个百分点的控制范围内 or 超出±5个百分点的控制范围
    (compared on the same rounded deviation). A missing rate →
    ``subject无预算执行数据，不计算预算执行率``. ``period`` prefixes its label.
    """
    progress = time_progress.time_progress if isinstance(time_progress, Period) else time_progress
    label = period_label(period, period_style)
    lead = f"{label}，" if label else ""
    if _is_missing(rate):
        return join_clauses([f"{lead}{subject}无预算执行数据，不计算预算执行率"], end=end)
    clauses = [
        f"{lead}{subject}预算执行率为{fmt_percent(rate, decimals)}",
        f"时间进度为{fmt_percent(progress, decimals)}",
    ]
    deviation = _points(rate, progress, decimals, "display")
    if deviation == 0:
        clauses.append("与时间进度持平")
    else:
        word = "高于" if deviation > 0 else "低于"
        clauses.append(f"{word}时间进度{_points_text(deviation, decimals)}个百分点")
    if not _is_missing(band):
        limit = Fraction(round_half_up(_pct(band), decimals))
        band_text = _band_text(band)
        clauses.append(f"在{band_text}的控制范围内" if abs(deviation) <= limit else f"超出{band_text}的控制范围")
    return join_clauses(clauses, end=end)


def implausible_months_phrase(why: str, monthly_expense: object, ceiling: float, unit: str = "万元") -> str:
    """Why a months-of-support figure is not printed (the codes of
    :func:`fundreport.figures.measures.plausible_months`): ``negative_balance`` → 结余为负，不计算可支付月数;
    ``above_ceiling`` → 按本期月均支出…计算超过60个月，本期支出基数异常（…），可支付月数不作判断."""
    if why == "negative_balance":
        return "结余为负，不计算可支付月数"
    if why == "above_ceiling":
        return (
            f"按本期月均支出{fmt_money(monthly_expense, unit)}计算超过{fmt_number(ceiling, 2, trim=True)}个月，"
            "本期支出基数异常，可能有支出转到其他险种或层级、或费用尚未结算，可支付月数不作判断"
        )
    return "不计算可支付月数"


def _support_clause(
    subject: str,
    balance: object,
    months: object,
    *,
    unit: str,
    decimals: int,
    band: str | None,
    approx: bool,
    why: str = "",
) -> str:
    parts = [f"{subject}{fmt_money(balance, unit)}"]
    if why:
        parts.append(why)
    elif _is_missing(months):
        parts.append("不计算可支付月数")
    elif _exact(months) < 0:
        parts.append("结余为负，不计算可支付月数")
    else:
        parts.append(f"可支付{'约' if approx else ''}{fmt_months(months, decimals)}")
        if band:
            parts.append(f"属于“{band}”区间")
    return "，".join(parts)


def sentence_months_of_support(
    subject: str,
    balance: object,
    months: object,
    *,
    unit: str = "万元",
    band: str | None = None,
    monthly_expense: object = None,
    adjusted_balance: object = None,
    adjusted_months: object = None,
    adjusted_band: str | None = None,
    adjustment: str = "剔除一次性预缴及补贴、应付未付及预留金后",
    adjusted_subject: str = "实际结余",
    decimals: int = 1,
    approx: bool = False,
    period: Period | str | None = None,
    period_style: str = "auto",
    end: str = "。",
    why: str = "",
    adjusted_why: str = "",
) -> str:
    """Cumulative balance and months of support (可支付月数).

    ``sentence_months_of_support("统筹基金累计结余", 2207540000.0, 18.46, band="过多结余")`` →
    ``统筹基金累计结余220754.00万元，可支付18.5个月，属于“过多结余”区间。``

    ``months`` = balance / average monthly expense (computed by the caller);
    ``monthly_expense`` (元/月), when given, adds ``按月均支出…计算``.
    ``band`` is the label of the band the months fall in (the thresholds are
    parameters, not wording). With ``adjusted_balance`` the sentence goes on
    with ``；剔除…后实际结余…，可支付…个月…``. ``approx=True`` writes
    ``约`` (use with ``decimals=0``). Missing months → 不计算可支付月数;
    negative months → 结余为负，不计算可支付月数. ``why`` / ``adjusted_why``: a phrase saying why the months
    are not a figure (:func:`implausible_months_phrase`), printed instead of them.
    """
    label = period_label(period, period_style)
    lead = f"{label}，" if label else ""
    first = _support_clause(subject, balance, months, unit=unit, decimals=decimals, band=band, approx=approx, why=why)
    if not _is_missing(monthly_expense) and not _is_missing(months):
        head, _, rest = first.partition("，")
        first = f"{head}，按月均支出{fmt_money(monthly_expense, unit)}计算，{rest}"
    clauses = [lead + first]
    if not _is_missing(adjusted_balance):
        second = _support_clause(
            adjusted_subject,
            adjusted_balance,
            adjusted_months,
            unit=unit,
            decimals=decimals,
            band=adjusted_band,
            approx=approx,
            why=adjusted_why,
        )
        clauses.append(adjustment + second)
    return join_clauses(clauses, sep="；", end=end)


def clause_balance(subject: str, balance: object, *, rate: object = None, unit: str = "万元", decimals: int = 2) -> str:
    """Current balance (当期结余 = income − expense, computed by the caller).

    ``clause_balance("统筹基金", 33802400.0, rate=0.1953)`` →
    ``统筹基金当期结余3380.24万元，结余率为19.53%``; a negative balance →
    ``统筹基金当期收不抵支1234.00万元`` (the shortfall, no rate); zero →
    ``统筹基金当期收支平衡``; missing → ``统筹基金当期结余无数据``.
    """
    if _is_missing(balance):
        return f"{subject}当期结余无数据"
    value = _exact(balance)
    if _rounded(value, unit, decimals)[0] == 0:
        return f"{subject}当期收支平衡"
    if value < 0:
        return f"{subject}当期收不抵支{fmt_money(abs(balance), unit, decimals)}"  # abs keeps its written step
    text = f"{subject}当期结余{fmt_money(balance, unit, decimals)}"
    if not _is_missing(rate):
        text += f"，结余率为{fmt_percent(rate, decimals)}"
    return text


def sentence_deficit_areas(
    count: int,
    *,
    total: int | None = None,
    shortfall: object = None,
    names: Sequence[str] = (),
    unit: str = "万元",
    scope: str = "全市",
    area: str = "统筹区",
    period: Period | str | None = None,
    period_style: str = "auto",
    end: str = "。",
) -> str:
    """How many pooling areas ran a deficit (收不抵支 count).

    ``sentence_deficit_areas(2, total=11, shortfall=12345600.0, names=["茶陵县", "攸县"], period="2021")`` →
    ``2021年度，全市11个统筹区中有2个收不抵支（茶陵县、攸县），合计超支1234.56万元。``
    count 0 → ``全市11个统筹区均未出现收不抵支``.
    """
    label = period_label(period, period_style)
    lead = f"{label}，" if label else ""
    where = f"{scope}{total}个{area}中" if total is not None else f"{scope}"
    if count == 0:
        body = f"{scope}{total}个{area}均未出现收不抵支" if total is not None else f"{scope}未出现收不抵支的{area}"
        return join_clauses([lead + body], end=end)
    counted = f"{where}有{count}个收不抵支" if total is not None else f"{scope}有{count}个{area}收不抵支"
    listed = enumerate_cn(names)
    clauses = [lead + counted + (f"（{listed}）" if listed else "")]
    if not _is_missing(shortfall):
        clauses.append(f"合计超支{fmt_money(abs(_exact(shortfall)), unit)}")
    return join_clauses(clauses, end=end)
