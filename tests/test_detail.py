"""Settlement detail -> utilisation: hand-calculated aggregates, reversals netted, located errors, no identifiers."""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from fundreport import cli
from fundreport.data.aggregate import aggregate, load_mapping, region_chains, utilisation_rows
from fundreport.data.dataset import load_dataset
from fundreport.data.detail import open_detail
from fundreport.data.periods import Period
from fundreport.errors import InputError

from .conftest import ROOT

HEADER = ["setl_id", "psn_no", "insutype", "med_type", "hosp_lv", "setl_time", "medfee_sumamt", "inscp_scp_amt",
          "hifp_pay", "refd_setl_flag", "insu_admdvs", "mdtrt_admdvs"]  # fmt: skip
ROWS = [
    ["S1", "P1", "310", "11", "3", "2024-01-10 09:00:00", "100.00", "80.00", "50.00", "0", "420702", "420702"],
    ["S2", "P1", "310", "普通门诊", "3", "2024-02-01", "200.50", "150", "120.25", "0", "420702", "420702"],
    ["S3", "P2", "310", "21", "3", "2024-03-05", "10,000.00", "9000", "7000", "0", "420702", "420702"],
    ["S3", "P2", "310", "21", "3", "2024-03-06", "-10000", "-9000", "-7000", "1", "420702", "420702"],  # reversal
    ["S5", "P2", "310", "21", "三级", "2024-03-06", "9500", "8500", "6800", "0", "420702", "420702"],
    ["S4", "P3", "310", "21", "2", "2024-03-20", "5000", "4000", "3000", "0", "420702", "110101"],  # out of area
    ["S6", "P4", "390", "14", "", "2024-01-15", "300", "300", "210", "0", "420703", "420703"],
    ["S7", "P5", "职工医保", "11", "1", "2023/02/10", "90", "70", "40", "0", "420702", "420702"],
    # the comparison quarter has settlements in each of its months (a month without any is an error)
    ["C1", "P4", "390", "14", "", "2023-01-15", "250", "250", "175", "0", "420702", "420702"],
    ["C2", "P4", "390", "14", "", "2023-03-15", "260", "260", "182", "0", "420702", "420702"],
]
PEOPLE = ("P1", "P2", "P3", "P4", "P5")


