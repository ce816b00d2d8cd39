"""Data in: the data contract (tables, codes, units), reading CSV/Excel, validation, the Excel template, the params schema and the check of a params file with its dataset."""
