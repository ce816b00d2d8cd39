"""Small-cell suppression (隐私保护) of tables by sub-region or institution.

A row whose persons (人数; 人次 where the data give no 人数) are fewer than the params' ``min_cell_persons``
shows ``*`` in every figure of the row: a handful of patients in a county can be recognised, and so can
their costs (primary suppression). When exactly one row of a table is suppressed, it could be recovered
by subtracting the others from the total the report prints, so the row with the next smallest count is
suppressed too (secondary suppression). A row without any count cannot be judged and is suppressed
as well: "cannot be assessed" is not "safe to show".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from fundreport.figures.values import Doubt

MARK = "*"


def suppressed_cell(min_persons: int) -> Doubt:
    """The value a suppressed cell holds: renderers show ``*``; the reason goes to the table's note."""
    return Doubt(f"人数少于{min_persons}人，不予显示", label=MARK)


def suppress(
    rows: Sequence[tuple], count: Callable[[tuple], float | None], figures: Sequence[int], min_persons: int
) -> tuple[tuple[tuple, ...], int]:
    """The rows with the figure columns ``figures`` of small rows replaced by :func:`suppressed_cell`, and
    how many rows were suppressed. ``count(row)``: the row's persons (or visits); ``min_persons`` 0 keeps
    every row."""
    if min_persons <= 0:
        return tuple(rows), 0
    small = {i for i, r in enumerate(rows) if (n := count(r)) is None or n < min_persons}
    if len(small) == 1 and len(rows) > 1:
        rest = [(count(r), i) for i, r in enumerate(rows) if i not in small]
        small.add(min(rest)[1])
    cell = suppressed_cell(min_persons)
    out = tuple(
        tuple(cell if i in small and j in figures and v is not None else v for j, v in enumerate(r))
        for i, r in enumerate(rows)
    )
    return out, len(small)


def note(min_persons: int, what: str = "地区") -> str:
    """The sentence a table with suppressed rows (of ``what``: 地区, 机构) carries."""
    return f"{MARK} 为保护个人隐私，人数（无人数时为人次）少于{min_persons}的{what}不显示其数值"
