"""The marked sections of docs/performance.md that each benchmark owns (``<!-- NAME-bench:start -->`` …
``<!-- NAME-bench:end -->``): one benchmark replaces its own section and leaves the others as they are."""

from __future__ import annotations

from pathlib import Path


def markers(name: str) -> tuple[str, str]:
    return f"<!-- {name}-bench:start -->", f"<!-- {name}-bench:end -->"


def replace_section(path: Path, name: str, text: str) -> None:
    """Put ``text`` (which starts and ends with the markers of ``name``) in place of that section, or
    append it when the file has none."""
    start, end = markers(name)
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if start in old and end in old:
        new = old[: old.index(start)] + text + old[old.index(end) + len(end) + 1 :]
    else:
        new = old.rstrip("\n") + "\n\n" + text
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new, encoding="utf-8")


def kept_sections(old: str, names: tuple[str, ...]) -> str:
    """The marked sections of ``names`` found in ``old``, to carry over when a file is rewritten."""
    out = []
    for name in names:
        start, end = markers(name)
        if start in old and end in old:
            out.append(old[old.index(start) : old.index(end) + len(end)])
    return "\n\n".join(out)


def publish(path: Path | None, name: str, text: str) -> None:
    """Write the section into ``path`` (``--write``), or print it when no file is given."""
    if path:
        replace_section(path, name, text)
        print(f"wrote {path}")
    else:
        print(text)
