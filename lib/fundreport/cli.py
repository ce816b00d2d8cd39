"""Command line: ``fundreport check | render | template | to-excel``.

``render`` validates every params file first (listing all invalid ones), then
renders the valid ones in a worker pool with a progress bar; it exits 1 when
any report is invalid or failed, naming each with its error.

``check`` validates every params file and its dataset (default: every file
under params/) and prints one summary row per report; it lists all invalid
files with all their errors and exits 1 if any is invalid.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import signal
import sys
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable

from fundreport.atomic import write_text_atomic
from fundreport.data.paths import OUTPUT_FORMATS, iter_params_files
from fundreport.errors import InputError
from fundreport.text.labels import FINDING_HEADERS, SEVERITY

# The checking and report modules (pandas, pydantic, openpyxl) are imported by the commands that use them,
# so that `fundreport render` of unchanged reports answers from the cache before any heavy import.

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _t(value: object) -> str:
    """Text from data or params, safe to print: rich markup escaped, ANSI/control/bidi characters removed."""
    return escape(_CONTROL.sub("", str(value)))


def _console() -> Console:
    # The terminal's width on a terminal; a fixed width keeps logs readable. Table cells wrap, never cut.
    return Console(width=None if sys.stdout.isatty() else 140, highlight=False)


def cmd_check(args: argparse.Namespace) -> int:
    """Validate params and data; list the audit of each dataset in full (table, JSON or CSV)."""
    from fundreport.data.aggregate import summary_lines
    from fundreport.data.check import check_report
    from fundreport.data.periods import Period
    from fundreport.data.tables import BY_CODE
    from fundreport.report.commentary_check import check_commentary
    from fundreport.report.context import Context
    from fundreport.report.findings import finding_row

    console = _console()
    root = Path(args.root).resolve()
    files = iter_params_files(args.params, root)
    if not files:
        console.print(f"[red]没有找到参数文件[/red]（{root / 'params'}）")
        return 1
    table = RichTable(title="参数与数据校验", show_lines=False)
    for head in ("参数文件", "地区", "期间", "数据表", "记录数", "核对发现", "提示", "状态"):
        table.add_column(head, overflow="fold")
    failed, audited, records, contradicted, details = [], [], [], [], []
    datasets: dict = {}
    warned = 0
    listed: set = set()  # findings already listed under an earlier params file
    outside: dict = {}  # dataset -> (source, all its findings, those of some params file's scope)
    for f in files:
        res = check_report(f, datasets=datasets)
        rel = _rel(f, root)
        if not res.ok:
            failed.append((rel, res))
            p = res.params.params if res.params else None
            table.add_row(
                _t(rel), _t(p.region) if p else "?", _t(p.period) if p else "?", "", "", "", "",
                f"[red]无效（{len(res.issues)} 处错误）[/red]",
            )  # fmt: skip
            continue
        p, ds = res.params.params, res.dataset
        ctx = Context(res.params, ds)
        au = ctx.audit
        tables = ds.datasets_present()
        rows = sum(len(ds[t]) for t in tables)
        errors = sum(x.severity == "error" for x in au.findings)
        status = "[green]通过[/green]" if not errors else f"[yellow]通过校验；数据有{errors}处错误[/yellow]"
        if res.warnings and not errors:
            status = f"[yellow]通过（{len(res.warnings)}项警告，见提示）[/yellow]"
        table.add_row(
            _t(rel),
            _t(f"{ds.region_name(p.region)}（{p.region}）"),
            Period.parse(p.period).label(p.period_style),
            "、".join(BY_CODE[t].label for t in tables),
            str(rows),
            _findings_summary(au.findings),
            _t("；".join(res.warnings) or "—"),
            status,
        )
        warned += bool(res.warnings)
        if res.detail is not None:
            details.append((rel, res.detail))
        names = {
            c: ds.region_name(c) for c in {x.region for x in au.findings} | {u.region for u in au.coverage.unchecked}
        }
        audited.append((rel, au, names, p.money_unit))
        notes = check_commentary(ctx)
        if notes:
            contradicted.append((rel, notes))
        outside.setdefault(id(ds), (ds.source, set(ctx.dataset_audit.findings), set()))[2].update(au.findings)
        records += [
            {"参数文件": rel, **dict(zip(FINDING_HEADERS, finding_row(x, names, p.money_unit, root), strict=True))}
            for x in au.findings
            if x not in listed and not listed.add(x)  # each finding once, under the first file it belongs to
        ]
    if args.format in {"json", "csv"}:
        _print_records(records, args.format)
    else:
        console.print(table)
        shown: set = set()
        for rel, au, names, unit in audited:
            _print_audit(console, rel, au, names, unit, root, shown)
        for source, every, scoped_ in outside.values():
            if len(every - scoped_):
                console.print(
                    f"\n数据集 {_t(source)} 另有{len(every - scoped_)}处核对发现不属于任何参数文件的地区和期间，未列出"
                    "（为该地区、期间建立参数文件后可见）。"
                )
        for rel, summary in details:
            console.print(f"\n{_t(rel)} 的结算明细：")
            for line in summary_lines(summary):
                console.print(f"  - {_t(line)}", soft_wrap=True)  # the terminal wraps: rich would break after the dash
        for rel, notes in contradicted:
            console.print(f"\n[bold yellow]{_t(rel)}：评述与计算结果不一致（{len(notes)}处，请核对评述）[/bold yellow]")
            for note in notes:
                console.print(f"  - {_t(note.text())}")
    for rel, res in failed:
        console.print(f"\n[bold red]{_t(rel)}[/bold red]")
        console.print(_CONTROL.sub("", InputError(res.issues).render(limit=MAX_SHOWN)), markup=False)
        if len(res.issues) > MAX_SHOWN:
            full = _write_issues(root, rel, res.issues)
            console.print(f"（另有 {len(res.issues) - MAX_SHOWN} 处未显示，完整列表见 {_t(full)}）")
    if failed:
        console.print(f"\n[red]{len(failed)} 个参数文件无效，{len(files) - len(failed)} 个通过。[/red]")
        return 1
    errors = len({x for _, au, _, _ in audited for x in au.findings if x.severity == "error"})  # each once
    if args.strict and errors:
        console.print(f"\n[red]数据核对发现{errors}处错误（--strict）。[/red]")
        return 1
    if args.format not in {"json", "csv"}:
        tail = f"；数据核对发现{errors}处错误，见上表" if errors else ""
        tail += f"；{warned}个有警告（见“提示”列）" if warned else ""
        console.print(f"\n[green]全部 {len(files)} 个参数文件及其数据通过校验{tail}。[/green]")
    return 0


MAX_SHOWN = 50
"""At most this many errors of one file on the terminal; the full list goes to a file."""


def _write_issues(root: Path, rel: str, issues) -> Path:
    """The full list of a file's errors, written beside the outputs (the terminal shows the first 50)."""
    out = root / "outputs" / "_errors" / (re.sub(r"[^\w.-]+", "_", rel) + ".txt")
    out.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out, InputError(issues).render() + "\n")
    return out


