"""Settlement detail values read right (issue 30, part 4): the encoding sample may end inside a character,
amounts accept only well-formed thousands separators, impossible settlements are located errors, control
characters never reach an output, and a stray quote gets a Chinese message with 应为."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from fundreport.data.aggregate import detail_tables, load_mapping
from fundreport.data.detail import open_detail
from fundreport.data.periods import Period
from fundreport.errors import InputError

Q1 = [Period.parse("2024M1-3")]
HEADER = ["结算ID", "人员编号", "险种类型", "医疗类别", "结算时间", "医疗费总额", "基本医疗保险统筹基金支出", "退费结算标志",
          "参保地医保区划", "定点医药机构编号", "定点医药机构名称"]  # fmt: skip


def rows(n: int = 6, name: str = "市中心医院") -> list[list[str]]:
    return [[f"S{i}", f"P{i}", "310", "11", f"2024-{i % 3 + 1:02d}-10", "100.00", "60.00", "0", "420702", "H1", name]
            for i in range(n)]  # fmt: skip


def write(path: Path, body: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(body)
    return path


def aggregate(paths):
    src = open_detail(paths)
    try:
        return detail_tables(src, load_mapping(None), Q1)
    finally:
        src.close()


def fund_paid(tables) -> str:
    (row,) = [r for r in tables["utilisation"] if r["region"] == "420702" and r["service"] == "outpatient_pooling"
              and r["group"] == "all"]  # fmt: skip
    return str(row["fund_paid"])


def test_a_gbk_file_whose_sample_ends_inside_a_character_is_read(tmp_path):
    body = rows(1200, "人民医院")  # long enough to pass 64 KB
    path = tmp_path / "gbk.csv"
    # pad the first name so that the sample's last byte (65536th) is the first byte of a two-byte character
    for pad in range(80):  # a row is shorter than 80 bytes
        body[0][10] = "人民医院" + "x" * pad
        data = write(path, body, "gbk").read_bytes()
        if _cut(data):
            break
    assert _cut(data), "the fixture did not put a character across the sample's end"
    tables, summary = aggregate([path])
    assert summary.settlements == 1200 and fund_paid(tables) == "72000.00"
    assert all(r["institution_name"].startswith("人民医院") for r in tables["institutions"])  # read as GBK


def _cut(data: bytes) -> bool:
    try:
        data[:65536].decode("gb18030")
    except UnicodeDecodeError as exc:
        return exc.start >= 65530
    return False


def test_a_gbk_file_that_turns_into_another_encoding_is_located(tmp_path):
    path = write(tmp_path / "mixed.csv", rows(1200, "人民医院"), "gbk")
    with path.open("ab") as fh:
        fh.write("S9999,P1,310,11,2024-01-10,1,1,0,420702,H1,\u4eba\u6c11\u533b\u9662\n".encode()[:-3] + b"\xff\xfe\n")
    with pytest.raises(InputError) as err:
        aggregate([path])
    assert "编码与开头不一致" in str(err.value) and "第1202行" in str(err.value)


@pytest.mark.parametrize(("written", "ok"), [("1,234.50", True), ("1234.50", True), ("1,23,4", False),
                                               ("1234,56", False), ("12,3456.00", False)])  # fmt: skip
def test_amounts_accept_only_thousands_separators_in_groups_of_three(tmp_path, written, ok):
    body = rows()
    body[2][5] = written
    path = write(tmp_path / "d.csv", body)
    if ok:
        aggregate([path])
        return
    with pytest.raises(InputError) as err:
        aggregate([path])
    text = str(err.value)
    assert "第4行，列「医疗费总额」：无法识别" in text and written in text and "每三位一组" in text


@pytest.mark.parametrize("form", ["csv", "parquet"])
def test_impossible_settlements_are_located_errors(tmp_path, form):
    body = rows()
    body[1][6] = "150.00"  # 统筹基金支出 above 医疗费总额 100
    body[4][5], body[4][6] = "-100.00", "-60.00"  # a reversal without its flag
    path = write(tmp_path / "d.csv", body)
    if form == "parquet":
        out = tmp_path / "d.parquet"
        duckdb.sql(
            f"COPY (SELECT * REPLACE (CAST(医疗费总额 AS DOUBLE) AS 医疗费总额, "
            f"CAST(基本医疗保险统筹基金支出 AS DOUBLE) AS 基本医疗保险统筹基金支出) "
            f"FROM read_csv('{path}', all_varchar=true)) TO '{out}' (FORMAT parquet)"
        )
        path.unlink()
        path = out
    with pytest.raises(InputError) as err:
        aggregate([path])
    text = str(err.value)
    assert "第3行，列「基本医疗保险统筹基金支出、医疗费总额」：统筹基金支出大于医疗费总额" in text
    assert "第6行" in text and "金额为负却未标为冲销" in text and "退费结算标志为 1" in text
    assert "S1" not in text and "P4" not in text


def test_a_flagged_reversal_with_negative_amounts_is_not_an_error(tmp_path):
    body = rows()
    body.append(["S0", "P0", "310", "11", "2024-01-11", "-100.00", "-60.00", "1", "420702", "H1", "市中心医院"])
    tables, summary = aggregate([write(tmp_path / "d.csv", body)])
    assert summary.reversals == 1 and fund_paid(tables) == "300.00"


def test_control_characters_never_reach_an_output(tmp_path):
    tables, _ = aggregate([write(tmp_path / "d.csv", rows(6, "市中心\x00医院\x07"))])
    names = {r["institution_name"] for r in tables["institutions"]}
    assert names == {"市中心医院"}


def test_a_stray_quote_gets_a_chinese_message_with_what_is_expected(tmp_path):
    path = tmp_path / "q.csv"
    lines = [",".join(HEADER)] + [",".join(r) for r in rows()]
    lines[3] = lines[3].replace("市中心医院", '"好药师"大药房')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        aggregate([path])
    text = str(err.value)
    assert "q.csv，第4行：文本中的英文双引号未成对" in text and "应为 用英文双引号括起整个字段" in text
    assert "Invalid Input" not in text and "P2" not in text
