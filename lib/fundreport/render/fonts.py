"""Chinese (CJK) fonts for charts, HTML and PDF.

:func:`cjk_font_preflight` finds an installed font that covers Chinese (fontconfig first, as WeasyPrint
and Chromium use it; matplotlib's font list otherwise) and fails with an install hint when there is
none, instead of a report full of tofu boxes. :func:`configure_matplotlib` points matplotlib at it.
"""

from __future__ import annotations

import shutil
import subprocess

INSTALL_HINT = "install fonts-noto-cjk: apt-get install fonts-noto-cjk"

# Most preferred first: simplified-Chinese sans faces, then other CJK faces that still cover hanzi.
PREFERRED = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "Microsoft YaHei",
    "PingFang SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Heiti SC",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
    "Source Han Sans CN",
    "Droid Sans Fallback",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
)
# matplotlib does not know which languages a font covers; these name fragments mark CJK fonts.
_CJK_NAME_HINTS = ("cjk", "han sans", "han serif", "yahei", "pingfang", "wenquanyi", "simhei", "simsun", "heiti", " sc")


class FontError(RuntimeError):
    """No font that can render Chinese is installed."""


def _fontconfig_families() -> list[str]:
    """Families fontconfig says cover Chinese. (fc-match always answers, even with a Latin font.)"""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return []
    try:
        out = subprocess.run(
            [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    families = {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}
    return sorted(families)


def _matplotlib_families() -> list[str]:
    """Families matplotlib has registered whose names look like CJK fonts."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return sorted(n for n in names if any(h in n.lower() for h in _CJK_NAME_HINTS))


def _pick(families: list[str]) -> str | None:
    """The most preferred family; else any sans (non-mono) face; else the first by name."""
    if not families:
        return None
    for name in PREFERRED:
        if name in families:
            return name
    plain = [f for f in families if "mono" not in f.lower()]
    sans = [f for f in plain if "serif" not in f.lower()]
    return (sans or plain or families)[0]


def cjk_font_preflight() -> str:
    """Return the family name of an installed Chinese font, preferring Noto Sans CJK SC.

    Raises FontError when neither fontconfig nor matplotlib knows one.
    """
    family = _pick(_fontconfig_families()) or _pick(_matplotlib_families())
    if family is None:
        raise FontError(f"no Chinese (CJK) font found; {INSTALL_HINT}")
    return family


def matplotlib_rc() -> dict:
    """rcParams that make matplotlib draw Chinese with the installed CJK font (to use in an rc_context).

    font.family "sans-serif" with the CJK family first in font.sans-serif; the Unicode minus sign off
    (not every CJK font has U+2212); a fixed SVG id salt so SVG output is reproducible. Nothing global
    is changed: callers apply the dict inside ``matplotlib.rc_context``.
    """
    import matplotlib

    known = _matplotlib_families()
    family = cjk_font_preflight()
    if family not in known:
        # fontconfig may know a face matplotlib has not registered (or names it differently).
        family = _pick(known) or ""
        if not family:
            raise FontError(f"no Chinese (CJK) font known to matplotlib; {INSTALL_HINT}")
    others = [f for f in matplotlib.rcParamsDefault["font.sans-serif"] if f != family]
    return {
        "font.family": ["sans-serif"],
        "font.sans-serif": [family, *others],
        "axes.unicode_minus": False,
        "svg.hashsalt": "fundreport",
    }


def configure_matplotlib() -> str:
    """Apply :func:`matplotlib_rc` globally (for an analyst's own plots in a notebook); returns the family.

    The report's charts do not need this: they use the rc dict inside a context.
    """
    import matplotlib

    rc = matplotlib_rc()
    matplotlib.rcParams.update(rc)
    return rc["font.sans-serif"][0]
