"""Chinese wording of figures (fundreport.text.narrative).

Expected strings come from the 鄂州 2024 Q1 report (seed 004) where the seed
is right; where it is wrong, the test asserts the correct wording.
"""

import re
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from fundreport.data.periods import Period
from fundreport.text import narrative as nr
from fundreport.text.narrative import (
    CHANGE_STYLES,
    amount_change_phrase,
    change_phrase,
    change_rate,
    clause_balance,
    clause_value_with_comparison,
    cn_number,
    enumerate_cn,
    fmt_bounds,
    fmt_cell,
    fmt_count,
    fmt_money,
    fmt_months,
    fmt_number,
    fmt_percent,
    fmt_points,
    fmt_ratio_to_one,
    fmt_target,
    fmt_value,
    heading_prefix,
    join_clauses,
    ordinal_clauses,
    period_label,
    ratio_change_phrase,
    round_half_up,
    sentence_budget,
    sentence_deficit_areas,
    sentence_months_of_support,
    sentence_value_with_comparison,
)

Q1 = Period.parse("2024M1-3")


def wan(text: str) -> float:
    """A figure typed in 万元, as the data model holds it (元, float)."""
    return float(Decimal(text) * 10000)


# ---------------------------------------------------------------- formatting


def test_fmt_money_units_and_table():
    assert fmt_money(wan("24959.60")) == "24959.60万元"
    assert fmt_money(wan("24959.60"), table=True) == "24,959.60"
    assert fmt_money(5990000000.0, "亿元") == "59.90亿元"
    assert fmt_money(49.27, "元") == "49.27元"
    assert fmt_money(wan("6")) == "6.00万元"
    assert fmt_money(wan("24959.60"), "wan_yuan") == "24959.60万元"  # vocabulary code accepted
    assert fmt_money(None) == "—"
    assert fmt_money(float("nan"), missing="") == ""


def test_fmt_money_rejects_other_units():
    with pytest.raises(ValueError):
        fmt_money(1.0, "人")
    with pytest.raises(ValueError, match="未知单位"):
        fmt_money(1.0, "万万元")


def test_fmt_number_half_up_not_bankers():
    assert fmt_number(2.675, 2) == "2.68"  # round() gives 2.67 (binary 2.67499…)
    assert fmt_number(0.125, 2) == "0.13"  # banker's rounding gives 0.12
    assert fmt_number(-0.125, 2) == "-0.13"  # ties away from zero
    assert fmt_number(2.5, 0) == "3"
    assert fmt_number(1234567.891, 2, sep=True) == "1,234,567.89"
    assert fmt_number(6.0, 2, trim=True) == "6"
    assert fmt_number(1e20, 2) == "100000000000000000000.00"


@pytest.mark.parametrize("value", [-0.001, -0.004999, -1e-12, -0.0, -0.00499])
def test_no_negative_zero(value):
    assert fmt_number(value, 2) == "0.00"
    assert fmt_money(value * 1e4) == "0.00万元"
    assert fmt_percent(value / 100) == "0.00%"


def test_fmt_count_percent_points_months():
    assert fmt_count(202521) == "202521人"
    assert fmt_count(727400, "万人") == "72.74万人"
    assert fmt_count(398619, "人次") == "398619人次"
    assert fmt_count(202521, table=True) == "202,521"
    assert fmt_count(11, "个") == "11个"
    assert fmt_percent(0.139) == "13.90%"
    assert fmt_percent(0.7710, 1) == "77.1%"
    assert fmt_points(0.0123) == "1.23个百分点"
    assert fmt_points(-0.0247) == "-2.47个百分点"
    assert fmt_months(18.46) == "18.5个月"
    assert fmt_months(18.45) == "18.5个月"  # half up
    assert fmt_ratio_to_one(2.531) == "2.53:1"
    with pytest.raises(ValueError):
        fmt_count(3.0, "万元")


def test_fmt_value_table_keeps_percent_only():
    assert fmt_value(0.8286, "%", table=True) == "82.86%"
    assert fmt_value(wan("14317.66"), "万元", table=True) == "14,317.66"
    assert fmt_value(11693.62, "元/人次") == "11693.62元/人次"


def test_numpy_scalars_and_bad_inputs():
    assert fmt_count(np.int64(202521)) == "202521人"
    assert fmt_money(np.float64(249596000.0)) == "24959.60万元"
    with pytest.raises(TypeError):
        fmt_number("12", 2)
    with pytest.raises(TypeError):
        fmt_number(True, 2)
    with pytest.raises(ValueError):
        fmt_number(float("inf"), 2)


