"""An interactive explorer of a dataset (ipywidgets), built from the same report model.

``Explorer().show()`` in a notebook (``notebooks/explore.ipynb``) displays:

- controls: the dataset source (a sample params file, or a workbook / CSV
  folder path with a 加载 button), region (the dataset's regions and their
  sub-regions), period (the periods present in the data), fund, indicator
  family (收支 / 结余与可支付月数 / 预算执行 / 参保 / 门诊 / 住院 …), the mode
  (one region across periods, or every sub-region in one period) and the
  ranking criterion;
- views that follow every control change: the indicator table, a chart
  (:func:`fundreport.render.charts.render_png` of a :class:`~fundreport.report.model.Chart`),
  the generated sentences of the chosen family (from the built
  :class:`~fundreport.report.model.Report`), the audit findings of the selection
  and a ranking of sub-regions by months of support, budget deviation or
  per-visit cost with the risk band;
- a 生成报告 button that renders the selected region and period with
  :func:`fundreport.render.one.render_one` and links the HTML and PDF.

Figures come from :mod:`fundreport.figures.indicators` and
:mod:`fundreport.report.sections_funds`, wording from the section builders, and
formatting from :mod:`fundreport.render.fragments`, so the explorer shows what the
report would say. Absent data is stated in the view, bad input is listed
(file, row, column, value) in the message area; nothing raises into the
notebook.

Everything is reachable without a browser: the widgets are attributes
(``explorer.region.value = "430224"`` updates the views) and the current
contents are properties (:attr:`Explorer.table_html`, :attr:`Explorer.sentences`,
:attr:`Explorer.findings`, :attr:`Explorer.ranking`, …).
"""

from __future__ import annotations

import os
from html import escape
from pathlib import Path
from urllib.parse import quote

import ipywidgets as widgets
import pandas as pd
import yaml

from fundreport.data import vocab
from fundreport.data.check import check_report
from fundreport.data.dataset import Dataset, load_dataset
from fundreport.data.params import DEFAULTS_NAME, LoadedParams, ReportParams, iter_params_files
from fundreport.data.periods import Period, PeriodError
from fundreport.errors import InputError, Issue
from fundreport.explore.views import (
    FAMILIES,
    FAMILY,
    MODES,
    RANKINGS,
    Part,
    ranking_note,
    ranking_table,
    related_funds,
    stack,
    view_chart,
)
from fundreport.figures.audit import Audit, Finding, audit
from fundreport.figures.facts import Facts
from fundreport.figures.measures import SUPPORT_FUNDS
from fundreport.project import find_root
from fundreport.render.charts import render_png
from fundreport.render.fragments import table_html
from fundreport.render.one import RenderResult, render_one
from fundreport.report.build import BUILDERS, build_from_context
from fundreport.report.context import Context
from fundreport.report.findings import coverage_sentence, findings_table
from fundreport.report.model import Chart, Report, Section, Table
from fundreport.text import narrative as nv
from fundreport.text.labels import FUND_SHORT, FUND_SUBJECT

CUSTOM = "__custom__"
"""Value of the source drop-down entry that stands for the path typed by the user."""

EXPLORE_DIR = "_explore"

STYLE = """<style>
.fr-explore table { border-collapse: collapse; font-size: 13px; margin: 4px 0; }
.fr-explore th, .fr-explore td { border: 1px solid #ccc; padding: 2px 6px; }
.fr-explore th { background: #f3f3f3; }
.fr-explore td.num { text-align: right; font-variant-numeric: tabular-nums; }
.fr-explore td.neg { color: #a00; }
.fr-explore td.total { font-weight: bold; }
.fr-explore .fr-empty { color: #666; }
.fr-explore .fr-error { color: #a00; }
.fr-explore .fr-note { color: #555; font-size: 12px; }
.fr-explore figcaption { font-weight: bold; margin: 4px 0; }
</style>"""


# -- helpers -----------------------------------------------------------------------


def fund_label(fund: str) -> str:
    if fund == "all_funds":
        return "各项基金合计"
    return FUND_SHORT.get(fund) or vocab.FUNDS.get_label(fund)


def _period_key(code: str) -> tuple:
    try:
        p = Period.parse(code)
        return (p.year, p.start_month, p.end_month)
    except PeriodError:
        return (9999, 0, 0)


