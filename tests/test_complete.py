"""Complete reports (issue 13): figures the data carries reach the page, with the seeds' values."""

from __future__ import annotations

import pytest

from fundreport.report.build import report_from_params

from .conftest import ROOT


@pytest.fixture(scope="module")
def reports():
    names = ("zhuzhou/2021H1", "zhuzhou/2021", "huangshi/2020", "jiashi/2020", "ezhou/2024M1-3")
    return {n: report_from_params(str(ROOT / "params" / f"{n}.yaml")) for n in names}


def table(report, table_id):
    for s in report.sections:
        for b in s.blocks:
            if getattr(b, "id", None) == table_id:
                return {c.key: [r[i] for r in b.rows] for i, c in enumerate(b.columns)}
    raise KeyError(table_id)


def text_of(report, code):
    sec = next(s for s in report.sections if s.code == code)
    return "".join(getattr(b, "text", "") for b in sec.blocks)


def test_policy_section_states_base_and_standards_with_their_change(reports):
    # 株洲 2021年1-6月: 缴费基数 5054 元/人/月 vs 4764, +290; 最高 15162, 最低 3032.4; 居民 580 vs 550 (+30)
    t = table(reports["zhuzhou/2021H1"], "t-policy")
    assert t["cur"][:3] == [5054, 15162, 3032.4]
    assert t["prev"][0] == 4764 and t["change"][0] == 290
    assert t["change"][4] == 30  # 财政补助标准 580 vs 550
    words = text_of(reports["zhuzhou/2021H1"], "policy")
    assert "平均缴费基数为5054元/人/月（去年同期4764元/人/月），比去年同期增加290元/人/月，增长6.09%" in words
    assert "单位缴费率为8.7%" in words and "个人缴费率为2%" in words
    assert "个人缴费标准为280元/人/年（上年280元/人/年），与上年持平" in text_of(reports["zhuzhou/2021"], "policy")
    # a table column that is empty in every row is not printed
    assert "prev" not in table(reports["zhuzhou/2021H1"], "t-policy-rates")


def test_income_expense_change_table_has_amounts_and_the_growth_gap(reports):
    t = table(reports["zhuzhou/2021H1"], "t-income-expense-change")
    # 职工医保: income 120197 − 101525 = +18672 万元, expense 122459 − 118894 = +3565 万元
    assert t["income_change"][0] == pytest.approx(186_720_000)
    assert t["expense_change"][0] == pytest.approx(35_650_000)
    assert t["gap"][0] == pytest.approx(3565 / 118894 - 18672 / 101525)
    # 去年同期当期结余 101525 − 118894 = −17369 万元
    assert t["balance_prev"][0] == pytest.approx(-173_690_000)
    assert "职工个人账户支出增速高于收入增速25.98个百分点" in text_of(reports["zhuzhou/2021H1"], "income_expense")
    # 伽师: 职工 comparison is a copy of the current year → 数据存疑, never a number
    j = table(reports["jiashi/2020"], "t-income-expense-change")
    assert getattr(j["gap"][0], "doubtful", False)


def test_cumulative_balance_structure_and_account_share(reports):
    # 株洲 2021: 个人账户 25.24 亿元 of 各项基金 71.86 亿元 = 35.12%
    t = table(reports["zhuzhou/2021"], "t-cumulative")
    assert t["share"][2] == pytest.approx(25.24 / 71.86)
    # the total holds 职工 and 居民 (the report also shows 大额, 公务员 and 离休 funds): named, not "各项"
    assert "占职工基本医保基金和城乡居民基本医保基金合计累计结余的35.12%" in text_of(reports["zhuzhou/2021"], "balance")
    # 株洲 2021H1: total 630514 万元 vs 549504 a year before, +14.74%
    h = table(reports["zhuzhou/2021H1"], "t-cumulative")
    assert h["cumulative"][-1] == pytest.approx(6_305_140_000)
    assert h["prev_rate"][-1] == pytest.approx(630514 / 549504 - 1)


def test_balance_sheet_section_lists_temporary_receipts_and_payments(reports):
    # 株洲 2021年6月底: 统筹 暂收款 68139, 暂付款 87163.4 (其中垫付医疗费 8411.8); 居民 96355 of 184838 累计结余
    t = table(reports["zhuzhou/2021H1"], "t-balance-sheet")
    assert t["receipts"][0] == pytest.approx(681_390_000) and t["payments"][0] == pytest.approx(871_634_000)
    assert t["advance_medical"][1] == pytest.approx(379_470_000)
    # only the real advances (垫付医疗费 37947 + 异地就医预付金 6989) are related to the 184838 累计结余:
    # the rest of the 96355 暂付款 may be remittances offset by 暂收款 (the seed's 52.13% relates all of it)
    assert t["share"][1] == pytest.approx((37947 + 6989) / 184838)
    # no such lines, no section
    assert all(s.code != "balance_sheet" for s in reports["jiashi/2020"].sections)


