"""Rendering the five samples end to end: notebook → HTML → PDF, batch behaviour, atomic outputs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from fundreport import cli
from fundreport.data.params import iter_params_files
from fundreport.render import one as render
from fundreport.render.batch import render_all
from fundreport.render.export import external_urls

from .conftest import ROOT

CI = os.environ.get("CI") == "true"

# A sentence (with its figures) each sample report must state, in the HTML and in the PDF text.
KEY_SENTENCES = {
    "ezhou/2024M1-3": "全市职工基本医保基金收入24959.60万元（去年同期28990.38万元），比降13.90%",
    "zhuzhou/2021": "职工医保统筹基金累计结余23.89亿元，可支付18.5个月",
    "zhuzhou/2021H1": "职工医保基金收入合计预算执行率为39.21%",
    "jiashi/2020": "支出21040.11万元（上年15823.75万元），比增32.97%",
    "huangshi/2020": "全市职工基本医保基金收入217900万元",
}


def need(binary: str) -> str:
    path = shutil.which(binary)
    if path is None:
        if CI:
            pytest.fail(f"{binary} is required in CI (make test installs it)")
        pytest.skip(f"{binary} not installed")
    return path


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("outputs")
    results = render_all(iter_params_files(None, ROOT), ROOT, out, jobs=2)
    return out, {r.slug: r for r in results}


def pdf_text(path: Path) -> str:
    need("pdftotext")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_every_sample_renders(rendered):
    out, results = rendered
    assert set(results) == set(KEY_SENTENCES)
    for slug, r in results.items():
        assert r.status == "ok", (slug, r.error)
        for name in ("report.ipynb", "report.html", "report.pdf"):
            assert (out / slug / name).stat().st_size > 1000
        assert not list((out / slug).glob(".*")), "temporary files left behind"


def test_html_states_key_sentences_and_is_self_contained(rendered):
    out, _ = rendered
    for slug, sentence in KEY_SENTENCES.items():
        html = (out / slug / "report.html").read_text(encoding="utf-8")
        assert sentence in html, slug
        assert external_urls(html) == [] and "http://" not in html and "https://" not in html, slug
        assert '<html lang="zh">' in html
        assert "open_report" not in html  # code hidden
        assert len(html) < 1_000_000, f"{slug}: {len(html)} bytes"


def test_pdf_states_key_sentences_with_page_footer(rendered):
    out, _ = rendered
    for slug, sentence in KEY_SENTENCES.items():
        text = "".join(pdf_text(out / slug / "report.pdf").split())  # pdftotext breaks lines anywhere
        assert "".join(sentence.split()) in text, slug
        assert "第1页共" in text


def test_pdf_embeds_the_cjk_font(rendered):
    out, _ = rendered
    need("pdffonts")
    fonts = subprocess.run(["pdffonts", str(out / "ezhou/2024M1-3/report.pdf")], capture_output=True, text=True).stdout
    embedded = [line.split()[0] for line in fonts.splitlines()[2:] if " yes " in line]
    assert any(n.endswith("+Noto-Sans-CJK-SC") for n in embedded), fonts  # regular
    assert any(n.endswith("+Noto-Sans-CJK-SC-Bold") for n in embedded), fonts


def test_index_and_manifest(rendered):
    out, results = rendered
    index = (out / "index.html").read_text(encoding="utf-8")
    assert external_urls(index) == []
    for slug in results:
        assert f'href="{slug}/report.html"' in index and f'href="{slug}/report.pdf"' in index
    assert "可支付月数" in index and "预算执行率" in index  # key figures and flags
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    rows = {r["slug"]: r for r in manifest["reports"]}
    assert {r["status"] for r in rows.values()} == {"ok"}
    assert all(len(r["params_hash"]) == 16 and len(r["data_hash"]) == 16 for r in rows.values())
    assert rows["zhuzhou/2021H1"]["flags"]
    # sortable by region and by period; money in one unit without invented decimals; no render seconds
    assert 'data-key="region"' in index and 'data-key="period"' in index and 'data-period="2021-06-01"' in index
    assert "217,900万元" in index and "217900.00" not in index and "秒" not in index and "IPYNB" not in index
    assert "项无法评估" in index  # checks that could not be made are counted, not shown as "no risk"


def test_index_pdf_keeps_each_report_on_one_row_of_one_page(rendered):
    out, results = rendered
    need("pdftotext")
    pdf = out / "index.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout.split("\f")
    for r in results.values():
        label = r.period_label
        holding = [i for i, page in enumerate(pages) if label in page and r.region_name in page]
        assert len(holding) == 1, (r.slug, holding)  # a report's row is never split over two pages
    assert "217,900万元" in "".join(pages)  # a figure is never broken over two lines


def test_same_inputs_give_byte_identical_html(rendered, tmp_path):
    out, _ = rendered
    again = render.render_one(ROOT / "params/ezhou/2024M1-3.yaml", ROOT, tmp_path, formats=("html",))
    assert again.status == "ok", again.error
    assert (tmp_path / "ezhou/2024M1-3/report.html").read_bytes() == (out / "ezhou/2024M1-3/report.html").read_bytes()


def test_a_dask_cluster_renders_the_samples_identically(rendered, tmp_path):
    """--scheduler: each report a task on a Dask cluster (here a LocalCluster of two worker processes); the
    reports, the index and the manifest's list are those of the local pool."""
    distributed = pytest.importorskip("distributed") if not CI else __import__("distributed")
    out, results = rendered
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=50
    ) as cluster:
        on_dask = render_all(
            iter_params_files(None, ROOT), ROOT, tmp_path, formats=("html", "pdf"), scheduler=cluster.scheduler_address
        )
    assert {r.slug: r.status for r in on_dask} == {slug: "ok" for slug in results}
    for slug in results:
        assert (tmp_path / slug / "report.html").read_bytes() == (out / slug / "report.html").read_bytes(), slug
        assert pdf_text(tmp_path / slug / "report.pdf") == pdf_text(out / slug / "report.pdf"), slug
    assert (tmp_path / "index.html").read_bytes() == (out / "index.html").read_bytes()
    assert not list(tmp_path.rglob(".*.tmp")) and not list(tmp_path.rglob(".report.*"))  # nothing half-written


