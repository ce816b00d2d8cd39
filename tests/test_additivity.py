"""Additivity declared once (data contract ``ColumnSpec.adds``, vocabulary ``Term.partition``) and used by the
audit's parts-versus-total rule: a clean extract gives zero findings; real inconsistencies still do."""

from __future__ import annotations

import csv

from fundreport.data import vocab
from fundreport.data.aggregate import aggregate
from fundreport.data.dataset import load_dataset
from fundreport.data.tables import BY_CODE
from fundreport.figures.audit import run_audit

from .conftest import write_dataset

HEADER = ["setl_id", "psn_no", "insutype", "med_type", "hosp_lv", "setl_time", "medfee_sumamt", "hifp_pay",
          "acct_pay", "refd_setl_flag", "insu_admdvs", "mdtrt_admdvs"]  # fmt: skip
REGIONS = [["地区代码", "地区名称", "层级", "上级地区代码"], ["420700", "鄂州市", "市", ""]]


def test_the_declarations():
    adds = {c.code: c.adds for c in BY_CODE["utilisation"].columns if c.adds is not None}
    assert adds["persons"] is False and adds["visits"] and adds["fund_paid"] and adds["bed_days"]
    assert vocab.SERVICES.term("inpatient_total").partition and not vocab.SERVICES.term("outpatient_total").partition


def test_a_clean_extract_gives_no_sum_finding(tmp_path):
    """Each person stays in three hospital levels (counts once in 住院合计), and buys drugs with the personal
    account only (in 门诊合计's costs, in no category); 门诊统筹 and 慢特病 are its categories."""
    rows, n = [], 0
    for year in ("2024", "2023"):
        for m in (1, 2, 3):
            for p in range(6):
                day = f"{year}-0{m}-1{p}"
                for med, lv, cost, fund, acct in (("21", "1", "1000", "700", "0"), ("21", "2", "1000", "700", "0"),
                                                  ("21", "3", "1000", "700", "0"), ("11", "3", "100", "50", "20"),
                                                  ("14", "3", "300", "210", "0"), ("41", "", "80", "0", "80")):  # fmt: skip
                    n += 1
                    rows.append([f"S{n}", f"P{p}", "310", med, lv, day, cost, fund, acct, "0", "420700", "420700"])
    detail = tmp_path / "d.csv"
    with detail.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    ds = write_dataset(tmp_path / "ds", {"regions": REGIONS})
    aggregate([detail], ds, periods=["2024M1-3", "2023M1-3"])
    findings = [f for f in run_audit(load_dataset(ds)) if f.check == "sum"]
    assert findings == []  # there were 4 (persons of 住院合计, 门诊合计's costs) before the declarations


USE = ["地区代码", "期间", "险种", "类别", "人次", "人数", "总费用", "基金支付", "金额单位"]


def _findings(tmp_path, rows):
    ds = write_dataset(tmp_path / "typed", {"regions": REGIONS, "utilisation": [USE, *rows]})
    return {(f.subject, f.message) for f in run_audit(load_dataset(ds)) if f.check == "sum"}


def test_typed_totals_are_still_checked_by_what_their_measures_are(tmp_path):
    row = lambda svc, v, p, c, f: ["420700", "2024", "职工基本医疗保险", svc, v, p, c, f, "万元"]  # noqa: E731
    found = _findings(tmp_path, [
        row("住院合计", "100", "50", "1000", "700"),
        row("市内一级及以下", "30", "60", "300", "210"),  # more persons than the total: impossible
        row("市内二级", "30", "20", "300", "210"),
        row("市内三级", "30", "20", "300", "210"),  # levels add to 90 人次 of 100: a partition that does not add up
        row("门诊合计", "200", "80", "500", "300"),
        row("门诊统筹（门诊共济）", "150", "60", "400", "250"),
        row("门诊慢特病", "80", "30", "200", "100"),  # 230 人次 above 门诊合计's 200: categories above their total
    ])  # fmt: skip
    assert ("inpatient_total.visits", "住院合计人次与各类别之和不符") in found
    assert any(s == "inpatient_total.persons" and "小于其中一个类别的人数" in m for s, m in found)
    assert ("outpatient_total.visits", "门诊合计人次小于各类别之和") in found
    assert ("outpatient_total.total_cost", "门诊合计总费用小于各类别之和") in found
    # 住院合计 persons 50 ≤ 60 + 20 + 20: no finding of the sum; 门诊 persons 80 ≥ 60, 30: none
    assert not any(s == "outpatient_total.persons" for s, _ in found)
    assert not any(s == "inpatient_total.persons" and "之和" in m for s, m in found)
