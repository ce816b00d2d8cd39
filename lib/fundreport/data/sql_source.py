"""Settlement detail that lives in a database or cluster (Spark, Trino, …), aggregated where it lives.

A province keeps its settlement records in a cluster, not in files. :func:`open_table` wraps a DB-API 2.0
connection to that engine (``trino.dbapi.connect``, ``pyhive.hive.connect`` to a Spark Thrift server, the
Databricks SQL connector, or DuckDB's own) and one table of the records, in the platform's field names or
their Chinese headers (:data:`fundreport.data.detail.FIELDS`); the result is a source that
:func:`fundreport.data.aggregate.utilisation_rows` aggregates with the same SQL as local files.

How: the aggregation writes its statements in DuckDB's dialect through four methods (``rows``, ``view``,
``table``, ``drop``). Here, views and temporary tables are kept as definitions and prefixed to each query
as a ``WITH`` list (engines differ in temporary objects; every engine has common table expressions), and
each query is translated to the engine's dialect by sqlglot (``unsupported_level=RAISE``: a construct the
target lacks is an error here, not a wrong figure there). Only the query results come back: a few hundred
rows of sums per region, period, fund and category, and the counts of the summary. The engine's own
planner distributes the scans; what is computed twice (the per-person sums read by two queries) costs
one more scan of the table there, not memory here.

Values are cast to the contract's types in the query (money ``DECIMAL(18,2)``, times ``TIMESTAMP``, flags
``BOOLEAN``: 1/0 or true/false), so the table's columns must hold values that cast; the located value
checks of files (:func:`fundreport.data.detail.check_detail`) do not run on a table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fundreport.data.detail import BY_CODE, FIELDS, SQL_TYPES, field_of
from fundreport.errors import InputError, Issue

DIALECTS = ("duckdb", "spark", "databricks", "trino", "presto", "hive", "postgres")


def translate(sql: str, dialect: str) -> str:
    """``sql`` (DuckDB's dialect) in ``dialect``; raises sqlglot's UnsupportedError for what it lacks."""
    if dialect == "duckdb":
        return sql
    import sqlglot

    return sqlglot.transpile(sql, read="duckdb", write=dialect, unsupported_level=sqlglot.ErrorLevel.RAISE)[0]


@dataclass
class TableSource:
    """A detail table on a DB-API connection, queried in ``dialect`` (see the module docstring)."""

    conn: object
    name: str  # the table, as the engine names it (catalog.schema.table)
    dialect: str
    columns: dict[str, str]  # field code -> the table's column
    missing: tuple[str, ...]
    defined: dict[str, str] = field(default_factory=dict)  # relation -> its SELECT, in definition order
    log: list[str] = field(default_factory=list)  # every query sent, in the engine's dialect
    reads = ()  # no files: the located value checks do not apply

    @property
    def files(self) -> tuple[str, ...]:
        return (self.name,)  # what messages name as the source

    def has(self, code: str) -> bool:
        return code in self.columns

    def view(self, name: str, select: str) -> None:
        self.defined[name] = select

    table = view  # computed where it is read: temporary tables differ by engine

    def drop(self, name: str) -> None:
        self.defined.pop(name, None)

    def sql(self, query: str) -> str:
        """``query`` with every relation defined so far as a WITH list, in the engine's dialect."""
        relations = ", ".join(f"{name} AS ({select})" for name, select in self.defined.items())
        return translate(f"WITH {relations} {query}" if relations else query, self.dialect)

    def rows(self, query: str) -> list[tuple]:
        text = self.sql(query)
        self.log.append(text)
        cur = self.conn.cursor()
        try:
            cur.execute(text)
            return [tuple(r) for r in cur.fetchall()]
        finally:
            cur.close()

    def close(self) -> None:
        """Nothing to release: the connection is the caller's."""


def _quote(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def open_table(conn, table: str, dialect: str) -> TableSource:
    """The detail table ``table`` on the DB-API connection ``conn`` as a source; raises :class:`InputError`
    naming the table when a required field is missing or a field is named twice. ``dialect``: sqlglot's name
    of the engine's SQL (:data:`DIALECTS`)."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown SQL dialect {dialect!r}; choose one of {', '.join(DIALECTS)}")
    if table.rsplit(".", 1)[-1].strip('"`').lower() == "detail":
        raise ValueError("name the table with its schema (e.g. hive.medins.detail): 'detail' is the query's own name")
    cur = conn.cursor()
    try:
        cur.execute(translate(f"SELECT * FROM {table} WHERE 1 = 0", dialect))
        cur.fetchall()
        heads = [d[0] for d in cur.description]
    finally:
        cur.close()
    issues, columns = [], {}
    for h in heads:
        code = field_of(h)
        if code is None:
            continue
        if code in columns:
            issues.append(Issue(table, f"两列都是「{BY_CODE[code].label}」", column=h, value=columns[code]))
        columns[code] = h
    for f in FIELDS:
        if f.required and f.code not in columns:
            issues.append(Issue(table, "缺少必需的列", column=f"{f.label}（{f.code}）", expected=f.note or None))
    if issues:
        raise InputError(issues)
    typed = ", ".join(
        f"CAST({_quote(columns[c]) if c in columns else 'NULL'} AS {SQL_TYPES[BY_CODE[c].kind]}) AS {c}"
        for c in BY_CODE
    )
    src = TableSource(conn, table, dialect, columns, tuple(c for c in BY_CODE if c not in columns))
    shown = table.replace("'", "''")
    src.view("detail", f"SELECT '{shown}' AS _file, {typed} FROM {table}")
    return src
