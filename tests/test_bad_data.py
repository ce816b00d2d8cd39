"""A corpus of bad data files: each gets a located Chinese error or finding from `fundreport check`, no traceback."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from fundreport.cli import main
from fundreport.report.build import report_from_params

from .conftest import FLOWS, REGIONS

PARAMS = 'region: "420700"\nperiod: 2024M1-3\ndata: data/ds\n'


def flows_with(value: str, item: str = "基金收入合计"):
    return [FLOWS[0], ["420700", "2024M1-3", "职工基本医疗保险", item, value, "万元"], FLOWS[2]]


CSV_CASES = {
    "overflowing number": (flows_with("1e400"), 1, ["数值大得不合理", "第2行", "列「数值」"]),
    "absurd magnitude": (flows_with("3e18"), 1, ["数值大得不合理", "请检查单位和小数点"]),
    "not a number": (flows_with("很多"), 1, ["不是数字", "“很多”"]),
    "negative expense line": (flows_with("-500", "待遇支出"), 0, ["待遇支出为负数", "提示"]),
}


def run_check(root, capsys):
    code = main(["--root", str(root), "check"])
    out = capsys.readouterr()
    printed = (out.out + out.err).replace("\n", "")
    assert "Traceback" not in printed
    return code, printed


@pytest.mark.parametrize("case", list(CSV_CASES), ids=list(CSV_CASES))
def test_bad_csv_data(case, make_project, capsys):
    flows, exit_code, wanted = CSV_CASES[case]
    root = make_project({"e/2024M1-3.yaml": PARAMS}, {"regions": REGIONS, "fund_flows": flows})
    code, printed = run_check(root, capsys)
    assert code == exit_code
    for w in wanted:
        assert w in printed, (case, w)


def workbook(root, build) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "regions"
    for row in REGIONS:
        ws.append(row)
    fl = wb.create_sheet("fund_flows")
    for row in FLOWS:
        fl.append(row)
    build(wb)
    (root / "data").mkdir(exist_ok=True)
    wb.save(root / "data" / "ds.xlsx")


def test_formula_without_a_cached_value(make_project, capsys):
    root = make_project({"e/2024M1-3.yaml": PARAMS.replace("data/ds", "data/ds.xlsx")})
    workbook(root, lambda wb: wb["fund_flows"].__setitem__("E2", "=20000+4959.6"))  # never calculated
    code, printed = run_check(root, capsys)
    assert code == 1 and "公式没有计算结果" in printed and "请在 Excel 中打开并保存" in printed


def test_old_xls_renamed_to_xlsx(make_project, capsys):
    root = make_project({"e/2024M1-3.yaml": PARAMS.replace("data/ds", "data/ds.xlsx")})
    (root / "data").mkdir(exist_ok=True)
    (root / "data" / "ds.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    code, printed = run_check(root, capsys)
    assert code == 1 and "旧版 .xls" in printed and "另存为” .xlsx" in printed


def test_not_a_workbook_at_all(make_project, capsys):
    root = make_project({"e/2024M1-3.yaml": PARAMS.replace("data/ds", "data/ds.xlsx")})
    (root / "data").mkdir(exist_ok=True)
    (root / "data" / "ds.xlsx").write_text("地区代码,期间\n", encoding="utf-8")
    code, printed = run_check(root, capsys)
    assert code == 1 and "不是 .xlsx 工作簿" in printed


def test_fund_flows_without_rows_is_not_reported_as_no_risk(make_project):
    root = make_project(
        {"e/2024M1-3.yaml": PARAMS},
        {
            "regions": REGIONS,
            "fund_flows": [FLOWS[0]],
            "enrolment": [
                ["地区代码", "期间", "险种", "类别", "分组", "人数", "单位"],
                ["420700", "2024M1-3", "职工基本医疗保险", "参保人数", "", "1000", "人"],
            ],
        },
    )
    r = report_from_params(str(root / "params/e/2024M1-3.yaml"))
    unknown = [f.text for f in r.flags if f.risk is None]
    assert any("没有基金收支" in t for t in unknown)
    assert "未发现风险提示" not in r.sections[0].texts()[0] or "无法评估" in r.sections[0].texts()[0]


def test_markup_and_escape_codes_in_names_are_printed_safely(make_project, capsys):
    regions = [REGIONS[0], ["420700", "[bold red]鄂州[/]\x1b[31m市", "市", ""]]
    root = make_project({"e/2024M1-3.yaml": PARAMS}, {"regions": regions, "fund_flows": FLOWS})
    code = main(["--root", str(root), "check"])
    out = capsys.readouterr()
    printed = out.out + out.err
    assert code == 0 and "Traceback" not in printed
    assert "[bold red]鄂州[/]" in printed.replace("\n", "") and "\x1b[31m" not in printed


def test_workbook_sizes_are_counted_in_the_xml_not_taken_from_the_declared_size(make_project, capsys, monkeypatch):
    from fundreport.data import read

    from . import bad_inputs

    monkeypatch.setattr(read, "MAX_CELLS", 500)
    for dimension in ("A1:F2", None):  # understated, or not declared at all
        root = make_project({"e/2024M1-3.yaml": PARAMS.replace("data/ds", "data/ds.xlsx")})
        bad_inputs.rows_bomb(root / "data" / "ds.xlsx", rows=2_000, dimension=dimension)
        code, printed = run_check(root, capsys)
        assert code == 1 and "工作簿单元格过多（共 2006 个" in printed and "不超过 500 个单元格" in printed


def test_a_huge_shared_strings_table_is_refused_before_loading(make_project, capsys, monkeypatch):
    from fundreport.data import read

    from . import bad_inputs

    monkeypatch.setattr(read, "MAX_SHARED_STRINGS", 1_000)
    root = make_project({"e/2024M1-3.yaml": PARAMS.replace("data/ds", "data/ds.xlsx")})
    bad_inputs.shared_strings_bomb(root / "data" / "ds.xlsx", strings=5_000)
    code, printed = run_check(root, capsys)
    assert code == 1 and "共享文本表过大（5000 条" in printed


def test_too_many_csv_cells_are_refused_with_the_limit(make_project, capsys, monkeypatch):
    from fundreport.data import read

    monkeypatch.setattr(read, "MAX_CSV_CELLS", 10)
    root = make_project({"e/2024M1-3.yaml": PARAMS})
    code, printed = run_check(root, capsys)
    assert code == 1 and "CSV 数据单元格过多（共 26 个）" in printed and "不超过 10 个单元格" in printed


@pytest.mark.parametrize("value", ["1,,2", "12,5", "1,2345"])
def test_a_misplaced_thousands_comma_is_not_a_number(value, make_project, capsys):
    root = make_project({"e/2024M1-3.yaml": PARAMS}, {"regions": REGIONS, "fund_flows": flows_with(value)})
    code, printed = run_check(root, capsys)
    assert code == 1 and "不是数字" in printed