def test_a_failing_report_on_dask_fails_alone(tmp_path):
    distributed = pytest.importorskip("distributed") if not CI else __import__("distributed")
    nb = json.loads((ROOT / "notebooks/report.ipynb").read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "code", "metadata": {}, "id": "boom", "outputs": [], "execution_count": None,
                        "source": "assert 'huangshi' not in params_path, '黄石故意失败'"})  # fmt: skip
    notebook = tmp_path / "broken.ipynb"
    notebook.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    files = [ROOT / "params/huangshi/2020.yaml", ROOT / "params/jiashi/2020.yaml"]
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=None, silence_logs=50) as c:
        results = render_all(files, ROOT, tmp_path / "out", formats=("html",), notebook=notebook, scheduler=c)
    status = {r.slug: r.status for r in results}
    assert status == {"huangshi/2020": "failed", "jiashi/2020": "ok"}
    assert "黄石故意失败" in next(r.error for r in results if r.status == "failed")
    manifest = json.loads((tmp_path / "out/manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["reports"]) == 2


def _project(tmp_path: Path, broken: str) -> Path:
    """A copy of the project's params (two samples) plus one broken file; data stays in the repo."""
    (tmp_path / "params" / "ok").mkdir(parents=True)
    shutil.copy(ROOT / "params" / "_defaults.yaml", tmp_path / "params")
    with open(tmp_path / "params" / "_defaults.yaml", "a", encoding="utf-8") as fh:
        fh.write(f"data_roots: [{ROOT / 'data'}]\n")  # the data stays in the repo, outside this project
    for name in ("ezhou/2024M1-3", "huangshi/2020"):
        text = (ROOT / "params" / f"{name}.yaml").read_text(encoding="utf-8")
        text = text.replace("data: data/", f"data: {ROOT}/data/")
        (tmp_path / "params" / "ok" / f"{name.replace('/', '-')}.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "params" / "bad.yaml").write_text(broken, encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / "report.ipynb", tmp_path / "notebooks")
    return tmp_path


def test_one_broken_params_file_does_not_stop_the_others(tmp_path, capsys):
    root = _project(tmp_path, "region: '420700'\nperiod: 2024M1-3\ndata: nowhere\ncolour: red\n")
    code = cli.main(["--root", str(root), "render", "--formats", "html"])
    printed = capsys.readouterr().out
    assert code == 1
    assert "bad.yaml" in printed and "colour" in printed  # the file and the offending key
    assert (root / "outputs/ok/ezhou-2024M1-3/report.html").exists()
    assert (root / "outputs/ok/huangshi-2020/report.html").exists()
    manifest = json.loads((root / "outputs/manifest.json").read_text(encoding="utf-8"))
    assert sorted(r["status"] for r in manifest["reports"]) == ["invalid", "ok", "ok"]


def test_failure_midway_leaves_no_half_written_output(tmp_path, monkeypatch):
    out_dir = tmp_path / "ezhou/2024M1-3"
    out_dir.mkdir(parents=True)
    (out_dir / "report.html").write_text("stale", encoding="utf-8")  # from an earlier run

    def broken_pdf(html, out, engine="auto"):
        Path(out).with_name(".report.pdf.partial.tmp").write_bytes(b"%PDF-1.7 half")
        raise RuntimeError("printer on fire")

    monkeypatch.setattr(render, "html_to_pdf", broken_pdf)
    r = render.render_one(ROOT / "params/ezhou/2024M1-3.yaml", ROOT, tmp_path)
    assert r.status == "failed" and "printer on fire" in r.error
    assert sorted(p.name for p in out_dir.iterdir()) == ["report.error.log", "report.ipynb"]  # kept for debugging


def test_kernel_error_keeps_the_failed_notebook(tmp_path):
    nb = json.loads((ROOT / "notebooks/report.ipynb").read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "code", "metadata": {}, "id": "boom", "outputs": [], "execution_count": None,
                        "source": "raise ValueError('deliberate failure')"})  # fmt: skip
    notebook = tmp_path / "broken.ipynb"
    notebook.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    r = render.render_one(ROOT / "params/huangshi/2020.yaml", ROOT, tmp_path / "out", notebook=notebook)
    assert r.status == "failed" and "deliberate failure" in r.error
    kept = tmp_path / "out/huangshi/2020"
    assert sorted(p.name for p in kept.iterdir()) == ["report.error.log", "report.ipynb"]
    assert "deliberate failure" in (kept / "report.ipynb").read_text(encoding="utf-8")


def test_browser_opens_each_report_offline_and_it_is_not_blank(rendered, tmp_path):
    from PIL import Image

    chromium = need("chromium")
    out, _ = rendered
    for slug in KEY_SENTENCES:
        shot = tmp_path / f"{slug.replace('/', '-')}.png"
        cmd = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
            "--disable-background-networking", "--disable-component-update", f"--user-data-dir={tmp_path / 'profile'}",
            # networking off: every host resolves nowhere and every request goes to a dead proxy
            "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
            f"--screenshot={shot}", "--window-size=1000,1400", (out / slug / "report.html").as_uri(),
        ]  # fmt: skip
        subprocess.run(cmd, capture_output=True, timeout=120, check=True)
        img = Image.open(shot).convert("L")
        colours = img.getcolors(maxcolors=1 << 16) or []
        dark = sum(n for n, v in colours if v < 128)
        assert len(colours) > 20 and dark > 0.005 * img.width * img.height, slug