def test_fmt_target():
    assert fmt_target("≥", 413449, "人") == "≥413449人"
    assert fmt_target(">=", 413449, "人") == "≥413449人"
    assert fmt_target("=", 280, "元/人/年") == "=280元/人/年"
    assert fmt_target("range", 0.95, "%", high=1.05) == "105%≥x≥95%"
    assert fmt_target("≤", 0.055, "%") == "≤5.5%"
    with pytest.raises(ValueError):
        fmt_target("≈", 1, "人")


def test_fmt_bounds():
    assert fmt_bounds(413449, None, "人") == "≥413449人"
    assert fmt_bounds(None, 0.05, "%") == "≤5%"
    assert fmt_bounds(0.95, 1.05, "%") == "105%≥x≥95%"
    assert fmt_bounds(280, 280, "元/人/年") == "=280元/人/年"
    assert fmt_bounds(6900, None, "万元/人") == "≥0.69万元/人"
    assert fmt_bounds(280, 280) == "=280"
    assert fmt_bounds(None, None) == "—"


# ---------------------------------------------------------------- changes from seed 004


@pytest.mark.parametrize(
    ("cur", "prev", "style", "expected"),
    [
        (202521, 201603, "比", "比增0.46%"),  # 职工参保
        (145170, 128310, "比", "比增13.14%"),  # 在职职工
        (wan("24959.60"), wan("28990.38"), "比", "比降13.90%"),  # 职工基金收入
        (wan("21417.49"), wan("22410.92"), "比", "比降4.43%"),
        (wan("13927.20"), wan("13829.75"), "比", "比增0.70%"),
        (398619, 171141, "比", "比增132.92%"),  # 门诊共济人次
        (413, 6, "比", "比增6783.33%"),  # 两病人次
        (1376, 1317, "同比", "同比增长4.48%"),  # 大病人次
        (wan("559"), wan("690.25"), "同比", "同比下降19.01%"),  # 大病报销
        (684806, 700086, "比", "比降2.18%"),  # 居民参保
        (wan("12200.61"), wan("11014.16"), "增长", "增长10.77%"),
        # seed states 比降40.83% and 比降23.65%; the figures give:
        (wan("5176.72"), wan("7290.25"), "比", "比降28.99%"),  # 职工三级报销总金额
        (wan("9216.88"), wan("11396.76"), "比", "比降19.13%"),  # 职工住院报销总金额
    ],
)
def test_change_phrase_seed(cur, prev, style, expected):
    assert change_phrase(cur, prev, style=style) == expected


def test_change_phrase_special_cases():
    assert change_phrase(100.0, 100) == "持平"
    assert change_phrase(100.0, 100, style="同比") == "同比持平"
    assert change_phrase(100000001, 100000000) == "基本持平"  # 0.000001% rounds to 0.00%
    assert change_phrase(5.0, None) == "无去年同期数据"
    assert change_phrase(5.0, None, comparator="上年") == "无上年数据"
    assert change_phrase(None, 5.0) == "本期无数据"
    assert change_phrase(60000.0, 0.0) == "去年同期为0，不计算增减率"
    assert change_phrase(0.0, 0.0) == "持平"
    assert change_phrase(50.0, -100.0) == "去年同期为负数，不计算增减率"
    assert change_phrase(-50.0, 100.0) == "比降150.00%"  # over prev, never over cur
    assert change_phrase(200.0, 100.0, decimals=1) == "比增100.0%"
    with pytest.raises(ValueError):
        change_phrase(1, 2, style="环比")


def test_change_rate_formula():
    assert change_rate(202521, 201603) == Fraction(918, 201603)
    assert change_rate(wan("24959.60"), wan("28990.38")) == Fraction(-403078, 2899038)
    assert fmt_percent(change_rate(202521, 201603)) == "0.46%"
    assert change_rate(1.0, 0.0) is None
    assert change_rate(1.0, None) is None
    assert change_rate(None, 1.0) is None
    assert change_rate(1.0, -2.0) is None


