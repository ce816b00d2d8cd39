"""Parsing numbers as analysts type them, and scaling them to base units.

Accepted: ``1234.5``, ``1,234.5``, full-width digits and punctuation
(``１，２３４．５``), a leading ``+``/``-``/``−``/``－``, surrounding spaces,
parentheses for negatives ``(123)``, and a trailing ``%``. Parsing goes
through :class:`decimal.Decimal` so that scaling 万元/亿元 to 元 is exact
before the value becomes a float (money stays at full precision; rounding is
for display only).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_MINUS = str.maketrans({"−": "-", "—": "-", "–": "-", "﹣": "-"})


MAX_MAGNITUDE = Decimal("1e15")
"""No figure of a fund report reaches 10¹⁵ in any unit (10¹⁵ 元 is a thousand times China's GDP)."""


MAX_DIGITS = 15
"""Digits before the decimal point of the largest number accepted (10¹⁵, see MAX_MAGNITUDE)."""
MAX_DECIMALS = 12
"""Decimals of the most precise number accepted; no fund figure is written with more."""


class NumberError(ValueError):
    pass


class FormulaNoValue(str):
    """A workbook cell holding a formula that was never calculated (no cached value to read)."""


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def parse_decimal(value: object) -> tuple[Decimal, bool]:
    """Parse ``value`` into (Decimal, had_percent_sign). Raises NumberError."""
    if isinstance(value, bool):
        raise NumberError("not a number")
    if isinstance(value, FormulaNoValue):
        raise NumberError("formula without a value")
    if isinstance(value, int | float):
        if isinstance(value, float) and value != value or value in (float("inf"), float("-inf")):
            raise NumberError("not a finite number")
        # Excel stores numbers as binary floats; repr gives the shortest exact text.
        number = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
        if abs(number) >= MAX_MAGNITUDE:
            raise NumberError("too large")
        return number, False
    text = unicodedata.normalize("NFKC", str(value)).translate(_MINUS).strip()
    percent = text.endswith("%")
    if percent:
        text = text[:-1].strip()
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1]
    text = text.replace(" ", "")
    # a comma is a thousands separator or a mistake ("1,,2" or "12,5" is not 12 or 125)
    if "," in text and not _THOUSANDS.match(text):
        raise NumberError("not a number")
    text = text.replace(",", "")
    if not text or text in {"-", "+", "."}:
        raise NumberError("not a number")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise NumberError("not a number") from exc
    if not number.is_finite():
        raise NumberError("not a finite number")
    # exponents are checked before any arithmetic: 1E1000000 would overflow a comparison
    if number and number.adjusted() >= MAX_DIGITS:
        raise NumberError("too large")
    if number.as_tuple().exponent < -MAX_DECIMALS:
        raise NumberError("too many decimals")
    if abs(number) >= MAX_MAGNITUDE:
        raise NumberError("too large")
    return (-number if negative else number), percent


def scale(number: Decimal, factor: float) -> float:
    """number × factor, exact in Decimal, then to float (元, 人, or a ratio)."""
    return float(number * Decimal(repr(factor)))


class Written(float):
    """A figure that remembers the finest step its source unit allows (``quantum``, base units).

    Money is written to 0.01 of its unit: a figure given in 亿元 has ``quantum`` 10⁶ 元 (0.01亿元),
    one given in 万元 has 100 元. Renderers print no finer than that (21.79亿元 shown in 万元 is
    217900万元, not 217900.00万元). Sums and differences of such figures keep the coarser quantum
    (收入 − 支出 of 亿元 figures is still known to 0.01亿元); adding a figure of unknown precision
    (a plain non-zero float), and any product or quotient, gives a plain float.
    """

    quantum: float
    estimated: bool
    """The figure is, or is derived by a sum or difference from, a back-computed input (推算)."""

    def __new__(cls, value: float, quantum: float, estimated: bool = False) -> Written:
        obj = super().__new__(cls, value)
        obj.quantum = quantum
        obj.estimated = estimated
        return obj

    def __reduce__(self):
        return (Written, (float(self), self.quantum, self.estimated))

    def _join(self, other, value: float):
        q = getattr(other, "quantum", None)
        if q is None and isinstance(other, int | float) and other == 0:
            q = 0.0  # an exact zero (sum()'s start) does not make the result less precise
        estimated = self.estimated or getattr(other, "estimated", False)
        if q is None:  # of unknown precision; an estimate stays one
            return Written(value, 0.0, True) if estimated else value
        return Written(value, max(self.quantum, q), estimated)

    def __add__(self, other):
        return self._join(other, float(self) + other) if isinstance(other, int | float) else NotImplemented

    __radd__ = __add__

    def __sub__(self, other):
        return self._join(other, float(self) - other) if isinstance(other, int | float) else NotImplemented

    def __rsub__(self, other):
        return self._join(other, other - float(self)) if isinstance(other, int | float) else NotImplemented

    def __neg__(self):
        return Written(-float(self), self.quantum, self.estimated)

    def __pos__(self):
        return self

    def __abs__(self):
        return Written(abs(float(self)), self.quantum, self.estimated)


def unit_quantum(factor: float) -> float:
    """The finest step of a figure written in a unit of ``factor`` base units: 0.01 of the unit."""
    return float(Decimal(repr(float(factor))) / 100)


def written_decimals(value: object, factor: float) -> int | None:
    """Decimals that ``value``'s written precision allows in a unit of ``factor`` base units.

    step = quantum / factor; decimals = the number of places of step below 1 (0.01 → 2, 100 → 0);
    None when the value does not carry its precision (computed figures)."""
    quantum = getattr(value, "quantum", None)
    if not quantum:
        return None
    step, places = Decimal(repr(float(quantum))) / Decimal(repr(float(factor))), 0
    while step < 1 and places < MAX_DECIMALS:
        step, places = step * 10, places + 1
    return places