def write_csv(path: Path, rows=ROWS, header=HEADER, encoding="utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


CHAINS = {"420700": ["420700"], "420702": ["420702", "420700"], "420703": ["420703", "420700"]}


def rows_of(paths, **kw) -> dict:
    src = open_detail(paths)
    try:
        rows, summary = utilisation_rows(src, load_mapping(None), regions=CHAINS, **kw)
    finally:
        src.close()
    keyed = {(r["region"], r["period"], r["fund"], r["service"]): r for r in rows if r["group"] == "all"}
    keyed |= {(r["region"], r["period"], r["fund"], r["service"], r["group"]): r for r in rows if r["group"] != "all"}
    return keyed, summary


def figures(r) -> tuple:
    return r["visits"], r["persons"], r["total_cost"], r["inscope_cost"], r["fund_paid"]


def test_aggregates_by_hand(tmp_path):
    got, summary = rows_of([write_csv(tmp_path / "d.csv")])
    city = lambda fund, service, period="2024M1-3": figures(got[("420700", period, fund, service)])  # noqa: E731
    D = Decimal
    # 普通门诊 S1 + S2, one person
    assert city("employee", "outpatient_pooling") == (2, 1, D("300.50"), D("230.00"), D("170.25"))
    assert city("employee", "outpatient_total") == (2, 1, D("300.50"), D("230.00"), D("170.25"))
    # 住院: S3 and its reversal cancel (+1 −1), S5 and S4 remain; persons P2, P3
    assert city("employee", "inpatient_total") == (2, 2, D("14500.00"), D("12500.00"), D("9800.00"))
    assert city("employee", "inpatient_level3") == (1, 1, D("9500.00"), D("8500.00"), D("6800.00"))
    assert city("employee", "inpatient_outside") == (1, 1, D("5000.00"), D("4000.00"), D("3000.00"))
    assert ("420700", "2024M1-3", "employee", "inpatient_level2") not in got  # S4 was treated outside the city
    assert city("resident", "outpatient_chronic") == (1, 1, D("300.00"), D("300.00"), D("210.00"))
    # the comparison period: January to March of the year before (the latest month is March)
    assert city("employee", "outpatient_pooling", "2023M1-3") == (1, 1, D("90.00"), D("70.00"), D("40.00"))
    # a district has its own rows; the city's persons are distinct persons, not a sum
    assert figures(got[("420703", "2024M1-3", "resident", "outpatient_chronic")])[0] == 1
    assert (summary.settlements, summary.reversals, summary.orphan_reversals) == (9, 1, 0)


PAYER_HEADER = ["setl_id", "psn_no", "insutype", "med_type", "setl_time", "medfee_sumamt", "hifp_pay", "acct_pay",
                "acct_mulaid_pay", "hifob_pay", "hifmi_pay", "cvlserv_pay", "maf_pay", "refd_setl_flag",
                "insu_admdvs"]  # fmt: skip
PAYER_ROWS = [
    ["A1", "P1", "310", "11", "2024-01-05", "100", "50", "30", "", "", "", "", "", "0", "420702"],
    ["A2", "P1", "310", "41", "2024-01-06", "80", "0", "80", "", "", "", "", "", "0", "420702"],  # account only
    ["A3", "P2", "310", "41", "2024-02-06", "20", "0", "0", "20", "", "", "", "", "0", "420702"],  # 共济 only
    ["I1", "P3", "390", "21", "2024-02-10", "9000", "5000", "", "", "", "1200", "", "300", "0", "420702"],
    ["I2", "P4", "310", "21", "2024-03-10", "12000", "8000", "0", "", "2000", "", "500", "", "0", "420702"],
    ["O1", "P3", "390", "14", "2024-03-11", "400", "200", "", "", "", "", "", "50", "0", "420702"],
    ["O1", "P3", "390", "14", "2024-03-12", "-400", "-200", "", "", "", "", "", "-50", "1", "420702"],  # reversed
]


def test_other_payers_and_the_personal_account_have_rows_of_their_own(tmp_path):
    got, _ = rows_of([write_csv(tmp_path / "p.csv", PAYER_ROWS, PAYER_HEADER)])
    D = Decimal

    def row(fund, service):
        r = got[("420702", "2024M1-3", fund, service)]
        return r["visits"], r["persons"], r["total_cost"], r["fund_paid"]

    # 门诊统筹 counts only A1 (the pooling fund paid nothing for A2, A3); 门诊合计 all three, with the accounts
    assert row("employee", "outpatient_pooling") == (1, 1, D("100.00"), D("50.00"))
    # 基金支付 50 + 30 + 80 + 20; no 人次/人数: its categories overlap (A1 is in 门诊统筹 and 个人账户刷卡)
    assert row("employee", "outpatient_total") == (None, None, D("200.00"), D("180.00"))
    assert row("employee", "outpatient_account") == (2, 1, None, D("110.00"))
    assert row("employee", "outpatient_pooled_account") == (1, 1, None, D("20.00"))
    assert row("employee", "inpatient_total") == (1, 1, D("12000.00"), D("8000.00"))
    assert row("employee_major", "critical_illness") == (1, 1, None, D("2000.00"))
    assert row("resident_critical", "critical_illness") == (1, 1, None, D("1200.00"))
    assert row("civil_servant", "inpatient_total") == (1, 1, None, D("500.00"))
    # 医疗救助: I1's 300 in hospital; O1's 50 was reversed with it
    assert row("medical_assistance", "assistance_inpatient") == (1, 1, None, D("300.00"))
    assert row("medical_assistance", "assistance_outpatient") == (0, 0, None, D("0.00"))
    assert row("medical_assistance", "assistance_total") == (1, 1, None, D("300.00"))
    assert row("resident", "outpatient_chronic") == (0, 0, D("0.00"), D("0.00"))
    # the account's payment to a hospital stay gives no account row, and a payer column of zeros none at all
    assert ("420702", "2024M1-3", "civil_servant", "outpatient_total") not in got


def test_a_reversal_stored_with_positive_amounts_is_still_subtracted(tmp_path):
    rows = [r[:] for r in ROWS]
    rows[3][6:9] = ["10000", "9000", "7000"]
    got, _ = rows_of([write_csv(tmp_path / "d.csv", rows)])
    assert figures(got[("420700", "2024M1-3", "employee", "inpatient_total")])[2] == Decimal("14500.00")


def test_gbk_csv_a_folder_and_parquet_give_the_same_rows(tmp_path):
    import duckdb

    utf8, _ = rows_of([write_csv(tmp_path / "u.csv")])
    folder = tmp_path / "months"
    folder.mkdir()
    write_csv(folder / "2024-01.csv", ROWS[:3], encoding="gbk")
    write_csv(folder / "2024-02.csv", ROWS[3:], encoding="gbk")
    gbk, _ = rows_of([folder])
    parquet = tmp_path / "d.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{tmp_path / 'u.csv'}', all_varchar=true)) TO '{parquet}'")
    assert gbk == utf8
    assert rows_of([parquet])[0] == utf8


