"""Writing Office Open XML packages (.docx, .xlsx) so that identical reports give identical bytes.

python-docx and openpyxl stamp each zip entry with the time of saving; :func:`normalised` rewrites
the package with one fixed entry time (1980-01-01, the zip epoch) and the entries in their original
order, and :func:`write_package` writes it atomically (a reader sees the old file or the new one).
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

from fundreport.atomic import atomic_path

EPOCH = (1980, 1, 1, 0, 0, 0)


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def normalised(data: bytes, modified: str | None = None) -> bytes:
    """The package with fixed entry times and deflate compression; ``modified`` (W3CDTF, e.g.
    ``2024-03-31T00:00:00Z``) replaces the save time some writers put in docProps/core.xml."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            content = src.read(info.filename)
            if modified and info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + modified.encode() + rb"\g<2>", content)
            dst.writestr(entry, content)
    return out.getvalue()


def write_package(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write a normalised package atomically; returns the path."""
    path = Path(path)
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        fh.write(normalised(data))
        fh.flush()
        os.fsync(fh.fileno())
    return path