def _print_audit(
    console: Console, rel: str, au, names: dict[str, str], unit: str, root: Path, shown: set | None = None
) -> None:
    """Every finding of one report in full (cells wrap, nothing is cut), the coverage line and the unchecked
    items; a finding or unchecked item in ``shown`` (listed under an earlier file) is counted, not repeated."""
    from fundreport.report.findings import UNCHECKED_HEADERS, coverage_sentence, finding_row, unchecked_row

    shown = set() if shown is None else shown
    findings = [x for x in au.findings if x not in shown]
    unchecked = [u for u in au.coverage.unchecked if u not in shown]
    repeated = len(au.findings) + len(au.coverage.unchecked) - len(findings) - len(unchecked)
    shown.update(findings, unchecked)
    console.print(f"\n[bold]{_t(rel)}[/bold]：{_t(coverage_sentence(au.coverage))}")
    if repeated:
        console.print(f"（另有{repeated}项已在上方其他参数文件下列出，不再重复。）")
    for title, headers, rows in (
        ("数据核对发现", FINDING_HEADERS, [finding_row(x, names, unit, root) for x in findings]),
        ("无法核对的报告数值", UNCHECKED_HEADERS, [unchecked_row(u, names, unit, root) for u in unchecked]),
    ):
        if not rows:
            continue
        t = RichTable(title=f"{title}（{len(rows)}项，金额单位：{unit}）", show_lines=True)
        for h in headers:
            t.add_column(h, overflow="fold")
        for r in rows:
            t.add_row(*(_t(c) for c in r))
        console.print(t)


def _print_records(records: list[dict], fmt: str) -> None:
    """Findings as JSON (a list of objects) or CSV (one header row), for programs and spreadsheets."""
    if fmt == "json":
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=["参数文件", *FINDING_HEADERS])
    writer.writeheader()
    writer.writerows(records)


