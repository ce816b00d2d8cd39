"""The report structure: small immutable blocks that renderers turn into output.

Numbers are computed in :mod:`fundreport.figures.indicators`; :mod:`fundreport.sections`
assembles them into a :class:`Report` made of :class:`Section` objects holding
blocks. Blocks keep raw values (元, 人, fractions) so that each renderer (HTML
fragments for the notebook and PDF, the ipywidgets explorer, later Word)
formats them through :mod:`fundreport.text.narrative` alone; sentences are already
text because wording is part of the computation of a report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import pandas as pd


@dataclass(frozen=True)
class Paragraph:
    """A sentence or paragraph of generated text (plain text, escaped by renderers)."""

    text: str


@dataclass(frozen=True)
class Commentary:
    """The analyst's own paragraphs from the params file, shown beside the figures."""

    paragraphs: tuple[str, ...]
    title: str = "分析说明"


@dataclass(frozen=True)
class Column:
    """A table column: ``fmt`` is a :func:`fundreport.text.narrative.fmt_cell` format.

    ``share_of`` (share columns): which rows share a denominator, for the report invariants — ``total``: every
    row that is not a 合计 or 其中 row is a part of one whole; the key of another column: the rows with the
    same value there (e.g. ``fund``: shares of each fund's total); ``row``: each row has its own base."""

    key: str
    label: str
    fmt: str = "text"
    share_of: str = ""


@dataclass(frozen=True)
class Table:
    """A table of raw values; ``total_rows`` are indices of 合计 rows.

    ``row_funds`` (optional, one per row) is the fund code each row is about,
    so that views can filter rows by fund without parsing labels.
    """

    id: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]
    total_rows: frozenset[int] = frozenset()
    note: str = ""
    row_funds: tuple[str, ...] = ()

    def without_empty_columns(self) -> Table:
        """The table without columns that are empty (None, "" or "—") in every row; the first, label column
        stays. The note says which columns were left out, so a reader does not look for them."""
        empty = (None, "", "—")
        keep = [0] + [i for i in range(1, len(self.columns)) if any(r[i] not in empty for r in self.rows)]
        if len(keep) == len(self.columns) or not self.rows:
            return self
        kept = {self.columns[i].label for i in keep}
        gone = list(dict.fromkeys(c.label for i, c in enumerate(self.columns) if i not in keep and c.label not in kept))
        # a clause defining a column that is gone ("实际结余 = …") goes with it
        dropped = {c.label for i, c in enumerate(self.columns) if i not in keep} - kept
        clauses = [c for c in re.split(r"[；。]", self.note) if c and c.split(" = ")[0].strip() not in dropped]
        note = "；".join([*clauses, *([f"{'、'.join(gone)}无数据，未列出"] if gone else [])])
        return replace(
            self,
            columns=tuple(self.columns[i] for i in keep),
            rows=tuple(tuple(r[i] for i in keep) for r in self.rows),
            note=note,
        )

    def frame(self) -> pd.DataFrame:
        """The raw values as a DataFrame with the column labels."""
        return pd.DataFrame(list(self.rows), columns=[c.label for c in self.columns])

    def column(self, key: str) -> list:
        i = [c.key for c in self.columns].index(key)
        return [r[i] for r in self.rows]


#: Sum of the parts of one composition bar allowed above 100 % (rounding of the source figures).
SHARE_TOLERANCE = 0.005


