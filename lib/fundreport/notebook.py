"""What the master notebook imports: ``from fundreport.notebook import open_report`` (see fundreport.render.notebook)."""

from fundreport.render.notebook import ReportView, open_report

__all__ = ["ReportView", "open_report"]