def test_amount_change_phrase():
    assert amount_change_phrase(684806, 700086) == "减少15280人"
    assert amount_change_phrase(202521, 201603, prefix="同比") == "同比增加918人"
    assert amount_change_phrase(wan("27.1") * 1e4, wan("23.0") * 1e4, "亿元", prefix="比上年") == "比上年增加4.10亿元"
    assert amount_change_phrase(454800, 492100, "万人") == "减少3.73万人"
    assert amount_change_phrase(18.5, 17.9, "个月") == "增加0.6个月"
    assert amount_change_phrase(5, 5) == "持平"
    assert amount_change_phrase(wan("1.00001"), wan("1"), "万元") == "基本持平"
    assert amount_change_phrase(5, None) == "无去年同期数据"
    assert amount_change_phrase(None, 5) == "本期无数据"


def test_ratio_change_phrase_seed():
    # 职工住院政策范围内报销比例 77.10% vs 75.87%: the seed writes 比增1.63%.
    assert ratio_change_phrase(0.7710, 0.7587) == "提高1.23个百分点"
    # 居民 62.33% vs 63.34%: the seed writes 比降1.60%.
    assert ratio_change_phrase(0.6233, 0.6334) == "降低1.01个百分点"
    assert ratio_change_phrase(0.5, 0.5) == "持平"
    assert ratio_change_phrase(0.50001, 0.5) == "基本持平"
    assert ratio_change_phrase(0.5, None) == "无去年同期数据"
    assert ratio_change_phrase(0.52, 0.5, prefix="同比", words=("上升", "下降")) == "同比上升2.00个百分点"


def test_ratio_change_basis():
    # 77.1049% vs 75.8651%: the exact difference 1.2398 rounds once to 1.24, as the table's 百分点 column
    # prints it (one value per figure); subtracting the shown 77.10% and 75.87% would give 1.23.
    assert ratio_change_phrase(0.771049, 0.758651) == "提高1.24个百分点"
    assert ratio_change_phrase(0.771049, 0.758651, basis="display") == "提高1.23个百分点"
    with pytest.raises(ValueError):
        ratio_change_phrase(0.2, 0.1, basis="mean")


# ---------------------------------------------------------------- sentences


def test_sentence_income_seed():
    text = sentence_value_with_comparison(Q1, "全市职工基本医保基金收入", wan("24959.60"), wan("28990.38"))
    assert text == "2024年1-3月，全市职工基本医保基金收入24959.60万元（去年同期28990.38万元），比降13.90%。"


def test_sentence_enrolment_and_period_styles():
    text = sentence_value_with_comparison("2024M1-3", "全市共有参保职工", 202521, 201603, kind="count")
    assert text == "2024年1-3月，全市共有参保职工202521人（去年同期201603人），比增0.46%。"
    q = sentence_value_with_comparison("2024Q1", "全市共有参保职工", 202521, 201603, kind="count")
    assert q.startswith("2024年一季度，")
    m = sentence_value_with_comparison(
        "2024Q1", "全市共有参保职工", 202521, 201603, kind="count", period_style="months"
    )
    assert m.startswith("2024年1-3月，")


def test_sentence_amount_in_brackets_seed():
    text = sentence_value_with_comparison(None, "全市城乡居民医保参保", 684806, 700086, kind="count", compare="both")
    assert text == "全市城乡居民医保参保684806人（去年同期700086人，减少15280人），比降2.18%。"


def test_sentence_rate_inside_seed():
    text = sentence_value_with_comparison(
        Q1, "职工医保享受大病保险待遇", 1376, 1317, kind="visits", style="同比", inside=True
    )
    assert text == "2024年1-3月，职工医保享受大病保险待遇1376人次（去年同期1317人次，同比增长4.48%）。"


def test_sentence_ratio_seed_corrected():
    text = sentence_value_with_comparison(Q1, "职工政策范围内费用报销比例", 0.7710, 0.7587, kind="ratio")
    assert text == "2024年1-3月，职工政策范围内费用报销比例为77.10%（去年同期为75.87%），提高1.23个百分点。"


def test_sentence_per_visit_in_yuan():
    text = sentence_value_with_comparison(Q1, "次均报销费用", 49.27, 60.76, kind="money", unit="元", verb="为")
    assert text == "2024年1-3月，次均报销费用为49.27元（去年同期为60.76元），比降18.91%。"


