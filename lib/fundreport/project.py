"""Where the project is: finding its root and resolving paths typed relative to it.

A notebook opened in JupyterLab runs with ``notebooks/`` as its working
directory, papermill and the CLI run from the project root; a params path such
as ``params/ezhou/2024M1-3.yaml`` must work from both.
"""

from __future__ import annotations

from pathlib import Path


def find_root(start: str | Path | None = None) -> Path:
    """The project folder: the first of ``start`` (default: cwd) and its parents holding params/ and notebooks/."""
    here = Path(start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        if (d / "params").is_dir() and (d / "notebooks" / "report.ipynb").is_file():
            return d
    pkg = Path(__file__).resolve().parents[2]
    if (pkg / "params").is_dir():
        return pkg
    return here


def resolve(path: str | Path, start: str | Path | None = None) -> Path:
    """An absolute path: as given when absolute; else under ``start`` (cwd) when it exists there, else under the root."""
    p = Path(path).expanduser()
    if p.is_absolute():
        return p
    base = Path(start or Path.cwd()).resolve()
    if (base / p).exists():
        return (base / p).resolve()
    return (find_root(base) / p).resolve()
