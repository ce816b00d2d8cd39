"""伽师 2020 self-evaluation: judged against actuals computed from the data, never the typed-in ones."""

import pytest

from fundreport.data.dataset import load_dataset
from fundreport.figures.targets import judge_targets

from .conftest import ROOT


@pytest.fixture(scope="module")
def results():
    ds = load_dataset(ROOT / "data/samples/jiashi/2020")
    return {(r.fund, r.name): r for r in judge_targets(ds, "653129", "2020")}


def test_income_execution_excludes_inter_level(results):
    r = results[("resident", "城乡居民医疗保险基金收入预算执行率（%）")]
    # 37654.63 / 36026.78 without the 500万 上级补助收入: 104.52%, inside 95%-105%
    assert round(r.actual * 100, 2) == 104.52 and r.achieved is True
    assert r.stated_actual == "100%"  # the typed-in actual is kept, not used


def test_cost_per_beneficiary_is_computed_not_copied(results):
    r = results[("resident", "预期享受城乡居民医疗保险待遇成本（万元/人）")]
    # 21040.11万元 of benefits / 55128 persons = 0.38万元, below the ≥0.69万元 target
    assert round(r.actual / 1e4, 2) == 0.38 and r.achieved is False


def test_policy_and_qualitative(results):
    assert results[("resident", "参保居民个人实际缴费标准（元/人/年）")].achieved is True
    q = results[("resident", "参保对象满意度（%）")]
    assert q.achieved is None and "定性" in q.reason
