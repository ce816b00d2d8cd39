"""One test per class of bad input: each message names file, sheet/row/column and the value."""

from __future__ import annotations

import pytest

from fundreport.data.dataset import load_dataset
from fundreport.errors import InputError


def issues_of(path):
    with pytest.raises(InputError) as info:
        load_dataset(path)
    return info.value.issues


def only(issues, text):
    found = [i for i in issues if text in i.message]
    assert found, f"no issue with {text!r} in {[str(i) for i in issues]}"
    return found[0]


def test_good_dataset_normalises_units(make_dataset, good_tables):
    ds = load_dataset(make_dataset(good_tables))
    flows = ds.fund_flows
    assert list(flows["item"]) == ["income_total", "income_total"]
    assert flows["value"].iloc[0] == 249596000.0  # 24959.60万元 in 元
    assert flows["unit"].iloc[0] == "wan_yuan"
    assert flows["source_row"].tolist() == [2, 3]
    assert ds.region_name("420700") == "鄂州市"


def test_numbers_with_separators_and_full_width(make_dataset, good_tables):
    good_tables["fund_flows"][1][4] = "24,959.60"
    good_tables["fund_flows"][2][4] = "２８９９０．３８"
    ds = load_dataset(make_dataset(good_tables))
    assert ds.fund_flows["value"].tolist() == [249596000.0, 289903800.0]


def test_missing_required_table(make_dataset, good_tables):
    del good_tables["regions"]
    issue = only(issues_of(make_dataset(good_tables)), "缺少必需的表")
    assert "地区" in issue.message and "regions.csv" in issue.expected


def test_unknown_table_lists_valid_names(make_dataset, good_tables):
    good_tables["fundflow"] = [["a"], ["1"]]
    issue = only(issues_of(make_dataset(good_tables)), "无法识别的表")
    assert issue.value == "fundflow" and "基金收支（fund_flows）" in issue.expected
    assert issue.file.endswith("fundflow.csv")


def test_missing_required_column(make_dataset, good_tables):
    for row in good_tables["fund_flows"]:
        del row[3]  # 项目
    issue = only(issues_of(make_dataset(good_tables)), "缺少必需的列")
    assert issue.column == "项目" and issue.row == 1 and issue.file.endswith("fund_flows.csv")


def test_unknown_column(make_dataset, good_tables):
    good_tables["fund_flows"][0][5] = "单 价"
    issues = issues_of(make_dataset(good_tables))
    issue = only(issues, "无法识别的列名")
    assert issue.column == "单 价" and "单位" in issue.expected


def test_unknown_code_suggests_closest(make_dataset, good_tables):
    good_tables["fund_flows"][1][2] = "职工基本医疗保"
    good_tables["fund_flows"][2][3] = "income_totl"
    issues = issues_of(make_dataset(good_tables))
    fund = only(issues, "未知的险种")
    assert (fund.row, fund.column, fund.value) == (2, "险种", "职工基本医疗保")
    assert "employee（职工基本医疗保险）" in fund.expected
    item = only(issues, "未知的项目")
    assert item.row == 3 and "income_total（基金收入合计）" in item.expected


def test_number_that_does_not_parse(make_dataset, good_tables):
    good_tables["fund_flows"][1][4] = "2.4万"
    issue = only(issues_of(make_dataset(good_tables)), "不是数字")
    assert (issue.row, issue.column, issue.value) == (2, "数值", "2.4万")


def test_negative_count(make_dataset, good_tables):
    good_tables["enrolment"] = [
        ["地区代码", "期间", "险种", "类别", "人数", "单位"],
        ["420700", "2024M1-3", "职工基本医疗保险", "参保人数", "-5", "人"],
    ]
    issue = only(issues_of(make_dataset(good_tables)), "不能为负")
    assert issue.file.endswith("enrolment.csv") and issue.row == 2 and issue.column == "人数"


def test_duplicate_key_names_both_rows(make_dataset, good_tables):
    good_tables["fund_flows"].append(list(good_tables["fund_flows"][1]))
    issue = only(issues_of(make_dataset(good_tables)), "重复的记录")
    assert issue.row == 4 and "第2行" in issue.message


