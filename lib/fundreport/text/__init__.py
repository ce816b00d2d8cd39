"""Words: every Chinese label (labels) and the wording of figures, changes and sentences (narrative)."""
