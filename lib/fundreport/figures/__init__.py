"""Figures: raw lookups (facts), formulas (indicators), every derived figure of a report (measures), the audit and performance targets. The only layer that adds, subtracts or divides money."""
