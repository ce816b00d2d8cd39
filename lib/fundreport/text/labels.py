"""Every Chinese label of the toolkit in one place: fund names, scopes, section titles, band names,
severities, statuses and judgements.

Labels only: no figure, no formatting. Wording built from figures lives in
:mod:`fundreport.text.narrative`; names of codes from the data contract (items,
services, categories) live with their codes in :mod:`fundreport.data.vocab`.
"""

from __future__ import annotations

# How a fund is named in running text.
FUND_SUBJECT = {
    "employee": "职工基本医保基金",
    "employee_pool": "职工医保统筹基金",
    "employee_account": "职工医保个人账户",
    "resident": "城乡居民基本医保基金",
    "maternity": "生育保险基金",
    "employee_major": "职工大额医疗补助资金",
    "resident_critical": "城乡居民大病保险资金",
    "civil_servant": "公务员医疗补助资金",
    "retired_cadre": "离休干部医疗统筹资金",
    "medical_assistance": "医疗救助基金",
    "all_funds": "各项医保基金",
}
# How a fund is named in a table row or chart label.
FUND_SHORT = {
    "employee": "职工医保",
    "employee_pool": "职工统筹基金",
    "employee_account": "职工个人账户",
    "resident": "居民医保",
    "maternity": "生育保险",
    "employee_major": "职工大额补助",
    "resident_critical": "居民大病保险",
    "civil_servant": "公务员医疗补助",
    "retired_cadre": "离休干部医疗统筹",
    "medical_assistance": "医疗救助",
    "all_funds": "合计",
}

# How the report names its whole area, by region level.
SCOPE = {
    "national": "全国",
    "province": "全省",
    "province_proper": "省本级",
    "city": "全市",
    "city_proper": "市本级",
    "district": "全区",
    "county": "全县",
}

# Section code → title, in the house order of a report (the params file may choose and reorder none of it).
SECTIONS: dict[str, str] = {
    "overview": "主要指标与风险提示",
    "enrolment": "参保情况",
    "policy": "缴费政策",
    "income_expense": "基金收支情况",
    "budget": "预算执行情况",
    "budget_plan": "下年度预算安排",
    "balance": "结余及支撑能力",
    "balance_sheet": "暂收暂付款情况",
    "subregions": "分地区情况",
    "outpatient": "门诊待遇",
    "inpatient": "住院待遇",
    "critical_illness": "大病保险",
    "maternity": "生育保险",
    "assistance": "医疗救助",
    "other_funds": "其他医疗保障基金",
    "history": "历年情况",
    "performance": "绩效自评",
    "problems": "存在的问题",
    "plans": "下一步工作",
    "appendix": "附录：数据核对与来源",
}

# Months-of-support bands (人社部发〔2009〕67号): code, label, whether the band is a risk.
BAND_LABELS = (
    ("severe_shortage", "严重不足", True),
    ("shortage", "不足", True),
    ("reasonable", "合理", False),
    ("ample", "充足", False),
    ("excessive", "过多结余", True),
)

SEVERITY = {"error": "错误", "warning": "提示", "info": "说明"}
"""Audit finding severity → label."""

RENDER_STATUS = {"ok": "已生成", "invalid": "输入有误", "failed": "生成失败"}
"""Render result status → label (index page)."""

STALE_NOTE = "上次生成的报告（输入已变为无效，不是当前结果）已移至 stale 文件夹"
"""Index note beside a report whose earlier outputs were moved aside."""

JUDGED = {True: "达成", False: "未达成", None: "未判定"}
"""Performance target judgement → label."""

BUDGET_FLAG = {True: "超出控制范围", False: "正常", None: "—"}
"""Budget line within the ± band of 时间进度? → label."""

NO_DATA = "本期数据未提供该部分内容。"
"""What a section the params ask for says when the data has nothing for it."""

RESIDUAL = "未列明项目（合计减分项）"
"""A statement row holding a total minus its listed parts."""

DISTINCT_PERSONS = "人数为去重人数，同一人在几组都有就医时各计一次，各组人数不宜相加"
PARTIAL_TOTAL = "{total}含未单列的部分（如只用个人账户支付的购药），各类别之和可小于{total}"
"""Table notes where a reader might add the rows (data contract: ``ColumnSpec.adds``, ``Term.partition``)."""

RESIDUAL_NOTE = "“未列明项目”为合计减去所列分项的差额；为负数时所列分项之和大于合计，见附录数据核对"

FLAG_KINDS = {
    "current_deficit": "当期收不抵支",
    "negative_balance": "累计结余为负",
    "months_band": "可支付月数",
    "budget_deviation": "预算执行偏离",
    "deficit_areas": "统筹区收不抵支",
    "not_assessed": "无法评估",
    "missing_input": "数据缺失",
    "self_check": "报告自检",
    "detail_partial": "结算明细缺月或未计入",
}
"""Risk flag code → what it is about (the overview sentence counts flags by these)."""

NO_FLOWS = (
    "本期数据没有基金收支（基金收支表缺失、为空或没有本地区本期的数据），收支平衡、累计结余与可支付月数均无法评估"
)
"""What the overview says when the fund flows every risk judgement rests on are absent."""

AUDIT_RULES = {
    "sum": "分项之和应等于合计（允许书写精度内的舍入差）",
    "balance": "本期结余 = 基金收入 − 基金支出",
    "inter_level": "基金收入、支出合计不含上下级往来（上级补助收入、上解上级支出等）",
    "copy": "本期与比较期的报表数值不应完全相同",
    "stated": "按原始数据重新计算，与报告所述数值比较（允许书写精度内的差异）",
    "sign": "收入、支出项目不应为负数（计算值列为 0 作参照）",
    "ledger": "医疗待遇表的基金支付应与基金收支表的同项待遇支出一致（允许相差 1%，参照值为收支表数）",
}
"""Audit check → the rule it applies, in words (shown beside each finding)."""

FINDING_HEADERS = (
    "级别",
    "地区",
    "期间",
    "险种",
    "项目",
    "报告值",
    "计算值",
    "差异（报告值−计算值）",
    "核对规则与说明",
    "出处",
)
"""Columns of the audit findings table (report appendix, explorer and ``fundreport check``)."""

VISIT_VERBS = {
    "outpatient": "就诊",
    "inpatient": "",
    "maternity": "享受待遇",
    "assistance": "救助",
    "other": "享受待遇",
}
"""The verb before a count of 人次, by service kind: 就诊 only for visits to a doctor; the other services
are named with what they are (住院1000人次, 生育津贴待遇121人次, 门诊医疗救助17850人次)."""
VISIT_VERB_CODES = {"outpatient_account": "刷卡", "outpatient_pooled_account": "刷卡"}
"""Service categories whose 人次 are card payments, not visits."""
