from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fundreport.data.decimals import NumberError, parse_decimal, scale


@pytest.mark.parametrize(
    ("text", "expected", "pct"),
    [
        ("1234.5", Decimal("1234.5"), False),
        ("1,234.5", Decimal("1234.5"), False),
        ("１，２３４．５", Decimal("1234.5"), False),
        (" -19784 ", Decimal("-19784"), False),
        ("－43573.2", Decimal("-43573.2"), False),
        ("(12.5)", Decimal("-12.5"), False),
        ("6.80%", Decimal("6.80"), True),
        (24959.6, Decimal("24959.6"), False),
        (7, Decimal(7), False),
    ],
)
def test_parse(text, expected, pct):
    assert parse_decimal(text) == (expected, pct)


@pytest.mark.parametrize("bad", ["", "abc", "1.2.3", "12万", True, "nan", "-"])
def test_not_numbers(bad):
    with pytest.raises(NumberError):
        parse_decimal(bad)


def test_scale_is_exact_for_wan_yuan():
    # 24959.60万元 is exactly 249596000元: no binary rounding on the way in.
    assert scale(Decimal("24959.60"), 1e4) == 249596000.0
    assert scale(Decimal("0.1"), 1e8) == 10000000.0


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_thousands_separators_roundtrip(d):
    assert parse_decimal(f"{d:,}")[0] == d


def test_a_figure_is_shown_no_finer_than_its_source_unit():
    from fundreport.data.decimals import Written
    from fundreport.figures.indicators import current_balance
    from fundreport.text import narrative as nv

    income, expense = Written(2179000000.0, 1e6), Written(1825000000.0, 1e6)  # 21.79亿元, 18.25亿元
    assert nv.fmt_money(income) == "217900万元"
    assert nv.fmt_money(income, "亿元") == "21.79亿元"
    assert nv.fmt_money(Written(249596000.0, 100.0)) == "24959.60万元"  # given in 万元: 2 decimals stay
    balance = current_balance(income, expense)
    assert balance.quantum == 1e6 and nv.clause_balance("", balance) == "当期结余35400万元"
    assert sum([income, expense]).quantum == 1e6  # sum() starts from an exact 0
    mixed = income + 80580100.0  # plus a figure of unknown precision: back to 2 decimals
    assert not hasattr(mixed, "quantum") and nv.fmt_money(mixed) == "225958.01万元"
    assert (income * 2).__class__ is float and (income / 12).__class__ is float
    assert nv.fmt_money(249596000.0, sep=True) == "24,959.60万元"
    assert nv.fmt_cell(income, "money") == "217,900"
