"""The aggregation on another engine (lib/fundreport/data/sql_source.py): the same rows from a table as from
files, and the statements translated to Spark and Trino keep their meaning."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import sqlglot

from fundreport.data.aggregate import aggregate, aggregate_table, load_mapping, utilisation_rows
from fundreport.data.detail import open_detail
from fundreport.data.sql_source import open_table, translate
from fundreport.errors import InputError

CHAINS = {"420700": ["420700"], **{d: [d, "420700"] for d in ("420702", "420703", "420704")}}


def write_detail(path: Path, n: int = 6000) -> Path:
    """Settlements with every column the aggregation reads: funds, outpatient/inpatient/maternity types, levels,
    every payer, cost parts, stays, 省内/跨省异地, and one in fifty reversed (with 原结算ID)."""
    con = duckdb.connect()
    con.execute(f"""
        COPY (
          WITH s AS (SELECT i, (hash(i) % 1000000007)::BIGINT AS h FROM range({n}) t(i)),
          base AS (
            SELECT i, 'S' || i AS setl_id, 'P' || (h % 900) AS psn_no,
                   ['310', '390', '310', '390', '510'][h % 5 + 1] AS insutype,
                   ['11', '14', '21', '41', '21', '52', '11'][(h // 5) % 7 + 1] AS med_type,
                   ['1', '2', '3', '三级'][(h // 35) % 4 + 1] AS hosp_lv,
                   TIMESTAMP '2023-01-01' + INTERVAL (i % 2) YEAR + INTERVAL ((h // 7) % 3) MONTH
                     + INTERVAL ((h // 11) % 27) DAY AS setl_time,
                   round(((h // 13) % 500000) / 100.0 + 10, 2)::DECIMAL(18, 2) AS medfee_sumamt,
                   ['420702', '420703', '420704'][(h // 17) % 3 + 1] AS insu_admdvs,
                   (h // 19) % 10 AS place
            FROM s)
          SELECT setl_id, NULL AS init_setl_id, psn_no, insutype, med_type, hosp_lv, setl_time,
                 setl_time - INTERVAL ((i % 9)) DAY AS begndate, setl_time AS enddate, medfee_sumamt,
                 (medfee_sumamt * 0.8)::DECIMAL(18, 2) AS inscp_scp_amt,
                 (medfee_sumamt * 0.05)::DECIMAL(18, 2) AS fulamt_ownpay_amt,
                 (medfee_sumamt * 0.02)::DECIMAL(18, 2) AS overlmt_selfpay,
                 (medfee_sumamt * 0.03)::DECIMAL(18, 2) AS preselfpay_amt,
                 CASE WHEN i % 6 = 0 THEN 0 ELSE (medfee_sumamt * 0.5)::DECIMAL(18, 2) END AS hifp_pay,
                 CASE WHEN i % 4 = 0 THEN (medfee_sumamt * 0.1)::DECIMAL(18, 2) ELSE 0 END AS acct_pay,
                 CASE WHEN i % 8 = 1 THEN 3.50 ELSE 0 END::DECIMAL(18, 2) AS acct_mulaid_pay,
                 CASE WHEN insutype = '310' AND i % 10 = 2 THEN 100.00 ELSE 0 END::DECIMAL(18, 2) AS hifob_pay,
                 CASE WHEN insutype = '390' AND i % 10 = 3 THEN 80.00 ELSE 0 END::DECIMAL(18, 2) AS hifmi_pay,
                 CASE WHEN i % 12 = 5 THEN 20.00 ELSE 0 END::DECIMAL(18, 2) AS cvlserv_pay,
                 CASE WHEN i % 15 = 7 THEN 30.00 ELSE 0 END::DECIMAL(18, 2) AS maf_pay,
                 FALSE AS refd_setl_flag, insu_admdvs,
                 CASE WHEN place = 0 THEN '110101' WHEN place = 1 THEN '421002' ELSE insu_admdvs END AS mdtrt_admdvs
          FROM base
          UNION ALL  -- one in fifty reversed, named by 原结算ID, amounts stored positive
          SELECT 'R' || i, 'S' || i, psn_no, insutype, med_type, hosp_lv, setl_time + INTERVAL 1 DAY,
                 setl_time - INTERVAL ((i % 9)) DAY, setl_time, medfee_sumamt, (medfee_sumamt * 0.8)::DECIMAL(18, 2),
                 (medfee_sumamt * 0.05)::DECIMAL(18, 2), (medfee_sumamt * 0.02)::DECIMAL(18, 2),
                 (medfee_sumamt * 0.03)::DECIMAL(18, 2),
                 CASE WHEN i % 6 = 0 THEN 0 ELSE (medfee_sumamt * 0.5)::DECIMAL(18, 2) END,
                 CASE WHEN i % 4 = 0 THEN (medfee_sumamt * 0.1)::DECIMAL(18, 2) ELSE 0 END, 0, 0, 0, 0, 0,
                 TRUE, insu_admdvs, insu_admdvs
          FROM base WHERE i % 50 = 0 AND extract(day FROM setl_time) < 26
        ) TO '{path}' (FORMAT parquet)
    """)
    con.close()
    return path


def key(rows: list[dict]) -> list[tuple]:
    return sorted(tuple(str(v) for v in r.values()) for r in rows)


@pytest.fixture(scope="module")
def detail(tmp_path_factory) -> tuple[Path, list[dict]]:
    path = write_detail(tmp_path_factory.mktemp("sql") / "detail.parquet")
    src = open_detail([path])
    try:
        rows, _ = utilisation_rows(src, load_mapping(None), regions=CHAINS)
    finally:
        src.close()
    return path, rows


def table_connection(path: Path):
    con = duckdb.connect()
    con.execute(f"CREATE TABLE main.setl AS SELECT * FROM read_parquet('{path}')")
    return con


class Translated:
    """A DB-API connection that takes ``dialect``'s SQL and runs it on DuckDB, translated back by sqlglot: the
    figures survive the round trip only if the translation keeps the query's meaning."""

    def __init__(self, con, dialect: str):
        self.con, self.dialect = con, dialect

    def cursor(self):
        outer = self

        class Cursor:
            description = None

            def execute(self, text):
                self._cur = outer.con.cursor()
                self._cur.execute(sqlglot.transpile(text, read=outer.dialect, write="duckdb")[0])
                self.description = self._cur.description

            def fetchall(self):
                return self._cur.fetchall()

            def close(self):
                self._cur.close()

        return Cursor()


def test_a_table_gives_the_rows_the_files_give(detail):
    path, expected = detail
    assert len(expected) > 100  # every kind of row is there: the comparison says something
    assert {r["group"] for r in expected} == {"all", "in_province", "cross_province"}
    src = open_table(table_connection(path), "main.setl", "duckdb")
    rows, summary = utilisation_rows(src, load_mapping(None), regions=CHAINS)
    assert key(rows) == key(expected)
    assert summary.reversals > 0 and summary.orphan_reversals == 0
    assert not any("unnest" in q.lower() for q in src.log)  # the standard-SQL form, as other engines get


@pytest.mark.parametrize("dialect", ["spark", "trino"])
def test_the_queries_translated_to_spark_and_trino_keep_their_meaning(detail, dialect):
    path, expected = detail
    src = open_table(Translated(table_connection(path), dialect), "main.setl", dialect)
    rows, _ = utilisation_rows(src, load_mapping(None), regions=CHAINS)
    assert key(rows) == key(expected)
    for text in src.log:
        sqlglot.parse_one(text, read=dialect)  # valid in that dialect
        assert "GROUP BY ALL" not in text.upper() and "::" not in text


def test_the_table_writes_the_dataset_as_the_files_do(detail, tmp_path):
    path, _ = detail
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    aggregate([path], tmp_path / "a")
    aggregate_table(table_connection(path), "main.setl", tmp_path / "b", dialect="duckdb")
    assert (tmp_path / "a/utilisation.csv").read_bytes() == (tmp_path / "b/utilisation.csv").read_bytes()


def test_a_table_without_required_columns_is_named():
    con = duckdb.connect()
    con.execute("CREATE TABLE main.t AS SELECT 'S1' AS setl_id, '310' AS insutype")
    with pytest.raises(InputError) as err:
        open_table(con, "main.t", "duckdb")
    text = str(err.value)
    assert "main.t" in text and "医疗类别" in text and "结算时间" in text and "参保地医保区划" in text
    with pytest.raises(ValueError, match="schema"):
        open_table(con, "detail", "duckdb")


def test_an_unsupported_construct_is_an_error_not_a_wrong_query():
    with pytest.raises(sqlglot.errors.UnsupportedError):
        translate("SELECT *, unnest([{'payer': 'hifp_pay', 'amount': hifp_pay}]) AS x FROM c", "trino")
