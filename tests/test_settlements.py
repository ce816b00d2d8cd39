"""Settlement detail as real extracts arrive (data/settlements): a re-exported month counts once, copies that
differ are a located error naming both files, and the months of the periods are checked against the months
that hold settlements (UTF-8 and GBK CSV, Parquet; no identifier in any message)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from fundreport import cli
from fundreport.data.aggregate import load_mapping, utilisation_rows
from fundreport.data.check import check_report
from fundreport.data.detail import open_detail
from fundreport.data.params import load_params
from fundreport.data.periods import Period
from fundreport.errors import InputError
from fundreport.report.build import build_report

from .conftest import ROOT
from .test_detail import HEADER, write_csv

Q1 = [Period.parse("2024M1-3")]


def month(m: int, n: int, start: int = 0, region: str = "420702") -> list[list[str]]:
    """``n`` 普通门诊 settlements of 2024 month ``m``, 100 元 each, 60 元 fund paid."""
    return [[f"S{m}-{start + i}", f"P{start + i}", "310", "11", "3", f"2024-{m:02d}-{1 + i % 27:02d}", "100", "80",
             "60", "0", region, region] for i in range(n)]  # fmt: skip


def visits(paths, periods=Q1, **kw):
    src = open_detail(paths)
    try:
        rows, summary = utilisation_rows(src, load_mapping(None), periods, **kw)
    finally:
        src.close()
    got = {(r["region"], r["fund"], r["service"]): r for r in rows if r["group"] == "all"}
    return got[("420702", "employee", "outpatient_pooling")], summary


def parquet(csv_path: Path) -> Path:
    out = csv_path.with_suffix(".parquet")
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{csv_path}', all_varchar=true)) TO '{out}' (FORMAT parquet)")
    csv_path.unlink()
    return out


@pytest.mark.parametrize("form", ["utf-8", "gbk", "parquet"])
def test_a_month_re_exported_with_one_more_row_counts_once(tmp_path, form):
    enc = "gbk" if form == "gbk" else "utf-8"
    write_csv(tmp_path / "2024-01.csv", month(1, 40), encoding=enc)
    write_csv(tmp_path / "2024-02.csv", month(2, 38), encoding=enc)
    write_csv(tmp_path / "2024-03.csv", month(3, 30), encoding=enc)
    write_csv(tmp_path / "2024-03 重新导出.csv", month(3, 31), encoding=enc)  # the same month and one more row
    if form == "parquet":
        for f in sorted(tmp_path.glob("*.csv")):
            parquet(f)
    row, summary = visits([tmp_path])
    assert row["visits"] == 40 + 38 + 31 and summary.settlements == 109  # not 140
    assert str(row["fund_paid"]) == f"{109 * 60}.00"
    (said,) = summary.repeated
    assert "2024-03" in said and "重新导出" in said and "30 条相同结算" in said
    assert "2024年3月的结算两份文件都有" in said and "只计一次" in said
    assert not any(f"P{i}" in said or f"S3-{i}" in said for i in range(31))


def test_copies_that_differ_are_an_error_naming_both_files(tmp_path):
    write_csv(tmp_path / "2024-01.csv", month(1, 5))
    write_csv(tmp_path / "2024-02.csv", month(2, 5))
    again = month(3, 5)
    write_csv(tmp_path / "2024-03.csv", again)
    typed_over = [r[:] for r in again]
    typed_over[1][6] = "1000"  # 医疗费总额 typed over by hand in the second copy
    typed_over[3][8] = "61"
    write_csv(tmp_path / "2024-03b.csv", typed_over)
    with pytest.raises(InputError) as err:
        visits([tmp_path])
    text = str(err.value)
    assert "2024-03.csv：与 " in text and "2024-03b.csv 中有 2 条结算" in text and "内容不同" in text
    assert "S3-1" not in text and "P1" not in text  # identifiers never shown


def test_a_settlement_twice_in_one_file_counts_once_and_a_reversal_is_its_own_settlement(tmp_path):
    rows = month(1, 3) + month(2, 3) + month(3, 3)
    rows.append(rows[0][:])  # exported twice in the same file
    reversal = rows[1][:6] + ["-100", "-80", "-60", "1", "420702", "420702"]  # same 结算ID, 退费结算标志 1
    rows.append(reversal)
    row, summary = visits([write_csv(tmp_path / "d.csv", rows)])
    assert row["visits"] == 9 - 1 and summary.reversals == 1  # S1-0 once; S1-1 and its reversal cancel
    assert summary.repeated == (f"{tmp_path / 'd.csv'} 中有 1 条结算出现两次，只计一次",)


def test_a_month_with_only_its_header_is_an_error_not_a_shorter_quarter(tmp_path):
    write_csv(tmp_path / "2024-01.csv", month(1, 40), encoding="gbk")
    write_csv(tmp_path / "2024-02.csv", [], encoding="gbk")  # the export failed: header only
    write_csv(tmp_path / "2024-03.csv", month(3, 38), encoding="gbk")
    with pytest.raises(InputError) as err:
        visits([tmp_path])
    assert "结算明细中没有 2024年2月 的结算，2024年1-3月只能由其余月份汇总" in str(err.value)
    assert "detail.partial" in str(err.value)
    # knowingly partial: a warning, and the quarter is what the extract holds
    row, summary = visits([tmp_path], partial=True)
    assert row["visits"] == 78 and any("2024年2月" in w and "detail.partial" in w for w in summary.warnings)


def test_months_outside_the_periods_are_said(tmp_path):
    rows = month(1, 2) + month(2, 2) + month(3, 2) + month(4, 5)
    _, summary = visits([write_csv(tmp_path / "d.csv", rows)])
    assert summary.warnings == ("结算明细中 2024年4月（5 条） 不在汇总的期间内，这些结算未计入",)


def test_the_command_says_what_was_counted_once_and_refuses_a_missing_month(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    for m, n in ((1, 3), (2, 3), (3, 3)):
        write_csv(tmp_path / f"2024-{m:02d}.csv", month(m, n))
    shutil.copy(tmp_path / "2024-03.csv", tmp_path / "2024-03.bak.csv")
    write_csv(tmp_path / "2024-03.bak.csv", month(3, 4))  # re-exported with one more row
    assert cli.main(["aggregate", str(tmp_path), "--out", str(out), "--period", "2024M1-3"]) == 0
    said = capsys.readouterr().out
    assert "重复结算" in said and "只计一次" in said and "已汇总 10 条结算" in said
    (tmp_path / "2024-02.csv").unlink()
    assert cli.main(["aggregate", str(tmp_path), "--out", str(out), "--period", "2024M1-3"]) == 1
    said = capsys.readouterr().out
    assert "结算明细中没有 2024年2月 的结算" in said and "--partial" in said
    assert cli.main(["aggregate", str(tmp_path), "--out", str(out), "--period", "2024M1-3", "--partial"]) == 0


def _project(tmp_path: Path, extra: str = "") -> Path:
    """The 鄂州 sample whose 医疗待遇 comes from an extract that lacks 2024年2月 (2023 complete)."""
    sample = Path("data/samples/ezhou/2024M1-3")
    shutil.copytree(ROOT / sample, tmp_path / sample)
    (tmp_path / "params" / "ezhou").mkdir(parents=True)
    shutil.copy(ROOT / "params" / "_defaults.yaml", tmp_path / "params")
    text = (ROOT / "params" / "ezhou" / "2024M1-3.yaml").read_text(encoding="utf-8")
    (tmp_path / "params" / "ezhou" / "2024M1-3.yaml").write_text(
        text + f"\ndetail:\n  files: [extracts]\n{extra}", encoding="utf-8"
    )
    (tmp_path / "extracts").mkdir()
    rows = []
    for year, months in (("2024", (1, 3)), ("2023", (1, 2, 3))):
        rows += [[f"{year}-{m}-{i}", f"P{i}", "310", "21", "3", f"{year}-{m:02d}-10", "10000", "8000", "6000", "0",
                  "420700", "420700"] for m in months for i in range(4)]  # fmt: skip
    write_csv(tmp_path / "extracts" / "d.csv", rows, HEADER)
    return tmp_path / "params" / "ezhou" / "2024M1-3.yaml"


def test_from_a_params_file_a_missing_month_fails_check_unless_declared_partial(tmp_path, capsys):
    params = _project(tmp_path / "a")
    res = check_report(params)
    assert not res.ok and any("2024年2月" in i.message for i in res.issues)
    params = _project(tmp_path / "b", "  partial: true\n")
    res = check_report(params)
    assert res.ok and any("2024年2月" in w for w in res.warnings)
    report = build_report(load_params(params))  # the report says so in its overview, beside the risks
    overview = next(s for s in report.sections if s.code == "overview")
    assert any(f.code == "detail_partial" and "2024年2月" in f.text for f in report.flags)
    assert "结算明细有缺月" in overview.blocks[0].text
    assert cli.main(["--root", str(tmp_path / "b"), "check"]) == 0
    said = capsys.readouterr().out
    assert "的结算明细：" in said and "已汇总 20 条结算" in said and "通过（" in said


def test_a_total_from_the_detail_replaces_its_typed_categories(tmp_path):
    """The detail gives 职工 住院合计 (all in 市内三级): the sample's typed 市内一级/二级 of 职工 would no longer be
    parts of it (their shares of the new total were 680 times 100 %); 居民's typed rows stay."""
    from fundreport.data.aggregate import aggregate
    from fundreport.data.dataset import load_dataset

    dataset = tmp_path / "ezhou"
    shutil.copytree(ROOT / "data/samples/ezhou/2024M1-3", dataset)
    rows = [[f"{y}-{m}-{i}", f"P{i}", "310", "21", "3", f"{y}-{m:02d}-10", "10000", "8000", "6000", "0", "420700",
             "420700"] for y in ("2024", "2023") for m in (1, 2, 3) for i in range(2)]  # fmt: skip
    aggregate([write_csv(tmp_path / "d.csv", rows, HEADER)], dataset, periods=["2024M1-3", "2023M1-3"])
    use = load_dataset(dataset).utilisation
    emp = use[(use["fund"] == "employee") & (use["period"] == "2024M1-3") & (use["group"] == "all")]
    inpatient = set(emp[emp["service"].str.startswith("inpatient")]["service"])
    assert inpatient == {"inpatient_total", "inpatient_level3"}
    res = use[(use["fund"] == "resident") & (use["period"] == "2024M1-3")]
    assert {"inpatient_level1", "inpatient_level2"} <= set(res["service"])  # no resident settlement: kept