def test_supplementary_funds_have_months_of_support(reports):
    # 补充医疗 13968 ÷ (5091 ÷ 6) = 16.46 months (the seed: 16个月); 公务员 71049 ÷ (4007 ÷ 6) = 106.4, above
    # the 60-month ceiling: not a figure, its expense base is named (the seed's "16个月" is a copy of the line above)
    t = table(reports["zhuzhou/2021H1"], "t-other-funds")
    assert t["months"][0] == pytest.approx(13968 / (5091 / 6))
    assert t["months"][1].label == "数据存疑" and "按本期月均支出667.83万元计算超过60个月" in t["months"][1].reason
    assert t["months"][2] is None  # 离休统筹 is paid as it goes


def test_per_insured_figures_and_inpatient_rate(reports):
    # 株洲 2021H1 职工: 支出 122459 万元 ÷ 747128 人 = 1639.06 元; 去年同期 118894 万元 ÷ 693363 人 = 1714.74 元
    t = table(reports["zhuzhou/2021H1"], "t-per-insured")
    assert t["expense_per"][0] == pytest.approx(1_224_590_000 / 747_128)
    assert t["expense_per_prev"][0] == pytest.approx(1_188_940_000 / 693_363)
    words = text_of(reports["zhuzhou/2021H1"], "enrolment")
    assert "职工医保人均基金支出1639.06元（去年同期1714.74元），比降4.41%" in words
    e = table(reports["ezhou/2024M1-3"], "t-per-insured")
    assert 0 < e["inpatient_rate"][0] < 0.2 and e["inpatient_rate_prev"][0] is not None


def test_budget_deviation_is_graded(reports):
    # 株洲 2021H1: 居民保险费收入 16752 ÷ 85219 = 19.66% against 50% → −30.34 个百分点 → 严重;
    # 职工保险费收入 41.35% → −8.65 → 一般; 职工收入合计 39.21% → −10.79 → 较大
    t = table(reports["zhuzhou/2021H1"], "t-budget")
    assert t["level"][:5] == ["较大", "一般", "—", "较大", "严重"]


def test_subregion_enrolment_and_stated_district_months(reports):
    # 黄石 2020: 大冶市 职工 8.84 万人 of 52.43 万人 = 16.86%
    t = table(reports["huangshi/2020"], "t-sub-enrolment")
    assert t["area"] == ["市本级", "大冶市", "阳新县"]
    assert t["employee_share"][1] == pytest.approx(8.84 / 52.43)
    # 株洲 2021: the district table's 实际可支付月数 are the source's (no district expense to compute them)
    z = table(reports["zhuzhou/2021"], "t-sub-resident")
    assert z["stated_months"][0] == 1  # 茶陵
    assert "adj_months" not in z


def test_groups_of_services_and_enrolment(reports):
    # 株洲 2021 职工住院: 在职 50405 of 175164 人次 = 28.78%; 退休 费用 127654 of 173459 万元 = 73.59%
    t = table(reports["zhuzhou/2021"], "t-inpatient-employee-groups")
    assert t["group"] == ["在职", "退休"]
    assert t["visit_share"][0] == pytest.approx(50405 / 175164)
    assert t["cost_share"][1] == pytest.approx(127654 / 173459)
    # 鄂州 生育保险 参保: 企业 85221 人, 其中女性 34889
    e = table(reports["ezhou/2024M1-3"], "t-enrolment-groups")
    assert e["n"][2] == 85221 and e["female"][2] == 34889


def test_inpatient_structure_by_hospital_level(reports):
    t = table(reports["ezhou/2024M1-3"], "t-inpatient-employee-structure")
    total = sum(t["visits"])  # the four levels add up to 住院合计 in this sample
    assert t["visit_share"][2] == pytest.approx(t["visits"][2] / total)
    assert sum(t["visit_share"]) == pytest.approx(1.0)
    charts = [
        b
        for s in reports["ezhou/2024M1-3"].sections
        for b in s.blocks
        if getattr(b, "id", "") == "c-inpatient-employee-visits"
    ]
    assert charts and {d["series"] for d in charts[0].data} == {"2024年1-3月", "2023年1-3月"}