def _empty(text: str) -> str:
    return f'<p class="fr-empty">{escape(text)}</p>'


def _wrap(html: str) -> str:
    return f'<div class="fr-explore">{html}</div>'


def _issues_html(issues: list[Issue]) -> str:
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{escape('' if v is None else str(v))}</td>"
            for v in (i.file, i.sheet, i.row, i.column or i.key, i.value, i.expected, i.message)
        )
        + "</tr>"
        for i in issues
    )
    head = "".join(f"<th>{h}</th>" for h in ("文件", "工作表", "行", "列/键", "实际值", "应为", "问题"))
    return f'<table class="fr-issues"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


# -- the explorer ------------------------------------------------------------------


class Explorer:
    """Interactive views of one dataset (see the module docstring).

    source: a params file (``params/zhuzhou/2021.yaml``) or a dataset path
    (workbook or CSV folder); default the first sample params file.
    root: the project folder (default: found from the working directory).
    out_root: where 生成报告 writes (``<out_root>/_explore/…``; default ``<root>/outputs``).
    link_base: folder the report links are relative to (default: the working directory,
    which is the notebook's folder in Jupyter). formats / pdf_engine: passed to render_one.
    """

    def __init__(
        self,
        source: str | Path | None = None,
        *,
        root: str | Path | None = None,
        out_root: str | Path | None = None,
        link_base: str | Path | None = None,
        formats: tuple[str, ...] = ("html", "pdf"),
        pdf_engine: str = "auto",
    ):
        self.root = Path(root).resolve() if root else find_root()
        self.out_root = Path(out_root).resolve() if out_root else self.root / "outputs"
        self.link_base = Path(link_base).resolve() if link_base else Path.cwd().resolve()
        self.formats, self.pdf_engine = tuple(formats), pdf_engine

        # state
        self.loaded: LoadedParams | None = None
        self.dataset: Dataset | None = None
        self.params_path: Path | None = None  # the params file the data came from (None for a typed path)
        self.load_issues: list[Issue] = []
        self.render_result: RenderResult | None = None
        self.links: dict[str, Path] = {}
        self.table: Table | None = None
        self.chart: Chart | None = None
        self.chart_png: bytes = b""
        self.ranking_table: Table | None = None
        self._sentences: list[str] = []
        self._findings: list[Finding] = []
        self._reset_caches()
        self._updating = False

        self._build_widgets()
        samples = self._samples()
        self.source.options = [*samples, ("自选数据（在右侧输入路径后点“加载”）", CUSTOM)]
        if source is not None:
            src = Path(source)
            src = src if src.is_absolute() else (Path.cwd() / src if (Path.cwd() / src).exists() else self.root / src)
            if src.suffix.lower() in {".yaml", ".yml"}:
                self.load_params_file(src)
            else:
                self.path.value = str(source)
                self.load_data(source)
        elif samples:
            self.load_params_file(samples[0][1])
        else:
            self._message("未找到样例参数文件；请在右侧输入数据工作簿或 CSV 文件夹路径后点“加载”。")
            self.refresh()

    # -- widgets -------------------------------------------------------------------

    def _build_widgets(self) -> None:
        W = widgets
        wide = W.Layout(width="auto")
        labels = {"description_width": "initial"}
        self.source = W.Dropdown(style=labels, description="数据来源", layout=W.Layout(width="360px"))
        self.path = W.Text(placeholder="工作簿 .xlsx 或 CSV 文件夹路径", layout=W.Layout(width="360px"))
        self.load_button = W.Button(description="加载", icon="folder-open", layout=W.Layout(width="80px"))
        self.region = W.Dropdown(style=labels, description="地区", layout=W.Layout(width="300px"))
        self.period = W.Dropdown(style=labels, description="期间", layout=W.Layout(width="260px"))
        self.fund = W.Dropdown(style=labels, description="险种", layout=W.Layout(width="260px"))
        self.family = W.Dropdown(
            style=labels,
            description="指标",
            options=[(f.label, f.code) for f in FAMILIES],
            layout=W.Layout(width="260px"),
        )
        self.mode = W.ToggleButtons(style=labels, options=list(MODES), description="视角", layout=wide)
        self.rank_by = W.Dropdown(
            style=labels, description="排名依据", options=list(RANKINGS), layout=W.Layout(width="300px")
        )
        self.render_button = W.Button(description="生成报告", icon="file", button_style="primary")

        self.style_view = W.HTML(STYLE)
        self.status_view = W.HTML()
        self.message_view = W.HTML()
        self.table_view = W.HTML()
        self.chart_image = W.Image(format="png", layout=W.Layout(max_width="820px"))
        self.chart_note = W.HTML()
        self.sentences_view = W.HTML()
        self.findings_view = W.HTML()
        self.ranking_view = W.HTML()
        self.links_view = W.HTML()

        self.source.observe(self._on_source, names="value")
        self.load_button.on_click(lambda _b: self.load_data(self.path.value))
        for w in (self.region, self.period, self.fund, self.family, self.mode, self.rank_by):
            w.observe(self._on_change, names="value")
        self.render_button.on_click(lambda _b: self.generate())

        tabs = W.Tab(
            children=[
                W.VBox([self.table_view, self.chart_note, self.chart_image]),
                self.sentences_view,
                self.findings_view,
                W.VBox([self.rank_by, self.ranking_view]),
                W.VBox([self.render_button, self.links_view]),
            ]
        )
        tabs.titles = ("指标表与图", "分析语句", "核对发现", "地区排名", "生成报告")
        self.tabs = tabs
        self.widget = W.VBox(
            [
                self.style_view,
                W.HBox([self.source, self.path, self.load_button]),
                self.status_view,
                self.message_view,
                W.HBox([self.region, self.period, self.fund]),
                W.HBox([self.family, self.mode]),
                tabs,
            ]
        )

    def show(self) -> None:
        """Display the explorer in the notebook."""
        from IPython.display import display

        display(self.widget)

    def _ipython_display_(self) -> None:
        self.show()

    # -- loading -------------------------------------------------------------------

    def _samples(self) -> list[tuple[str, str]]:
        if not (self.root / "params").is_dir():
            return []
        out = []
        for p in iter_params_files(None, self.root):
            out.append((str(p.relative_to(self.root)), str(p.resolve())))
        return out

    def _reset_caches(self) -> None:
        self._facts: Facts | None = None
        self._sections: dict[tuple[str, str, str], Section | None] = {}
        self._contexts: dict[tuple[str, str], Context] = {}
        self._reports: dict[tuple[str, str], Report | Exception] = {}
        self._audit: Audit | None = None
        self._png: dict[str, bytes] = {}

    def _on_source(self, change) -> None:
        if self._updating or not change["new"] or change["new"] == CUSTOM:
            return
        self.load_params_file(change["new"])

    def load_params_file(self, path: str | Path) -> bool:
        """Load a params file and its dataset; on bad input list the issues and keep what was shown."""
        result = check_report(path)
        if not result.ok:
            self._bad_input(f"参数文件 {path} 或其数据有误，未加载", result.issues)
            self._set_source(self.params_path if self.loaded else None)
            return False
        self._use(result.params, result.dataset, params_path=result.params.path)
        extra = "".join(f"<li>{escape(w)}</li>" for w in result.warnings)
        if extra:
            self._message(f"<ul>{extra}</ul>", raw=True)
        return True

    def _resolve(self, text: str | Path) -> Path:
        p = Path(str(text).strip()).expanduser()
        if p.is_absolute():
            return p
        for base in (Path.cwd(), self.root):
            if (base / p).exists():
                return (base / p).resolve()
        return (Path.cwd() / p).resolve()

    def load_data(self, path: str | Path) -> bool:
        """Load a workbook or CSV folder typed by the user (default params from params/_defaults.yaml)."""
        if not str(path).strip():
            self._message("请输入数据工作簿（.xlsx）或 CSV 文件夹的路径。")
            return False
        p = self._resolve(path)
        try:
            ds = load_dataset(p)
        except InputError as exc:
            self._bad_input(f"数据 {p} 未通过校验，未加载", exc.issues)
            return False
        except Exception as exc:  # noqa: BLE001 - a file we cannot read at all is shown, not raised
            self._bad_input(f"无法读取数据 {p}", [Issue(str(p), f"{type(exc).__name__}: {exc}")])
            return False
        tree = _region_tree(ds)
        if not tree:
            self._bad_input(f"数据 {p} 没有地区", [Issue(str(p), "地区表为空", sheet="regions")])
            return False
        region = tree[0][0]
        periods = sorted(ds.periods(), key=_period_key)
        if not periods:
            self._bad_input(
                f"数据 {p} 没有任何期间的数据", [Issue(str(p), "数据表中没有期间", expected="至少一期数据")]
            )
            return False
        flows = ds.fund_flows
        own = sorted(set(flows[flows["region"] == region]["period"]), key=_period_key)
        period = (own or periods)[-1]
        try:
            loaded = self._default_params(ds, p, region, period)
        except Exception as exc:  # noqa: BLE001 - a bad _defaults.yaml is reported in the view
            self._bad_input("默认参数有误", [Issue(str(self.root / "params" / DEFAULTS_NAME), str(exc))])
            return False
        self._use(loaded, ds, params_path=None)
        return True

    def _default_params(self, ds: Dataset, path: Path, region: str, period: str) -> LoadedParams:
        defaults_path = self.root / "params" / DEFAULTS_NAME
        data = yaml.safe_load(defaults_path.read_text(encoding="utf-8")) if defaults_path.exists() else {}
        data = dict(data or {})
        data.update(region=region, period=period, data=str(path))
        params = ReportParams.model_validate(data)
        target = self._explore_root / "params" / f"{region}-{period}.yaml"
        return LoadedParams(path=target, root=self._explore_root, params=params, digest="")

    def _use(self, loaded: LoadedParams, ds: Dataset, *, params_path: Path | None) -> None:
        self.loaded, self.dataset, self.params_path = loaded, ds, params_path
        self.load_issues = []
        self.render_result, self.links = None, {}
        self.links_view.value = ""
        self._reset_caches()
        self._facts = Facts(ds, loaded.params.employee_parts)
        self._updating = True
        try:
            self._set_source(params_path)
            if params_path is None:
                self.path.value = str(loaded.data_path)
            tree = _region_tree(ds)
            self.region.options = [("　" * depth + f"{ds.region_name(c)}（{c}）", c) for c, depth in tree]
            self.region.value = loaded.params.region
            periods = sorted(ds.periods(), key=_period_key)
            self.period.options = [(_period_text(c), c) for c in periods]
            self.period.value = loaded.params.period
            self.fund.options = [("全部险种", "")] + [(fund_label(f), f) for f in _funds(ds)]
            self.fund.value = ""
        finally:
            self._updating = False
        src = str(params_path.relative_to(self.root)) if params_path and params_path.is_relative_to(self.root) else ""
        self.status_view.value = _wrap(
            f"<p>已加载：<code>{escape(src or str(loaded.data_path))}</code>"
            f"（数据 <code>{escape(str(loaded.data_path))}</code>；{len(tree)}个地区，"
            f"{len(periods)}个期间；金额单位{escape(loaded.params.money_unit)}）</p>"
        )
        self.message_view.value = ""
        self.refresh()

    def _set_source(self, params_path: Path | None) -> None:
        """Point the source drop-down at a params file (added to the list when it is not a sample) or 自选数据."""
        value = str(params_path) if params_path else CUSTOM
        options = list(self.source.options)
        if value not in [v for _, v in options]:
            label = str(params_path.relative_to(self.root)) if params_path.is_relative_to(self.root) else value
            options.insert(len(options) - 1, (label, value))
        updating, self._updating = self._updating, True
        try:
            self.source.options = options
            self.source.value = value
        finally:
            self._updating = updating

    def _bad_input(self, title: str, issues: list[Issue]) -> None:
        self.load_issues = list(issues)
        text = InputError(issues).render()
        kept = (
            f"<p>下方仍显示此前加载的数据（<code>{escape(str(self.loaded.data_path))}</code>）。</p>"
            if self.loaded
            else ""
        )
        self.message_view.value = _wrap(
            f'<div class="fr-error"><b>{escape(title)}</b></div><pre>{escape(text)}</pre>{_issues_html(issues)}{kept}'
        )

    def _message(self, text: str, raw: bool = False) -> None:
        self.message_view.value = _wrap(text if raw else f"<p>{escape(text)}</p>")

    @property
    def _explore_root(self) -> Path:
        return self.out_root / EXPLORE_DIR

    # -- selection -----------------------------------------------------------------

    def _on_change(self, _change) -> None:
        if not self._updating:
            self.refresh()

    def context(self, region: str | None = None, period: str | None = None) -> Context:
        """The report context of a region and period of the loaded data (shares one Facts index)."""
        region, period = region or self.region.value, period or self.period.value
        key = (region, period)
        ctx = self._contexts.get(key)
        if ctx is None:
            base = self.loaded.params
            update = {"region": region, "period": period}
            if (region, period) != (base.region, base.period):
                update |= {"commentary": {}, "sections": None}  # the analyst's notes are about the file's selection
            loaded = self.loaded.model_copy(update={"params": base.model_copy(update=update)})
            ctx = Context(loaded, self.dataset)
            ctx.__dict__["facts"] = self._facts  # cached_property slot: one index for every context
            ctx.__dict__["audit"] = self._dataset_audit()  # and one audit
            self._contexts[key] = ctx
        return ctx

    def report(self, region: str | None = None, period: str | None = None) -> Report:
        """The built report of a region and period (cached; raises what the builders raise)."""
        key = (region or self.region.value, period or self.period.value)
        if key not in self._reports:
            try:
                self._reports[key] = build_from_context(self.context(*key))
            except Exception as exc:  # noqa: BLE001 - kept so the sentences view can say why
                self._reports[key] = exc
        hit = self._reports[key]
        if isinstance(hit, Exception):
            raise hit
        return hit

    def _name(self, region: str) -> str:
        return self.dataset.region_name(region)

    def _scope_text(self) -> str:
        fund = f"「{fund_label(self.fund.value)}」" if self.fund.value else ""
        fam = FAMILY[self.family.value].label
        if self.mode.value == "periods":
            return f"{self._name(self.region.value)}各期间{fund}「{fam}」"
        owner = self._areas(self.region.value)[2]
        return f"{self._name(owner)}各下级地区{_period_text(self.period.value)}{fund}「{fam}」"

    def _areas(self, region: str) -> tuple[list[str], str, str]:
        """(sub-regions, note, whose sub-regions): for a region without any, its siblings (with a note)."""
        kids = self.dataset.children(region)
        if kids:
            return kids, "", region
        row = self.dataset.regions[self.dataset.regions["code"] == region]
        parent = row["parent"].iloc[0] if len(row) else None
        if isinstance(parent, str) and parent and self.dataset.children(parent):
            return (
                self.dataset.children(parent),
                f"「{self._name(region)}」没有下级地区，以下为其上级「{self._name(parent)}」的各下级地区。",
                parent,
            )
        return [], f"「{self._name(region)}」没有下级地区。", region

    # -- views ---------------------------------------------------------------------

    def refresh(self) -> None:
        """Recompute every view for the current control values."""
        if self.dataset is None or self.loaded is None or not self.region.value or not self.period.value:
            for view in (self.table_view, self.sentences_view, self.findings_view, self.ranking_view):
                view.value = _wrap(_empty("尚未加载数据。"))
            self.table = self.chart = self.ranking_table = None
            self.chart_png, self._sentences, self._findings = b"", [], []
            self.chart_image.value = b""
            return
        for fn, view, what in (
            (self._table_view, self.table_view, "指标表"),
            (self._chart_view, self.chart_note, "图表"),
            (self._sentences_view, self.sentences_view, "分析语句"),
            (self._findings_view, self.findings_view, "核对发现"),
            (self._ranking_view, self.ranking_view, "地区排名"),
        ):
            try:
                view.value = _wrap(fn())
            except Exception as exc:  # noqa: BLE001 - one failing view must not break the others
                view.value = _wrap(
                    f'<p class="fr-error">无法显示{what}：{escape(type(exc).__name__)}: {escape(str(exc))}</p>'
                )

    # indicator table

    def section(self, code: str, region: str, period: str) -> Section | None:
        """One report section of a region and period (the report's own builder; cached)."""
        key = (code, region, period)
        if key not in self._sections:
            self._sections[key] = BUILDERS[code](self.context(region, period))
        return self._sections[key]

    def _parts(self) -> tuple[list[Part], str, str]:
        """The reports a view stacks (key, tables), the key column label and a note."""
        fam = FAMILY[self.family.value]
        if self.mode.value == "periods":
            region = self.region.value
            parts = [
                Part(_period_text(p), tuple(fam.tables_of(self.section(c, region, p) for c in fam.sections)))
                for p in sorted(self.dataset.periods(), key=_period_key)
            ]
            return parts, "期间", ""
        period = self.period.value
        areas, note, owner = self._areas(self.region.value)
        parent = owner if areas else None
        parts = [
            Part(self._name(a), tuple(fam.tables_of(self.section(c, a, period) for c in fam.sections)), a == parent)
            for a in [*areas, *([parent] if parent else [])]
        ]
        return parts, "地区", note

    def _table_view(self) -> str:
        fam = FAMILY[self.family.value]
        parts, key_label, note = self._parts()
        self.table = stack(
            fam,
            parts,
            key_label=key_label,
            fund=self.fund.value,
            title=self._scope_text(),
            note=f"金额单位：{self.loaded.params.money_unit}；各行与对应地区、期间报告中的表格一致",
        )
        head = f"<p class='fr-note'>{escape(note)}</p>" if note else ""
        if self.table is None:
            return head + _empty(f"{self._scope_text()}：数据中没有可显示的数据。")
        return head + table_html(self.table, None, self.loaded.params.money_unit)

    # chart

    def _chart_spec(self) -> Chart | None:
        p = self.loaded.params
        return view_chart(
            FAMILY[self.family.value],
            self.table,
            trend=self.mode.value == "periods",
            title=self._scope_text(),
            unit=p.money_unit,
            cuts=tuple(p.thresholds.months_bands),
        )

    def _chart_view(self) -> str:
        self.chart, self.chart_png = None, b""
        self.chart_image.value = b""
        self.chart_image.layout.display = "none"
        chart = self._chart_spec()
        if chart is None or not chart.data:
            return _empty("所选范围没有可绘制的数据。")
        key = repr(chart)
        if key not in self._png:
            self._png[key] = render_png(chart)
        self.chart, self.chart_png = chart, self._png[key]
        self.chart_image.value = self.chart_png
        self.chart_image.layout.display = None
        return f"<p class='fr-note'>图：{escape(chart.title)}</p>"

    # sentences

    def _sentences_view(self) -> str:
        self._sentences = []
        region, period = self.region.value, self.period.value
        fam = FAMILY[self.family.value]
        try:
            report = self.report(region, period)
        except Exception as exc:  # noqa: BLE001
            return f'<p class="fr-error">无法生成{escape(self._name(region))}{escape(_period_text(period))}的报告：{escape(str(exc))}</p>'
        head = f"<p class='fr-note'>{escape(report.region_name)}{escape(report.period_label)}报告「{escape(fam.label)}」部分的句子"
        names = _fund_names(self.fund.value) if self.fund.value else ()
        if names:
            head += f"（只列提到{escape(fund_label(self.fund.value))}的句子）"
        parts = [head + "</p>"]
        for code in fam.sections:
            sec = report.section(code)
            texts = [t for t in sec.texts() if t != "本期数据未提供该部分内容。"] if sec else []
            if names:
                texts = [t for t in texts if any(n in t for n in names)]
            if not texts:
                continue
            self._sentences += texts
            items = "".join(f"<li>{escape(t)}</li>" for t in texts)
            parts.append(f"<h4>{escape(sec.title)}</h4><ul>{items}</ul>")
        if not self._sentences:
            parts.append(
                _empty(f"{report.region_name}{report.period_label}的数据不足以生成「{fam.label}」的分析语句。")
            )
        return "".join(parts)

    # findings

    def _dataset_audit(self) -> Audit:
        if self._audit is None:
            self._audit = audit(self.dataset, self.loaded.params.employee_parts)
        return self._audit

    def _findings_view(self) -> str:
        au = self._dataset_audit()
        region, fund = self.region.value, self.fund.value
        regions = {region}
        if self.mode.value == "regions":
            regions |= set(self._areas(region)[0])
        funds = related_funds(fund) if fund else None
        periods = None if self.mode.value == "periods" else {self.period.value}
        self._findings = [
            f
            for f in au.findings
            if f.region in regions and (periods is None or f.period in periods) and (funds is None or f.fund in funds)
        ]
        scope = "各期间" if periods is None else _period_text(self.period.value)
        where = f"{self._name(region)}{'及下级地区' if self.mode.value == 'regions' else ''}"
        head = (
            f"<p class='fr-note'>{escape(where)}{escape(scope)}的数据核对发现（全部数据共{len(au.findings)}条）。"
            f"{escape(coverage_sentence(au.coverage, listed=False))}</p>"
        )
        if not self._findings:
            return head + _empty("所选范围内没有核对发现。")
        names = {c: self._name(c) for c in sorted({f.region for f in self._findings})}
        table = findings_table(self._findings, names, self.loaded.params.money_unit, root=self.root)
        return head + table_html(table, None, self.loaded.params.money_unit)

    # ranking

    def _ranking_view(self) -> str:
        self.ranking_table = None
        region, period, fund = self.region.value, self.period.value, self.fund.value
        areas, note, owner = self._areas(region)
        sel = {"employee": "employee_pool"}.get(fund, fund)
        if sel and sel not in SUPPORT_FUNDS:
            note += f"「{fund_label(fund)}」不计算可支付月数，以下列出各统筹基金。"
        funds = [sel] if sel in SUPPORT_FUNDS else list(SUPPORT_FUNDS)
        head = f"<p class='fr-note'>{escape(note)}</p>" if note else ""
        lines = self.context(owner, period).measures.ranking(areas, funds)
        if not lines:
            return head + _empty(f"{self._name(owner)}没有可排名的下级地区数据。")
        by = self.rank_by.value
        label = {v: k for k, v in RANKINGS}[by]
        p = self.loaded.params
        self.ranking_table, missing = ranking_table(
            lines,
            by,
            {a: self._name(a) for a in areas},
            title=f"{self._name(owner)}{_period_text(period)}各下级地区排名：按{label}",
            note=ranking_note(p.money_unit, p.thresholds.months_bands, p.thresholds.budget_deviation_pp),
        )
        what = label.split("（")[0]
        if missing == len(lines):
            head += _empty(f"各地区均缺少计算「{what}」所需的数据（如基金支出、预算或住院人次），按地区顺序列出。")
        elif missing:
            head += _empty(f"{missing}行缺少「{what}」所需的数据，列在最后。")
        return head + table_html(self.ranking_table, None, p.money_unit)

    # -- current contents --------------------------------------------------------------

    @property
    def table_html(self) -> str:
        """The indicator table view (HTML)."""
        return self.table_view.value

    @property
    def table_frame(self) -> pd.DataFrame:
        """The indicator table's raw values (元, 人, fractions) with the column labels."""
        return self.table.frame() if self.table else pd.DataFrame()

    @property
    def sentences(self) -> list[str]:
        """The generated sentences shown for the selection."""
        return list(self._sentences)

    @property
    def sentences_html(self) -> str:
        return self.sentences_view.value

    @property
    def findings(self) -> list[Finding]:
        """The audit findings of the selection."""
        return list(self._findings)

    @property
    def findings_html(self) -> str:
        return self.findings_view.value

    @property
    def ranking(self) -> pd.DataFrame:
        """The sub-region ranking's raw values with the column labels (empty when there is none)."""
        if self.ranking_table is None:
            return pd.DataFrame()
        df = self.ranking_table.frame()
        df["排名"] = df["排名"].astype("Int64")
        return df

    @property
    def ranking_html(self) -> str:
        return self.ranking_view.value

    @property
    def messages(self) -> str:
        """The message area (load errors and notes, HTML)."""
        return self.message_view.value

    @property
    def links_html(self) -> str:
        return self.links_view.value

    # -- 生成报告 ------------------------------------------------------------------------

    def selection_params(self) -> Path:
        """The params file of the current region and period.

        The loaded params file itself when the selection is the file's own;
        otherwise a params file written to ``<out_root>/_explore/params/<region>-<period>.yaml``
        with the absolute data path (and without the file's commentary).
        """
        region, period = self.region.value, self.period.value
        base = self.loaded.params
        if self.params_path is not None and (region, period) == (base.region, base.period):
            return self.params_path
        data = base.model_dump(mode="json", exclude_none=True)
        data.update(region=region, period=period, data=str(self.loaded.data_path.resolve()))
        data["data_roots"] = [*data.get("data_roots", ()), str(self.loaded.data_path.resolve().parent)]
        data["outputs"] = [f for f in self.formats if f in ("html", "pdf")] or ["html"]
        if (region, period) != (base.region, base.period):
            data.pop("commentary", None)
            data.pop("sections", None)
        target = self._explore_root / "params" / f"{region}-{period}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        text = "# 由探索界面（fundreport.explore.app）生成\n" + yaml.safe_dump(
            data, allow_unicode=True, sort_keys=False
        )
        target.write_text(text, encoding="utf-8")
        return target

    def generate(self) -> RenderResult | None:
        """Render the selected region and period (生成报告) and show links to the outputs or the error."""
        self.links = {}
        if self.loaded is None:
            self.links_view.value = _wrap(_empty("尚未加载数据。"))
            return None
        what = f"{self._name(self.region.value)}{_period_text(self.period.value)}"
        self.links_view.value = _wrap(f"<p>正在生成 {escape(what)} 的报告……</p>")
        try:
            params_path = self.selection_params()
            result = render_one(
                params_path,
                self.root,
                self._explore_root,
                formats=self.formats,
                pdf_engine=self.pdf_engine,
            )
        except Exception as exc:  # noqa: BLE001 - shown in the view
            result = RenderResult(params="", status="failed", error=f"{type(exc).__name__}: {exc}")
        self.render_result = result
        if result.status != "ok":
            self.links_view.value = _wrap(
                f'<p class="fr-error">{escape(what)}的报告未能生成（{escape(result.status)}）：</p>'
                f"<pre>{escape(result.error)}</pre>"
            )
            return result
        items = []
        for kind in ("html", "pdf"):
            rel = result.outputs.get(kind)
            if not rel:
                continue
            path = (self._explore_root / rel).resolve()
            self.links[kind] = path
            href = quote(Path(os.path.relpath(path, self.link_base)).as_posix())
            items.append(
                f'<li><a href="{escape(href)}" target="_blank">{kind.upper()}：{escape(path.name)}</a> '
                f"<code>{escape(str(path))}</code></li>"
            )
        secs = result.seconds.get("total", 0)
        self.links_view.value = _wrap(
            f"<p>已生成 {escape(what)} 的报告（{nv.fmt_number(secs, 1)}秒）：</p><ul>{''.join(items)}</ul>"
        )
        return result


