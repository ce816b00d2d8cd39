"""What the master notebook calls: one function to open a report, one call per section.

``report = open_report(params_path)`` validates the params file and the data
(raising :class:`~fundreport.errors.InputError` with every problem listed, so
nothing is rendered from invalid input), builds the report structure once,
and displays one output: the fragment styles and the title block
(``text/html``, what JupyterLab shows) together with the report metadata
(:data:`fundreport.render.nbmeta.MIME`: title, TOC, key figures, risk flags), which
the renderer reads from the executed notebook instead of building the report
again. ``report.show("balance")`` displays that section as HTML (nothing
when the report has no such section).

A relative ``params_path`` is found from the working directory or, failing
that, from the project root, so the notebook runs with "Run All" from
``notebooks/`` in JupyterLab as well as under papermill from the project root.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fundreport.data.check import check_report
from fundreport.errors import InputError
from fundreport.project import resolve
from fundreport.render.fragments import fragments_css, section_html, titleblock_html
from fundreport.render.nbmeta import MIME
from fundreport.report.build import build_report
from fundreport.report.model import Report
from fundreport.report.serialize import report_metadata
from fundreport.text.labels import SECTIONS


@dataclass(frozen=True)
class ReportView:
    report: Report

    def html(self, code: str) -> str:
        """The HTML fragment of a section, or '' when the report has none."""
        if code not in SECTIONS:
            raise KeyError(f"unknown section {code!r}; one of {', '.join(SECTIONS)}")
        section = self.report.section(code)
        return section_html(self.report, section) if section else ""

    def show(self, code: str) -> None:
        """Display a section in the notebook (a text/html output)."""
        from IPython.display import HTML, display

        fragment = self.html(code)
        if fragment:
            display(HTML(fragment))

    def head_bundle(self) -> dict:
        """The opening output: styles and title block as text/html, the report metadata as :data:`MIME`."""
        meta = report_metadata(self.report)
        return {"text/html": f"<style>{fragments_css()}</style>{titleblock_html(meta)}", MIME: meta}

    def show_head(self) -> None:
        from IPython.display import display

        display(self.head_bundle(), raw=True)


def open_report(params_path: str | Path, *, show: bool = True) -> ReportView:
    """Validate the params file and its dataset, build the report once, and display its head output."""
    result = check_report(resolve(params_path))
    if not result.ok:
        raise InputError(result.issues)
    view = ReportView(build_report(result.params, result.dataset))
    if show:
        view.show_head()
    return view
