"""A readable audit: the same rows in the appendix and in `fundreport check`, no internal codes, a coverage line."""

from __future__ import annotations

import json
import re

import pytest

from fundreport.cli import main
from fundreport.data.params import iter_params_files
from fundreport.render.fragments import section_html
from fundreport.report.build import report_from_params
from fundreport.report.model import Table

from .conftest import ROOT

SAMPLES = iter_params_files(None, ROOT)


def table(report, tid):
    return next((b for s in report.sections for b in s.blocks if isinstance(b, Table) and b.id == tid), None)


def test_check_prints_the_same_findings_as_the_appendix(capsys):
    params = ROOT / "params/zhuzhou/2021.yaml"
    assert main(["--root", str(ROOT), "check", str(params), "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    appendix = table(report_from_params(str(params)), "t-findings")
    assert [tuple(r[h] for h in [c.label for c in appendix.columns]) for r in records] == list(appendix.rows)
    assert main(["--root", str(ROOT), "check", str(params), "--strict", "--format", "csv"]) == 1  # 2 errors
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("参数文件,级别,地区")


def test_check_table_words_match_the_report(capsys):
    main(["--root", str(ROOT), "check", str(ROOT / "params/zhuzhou/2021.yaml")])
    out = capsys.readouterr().out
    assert "警告" not in out and "提示" in out and "核对报告所述数值100项" in out
    assert "数据核对发现2处错误" in out  # never a bare 通过 beside errors


@pytest.mark.parametrize("params", SAMPLES, ids=lambda p: str(p.relative_to(ROOT / "params")))
def test_appendix_has_coverage_and_values_for_every_finding(params):
    r = report_from_params(str(params))
    text = "\n".join(r.section("appendix").texts())
    assert re.search(r"核对报告所述数值\d+项：一致\d+项，不一致\d+项，无法核对\d+项|未核对报告所述数值", text)
    t = table(r, "t-findings")
    for row in t.rows if t else ():
        cells = dict(zip([c.label for c in t.columns], row, strict=True))
        assert cells["报告值"] != "—" and cells["计算值"] != "—", row


@pytest.mark.parametrize("params", SAMPLES, ids=lambda p: str(p.relative_to(ROOT / "params")))
def test_no_internal_code_in_reader_facing_text(params):
    r = report_from_params(str(params))
    html = "".join(section_html(r, s) for s in r.sections)
    visible = re.sub(r"<style.*?</style>|<[^>]+>", " ", html, flags=re.S)
    visible = re.sub(r"[\w./-]+\.(csv|xlsx|yaml|ipynb|png)", " ", visible)  # file names are fine
    assert not re.findall(r"\b[A-Za-z]+_[A-Za-z0-9_]+\b", visible)
