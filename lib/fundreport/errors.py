"""Input errors that name their place: file, sheet, row, column, value, expectation.

Loaders collect every :class:`Issue` of a file before raising one
:class:`InputError`, so an analyst fixes a workbook in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass


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
            text += f"；实际值 {self.value!r}"
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
