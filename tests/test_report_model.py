"""The report structure built from the samples: figures and sentences the seeds state (where right)."""

from __future__ import annotations

from functools import cache

import pytest

from fundreport.data.params import load_params
from fundreport.render.fragments import section_html
from fundreport.report.build import build_report, report_from_params
from fundreport.report.model import Chart, Commentary, Table
from fundreport.text.labels import NO_DATA

from .conftest import ROOT


@cache
def sample(name: str):
    return report_from_params(str(ROOT / "params" / f"{name}.yaml"))


def texts(report, code: str) -> str:
    sec = report.section(code)
    assert sec is not None, f"{code} missing from {report.region_name} {report.period_label}"
    return "\n".join(sec.texts())


def table(report, tid: str) -> Table:
    for sec in report.sections:
        for b in sec.blocks:
            if isinstance(b, Table) and b.id == tid:
                return b
    raise AssertionError(f"no table {tid}")


def test_ezhou_income_sentence_in_house_style():
    r = sample("ezhou/2024M1-3")
    assert "2024年1-3月，全市职工基本医保基金收入24959.60万元（去年同期28990.38万元），比降13.90%" in texts(
        r, "income_expense"
    )


def test_ezhou_outpatient_per_visit():
    out = texts(sample("ezhou/2024M1-3"), "outpatient")
    assert "职工医保门诊统筹（门诊共济）" in out and "次均基金支付49.27元/人次" in out
    assert "居民医保门诊统筹（门诊共济）" in out and "次均基金支付28.62元/人次" in out


def test_ezhou_inpatient_rates_divide_by_the_comparison_period():
    # The seed divides the hospital-level changes by the current period; the report must not.
    from fundreport.data.dataset import load_dataset
    from fundreport.figures.facts import Facts

    facts = Facts(load_dataset(ROOT / "data" / "samples" / "ezhou" / "2024M1-3"))
    t = table(sample("ezhou/2024M1-3"), "t-inpatient-employee")
    row = dict(zip([c.key for c in t.columns], next(r for r in t.rows if r[0] == "市内三级"), strict=True))
    cur, prev = (facts.use("420700", p, "employee", "inpatient_level3", "fund_paid") for p in ("2024M1-3", "2023M1-3"))
    assert row["paid_rate"] == pytest.approx((cur - prev) / prev)
    assert t.total_rows == frozenset({0})  # 住院合计


def test_zhuzhou_2021_months_of_support_book_and_adjusted():
    r = sample("zhuzhou/2021")
    bal = texts(r, "balance")
    assert "职工医保统筹基金累计结余23.89亿元，可支付18.5个月，属于“过多结余”区间" in bal
    assert "实际结余20.23亿元，可支付15.7个月" in bal
    t = table(r, "t-balance")
    months = dict(zip(t.column("fund"), t.column("months"), strict=True))
    assert round(months["职工统筹基金"], 1) == 18.5  # the seed floors it to 18


def test_zhuzhou_2021_retired_share():
    enr = texts(sample("zhuzhou/2021"), "enrolment")
    # 27.26 ÷ 72.74 − 25.74 ÷ 74.95 = 3.1337 百分点, rounded once (the table's 百分点 column prints the same)
    assert "退休人员占比为37.48%（上年为34.34%），提高3.13个百分点" in enr
    assert "在职退休比为1.67:1" in enr


def test_jiashi_resident_expense_without_inter_level():
    r = sample("jiashi/2020")
    text = texts(r, "income_expense")
    # 21040.11 / 15823.75 − 1: the report's 319.31% came from counting 上解上级支出.
    assert "支出21040.11万元（上年15823.75万元），比增32.97%" in text
    assert "计入上下级往来后" in text
    assert table(r, "t-inter-level").rows


def test_jiashi_performance_targets_judged_on_computed_actuals():
    r = sample("jiashi/2020")
    t = table(r, "t-performance")
    judged = dict(zip(t.column("name"), t.column("judged"), strict=True))
    assert judged["城乡居民医疗保险基金收入预算执行率（%）"] == "达成"
    assert "未达成" in judged.values()


def test_budget_flags_against_time_progress():
    r = sample("zhuzhou/2021H1")
    text = texts(r, "budget")
    assert (
        "职工医保基金收入合计预算执行率为39.21%，时间进度为50.00%，低于时间进度10.79个百分点，超出±5个百分点的控制范围"
        in text
    )
    codes = {f.code for f in r.flags}
    assert "budget_deviation" in codes and "months_band" in codes


def test_negative_balance_is_flagged_not_given_months():
    r = sample("huangshi/2020")
    assert any(f.code == "negative_balance" and "生育保险" in f.text for f in r.flags)
    assert "结余为负，不计算可支付月数" in texts(r, "balance")
    assert not any(f.code == "months_band" and "生育" in f.text for f in r.flags)