def test_sentence_missing_and_zero_base():
    assert (
        sentence_value_with_comparison(Q1, "职工“两病”基金支出", wan("6"), 0.0)
        == "2024年1-3月，职工“两病”基金支出6.00万元（去年同期为0），不计算增减率。"
    )
    assert (
        sentence_value_with_comparison(Q1, "职工“两病”基金支出", wan("6"), None)
        == "2024年1-3月，职工“两病”基金支出6.00万元（无去年同期数据）。"
    )
    assert (
        sentence_value_with_comparison(Q1, "职工“两病”基金支出", wan("6"), None, omit_missing=True)
        == "2024年1-3月，职工“两病”基金支出6.00万元。"
    )
    assert sentence_value_with_comparison(Q1, "基金支出", None, 1.0) == "2024年1-3月，基金支出本期无数据。"
    assert "不计算增减率" in sentence_value_with_comparison(None, "当期结余", 5.0, -3.0)


def test_sentence_annual_comparator_and_months():
    text = sentence_value_with_comparison(
        "2021", "统筹基金可支付月数", 18.46, 17.9, kind="months", comparator="上年", verb="为"
    )
    assert text == "2021年度，统筹基金可支付月数为18.5个月（上年为17.9个月），增加0.6个月。"


def test_sentence_kind_unit_mismatch():
    with pytest.raises(ValueError):
        sentence_value_with_comparison(Q1, "x", 1, 1, kind="count", unit="万元")
    with pytest.raises(ValueError):
        sentence_value_with_comparison(Q1, "x", 1, 1, kind="weight")
    with pytest.raises(ValueError):
        sentence_value_with_comparison(Q1, "x", 1, 1, compare="ratio")


def test_clauses_joined_like_seed():
    parts = [
        clause_value_with_comparison("个人账户收入", wan("7652.16"), wan("7816.44")),
        clause_value_with_comparison("支出", wan("7490.29"), wan("8581.17")),
    ]
    assert (
        join_clauses(parts, sep="；")
        == "个人账户收入7652.16万元（去年同期7816.44万元），比降2.10%；支出7490.29万元（去年同期8581.17万元），比降12.71%。"
    )


def test_sentence_budget():
    assert (
        sentence_budget("职工医保基金收入", 0.3921, 0.5)
        == "职工医保基金收入预算执行率为39.21%，时间进度为50.00%，低于时间进度10.79个百分点。"
    )
    assert (
        sentence_budget("职工医保基金收入", 1.0075, Period.parse("2021"), band=0.05)
        == "职工医保基金收入预算执行率为100.75%，时间进度为100.00%，高于时间进度0.75个百分点，在±5个百分点的控制范围内。"
    )
    assert sentence_budget("居民医保基金支出", 1.1373, Period.parse("2021"), band=0.05).endswith(
        "高于时间进度13.73个百分点，超出±5个百分点的控制范围。"
    )
    assert sentence_budget("x", 0.25, Period.parse("2024Q1")).endswith("与时间进度持平。")
    assert sentence_budget("x", 0.4, Period.parse("2024M1-5")).startswith("x预算执行率为40.00%，时间进度为41.67%")
    assert sentence_budget("x", None, 0.5) == "x无预算执行数据，不计算预算执行率。"
    assert sentence_budget("x", 0.5, 0.5, period="2021H1").startswith("2021年上半年，x预算执行率")


def test_sentence_months_of_support():
    assert (
        sentence_months_of_support("统筹基金累计结余", wan("220754.00"), 18.46, band="过多结余")
        == "统筹基金累计结余220754.00万元，可支付18.5个月，属于“过多结余”区间。"
    )
    text = sentence_months_of_support(
        "2021年末全市统筹基金累计结余",
        wan("239000"),
        18.4,
        monthly_expense=wan("12900"),
        adjusted_balance=wan("202300"),
        adjusted_months=15.7,
        adjusted_band="过多结余",
    )
    assert text == (
        "2021年末全市统筹基金累计结余239000.00万元，按月均支出12900.00万元计算，可支付18.4个月；"
        "剔除一次性预缴及补贴、应付未付及预留金后实际结余202300.00万元，可支付15.7个月，属于“过多结余”区间。"
    )
    assert sentence_months_of_support("累计结余", wan("1"), 18.4, decimals=0, approx=True) == (
        "累计结余1.00万元，可支付约18个月。"
    )
    assert "不计算可支付月数" in sentence_months_of_support("累计结余", wan("1"), None)
    assert "结余为负" in sentence_months_of_support("累计结余", -wan("1"), -0.5)


