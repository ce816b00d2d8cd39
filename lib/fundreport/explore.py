"""An interactive explorer of a dataset (ipywidgets), built from the same report model.

``Explorer().show()`` in a notebook (``notebooks/explore.ipynb``) displays:

- controls: the dataset source (a sample params file, or a workbook / CSV
  folder path with a 加载 button), region (the dataset's regions and their
  sub-regions), period (the periods present in the data), fund, indicator
  family (收支 / 结余与可支付月数 / 预算执行 / 参保 / 门诊 / 住院 …), the mode
  (one region across periods, or every sub-region in one period) and the
  ranking criterion;
- views that follow every control change: the indicator table, a chart
  (:func:`fundreport.charts.render_png` of a :class:`~fundreport.model.Chart`),
  the generated sentences of the chosen family (from the built
  :class:`~fundreport.model.Report`), the audit findings of the selection
  and a ranking of sub-regions by months of support, budget deviation or
  per-visit cost with the risk band;
- a 生成报告 button that renders the selected region and period with
  :func:`fundreport.render.render_one` and links the HTML and PDF.

Figures come from :mod:`fundreport.indicators` and
:mod:`fundreport.sections_funds`, wording from the section builders, and
formatting from :mod:`fundreport.fragments`, so the explorer shows what the
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
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import quote

import ipywidgets as widgets
import pandas as pd
import yaml

from . import indicators as ind
from . import narrative as nv
from . import vocab
from .audit import Finding, run_audit
from .build import build_from_context
from .charts import render_png
from .check import check_report
from .context import FUND_SHORT, FUND_SUBJECT, Context
from .dataset import Dataset, load_dataset
from .errors import InputError, Issue
from .facts import Facts
from .fragments import findings_html, table_html
from .model import Chart, Column, FindingsTable, Report, Table
from .params import DEFAULTS_NAME, LoadedParams, ReportParams, iter_params_files
from .periods import Period, PeriodError
from .render import RenderResult, render_one
from .sections_funds import BUDGET_ITEMS, SUPPORT_FUNDS, executed, support

CUSTOM = "__custom__"
"""Value of the source drop-down entry that stands for the path typed by the user."""

MODES = (("单一地区·跨期间", "periods"), ("各下级地区·单一期间", "regions"))
RANKINGS = (
    ("可支付月数（低→高）", "months"),
    ("预算执行偏离（大→小）", "deviation"),
    ("次均住院费用（高→低）", "per_visit"),
)
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


def find_root(start: str | Path | None = None) -> Path:
    """The project folder: the first of ``start`` (default: cwd) and its parents holding params/ and notebooks/."""
    here = Path(start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        if (d / "params").is_dir() and (d / "notebooks" / "report.ipynb").is_file():
            return d
    pkg = Path(__file__).resolve().parents[2]
    if (pkg / "params").is_dir():
        return pkg
    return here


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


# -- indicator families ------------------------------------------------------------

Row = tuple[str, dict]  # (item label, values by column key)


def _flows_rows(ctx: Context, region: str, fund: str) -> list[Row]:
    """收支: income, expense, current balance, balance rate and their changes (funds without 上下级往来)."""
    f, cur, prev = ctx.facts, ctx.cur, ctx.period.comparison.code
    out = []
    for fd in [fund] if fund else ctx.funds_with("fund_flows"):
        inc, exp = f.income(region, cur, fd), f.expense(region, cur, fd)
        if inc is None and exp is None:
            continue
        pinc, pexp = f.income(region, prev, fd), f.expense(region, prev, fd)
        out.append(
            (
                fund_label(fd),
                {
                    "income": inc,
                    "expense": exp,
                    "balance": ind.current_balance(inc, exp),
                    "balance_rate": ind.balance_rate(inc, exp),
                    "income_rate": ind.growth_rate(inc, pinc),
                    "expense_rate": ind.growth_rate(exp, pexp),
                },
            )
        )
    return out


def _balance_rows(ctx: Context, region: str, fund: str) -> list[Row]:
    """结余与可支付月数 (职工 judged on 统筹基金, as in the report)."""
    funds = [{"employee": "employee_pool"}.get(fund, fund)] if fund else [*SUPPORT_FUNDS, "employee_account"]
    out = []
    for fd in funds:
        s = support(ctx, region, fd)
        if s["cumulative"] is None and s["adjusted"] is None:
            continue
        pooled = fd != "employee_account"
        out.append(
            (
                fund_label(fd),
                {
                    "cumulative": s["cumulative"],
                    "monthly": s["monthly"] if pooled else None,
                    "months": s["months"] if pooled else None,
                    "band": s["band"].label if pooled and s["band"] else "—",
                    "adjusted": s["adjusted"],
                    "adj_months": s["adj_months"] if pooled else None,
                    "adj_band": s["adj_band"].label if pooled and s["adj_band"] else "—",
                },
            )
        )
    return out


def _budget_rows(ctx: Context, region: str, fund: str) -> list[Row]:
    """预算执行: execution rate against 时间进度 and the deviation judged with thresholds.budget_deviation_pp."""
    year, progress = str(ctx.period.year), ctx.period.time_progress
    out = []
    for fd in [fund] if fund else ctx.funds_with("budgets", year):
        for item in BUDGET_ITEMS:
            plan = ctx.facts.budget(region, year, fd, item)
            if plan is None:
                continue
            rate = ind.budget_execution(executed(ctx, fd, item), plan)
            flag = ind.budget_flag(rate, progress, ctx.band_pp)
            out.append(
                (
                    f"{fund_label(fd)}{vocab.ITEMS.get_label(item)}",
                    {
                        "budget": plan,
                        "executed": executed(ctx, fd, item),
                        "rate": rate,
                        "progress": progress,
                        "deviation": ind.budget_deviation(rate, progress),
                        "flag": {True: "超出控制范围", False: "正常"}.get(flag, "—"),
                    },
                )
            )
    return out


def _enrolment_rows(ctx: Context, region: str, fund: str) -> list[Row]:
    """参保: persons with the change, 在职/退休, 在职退休比, 退休占比."""
    f, cur, prev = ctx.facts, ctx.cur, ctx.period.comparison.code
    out = []
    for fd in [fund] if fund else ctx.funds_with("enrolment"):
        n, pn = f.enrolment(region, cur, fd), f.enrolment(region, prev, fd)
        active, retired = f.enrolment(region, cur, fd, "active"), f.enrolment(region, cur, fd, "retired")
        if n is None and active is None and retired is None:
            continue
        out.append(
            (
                fund_label(fd),
                {
                    "n": n,
                    "change": ind.change(n, pn),
                    "rate": ind.growth_rate(n, pn),
                    "active": active,
                    "retired": retired,
                    "ratio": ind.active_retired_ratio(active, retired),
                    "retired_share": ind.retired_share(retired, n),
                },
            )
        )
    return out


def _service_rows(roots: tuple[str, ...], default_funds: tuple[str, ...]) -> Callable[[Context, str, str], list[Row]]:
    """门诊 / 住院 / …: visits, cost, fund paid, per-visit figures and reimbursement ratios per category."""
    codes: list[str] = []
    for root in roots:
        codes += [root] + [t.code for t in vocab.SERVICES.children(root)]

    def rows(ctx: Context, region: str, fund: str) -> list[Row]:
        f, cur, prev = ctx.facts, ctx.cur, ctx.period.comparison.code
        out = []
        for fd in [{"employee_pool": "employee"}.get(fund, fund)] if fund else default_funds:
            for code in codes:
                m = {k: f.use(region, cur, fd, code, k) for k in ("visits", "total_cost", "inscope_cost", "fund_paid")}
                if all(v is None for v in m.values()):
                    continue
                paid_prev = f.use(region, prev, fd, code, "fund_paid")
                service = vocab.SERVICES.get_label(code)
                short = fund_label(fd)
                out.append(
                    (
                        service if service.startswith(short) else f"{short}{service}",
                        {
                            "visits": m["visits"],
                            "total_cost": m["total_cost"],
                            "fund_paid": m["fund_paid"],
                            "paid_rate": ind.growth_rate(m["fund_paid"], paid_prev),
                            "cost_per": ind.per_visit(m["total_cost"], m["visits"]),
                            "per": ind.per_visit(m["fund_paid"], m["visits"]),
                            "inscope": ind.reimbursement_inscope(m["fund_paid"], m["inscope_cost"]),
                            "actual": ind.reimbursement_actual(m["fund_paid"], m["total_cost"]),
                            "_root": code in roots,
                        },
                    )
                )
        return out

    return rows


SERVICE_COLUMNS = (
    Column("visits", "人次", "visits"),
    Column("total_cost", "医疗总费用", "money"),
    Column("fund_paid", "基金支付", "money"),
    Column("paid_rate", "基金支付增减率", "rate"),
    Column("cost_per", "次均费用（元）", "per"),
    Column("per", "次均基金支付（元）", "per"),
    Column("inscope", "政策范围内报销比例", "percent"),
    Column("actual", "实际报销比例", "percent"),
)


@dataclass(frozen=True)
class Family:
    """An indicator family: the table columns, how its rows are computed, the report sections it shows."""

    code: str
    label: str
    sections: tuple[str, ...]
    item: str  # label of the item column
    columns: tuple[Column, ...]
    rows: Callable[[Context, str, str], list[Row]]


FAMILIES: tuple[Family, ...] = (
    Family(
        "flows",
        "收支",
        ("income_expense", "other_funds", "history"),
        "险种",
        (
            Column("income", "基金收入", "money"),
            Column("expense", "基金支出", "money"),
            Column("balance", "当期结余", "money"),
            Column("balance_rate", "结余率", "percent"),
            Column("income_rate", "收入同比", "rate"),
            Column("expense_rate", "支出同比", "rate"),
        ),
        _flows_rows,
    ),
    Family(
        "balance",
        "结余与可支付月数",
        ("balance", "subregions"),
        "险种",
        (
            Column("cumulative", "累计结余", "money"),
            Column("monthly", "月均支出", "money"),
            Column("months", "可支付月数", "months"),
            Column("band", "区间"),
            Column("adjusted", "实际结余", "money"),
            Column("adj_months", "实际可支付月数", "months"),
            Column("adj_band", "实际区间"),
        ),
        _balance_rows,
    ),
    Family(
        "budget",
        "预算执行",
        ("budget",),
        "项目",
        (
            Column("budget", "年度预算数", "money"),
            Column("executed", "执行数", "money"),
            Column("rate", "预算执行率", "percent"),
            Column("progress", "时间进度", "percent"),
            Column("deviation", "偏离（百分点）", "points"),
            Column("flag", "判定"),
        ),
        _budget_rows,
    ),
    Family(
        "enrolment",
        "参保",
        ("enrolment",),
        "险种",
        (
            Column("n", "参保人数", "count"),
            Column("change", "同比增减人数", "change_count"),
            Column("rate", "同比增减率", "rate"),
            Column("active", "在职职工", "count"),
            Column("retired", "退休人员", "count"),
            Column("ratio", "在职退休比", "ratio"),
            Column("retired_share", "退休占比", "percent"),
        ),
        _enrolment_rows,
    ),
    Family(
        "outpatient",
        "门诊",
        ("outpatient",),
        "类别",
        SERVICE_COLUMNS,
        _service_rows(("outpatient_total", "outpatient_ordinary"), ("employee", "resident")),
    ),
    Family(
        "inpatient",
        "住院",
        ("inpatient",),
        "类别",
        SERVICE_COLUMNS,
        _service_rows(("inpatient_total",), ("employee", "resident")),
    ),
    Family(
        "critical_illness",
        "大病保险",
        ("critical_illness",),
        "类别",
        SERVICE_COLUMNS,
        _service_rows(("critical_illness",), ("employee_major", "resident_critical")),
    ),
    Family(
        "maternity",
        "生育保险",
        ("maternity",),
        "类别",
        SERVICE_COLUMNS,
        _service_rows(("maternity_total",), ("maternity", "employee")),
    ),
    Family(
        "assistance",
        "医疗救助",
        ("assistance",),
        "类别",
        SERVICE_COLUMNS,
        _service_rows(("assistance_total", "assistance_enrolment"), ("medical_assistance",)),
    ),
)
FAMILY = {f.code: f for f in FAMILIES}


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
        self._rows: list[tuple[str, str, dict]] = []
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
        self._contexts: dict[tuple[str, str], Context] = {}
        self._reports: dict[tuple[str, str], Report | Exception] = {}
        self._audit: list[Finding] | None = None
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
        self._facts = Facts(ds)
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

    def _table_rows(self) -> tuple[list[tuple[str, str, dict]], set[int], str]:
        """(key label, item label, values) rows of the current selection, total-row indices, and a note."""
        fam, fund = FAMILY[self.family.value], self.fund.value
        found: list[tuple[str, str, dict, bool]] = []  # (key, item, values, is the parent's total row)
        note = ""
        if self.mode.value == "periods":
            region = self.region.value
            for period in sorted(self.dataset.periods(), key=_period_key):
                for item, vals in fam.rows(self.context(region, period), region, fund):
                    found.append((_period_text(period), item, vals, False))
        else:
            period = self.period.value
            areas, note, owner = self._areas(self.region.value)
            parent = owner if areas else None
            for area in [*areas, *([parent] if parent else [])]:
                for item, vals in fam.rows(self.context(area, period), area, fund):
                    found.append((self._name(area), item, vals, area == parent))
        keep = [r for r in found if any(v is not None and v != "—" for k, v in r[2].items() if not k.startswith("_"))]
        totals = {i for i, r in enumerate(keep) if r[3]}
        return [r[:3] for r in keep], totals, note

    def _table_view(self) -> str:
        fam = FAMILY[self.family.value]
        self._rows = []
        rows, totals, note = self._table_rows()
        self._rows = rows
        head = f"<p class='fr-note'>{escape(note)}</p>" if note else ""
        if not rows:
            self.table = None
            return head + _empty(f"{self._scope_text()}：数据中没有可显示的数据。")
        key = Column("key", "期间" if self.mode.value == "periods" else "地区")
        cols = (key, Column("item", fam.item), *fam.columns)
        self.table = Table(
            f"explore-{fam.code}-{self.mode.value}",
            self._scope_text(),
            cols,
            tuple((k, item, *(vals.get(c.key) for c in fam.columns)) for k, item, vals in rows),
            frozenset(totals),
            note=f"金额单位：{self.loaded.params.money_unit}；同比对比去年同期",
        )
        return head + table_html(self.table, None, self.loaded.params.money_unit)

    # chart

    def _chart_spec(self) -> Chart | None:
        rows = self._rows
        if not rows:
            return None
        fam = FAMILY[self.family.value]
        keys = list(dict.fromkeys(k for k, _, _ in rows))
        items = list(dict.fromkeys(i for _, i, _ in rows))

        def x(k: str, i: str) -> str:
            if len(keys) == 1:
                return i
            return k if len(items) == 1 else f"{k} {i}"

        title = self._scope_text()
        unit = self.loaded.params.money_unit
        trend = self.mode.value == "periods" and len(keys) >= 2
        data: list[dict] = []
        if fam.code == "flows":
            for k, i, v in rows:
                for what, key in (("收入", "income"), ("支出", "expense")):
                    if v[key] is not None:
                        if trend:
                            data.append({"x": k, "series": f"{i}{what}", "y": v[key]})
                        else:
                            data.append({"x": x(k, i), "series": what, "y": v[key]})
            return Chart("x-flows", "trend" if trend else "bars", title, tuple(data), "x", "y", "series", unit)
        if fam.code == "balance":
            for k, i, v in rows:
                for series, key in (("账面", "months"), ("实际", "adj_months")):
                    if v[key] is not None:
                        data.append({"x": x(k, i), "series": series, "y": v[key]})
            if data:
                cuts = tuple(self.loaded.params.thresholds.months_bands)
                return Chart("x-months", "months", title, tuple(data), "x", "y", "series", cuts=cuts, ylabel="个月")
            for k, i, v in rows:  # no expense, so no months: the balances themselves
                for series, key in (("累计结余", "cumulative"), ("实际结余", "adjusted")):
                    if v[key] is not None:
                        data.append({"x": x(k, i), "series": series, "y": v[key]})
            return Chart("x-balance", "bars", title, tuple(data), "x", "y", "series", unit)
        if fam.code == "budget":
            data = [{"x": x(k, i), "y": v["rate"]} for k, i, v in rows if v["rate"] is not None]
            return Chart("x-budget", "shares", f"{title}：预算执行率", tuple(data), "x", "y", ylabel="%")
        if fam.code == "enrolment":
            data = [{"x": x(k, i), "y": v["n"]} for k, i, v in rows if v["n"] is not None]
            return Chart("x-enrolment", "bars", f"{title}：参保人数", tuple(data), "x", "y", unit="万人", ylabel="万人")
        picked = [(k, i, v) for k, i, v in rows if v["fund_paid"] is not None]
        if len(picked) > 12:
            picked = [r for r in picked if r[2].get("_root")]
        data = [{"x": x(k, i), "y": v["fund_paid"]} for k, i, v in picked]
        return Chart("x-services", "bars", f"{title}：基金支付", tuple(data), "x", "y", unit=unit)

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

    def _findings_view(self) -> str:
        if self._audit is None:
            self._audit = run_audit(self.dataset)
        region, fund = self.region.value, self.fund.value
        regions = {region}
        if self.mode.value == "regions":
            regions |= set(self._areas(region)[0])
        funds = _related_funds(fund) if fund else None
        periods = None if self.mode.value == "periods" else {self.period.value}
        self._findings = [
            f
            for f in self._audit
            if f.region in regions and (periods is None or f.period in periods) and (funds is None or f.fund in funds)
        ]
        scope = "各期间" if periods is None else _period_text(self.period.value)
        where = f"{self._name(region)}{'及下级地区' if self.mode.value == 'regions' else ''}"
        head = f"<p class='fr-note'>{escape(where)}{escape(scope)}的数据核对发现（全部数据共{len(self._audit)}条）</p>"
        if not self._findings:
            return head + _empty("所选范围内没有核对发现。")
        names = tuple((c, self._name(c)) for c in sorted({f.region for f in self._findings}))
        return head + findings_html(FindingsTable(tuple(self._findings), region_names=names))

    # ranking

    def _ranking_rows(self) -> tuple[list[dict], str, str]:
        region, period, fund = self.region.value, self.period.value, self.fund.value
        areas, note, owner = self._areas(region)
        sel = {"employee": "employee_pool"}.get(fund, fund)
        if sel and sel not in SUPPORT_FUNDS:
            note += f"「{fund_label(fund)}」不计算可支付月数，以下列出各统筹基金。"
        funds = [sel] if sel in SUPPORT_FUNDS else list(SUPPORT_FUNDS)
        rows = []
        for area in areas:
            ctx = self.context(area, period)
            year = str(ctx.period.year)
            for fd in funds:
                s = support(ctx, area, fd)
                devs = []
                for item in BUDGET_ITEMS:
                    plan = ctx.facts.budget(area, year, fd, item)
                    dev = ind.budget_deviation(
                        ind.budget_execution(executed(ctx, fd, item), plan), ctx.period.time_progress
                    )
                    if dev is not None:
                        devs.append(dev)
                dev = max(devs, key=abs) if devs else None
                use = {"employee_pool": "employee"}.get(fd, fd)
                per = ind.per_visit(
                    ctx.facts.use(area, period, use, "inpatient_total", "total_cost"),
                    ctx.facts.use(area, period, use, "inpatient_total", "visits"),
                )
                if s["cumulative"] is None and s["adjusted"] is None and dev is None and per is None:
                    continue
                band, adj_band = s["band"], s["adj_band"]
                risk = any(b is not None and b.risk for b in (band, adj_band))
                if dev is not None and abs(dev) > ctx.band_pp / 100 + 1e-12:
                    risk = True
                rows.append(
                    {
                        "area": self._name(area),
                        "fund": fund_label(fd),
                        "cumulative": s["cumulative"],
                        "adjusted": s["adjusted"],
                        "months": s["months"],
                        "band": band.label if band else "—",
                        "adj_months": s["adj_months"],
                        "adj_band": adj_band.label if adj_band else "—",
                        "deviation": dev,
                        "per_visit": per,
                        "risk": "⚠ 风险" if risk else "",
                    }
                )
        return rows, note, owner

    def _ranking_view(self) -> str:
        self.ranking_table = None
        rows, note, owner = self._ranking_rows()
        head = f"<p class='fr-note'>{escape(note)}</p>" if note else ""
        if not rows:
            return head + _empty(f"{self._name(owner)}没有可排名的下级地区数据。")
        by = self.rank_by.value

        def key(r: dict) -> float | None:
            if by == "months":
                return r["adj_months"] if r["adj_months"] is not None else r["months"]
            if by == "deviation":
                return None if r["deviation"] is None else -abs(r["deviation"])
            return None if r["per_visit"] is None else -r["per_visit"]

        ranked = sorted(rows, key=lambda r: (key(r) is None, key(r) or 0))
        n, out = 0, []
        for r in ranked:
            if key(r) is not None:
                n += 1
            out.append((n if key(r) is not None else None, *r.values()))
        label = {v: k for k, v in RANKINGS}[by]
        missing = sum(key(r) is None for r in rows)
        if missing == len(rows):
            head += _empty(
                f"各地区均缺少计算「{label.split('（')[0]}」所需的数据（如基金支出、预算或住院人次），按地区顺序列出。"
            )
        elif missing:
            head += _empty(f"{missing}行缺少「{label.split('（')[0]}」所需的数据，列在最后。")
        cuts = "、".join(nv.fmt_number(c, 2, trim=True) for c in self.loaded.params.thresholds.months_bands)
        cols = (
            Column("rank", "排名", "count"),
            Column("area", "地区"),
            Column("fund", "险种"),
            Column("cumulative", "累计结余", "money"),
            Column("adjusted", "实际结余", "money"),
            Column("months", "可支付月数", "months"),
            Column("band", "区间"),
            Column("adj_months", "实际可支付月数", "months"),
            Column("adj_band", "实际区间"),
            Column("deviation", "预算执行偏离（百分点）", "points"),
            Column("per_visit", "次均住院费用（元）", "per"),
            Column("risk", "提示"),
        )
        self.ranking_table = Table(
            "explore-ranking",
            f"{self._name(owner)}{_period_text(self.period.value)}各下级地区排名：按{label}",
            cols,
            tuple(out),
            note=(
                f"金额单位：{self.loaded.params.money_unit}；可支付月数区间分界 {cuts} 个月；"
                f"预算执行偏离为各预算项目中偏离时间进度最大者，超过±"
                f"{nv.fmt_number(self.loaded.params.thresholds.budget_deviation_pp, 2, trim=True)}个百分点提示风险"
            ),
        )
        return head + table_html(self.ranking_table, None, self.loaded.params.money_unit)

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
        data["outputs"] = [f for f in self.formats if f in ("html", "pdf")] or ["html"]
        if (region, period) != (base.region, base.period):
            data.pop("commentary", None)
            data.pop("sections", None)
        target = self._explore_root / "params" / f"{region}-{period}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        text = "# 由探索界面（fundreport.explore）生成\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
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


def _related_funds(fund: str) -> set[str]:
    """A fund with its parent and parts (职工 ↔ 统筹基金 / 个人账户): findings on either concern it."""
    out = {fund}
    term = vocab.FUNDS.term(fund)
    if term.parent:
        out.add(term.parent)
    out |= {t.code for t in vocab.FUNDS if t.parent == fund}
    return out


def _fund_names(fund: str) -> tuple[str, ...]:
    """Words by which sentences name a fund (for filtering the sentences)."""
    if fund == "all_funds":
        return ("各项", "合计", "两项", "二项")
    term = vocab.FUNDS.term(fund)
    names = {FUND_SHORT.get(fund, ""), FUND_SUBJECT.get(fund, ""), term.label, *term.aliases}
    return tuple(n for n in names if len(n) >= 2)
