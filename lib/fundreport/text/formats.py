"""Numbers as a report prints them: exact rounding (half up, once, for display) and the formats of text,
tables and cells. :mod:`fundreport.text.narrative` builds the phrases on these and re-exports them.

Conventions (inputs): money in 元 (float, full precision); persons in 人; visits in 人次; ratios and rates as
fractions; months as floats; a missing value is ``None`` (a float NaN is treated the same way).

Rounding rules (display only; values are never rounded inside the library): a float is taken at the exact
decimal of its shortest ``repr`` (``2.675`` is 2.675), scaled to the display unit and divided exactly
(rational arithmetic), then rounded **half up** (ties away from zero); the result has exactly the requested
decimals; a result that rounds to zero has no sign (never ``-0.00``); running text has no thousands
separators (``24959.60万元``), tables may ask for them (``24,959.60``).
"""

from __future__ import annotations

import math
import numbers
from decimal import Decimal
from fractions import Fraction

from fundreport.data.decimals import written_decimals
from fundreport.data.vocab import UNITS

MISSING = "—"
"""Placeholder for a missing value in a table cell."""
DOUBTFUL = "数据存疑"
"""What a table cell shows for a figure the data makes doubtful (see fundreport.figures.values.Doubt)."""

# Default decimals by UNITS kind (for units with factor 1 where it matters).
_DEFAULT_DECIMALS = {"money": 2, "rate": 2, "ratio": 2, "ratio_points": 2, "months": 1, "days": 2}
_WHOLE_KINDS = frozenset({"persons", "visits", "count"})


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def to_decimal(value: object) -> Decimal:
    """The exact decimal a number stands for.

    ``int`` → exact; ``float`` → the decimal of its shortest ``repr``
    (``0.1`` → ``Decimal("0.1")``, not the binary expansion); ``Decimal`` as
    is. numpy scalars are accepted. Raises ``TypeError`` for non-numbers
    (including ``bool``, ``str`` and ``None``) and ``ValueError`` for NaN or
    infinity.
    """
    if isinstance(value, bool) or value is None:
        raise TypeError(f"not a number: {value!r}")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, numbers.Integral):
        number = Decimal(int(value))
    elif isinstance(value, numbers.Real) and not isinstance(value, Fraction):
        number = Decimal(repr(float(value)))
    else:
        raise TypeError(f"not a number: {value!r}")
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number


def _exact(value: object) -> Fraction:
    """The exact rational value (a Fraction passes through; see :func:`to_decimal`)."""
    if isinstance(value, Fraction):
        return value
    return Fraction(to_decimal(value))


def round_half_up(value: object, decimals: int = 2) -> Decimal:
    """``value`` rounded half up (ties away from zero) to ``decimals`` places.

    The exact decimal of the value (see :func:`to_decimal`; a ``Fraction``
    is taken as is) is rounded with integer arithmetic:
    n = ⌊|x|·10^d + ½⌋, result = sign(x)·n / 10^d. So
    ``round_half_up(2.675, 2) == Decimal("2.68")`` and
    ``round_half_up(0.125, 2) == Decimal("0.13")``. A result equal to zero is
    returned without sign (``Decimal("0.00")``, never ``-0.00``).
    """
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    x = _exact(value)
    scaled = abs(x) * 10**decimals
    n = (2 * scaled.numerator + scaled.denominator) // (2 * scaled.denominator)
    sign = "-" if x < 0 and n else ""
    digits = str(n).rjust(decimals + 1, "0")
    if decimals:
        return Decimal(f"{sign}{digits[:-decimals]}.{digits[-decimals:]}")
    return Decimal(f"{sign}{digits}")


def _render(rounded: Decimal, *, sep: bool = False, trim: bool = False) -> str:
    """Text of a rounded Decimal: no exponent, optional thousands separators,
    optional removal of trailing fractional zeros."""
    text = format(rounded, ",f" if sep else "f")
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def fmt_number(
    value: object, decimals: int = 2, *, sep: bool = False, trim: bool = False, missing: str = MISSING
) -> str:
    """A plain number: ``fmt_number(24959.6) == "24959.60"``.

    Rounded half up to ``decimals`` places (:func:`round_half_up`), no
    exponent, ``-`` for negatives, never ``-0.00``. ``sep=True`` adds
    thousands separators (for tables: ``"24,959.60"``); ``trim=True`` drops
    trailing fractional zeros after rounding (``6.00`` → ``6``). A missing
    value gives ``missing``.
    """
    if _is_missing(value):
        return missing
    written = written_decimals(value, 1.0)  # a raw figure in its base unit: no more decimals than written
    return _render(round_half_up(value, decimals if written is None else min(decimals, written)), sep=sep, trim=trim)


def _unit_term(unit: str):
    code = UNITS.resolve(unit)
    if code is None:
        hint = UNITS.suggest(unit)
        raise ValueError(f"未知单位 {unit!r}" + (f"；是否为 {hint}？" if hint else ""))
    return UNITS.term(code)


def _display(value: object, unit: str) -> tuple[Fraction, object]:
    """(exact value in the display unit, unit term): value / factor(unit)."""
    term = _unit_term(unit)
    return _exact(value) / _exact(term.factor), term