def test_chinese_headers_are_accepted(tmp_path):
    chinese = ["结算ID", "人员编号", "险种类型", "医疗类别", "医院等级", "结算时间", "医疗费总额", "符合政策范围金额",
               "基本医疗保险统筹基金支出", "退费结算标志", "参保地医保区划", "就医地医保区划"]  # fmt: skip
    assert rows_of([write_csv(tmp_path / "c.csv", header=chinese)])[0] == rows_of([write_csv(tmp_path / "e.csv")])[0]


def test_missing_optional_columns_reduce_what_is_computed(tmp_path):
    keep = [i for i, h in enumerate(HEADER) if h not in ("psn_no", "inscp_scp_amt")]
    path = write_csv(tmp_path / "d.csv", [[r[i] for i in keep] for r in ROWS], [HEADER[i] for i in keep])
    got, summary = rows_of([path])
    r = got[("420700", "2024M1-3", "employee", "inpatient_total")]
    assert r["persons"] is None and r["inscope_cost"] is None and r["visits"] == 2
    assert {"psn_no", "inscp_scp_amt"} <= set(summary.missing)


def test_missing_required_columns_are_named(tmp_path):
    keep = [i for i, h in enumerate(HEADER) if h != "hifp_pay"]
    path = write_csv(tmp_path / "d.csv", [[r[i] for i in keep] for r in ROWS], [HEADER[i] for i in keep])
    with pytest.raises(InputError) as info:
        open_detail([path])
    assert "缺少必需的列" in str(info.value) and "基本医疗保险统筹基金支出（hifp_pay）" in str(info.value)


def test_bad_values_are_located_without_showing_identifiers(tmp_path):
    rows = [r[:] for r in ROWS]
    rows[1][6] = "两百"  # row 3 of the file
    rows[4][5] = "2024-13-45"  # row 6
    rows[6][0] = ""  # row 8: no 结算ID
    path = write_csv(tmp_path / "d.csv", rows)
    with pytest.raises(InputError) as info:
        rows_of([path])
    text = str(info.value)
    assert "第3行，列「medfee_sumamt」：无法识别；实际值 “两百”" in text
    assert "第6行，列「setl_time」" in text and "第8行，列「setl_id」：缺少必填值" in text
    assert not any(p in text for p in PEOPLE)


def test_bad_values_in_a_typed_parquet_file_are_located(tmp_path):
    """Parquet columns that are already numbers and timestamps are checked without a text round trip: a
    missing required value and an amount too large for the contract's decimals are still found and located."""
    import duckdb

    parquet = tmp_path / "typed.parquet"
    duckdb.sql(f"""
        COPY (SELECT setl_id, psn_no, insutype, med_type, hosp_lv, setl_time::TIMESTAMP AS setl_time,
                     CASE WHEN setl_id = 'S2' THEN 1e20 ELSE replace(medfee_sumamt, ',', '')::DOUBLE END AS medfee_sumamt,
                     inscp_scp_amt::DOUBLE AS inscp_scp_amt,
                     CASE WHEN setl_id = 'S6' THEN NULL ELSE hifp_pay::DOUBLE END AS hifp_pay,
                     refd_setl_flag, insu_admdvs, mdtrt_admdvs
              FROM read_csv('{write_csv(tmp_path / "d.csv", [r[:5] + [r[5].replace("/", "-")] + r[6:] for r in ROWS])}',
                            all_varchar=true))
        TO '{parquet}'
    """)
    with pytest.raises(InputError) as info:
        rows_of([parquet])
    located = {(i.row, i.column) for i in info.value.issues}
    assert located == {(3, "medfee_sumamt"), (8, "hifp_pay")}, info.value
    assert not any(p in str(info.value) for p in PEOPLE)


def test_row_numbers_are_the_files_own_in_a_large_file(tmp_path):
    rows = [[f"S{i}", f"P{i % 97}", "310", "11", "3", "2024-01-10", "1.00", "1.00", "1.00", "0", "420702",
             "420702"] for i in range(150_000)]  # fmt: skip
    rows[77_777][8] = "x"  # file row 77,779 (header is row 1)
    rows[149_998][8] = "y"
    with pytest.raises(InputError) as info:
        rows_of([write_csv(tmp_path / "big.csv", rows)])
    assert [i.row for i in info.value.issues] == [77_779, 150_000]


