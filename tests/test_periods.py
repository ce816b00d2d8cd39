import pytest

from fundreport.data.periods import Period, PeriodError


@pytest.mark.parametrize(
    ("code", "months", "label", "comparison"),
    [
        ("2021", 12, "2021年度", "2020"),
        ("2021Y", 12, "2021年度", "2020"),
        ("2021H1", 6, "2021年上半年", "2020H1"),
        ("2021H2", 6, "2021年下半年", "2020H2"),
        ("2024Q1", 3, "2024年一季度", "2023Q1"),
        ("2024M1-3", 3, "2024年1-3月", "2023M1-3"),
        ("2024M6", 1, "2024年6月", "2023M6"),
        ("２０２４ｍ１－３", 3, "2024年1-3月", "2023M1-3"),
    ],
)
def test_parse(code, months, label, comparison):
    p = Period.parse(code)
    assert p.months_elapsed == months
    assert p.label() == label
    assert p.comparison.code == comparison
    assert Period.parse(p.code) == p


def test_months_style_and_progress():
    assert Period.parse("2024Q1").label("months") == "2024年1-3月"
    assert Period.parse("2021H1").time_progress == 0.5
    assert Period.parse("2024M1-12").kind == "year"


@pytest.mark.parametrize("bad", ["21", "2021H3", "2021Q5", "2024M3-1", "2024M13", "上半年", ""])
def test_bad_codes(bad):
    with pytest.raises(PeriodError):
        Period.parse(bad)
