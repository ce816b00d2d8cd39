"""The tables of a dataset: names, columns, types, keys and an example row.

One spec drives the loader (headers, parsing, duplicate keys), the Excel
template (headers, drop-downs, example row, instructions) and docs/data.md.
A table is a sheet of a workbook (named by its Chinese ``label``) or a CSV
file (named ``<code>.csv``); either name is accepted in either place, and
each column may be headed by its Chinese label or its English code.

ColumnSpec kinds:

- ``vocab:<name>``: a term of :mod:`fundreport.data.vocab` (code, label or alias);
- ``region``: a region code declared in the 地区 table;
- ``period``: a period code (see :mod:`fundreport.data.periods`);
- ``number``: a decimal number ("1,234.5", full-width digits and a
  trailing % are accepted), scaled by the row's unit;
- ``count``: a non-negative number of persons, visits or areas;
- ``text``: free text.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ColumnSpec:
    code: str
    label: str
    kind: str
    required: bool = True
    help: str = ""
    default: str | None = None
    adds: bool | None = None  # a measure: True when it adds up over categories, levels and regions

    @property
    def vocab(self) -> str | None:
        return self.kind.split(":", 1)[1] if self.kind.startswith("vocab:") else None


@dataclass(frozen=True)
class TableSpec:
    code: str
    label: str
    help: str
    columns: tuple[ColumnSpec, ...]
    key: tuple[str, ...]
    example: tuple[str, ...]
    required: bool = False
    # name of the column holding the unit that applies to ``unit_applies``
    unit_column: str | None = None
    unit_applies: tuple[str, ...] = ()

    def column(self, code: str) -> ColumnSpec:
        for c in self.columns:
            if c.code == code:
                return c
        raise KeyError(code)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.columns)


C = ColumnSpec
REGION = C("region", "地区代码", "region", help="地区表中的地区代码")
PERIOD = C("period", "期间", "period", help="如 2021、2021H1、2024Q1、2024M1-3")
FUND = C("fund", "险种", "vocab:fund")
NOTE = C("note", "备注", "text", required=False)
ORIGIN = C(
    "origin",
    "来源",
    "vocab:origin",
    required=False,
    help="留空为报表所列数；由公布的增速等倒推的数填“推算”，并在备注中写明方法（如 按公布增速推算）",
)

TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "meta",
        "数据说明",
        "数据集的说明信息，每行一项。",
        (
            C(
                "key",
                "项目",
                "text",
                help="title 标题、data_date 数据截止日期（某一期间的写作 data_date:2023）、source 数据来源、compiled_by 编制单位",
            ),
            C("value", "内容", "text"),
        ),
        key=("key",),
        example=("data_date", "2024-03-31"),
    ),
    TableSpec(
        "regions",
        "地区",
        "地区及其上下级关系。市本级、区县的上级为所属的市。代码建议用行政区划代码，自定义代码须稳定不变。",
        (
            C("code", "地区代码", "text"),
            C("name", "地区名称", "text"),
            C("level", "层级", "vocab:level"),
            C("parent", "上级地区代码", "text", required=False, help="最上级地区留空"),
            C("order", "排序", "count", required=False, help="报表中的显示顺序"),
            NOTE,
        ),
        key=("code",),
        example=("420700", "鄂州市", "市", "", "1", ""),
        required=True,
    ),
    TableSpec(
        "fund_flows",
        "基金收支",
        "基金收入、支出、结余、暂收暂付及调整项目，一行一个数。收入、支出合计不含上下级往来。"
        "同一项目另有快报、公报等其他版本的数值时，在“数据版本”列注明，报告以不注版本的数值为准并列出对照。",
        (
            REGION,
            PERIOD,
            FUND,
            C("item", "项目", "vocab:item"),
            C("value", "数值", "number"),
            C("unit", "单位", "vocab:unit", help="元、万元或亿元"),
            C(
                "edition",
                "数据版本",
                "vocab:edition",
                required=False,
                help="留空为报告采用的数值；快报、公报、决算等另一版本的同一项目填写版本名称",
            ),
            ORIGIN,
            NOTE,
        ),
        key=("region", "period", "fund", "item", "edition"),
        example=("420700", "2024M1-3", "职工基本医疗保险", "基金收入合计", "24959.60", "万元", ""),
        unit_column="unit",
        unit_applies=("value",),
    ),
    TableSpec(
        "budgets",
        "预算",
        "年度预算数，期间填年度（如 2024）。基金收入合计、基金支出合计的预算须直接填列：所列分项之和不当作合计预算（只填待遇支出预算时，不计算基金支出合计的执行率）。",
        (
            REGION,
            C("period", "预算年度", "period", help="如 2024"),
            FUND,
            C("item", "项目", "vocab:item"),
            C("value", "预算数", "number"),
            C("unit", "单位", "vocab:unit"),
            NOTE,
        ),
        key=("region", "period", "fund", "item"),
        example=("420700", "2024", "职工基本医疗保险", "基金收入合计", "100000", "万元", ""),
        unit_column="unit",
        unit_applies=("value",),
    ),
    TableSpec(
        "enrolment",
        "参保",
        "参保人数及其结构（期末时点数），人口基数和缴费人数。",
        (
            REGION,
            PERIOD,
            FUND,
            C("category", "类别", "vocab:category"),
            C("group", "分组", "vocab:group", required=False, default="all", help="默认全部"),
            C("value", "人数", "count"),
            C("unit", "单位", "vocab:unit", help="人或万人"),
            ORIGIN,
            NOTE,
        ),
        key=("region", "period", "fund", "category", "group"),
        example=("420700", "2024M1-3", "职工基本医疗保险", "参保人数", "全部", "202521", "人", ""),
        unit_column="unit",
        unit_applies=("value",),
    ),
    TableSpec(
        "policy",
        "缴费政策",
        "缴费基数、费率和筹资标准。",
        (
            REGION,
            PERIOD,
            FUND,
            C("item", "项目", "vocab:policy"),
            C("value", "数值", "number"),
            C("unit", "单位", "vocab:unit", help="元/人/月、元/人/年 或 %"),
            NOTE,
        ),
        key=("region", "period", "fund", "item"),
        example=("420700", "2024", "城乡居民基本医疗保险", "个人缴费标准", "380", "元/人/年", ""),
        unit_column="unit",
        unit_applies=("value",),
    ),
    TableSpec(
        "utilisation",
        "医疗待遇",
        "门诊、住院、大病、生育和医疗救助的人次、人数、费用和基金支付；不知道的列留空。",
        (
            REGION,
            PERIOD,
            FUND,
            C("service", "类别", "vocab:service"),
            C("group", "分组", "vocab:group", required=False, default="all"),
            C("visits", "人次", "count", required=False, adds=True),
            C("persons", "人数", "count", required=False, adds=False),  # distinct persons: a person in two counts once
            C("total_cost", "总费用", "number", required=False, adds=True),
            C("inscope_cost", "政策范围内费用", "number", required=False, adds=True),
            C("fund_paid", "基金支付", "number", required=False, adds=True),
            C(
                "ownpay_cost",
                "全自费",
                "number",
                required=False,
                adds=True,
                help="目录外全部自费的费用（结算明细汇总）",
            ),
            C("overlimit_cost", "超限价自付", "number", required=False, adds=True, help="超过支付限价、个人自付的费用"),
            C("preself_cost", "先行自付", "number", required=False, adds=True, help="乙类等先行自付的费用"),
            C(
                "cash_pay",
                "个人现金支付",
                "number",
                required=False,
                adds=True,
                help="个人以现金支付的金额（结算明细汇总）",
            ),
            C(
                "bed_days",
                "住院天数",
                "count",
                required=False,
                adds=True,
                help="住院床日合计（出院日期减入院日期，当日出院计1天）",
            ),
            C(
                "money_unit",
                "金额单位",
                "vocab:unit",
                required=False,
                help="元、万元或亿元，适用于本行的金额列；有金额时必填",
            ),
            NOTE,
        ),
        key=("region", "period", "fund", "service", "group"),
        example=(
            "420700",
            "2024M1-3",
            "职工基本医疗保险",
            "市内三级",
            "全部",
            "6811",
            "",
            "7365.06",
            "",
            "5176.72",
            "",
            "",
            "",
            "",
            "万元",
            "",
        ),
        unit_column="money_unit",
        unit_applies=(
            "total_cost",
            "inscope_cost",
            "fund_paid",
            "ownpay_cost",
            "overlimit_cost",
            "preself_cost",
            "cash_pay",
        ),
    ),
    TableSpec(
        "institutions",
        "定点机构待遇",
        "各定点医药机构的住院、门诊人次、人数、费用和基金支付（由结算明细汇总）；分机构表中人数少的机构不显示数值。",
        (
            REGION,
            PERIOD,
            FUND,
            C("service", "类别", "vocab:service", help="住院合计或门诊合计"),
            C("institution", "机构编号", "text", help="定点医药机构编号"),
            C("institution_name", "机构名称", "text", required=False),
            C("level", "医院等级", "text", required=False, help="一级、二级、三级"),
            C("visits", "人次", "count", required=False),
            C("persons", "人数", "count", required=False, adds=False),  # distinct persons: a person in two counts once
            C("total_cost", "总费用", "number", required=False),
            C("fund_paid", "基金支付", "number", required=False, help="住院：统筹基金；门诊：统筹基金与个人账户"),
            C("money_unit", "金额单位", "vocab:unit", required=False, help="元、万元或亿元；有金额时必填"),
            NOTE,
        ),
        key=("region", "period", "fund", "service", "institution"),
        example=(
            "420700",
            "2024M1-3",
            "职工基本医疗保险",
            "住院合计",
            "H42070000001",
            "鄂州市中心医院",
            "三级",
            "1200",
            "1100",
            "1500.00",
            "1000.00",
            "万元",
            "",
        ),  # fmt: skip
        unit_column="money_unit",
        unit_applies=("total_cost", "fund_paid"),
    ),
    TableSpec(
        "deficit_summary",
        "收不抵支",
        "统筹区当期收不抵支汇总（仅有汇总数、没有分地区收支时填写）。",
        (
            REGION,
            PERIOD,
            FUND,
            C("areas_total", "统筹区总数", "count"),
            C("areas_deficit", "收不抵支个数", "count"),
            C("deficit_amount", "超支金额", "number"),
            C("surplus_amount", "结余金额", "number"),
            C("money_unit", "金额单位", "vocab:unit"),
            NOTE,
        ),
        key=("region", "period", "fund"),
        example=("430200", "2021", "职工统筹基金", "6", "0", "0", "26122", "万元", ""),
        unit_column="money_unit",
        unit_applies=("deficit_amount", "surplus_amount"),
    ),
    TableSpec(
        "targets",
        "绩效指标",
        "绩效目标：三级指标、预期指标值和据以判断的计算指标；实际值由工具计算，报告所填完成值仅供核对。",
        (
            REGION,
            PERIOD,
            FUND,
            C("level1", "一级指标", "text"),
            C("level2", "二级指标", "text"),
            C("name", "三级指标", "text"),
            C("indicator", "计算指标", "vocab:indicator", help="据以判断的指标；无法计算的填 定性指标"),
            C("subject", "指标对象", "text", required=False, help="指标作用的项目、类别或政策代码，如 income_total"),
            C("target", "预期指标值", "text", help="如 ≥413449、105%≥x≥95%、=280"),
            C("unit", "单位", "vocab:unit", required=False),
            C("stated_actual", "报告完成值", "text", required=False),
            NOTE,
        ),
        key=("region", "period", "fund", "name"),
        example=(
            "653129",
            "2020",
            "城乡居民基本医疗保险",
            "产出指标",
            "数量指标",
            "参保人数",
            "参保人数",
            "total",
            "≥413449",
            "人",
            "413449",
            "",
        ),
    ),
    TableSpec(
        "stated",
        "报告数值",
        "原报告中写明的派生数（增减率、占比、执行率、次均、可支付月数等），仅用于核对，不参与计算。",
        (
            REGION,
            PERIOD,
            FUND,
            C("indicator", "指标", "vocab:indicator"),
            C(
                "subject",
                "指标对象",
                "text",
                help="项目、类别或待遇代码，如 income_total、retired、inpatient_level3；待遇类别可加计量："
                ".visits、.fund_paid 等，或次均与比例 .cost_per_visit、.paid_per_visit、.inscope_ratio、.actual_ratio",
            ),
            C("group", "分组", "vocab:group", required=False, default="all"),
            C("value", "数值", "number"),
            C("unit", "单位", "vocab:unit"),
            C("location", "出处", "text", required=False, help="原报告中的章节或表格"),
            NOTE,
        ),
        key=("region", "period", "fund", "indicator", "subject", "group", "location"),
        example=(
            "420700",
            "2024M1-3",
            "职工基本医疗保险",
            "同比增减率",
            "income_total",
            "全部",
            "-13.90",
            "%",
            "二、基金收支情况",
            "",
        ),
        unit_column="unit",
        unit_applies=("value",),
    ),
)

BY_CODE: dict[str, TableSpec] = {t.code: t for t in TABLES}
BY_LABEL: dict[str, TableSpec] = {t.label: t for t in TABLES}


def find_table(name: str) -> TableSpec | None:
    """The table a sheet or file stem names (Chinese label or English code)."""
    name = name.strip()
    return BY_CODE.get(name.lower()) or BY_LABEL.get(name)