def test_unmapped_codes_are_errors_until_mapped(tmp_path):
    rows = [r[:] for r in ROWS] + [["S9", "P1", "310", "99", "3", "2024-03-01", "5", "5", "5", "0", "420702", "420702"]]
    path = write_csv(tmp_path / "d.csv", rows)
    with pytest.raises(InputError) as info:
        rows_of([path])
    assert "医疗类别无法归类（1 条结算）" in str(info.value) and "“99”" in str(info.value)
    mapping = tmp_path / "map.yaml"
    mapping.write_text("med_type:\n  '99': ignore\n", encoding="utf-8")
    src = open_detail([path])
    try:
        _, summary = utilisation_rows(src, load_mapping(mapping), regions=CHAINS)
    finally:
        src.close()
    assert summary.ignored == 1
    mapping.write_text("med_type:\n  '99': dental\ncolour: red\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_mapping(mapping)
    assert len(info.value.issues) == 2 and "med_type.99" in str(info.value) and "colour" in str(info.value)


def test_an_existing_dataset_gets_its_utilisation_rows_and_keeps_the_others(tmp_path):
    dataset = tmp_path / "ezhou"
    shutil.copytree(ROOT / "data/samples/ezhou/2024M1-3", dataset)
    before = (dataset / "utilisation.csv").read_text(encoding="utf-8")
    rows = [[*r[:10], "420700", "420700" if r[11] != "110101" else "110101"] for r in ROWS if r[10] == "420702"]
    detail = write_csv(tmp_path / "d.csv", rows)
    assert region_chains(dataset) == {"420700": ["420700"]}
    summary = aggregate([detail], dataset, periods=["2024M1-3", "2023M1-3"])
    assert summary.rows > 0
    text = (dataset / "utilisation.csv").read_text(encoding="utf-8")
    assert "个人账户刷卡" in text and "由结算明细汇总" in text  # kept rows beside the new ones
    assert text != before and not any(p in text for p in PEOPLE)
    loaded = load_dataset(dataset)  # the contract's own validation accepts the written table
    assert loaded is not None
    assert Period.parse("2024M1-3").code in text


def test_the_command(tmp_path, capsys):
    dataset = tmp_path / "out"
    dataset.mkdir()
    detail = write_csv(tmp_path / "d.csv")
    assert cli.main(["aggregate", str(detail), "--out", str(dataset)]) == 0
    out = capsys.readouterr().out
    assert "已汇总 9 条结算（冲销 1 条" in out and not any(p in out for p in PEOPLE)
    assert (dataset / "utilisation.csv").exists()
    bad = write_csv(tmp_path / "bad.csv", [[*ROWS[0][:6], "abc", *ROWS[0][7:]]])
    assert cli.main(["aggregate", str(bad), "--out", str(dataset)]) == 1
    assert "bad.csv，第2行，列「medfee_sumamt」" in capsys.readouterr().out


def test_a_corrupt_parquet_file_and_a_bad_memory_limit_get_one_line(tmp_path, capsys):
    dataset = tmp_path / "out"
    bad = tmp_path / "broken.parquet"
    bad.write_bytes(b"PAR1 not really parquet")
    assert cli.main(["aggregate", str(bad), "--out", str(dataset)]) == 1
    out = capsys.readouterr().out
    assert "broken.parquet：不是完整的 Parquet 文件" in out and "Traceback" not in out
    with pytest.raises(SystemExit):
        cli.main(["aggregate", str(bad), "--out", str(dataset), "--memory-limit", "lots"])
    assert "应为内存大小" in capsys.readouterr().err
    assert not (dataset / "utilisation.csv").exists()  # nothing written


def _ezhou_from_detail(tmp_path, ledger_wan: str) -> Path:
    """The 鄂州 dataset with 住院 rows from the detail above (420700) and a ledger 住院费用支出 line."""
    dataset = tmp_path / "ezhou"
    shutil.copytree(ROOT / "data/samples/ezhou/2024M1-3", dataset)
    with (dataset / "fund_flows.csv").open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow(["420700", "2024M1-3", "职工基本医疗保险", "住院费用支出", ledger_wan, "万元", ""])
    rows = [[*r[:10], "420700", "420700" if r[11] != "110101" else "110101"] for r in ROWS if r[10] == "420702"]
    aggregate([write_csv(tmp_path / "d.csv", rows)], dataset, periods=["2024M1-3", "2023M1-3"])
    return dataset


def test_fund_paid_from_detail_is_reconciled_with_the_ledger(tmp_path):
    from fundreport.figures.audit import run_audit

    # detail: 住院 基金支付 9,800.00 元 (6,800 + 3,000; S3 reversed)
    agree = run_audit(load_dataset(_ezhou_from_detail(tmp_path / "a", "0.985")))  # 9,850 元: within 1 %
    assert not [f for f in agree if f.check == "ledger"]
    differ = run_audit(load_dataset(_ezhou_from_detail(tmp_path / "b", "1.10")))  # 11,000 元
    (finding,) = [f for f in differ if f.check == "ledger"]
    assert (finding.expected, finding.found) == (11000, 9800)
    assert finding.fund == "employee" and finding.subject == "inpatient_total.fund_paid"
    assert "住院合计基金支付与基金收支表住院费用支出相差超过1%" in finding.message


def test_cost_parts_bed_days_and_out_of_area_groups_by_hand(tmp_path):
    """全自费 / 超限价 / 先行自付 and 住院天数 are summed like the costs (a reversal subtracts them; a same-day
    stay is 1 day); a settlement treated outside the city is also a row of group 省内异地 or 跨省异地 by its
    就医地 (the province: the first two digits), except in 市外就医, which is all out of area."""
    header = [*HEADER, "begndate", "enddate", "fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt",
              "psn_cash_pay"]  # fmt: skip
    rows = [
        ["A1", "P1", "310", "21", "3", "2024-03-05", "10000", "9000", "7000", "0", "420702", "420702",
         "2024-03-01", "2024-03-05", "600", "100", "300", "3000"],
        ["A1", "P1", "310", "21", "3", "2024-03-06", "-10000", "-9000", "-7000", "1", "420702", "420702",
         "2024-03-01", "2024-03-05", "-600", "-100", "-300", "-3000"],  # reversal of A1
        ["A2", "P1", "310", "21", "3", "2024-03-08", "9500", "8500", "6800", "0", "420702", "420101",
         "2024-03-01", "2024-03-06", "500", "100", "400", "2700"],  # 武汉: 省内异地, 5 days
        ["A3", "P2", "310", "21", "2", "2024-03-20", "5000", "4000", "3000", "0", "420702", "110101",
         "2024-03-20 08:00", "2024-03-20 17:00", "600", "0", "400", "2000.50"],  # 北京: 跨省异地, same day = 1 day
        ["A4", "P3", "310", "21", "1", "2024-02-10", "3000", "2800", "2000", "0", "420703", "420703",
         "2024-02-01", "2024-02-11", "100", "50", "50", ""],  # 10 days, in the city; no cash given
        ["A5", "P2", "310", "11", "3", "2024-01-10", "100", "80", "50", "0", "420702", "110101",
         "", "", "20", "0", "0", "50"],  # outpatient, 跨省
    ]  # fmt: skip
    got, _ = rows_of([write_csv(tmp_path / "d.csv", rows, header)], periods=[Period.parse("2024M1-3")])

    def row(service, group=None, region="420700"):
        r = got[(region, "2024M1-3", "employee", service, *([group] if group else []))]
        return (r["visits"], r["persons"], r["total_cost"], r["fund_paid"], r["ownpay_cost"], r["overlimit_cost"],
                r["preself_cost"], r["bed_days"], r["cash_pay"])  # fmt: skip

    D = Decimal
    # 个人现金支付: 3000 − 3000 (reversed) + 2700 + 2000.50 (A4 gives none) = 4700.50
    assert row("inpatient_total") == (3, 3, D("17500"), D("11800"), D("1200"), D("150"), D("850"), 16, D("4700.50"))
    assert row("inpatient_total", "in_province") == (1, 1, D("9500"), D("6800"), D("500"), D("100"), D("400"), 5,
                                                     D("2700"))  # fmt: skip
    assert row("inpatient_total", "cross_province") == (1, 1, D("5000"), D("3000"), D("600"), D("0"), D("400"), 1,
                                                        D("2000.50"))  # fmt: skip
    assert row("inpatient_outside")[:2] == (2, 2)
    assert ("420700", "2024M1-3", "employee", "inpatient_outside", "in_province") not in got  # all out of area
    assert row("outpatient_pooling", "cross_province") == (1, 1, D("100"), D("50"), D("20"), D("0"), D("0"), None,
                                                           D("50"))  # fmt: skip
    assert row("outpatient_total", "cross_province")[:4] == (1, 1, D("100"), D("50"))
    assert row("inpatient_total", region="420703") == (1, 1, D("3000"), D("2000"), D("100"), D("50"), D("50"), 10,
                                                       None)  # fmt: skip
    assert not [k for k in got if k[0] == "420703" and len(k) == 5]  # no out-of-area settlement there
    # Written to the dataset: the columns and groups the data contract names, loaded back as figures.
    ds_path = tmp_path / "ds"
    shutil.copytree(ROOT / "data" / "samples" / "ezhou" / "2024M1-3", ds_path)
    (ds_path / "utilisation.csv").unlink()
    src = open_detail([tmp_path / "d.csv"])
    try:
        out, _ = utilisation_rows(src, load_mapping(None), [Period.parse("2024M1-3")], CHAINS)
    finally:
        src.close()
    from fundreport.data.aggregate import write_utilisation

    write_utilisation([r for r in out if r["region"] == "420700"], ds_path)
    ds = load_dataset(ds_path)
    u = ds.utilisation
    hit = u[(u["region"] == "420700") & (u["service"] == "inpatient_total") & (u["group"] == "in_province")]
    assert len(hit) == 1 and hit["bed_days"].iloc[0] == 5 and hit["ownpay_cost"].iloc[0] == 500
    assert hit["cash_pay"].iloc[0] == 2700


def test_detail_figures_in_the_report(tmp_path, monkeypatch):
    """From detail with cost parts, dates and 就医地: the 住院 section gets 平均住院日, a 医疗费用构成 table
    (shares of 医疗总费用; 政策范围内自付 = 政策范围内费用 − 基金支付) and an 异地就医 table, all hand-checked."""
    from fundreport.report.build import report_from_params
    from fundreport.report.model import Paragraph, Table

    header = [*HEADER, "begndate", "enddate", "fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt",
              "psn_cash_pay"]  # fmt: skip
    rows = []
    for year, extra in (("2024", 1), ("2023", 0)):
        # three stays: local (4 + extra days), 武汉 (省内异地, 6 days), 北京 (跨省, 2 days)
        for i, (where, days) in enumerate((("420700", 4 + extra), ("420100", 6), ("110101", 2))):
            rows.append([f"{year}-{i}", f"P{i}", "310", "21", "3", f"{year}-0{i + 1}-10", "10000", "8000",
                         str(6000 + 100 * extra), "0", "420700", where, f"{year}-0{i + 1}-01",
                         f"{year}-0{i + 1}-{1 + days:02d}", str(1000 + 200 * extra), "200", "800",
                         str(2500 - 100 * extra)])  # fmt: skip
    project = tmp_path / "p"
    sample = Path("data/samples/ezhou/2024M1-3")
    shutil.copytree(ROOT / sample, project / sample)
    (project / "params" / "ezhou").mkdir(parents=True)
    shutil.copy(ROOT / "params" / "ezhou" / "2024M1-3.yaml", project / "params" / "ezhou")
    shutil.copy(ROOT / "params" / "_defaults.yaml", project / "params")
    aggregate([write_csv(tmp_path / "d.csv", rows, header)], project / sample, periods=["2024M1-3", "2023M1-3"])
    monkeypatch.chdir(project)
    report = report_from_params("params/ezhou/2024M1-3.yaml")
    section = next(s for s in report.sections if s.code == "inpatient")
    tables = {b.title: b for b in section.blocks if isinstance(b, Table)}
    text = "".join(b.text for b in section.blocks if isinstance(b, Paragraph))
    # 平均住院日 = 住院天数 / 人次: (5 + 6 + 2) / 3 = 4.33 this year, (4 + 6 + 2) / 3 = 4.00 last year
    assert "平均住院日4.33天（去年同期4.00天），增加0.33天" in text
    costs = {r[0]: r for r in tables["职工医保住院医疗费用构成"].rows}
    assert costs["医疗总费用"][1] == 30000 and costs["政策范围内费用"][1:4:2] == (24000, 0.8)
    assert costs["其中：基金支付"][1] == 18300 and costs["\u3000\u3000\u3000政策范围内自付"][1] == 5700  # 24000 − 18300
    assert costs["全自费"][1] == 3600 and costs["全自费"][3] == pytest.approx(0.12)
    assert costs["全自费"][4] == pytest.approx(0.12 - 0.10)  # 比重 change, a difference of fractions (百分点)
    assert costs["全自费"][2] == pytest.approx(3600 / 3000 - 1)
    # 个人现金支付 beside the parts: 3 × 2400 = 7200 of 30000 = 24 % (last year 3 × 2500 = 7500, 25 %)
    assert costs["另：个人现金支付"][1:] == (7200, pytest.approx(7200 / 7500 - 1), pytest.approx(0.24),
                                         pytest.approx(0.24 - 0.25))  # fmt: skip
    assert "个人现金支付0.72万元，占医疗总费用的24.00%" in text
    assert "未分项" not in costs  # 24000 + 3600 + 600 + 2400 = 30600 > 30000 by 2 %: not one partition
    assert "构成数据存疑" in tables["职工医保住院医疗费用构成"].note and "费用构成数据存疑" in text
    places = {r[1]: r for r in tables["职工医保住院异地就医情况"].rows}
    assert places["省内异地"][2:5] == (1, 1, pytest.approx(1 / 3)) and places["跨省异地"][3] == 1
    assert "异地就医合计占基金支付的66.67%" in text


def test_default_periods_take_the_datasets_own_codes(tmp_path):
    """Without --period, settlements of January-March are written under the code the dataset's other
    tables use for those months (2024Q1 here), not as 2024M1-3, which a 2024Q1 report would not find."""
    dataset = tmp_path / "ds"
    dataset.mkdir()
    (dataset / "fund_flows.csv").write_text(
        "地区代码,期间,险种,项目,数值,单位\n420700,2024Q1,职工基本医疗保险,基金收入合计,1,万元\n"
        "420700,2023Q1,职工基本医疗保险,基金收入合计,1,万元\n420700,2023,职工基本医疗保险,基金收入合计,1,万元\n",
        encoding="utf-8",
    )
    aggregate([write_csv(tmp_path / "d.csv")], dataset)
    with (dataset / "utilisation.csv").open(encoding="utf-8") as fh:
        periods = {r["期间"] for r in csv.DictReader(fh)}
    assert periods == {"2024Q1", "2023Q1"}
    # months the dataset does not use yet keep the default code
    aggregate([write_csv(tmp_path / "d.csv")], tmp_path / "empty")
    with (tmp_path / "empty" / "utilisation.csv").open(encoding="utf-8") as fh:
        assert {r["期间"] for r in csv.DictReader(fh)} == {"2024M1-3", "2023M1-3"}


def test_a_person_in_two_districts_and_two_categories_counts_once_above_them(tmp_path):
    rows = [
        ["T1", "P9", "310", "11", "3", "2024-01-10", "100", "80", "50", "0", "420702", "420702"],
        ["T2", "P9", "310", "14", "3", "2024-02-10", "100", "80", "50", "0", "420703", "420703"],
        ["T3", "P8", "310", "14", "3", "2024-02-11", "100", "80", "50", "0", "420703", "420703"],
        ["T3", "P8", "310", "14", "3", "2024-02-12", "-100", "-80", "-50", "1", "420703", "420703"],  # reversed
    ]
    got, _ = rows_of([write_csv(tmp_path / "d.csv", rows)])
    persons = lambda region, service: got[(region, "2024M1-2", "employee", service)]["persons"]  # noqa: E731
    assert persons("420702", "outpatient_pooling") == 1 and persons("420703", "outpatient_chronic") == 1
    assert persons("420700", "outpatient_pooling") == 1 and persons("420700", "outpatient_chronic") == 1
    # P9 in both districts and both categories: once in the city's 门诊合计; P8's only settlement was reversed
    assert persons("420700", "outpatient_total") == 1
    assert got[("420700", "2024M1-2", "employee", "outpatient_total")]["visits"] == 2


def test_values_with_surrounding_spaces_are_the_same_values(tmp_path):
    padded = [[f" {v} " if i in (0, 1, 2, 3, 10) and v else v for i, v in enumerate(r)] for r in ROWS]
    padded[6][4] = "   "  # an empty 医院等级 written as spaces is empty
    plain, _ = rows_of([write_csv(tmp_path / "a.csv")])
    spaced, summary = rows_of([write_csv(tmp_path / "b.csv", padded)])
    assert spaced == plain and (summary.settlements, summary.reversals, summary.orphan_reversals) == (9, 1, 0)


def test_a_bad_value_outside_the_periods_asked_for_is_still_an_error(tmp_path):
    rows = [r[:] for r in ROWS] + [["S9", "P1", "310", "11", "3", "2022-05-01", "1O0", "80", "50", "0", "420702", ""]]
    with pytest.raises(InputError) as info:
        rows_of([write_csv(tmp_path / "d.csv", rows)], periods=[Period.parse("2024M1-3")])
    assert "第12行，列「medfee_sumamt」：无法识别" in str(info.value)


def test_a_file_named_twice_is_read_once(tmp_path):
    once = write_csv(tmp_path / "m1.csv")
    single, _ = rows_of([once])
    (tmp_path / "links").mkdir()
    (tmp_path / "links" / "january.csv").symlink_to(once)
    twice, _ = rows_of([tmp_path, once, tmp_path / "links"])  # the folder holds it, and a link to it
    assert single == twice


def test_two_files_with_the_same_content_are_an_error_naming_both(tmp_path):
    a = write_csv(tmp_path / "2024-01.csv")
    b = tmp_path / "2024-01 (copy).csv"
    shutil.copyfile(a, b)
    c = write_csv(tmp_path / "2024-02.csv", ROWS[:3])  # same size as nothing else: not hashed
    with pytest.raises(InputError) as err:
        open_detail([a, b, c])
    (issue,) = err.value.issues
    assert issue.file == str(b) and "2024-01.csv" in issue.message and "内容完全相同" in issue.message


def test_compact_dates_as_local_systems_write_them(tmp_path):
    """yyyymmdd and yyyymmddHHMMSS (text, or integers in a typed Parquet file) are the same dates."""
    import duckdb

    def compact(text: str) -> str:
        digits = "".join(ch for ch in text if ch.isdigit())
        return digits + ("000000" if len(digits) == 8 and ":" in text else "")

    squeezed = [r[:5] + [compact(r[5])] + r[6:] for r in ROWS]
    assert squeezed[0][5] == "20240110090000" and squeezed[1][5] == "20240201"
    plain, _ = rows_of([write_csv(tmp_path / "a.csv")])
    assert rows_of([write_csv(tmp_path / "b.csv", squeezed)])[0] == plain
    typed = tmp_path / "c.parquet"
    csv_path = str(write_csv(tmp_path / "c.csv", squeezed)).replace("'", "''")
    duckdb.sql(f"COPY (SELECT * REPLACE (CAST(setl_time AS BIGINT) AS setl_time) FROM read_csv('{csv_path}', "
               f"all_varchar=true)) TO '{typed}' (FORMAT parquet)")  # fmt: skip
    (tmp_path / "c.csv").unlink()
    assert rows_of([typed])[0] == plain
    bad = [r[:] for r in squeezed]
    bad[2][5] = "20241305"  # no 13th month
    with pytest.raises(InputError) as info:
        rows_of([write_csv(tmp_path / "d.csv", bad)])
    assert "第4行，列「setl_time」：无法识别" in str(info.value)


def test_tab_and_semicolon_separated_files_give_the_same_rows(tmp_path):
    plain, _ = rows_of([write_csv(tmp_path / "a.csv")])
    for name, sep in (("tab.csv", "\t"), ("semi.csv", ";")):
        with (tmp_path / name).open("w", encoding="gbk", newline="") as fh:
            w = csv.writer(fh, delimiter=sep)
            w.writerow(HEADER)
            w.writerows(ROWS)
        assert rows_of([tmp_path / name])[0] == plain, name


def test_a_row_with_a_column_too_many_is_located_without_its_text(tmp_path):
    """Beyond the rows a sniffer samples, as the platform's extracts are; DuckDB's own message quotes the line
    (with its 人员编号), ours must not, and must not be chained to it."""
    rows = [[f"S{i}", f"42070219800101{i:04d}", "310", "11", "3", "2024-01-10", "1", "1", "1", "0", "420702",
             "420702"] for i in range(30000)]  # fmt: skip
    rows[25000] = [*rows[25000], "某某医院,门诊部"]
    path = write_csv(tmp_path / "big.csv", rows)
    with pytest.raises(InputError) as info:
        rows_of([path])
    text = str(info.value)
    assert "big.csv，第25002行：本行有 13 列，表头有 12 列" in text
    assert "420702198001" not in text and "S25000" not in text and info.value.__cause__ is None
    assert info.value.__context__ is None or "Original Line" not in str(info.value.__context__)


def test_an_empty_file_and_a_cut_parquet_file_say_so(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(InputError) as info:
        rows_of([tmp_path / "empty.csv"])
    assert "empty.csv：文件为空（没有表头）" in str(info.value)
    import duckdb

    whole = tmp_path / "whole.parquet"
    src = str(write_csv(tmp_path / "a.csv")).replace("'", "''")
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{src}', all_varchar=true)) TO '{whole}' (FORMAT parquet)")
    cut = tmp_path / "cut.parquet"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(InputError) as info:
        rows_of([cut])
    assert "cut.parquet：不是完整的 Parquet 文件" in str(info.value)
