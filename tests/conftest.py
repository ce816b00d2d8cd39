from __future__ import annotations

import csv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

REGIONS = [["地区代码", "地区名称", "层级", "上级地区代码"], ["420700", "鄂州市", "市", ""]]
FLOWS = [
    ["地区代码", "期间", "险种", "项目", "数值", "单位"],
    ["420700", "2024M1-3", "职工基本医疗保险", "基金收入合计", "24959.60", "万元"],
    ["420700", "2023M1-3", "职工基本医疗保险", "基金收入合计", "28990.38", "万元"],
]


def write_dataset(folder: Path, tables: dict[str, list[list[str]]]) -> Path:
    """Write CSV tables (first row = header) into folder; returns folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)
    return folder


@pytest.fixture
def good_tables() -> dict[str, list[list[str]]]:
    return {"regions": [r[:] for r in REGIONS], "fund_flows": [r[:] for r in FLOWS]}


@pytest.fixture
def make_dataset(tmp_path):
    def make(tables, name="ds"):
        return write_dataset(tmp_path / name, tables)

    return make


@pytest.fixture
def make_project(tmp_path, good_tables):
    """A project folder with params/ and data/, returning a writer for params files."""

    def make(params: dict[str, str], tables=None, defaults: str | None = None) -> Path:
        write_dataset(tmp_path / "data" / "ds", tables or good_tables)
        (tmp_path / "params").mkdir(exist_ok=True)
        if defaults is not None:
            (tmp_path / "params" / "_defaults.yaml").write_text(defaults, encoding="utf-8")
        for name, text in params.items():
            p = tmp_path / "params" / name
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text, encoding="utf-8")
        return tmp_path

    return make
