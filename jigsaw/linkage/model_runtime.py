"""The in-process DuckDB and Splink linker that every model step runs on."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

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


def model_linker(con: duckdb.DuckDBPyConnection, frame, model_json: dict, tf_tables: dict) -> Linker:
    """A linker over `frame` that scores with the trained model's term frequencies, not the frame's own:
    each distinct value gets the model's frequency (or its default for a value it never saw)."""
    table = as_arrow(frame)
    splink_linker = linker(con, table, model_json)
    con.register("jigsaw_frame_values", table)
    for column, frequencies in tf_tables.items():
        values = con.sql(f"select distinct {column} from jigsaw_frame_values where {column} is not null")  # nosec B608  # noqa: S608
        names = [value for (value,) in values.fetchall()]
        lookup = pa.table(
            {
                column: pa.array(names, pa.string()),
                f"tf_{column}": pa.array(
                    [frequencies["values"].get(name, frequencies["default"]) for name in names], pa.float64()
                ),
            }
        )
        registered = splink_linker._db_api.register(lookup)
        splink_linker.table_management.register_term_frequency_lookup(registered, column)
    con.unregister("jigsaw_frame_values")
    return splink_linker


class _Gather(logging.Handler):
    def __init__(self, into: list[str]):
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        message = " ".join(record.getMessage().split())
        if message not in self.into:
            self.into.append(message)


@contextmanager
def splink_warnings() -> Iterator[list[str]]:
    """Splink's warnings while inside (a level never seen in training, a sample with no pairs), gathered
    for the model's training metrics instead of printed over an operator's progress."""
    splink_logger = logging.getLogger("splink")
    gathered: list[str] = []
    saved = splink_logger.handlers[:], splink_logger.propagate
    splink_logger.handlers, splink_logger.propagate = [_Gather(gathered)], False
    try:
        yield gathered
    finally:
        splink_logger.handlers, splink_logger.propagate = saved
