"""Renderers: section HTML fragments, charts, what the master notebook calls, the nbconvert export and template, PDF and fonts, one report and a batch."""
