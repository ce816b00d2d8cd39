"""The vocabulary of the data contract: funds, line items, categories, units.

Every code column of an input table takes one of these terms. A term has a
stable English ``code`` (used in CSV files, params and the library) and a
Chinese ``label`` (shown in the Excel template and in reports); the loader
accepts either, plus the listed ``aliases`` that analysts commonly type.

``parent`` links a part to the total it adds up to; the audit checks the sums.
An unknown value is an error that suggests the closest valid term.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Term:
    """One entry of a vocabulary.

    kind: a free classification inside the vocabulary (for items: income,
    expense, balance, memo, adjustment; for units: money, persons, ...).
    inter_level: True for 上下级往来 lines, excluded from totals and rates.
    factor: for units, the multiplier to the base unit of the dimension.
    partition: True when the children of this term make it up (住院合计 = 市内各级 + 市外就医); False when
    it may hold what no child shows (门诊合计 holds purchases paid from the personal account alone, and
    categories a source does not list), so its children may add up to less, never to more.
    """

    code: str
    label: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    kind: str | None = None
    inter_level: bool = False
    factor: float = 1.0
    partition: bool = False


@dataclass(frozen=True)
class Vocabulary:
    """An ordered set of terms with lookup by code, label or alias."""

    name: str
    label: str
    terms: tuple[Term, ...]
    _index: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, str] = {}
        for term in self.terms:
            for key in (term.code, term.label, *term.aliases):
                norm = _norm(key)
                if norm in index and index[norm] != term.code:
                    raise ValueError(f"{self.name}: {key!r} names two terms")
                index[norm] = term.code
        object.__setattr__(self, "_index", index)

    def __contains__(self, code: object) -> bool:
        return any(t.code == code for t in self.terms)

    def __iter__(self):
        return iter(self.terms)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.terms)

    def term(self, code: str) -> Term:
        for t in self.terms:
            if t.code == code:
                return t
        raise KeyError(f"{self.name}: unknown code {code!r}")

    def get_label(self, code: str) -> str:
        return self.term(code).label

    def children(self, code: str) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.parent == code)

    def resolve(self, value: str) -> str | None:
        """The code that ``value`` names (code, label or alias), or None."""
        return self._index.get(_norm(value))

    def suggest(self, value: str) -> str | None:
        """The closest valid term to an unknown value, as 'code（label）'."""
        keys = list(self._index)
        match = difflib.get_close_matches(_norm(value), keys, n=1, cutoff=0.4)
        if not match:
            # Chinese labels are short; a shared character is a fair hint.
            shared = [k for k in keys if set(k) & set(_norm(value)) and not k.isascii()]
            match = sorted(shared, key=lambda k: -len(set(k) & set(_norm(value))))[:1]
        if not match:
            return None
        t = self.term(self._index[match[0]])
        return f"{t.code}（{t.label}）"


def _norm(text: str) -> str:
    """Lookup form: NFKC (full-width brackets, digits and letters become ASCII), no spaces, lower case."""
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).lower()


def _v(name: str, label: str, *terms: Term) -> Vocabulary:
    return Vocabulary(name, label, tuple(terms))


T = Term

FUNDS = _v(
    "fund",
    "险种",
    T("employee", "职工基本医疗保险", ("职工医保", "职工基本医保", "城镇职工基本医疗保险", "职工医保（含生育）")),
    T("employee_pool", "职工统筹基金", ("统筹基金", "职工医保统筹基金", "统筹"), parent="employee"),
    T("employee_account", "职工个人账户", ("个人账户", "个人账户基金", "个账"), parent="employee"),
    T("resident", "城乡居民基本医疗保险", ("城乡居民医保", "居民医保", "城乡居民")),
    T("maternity", "生育保险", ("生育保险基金",)),
    T("employee_major", "职工大额医疗费用补助", ("大额医疗", "补充医疗保险", "职工补充医疗保险", "大病医疗")),
    T("resident_critical", "城乡居民大病保险", ("大病保险", "居民大病保险")),
    T("civil_servant", "公务员医疗补助", ("公务员补助", "公务员补助金", "公务员")),
    T("retired_cadre", "离休干部医疗统筹", ("离休", "离休人员医疗费用", "离休干部")),
    T("medical_assistance", "医疗救助", ("医疗救助基金",)),
    T("all_funds", "全部险种", ("合计", "各项基金")),
)

# Statement line items. Income and expense totals exclude 上下级往来;
# inter_level lines are carried separately (BRIEF: 收入小计不含上下级往来).
ITEMS = _v(
    "item",
    "项目",
    T("income_total", "基金收入合计", ("基金收入", "总收入", "本期收入", "收入小计", "基金收入小计"), kind="income"),
    T(
        "income_premium",
        "保险费收入",
        ("征缴收入", "基本医疗保险费收入", "统筹收入", "缴费收入"),
        parent="income_total",
        kind="income",
    ),
    T("premium_employer", "单位缴费", ("单位缴费收入",), parent="income_premium", kind="income"),
    T("premium_individual", "个人缴费", ("个人缴费收入",), parent="income_premium", kind="income"),
    T("income_subsidy", "财政补贴收入", ("财政补助收入", "财政补助", "政府补助"), parent="income_total", kind="income"),
    T("income_interest", "利息收入", ("利息",), parent="income_total", kind="income"),
    T("income_transfer", "转移收入", (), parent="income_total", kind="income"),
    T("income_other", "其他收入", (), parent="income_total", kind="income"),
    T("income_upper_subsidy", "上级补助收入", (), kind="income", inter_level=True),
    T("income_lower_remit", "下级上解收入", (), kind="income", inter_level=True),
    T(
        "income_total_gross",
        "基金收入合计（含上下级往来）",
        ("含上下级往来的基金收入合计", "基金收入合计（含上级补助）", "收入合计（含上级补助）"),
        kind="income",
    ),
    T("expense_total", "基金支出合计", ("基金支出", "总支出", "本期支出", "支出小计", "基金支出小计"), kind="expense"),
    T("expense_benefit", "待遇支出", ("基本医疗保险待遇支出", "保险待遇支出"), parent="expense_total", kind="expense"),
    T("benefit_inpatient", "住院费用支出", ("住院支出",), parent="expense_benefit", kind="expense"),
    T("benefit_outpatient", "门诊费用支出", ("门诊支出",), parent="expense_benefit", kind="expense"),
    T("benefit_maternity_medical", "生育医疗费用支出", ("生育医疗费",), parent="expense_benefit", kind="expense"),
    T("benefit_maternity_allowance", "生育津贴支出", ("生育津贴",), parent="expense_benefit", kind="expense"),
    T("benefit_critical", "大病保险支出", (), parent="expense_benefit", kind="expense"),
    T("benefit_other", "其他待遇支出", (), parent="expense_benefit", kind="expense"),
    T("expense_pooled", "统筹基金支出", ("统筹支出", "统筹账户支出"), parent="expense_total", kind="expense"),
    T(
        "expense_account",
        "个人（家庭）账户支出",
        ("个人账户支出", "家庭账户支出", "个账支出"),
        parent="expense_total",
        kind="expense",
    ),
    T(
        "expense_critical_premium",
        "大病保险保费支出",
        ("支付大病保险保费", "大病保险资金支出", "划拨大病保险资金", "大病保险支出（与待遇支出并列）"),
        parent="expense_total",
        kind="expense",
    ),
    T("expense_transfer", "转移支出", (), parent="expense_total", kind="expense"),
    T("expense_other", "其他支出", (), parent="expense_total", kind="expense"),
    T("expense_upper_remit", "上解上级支出", (), kind="expense", inter_level=True),
    T("expense_lower_subsidy", "补助下级支出", (), kind="expense", inter_level=True),
    T(
        "expense_total_gross",
        "基金支出合计（含上下级往来）",
        ("含上下级往来的基金支出合计", "基金支出合计（含上解上级）", "支出合计（含上解上级）"),
        kind="expense",
    ),
    T("balance_current", "本期结余", ("当期结余", "当年结余"), kind="balance"),
    T("balance_cumulative", "累计结余", ("期末累计结余", "滚存结余", "历年累计结余"), kind="balance"),
    T("balance_opening", "年初累计结余", ("期初累计结余", "上年结余"), kind="balance"),
    T("raised_total", "当年筹集基金", ("全年筹集基金", "筹集基金", "基金筹集", "共筹集"), kind="raised"),
    T("raised_premium", "筹集：个人缴费", ("个人缴费筹集",), parent="raised_total", kind="raised"),
    T(
        "raised_subsidy",
        "筹集：各级财政补助",
        ("财政补助筹集", "各级政府补助筹集"),
        parent="raised_total",
        kind="raised",
    ),
    T("memo_assistance_enrolment", "其中：医疗救助资助参保", ("医疗救助资助参保收入", "资助参保收入"), kind="memo"),
    T("memo_fiscal_paid", "其中：财政代缴", ("财政代缴保费", "财政代缴收入"), kind="memo"),
    T("memo_vaccine", "其中：疫苗补助", ("疫苗补助支出", "新冠疫苗补助"), kind="memo"),
    T("contributions_due", "应缴保险费", ("应征保险费", "应缴基金", "应征收入"), kind="memo"),
    T("temp_receipts", "暂收款", ("暂收款项",), kind="memo"),
    T("temp_payments", "暂付款", ("暂付款项",), kind="memo"),
    T("temp_advance_medical", "其中：垫付医疗费", ("垫付医疗费", "垫付医疗费用"), kind="memo"),
    T("temp_advance_offsite", "其中：异地就医预付金", ("异地就医预付金", "跨省异地就医预付金"), kind="memo"),
    T("adj_prepaid", "一次性预缴及补贴", ("一次性预缴", "一次性预缴或补贴"), kind="adjustment"),
    T("adj_payable", "应付未付", ("应付未付款", "未结算医疗费"), kind="adjustment"),
    T("adj_reserve", "预留金", ("基金预留",), kind="adjustment"),
    T("adj_payable_reserve", "应付未付及预留金", ("未结算医疗费、缓付及预留",), kind="adjustment"),
    T("balance_adjusted", "剔除后实际结余", ("实际结余",), kind="balance"),
)

ENROLMENT = _v(
    "category",
    "参保类别",
    T("total", "参保人数", ("合计", "参保总人数")),
    T("active", "在职职工", ("在职",), parent="total"),
    T("retired", "退休人员", ("退休", "退休职工"), parent="total"),
    T("adult", "成年人", (), parent="total"),
    T("student_child", "中小学生儿童", ("学生儿童",), parent="total"),
    T("college", "大学生", (), parent="total"),
    T("female", "女性", ("女职工",)),
    T("age60plus", "60岁以上", ("老年人",)),
    T("contributors", "缴费人数", ("参保缴费人数",)),
    T("contributors_net_change", "缴费人数净增加", ()),
    T("population_registered", "户籍人口", ("户籍人数",)),
    T("population_resident", "常住人口", ()),
    T("ineligible", "不符合参保条件人数", ()),
    T("poverty_registered", "建档立卡贫困人员", ()),
    T("low_income", "农村低收入人口", ()),
    T("poverty_alleviated", "脱贫人口", ()),
    T("subsidised", "资助参保人数", ("资助参保",)),
)

POLICY = _v(
    "policy",
    "缴费政策项目",
    T("contribution_base", "平均缴费基数", ("缴费基数",)),
    T("contribution_base_max", "最高缴费基数", ()),
    T("contribution_base_min", "最低缴费基数", ()),
    T("rate_employer", "单位缴费率", ("企业缴费率", "单位缴费比例")),
    T("rate_individual", "个人缴费率", ("个人缴费比例",)),
    T("standard_individual", "个人缴费标准", ()),
    T("standard_subsidy", "财政补助标准", ("政府补助标准",)),
)

# Utilisation categories. inpatient_* parts add up to inpatient_total, the
# outpatient categories (except the memo ones) to outpatient_total.
SERVICES = _v(
    "service",
    "待遇类别",
    T("outpatient_total", "门诊合计", ("门诊基金支出",), kind="outpatient"),
    T("outpatient_ordinary", "普通门急诊", ("普通门（急）诊",), kind="outpatient"),
    T(
        "outpatient_pooling",
        "门诊统筹（门诊共济）",
        ("门诊共济", "门诊统筹"),
        parent="outpatient_total",
        kind="outpatient",
    ),
    T(
        "outpatient_chronic",
        "门诊慢特病",
        ("慢特病", "门诊大病", "门诊大病（慢特病）"),
        parent="outpatient_total",
        kind="outpatient",
    ),
    T("outpatient_special_drug", "单独支付药品", (), parent="outpatient_total", kind="outpatient"),
    T("outpatient_account", "个人账户刷卡", ("个账刷卡",), parent="outpatient_total", kind="outpatient"),
    T("outpatient_pooled_account", "门诊共济个人账户", ("家庭共济",), parent="outpatient_total", kind="outpatient"),
    T("outpatient_two_diseases", "两病门诊", ("两病",), parent="outpatient_total", kind="outpatient"),
    T("inpatient_total", "住院合计", ("住院",), kind="inpatient", partition=True),
    T("inpatient_level1", "市内一级及以下", ("一级及以下",), parent="inpatient_total", kind="inpatient"),
    T("inpatient_level2", "市内二级", ("二级",), parent="inpatient_total", kind="inpatient"),
    T("inpatient_level3", "市内三级", ("三级",), parent="inpatient_total", kind="inpatient"),
    T("inpatient_outside", "市外就医", ("市外", "异地就医"), parent="inpatient_total", kind="inpatient"),
    T("critical_illness", "大病保险待遇", ("大病保险",), kind="other"),
    T("maternity_total", "生育待遇合计", ("生育待遇",), kind="maternity", partition=True),
    T("maternity_medical", "生育医疗待遇", (), parent="maternity_total", kind="maternity"),
    T("maternity_allowance", "生育津贴待遇", (), parent="maternity_total", kind="maternity"),
    T("assistance_total", "医疗救助合计", ("医疗救助",), kind="assistance", partition=True),
    T("assistance_outpatient", "门诊医疗救助", (), parent="assistance_total", kind="assistance"),
    T("assistance_inpatient", "住院医疗救助", (), parent="assistance_total", kind="assistance"),
    T("assistance_enrolment", "资助参保", (), kind="assistance"),
    T("benefit_total", "享受待遇合计", ("享受待遇人数",), kind="other"),
)

# A breakdown orthogonal to the category: who (在职/退休), which sector
# (机关/事业/企业), which funding source (医疗救助/其他资金), or where treated
# (kind "place": 省内/跨省异地就医).
GROUPS = _v(
    "group",
    "分组",
    T("all", "全部", ("合计", "")),
    T("active", "在职", ("在职职工",)),
    T("retired", "退休", ("退休人员",)),
    T("government", "机关", ("机关单位",)),
    T("institution", "事业", ("事业单位",)),
    T("enterprise", "企业", ()),
    T("low_income", "低收入人口", ("农村低收入人口",)),
    T("poverty_alleviated", "脱贫人口", ()),
    T("assistance_funded", "医疗救助资金", ()),
    T("other_funded", "其他资金", ()),
    # Where the insured was treated, relative to the 统筹区 of insurance (from settlement detail's 就医地).
    T("in_province", "省内异地", ("省内异地就医",), kind="place"),
    T("cross_province", "跨省异地", ("跨省异地就医",), kind="place"),
)

REGION_LEVELS = _v(
    "level",
    "层级",
    T("national", "全国"),
    T("province", "省", ("省级", "全省")),
    T("province_proper", "省本级"),
    T("city", "市", ("地级市", "州", "地区")),
    T("city_proper", "市本级"),
    T("district", "区", ("市辖区",)),
    T("county", "县"),
    T("county_city", "县级市"),
    T("zone", "功能区", ("示范区", "开发区")),
)

# Units: factor converts a value to the base unit of its kind.
UNITS = _v(
    "unit",
    "单位",
    T("yuan", "元", ("rmb",), kind="money", factor=1.0),
    T("wan_yuan", "万元", (), kind="money", factor=1e4),
    T("yi_yuan", "亿元", (), kind="money", factor=1e8),
    T("person", "人", ("人数",), kind="persons", factor=1.0),
    T("wan_person", "万人", (), kind="persons", factor=1e4),
    T("visit", "人次", (), kind="visits", factor=1.0),
    T("wan_visit", "万人次", (), kind="visits", factor=1e4),
    T("percent", "%", ("％", "百分比"), kind="ratio", factor=0.01),
    T("pp", "个百分点", ("百分点",), kind="ratio_points", factor=0.01),
    T("month", "个月", ("月",), kind="months", factor=1.0),
    T("day", "天", ("日", "床日"), kind="days", factor=1.0),
    T("count", "个", ("家", "个数"), kind="count", factor=1.0),
    T("yuan_per_person_month", "元/人/月", ("元/人.月", "元/人·月"), kind="rate", factor=1.0),
    T("yuan_per_person_year", "元/人/年", ("元/人.年", "元/人·年", "元/人、年"), kind="rate", factor=1.0),
    T("wan_yuan_per_person", "万元/人", (), kind="rate", factor=1e4),
    T("yuan_per_person", "元/人", (), kind="rate", factor=1.0),
    T("yuan_per_visit", "元/人次", (), kind="rate", factor=1.0),
)

# Indicators a performance target or a stated figure can refer to. The
# formulas live in the indicators module; this is only the list of names.
INDICATORS = _v(
    "indicator",
    "指标",
    T("value", "数值", ("原值",)),
    T("yoy_change", "同比增减额", ("增减额",)),
    T("yoy_rate", "同比增减率", ("增减率", "同比增幅", "增幅")),
    T("pp_change", "百分点变化", ("增减百分点",)),
    T("share", "占比", ("所占比例", "比重")),
    T("balance_rate", "结余率", ("当期结余率",)),
    T("budget_execution", "预算执行率", ("执行率",)),
    T("months_of_support", "可支付月数", ("可支撑月数",)),
    T("months_of_support_adjusted", "实际可支付月数", ("实际可支撑月数",)),
    T("monthly_expense", "月均支出", ("平均待遇支付水平",)),
    T("per_visit_cost", "次均费用", ("次均住院费用",)),
    T("per_visit_paid", "次均报销", ("次均报销费用", "次均使用基金", "次均报销金额")),
    T("per_person_cost", "人均费用", ("人均支出",)),
    T("reimbursement_inscope", "政策范围内报销比例", ("政策内报销比例",)),
    T("reimbursement_actual", "实际报销比例", ()),
    T("visits_per_person", "人次人头比", ()),
    T("active_retired_ratio", "在职退休比", ("抚养比",)),
    T("retired_share", "退休占比", ("退休人员占比",)),
    T("enrolment", "参保人数", ()),
    T("beneficiaries", "享受待遇人数", ()),
    T("cost_per_beneficiary", "享受待遇成本", ()),
    T("enrolment_rate", "参保率", ("综合参保率",)),
    T("policy", "缴费政策", ("缴费标准",)),
    T("deficit_count", "收不抵支个数", ()),
    T("deficit_amount", "超支金额", ()),
    T("surplus_amount", "结余金额", ()),
    T("qualitative", "定性指标", ("满意度", "定性")),
)

EDITIONS = _v(
    "edition",
    "数据版本",
    T("express", "快报", ("月报快报", "统计快报")),
    T("bulletin", "公报", ("统计公报",)),
    T("final", "决算", ("决算数", "年度决算")),
    T("statement", "财务报表", ("报表", "会计报表")),
)

ORIGINS = _v(
    "origin",
    "来源",
    T("entered", "报表", ("公布", "实际", "报表数")),
    T("estimated", "推算", ("倒推", "估算", "推算数", "按公布增速推算")),
)

ALL: dict[str, Vocabulary] = {
    v.name: v
    for v in (FUNDS, ITEMS, ENROLMENT, POLICY, SERVICES, GROUPS, REGION_LEVELS, UNITS, INDICATORS, EDITIONS, ORIGINS)
}