def _findings_summary(findings) -> str:
    """e.g. '错误 5、提示 7、说明 1' (severities in the same words as the report)."""
    from fundreport.figures.audit import SEVERITIES

    counts = Counter(f.severity for f in findings)
    return "、".join(f"{SEVERITY[s]} {counts[s]}" for s in SEVERITIES if counts[s]) or "无"


def cmd_render(args: argparse.Namespace) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from fundreport.render.batch import render_all

    console = _console()
    root = Path(args.root).resolve()
    files = iter_params_files(args.params, root)
    if not files:
        console.print(f"[red]没有找到参数文件[/red]（{root / 'params'}）")
        return 1
    out_root = Path(args.out).resolve() if args.out else root / "outputs"
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip()) if args.formats else None
    unknown = [f for f in formats or () if f not in OUTPUT_FORMATS]
    if unknown:
        console.print(f"[red]未知的输出格式：{'、'.join(unknown)}[/red]（可选：{'、'.join(OUTPUT_FORMATS)}）")
        return 2
    progress = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
    )
    task = None

    def on_start(n: int) -> None:
        nonlocal task
        if n:  # nothing to render when every report is unchanged: no empty bar
            task = progress.add_task(f"渲染 {n} 份报告", total=n)

    def on_done(r) -> None:
        name = f"{r.region_name or r.slug or r.params} {r.period_label}".strip()
        if r.status == "invalid":
            console.print(f"[red]✗ 输入有误[/red] {_t(r.params)}")
            return
        if r.reused:
            console.print(f"[green]↺[/green] {_t(name)}（输入未变，沿用上次结果；--force 重新生成）")
            return
        mark = "[green]✓[/green]" if r.status == "ok" else "[red]✗[/red]"
        console.print(f"{mark} {_t(name)}（{r.seconds.get('total', 0):.1f} 秒）")
        progress.update(task, advance=1, description=f"最近完成：{_t(name)}")

    def on_term(_signum, _frame):  # SIGTERM stops like Ctrl-C: workers stopped, index and manifest written
        raise _Terminated()

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        with progress:
            results = render_all(
                files, root, out_root, jobs=args.jobs, formats=formats, pdf_engine=args.pdf_engine,
                on_start=on_start, on_done=on_done, force=args.force, engine=args.engine,
                scheduler=args.scheduler,
            )  # fmt: skip
    except KeyboardInterrupt as exc:
        console.print(f"\n[red]已中断[/red]：已完成的报告已写入索引和清单（{_t(out_root / 'index.html')}）。")
        return 143 if isinstance(exc, _Terminated) else 130
    finally:
        signal.signal(signal.SIGTERM, previous)
    bad = [r for r in results if r.status != "ok"]
    console.print(f"\n索引：{out_root / 'index.html'}　清单：{out_root / 'manifest.json'}")
    if bad:
        console.print(f"[red]{len(bad)} 份报告未生成，{len(results) - len(bad)} 份已生成：[/red]")
        for r in bad:
            console.print(
                f"\n[bold red]{_t(r.params)}[/bold red]（{'输入有误' if r.status == 'invalid' else '生成失败'}）"
            )
            console.print(_CONTROL.sub("", r.error), markup=False)
        return 1
    again = sum(r.reused for r in results)
    note = f"（其中 {again} 份输入未变，沿用上次结果）" if again else ""
    console.print(f"[green]全部 {len(results)} 份报告已生成{note}。[/green]")
    return 0


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C (exit 143 instead of 130)."""


def cmd_template(args: argparse.Namespace) -> int:
    from fundreport.data.template import write_workbook

    path = write_workbook(args.out)
    _console().print(f"已写出空白模板：{path}")
    return 0


def cmd_to_excel(args: argparse.Namespace) -> int:
    """Turn a CSV dataset folder into a filled workbook (same tables and rows)."""
    from fundreport.data.template import dataset_to_workbook

    path = dataset_to_workbook(args.dataset, args.out)
    _console().print(f"已写出工作簿：{path}")
    return 0


def _memory_size(text: str) -> str:
    if not re.fullmatch(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", text.strip(), re.IGNORECASE):
        raise argparse.ArgumentTypeError(f"应为内存大小，如 2GB 或 512MB，而不是 {text!r}")
    return text.strip()


def cmd_aggregate(args: argparse.Namespace) -> int:
    """Settlement detail -> the dataset's utilisation table (see fundreport.data.aggregate)."""
    import duckdb

    from fundreport.data.aggregate import aggregate, summary_lines

    try:
        s = aggregate(
            args.detail,
            Path(args.out),
            periods=args.period,
            mapping_path=args.mapping,
            memory_limit=args.memory_limit,
            partial=args.partial,
        )
    except duckdb.OutOfMemoryException:
        _console().print(
            f"[red]内存不足[/red]：汇总超出 --memory-limit {_t(args.memory_limit)}；请提高上限，或按月份分批汇总。"
        )
        return 1
    except duckdb.Error as exc:  # an unreadable file (corrupt Parquet, a CSV DuckDB cannot parse)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        _console().print(f"[red]无法读取结算明细[/red]：{_t(first)}")
        return 1
    console = _console()
    for line in summary_lines(s, str(Path(args.out) / "utilisation.csv")):
        console.print(_t(line), soft_wrap=True)
    return 0


