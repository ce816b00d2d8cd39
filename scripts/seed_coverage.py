"""How many of the figures transcribed from each seed report reach the rendered report.

Every number in a sample dataset (data/samples/<city>/<period>/*.csv, the 数值 column and the 报告数值
table) was transcribed from the seed report. A figure counts as printed when the digits as transcribed
(thousands separators and trailing zeros ignored) appear in the report's text: paragraphs, table cells,
key figures and flags, as the HTML renderer formats them. A figure printed in another unit (亿元 data
shown in 万元) is not found by this count, so it is a lower bound; it is meant for comparing versions.

    .venv/bin/python scripts/seed_coverage.py            # this tree
    PYTHONPATH=/tmp/old/lib .venv/bin/python scripts/seed_coverage.py --root /tmp/old   # another version
"""

from __future__ import annotations

import argparse
import csv
import re
from decimal import Decimal
from pathlib import Path


def _digits(text: str) -> str | None:
    text = text.strip().replace(",", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return None
    d = Decimal(text)
    if d == 0:
        return None
    s = format(d.normalize(), "f").lstrip("-")
    return s if len(s.replace(".", "")) >= 3 else None  # 1- and 2-digit numbers match anything


MONEY = {"元": Decimal(1), "万元": Decimal(10) ** 4, "亿元": Decimal(10) ** 8}


def figures(folder: Path, money_unit: str) -> list[tuple[str, ...]]:
    """Each transcribed figure as the digit strings that count as printing it: as written, and for money
    also converted to the report's money unit rounded to 2 decimals (亿元 data in a 万元 report)."""
    out = {}
    for path in folder.glob("*.csv"):
        if path.stem in ("regions", "meta"):
            continue
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                unit = row.get("单位") or row.get("金额单位") or ""
                for key in ("数值", "预算数", "人次", "人数", "总费用", "政策范围内费用", "基金支付"):
                    d = _digits(row.get(key) or "")
                    if not d:
                        continue
                    forms = [d]
                    if unit in MONEY and key not in ("人次", "人数"):
                        converted = Decimal(d) * MONEY[unit] / MONEY[money_unit]
                        forms.append(format(round(converted, 2).normalize(), "f"))
                    out[(path.stem, d)] = tuple(forms)
    return list(out.values())


def printed(report) -> str:
    from fundreport.text.narrative import fmt_cell

    parts = []
    for sec in report.sections:
        for k in sec.key_figures:
            parts.append(f"{k.value} {k.sub}")
        for f in sec.flags:
            parts.append(f.text)
        for b in sec.blocks:
            if getattr(b, "text", None):
                parts.append(b.text)
            for row in getattr(b, "rows", ()):
                parts += [fmt_cell(v, c.fmt, unit=report.money_unit) for v, c in zip(row, b.columns, strict=False)]
            for p in getattr(b, "paragraphs", ()):
                parts.append(str(p))
    text = " ".join(parts).replace(",", "")
    # numbers as printed, without trailing zeros of their decimals (120197.00 → 120197)
    return " ".join(format(Decimal(m).normalize(), "f") for m in re.findall(r"\d+(?:\.\d+)?", text))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    ap.add_argument("--missing", action="store_true", help="list the figures not found")
    args = ap.parse_args()
    from fundreport.report.build import report_from_params

    total_in, total_out = 0, 0
    for params in sorted((args.root / "params").rglob("*.yaml")):
        if params.name.startswith("_"):
            continue
        report = report_from_params(str(params))
        text = set(printed(report).split())
        folder = args.root / "data" / "samples" / params.parent.name / params.stem
        seeds = figures(folder, report.money_unit)
        found = [forms for forms in seeds if any(f in text for f in forms)]
        total_in, total_out = total_in + len(seeds), total_out + len(found)
        print(f"{params.parent.name}/{params.stem}: {len(found)} of {len(seeds)} figures printed")
        if args.missing:
            print("  not found:", " ".join(forms[0] for forms in seeds if forms not in found))
    print(f"all: {total_out} of {total_in}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
