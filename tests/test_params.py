"""Params schema: defaults merged, unknown keys refused, every error names file and key."""

from __future__ import annotations

import pytest

from fundreport.cli import main
from fundreport.data.check import check_report
from fundreport.data.params import load_params
from fundreport.errors import InputError

GOOD = "region: 420700\nperiod: 2024M1-3\ndata: data/ds\n"


def keys_of(path):
    with pytest.raises(InputError) as info:
        load_params(path)
    return {i.key: i for i in info.value.issues}


def test_defaults_are_merged_under_the_file(make_project):
    root = make_project(
        {"ezhou/q1.yaml": GOOD + "thresholds:\n  budget_deviation_pp: 3\n"},
        defaults="money_unit: 亿元\nthresholds:\n  months_bands: [2, 4, 8, 12]\n",
    )
    lp = load_params(root / "params/ezhou/q1.yaml")
    p = lp.params
    assert p.region == "420700" and p.period == "2024M1-3" and p.money_unit == "亿元"
    assert p.thresholds.months_bands == (2, 4, 8, 12) and p.thresholds.budget_deviation_pp == 3
    assert lp.data_path == root / "data/ds" and lp.slug == "ezhou/q1"


def test_unknown_key_and_missing_key(make_project):
    root = make_project({"a.yaml": "region: 420700\nperiod: 2024M1-3\ncolour: red\n"})
    issues = keys_of(root / "params/a.yaml")
    assert "未知的键" in issues["colour"].message
    assert "缺少必填键" in issues["data"].message
    assert all(i.file.endswith("a.yaml") for i in issues.values())


def test_bad_values_name_their_keys(make_project):
    text = GOOD.replace("2024M1-3", "2024上半年") + (
        "money_unit: 千元\nthresholds:\n  months_bands: [6, 3, 9, 15]\nsections: [overview, 附录]\n"
        "commentary:\n  income_expense: ['']\n"
    )
    root = make_project({"a.yaml": text})
    issues = keys_of(root / "params/a.yaml")
    assert "期间代码" in issues["period"].message
    assert "万元" in issues["money_unit"].message
    assert "递增" in issues["thresholds.months_bands"].message
    assert "sections.1" in issues
    assert "commentary.income_expense.0" in issues


def test_yaml_syntax_error_has_line(make_project):
    root = make_project({"a.yaml": "region: 420700\nperiod: [2024\n"})
    with pytest.raises(InputError) as info:
        load_params(root / "params/a.yaml")
    (issue,) = info.value.issues
    assert "YAML" in issue.message and issue.row is not None


def test_params_and_data_must_fit(make_project):
    root = make_project({"a.yaml": GOOD.replace("420700", "420701").replace("2024M1-3", "2022")})
    res = check_report(root / "params/a.yaml")
    keys = {i.key for i in res.issues}
    assert keys == {"region", "period"}


def test_missing_comparison_is_a_warning(make_project, good_tables):
    del good_tables["fund_flows"][2]
    root = make_project({"a.yaml": GOOD}, tables=good_tables)
    res = check_report(root / "params/a.yaml")
    assert res.ok and "2023M1-3" in res.warnings[0]


def test_cli_reports_every_invalid_file_and_exits_1(make_project, capsys):
    root = make_project({"good.yaml": GOOD, "bad1.yaml": GOOD + "extra: 1\n", "bad2.yaml": "period: 2024\n"})
    assert main(["--root", str(root), "check"]) == 1
    out = capsys.readouterr().out
    assert "bad1.yaml" in out and "bad2.yaml" in out and "extra" in out
    assert "2 个参数文件无效，1 个通过" in out
    assert main(["--root", str(root), "check", str(root / "params/good.yaml")]) == 0
