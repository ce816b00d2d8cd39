"""One wording (issue 14): every rendered sample is scanned for the slips a reader notices first."""

from __future__ import annotations

import re

import pytest

from fundreport.report.build import report_from_params

from .conftest import ROOT

SAMPLES = sorted(p for p in (ROOT / "params").rglob("*.yaml") if not p.name.startswith("_"))
DOUBLED = re.compile(r"([\u4e00-\u9fff]{2,6})\1")
NOT_VISITS = ("刷卡", "津贴", "救助", "生育", "大病保险", "资助")


def texts(report):
    """(where, text) of every sentence, title, note, column label and row label of a report."""
    for sec in report.sections:
        yield sec.code, sec.title
        for f in sec.flags:
            yield sec.code, f.text
        for b in sec.blocks:
            for attr in ("text", "title", "note"):
                v = getattr(b, attr, None)
                if isinstance(v, str) and v:
                    yield f"{sec.code}/{getattr(b, 'id', attr)}", v
            for c in getattr(b, "columns", ()):
                yield f"{sec.code}/{b.id}", c.label


@pytest.fixture(scope="module", params=SAMPLES, ids=[f"{p.parent.name}/{p.stem}" for p in SAMPLES])
def report(request):
    return report_from_params(str(request.param))


def test_no_doubled_words(report):
    found = [(w, m.group(), t) for w, t in texts(report) for m in DOUBLED.finditer(t)]
    assert found == []


def test_jiuzhen_only_for_visits(report):
    found = [
        (w, t)
        for w, t in texts(report)
        for s in re.split(r"[；。]", t)
        if "就诊" in s and any(x in s for x in NOT_VISITS)
    ]
    assert found == []


def test_a_parenthetical_is_said_once_per_sentence(report):
    found = []
    for w, t in texts(report):
        for sentence in t.split("。"):
            parts = [p for p in re.findall(r"（[^（）]{2,}）", sentence) if "/" not in p and "%" not in p]
            found += [(w, p, sentence) for p in set(parts) if parts.count(p) > 2]
    assert found == []


def test_table_notes_name_only_columns_the_table_has(report):
    found = []
    for sec in report.sections:
        for b in sec.blocks:
            if not getattr(b, "columns", None) or not b.note:
                continue
            labels = "".join(c.label for c in b.columns)
            note = re.sub(r"[^；]*无数据，未列出$", "", b.note)  # naming the columns left out is the point
            for word in ("增减率", "增速差", "比重", "占比", "可支付月数", "实际结余", "征缴率"):
                explained = (word == "比重" and "占" in labels) or (word == "增减率" and "增速差" in labels)
                if word in note and word not in labels and not explained:
                    found.append((b.id, word, b.note))
    assert found == []


def test_a_commentary_only_section_does_not_repeat_its_heading(report):
    from fundreport.render.fragments import section_html

    for sec in report.sections:
        if sec.code in ("problems", "plans"):
            html = section_html(report, sec)
            assert html.count(sec.title.split("、", 1)[1]) == 1, sec.title  # the h2 only


def rendered_strings(report, unit: str):
    """Every sentence, card and formatted table cell of a report."""
    from fundreport.text.narrative import fmt_cell

    yield from (t for _, t in texts(report))
    for sec in report.sections:
        yield from (k.value for k in sec.key_figures)
        for b in sec.blocks:
            for row in getattr(b, "rows", ()):
                yield from (fmt_cell(v, c.fmt, unit=unit) for c, v in zip(b.columns, row, strict=True))


@pytest.mark.parametrize("path", SAMPLES, ids=[f"{p.parent.name}/{p.stem}" for p in SAMPLES])
def test_no_figure_is_printed_finer_than_its_source_unit(path):
    """A figure given in 亿元 (to 0.01亿元) is never printed as 217900.00万元: those decimals are invented."""
    from fundreport.data.dataset import load_dataset
    from fundreport.data.params import load_params
    from fundreport.data.vocab import UNITS

    loaded = load_params(path)
    unit = loaded.params.money_unit
    factor = UNITS.term(UNITS.resolve(unit)).factor
    flows = load_dataset(loaded.data_path).fund_flows
    coarse = flows[flows["unit"].map(lambda u: UNITS.term(u).kind == "money" and UNITS.term(u).factor >= 100 * factor)]
    invented = {f"{v / factor:,.2f}" for v in coarse["value"]} | {f"{v / factor:.2f}{unit}" for v in coarse["value"]}
    printed = set(rendered_strings(report_from_params(str(path)), unit))
    text = " ".join(printed)
    assert sorted(s for s in invented if s in printed or s.endswith(unit) and s in text) == []