def _default_decimals(term) -> int:
    if term.kind in _WHOLE_KINDS:
        return 0 if term.factor == 1 else 2
    return _DEFAULT_DECIMALS.get(term.kind, 2)


def _rounded(value: object, unit: str, decimals: int | None) -> tuple[Decimal, object]:
    """(value in display unit rounded half up, unit term)."""
    shown, term = _display(value, unit)
    places = _default_decimals(term) if decimals is None else decimals
    written = written_decimals(value, term.factor)  # never more decimals than the source was written with
    return round_half_up(shown, places if written is None else min(places, written)), term


ESTIMATED = "（推算）"
"""Printed after a figure that is, or is derived from, a back-computed input (data contract column 来源)."""


def fmt_value(
    value: object,
    unit: str,
    *,
    decimals: int | None = None,
    table: bool = False,
    trim: bool = False,
    sep: bool = False,
    missing: str = MISSING,
) -> str:
    """A value in base units shown in ``unit`` (a label, code or alias of ``vocab.UNITS``).

    displayed = value / factor(unit), rounded half up, followed by the unit
    label: money in 元 → ``万元``/``亿元``/``元`` (2 decimals); persons in 人 →
    ``人`` (0 decimals) or ``万人`` (2); visits → ``人次``/``万人次``; a
    fraction → ``%`` (×100, 2 decimals); a fraction difference → ``个百分点``;
    months → ``个月`` (1 decimal); rates such as ``元/人次`` (2 decimals).
    ``decimals`` overrides the default. ``table=True``: thousands separators
    and no unit suffix (the unit goes in the column header), except ``%``,
    which stays. ``trim=True`` drops trailing fractional zeros. ``sep=True`` adds thousands
    separators and keeps the unit (key-figure cards: ``24,959.60万元``).
    """
    if _is_missing(value):
        return missing
    shown, term = _rounded(value, unit, decimals)
    text = _render(shown, sep=table or sep, trim=trim)
    mark = ESTIMATED if getattr(value, "estimated", False) else ""  # a back-computed figure says so
    if table and term.kind != "ratio":
        return text + mark
    return text + term.label + mark


def fmt_money(
    yuan: object,
    unit: str = "万元",
    decimals: int = 2,
    *,
    table: bool = False,
    sep: bool = False,
    missing: str = MISSING,
) -> str:
    """Money given in 元, shown in ``unit`` (元, 万元, 亿元).

    ``fmt_money(249596000.0) == "24959.60万元"``;
    ``fmt_money(249596000.0, table=True) == "24,959.60"``.
    displayed = yuan / 10⁴ (万元) or / 10⁸ (亿元), rounded half up.
    """
    term = _unit_term(unit)
    if term.kind != "money":
        raise ValueError(f"{unit!r} 不是金额单位")
    return fmt_value(yuan, unit, decimals=decimals, table=table, sep=sep, missing=missing)


def fmt_count(
    n: object,
    unit: str = "人",
    decimals: int | None = None,
    *,
    table: bool = False,
    sep: bool = False,
    missing: str = MISSING,
) -> str:
    """A count of persons (人, 万人), visits (人次, 万人次) or items (个).

    ``fmt_count(202521) == "202521人"``; ``fmt_count(727400, "万人") == "72.74万人"``.
    Whole units get 0 decimals, 万 units 2 (n / 10⁴), rounded half up.
    """
    term = _unit_term(unit)
    if term.kind not in _WHOLE_KINDS:
        raise ValueError(f"{unit!r} 不是人数、人次或个数单位")
    return fmt_value(n, unit, decimals=decimals, table=table, sep=sep, missing=missing)


def fmt_percent(ratio: object, decimals: int = 2, *, missing: str = MISSING) -> str:
    """A fraction as a percentage: ``fmt_percent(0.139) == "13.90%"`` (ratio × 100, half up)."""
    return fmt_value(ratio, "%", decimals=decimals, missing=missing)


def fmt_points(delta_ratio: object, decimals: int = 2, *, missing: str = MISSING) -> str:
    """A difference of two fractions in percentage points, signed.

    ``fmt_points(0.0123) == "1.23个百分点"`` (delta × 100, half up). For
    wording with a direction use :func:`ratio_change_phrase`.
    """
    return fmt_value(delta_ratio, "个百分点", decimals=decimals, missing=missing)


def fmt_standard(value: object, unit: str, *, rate: bool = False, missing: str = MISSING) -> str:
    """A policy figure as written in a policy document, without padded zeros: ``5054元/人/月``,
    ``3032.4元/人/月``, a rate (fraction) ``8.7%`` (at most 2 decimals, half up)."""
    if _is_missing(value):
        return missing
    if rate:
        return f"{fmt_number(_exact(value) * 100, 2, trim=True)}%"
    return f"{fmt_number(value, 2, trim=True)}{unit}"


def fmt_months(months: object, decimals: int = 1, *, missing: str = MISSING) -> str:
    """A number of months: ``fmt_months(18.46) == "18.5个月"`` (half up)."""
    return fmt_value(months, "个月", decimals=decimals, missing=missing)


