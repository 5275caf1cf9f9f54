"""Term frequencies: how common each name and postcode is, so that agreeing on "Smith" counts for less
than agreeing on "Quennell".

The trained model keeps a compact table per column (the commoner values, and one frequency standing
for all the rarer ones), so a record scored later, alone, gets the same adjustment it would have got
in the whole population.
"""

import duckdb
import pyarrow as pa

from jigsaw.linkage.model_settings import FIELDS

TERM_FREQUENCY_COLUMNS = tuple(field.term_frequency_column for field in FIELDS.values() if field.term_frequency_column)
KEEP_AT_MOST = 20_000


def term_frequency_tables(con: duckdb.DuckDBPyConnection, table_name: str, columns: list[str]) -> dict:
    """{column: {"values": {value: frequency}, "default": frequency}} counted over `table_name`."""
    tables = {}
    for column in columns:
        counts = con.sql(
            f"select {column} as value, count(*) as n from {table_name} where {column} is not null "  # nosec B608  # noqa: S608
            f"group by {column} order by n desc, value"
        ).fetchall()
        total = sum(n for _, n in counts) or 1
        kept = [(value, n) for value, n in counts[:KEEP_AT_MOST] if n > 1]
        rest = counts[len(kept) :]
        default = (sum(n for _, n in rest) / len(rest)) if rest else 1
        tables[column] = {"values": {value: n / total for value, n in kept}, "default": default / total}
    return tables


def frequency(tf_tables: dict, column: str, value) -> float | None:
    if value is None or column not in tf_tables:
        return None
    table = tf_tables[column]
    return table["values"].get(value, table["default"])


def with_term_frequencies(con: duckdb.DuckDBPyConnection, table_name: str, tf_tables: dict) -> pa.Table:
    """`table_name` with a tf_<column> for each column in `tf_tables` (Splink reads these as given)."""
    selects, joins = ["t.*"], []
    for index, (column, table) in enumerate(tf_tables.items()):
        lookup = f"tf_lookup_{index}"
        con.register(
            lookup,
            pa.table(
                {"value": list(table["values"]), "frequency": list(table["values"].values())},
                schema=pa.schema([("value", pa.string()), ("frequency", pa.float64())]),
            ),
        )
        selects.append(
            f"case when t.{column} is not null then coalesce({lookup}.frequency, {table['default']}) end as tf_{column}"
        )
        joins.append(f"left join {lookup} on t.{column} = {lookup}.value")
    sql = f"select {', '.join(selects)} from {table_name} t {' '.join(joins)}"  # nosec B608  # noqa: S608
    result = con.sql(sql).to_arrow_table()
    for index in range(len(tf_tables)):
        con.unregister(f"tf_lookup_{index}")
    return result
