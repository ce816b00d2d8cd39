"""Input errors that name their place: file, sheet, row, column, value, expectation.

Loaders collect every :class:`Issue` of a file before raising one
:class:`InputError`, so an analyst fixes a workbook in one pass.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

VALUE_LIMIT = 200
"""Values longer than this are elided in messages (with their length)."""

_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def shown_value(value: object) -> str:
    """A value as a message shows it: quoted, control and bidi characters made visible, elided past 200 characters."""
    text = str(value)
    text = _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    if len(text) > VALUE_LIMIT:
        return f"“{text[:VALUE_LIMIT]}…”（共{len(text)}个字符）"
    return f"“{text}”"


def unsafe_characters(text: str) -> list[str]:
    """Control, zero-width and bidi-override characters in text (as U+XXXX names)."""
    return [f"U+{ord(c):04X}（{unicodedata.name(c, '控制字符')}）" for c in dict.fromkeys(_UNSAFE.findall(text))]


@dataclass(frozen=True)
class Issue:
    """One problem in an input file.

    row is the 1-based row number as shown by Excel or a text editor
    (the header is row 1). key is the params key path for params files.
    """

    file: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    expected: str | None = None
    key: str | None = None

    def location(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"工作表「{self.sheet}」")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"列「{self.column}」")
        if self.key:
            parts.append(f"键 {self.key}")
        return "，".join(parts)

    def __str__(self) -> str:
        text = f"{self.location()}：{self.message}"
        if self.value is not None:
            text += f"；实际值 {shown_value(self.value)}"
        if self.expected:
            text += f"；应为 {self.expected}"
        return text


class InputError(Exception):
    """All issues found in one input (a dataset or a params file)."""

    def __init__(self, issues: list[Issue]):
        self.issues = list(issues)
        super().__init__(self.render())

    def render(self, limit: int | None = None) -> str:
        shown = self.issues if limit is None else self.issues[:limit]
        lines = [f"发现 {len(self.issues)} 处输入错误："] + [f"  - {i}" for i in shown]
        if limit is not None and len(self.issues) > limit:
            lines.append(f"  …… 另有 {len(self.issues) - limit} 处")
        return "\n".join(lines)
