"""The in-process DuckDB and Splink linker that every model step runs on."""

import logging

import duckdb
import pyarrow as pa
from splink import DuckDBAPI, Linker

from jigsaw.linkage.model_terms import with_term_frequencies


def connection(threads: int | None = None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    if threads:
        con.execute(f"set threads = {int(threads)}")
    return con


def as_arrow(frame) -> pa.Table:
    if isinstance(frame, pa.Table):
        return frame
    return pa.Table.from_pandas(frame, preserve_index=False)


def linker(con: duckdb.DuckDBPyConnection, table: pa.Table, model_settings) -> Linker:
    db_api = DuckDBAPI(connection=con)
    return Linker(db_api.register(table), model_settings, log_level=logging.WARNING)


def scored_table(tf_tables: dict, frame, con: duckdb.DuckDBPyConnection) -> pa.Table:
    """The prepared records with the model's term frequencies attached as tf_ columns."""
    con.register("records_to_score", as_arrow(frame))
    table = with_term_frequencies(con, "records_to_score", tf_tables)
    con.unregister("records_to_score")
    return table
