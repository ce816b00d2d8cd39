"""The ipywidgets explorer: views (pure functions over report tables and measures) and the app (widgets that wire state).

``from fundreport.explore import Explorer`` is what ``notebooks/explore.ipynb`` uses."""

from fundreport.explore.app import Explorer
from fundreport.explore.views import FAMILIES, FAMILY

__all__ = ["Explorer", "FAMILIES", "FAMILY"]