def fmt_ratio_to_one(value: object, decimals: int = 2, *, missing: str = MISSING) -> str:
    """A ratio such as 在职退休比 written ``x:1``: ``fmt_ratio_to_one(2.531) == "2.53:1"``."""
    if _is_missing(value):
        return missing
    return f"{fmt_number(value, decimals)}:1"


_TARGET_OPS = {">=": "≥", "≥": "≥", "<=": "≤", "≤": "≤", "=": "=", "==": "=", ">": ">", "<": "<"}


def fmt_target(op: str, value: object, unit: str, *, high: object = None, decimals: int | None = None) -> str:
    """A performance target (绩效指标预期值) as written in the evaluation tables.

    ``fmt_target("≥", 413449, "人") == "≥413449人"``;
    ``fmt_target("=", 280, "元/人/年") == "=280元/人/年"``;
    ``fmt_target("range", 0.95, "%", high=1.05) == "105%≥x≥95%"``.
    ``op`` is one of ≥ ≤ = > < (ASCII ``>=``/``<=`` accepted) or ``"range"``
    (``value`` is the lower bound, ``high`` the upper). Bounds are in base
    units; trailing zeros are trimmed unless ``decimals`` is given.
    """

    def bound(v: object) -> str:
        return fmt_value(v, unit, decimals=decimals, trim=decimals is None)

    if op == "range":
        if _is_missing(high):
            raise ValueError("range target needs high")
        return f"{bound(high)}≥x≥{bound(value)}"
    if op not in _TARGET_OPS:
        raise ValueError(f"unknown target operator {op!r}")
    return f"{_TARGET_OPS[op]}{bound(value)}"


def fmt_bounds(
    low: object, high: object, unit: str | None = None, *, decimals: int | None = None, missing: str = MISSING
) -> str:
    """A target given by its bounds (inclusive, None = open), e.g. ``indicators.Target``.

    low = high → ``=280元/人/年``; both → ``105%≥x≥95%``; low only →
    ``≥413449人``; high only → ``≤5%``; neither → ``missing``. Bounds are in
    base units; ``unit=None`` writes bare numbers (trimmed unless ``decimals``).
    """
    has_low, has_high = not _is_missing(low), not _is_missing(high)
    if not (has_low or has_high):
        return missing
    if unit is None:

        def bound(v: object) -> str:
            return fmt_number(v, 4 if decimals is None else decimals, trim=decimals is None)

        if has_low and has_high:
            if _exact(low) == _exact(high):
                return f"={bound(low)}"
            return f"{bound(high)}≥x≥{bound(low)}"
        return f"≥{bound(low)}" if has_low else f"≤{bound(high)}"
    if has_low and has_high:
        if _exact(low) == _exact(high):
            return fmt_target("=", low, unit, decimals=decimals)
        return fmt_target("range", low, unit, high=high, decimals=decimals)
    return fmt_target("≥", low, unit, decimals=decimals) if has_low else fmt_target("≤", high, unit, decimals=decimals)


def fmt_cell(value: object, fmt: str, *, unit: str = "万元", missing: str = MISSING) -> str:
    """A table cell: numbers with thousands separators, no unit (it is in the header).

    ``fmt`` is the column format: ``money`` (元 shown in ``unit``, 2 decimals),
    ``count`` (人, 0 decimals), ``visits`` (人次), ``percent`` (fraction → 12.34%),
    ``rate`` (signed percent: ``+13.90%`` / ``-13.90%``), ``points`` (signed
    百分点 as a number: ``+1.23``), ``months`` (1 decimal), ``ratio`` (x:1, 2
    decimals), ``per`` (元 per visit or person, 2 decimals), ``change``
    (signed money in ``unit``), ``change_count`` (signed persons), ``change_per`` (signed 元 per
    person or visit, 2 decimals), ``text``.
    A sign is only shown when the rounded value is not zero.
    """
    if getattr(value, "doubtful", False):
        return getattr(value, "label", DOUBTFUL)
    if fmt == "text":
        return missing if _is_missing(value) else str(value)
    if _is_missing(value):
        return missing
    if fmt == "money":
        return fmt_money(value, unit, table=True)
    mark = ESTIMATED if getattr(value, "estimated", False) else ""
    if fmt in {"count", "visits"}:
        return fmt_number(value, 0, sep=True) + mark
    if fmt == "percent":
        return fmt_percent(value)
    if fmt == "months":
        return fmt_number(value, 1, sep=True) + mark
    if fmt in {"ratio", "per"}:
        return fmt_number(value, 2, sep=True) + mark
    if fmt == "rate":
        text = fmt_percent(value)
    elif fmt == "points":
        text = fmt_number(_exact(value) * 100, 2)
    elif fmt == "change":
        text = fmt_money(value, unit, table=True)
    elif fmt == "change_count":
        text = fmt_number(value, 0, sep=True)
    elif fmt == "change_per":
        text = fmt_number(value, 2, sep=True)
    else:
        raise ValueError(f"unknown cell format {fmt!r}")
    return text if text.startswith("-") or text.strip("0.,%") == "" else "+" + text