def test_clause_balance_and_deficits():
    assert clause_balance("统筹基金", wan("3380.24"), rate=0.1953) == "统筹基金当期结余3380.24万元，结余率为19.53%"
    assert clause_balance("统筹基金", -wan("1234")) == "统筹基金当期收不抵支1234.00万元"
    assert clause_balance("统筹基金", 0.0) == "统筹基金当期收支平衡"
    assert clause_balance("统筹基金", None) == "统筹基金当期结余无数据"
    assert (
        sentence_deficit_areas(2, total=11, shortfall=wan("1234.56"), names=["茶陵县", "攸县"], period="2021")
        == "2021年度，全市11个统筹区中有2个收不抵支（茶陵县、攸县），合计超支1234.56万元。"
    )
    assert sentence_deficit_areas(0, total=11) == "全市11个统筹区均未出现收不抵支。"
    assert sentence_deficit_areas(3) == "全市有3个统筹区收不抵支。"


# ---------------------------------------------------------------- lists and numerals


def test_join_clauses():
    assert join_clauses(["收入1万元。", "", None, "支出2万元"], sep="；") == "收入1万元；支出2万元。"
    assert join_clauses([]) == ""
    assert join_clauses(["a，", "b；"], end="") == "a，b"


def test_ordinal_clauses_and_numerals():
    assert (
        ordinal_clauses(["就业人员增多", "", "剔除重复参保。"], lead="主要原因：")
        == "主要原因：一是就业人员增多；二是剔除重复参保。"
    )
    assert ordinal_clauses([]) == ""
    assert [cn_number(n) for n in (1, 10, 12, 20, 35, 99)] == ["一", "十", "十二", "二十", "三十五", "九十九"]
    with pytest.raises(ValueError):
        cn_number(100)
    assert heading_prefix(3) == "（三）"
    assert heading_prefix(2, "一、") == "二、"
    assert heading_prefix(4, "第一部分") == "第四部分"
    assert heading_prefix(5, "（1）") == "（5）"
    assert enumerate_cn(["醴陵市", "攸县", "茶陵县"]) == "醴陵市、攸县、茶陵县"
    assert enumerate_cn(["醴陵市", "攸县", "茶陵县"], last_sep="和") == "醴陵市、攸县和茶陵县"
    assert period_label("2021H1") == "2021年上半年"
    assert period_label(None) == ""


def test_all_exports_exist():
    for name in nr.__all__:
        assert hasattr(nr, name), name


# ---------------------------------------------------------------- properties

finite = st.floats(min_value=-1e13, max_value=1e13, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=1e-6, max_value=1e13, allow_nan=False, allow_infinity=False)
ratios = st.floats(min_value=0, max_value=1.5, allow_nan=False)
decimals = st.integers(min_value=0, max_value=4)


def half_up_reference(x: Fraction, d: int) -> Fraction:
    """Independent half-up (ties away from zero) with integer arithmetic."""
    scaled = abs(x) * 10**d
    n = int(scaled + Fraction(1, 2))  # floor(|x|·10^d + 1/2)
    return Fraction(n if x >= 0 else -n, 10**d)


@given(finite, decimals)
def test_rounding_is_half_up_within_half_unit(x, d):
    text = fmt_number(x, d)
    exact = Fraction(repr(x))
    shown = Fraction(text)
    assert abs(shown - exact) <= Fraction(1, 2 * 10**d)
    assert shown == half_up_reference(exact, d)
    assert len(text.partition(".")[2]) == d


@given(st.integers(min_value=-(10**9), max_value=10**9), st.integers(min_value=1, max_value=3))
def test_ties_round_away_from_zero(k, d):
    x = (k + 0.5) / 10**d  # only exact ties are relevant; the float's repr decides
    exact = Fraction(repr(x))
    shown = Fraction(fmt_number(x, d))
    if abs(exact - shown) == Fraction(1, 2 * 10**d):
        assert abs(shown) > abs(exact)


@given(finite, st.sampled_from(["元", "万元", "亿元"]), st.booleans())
def test_money_parses_back_to_rounded_value(yuan, unit, table):
    text = fmt_money(yuan, unit, table=table)
    number = text.removesuffix(unit).replace(",", "")
    factor = {"元": 1, "万元": 10**4, "亿元": 10**8}[unit]
    assert Decimal(number) == round_half_up(Decimal(repr(yuan)) / factor, 2)
    assert ("," in text) == (table and abs(Decimal(number)) >= 1000)
    assert text.endswith(unit) != table