def test_deficit_history_from_summary_table():
    text = texts(sample("zhuzhou/2021"), "subregions")
    assert "出现当期收不抵支的有2019年度、2020年度" in text


def test_sections_numbered_in_house_order_with_commentary_beside_figures():
    r = sample("zhuzhou/2021")
    titles = [s.title for s in r.sections]
    assert titles[0] == "一、主要指标与风险提示" and titles[-1].endswith("附录：数据核对与来源")
    assert titles[1] == "二、参保情况"
    bal = r.section("balance")
    assert isinstance(bal.blocks[-1], Commentary) and bal.blocks[-1].title == "分析说明"
    numbers = [r.numbers[b.id] for s in r.sections for b in s.blocks if isinstance(b, Table)]
    assert numbers == list(range(1, len(numbers) + 1))
    charts = [r.numbers[b.id] for s in r.sections for b in s.blocks if isinstance(b, Chart)]
    assert charts == list(range(1, len(charts) + 1))


def test_params_choose_sections_and_missing_data_is_said(make_project):
    root = make_project(
        {
            "x/2024M1-3.yaml": "region: '420700'\nperiod: 2024M1-3\ndata: data/ds\nsections: [income_expense, inpatient]\n"
        }
    )
    r = build_report(load_params(root / "params" / "x" / "2024M1-3.yaml"))
    assert [s.code for s in r.sections] == ["income_expense", "inpatient"]
    assert r.section("inpatient").texts() == [NO_DATA]
    assert "比降13.90%" in texts(r, "income_expense")


def test_commentary_from_params_is_escaped(make_project):
    root = make_project(
        {
            "x/2024M1-3.yaml": "region: '420700'\nperiod: 2024M1-3\ndata: data/ds\n"
            "commentary:\n  income_expense: ['<script>alert(1)</script> 收入下降']\n"
        }
    )
    r = build_report(load_params(root / "params" / "x" / "2024M1-3.yaml"))
    html = section_html(r, r.section("income_expense"))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; 收入下降" in html


def test_fragment_tables_format_money_and_signed_rates():
    r = sample("ezhou/2024M1-3")
    html = section_html(r, r.section("income_expense"))
    assert "24,959.60" in html and "-13.90%" in html
    assert 'class="data row0 col3 num neg"' in html or "num neg" in html
    assert 'id="T_t-income-expense"' in html  # deterministic Styler id


def test_same_inputs_give_the_same_fragments():
    a = report_from_params(str(ROOT / "params" / "ezhou" / "2024M1-3.yaml"))
    b = report_from_params(str(ROOT / "params" / "ezhou" / "2024M1-3.yaml"))
    assert all(section_html(a, s) == section_html(b, t) for s, t in zip(a.sections, b.sections, strict=True))


def test_ezhou_inpatient_keeps_cost_per_visit_yoy_and_says_why_no_inscope_ratio():
    r = sample("ezhou/2024M1-3")
    t = table(r, "t-inpatient-employee")
    keys = [c.key for c in t.columns]
    assert {"cost_per", "cost_per_rate", "actual_pp"} <= set(keys) and "inscope" not in keys
    level3 = dict(zip(keys, next(row for row in t.rows if row[0] == "市内三级"), strict=True))
    assert level3["cost_per_rate"] is not None and level3["actual_pp"] is not None
    text = texts(r, "inpatient")
    # 实际报销比例 64.37% vs 62.99%: the exact change 1.388 百分点 is rounded once, as in the table (+1.39)
    assert "无法计算政策范围内报销比例" in text and "提高1.39个百分点" in text
    total = dict(zip(keys, next(row for row in t.rows if row[0] == "住院合计"), strict=True))
    assert round(total["actual_pp"] * 100, 2) == 1.39


def test_empty_columns_are_dropped_and_named_in_the_note():
    from fundreport.report.model import Column, Table

    t = Table(
        "t",
        "累计结余及可支付月数",
        (
            Column("fund", "险种"),
            Column("cum", "累计结余", "money"),
            Column("adj", "实际结余", "money"),
            Column("band", "区间", "text"),
            Column("adj_band", "区间", "text"),
        ),  # fmt: skip
        (("职工医保", 1.0, None, "充足", "—"), ("居民医保", 2.0, None, "合理", "—")),
        note="单位：万元。",
    )
    out = t.without_empty_columns()
    assert [c.label for c in out.columns] == ["险种", "累计结余", "区间"]
    assert out.note == "单位：万元；实际结余无数据，未列出"  # the second 区间 is named by the first
    assert out.rows == (("职工医保", 1.0, "充足"), ("居民医保", 2.0, "合理"))
