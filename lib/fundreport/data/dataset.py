"""The validated in-memory model of one dataset, loaded from a workbook or CSV folder.

:func:`load_dataset` reads, validates and normalises; it either returns a
:class:`Dataset` or raises one :class:`~fundreport.errors.InputError` with
every issue of the source. Nothing downstream ever sees invalid data.

Each table is a pandas DataFrame with the English column codes of
:mod:`fundreport.data.tables`, code columns holding vocabulary codes, amounts in
元, persons in 人, ratios as fractions, and ``source_row`` naming the row of
the input it came from (for audit findings).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from fundreport.data.read import read_source
from fundreport.data.tables import BY_CODE, TABLES
from fundreport.data.validate import check_sheets
from fundreport.errors import InputError


@dataclass(frozen=True)
class Dataset:
    """A validated dataset: one DataFrame per table (empty when absent)."""

    source: str
    tables: dict[str, pd.DataFrame] = field(repr=False)
    files: dict[str, str] = field(default_factory=dict, repr=False)  # table -> file (and sheet)

    def __getitem__(self, table: str) -> pd.DataFrame:
        return self.tables[table]

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    @property
    def meta(self) -> dict[str, str]:
        df = self.tables["meta"]
        return dict(zip(df["key"], df["value"], strict=True)) if len(df) else {}

    def region_name(self, code: str) -> str:
        row = self.regions[self.regions["code"] == code]
        return str(row["name"].iloc[0]) if len(row) else code

    def children(self, code: str) -> list[str]:
        """Direct sub-regions of a region, in their declared order."""
        df = self.regions[self.regions["parent"] == code]
        if "order" in df and df["order"].notna().any():
            df = df.sort_values("order", kind="stable")
        return list(df["code"])

    def periods(self) -> set[str]:
        """Every period code that appears in any table."""
        found: set[str] = set()
        for df in self.tables.values():
            if "period" in df:
                found.update(df["period"].dropna())
        return found

    def datasets_present(self) -> list[str]:
        """Codes of the non-empty data tables (not meta/regions)."""
        return [t for t, df in self.tables.items() if len(df) and t in BY_CODE and t not in {"meta", "regions"}]


def empty_frame(table: str) -> pd.DataFrame:
    spec = BY_CODE[table]
    cols = {c.code: pd.Series(dtype=_dtype(c.kind)) for c in spec.columns}
    if spec.unit_applies:
        cols["quantum"] = pd.Series(dtype="float64")
    return pd.DataFrame(cols | {"source_row": pd.Series(dtype="int64")})


def _dtype(kind: str) -> str:
    return "float64" if kind in {"number", "count"} else "object"


def load_dataset(path: str | Path) -> Dataset:
    """Load and validate a dataset (.xlsx workbook or folder of CSV files)."""
    path = Path(path)
    sheets = read_source(path)
    typed, issues = check_sheets(sheets)
    if issues:
        raise InputError(issues)
    tables: dict[str, pd.DataFrame] = {}
    files: dict[str, str] = {}
    for spec in TABLES:
        t = typed.get(spec.code)
        if t is None or not t.records:
            tables[spec.code] = empty_frame(spec.code)
            if t is not None:  # a file or sheet with only its header: named, so a check can say where
                files[spec.code] = t.file if t.sheet is None else f"{t.file}#{t.sheet}"
            continue
        cols = list(spec.codes) + (["quantum"] if spec.unit_applies else []) + ["source_row"]
        df = pd.DataFrame.from_records(t.records)
        for c in cols:
            if c not in df:
                df[c] = None
        df = df[cols]
        for c in spec.columns:
            if c.kind in {"number", "count"}:
                df[c.code] = pd.to_numeric(df[c.code], errors="raise").astype("float64")
        tables[spec.code] = df
        files[spec.code] = t.file if t.sheet is None else f"{t.file}#{t.sheet}"
    # Other editions (快报, 公报, …) of statement figures are kept apart: every figure of a report comes
    # from the rows without an edition, and the others are only set beside them.
    flows = tables["fund_flows"]
    other = flows["edition"].notna() & (flows["edition"] != "")
    tables["fund_flow_editions"] = flows[other].reset_index(drop=True)
    tables["fund_flows"] = flows[~other].reset_index(drop=True)
    return Dataset(str(path), tables, files)


def data_hash(path: str | Path) -> str:
    """SHA-256 over the bytes of the source files (for manifests and caching)."""
    path = Path(path)
    h = hashlib.sha256()
    files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()