def test_months_trend_and_band_moves_of_subregions(make_project):
    regions = [
        ["地区代码", "地区名称", "层级", "上级地区代码"],
        ["420700", "鄂州市", "市", ""],
        ["420702", "甲区", "区", "420700"],
        ["420703", "乙区", "区", "420700"],
    ]
    flows = [["地区代码", "期间", "险种", "项目", "数值", "单位"]]
    # 甲区: 12 months of 100/month → 1200 ÷ 100 = 12 个月 (充足) then 4 个月 (不足) this year; 乙区 stays 合理
    for region, year, expense, cumulative in (
        ("420702", "2023", 1200, 1200 * 1.0),
        ("420702", "2024", 1200, 400),
        ("420703", "2023", 1200, 700),
        ("420703", "2024", 1200, 800),
        ("420700", "2023", 2400, 1900),
        ("420700", "2024", 2400, 1200),
    ):
        for item, value in (("基金收入合计", expense), ("基金支出合计", expense), ("累计结余", cumulative)):
            flows.append([region, year, "城乡居民基本医疗保险", item, str(value), "万元"])
    root = make_project(
        {"e/2024.yaml": 'region: "420700"\nperiod: "2024"\ndata: data/ds\n'}, {"regions": regions, "fund_flows": flows}
    )
    report = report_from_params(str(root / "params/e/2024.yaml"))
    balance = text_of(report, "balance")
    # 市: 1900 ÷ 200 = 9.5 个月 → 1200 ÷ 200 = 6.0 个月: 减少3.5个月, 充足 → 合理
    assert "城乡居民基本医保基金可支付月数比上年（9.5个月）减少3.5个月，由“充足”区间变为“合理”区间。" in balance
    sub = text_of(report, "subregions")
    assert "1个地区城乡居民基本医保基金可支付月数区间发生变化，其中1个下降：甲区由“充足”变为“不足”" in sub


def test_collection_rate_and_arrears_when_the_data_gives_contributions_due(make_project):
    from .conftest import REGIONS

    flows = [["地区代码", "期间", "险种", "项目", "数值", "单位"]]
    for year, due, got in (("2023", 11000, 10340), ("2024", 12000, 11400)):
        flows += [
            ["420700", year, "职工基本医疗保险", "应缴保险费", str(due), "万元"],
            ["420700", year, "职工基本医疗保险", "保险费收入", str(got), "万元"],
            ["420700", year, "职工基本医疗保险", "基金收入合计", str(got + 500), "万元"],
            ["420700", year, "职工基本医疗保险", "基金支出合计", str(got), "万元"],
        ]
    root = make_project(
        {"e/2024.yaml": 'region: "420700"\nperiod: "2024"\ndata: data/ds\n'}, {"regions": REGIONS, "fund_flows": flows}
    )
    report = report_from_params(str(root / "params/e/2024.yaml"))
    t = table(report, "t-collection")
    # 11400 ÷ 12000 = 95%, 上年 10340 ÷ 11000 = 94%; 欠费 600 万元
    assert t["rate"] == [pytest.approx(0.95)] and t["rate_prev"] == [pytest.approx(0.94)]
    assert t["arrears"] == [pytest.approx(6_000_000)]
    words = text_of(report, "income_expense")
    assert "征缴率95.00%（上年94.00%），比上年提高1.00个百分点，欠费600.00万元" in words


def test_months_of_support_against_the_month_before(make_project):
    from .conftest import REGIONS

    flows = [["地区代码", "期间", "险种", "项目", "数值", "单位"]]
    # 1-5月: 累计结余 600, 支出 500 (100/月) → 6.0 个月; 1-6月: 累计结余 540, 支出 720 (120/月) → 4.5 个月
    for period, expense, cumulative in (("2024M1-5", 500, 600), ("2024H1", 720, 540)):
        flows += [
            ["420700", period, "城乡居民基本医疗保险", "基金收入合计", str(expense), "万元"],
            ["420700", period, "城乡居民基本医疗保险", "基金支出合计", str(expense), "万元"],
            ["420700", period, "城乡居民基本医疗保险", "累计结余", str(cumulative), "万元"],
        ]
    root = make_project(
        {"e/2024H1.yaml": 'region: "420700"\nperiod: 2024H1\ndata: data/ds\n'},
        {"regions": REGIONS, "fund_flows": flows},
    )
    report = report_from_params(str(root / "params/e/2024H1.yaml"))
    assert "城乡居民基本医保基金可支付月数比上月（6.0个月）减少1.5个月，由“合理”区间变为“不足”区间。" in text_of(
        report, "balance"
    )
