"""Importing the library and drawing a chart leave matplotlib's and seaborn's global state as they were."""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = r"""
import json, matplotlib
before_backend = matplotlib.rcParams._get_backend_or_none()
rc = matplotlib.rcParams  # _get: reading "backend" through rc[...] would resolve it
before = {k: repr(rc._get(k)) for k in list(rc.keys()) if k != "backend"}
import fundreport.explore.app, fundreport.render.notebook, fundreport.render.one, fundreport.render.charts
from fundreport.render.charts import render_png
from fundreport.report.model import Chart
png = render_png(Chart("c", "bars", "图", ({"x": "职工", "y": 1.0e6}, {"x": "居民", "y": 2.0e6}), "x", "y"))
after = {k: repr(rc._get(k)) for k in list(rc.keys()) if k != "backend"}
after_backend = matplotlib.rcParams._get_backend_or_none()
import matplotlib.pyplot as plt
print(json.dumps({
    "backend": [before_backend, after_backend],
    "changed": sorted(k for k in before if before[k] != after.get(k)),
    "figures": plt.get_fignums(),
    "png": png[:4] == b"\x89PNG",
}))
"""


def test_import_and_charts_change_no_global_matplotlib_state():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True).stdout
    got = json.loads(out.strip().splitlines()[-1])
    assert got["png"]
    assert got["backend"][0] == got["backend"][1]
    assert got["changed"] == []
    assert got["figures"] == []  # charts are bare Figures, not in pyplot's registry
