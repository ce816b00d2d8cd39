"""Privacy: small cells of tables by sub-region are suppressed, and no personal identifier of the
settlement detail reaches any output (HTML, PDF, Word, Excel, index, manifest, JSON) or message."""

from __future__ import annotations

import csv
import html
import shutil
import subprocess
import zipfile
from pathlib import Path

from fundreport import cli
from fundreport.report import privacy
from fundreport.report.model import Table

from .conftest import ROOT
from .test_render import need

SAMPLE = Path("data/samples/ezhou/2024M1-3")
PARAMS = Path("params/ezhou/2024M1-3.yaml")
# district -> persons with one stay each in 2024 (and in 2023): 梁子湖区 is small
DISTRICTS = {"420702": ("鄂城区", 15), "420703": ("华容区", 12), "420704": ("梁子湖区", 3)}


def test_one_small_row_takes_the_next_smallest_with_it():
    rows = [("a", 15, 100.0), ("b", 12, 80.0), ("c", 3, 20.0)]
    out, n = privacy.suppress(rows, lambda r: r[1], (1, 2), 10)
    assert n == 2  # c (3 < 10) and, so that c is not total − a − b, the next smallest: b
    assert out[0] == rows[0] and out[1][0] == "b" and all(getattr(v, "label", None) == "*" for v in out[1][1:])
    assert [getattr(v, "label", None) for v in out[2]] == [None, "*", "*"]
    two, n = privacy.suppress([*rows[:2], ("c", 3, 20.0), ("d", 4, 1.0)], lambda r: r[1], (1, 2), 10)
    assert n == 2 and two[1] == rows[1]  # two small rows already hide each other
    assert privacy.suppress(rows, lambda r: r[1], (1, 2), 0) == (tuple(rows), 0)  # 0: nothing hidden
    unknown, n = privacy.suppress([("a", None, 5.0), ("b", 50, 9.0), ("c", 40, 1.0)], lambda r: r[1], (1, 2), 10)
    assert n == 2 and getattr(unknown[0][2], "label", None) == "*"  # no count: not assumed safe


def _project(root: Path) -> tuple[Path, list[str]]:
    """The 鄂州 project with three districts and its 2024/2023 住院 rows aggregated from detail whose
    人员编号 and 结算ID look like real ones; returns the project and those identifiers."""
    shutil.copytree(ROOT / SAMPLE, root / SAMPLE)
    (root / PARAMS).parent.mkdir(parents=True)
    shutil.copy(ROOT / PARAMS, root / PARAMS)
    shutil.copy(ROOT / "params" / "_defaults.yaml", root / "params" / "_defaults.yaml")
    (root / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / "report.ipynb", root / "notebooks")
    with (root / SAMPLE / "regions.csv").open("a", encoding="utf-8", newline="") as fh:
        for code, (name, _) in DISTRICTS.items():
            fh.write(f"{code},{name},区,420700,,\n")
    ids, rows = [], []
    for year in ("2024", "2023"):
        for code, (_, n) in DISTRICTS.items():
            for i in range(n):
                psn, setl = f"42070{code[-1]}19800101{i:04d}", f"SETL{year}{code}{i:06d}"
                ids += [psn, setl]
                rows.append([setl, psn, "310", "21", "2", f"{year}-0{i % 3 + 1}-10", f"{5000 + 10 * i}.00", "4000", "3000", "0",
                             code, code])  # fmt: skip
    detail = root / "detail.csv"
    with detail.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["setl_id", "psn_no", "insutype", "med_type", "hosp_lv", "setl_time", "medfee_sumamt",
                    "inscp_scp_amt", "hifp_pay", "refd_setl_flag", "insu_admdvs", "mdtrt_admdvs"])  # fmt: skip
        w.writerows(rows)
    return root, ids


def test_small_districts_are_suppressed_in_the_report(tmp_path, monkeypatch):
    from fundreport.report.build import report_from_params

    root, _ = _project(tmp_path)
    assert cli.main(["aggregate", str(root / "detail.csv"), "--out", str(root / SAMPLE), "--period", "2024M1-3",
                     "--period", "2023M1-3"]) == 0  # fmt: skip
    monkeypatch.chdir(root)
    report = report_from_params(str(PARAMS))
    section = next(s for s in report.sections if s.code == "subregions")
    table = next(b for b in section.blocks if isinstance(b, Table) and b.title == "各地区职工医保住院待遇情况")
    rows = {r[0]: r for r in table.rows}
    assert rows["鄂城区"][1:3] == (15, 15)
    assert all(getattr(v, "label", None) == "*" for name in ("华容区", "梁子湖区") for v in rows[name][1:3])
    assert rows["合计"][1:3] == (30, 30)  # the city is shown: 30 persons cannot be traced to one
    assert privacy.note(10) in table.note
    # min_cell_persons: 0 shows every row
    (root / PARAMS).write_text((root / PARAMS).read_text(encoding="utf-8") + "min_cell_persons: 0\n", encoding="utf-8")
    report = report_from_params(str(PARAMS))
    section = next(s for s in report.sections if s.code == "subregions")
    table = next(b for b in section.blocks if isinstance(b, Table) and b.title == "各地区职工医保住院待遇情况")
    assert {r[0]: r[1] for r in table.rows}["梁子湖区"] == 3


def _texts(path: Path) -> str:
    """What a file says: PDF text, the XML of a .docx/.xlsx, or the bytes as UTF-8."""
    if path.suffix == ".pdf":
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    if path.suffix in (".docx", ".xlsx"):
        with zipfile.ZipFile(path) as z:
            # XML text, character references resolved (openpyxl writes CJK as &#NNNNN;)
            return html.unescape("".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()))
    return path.read_bytes().decode("utf-8", "replace")


def test_no_identifier_reaches_any_output_or_message(tmp_path, capsys):
    need("pdftotext")
    root, ids = _project(tmp_path)
    assert cli.main(["aggregate", str(root / "detail.csv"), "--out", str(root / SAMPLE), "--period", "2024M1-3",
                     "--period", "2023M1-3"]) == 0  # fmt: skip
    code = cli.main(["--root", str(root), "render", "--formats", "html,pdf,docx,xlsx", "--jobs", "1"])
    printed = capsys.readouterr()
    assert code == 0, printed.out + printed.err
    files = [p for p in (root / "outputs").rglob("*") if p.is_file()] + [root / SAMPLE / "utilisation.csv"]
    assert {p.suffix for p in files} >= {".html", ".pdf", ".docx", ".xlsx", ".json"}
    texts = {p: _texts(p) for p in files} | {Path("<stdout/stderr>"): printed.out + printed.err}
    # the extraction reads each format: the district table is in every rendered report
    for suffix in (".html", ".pdf", ".docx", ".xlsx"):
        assert any("鄂城区" in t for p, t in texts.items() if p.suffix == suffix), suffix
    leaks = sorted({f"{p.name}: {i}" for p, t in texts.items() for i in ids if i in t})
    assert not leaks, leaks[:10]
    # a bad value in a row is located by row number, never by the identifier of that row
    broken = (root / "detail.csv").read_text(encoding="utf-8").replace(",5000.00,", ",五千,", 1)
    (root / "bad.csv").write_text(broken, encoding="utf-8")
    assert cli.main(["aggregate", str(root / "bad.csv"), "--out", str(tmp_path / "nowhere")]) != 0
    printed = capsys.readouterr()
    assert "第2行" in printed.out + printed.err
    assert not [i for i in ids if i in printed.out + printed.err]
