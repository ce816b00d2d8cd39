"""The ipywidgets explorer driven without a browser: controls in, view contents out."""

from __future__ import annotations

import math
import re

import nbformat
import pytest
from openpyxl import Workbook

from fundreport.data.params import load_params
from fundreport.explore import app as explore
from fundreport.explore.app import FAMILIES, Explorer
from fundreport.explore.views import view_rows

from .conftest import ROOT, write_dataset


def text(html: str) -> str:
    """The visible text of a view (tags and the style block removed)."""
    html = re.sub(r"<style.*?</style>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def views(e: Explorer) -> list[str]:
    return [e.table_html, e.sentences_html, e.findings_html, e.ranking_html, e.chart_note.value]


# A small city with three counties: figures chosen so that months, deviations and costs rank differently.
CITY = {
    "regions": [
        ["地区代码", "地区名称", "层级", "上级地区代码"],
        ["999900", "测试市", "市", ""],
        ["999901", "甲县", "县", "999900"],
        ["999902", "乙县", "县", "999900"],
        ["999903", "丙区", "区", "999900"],
    ],
    "fund_flows": [
        ["地区代码", "期间", "险种", "项目", "数值", "单位"],
        ["999900", "2024", "城乡居民基本医疗保险", "基金收入合计", "3900", "万元"],
        ["999900", "2024", "城乡居民基本医疗保险", "基金支出合计", "3600", "万元"],
        ["999900", "2024", "城乡居民基本医疗保险", "累计结余", "1800", "万元"],
        ["999900", "2023", "城乡居民基本医疗保险", "基金收入合计", "3500", "万元"],
        ["999900", "2023", "城乡居民基本医疗保险", "基金支出合计", "3000", "万元"],
        ["999901", "2024", "城乡居民基本医疗保险", "基金收入合计", "1100", "万元"],
        ["999901", "2024", "城乡居民基本医疗保险", "基金支出合计", "1200", "万元"],
        ["999901", "2024", "城乡居民基本医疗保险", "累计结余", "200", "万元"],  # 2 months: 严重不足
        ["999902", "2024", "城乡居民基本医疗保险", "基金收入合计", "1400", "万元"],
        ["999902", "2024", "城乡居民基本医疗保险", "基金支出合计", "1200", "万元"],
        ["999902", "2024", "城乡居民基本医疗保险", "累计结余", "1000", "万元"],  # 10 months: 充足
        ["999903", "2024", "城乡居民基本医疗保险", "基金收入合计", "1400", "万元"],
        ["999903", "2024", "城乡居民基本医疗保险", "基金支出合计", "1200", "万元"],
        ["999903", "2024", "城乡居民基本医疗保险", "累计结余", "600", "万元"],  # 6 months: 合理
    ],
    "budgets": [
        ["地区代码", "预算年度", "险种", "项目", "预算数", "单位"],
        ["999901", "2024", "城乡居民基本医疗保险", "基金支出合计", "1000", "万元"],  # 120% vs 100%: +20
        ["999902", "2024", "城乡居民基本医疗保险", "基金支出合计", "1250", "万元"],  # 96%: −4
    ],
    "utilisation": [
        ["地区代码", "期间", "险种", "类别", "分组", "人次", "总费用", "金额单位"],
        ["999901", "2024", "城乡居民基本医疗保险", "住院合计", "全部", "100", "50", "万元"],  # 5000 元/人次
        ["999902", "2024", "城乡居民基本医疗保险", "住院合计", "全部", "100", "80", "万元"],  # 8000 元/人次
    ],
}


@pytest.fixture(scope="module")
def zhuzhou(tmp_path_factory):
    return Explorer(ROOT / "params/zhuzhou/2021.yaml", out_root=tmp_path_factory.mktemp("out"))


@pytest.fixture
def ezhou(tmp_path):
    return Explorer(ROOT / "params/ezhou/2024M1-3.yaml", out_root=tmp_path, link_base=tmp_path, formats=("html",))


def test_controls_list_the_datasets_regions_periods_and_funds(zhuzhou):
    e = zhuzhou
    assert any(v.endswith("params/ezhou/2024M1-3.yaml") for _, v in e.source.options)
    assert e.source.value.endswith("params/zhuzhou/2021.yaml")
    regions = dict((v, k) for k, v in e.region.options)
    assert e.region.value == "430200" and "茶陵县" in regions["430224"] and len(regions) == 12
    assert e.period.value == "2021" and "2021M1-11" in [v for _, v in e.period.options]
    assert {"", "employee", "employee_pool", "resident"} <= {v for _, v in e.fund.options}
    assert [f.label for f in FAMILIES][:6] == ["收支", "结余与可支付月数", "预算执行", "参保", "门诊", "住院"]


def test_views_follow_family_mode_and_region(zhuzhou):
    e = zhuzhou
    e.region.value, e.mode.value, e.fund.value, e.family.value = "430200", "periods", "", "flows"
    assert "30.89" in text(e.table_html) and "59.91" in text(e.table_html)  # 职工 income, 各项 total (亿元)
    assert e.chart is not None and e.chart_png.startswith(b"\x89PNG") and e.chart_image.value == e.chart_png
    flows_table = e.table_html

    e.family.value = "balance"
    assert e.table_html != flows_table and "可支付月数" in e.table_html and "23.89" in text(e.table_html)
    assert any("职工医保统筹基金累计结余23.89亿元，可支付18.5个月" in s for s in e.sentences)
    assert e.chart.kind == "months" and e.chart.cuts == (3, 6, 9, 15)

    e.mode.value = "regions"
    table = text(e.table_html)
    assert "茶陵县" in table and "攸县" in table and "株洲市" in table  # sub-regions, then the city's total row
    frame = e.table_frame
    assert frame["地区"].iloc[-1] == "株洲市" and "茶陵县" in set(frame["地区"])
    chaling = frame[(frame["地区"] == "茶陵县") & (frame["险种"] == "居民医保")]
    assert round(chaling["实际结余"].iloc[-1] / 1e4, 2) == 3881.49  # 居民, 万元
    city_sentences = e.sentences

    e.region.value = "430224"  # 茶陵县: no sub-regions of its own, so its siblings are listed
    assert "没有下级地区" in e.table_html and "茶陵县" in text(e.table_html)
    assert e.sentences != city_sentences and any("0.52亿元" in s for s in e.sentences)
    e.region.value = "430200"


def test_ranking_lists_subregions_with_months_band_and_says_what_is_missing(zhuzhou):
    e = zhuzhou
    e.region.value, e.period.value, e.fund.value, e.rank_by.value = "430200", "2021", "", "months"
    r = e.ranking
    assert list(r.columns[:6]) == ["排名", "地区", "险种", "累计结余", "实际结余", "可支付月数"]
    assert {"茶陵县", "攸县", "醴陵市", "市本级"} <= set(r["地区"])
    chaling = r[(r["地区"] == "茶陵县") & (r["险种"] == "居民医保")].iloc[0]
    assert round(chaling["累计结余"] / 1e4, 2) == 33520.85
    # the sample gives the counties' balances but not their expense: months cannot be computed, and the view says so
    assert r["可支付月数"].isna().all() and "缺少" in e.ranking_html
    e.fund.value = "resident"
    assert set(e.ranking["险种"]) == {"居民医保"}
    e.fund.value = ""


def test_ezhou_sentences_findings_and_fund_filter(ezhou):
    e = ezhou
    assert e.family.value == "flows" and e.mode.value == "periods"
    assert any("比降13.90%" in s for s in e.sentences)
    assert "24,959.60" in e.table_html and "-13.90%" in e.table_html
    all_findings = e.findings
    assert all_findings and all(f.region == "420700" for f in all_findings)

    e.fund.value = "resident"
    assert e.sentences and all("居民" in s for s in e.sentences)
    assert not any("13.90%" in s for s in e.sentences)
    assert e.findings != all_findings and all(f.fund == "resident" for f in e.findings)

    e.fund.value, e.family.value = "", "enrolment"
    assert e.sentences and all("参保" in s or "在职" in s or "退休" in s for s in e.sentences)

    e.family.value, e.mode.value = "flows", "regions"
    e.period.value = "2023M1-3"
    assert all(f.period == "2023M1-3" for f in e.findings)
    assert not any("比降13.90%" in s for s in e.sentences)


def test_absent_data_is_stated_not_raised(ezhou):
    e = ezhou
    e.family.value = "budget"  # 鄂州 has no budgets
    assert "没有可显示的数据" in e.table_html and e.table is None and e.chart is None
    assert "数据不足" in e.sentences_html or e.sentences == []
    assert "没有下级地区" in e.ranking_html and e.ranking.empty
    e.period.value = "2024"  # a period with policy figures only
    e.family.value = "balance"
    e.mode.value = "regions"
    for view in views(e):
        assert "无法显示" not in view and "无法生成" not in view


@pytest.mark.parametrize("params", ["zhuzhou/2021", "zhuzhou/2021H1", "jiashi/2020", "huangshi/2020"])
def test_every_family_and_mode_renders_for_the_samples(params, tmp_path):
    e = Explorer(ROOT / "params" / f"{params}.yaml", out_root=tmp_path)
    for mode in ("periods", "regions"):
        e.mode.value = mode
        for fam in FAMILIES:
            e.family.value = fam.code
            for view in views(e):
                assert "无法显示" not in view and "无法生成" not in view, (mode, fam.code)


def test_own_dataset_ranks_subregions_by_each_criterion(tmp_path, ezhou):
    e = ezhou
    folder = write_dataset(tmp_path / "city", CITY)
    e.path.value = str(folder)
    e.load_button.click()
    assert e.messages == "" and e.source.value == explore.CUSTOM
    assert [v for _, v in e.region.options] == ["999900", "999901", "999902", "999903"]
    assert e.region.value == "999900" and e.period.value == "2024"

    r = e.ranking
    assert list(r["地区"]) == ["甲县", "丙区", "乙县"] and list(r["排名"]) == [1, 2, 3]
    assert list(r["可支付月数"]) == [2.0, 6.0, 10.0] and list(r["区间"]) == ["严重不足", "合理", "充足"]
    assert r["提示"].iloc[0] == "⚠ 风险" and r["提示"].iloc[1] == ""
    e.rank_by.value = "deviation"
    r = e.ranking
    assert list(r["地区"]) == ["甲县", "乙县", "丙区"] and r["排名"].isna().iloc[-1]
    assert [round(x * 100, 2) for x in r["预算执行偏离（百分点）"].iloc[:2]] == [20.0, -4.0]
    e.rank_by.value = "per_visit"
    r = e.ranking
    assert list(r["地区"][:2]) == ["乙县", "甲县"] and list(r["次均住院费用（元）"][:2]) == [8000.0, 5000.0]

    e.mode.value, e.family.value = "regions", "balance"
    assert e.chart.kind == "months" and [d["x"] for d in e.chart.data] == ["甲县", "乙县", "丙区", "测试市"]
    e.mode.value, e.family.value = "periods", "flows"
    assert "+11.43%" in e.table_html and "+20.00%" in e.table_html  # 3900/3500, 3600/3000


def test_bad_workbook_lists_errors_and_keeps_the_data(tmp_path, ezhou):
    e = ezhou
    before = e.table_html
    wb = Workbook()
    ws = wb.active
    ws.title = "regions"
    ws.append(["地区代码", "地区名称", "层级", "上级地区代码"])
    ws.append(["420700", "鄂州市", "市", None])
    flows = wb.create_sheet("fund_flows")
    flows.append(["地区代码", "期间", "险种", "项目", "数值", "单位"])
    flows.append(["420700", "2024M1-3", "职工基本医疗保险", "基金收入合计", "很多", "万元"])
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)

    e.path.value = str(bad)
    e.load_button.click()  # no exception
    msg = text(e.messages)
    assert "未通过校验" in msg and "输入错误" in msg and "bad.xlsx" in msg and "很多" in msg
    assert "<table" in e.messages and "fund_flows" in msg
    assert e.load_issues and e.load_issues[0].row == 2
    assert e.region.value == "420700" and e.table_html == before  # the earlier data stays shown

    e.path.value = str(tmp_path / "missing-folder")
    e.load_button.click()
    assert "数据路径不存在" in text(e.messages)


