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
