"""Findings in scope: a report holds the audit findings of its own region, its sub-regions and the periods it
reads; ``fundreport check`` lists and counts each finding once (figures/scope)."""

from __future__ import annotations

import json

from fundreport.cli import main
from fundreport.data.params import load_params
from fundreport.report.build import build_report

REGIONS = [
    ["地区代码", "地区名称", "层级", "上级地区代码"],
    ["420000", "某省", "省", ""],
    ["420101", "甲县", "县", "420000"],
    ["420102", "乙县", "县", "420000"],
    ["420103", "丙县", "县", "420000"],
]


def _flows():
    head = ["地区代码", "期间", "险种", "项目", "数值", "单位"]
    rows = []
    for code, off in (("420101", 1), ("420102", 2), ("420103", 3)):
        for period in ("2024Q1", "2024Q2"):
            # 职工 ≠ 统筹 + 个账 by ``off`` 万元: one sum error per county and period
            rows += [
                [code, period, "职工基本医疗保险", "基金收入合计", f"{100 + off:.2f}", "万元"],
                [code, period, "职工统筹基金", "基金收入合计", "70.00", "万元"],
                [code, period, "职工个人账户", "基金收入合计", "30.00", "万元"],
            ]
    return [head, *rows]


def _project(make_project):
    params = {
        "a.yaml": 'region: "420101"\nperiod: 2024Q1\ndata: data/ds\ncomparison: none\n',
        "b.yaml": 'region: "420102"\nperiod: 2024Q1\ndata: data/ds\ncomparison: none\n',
    }
    return make_project(params, {"regions": REGIONS, "fund_flows": _flows()})


def test_appendix_holds_only_the_reports_region_and_periods(make_project):
    root = _project(make_project)
    loaded = load_params(root / "params/a.yaml")
    report = build_report(loaded)
    findings = next(b for b in report.section("appendix").blocks if getattr(b, "id", "") == "t-findings")
    regions = {row[1] for row in findings.rows}
    periods = {row[2] for row in findings.rows}
    assert regions == {"甲县"} and periods == {"2024年一季度"}, findings.rows
    assert "共发现1处" in report.section("appendix").texts()[0]


def test_check_lists_and_counts_each_finding_once(make_project, capsys):
    root = _project(make_project)
    assert main(["--root", str(root), "check", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) == 2  # 甲县 and 乙县, 2024Q1: not the 2024Q2 ones, not 丙县's
    assert {r["参数文件"] for r in records} == {"params/a.yaml", "params/b.yaml"}
    main(["--root", str(root), "check"])
    out = capsys.readouterr().out
    assert "数据核对发现2处错误" in out
    assert "另有4处核对发现不属于任何参数文件的地区和期间" in out


def test_periods_a_report_reads():
    from fundreport.data.periods import Period
    from fundreport.figures.scope import _reads

    q1 = Period.parse("2024Q1")
    reads = {c for c in ("2024Q1", "2023Q1", "2023M1-3", "2022Q1", "2024", "2023", "2025", "2024M1-2", "2024Q2",
                         "2024H1", "2024M3", "2026") if _reads(q1, Period.parse(c))}  # fmt: skip
    assert reads == {"2024Q1", "2023Q1", "2023M1-3", "2022Q1", "2024", "2023", "2025", "2024M1-2"}
    june = Period.parse("2024M6")
    assert _reads(june, Period.parse("2024M5")) and not _reads(june, Period.parse("2024M7"))