def test_generate_report_links_the_outputs(tmp_path, ezhou):
    e = ezhou
    e.period.value = "2023M1-3"  # not the params file's own selection: a params file is written for it
    params = e.selection_params()
    assert params == tmp_path / "_explore" / "params" / "420700-2023M1-3.yaml"
    loaded = load_params(params).params
    assert (loaded.region, loaded.period, loaded.commentary) == ("420700", "2023M1-3", {})
    assert loaded.data == str(ROOT / "data/samples/ezhou/2024M1-3") and loaded.outputs == ("html",)

    e.render_button.click()
    result = e.render_result
    assert result.status == "ok", result.error
    html = e.links["html"]
    assert html == tmp_path / "_explore" / "420700-2023M1-3" / "report.html" and html.stat().st_size > 1000
    assert "pdf" not in e.links and not html.with_suffix(".pdf").exists()
    assert 'href="_explore/420700-2023M1-3/report.html"' in e.links_html
    assert "2023年1-3月" in html.read_text(encoding="utf-8")

    e.period.value = "2024M1-3"
    assert e.selection_params() == ROOT / "params/ezhou/2024M1-3.yaml"  # its own selection: the file itself


def test_generate_report_shows_the_error(monkeypatch, ezhou):
    def broken(*_a, **_k):
        raise RuntimeError("渲染失败示例")

    monkeypatch.setattr(explore, "render_one", broken)
    ezhou.render_button.click()
    assert ezhou.render_result.status == "failed" and ezhou.links == {}
    assert "渲染失败示例" in ezhou.links_html and "未能生成" in ezhou.links_html