# -- module helpers that need the dataset --------------------------------------------


def _region_tree(ds: Dataset) -> list[tuple[str, int]]:
    """(code, depth) of every region, roots first, each followed by its sub-regions."""
    codes = list(ds.regions["code"])
    parents = dict(zip(ds.regions["code"], ds.regions["parent"], strict=True))
    roots = [c for c in codes if not isinstance(parents[c], str) or not parents[c] or parents[c] not in codes]
    out: list[tuple[str, int]] = []
    seen: set[str] = set()

    def walk(code: str, depth: int) -> None:
        if code in seen:
            return
        seen.add(code)
        out.append((code, depth))
        for child in ds.children(code):
            walk(child, depth + 1)

    for r in roots:
        walk(r, 0)
    return out


def _funds(ds: Dataset) -> list[str]:
    present: set[str] = set()
    for table in ("fund_flows", "budgets", "enrolment", "utilisation"):
        present |= set(ds[table]["fund"].dropna())
    if {"employee", "employee_account"} <= present:
        present.add("employee_pool")
    return [t.code for t in vocab.FUNDS if t.code in present]


def _period_text(code: str) -> str:
    try:
        return nv.period_label(code)
    except PeriodError:
        return code


def _fund_names(fund: str) -> tuple[str, ...]:
    """Words by which sentences name a fund (for filtering the sentences)."""
    if fund == "all_funds":
        return ("各项", "合计", "两项", "二项")
    term = vocab.FUNDS.term(fund)
    names = {FUND_SHORT.get(fund, ""), FUND_SUBJECT.get(fund, ""), term.label, *term.aliases}
    return tuple(n for n in names if len(n) >= 2)
