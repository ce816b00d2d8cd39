"""Remembered table text widths (render/weasy_widths.py): same PDF bytes, fewer Pango layouts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

weasyprint = pytest.importorskip("weasyprint")

from fundreport.render import pdf, weasy_widths  # noqa: E402

LABELS = [
    "城镇职工基本医疗保险",
    "城乡居民基本医疗保险",
    "统筹基金",
    "个人账户",
    "生育保险",
    "住院合计（含门诊慢特病）",
]
STYLES = ["", "font-weight:bold", "font-size:9pt", "letter-spacing:0.1em", "white-space:nowrap", "word-break:break-all"]


def _html(n: int) -> str:
    """Tables whose labels repeat in several text styles, with numbers that differ between documents."""
    rows = []
    for i, label in enumerate(LABELS * 3):
        style = STYLES[i % len(STYLES)]
        rows.append(
            f'<tr><th style="{style}">{label}</th><td>{1234.5 * (i + n):,.2f}</td>'
            f'<td style="{style}">同比增长{i + n}.5%，较上年同期增加{i}个百分点</td></tr>'
        )
    table = "<table><thead><tr><th>险种</th><th>金额（万元）</th><th>说明</th></tr></thead>" + "".join(rows)
    return (
        '<html lang="zh-CN"><head><style>body{font-family:"Noto Sans CJK SC";font-size:10.5pt}'
        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 4px}</style></head>"
        f"<body><h1>报告 {n}</h1>{table}</table><p>{'医保基金运行平稳。' * 40}</p></body></html>"
    )


def _pdf(html: str, path: Path) -> bytes:
    pdf._weasyprint(html, path)
    return path.read_bytes()


def test_text_properties_cover_what_weasyprint_reads():
    """Every style property WeasyPrint's text code reads is part of the key (checked on the installed
    version, so an upgrade that reads a new property fails here instead of reusing a wrong width)."""
    text_dir = Path(weasyprint.__file__).parent / "text"
    read = set()
    for source in text_dir.glob("*.py"):
        read |= set(re.findall(r"style\[['\"]([a-z_]+)['\"]\]", source.read_text(encoding="utf-8")))
    assert read, "no style reads found: WeasyPrint's text code moved"
    assert read <= set(weasy_widths.TEXT_PROPERTIES), sorted(read - set(weasy_widths.TEXT_PROPERTIES))


def test_remembered_widths_give_the_same_pdf(monkeypatch, tmp_path):
    from weasyprint.layout import preferred

    pdf._font_config()  # installs the memory
    assert weasy_widths.install()
    remembered = preferred.split_first_line
    assert remembered.__wrapped__ is not remembered
    # Without the memory: WeasyPrint's own function.
    monkeypatch.setattr(preferred, "split_first_line", remembered.__wrapped__)
    plain = [_pdf(_html(n), tmp_path / f"plain{n}.pdf") for n in (1, 2)]
    monkeypatch.setattr(preferred, "split_first_line", remembered)
    weasy_widths.forget()
    cold = [_pdf(_html(n), tmp_path / f"cold{n}.pdf") for n in (1, 2)]  # second document reuses widths
    assert len(weasy_widths._widths) > 0
    warm = [_pdf(_html(n), tmp_path / f"warm{n}.pdf") for n in (1, 2)]
    assert plain == cold == warm


def test_remembered_widths_save_layouts(monkeypatch, tmp_path):
    """The second identical document lays out no table text for its min/max-content widths."""
    from weasyprint.layout import preferred

    assert weasy_widths.install()
    original = preferred.split_first_line.__wrapped__
    calls = []

    def counting(*args, **kwargs):
        calls.append(args[0])
        return original(*args, **kwargs)

    # The memory around a counting copy of WeasyPrint's function.
    monkeypatch.setattr(preferred, "split_first_line", weasy_widths._remembering(counting))
    weasy_widths.forget()
    _pdf(_html(1), tmp_path / "a.pdf")
    first = len(calls)
    _pdf(_html(1), tmp_path / "b.pdf")
    assert first > 100
    assert len(calls) == first


def test_font_face_empties_the_memory(tmp_path):
    from weasyprint.text.fonts import FontConfiguration

    assert weasy_widths.install()
    weasy_widths._widths[("x",)] = (None, 0, None, 1.0, 1.0, 1.0)
    try:
        FontConfiguration.add_font_face(pdf._font_config(), [], None)
    except Exception:  # noqa: BLE001 - empty descriptors may be refused; the memory must be empty anyway
        pass
    assert ("x",) not in weasy_widths._widths


def test_font_configuration_is_dropped_before_shutdown():
    """The per-process font configuration is released by an exit handler, while modules still work: left
    to interpreter shutdown, its __del__ (which removes its font folder with shutil) can find shutil gone
    and print "Exception ignored in FontConfiguration.__del__" after a render or a test run."""
    import subprocess
    import sys

    code = (
        "import atexit, os, tempfile\nfrom fundreport.render import pdf\n"
        "folder = tempfile.mkdtemp()\npdf._font_config()._folder = folder  # as after an @font-face rule\n"
        "atexit._run_exitfuncs()\n"
        "print(pdf._font_config.cache_info().currsize, os.path.exists(folder))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["0", "False"], proc.stdout
    assert "Exception ignored" not in proc.stderr, proc.stderr