def test_explore_notebook_runs_headless():
    from nbclient import NotebookClient

    path = ROOT / "notebooks" / "explore.ipynb"
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.kernelspec.name == "python3"
    assert [c.id for c in nb.cells] == ["explore-00", "explore-01"]
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.source for c in code] == ["from fundreport.explore import Explorer\n\nExplorer().show()"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    NotebookClient(nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and "Traceback" in o.text]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)


def test_months_band_uses_the_params_thresholds(tmp_path):
    e = Explorer(ROOT / "params/zhuzhou/2021.yaml", out_root=tmp_path)
    e.family.value = "balance"
    pool = next(r for r in view_rows(e.table) if r["item"] == "职工统筹基金")
    assert math.isclose(round(pool["months"], 1), 18.5) and pool["band"] == "过多结余"  # > 15


def test_params_files_outside_the_samples_and_bad_ones(tmp_path, ezhou):
    data = ROOT / "data/samples/ezhou/2024M1-3"
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        f'region: "420700"\nperiod: 2023M1-3\ndata: {data}\ndata_roots: [{data.parent}]\n', encoding="utf-8"
    )
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(
        f'region: "999999"\nperiod: 2024M1-3\ndata: {data}\ndata_roots: [{data.parent}]\n', encoding="utf-8"
    )
    e = ezhou
    assert e.load_params_file(mine) and e.source.value == str(mine) and e.period.value == "2023M1-3"
    assert not e.load_params_file(wrong)
    assert "地区代码不在数据集的地区表中" in text(e.messages) and "999999" in text(e.messages)
    assert e.source.value == str(mine) and e.period.value == "2023M1-3"  # still the file that loaded
