"""Property tests: whatever a params file or a data cell holds, the answer is a valid value or located
Chinese issues, never another exception, and a report model is only built from what passed."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fundreport.data.params import load_params
from fundreport.data.read import RawSheet
from fundreport.data.validate import check_sheets
from fundreport.errors import InputError

from .conftest import FLOWS, REGIONS

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# -- params YAML --------------------------------------------------------------------------------------

KEYS = ["region", "period", "data", "title", "organisation", "comparison", "accounting", "thresholds", "outputs",
        "sections", "commentary", "data_date", "employee_parts", "colour"]  # fmt: skip
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["420700", "2024M1-3", "data/ds", "yoy", "none", "unit", "pool", "[html, pdf]", "1e400"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=12), inner, max_size=5)),
    max_leaves=15,
)
documents = st.dictionaries(st.sampled_from(KEYS), values, max_size=8)


def _project(tmp: Path) -> Path:
    (tmp / "params").mkdir(exist_ok=True)
    data = tmp / "data" / "ds"
    data.mkdir(parents=True, exist_ok=True)
    return tmp / "params" / "r.yaml"


def _assert_located(exc: InputError, path: Path) -> None:
    assert exc.issues, "an InputError without issues"
    for issue in exc.issues:
        assert issue.file == str(path)
        assert issue.message and not issue.message.startswith("Input should")
        # every message is Chinese (it may quote the offending English value after the words)
        assert any("\u4e00" <= c <= "\u9fff" for c in issue.message), issue.message


@SETTINGS
@given(doc=documents)
def test_any_params_mapping_is_accepted_or_refused_with_located_chinese_issues(doc, tmp_path):
    import yaml

    path = _project(tmp_path)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    try:
        load_params(path)
    except InputError as exc:
        _assert_located(exc, path)


@SETTINGS
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_params_text_is_accepted_or_refused_with_located_chinese_issues(text, tmp_path):
    path = _project(tmp_path)
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        load_params(path)
    except InputError as exc:
        _assert_located(exc, path)


@SETTINGS
@given(raw=st.binary(max_size=200))
def test_any_params_bytes_are_accepted_or_refused(raw, tmp_path):
    path = _project(tmp_path)
    path.write_bytes(raw)
    try:
        load_params(path)
    except InputError as exc:
        _assert_located(exc, path)


# -- data cells ---------------------------------------------------------------------------------------

cells = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.text(alphabet=string.digits + ".,-+eE%％，。 ０１２３４５６７８９", max_size=25),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)


def _sheets(row: tuple) -> list[RawSheet]:
    return [
        RawSheet("ds/regions.csv", None, tuple(REGIONS[0]), ((2, tuple(REGIONS[1])),)),
        RawSheet("ds/fund_flows.csv", None, tuple(FLOWS[0]), ((2, tuple(FLOWS[1])), (3, row))),
    ]


@SETTINGS
@given(
    value=cells,
    unit=st.one_of(cells, st.sampled_from(["万元", "元", "亿元", "人", "%"])),
    item=st.one_of(cells, st.sampled_from(["基金支出合计", "待遇支出", "累计结余", "征缴收入"])),
)
def test_any_fund_flow_cells_give_a_typed_row_or_issues_naming_row_and_column(value, unit, item):
    row = ("420700", "2023M1-3", "职工基本医疗保险", item, value, unit)
    typed, issues = check_sheets(_sheets(row))
    for issue in issues:
        assert issue.file.endswith(".csv") and issue.row in (2, 3), issue
        assert issue.column or issue.message, issue
        assert any("\u4e00" <= c <= "\u9fff" for c in issue.message), issue.message
    if not issues:
        records = typed["fund_flows"].records
        assert len(records) == 2
        number = records[-1]["value"]
        assert number is None or (isinstance(number, float) and abs(number) < 1e16)


@pytest.mark.parametrize(
    "value", ["1e400", "-1e400", "nan", "inf", "9" * 40, "1,,2", "１２．５％", "1E1000000", "0E-2000055"]
)
def test_hand_picked_numbers_never_pass_as_non_finite(value):
    typed, issues = check_sheets(_sheets(("420700", "2023M1-3", "职工基本医疗保险", "基金支出合计", value, "万元")))
    assert issues or value == "１２．５％"  # only the full-width number is a number
    if not issues:
        number = typed["fund_flows"].records[-1]["value"]
        assert number == number and abs(number) < 1e16  # finite, plausible
