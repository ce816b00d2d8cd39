"""The report's metadata travels inside the executed notebook, from the kernel to the renderer.

The kernel builds the report once (:func:`fundreport.render.notebook.open_report`) and
displays one output carrying :data:`MIME` (title, TOC, key figures, risk
flags; :func:`fundreport.report.serialize.report_metadata`) next to ``text/html``
(the fragment styles and title block, which JupyterLab shows). The parent
process never builds the report again: :func:`report_metadata` reads it from
the executed notebook, and :class:`LiftReportMetadata`, a preprocessor of the
``fundreport`` nbconvert template, copies it to ``nb.metadata.fundreport`` and
drops that output (the template draws its own title block and styles). So
the HTML is a function of the executed notebook alone, and an analyst may edit
or add cells.
"""

from __future__ import annotations

import copy

from nbconvert.preprocessors import Preprocessor

MIME = "application/vnd.fundreport.report+json"


def _is_meta(output) -> bool:
    return output.get("output_type") in {"display_data", "execute_result"} and MIME in (output.get("data") or {})


def report_metadata(nb) -> dict | None:
    """The report metadata of an executed notebook (the last such output), or None when there is none."""
    found = None
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if _is_meta(output):
                found = output["data"][MIME]
    return copy.deepcopy(dict(found)) if found is not None else None


class LiftReportMetadata(Preprocessor):
    """nb.metadata.fundreport ← the report metadata output; the output itself is removed."""

    def preprocess(self, nb, resources):
        meta = report_metadata(nb)
        if meta is not None:
            nb.metadata["fundreport"] = meta
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.outputs if not _is_meta(o)]
        return nb, resources
