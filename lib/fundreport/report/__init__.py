"""The report structure: immutable blocks (model), the context, one builder per section, the assembly (build) and its plain-data form (serialize)."""
