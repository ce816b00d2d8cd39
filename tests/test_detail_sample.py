"""The 鄂州 sample from settlement detail: generated settlements (tests/synthetic_detail.py) aggregated by
``fundreport aggregate`` give the same utilisation rows and the same report as the aggregates computed
by hand from the same plan, and the same report as the typed-in sample once its 住院合计 rows are the sums
of their levels (the sample's typed totals are off by rounding, and 职工 2023 by 0.20万元)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fundreport import cli
from fundreport.data.aggregate import write_utilisation
from fundreport.report.build import report_from_params
from fundreport.report.serialize import report_to_json

from . import synthetic_detail as sd
from .conftest import ROOT

SAMPLE = Path("data/samples/ezhou/2024M1-3")
PARAMS = Path("params/ezhou/2024M1-3.yaml")


def _project(root: Path) -> Path:
    """A project with the 鄂州 params and a copy of its dataset at the same relative path."""
    shutil.copytree(ROOT / SAMPLE, root / SAMPLE)
    (root / PARAMS).parent.mkdir(parents=True)
    shutil.copy(ROOT / PARAMS, root / PARAMS)
    shutil.copy(ROOT / "params" / "_defaults.yaml", root / "params" / "_defaults.yaml")
    return root


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    base = tmp_path_factory.mktemp("ezhou-detail")
    blocks = sd.plan(sd.seed_rows(ROOT / SAMPLE, "420700"))
    detail = base / "detail"
    rows = sd.write_detail(blocks, detail)
    (base / "mapping.yaml").write_text(sd.MAPPING_YAML, encoding="utf-8")
    return base, blocks, detail, rows


def test_the_sample_from_detail_equals_the_sample_from_its_aggregates(generated, capsys, monkeypatch):
    base, blocks, detail, rows = generated
    assert rows > 3_000_000  # every visit of the sample is a settlement
    from_detail = _project(base / "a")
    by_hand = _project(base / "b")
    code = cli.main(["aggregate", str(detail), "--out", str(from_detail / SAMPLE), "--mapping",
                     str(base / "mapping.yaml"), "--period", "2024M1-3", "--period", "2023M1-3"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    write_utilisation(sd.reference_rows(blocks, "420700"), by_hand / SAMPLE)
    got = (from_detail / SAMPLE / "utilisation.csv").read_text(encoding="utf-8")
    want = (by_hand / SAMPLE / "utilisation.csv").read_text(encoding="utf-8")
    assert sorted(got.splitlines()) == sorted(want.splitlines())  # the same rows (in another order)
    monkeypatch.chdir(from_detail)
    a = report_to_json(report_from_params(str(from_detail / PARAMS)))
    monkeypatch.chdir(by_hand)
    b = report_to_json(report_from_params(str(by_hand / PARAMS)))
    assert a == b
    # The typed-in sample, its 住院合计 rows set to the sum of their levels, gives the same report too.
    typed = _project(base / "c")
    sd.with_consistent_totals(typed / SAMPLE)
    monkeypatch.chdir(typed)
    assert report_to_json(report_from_params(str(typed / PARAMS))) == a
    # No settlement identifier reaches the dataset or the report.
    for text in (got, a):
        assert "B0-" not in text and "XB" not in text
