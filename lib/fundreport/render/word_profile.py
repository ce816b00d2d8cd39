"""Page and type profiles of the Word output, and the fonts the machine actually has.

``gbt9704`` follows GB/T 9704-2012 《党政机关公文格式》: A4; margins top 37 mm, bottom 35 mm,
left 28 mm, right 26 mm (版心 156 mm × 225 mm); 22 lines of 28 characters, so the line pitch is
225 mm / 22 ≈ 28.95 pt; title in 小标宋 二号 (22 pt); body 仿宋 三号 (16 pt); level-1 headings 黑体,
level-2 楷体; page numbers "— N —" in 四号 (14 pt), right on odd pages and left on even pages.
``compact`` keeps the fonts but sets 小四 body on 25 mm margins, for reports that are mostly tables.

Fonts: each role names the fonts a bureau PC has first (仿宋_GB2312, 方正小标宋简体, …) and then
fallbacks. The first one installed on this machine is used, so the document looks here as it will
look where it is printed; :func:`font_report` says which role fell back to what.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache

MM = 72 / 25.4  # points per millimetre

#: role -> fonts in order of preference (first: what 公文 asks for; last: what Debian's fonts-noto-cjk has)
FONTS: dict[str, tuple[str, ...]] = {
    "title": ("方正小标宋简体", "方正小标宋_GBK", "华文中宋", "宋体", "SimSun", "Noto Serif CJK SC"),
    "body": ("仿宋_GB2312", "仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC"),
    "heading1": ("黑体", "SimHei", "STHeiti", "Noto Sans CJK SC"),
    "heading2": ("楷体_GB2312", "楷体", "KaiTi", "STKaiti", "Noto Serif CJK SC"),
    "table": ("仿宋_GB2312", "仿宋", "FangSong", "Noto Serif CJK SC"),
    "table_head": ("黑体", "SimHei", "Noto Sans CJK SC"),
    "page_number": ("宋体", "SimSun", "Noto Serif CJK SC"),
}
LATIN = "Times New Roman"  # digits and Latin letters in 公文


@dataclass(frozen=True)
class Profile:
    """A Word page layout (millimetres, points) and type sizes (points)."""

    name: str
    margins_mm: tuple[float, float, float, float]  # top, bottom, left, right
    lines_per_page: int
    chars_per_line: int
    title_pt: float = 22.0  # 二号
    body_pt: float = 16.0  # 三号
    table_pt: float = 12.0  # 小四
    note_pt: float = 12.0
    page_number_pt: float = 14.0  # 四号
    page_mm: tuple[float, float] = (210.0, 297.0)  # A4

    @property
    def text_width_mm(self) -> float:
        return self.page_mm[0] - self.margins_mm[2] - self.margins_mm[3]

    @property
    def line_pitch_pt(self) -> float:
        """版心 height / lines: 225 mm / 22 = 28.95 pt for GB/T 9704."""
        return (self.page_mm[1] - self.margins_mm[0] - self.margins_mm[1]) * MM / self.lines_per_page


PROFILES = {
    "gbt9704": Profile("gbt9704", (37.0, 35.0, 28.0, 26.0), 22, 28),
    "compact": Profile(
        "compact",
        (25.0, 25.0, 25.0, 25.0),
        34,
        40,
        title_pt=18.0,
        body_pt=12.0,
        table_pt=10.5,
        note_pt=10.5,
        page_number_pt=10.5,
    ),  # fmt: skip
}


@cache
def installed_fonts() -> frozenset[str]:
    """Family names fontconfig knows on this machine (empty when fc-list is missing)."""
    exe = shutil.which("fc-list")
    if not exe:
        return frozenset()
    out = subprocess.run([exe, ":", "family"], capture_output=True, text=True, timeout=30).stdout
    return frozenset(name.strip() for line in out.splitlines() for name in line.split(","))


def font_for(role: str) -> str:
    """The first font of ``role`` installed here; the 公文 font itself when none is (Word substitutes)."""
    have = installed_fonts()
    return next((f for f in FONTS[role] if f in have), FONTS[role][0])


def font_report() -> list[str]:
    """One line per role whose 公文 font is not installed here: 正文：仿宋_GB2312 → Noto Serif CJK SC."""
    names = {"title": "标题", "body": "正文", "heading1": "一级标题", "heading2": "二级标题", "table": "表格",
             "table_head": "表头", "page_number": "页码"}  # fmt: skip
    return [f"{names[r]}：{FONTS[r][0]} → {font_for(r)}" for r in FONTS if font_for(r) != FONTS[r][0]]
