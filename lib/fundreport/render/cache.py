"""Not rendering again what has not changed.

A report's outputs depend on: its params file, ``params/_defaults.yaml``, the data files its ``data``
key names, the master notebook, the library's code and templates, the formats asked for and the PDF
engine. :func:`inputs_key` hashes all of them (SHA-256); :func:`reusable` returns the earlier run's
result from ``outputs/<slug>/report.json`` when it succeeded with the same key and all its files are
still there. Only the standard library and PyYAML are imported, so an unchanged batch answers before
pandas, papermill or WeasyPrint load.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

import yaml

import fundreport
from fundreport.data.paths import DEFAULTS_NAME, merge_defaults, slug_for
from fundreport.render.result import RenderResult

RESULT_NAME = "report.json"
DEFAULT_FORMATS = ("html", "pdf")


@cache
def code_digest() -> str:
    """SHA-256 over the library's .py files and templates (names and bytes), once per process."""
    base = Path(fundreport.__file__).resolve().parent
    h = hashlib.sha256()
    for f in sorted(p for p in base.rglob("*") if p.is_file() and p.suffix in {".py", ".j2", ".css", ".json", ".docx"}):
        h.update(f.relative_to(base).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def _yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def _data_files(target: Path) -> list[Path]:
    if target.is_dir():
        return sorted(p for p in target.rglob("*") if p.is_file())
    return [target] if target.is_file() else []


def _detail_stamp(root: Path, spec) -> bytes:
    """The ``detail:`` key's inputs: each detail file's name, size and modification time (extracts are large
    and written once; reading them to hash would cost as much as aggregating), the mapping file's bytes."""
    if not isinstance(spec, dict):
        return b""
    out = []
    for text in spec.get("files") or []:
        path = Path(str(text)) if Path(str(text)).is_absolute() else root / str(text)
        found = sorted([*path.glob("*.csv"), *path.glob("*.parquet")]) if path.is_dir() else [path]
        for f in found:
            st = f.stat() if f.exists() else None
            out.append(f"{f}\0{st.st_size if st else -1}\0{st.st_mtime_ns if st else -1}")
    mapping = spec.get("mapping")
    if isinstance(mapping, str) and (root / mapping).is_file():
        out.append((root / mapping).read_text(encoding="utf-8", errors="replace"))
    return ("detail\0" + "\0".join(out)).encode() if out else b""


def inputs_key(
    params_path: Path, root: Path, *, notebook: Path | None, formats: tuple[str, ...] | None, pdf_engine: str
) -> str | None:
    """The hash of everything the report's outputs depend on; None when it cannot be told (no data)."""
    params_path, root = Path(params_path).resolve(), Path(root).resolve()
    defaults = root / "params" / DEFAULTS_NAME
    merged = merge_defaults(_yaml(defaults) if defaults.exists() else {}, _yaml(params_path))
    data = merged.get("data")
    if not isinstance(data, str) or not data:
        return None
    target = Path(data) if Path(data).is_absolute() else root / data
    files = _data_files(target)
    if not files:
        return None
    wanted = formats or tuple(merged.get("outputs") or DEFAULT_FORMATS)
    h = hashlib.sha256()
    for label, path in (("params", params_path), ("defaults", defaults), *(("data", f) for f in files)):
        h.update(label.encode() + b"\0" + str(path.name).encode() + b"\0")
        h.update(path.read_bytes() if path.exists() else b"")
    h.update(_detail_stamp(root, merged.get("detail")))
    nb = Path(notebook) if notebook else root / "notebooks" / "report.ipynb"
    h.update(b"notebook\0" + (nb.read_bytes() if nb.exists() else b""))
    h.update(f"code\0{code_digest()}\0formats\0{','.join(wanted)}\0engine\0{pdf_engine}".encode())
    return h.hexdigest()


def reusable(params_path: Path, root: Path, out_root: Path, key: str | None) -> RenderResult | None:
    """The earlier successful result of this params file when its inputs key equals ``key`` and every
    output it lists still exists; else None."""
    if not key:
        return None
    slug = slug_for(Path(params_path), Path(root))
    path = Path(out_root) / slug / RESULT_NAME if slug else None
    if path is None or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        old = RenderResult(**{k: v for k, v in data.items() if k in RenderResult.__dataclass_fields__})
    except (OSError, ValueError, TypeError):
        return None
    if old.status != "ok" or old.inputs_key != key or old.stale:
        return None
    if not old.outputs or not all((Path(out_root) / rel).is_file() for rel in old.outputs.values()):
        return None
    old.reused = True
    return old
