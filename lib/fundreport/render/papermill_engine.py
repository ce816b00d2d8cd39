"""The papermill engine class for :mod:`fundreport.render.inprocess` (entry point ``papermill.engine``).

Kept apart and tiny because papermill loads its entry points while ``papermill.engines`` is still being
imported: this module must only need the ``Engine`` class, defined by then. Import it through
:func:`fundreport.render.inprocess.register`, never before papermill.
"""

from __future__ import annotations

from papermill.engines import Engine


class InProcessEngine(Engine):
    """papermill engine: the notebook's code cells run in this process's warm IPython shell, reset first."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
        from fundreport.render.inprocess import execute_cells

        execute_cells(nb_man)
        return nb_man.nb
