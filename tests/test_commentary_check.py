"""Commentary that contradicts a computed figure is reported by `fundreport check` (issue 13)."""

from __future__ import annotations

import pytest

from fundreport.cli import main
from fundreport.data.dataset import load_dataset
from fundreport.data.params import load_params
from fundreport.report.commentary_check import check_commentary
from fundreport.report.context import Context

from .conftest import ROOT


def notes_for(tmp_path, section: str, paragraph: str, sample: str = "zhuzhou/2021H1"):
    text = (ROOT / "params" / f"{sample}.yaml").read_text(encoding="utf-8")
    text = text.replace("data: data/", f"data: {ROOT}/data/").split("commentary:")[0]
    text += f"commentary:\n  {section}:\n    - {paragraph}\n"
    (tmp_path / "params").mkdir(exist_ok=True)
    (tmp_path / "params" / "_defaults.yaml").write_text(f"data_roots: [{ROOT / 'data'}]\n", encoding="utf-8")
    path = tmp_path / "params" / "r.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_params(path)
    return [n.text() for n in check_commentary(Context(loaded, load_dataset(loaded.data_path)))]


@pytest.mark.parametrize(
    "paragraph",
    [
        "职工统筹收入增加，职工统筹支出减少。",  # +38.06%, −12.30%
        "个人账户收入略减，个人账户支出增加。",  # −0.97%, +25.01%
        "职工医保基金收入120197万元，支出12.25亿元。",  # 122459万元 = 12.2459亿元 → 12.25
        "补充医疗保险累计结余13968万元，可支撑16个月。",  # 16.46 → 16
        "城乡居民征缴收入减少，城乡居民支出减少。",  # 征缴收入 is a line: not checked
        "职工统筹收入约7亿元。",  # approximate: not checked
        "居民住院基金支出随之减少。",  # a service's payments, not the fund's expense
        "职工医保基金收入比增18.39%。",
    ],
)
def test_commentary_that_agrees_with_the_figures_is_quiet(tmp_path, paragraph):
    assert notes_for(tmp_path, "income_expense", paragraph) == []


@pytest.mark.parametrize(
    "paragraph,wanted",
    [
        ("职工统筹支出增加，主要是疫情。", "计算结果为下降12.30%（与所述方向相反）"),
        ("职工医保基金收入120198万元。", "计算结果为120197万元"),
        ("职工医保基金支出12.3亿元。", "计算结果为12.2亿元（按所写的1位小数"),
        # 71049 ÷ (4007 ÷ 6) = 106.4 months: above the 60-month ceiling, so the report prints no months
        ("公务员补助金累计结余71049万元，可支撑16个月。", "计算超过60个月，本期支出基数异常"),
        ("公务员补助金累计结余71000万元。", "计算结果为71049万元"),
        ("职工医保基金收入增长20.5%。", "计算的增减率为18.39%"),
        ("城乡居民参保人数为3065770人。", "计算结果为3065771人"),
    ],
)
def test_commentary_that_contradicts_a_figure_is_noted(tmp_path, paragraph, wanted):
    notes = notes_for(tmp_path, "income_expense", paragraph)
    assert len(notes) == 1 and wanted in notes[0], notes
    assert notes[0].startswith("commentary.income_expense[1]")


def test_fundreport_check_prints_the_contradictions(tmp_path, capsys):
    notes_for(tmp_path, "other_funds", "公务员补助金累计结余71049万元，可支撑16个月。")
    code = main(["--root", str(tmp_path), "check"])
    out = capsys.readouterr().out.replace("\n", "")
    assert code == 0  # a warning, not an error: the analyst decides
    assert "评述与计算结果不一致（1处" in out and "超过60个月" in out


def test_the_sample_commentary_agrees_with_the_figures():
    for path in sorted((ROOT / "params").rglob("*.yaml")):
        if path.name.startswith("_"):
            continue
        loaded = load_params(path)
        assert check_commentary(Context(loaded, load_dataset(loaded.data_path))) == (), path
