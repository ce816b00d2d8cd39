"""The reference part of docs/data.md, generated from the table specs and vocabularies.

``python -m fundreport.data.contract_doc`` rewrites the part of docs/data.md
between the markers; a test fails when the file is out of date, so the
documentation cannot drift from the code.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fundreport.data import vocab
from fundreport.data.tables import TABLES

BEGIN = "<!-- BEGIN GENERATED REFERENCE (python -m fundreport.data.contract_doc) -->"
END = "<!-- END GENERATED REFERENCE -->"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_reference() -> str:
    out: list[str] = ["## Tables", ""]
    for t in TABLES:
        out.append(f"### {t.label} (`{t.code}.csv`){' — required' if t.required else ''}")
        out.append("")
        out.append(t.help)
        out.append("")
        out.append("| column | code | type | required | notes |")
        out.append("|---|---|---|---|---|")
        for c in t.columns:
            kind = f"{vocab.ALL[c.vocab].label} (`{c.vocab}`)" if c.vocab else c.kind
            if c.code == "subject":
                kind = "subject"
            req = "yes" if c.required else (f"no (default {c.default})" if c.default else "no")
            out.append(f"| {c.label} | `{c.code}` | {kind} | {req} | {_cell(c.help)} |")
        out.append("")
        out.append(f"Key: {', '.join(f'`{k}`' for k in t.key)}. Example: `{' | '.join(t.example)}`")
        out.append("")
    out += ["## Vocabularies", ""]
    for v in vocab.ALL.values():
        out.append(f"### {v.label} (`{v.name}`)")
        out.append("")
        out.append("| code | label | also accepted | part of | notes |")
        out.append("|---|---|---|---|---|")
        for term in v.terms:
            notes = []
            if term.inter_level:
                notes.append("上下级往来, excluded from totals")
            if v.name == "unit":
                notes.append(f"{term.kind}, × {term.factor:g}")
            elif term.kind:
                notes.append(term.kind)
            aliases = "、".join(a for a in term.aliases if a)
            out.append(
                f"| `{term.code}` | {term.label} | {_cell(aliases)} | {term.parent or ''} | {'; '.join(notes)} |"
            )
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def update(path: Path) -> bool:
    """Rewrite the generated part of ``path``; True if it changed."""
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    new = f"{head}{BEGIN}\n\n{render_reference()}\n{END}{tail}"
    if new != text:
        path.write_text(new, encoding="utf-8")
        return True
    return False


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/data.md")
    print("updated" if update(target) else "up to date")
