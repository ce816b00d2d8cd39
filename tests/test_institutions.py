"""定点机构待遇 from settlement detail: hand-checked institution rows, and the report's 定点医药机构情况 table
with small institutions suppressed."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from fundreport.data.aggregate import aggregate, detail_tables, load_mapping
from fundreport.data.dataset import load_dataset
from fundreport.data.detail import open_detail
from fundreport.data.periods import Period
from fundreport.report.model import Paragraph, Table

from .conftest import ROOT
from .test_detail import CHAINS, write_csv

HEADER = ["setl_id", "psn_no", "insutype", "med_type", "hosp_lv", "setl_time", "medfee_sumamt", "hifp_pay",
          "acct_pay", "refd_setl_flag", "insu_admdvs", "mdtrt_admdvs", "fixmedins_code", "fixmedins_name"]  # fmt: skip


def stays(hospital: str, name: str, level: str, persons: int, paid: int, year: str = "2024", start: int = 0) -> list:
    """``persons`` stays of one person each at ``hospital``, each 1000 元 of cost and ``paid`` of fund paid,
    spread over January to March (every month of the quarter holds settlements)."""
    return [[f"{hospital}-{year}-{i}", f"P{start + i}", "310", "21", level, f"{year}-0{i % 3 + 1}-10", "1000", str(paid), "0",
             "0", "420702", "420702", hospital, name] for i in range(persons)]  # fmt: skip


def test_institution_rows_by_hand(tmp_path):
    rows = [
        *stays("H1", "市中心医院", "3", 3, 600),
        ["H1-R", "P0", "310", "21", "3", "2024-02-11", "-1000", "-600", "0", "1", "420702", "420702", "H1", "市中心医院"],
        ["O1", "P7", "310", "11", "3", "2024-02-12", "100", "40", "30", "0", "420703", "420703", "H1", "市中心医院"],
        ["O2", "P8", "310", "11", "", "2024-03-01", "50", "0", "50", "0", "420703", "420703", "D9", "惠民药店"],
    ]  # fmt: skip
    path = write_csv(tmp_path / "d.csv", rows, HEADER)
    src = open_detail([path])
    try:
        tables, summary = detail_tables(src, load_mapping(None), [Period.parse("2024M1-3")], CHAINS)
    finally:
        src.close()
    got = {(r["region"], r["service"], r["institution"]): r for r in tables["institutions"]}
    h1 = got[("420700", "inpatient_total", "H1")]
    # three stays and a reversal whose original is not in the data (结算ID H1-R, no 原结算ID): it is still
    # subtracted, 人次 3 − 1 = 2, 基金支付 3 × 600 − 600 = 1200, and all three persons keep a live stay.
    assert (h1["visits"], h1["persons"], h1["total_cost"], h1["fund_paid"]) == (2, 3, Decimal("2000"), Decimal("1200"))
    assert h1["institution_name"] == "市中心医院" and h1["level"] == "三级"
    assert got[("420702", "inpatient_total", "H1")]["fund_paid"] == Decimal("1200")  # the district too
    # 门诊: 基金支付 = 统筹 + 个人账户, as 门诊合计's; a pharmacy paid from the account only is listed too
    assert got[("420700", "outpatient_total", "H1")]["fund_paid"] == Decimal("70")
    assert got[("420700", "outpatient_total", "D9")]["fund_paid"] == Decimal("50")
    assert summary.rows == len(tables["utilisation"]) + len(tables["institutions"])


@pytest.fixture
def report(tmp_path, monkeypatch):
    return five_hospitals(tmp_path, monkeypatch)


def five_hospitals(tmp_path, monkeypatch, extra_params: str = ""):
    """The 鄂州 sample with the detail of five hospitals (one with 4 persons, one with 12) in 2024 and 2023."""
    from fundreport.report.build import report_from_params

    rows, n = [], 0
    for year, more in (("2024", 1.1), ("2023", 1.0)):
        for code, name, lv, persons, paid in (("H1", "市中心医院", "3", 40, 700), ("H2", "第二医院", "2", 30, 500),
                                              ("H3", "妇幼保健院", "2", 12, 400), ("H4", "社区卫生院", "1", 4, 300),
                                              ("H5", "骨科医院", "2", 20, 450)):  # fmt: skip
            rows += stays(code, name, lv, persons, round(paid * more), year, n)
            n += persons
    for r in rows:
        r[10] = r[11] = "420700"
    project = tmp_path / "p"
    sample = Path("data/samples/ezhou/2024M1-3")
    shutil.copytree(ROOT / sample, project / sample)
    (project / "params" / "ezhou").mkdir(parents=True)
    params = (ROOT / "params" / "ezhou" / "2024M1-3.yaml").read_text(encoding="utf-8") + extra_params
    (project / "params" / "ezhou" / "2024M1-3.yaml").write_text(params, encoding="utf-8")
    shutil.copy(ROOT / "params" / "_defaults.yaml", project / "params")
    aggregate([write_csv(tmp_path / "d.csv", rows, HEADER)], project / sample, periods=["2024M1-3", "2023M1-3"])
    assert len(load_dataset(project / sample).institutions) == 2 * 5  # loaded back through the data contract
    monkeypatch.chdir(project)
    return report_from_params("params/ezhou/2024M1-3.yaml")


def test_the_report_lists_institutions_and_hides_small_ones(report):
    section = next(s for s in report.sections if s.code == "inpatient")
    table = next(b for b in section.blocks if isinstance(b, Table) and b.title == "职工医保住院定点医药机构情况")
    names = [r[0] for r in table.rows]
    assert names == ["市中心医院", "第二医院", "骨科医院", "妇幼保健院", "社区卫生院"]  # by 基金支付
    rows = {r[0]: r for r in table.rows}
    paid = {"市中心医院": 40 * 770, "第二医院": 30 * 550, "骨科医院": 20 * 495}
    total = sum(paid.values()) + 12 * 440 + 4 * 330  # 住院合计's 基金支付: all five
    assert rows["市中心医院"][2:6] == (40, 40, 40000, paid["市中心医院"])
    assert rows["市中心医院"][6] == pytest.approx(770 / 700 - 1)
    assert rows["市中心医院"][7] == pytest.approx(paid["市中心医院"] / total)
    # 社区卫生院 has 4 persons (< 10): hidden; then the next smallest (妇幼保健院, 12) too, so that it cannot
    # be recovered from the others
    for hidden in ("社区卫生院", "妇幼保健院"):
        assert all(getattr(v, "label", None) == "*" for v in rows[hidden][2:]), rows[hidden]
    assert "少于10的机构不显示其数值" in table.note
    # with hidden rows no combined share is said (it would give the hidden rows' amounts away)
    assert not any("家机构共占" in b.text for b in section.blocks if isinstance(b, Paragraph))


def test_when_every_institution_is_listed_no_top_n_share_is_said(tmp_path, monkeypatch):
    """Five institutions, all shown: "the 5 largest make 100%" says nothing; the sentence gives the count."""
    section = next(s for s in five_hospitals(tmp_path, monkeypatch, "min_cell_persons: 0\n").sections
                   if s.code == "inpatient")  # fmt: skip
    texts = [b.text for b in section.blocks if isinstance(b, Paragraph) and "定点医药机构" in b.text]
    paid = {
        "市中心医院": 40 * 770,
        "第二医院": 30 * 550,
        "骨科医院": 20 * 495,
        "妇幼保健院": 12 * 440,
        "社区卫生院": 4 * 330,
    }
    share = paid["市中心医院"] / sum(paid.values())
    assert any(f"基金支付分布在5家定点医药机构，其中市中心医院最多，占{share * 100:.2f}%" in t for t in texts), texts
    assert not any("家机构共占" in t for t in texts)
