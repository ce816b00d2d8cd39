"""What happened to one params file: one row of the manifest, the index, and each report folder's report.json.

No third-party imports: the render cache reads earlier results before anything heavy is loaded.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

STALE_DIR = "stale"
"""Where the outputs of an earlier run go when the report's inputs become invalid (``<slug>/stale/``)."""

OUTPUT_NAMES = {
    "ipynb": "report.ipynb",
    "html": "report.html",
    "pdf": "report.pdf",
    "docx": "report.docx",
    "xlsx": "report.xlsx",
}


@dataclass
class RenderResult:
    """What happened to one params file (also one row of outputs/manifest.json)."""

    params: str  # path relative to the project root
    slug: str = ""
    region: str = ""
    region_name: str = ""
    period: str = ""
    period_label: str = ""
    status: str = "pending"  # ok | invalid | failed
    error: str = ""
    params_hash: str = ""
    data_hash: str = ""
    seconds: dict[str, float] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)  # kind -> path relative to outputs/
    # outputs of an earlier run whose inputs are now invalid, moved aside: kind -> path relative to outputs/
    stale: dict[str, str] = field(default_factory=dict)
    key_figures: list[dict] = field(default_factory=list)
    flags: list[dict] = field(default_factory=list)
    # hash of everything the outputs depend on (fundreport.render.cache.inputs_key); equal on a later run:
    # the report is not rendered again
    inputs_key: str = ""
    reused: bool = False  # this run took the outputs of an earlier run with the same inputs_key

    def to_json(self) -> dict:
        return asdict(self)