def _rel(path: Path, root: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(root))
    except ValueError:
        return str(path)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fundreport", description="医保基金运行分析报告工具")
    parser.add_argument("--root", default=".", help="项目根目录（含 params/），默认当前目录")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="校验参数文件及其数据，列出数据核对发现")
    p.add_argument("params", nargs="*", help="参数文件或文件夹（默认 params/ 下全部）")
    p.add_argument("--format", choices=["table", "json", "csv"], default="table", help="核对发现的输出格式")
    p.add_argument("--strict", action="store_true", help="数据核对发现错误时以非零状态退出")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("render", help="生成报告（HTML、PDF），默认 params/ 下全部")
    p.add_argument("params", nargs="*", help="参数文件或文件夹（默认 params/ 下全部）")
    p.add_argument("--jobs", "-j", type=int, default=None, help="并行进程数（默认 CPU 核数）")
    p.add_argument("--out", default=None, help="输出目录（默认 outputs/）")
    p.add_argument("--force", action="store_true", help="输入未变的报告也重新生成（默认沿用上次结果）")
    p.add_argument(
        "--formats",
        default=None,
        help="html,pdf,docx,xlsx 中的一种或几种，逗号分隔（默认按参数文件 outputs，即 html,pdf）",
    )
    p.add_argument("--pdf-engine", default="auto", choices=["auto", "weasyprint", "chromium"])
    p.add_argument(
        "--engine",
        default="auto",
        choices=["auto", "inprocess", "kernel"],
        help="笔记本执行方式：inprocess 在生成进程内执行（默认）；kernel 使用 Jupyter 内核",
    )
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="在 Dask 集群上生成（调度器地址，如 tcp://10.0.0.5:8786，或调度器文件 .json）；输出目录须为各节点共享路径",
    )
    p.set_defaults(func=cmd_render)
    p = sub.add_parser("template", help="写出空白 Excel 填报模板")
    p.add_argument("out", nargs="?", default="fundreport-template.xlsx")
    p.set_defaults(func=cmd_template)
    p = sub.add_parser("to-excel", help="把 CSV 数据文件夹转换为 Excel 工作簿")
    p.add_argument("dataset")
    p.add_argument("out")
    p.set_defaults(func=cmd_to_excel)
    p = sub.add_parser("aggregate", help="由结算明细（CSV/Parquet）汇总医疗待遇表，写入数据集")
    p.add_argument("detail", nargs="+", help="结算明细文件或文件夹（.csv UTF-8/GBK，.parquet）")
    p.add_argument("--out", required=True, help="数据集文件夹（写入或更新其中的 utilisation.csv）")
    p.add_argument(
        "--period", action="append", default=None, help="期间代码，可重复（默认：最新年份至今各月及往年同期）"
    )
    p.add_argument("--mapping", default=None, help="险种类型/医疗类别/医院等级的映射文件（YAML，覆盖默认映射）")
    p.add_argument(
        "--memory-limit", default="2GB", type=_memory_size, help="DuckDB 可用内存上限，超出部分写入临时文件（默认 2GB）"
    )
    p.add_argument("--partial", action="store_true", help="明知明细缺少所选期间的某些月份：缺月只作警告，不作错误")
    p.set_defaults(func=cmd_aggregate)
    return parser


def main(argv: list[str] | None = None) -> int:
    from fundreport.render.execute import lean_imports

    lean_imports()
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        _console().print(exc.render(), markup=False)
        return 1
    except KeyboardInterrupt:
        _console().print("\n已中断。")
        return 130


if __name__ == "__main__":
    sys.exit(main())
