"""What the master notebook calls: one function to open a report, one call per section.

``report = open_report(params_path)`` validates the params file and the data
(raising :class:`~fundreport.errors.InputError` with every problem listed, so
nothing is rendered from invalid input), builds the report structure, and
returns a :class:`ReportView`; ``report.show("balance")`` displays that
section as HTML (nothing when the report has no such section).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .build import build_report
from .check import check_report
from .errors import InputError
from .fragments import section_html
from .model import Report
from .params import SECTIONS


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


def open_report(params_path: str | Path) -> ReportView:
    """Validate the params file and its dataset, then build the report."""
    result = check_report(params_path)
    if not result.ok:
        raise InputError(result.issues)
    return ReportView(build_report(result.params, result.dataset))
