"""How a sum over funds is named: the 合计 row's label, the subject of its sentence and its table note,
all from what the sum holds (see :mod:`fundreport.figures.totals`; this layer gets the basis as plain
fields, so it does not import the figures layer).

- a complete or entered total is "合计" in a table and "各项医保基金" in a sentence — unless 职工 is in
  it as its 统筹基金 only, when the sentence names the funds it holds (职工医保统筹基金和城乡居民基本医保基金);
- a partial sum is "已知部分合计（不含…）" and its sentence names what it holds and what it leaves out;
- the note says which funds the total holds, whether it is the source's own figure, and when that
  figure differs from the sum of its parts or included 上下级往来.
"""

from __future__ import annotations

from typing import Protocol

from fundreport.text.labels import FUND_SHORT, FUND_SUBJECT
from fundreport.text.narrative import enumerate_cn, fmt_money


class BasisLike(Protocol):
    kind: str
    members: tuple[str, ...]
    missing: tuple[str, ...]
    parts_sum: float | None
    includes_inter: bool

    @property
    def pool_only(self) -> bool: ...


def _short(funds) -> str:
    return enumerate_cn([FUND_SHORT[f] for f in funds])


def row_label(basis: BasisLike | None) -> str:
    """The 合计 row's label: 合计, or 已知部分合计（不含居民医保） for a partial sum."""
    if basis is not None and basis.kind == "partial":
        return f"已知部分合计（不含{_short(basis.missing)}）"
    return FUND_SHORT["all_funds"]


def subject(basis: BasisLike | None, also: tuple[str, ...] = ()) -> str:
    """The subject of a sentence on the total: 各项医保基金, or the funds it holds when that is not every
    fund of the report (职工医保统筹基金和城乡居民基本医保基金合计). ``also``: other funds the report
    shows that the sum leaves out (公务员医疗补助, 大额补助, …)."""
    if basis is None or basis.kind in {"entered", "unknown"} and not basis.members:
        return FUND_SUBJECT["all_funds"]
    names = enumerate_cn([FUND_SUBJECT[f] for f in basis.members], last_sep="和")
    if basis.kind == "partial":
        return f"已知的{names}（不含{_short(basis.missing)}）合计"
    if basis.pool_only or also:
        return f"{names}合计"
    return FUND_SUBJECT["all_funds"]


def _one_note(basis: BasisLike, unit: str, also: tuple[str, ...] = ()) -> str:
    pool = f"；{POOL_ONLY}" if basis.pool_only else ""
    pool += f"；不含{_short(also)}" if also and basis.members else ""
    if basis.kind == "partial":
        return f"合计仅含{_short(basis.members)}，{_short(basis.missing)}的数据缺失，未计入{pool}"
    if basis.includes_inter:
        return f"报告所列合计含上下级往来，表中合计为{_short(basis.members)}之和（不含上下级往来）{pool}"
    if basis.kind == "entered":
        if basis.members:
            return f"合计为报告所列合计数，与{_short(basis.members)}之和相符{pool}"
        if basis.parts_sum is not None:
            return f"合计为报告所列合计数，与各险种之和（{fmt_money(basis.parts_sum, unit)}）不符，见附录数据核对"
        return "合计为报告所列合计数（各险种数据不全，未能核对）"
    if basis.kind == "complete":
        return f"合计为{_short(basis.members)}之和{pool}"
    return ""


POOL_ONLY = "职工医保仅有统筹基金数据，不含个人账户"


def note(bases: tuple[BasisLike, ...] | None, unit: str, also: tuple[str, ...] = ()) -> str:
    """What the 合计 row holds, for a table note ('' when there is no 合计): one clause for both sides,
    or one per side (收入…；支出…) when they differ; what both sides share (统筹-only 职工, funds left out)
    is said once. One basis: a single figure (累计结余)."""
    if not bases:
        return ""
    if len(bases) == 1:
        return _one_note(bases[0], unit, also)
    inc, exp = (_one_note(b, unit, also) for b in bases)
    if inc == exp or not exp:
        return inc
    if not inc:
        return exp
    shared = [c for c in inc.split("；")[1:] if c in exp.split("；")[1:]]
    head = [x.split("；")[0] for x in (inc, exp)]
    return "；".join([f"收入{head[0]}", f"支出{head[1]}", *shared])
