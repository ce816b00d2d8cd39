"""The layers stay visible and separate (docs/architecture.md): names, imports and where money is computed."""

from __future__ import annotations

import ast
import sys
from collections import defaultdict

from .conftest import ROOT

PKG = ROOT / "lib" / "fundreport"
MODULES = sorted(p for p in PKG.rglob("*.py"))
LAYERS = ("data", "figures", "text", "report", "render", "explore")


def tree(path):
    return ast.parse(path.read_text(encoding="utf-8"))


def imported(path) -> set[str]:
    """Modules and names a module imports at run time (imports for type checking only are left out)."""
    t = tree(path)
    typing_only = {
        id(n)
        for block in ast.walk(t)
        if isinstance(block, ast.If) and getattr(block.test, "id", "") == "TYPE_CHECKING"
        for n in ast.walk(block)
    }
    out = set()
    for node in ast.walk(t):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
    return out


def test_no_module_shadows_a_stdlib_module():
    clash = [str(p.relative_to(PKG)) for p in MODULES if p.stem in sys.stdlib_module_names]
    assert clash == []


def test_no_two_classes_share_a_name():
    where = defaultdict(list)
    for p in MODULES:
        for node in tree(p).body:
            if isinstance(node, ast.ClassDef):
                where[node.name].append(str(p.relative_to(PKG)))
    assert {k: v for k, v in where.items() if len(v) > 1} == {}


def test_every_layer_is_a_package():
    for layer in LAYERS:
        assert (PKG / layer / "__init__.py").is_file(), layer


def test_formulas_are_used_in_the_figures_layer_only():
    """indicators (the formulas) and Facts (raw lookups) are imported by the figures layer; others read measures."""
    allowed = {"figures", "explore"}  # the explorer shares one Facts index between contexts (a lookup, no formula)
    for p in MODULES:
        layer = p.relative_to(PKG).parts[0]
        if layer in allowed:
            continue
        uses = {m for m in imported(p) if m.startswith("fundreport.figures.indicators")}
        uses |= {m for m in imported(p) if m == "fundreport.figures.indicators" or m.endswith("figures.indicators")}
        assert not uses, f"{p.relative_to(PKG)} imports the formulas: read fundreport.figures.measures instead"


def test_lower_layers_do_not_import_higher_ones():
    order = {"data": 0, "text": 0, "figures": 1, "report": 2, "render": 3, "explore": 4}
    for p in MODULES:
        rel = p.relative_to(PKG).parts
        if rel[0] not in order:
            continue
        for m in imported(p):
            parts = m.split(".")
            if parts[0] == "fundreport" and len(parts) > 1 and parts[1] in order:
                assert order[parts[1]] <= order[rel[0]] or parts[1] == rel[0], f"{'/'.join(rel)} imports {m}"
