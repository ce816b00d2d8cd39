"""A report whose params name settlement detail (``detail:``): its 医疗待遇 table summed from the records.

With ::

    data: data/ezhou/2024M1-3          # a CSV folder: fund statements, enrolment, regions …
    detail:
      files: [extracts/2024, extracts/2023]
      mapping: params/codes.yaml       # optional, see docs/detail.md

the report reads a copy of the dataset whose ``utilisation.csv`` holds the rows aggregated from the detail
for the report period and its comparison (:func:`fundreport.data.aggregate.utilisation_rows`; rows of the
same key replace the dataset's, others are kept), exactly as after ``fundreport aggregate``, without
writing into the dataset itself. The copy lives in ``.cache/fundreport/detail/<key>/`` under the project,
named by a hash of the dataset's files, the detail files (name, size and modification time: extracts are
large and written once), the mapping file, the periods and the aggregation's code; a second report, or
process, with the same inputs reads it without aggregating again. It is written to a temporary folder and
renamed, so a reader never sees half of it. Bad detail (unparseable values, unmapped codes, unknown
regions) is an error of the params file's check, like bad data, and nothing is rendered.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path

from fundreport.data.params import LoadedParams, detail_paths
from fundreport.errors import InputError, Issue

CACHE = Path(".cache") / "fundreport" / "detail"
SUMMARY = ".detail-summary.json"  # what the aggregation read and left out, beside the derived tables


def _periods(loaded: LoadedParams) -> list[str]:
    """The report period and, when compared, the same months a year earlier, under the codes the dataset
    already uses for those months."""
    from fundreport.data.aggregate import dataset_periods

    p = loaded.params.report_period
    wanted = [p, p.comparison] if loaded.params.comparison == "previous_year" else [p]
    known = dataset_periods(loaded.source_path)
    return [known.get((q.year, q.start_month, q.end_month), q).code for q in wanted]


def _code_digest() -> str:
    base = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for name in (
        "aggregate.py",
        "detail.py",
        "settlements.py",
        "into_dataset.py",
        "tables.py",
        "vocab.py",
        "from_detail.py",
    ):
        h.update((base / name).read_bytes())
    return h.hexdigest()


def detail_key(loaded: LoadedParams) -> str:
    """The hash naming the derived dataset (see the module docstring)."""
    h = hashlib.sha256()
    source = loaded.source_path
    for f in sorted(p for p in source.rglob("*") if p.is_file()) if source.is_dir() else [source]:
        h.update(b"data\0" + f.relative_to(source).as_posix().encode() + b"\0" + f.read_bytes())
    from fundreport.data.detail import detail_files

    for f in detail_files(detail_paths(loaded)):
        st = f.stat()
        h.update(f"detail\0{f.resolve()}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    spec = loaded.params.detail
    if spec is not None and spec.mapping:
        h.update(b"mapping\0" + (loaded.root / spec.mapping).read_bytes())
    h.update(f"partial\0{spec.partial if spec else False}\0".encode())
    h.update(("periods\0" + ",".join(_periods(loaded)) + "\0code\0" + _code_digest()).encode())
    return h.hexdigest()[:24]


def derived_path(loaded: LoadedParams) -> Path:
    """Where the dataset with the detail's rows is (or will be) written."""
    return loaded.root / CACHE / detail_key(loaded)


def prepare(loaded: LoadedParams) -> Path:
    """The derived dataset of a params file with ``detail:``, aggregated now unless already there; raises
    :class:`InputError` for bad detail (naming its files, rows and columns) or a dataset that is not a CSV
    folder."""
    spec = loaded.params.detail
    if spec is None:
        return loaded.source_path
    source = loaded.source_path
    if not source.is_dir():
        raise InputError([Issue(str(loaded.path), "使用结算明细（detail）时，数据集应为 CSV 文件夹", key="data",
                                value=loaded.params.data, expected="含 regions.csv 等表的文件夹")])  # fmt: skip
    target = derived_path(loaded)
    if target.is_dir():
        return target
    from fundreport.data.aggregate import aggregate

    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        for f in source.iterdir():
            if f.is_file():
                shutil.copy2(f, work / f.name)
        mapping = loaded.root / spec.mapping if spec.mapping else None
        summary = aggregate(detail_paths(loaded), work, periods=_periods(loaded), mapping_path=mapping,
                            memory_limit=spec.memory_limit, partial=spec.partial)  # fmt: skip
        (work / SUMMARY).write_text(json.dumps(asdict(summary), ensure_ascii=False, indent=1), encoding="utf-8")
        try:
            os.rename(work, target)
        except OSError:  # another process wrote the same inputs first: theirs is as good
            if not target.is_dir():
                raise
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return target


def detail_summary(loaded: LoadedParams):
    """The :class:`~fundreport.data.aggregate.Summary` of the params file's detail as it was aggregated
    (None without ``detail:`` or before :func:`prepare`)."""
    from fundreport.data.aggregate import Summary

    if loaded.params.detail is None:
        return None
    path = derived_path(loaded) / SUMMARY
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Summary(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})