def test_bad_period_and_non_annual_budget(make_dataset, good_tables):
    good_tables["fund_flows"][1][1] = "2024上半年"
    good_tables["budgets"] = [
        ["地区代码", "预算年度", "险种", "项目", "预算数", "单位"],
        ["420700", "2024H1", "职工基本医疗保险", "基金收入合计", "100", "万元"],
    ]
    issues = issues_of(make_dataset(good_tables))
    assert only(issues, "无法识别的期间").value == "2024上半年"
    budget = only(issues, "预算期间应为年度")
    assert budget.file.endswith("budgets.csv") and budget.column == "预算年度"


def test_unknown_and_unsuitable_units(make_dataset, good_tables):
    good_tables["fund_flows"][1][5] = "千元"
    good_tables["fund_flows"][2][5] = "人"
    issues = [i for i in issues_of(make_dataset(good_tables)) if "单位" in i.message]
    assert {i.value for i in issues} == {"千元", "人"}
    assert all("万元" in i.expected for i in issues)


def test_region_not_declared(make_dataset, good_tables):
    good_tables["fund_flows"][1][0] = "420701"
    issue = only(issues_of(make_dataset(good_tables)), "地区代码不在地区表中")
    assert issue.value == "420701" and "420700（鄂州市）" in issue.expected


def test_unknown_parent_region(make_dataset, good_tables):
    good_tables["regions"].append(["420702", "梁子湖区", "区", "999999"])
    issue = only(issues_of(make_dataset(good_tables)), "上级地区代码不在地区表中")
    assert issue.row == 3


def test_all_errors_of_a_file_in_one_pass(make_dataset, good_tables):
    good_tables["fund_flows"][1][4] = "x"
    good_tables["fund_flows"][2][2] = "?"
    good_tables["fund_flows"].append(["420700", "2024M1-3", "城乡居民", "本期支出", "-1", "元"])
    good_tables["fund_flows"].append(["420700", "2024M1-3", "城乡居民", "本期支出", "abc", "元"])
    issues = issues_of(make_dataset(good_tables))
    assert sorted(i.row for i in issues) == [2, 3, 5]


def test_error_text_is_readable(make_dataset, good_tables):
    good_tables["fund_flows"][1][4] = "x"
    with pytest.raises(InputError) as info:
        load_dataset(make_dataset(good_tables))
    text = str(info.value)
    assert "fund_flows.csv" in text and "第2行" in text and "列「数值」" in text and "“x”" in text


def test_comment_and_blank_rows_are_skipped(make_dataset, good_tables):
    good_tables["fund_flows"].insert(1, ["# 示例", "", "", "", "", ""])
    good_tables["fund_flows"].insert(2, ["", "", "", "", "", ""])
    ds = load_dataset(make_dataset(good_tables))
    assert ds.fund_flows["source_row"].tolist() == [4, 5]


def test_percent_needs_percent_unit(make_dataset, good_tables):
    good_tables["fund_flows"][1][4] = "12%"
    issue = only(issues_of(make_dataset(good_tables)), "带有 %")
    assert issue.row == 2


def test_stated_subject_vocabulary(make_dataset, good_tables):
    good_tables["stated"] = [
        ["地区代码", "期间", "险种", "指标", "指标对象", "数值", "单位"],
        ["420700", "2024M1-3", "职工基本医疗保险", "同比增减率", "income_total", "-13.90", "%"],
        ["420700", "2024M1-3", "职工基本医疗保险", "次均报销", "inpatient_level3.fund_pad", "1", "元/人次"],
    ]
    issues = issues_of(make_dataset(good_tables))
    issue = only(issues, "未知的指标对象")
    assert issue.row == 3 and len(issues) == 1


def test_bad_path_and_encoding(tmp_path):
    with pytest.raises(InputError, match="数据路径不存在"):
        load_dataset(tmp_path / "nope.xlsx")
    folder = tmp_path / "gbk"
    folder.mkdir()
    (folder / "regions.csv").write_bytes("地区代码,地区名称,层级\n".encode("gbk"))
    with pytest.raises(InputError, match="UTF-8"):
        load_dataset(folder)