@given(st.floats(min_value=-1, max_value=1, allow_nan=False), decimals)
def test_never_negative_zero(x, d):
    for text in (fmt_number(x, d), fmt_money(x), fmt_percent(x / 100, d), fmt_points(x / 1000, d)):
        assert not re.match(r"^-0(\.0+)?(?![\d.])", text), text


@given(finite, st.one_of(st.none(), finite), st.sampled_from(sorted(CHANGE_STYLES)))
def test_change_sign_word_matches_sign(cur, prev, style):
    up, down, equal, near = CHANGE_STYLES[style]
    text = change_phrase(cur, prev, style=style)
    assert "-" not in text
    if text.startswith(up):
        assert prev is not None and prev > 0 and cur > prev
    elif text.startswith(down):
        assert prev is not None and prev > 0 and cur < prev
    if prev is not None and prev > 0 and cur != prev:
        assert text.startswith((up, down)) or text == near


@given(finite, st.sampled_from([0, 0.0, -0.0, None]), st.sampled_from(sorted(CHANGE_STYLES)))
def test_zero_or_missing_base_never_gives_rate(cur, prev, style):
    text = change_phrase(cur, prev, style=style)
    assert "%" not in text
    up, down, _, _ = CHANGE_STYLES[style]
    assert not text.startswith((up, down))
    clause = clause_value_with_comparison("x", cur, prev)
    assert "%" not in clause


@given(finite, st.floats(min_value=-1e13, max_value=-1e-6, allow_nan=False))
def test_negative_base_never_gives_rate(cur, prev):
    assume(cur != prev)
    assert "%" not in change_phrase(cur, prev)


@given(finite, positive, st.integers(min_value=0, max_value=3))
def test_change_magnitude_is_half_up_of_rate(cur, prev, d):
    assume(cur != prev)
    text = change_phrase(cur, prev, decimals=d)
    match = re.search(r"(\d+(?:\.\d+)?)%$", text)
    exact = (Fraction(repr(cur)) - Fraction(repr(prev))) / Fraction(repr(prev)) * 100
    expected = half_up_reference(abs(exact), d)
    if expected == 0:
        assert text == "基本持平"
    else:
        assert match is not None
        assert Fraction(match.group(1)) == expected


@given(finite, finite, st.sampled_from(["人", "万人", "万元", "亿元", "个月"]), st.sampled_from(["", "同比"]))
def test_amount_change_words(cur, prev, unit, prefix):
    text = amount_change_phrase(cur, prev, unit, prefix=prefix)
    assert "-" not in text
    assert text.startswith(prefix)
    if "增加" in text:
        assert cur > prev
    if "减少" in text:
        assert cur < prev
    if cur == prev:
        assert text == f"{prefix}持平"


@given(ratios, ratios, st.integers(min_value=0, max_value=3))
def test_ratio_change_is_the_exact_change_rounded_once(cur, prev, d):
    text = ratio_change_phrase(cur, prev, decimals=d)
    assert "-" not in text and "%" not in text
    diff = round_half_up(Decimal(repr(cur - prev)) * 100, d)  # the change as the figures layer computes it
    if cur == prev:
        assert text == "持平"
    elif diff == 0:
        assert text == "基本持平"
    else:
        word = "提高" if diff > 0 else "降低"
        assert text == f"{word}{format(abs(diff), 'f')}个百分点"
        assert (diff > 0) == (cur > prev)  # rounding never flips the direction
    if d == 2 and diff != 0:  # the sentence and the table's 百分点 column print the same string
        assert fmt_cell(cur - prev, "points").lstrip("+-") in text


@given(st.lists(st.text(alphabet="收入支出万元，；。 ", max_size=8), max_size=6))
def test_join_clauses_properties(clauses):
    text = join_clauses(clauses, sep="；")
    kept = [c.strip("，；。 ") for c in clauses]
    kept = [c for c in kept if c]
    assert text == ("；".join(kept) + "。" if kept else "")
    if text:
        assert not text.startswith(("，", "；", "。", " "))
        assert not text.endswith(("；。", "，。", "。。", " 。"))


@given(st.integers(min_value=1, max_value=99))
def test_cn_number_parses_back(n):
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    text = cn_number(n)
    if "十" in text:
        tens, _, ones = text.partition("十")
        value = (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)
    else:
        value = digits[text]
    assert value == n