@dataclass(frozen=True)
class Chart:
    """A chart spec; ``data`` rows are dicts of raw values (``x``, ``y`` and optionally ``hue`` keys).

    kinds:

    - ``bars``: grouped bars of amounts in ``unit`` (x categories, hue series);
    - ``trend``: lines over periods (x periods, hue series);
    - ``rates``: bars of fractions drawn in % (e.g. 预算执行率); no sum rule;
    - ``composition``: one horizontal 100 % bar per x (a fund, a period), split into the hue parts;
      each bar's parts are fractions of *one* denominator and add up to at most 100 %;
    - ``months``: months of support per fund or area, with ``cuts`` drawn as band lines.

    ``series_kind`` says what the hue series are: ``periods`` (the first is the report period,
    drawn dark; earlier periods in lighter tones of the same hue) or ``categories`` (distinct hues).
    ``note`` is printed under the chart (e.g. which bars could not be drawn and why).
    """

    id: str
    kind: str
    title: str
    data: tuple[dict, ...]
    x: str
    y: str
    hue: str | None = None
    unit: str = "万元"
    cuts: tuple[float, ...] = ()
    ylabel: str = ""
    series_kind: str = "categories"
    note: str = ""

    KINDS = ("bars", "trend", "rates", "composition", "months")

    def series(self) -> list:
        """The hue series in order of first appearance ([] without a hue)."""
        return list(dict.fromkeys(d[self.hue] for d in self.data)) if self.hue else []

    def categories(self) -> list:
        return list(dict.fromkeys(d[self.x] for d in self.data))

    def problems(self) -> list[str]:
        """Why this chart would mislead, in words; [] for an honest chart.

        A chart must compare something (two periods, several categories or parts); a chart whose
        title announces a comparison (对比) has period series; a composition bar's parts are shares
        of one denominator (non-negative, adding up to at most 100 %); each (x, series) is drawn once.
        """
        out = []
        if self.kind not in self.KINDS:
            out.append(f"未知图表类型 {self.kind}")
        values = [d[self.y] for d in self.data]
        if any(v is None for v in values):
            out.append("含空值")
        series, cats = self.series(), self.categories()
        if len(values) < 2 or (len(cats) < 2 and len(series) < 2):
            out.append("只有一个数据点或一个类别，没有比较")
        if "对比" in self.title and (self.series_kind != "periods" or len(series) < 2):
            out.append("标题称“对比”，但没有两个期间的序列")
        keys = [(d[self.x], d[self.hue] if self.hue else None) for d in self.data]
        if len(set(keys)) != len(keys):
            out.append("同一类别和序列出现多次")
        if self.kind == "composition":
            for x in cats:
                parts = [d[self.y] for d in self.data if d[self.x] == x and d[self.y] is not None]
                if any(v < 0 for v in parts):
                    out.append(f"{x}的构成含负数")
                if sum(parts) > 1 + SHARE_TOLERANCE:
                    out.append(f"{x}的构成合计{sum(parts) * 100:.1f}%，超过100%，不是同一分母的组成部分")
        return out


@dataclass(frozen=True)
class KeyFigure:
    """A key-figure card: label, formatted value, a comparison line, risk flag.

    ``amount`` and ``unit`` are the raw figure behind ``value`` (元, 人, 个月),
    for renderers that format themselves and for the index and manifest; ``step`` is the finest
    step the amount is known to (元; 0 when not known), so that they print no invented decimals.
    """

    label: str
    value: str
    sub: str = ""
    risk: bool | None = None
    amount: float | None = None
    unit: str = ""
    step: float = 0.0

    def __post_init__(self) -> None:
        if not self.step and getattr(self.amount, "quantum", None):
            object.__setattr__(self, "step", float(self.amount.quantum))


@dataclass(frozen=True)
class Flag:
    """A risk flag (risk=True), an all-clear note (risk=False), or a check that could not be made
    (risk=None: "cannot be assessed", never shown as "no risk").

    code: a key of :data:`fundreport.text.labels.FLAG_KINDS`. ``amount``: the figure behind the
    flag in its base unit (元 for deficits), for renderers and the index.
    """

    code: str
    text: str
    risk: bool | None = True
    fund: str = ""
    region: str = ""
    amount: float | None = None


Block = Paragraph | Commentary | Table | Chart


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    blocks: tuple[Block, ...]
    key_figures: tuple[KeyFigure, ...] = ()
    flags: tuple[Flag, ...] = ()

    @property
    def anchor(self) -> str:
        return f"sec-{self.code}"

    def texts(self) -> list[str]:
        """Every generated paragraph (for tests and the explorer)."""
        return [b.text for b in self.blocks if isinstance(b, Paragraph)]


@dataclass(frozen=True)
class Report:
    """One report: header facts and sections in order."""

    title: str
    organisation: str
    region: str
    region_name: str
    period: str
    period_label: str
    data_date: str
    sections: tuple[Section, ...]
    money_unit: str = "万元"
    key_figures: tuple[KeyFigure, ...] = ()
    flags: tuple[Flag, ...] = ()
    numbers: dict = field(default_factory=dict, compare=False)  # block id -> 表/图 number

    def section(self, code: str) -> Section | None:
        return next((s for s in self.sections if s.code == code), None)

    @property
    def toc(self) -> list[dict[str, str]]:
        return [{"id": s.anchor, "title": s.title} for s in self.sections]

    def metadata(self) -> dict:
        """What the nbconvert template shows in the title block (nb.metadata.fundreport)."""
        return {
            "title": self.title,
            "organisation": self.organisation,
            "region_name": self.region_name,
            "period_label": self.period_label,
            "data_date": self.data_date,
            "lang": "zh",
            "toc": self.toc,
        }
