"""Reporting periods: parse codes, months elapsed, comparison period, Chinese names.

Codes (case-insensitive, full-width characters accepted):

=============  ===========================  ==================
code           meaning                      Chinese name
=============  ===========================  ==================
``2021``       the year (also ``2021Y``)    2021年度
``2021H1``     half-year 1 or 2             2021年上半年
``2024Q1``     quarter 1..4                 2024年一季度
``2024M1-3``   cumulative months a..b       2024年1-3月
``2024M6``     single month                 2024年6月
=============  ===========================  ==================

The comparison period (去年同期) is the same months of the previous year.
``months_elapsed`` is the number of months the period covers; for a
cumulative period starting in January it is also the time progress
numerator (时间进度 = months_elapsed / 12).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_CN_DIGITS = "一二三四"
_PATTERN = re.compile(r"^(?P<year>\d{4})(?:(?P<y>Y)|H(?P<h>[12])|Q(?P<q>[1-4])|M(?P<a>\d{1,2})(?:-(?P<b>\d{1,2}))?)?$")


class PeriodError(ValueError):
    """A period code that does not parse."""


@dataclass(frozen=True, order=True)
class Period:
    """A span of whole months inside one calendar year."""

    year: int
    start_month: int
    end_month: int
    kind: str  # year | half | quarter | months | month

    @classmethod
    def parse(cls, text: str | int) -> Period:
        raw = unicodedata.normalize("NFKC", str(text)).strip().upper().replace("－", "-")
        m = _PATTERN.match(raw)
        if not m:
            raise PeriodError(f"期间代码 {text!r} 无法识别；应为 2021、2021H1、2024Q1、2024M1-3 或 2024M6")
        year = int(m["year"])
        if m["h"]:
            h = int(m["h"])
            return cls(year, 6 * h - 5, 6 * h, "half")
        if m["q"]:
            q = int(m["q"])
            return cls(year, 3 * q - 2, 3 * q, "quarter")
        if m["a"]:
            a = int(m["a"])
            b = int(m["b"]) if m["b"] else a
            if not (1 <= a <= b <= 12):
                raise PeriodError(f"期间代码 {text!r} 的月份应在 1-12 之间且起不大于止")
            if m["b"] is None:
                return cls(year, a, a, "month")
            if a == 1 and b == 12:
                return cls(year, 1, 12, "year")
            return cls(year, a, b, "months")
        return cls(year, 1, 12, "year")

    @property
    def code(self) -> str:
        if self.kind == "year":
            return str(self.year)
        if self.kind == "half":
            return f"{self.year}H{self.end_month // 6}"
        if self.kind == "quarter":
            return f"{self.year}Q{self.end_month // 3}"
        if self.kind == "month":
            return f"{self.year}M{self.start_month}"
        return f"{self.year}M{self.start_month}-{self.end_month}"

    def __str__(self) -> str:
        return self.code

    @property
    def months_elapsed(self) -> int:
        """Months covered by the period (end − start + 1)."""
        return self.end_month - self.start_month + 1

    @property
    def time_progress(self) -> float:
        """时间进度 = end month / 12 (budgets are annual, counted from January)."""
        return self.end_month / 12

    @property
    def is_cumulative(self) -> bool:
        """True when the period runs from January (年初至今)."""
        return self.start_month == 1

    @property
    def comparison(self) -> Period:
        """去年同期: the same months one year earlier."""
        return Period(self.year - 1, self.start_month, self.end_month, self.kind)

    @property
    def budget_year(self) -> Period:
        """The annual period whose budget this period executes."""
        return Period(self.year, 1, 12, "year")

    def label(self, style: str = "auto") -> str:
        """Chinese name. style: auto | months (force 2024年1-3月)."""
        y = f"{self.year}年"
        if style == "months" and self.kind != "month":
            return f"{y}{self.start_month}-{self.end_month}月" if self.kind != "year" else f"{y}1-12月"
        if self.kind == "year":
            return f"{y}度"
        if self.kind == "half":
            return y + ("上半年" if self.end_month == 6 else "下半年")
        if self.kind == "quarter":
            return f"{y}{_CN_DIGITS[self.end_month // 3 - 1]}季度"
        if self.kind == "month":
            return f"{y}{self.start_month}月"
        return f"{y}{self.start_month}-{self.end_month}月"

    @property
    def end_label(self) -> str:
        """期末: e.g. 2021年6月底."""
        return f"{self.year}年{self.end_month}月底"
