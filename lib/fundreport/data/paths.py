"""Where params files are and where their outputs go (no third-party imports: the render cache and the
command line use these before anything heavy is loaded)."""

from __future__ import annotations

from pathlib import Path

DEFAULTS_NAME = "_defaults.yaml"

OUTPUT_FORMATS: tuple[str, ...] = ("html", "pdf", "docx", "xlsx")
"""What ``fundreport render`` can write per report (params ``outputs``, ``--formats``)."""


def merge_defaults(base: dict, over: dict) -> dict:
    """A params mapping over ``params/_defaults.yaml``, key by key and into nested mappings (a file's
    ``thresholds.months_bands`` keeps the defaults' other thresholds). The one merge of the loader and the
    render cache, so both read the same params."""
    out = dict(base)
    for k, v in over.items():
        out[k] = merge_defaults(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def slug_for(path: Path, root: Path) -> str:
    """The output folder name of a params file even when it cannot be parsed (params/a/b.yaml → a/b)."""
    try:
        return str(Path(path).resolve().relative_to(Path(root).resolve() / "params").with_suffix(""))
    except ValueError:
        return ""


def iter_params_files(paths: list[str | Path] | None, root: Path) -> list[Path]:
    """Params files named on the command line, or every *.yaml under root/params."""
    if not paths:
        paths = [root / "params"]
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(
                sorted(f for f in (*p.rglob("*.yaml"), *p.rglob("*.yml")) if not f.name.startswith("_defaults."))
            )
        else:
            found.append(p)
    return found
