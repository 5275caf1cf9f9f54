"""Records into the columns the Splink model compares and blocks on, normalised inside DuckDB.

The normalising runs as SQL so a million records take seconds, not minutes; the two parts that need
Python (the nickname table and a phonetic key) run once per distinct name and are joined back. For a
handful of records (a new record being scored) the same SQL runs as prepared statements, because
planning it would otherwise take most of the time.
"""

import contextlib
import datetime
from collections.abc import Iterable

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from jigsaw.linkage.model_nicknames import full_names_of

RECORD_FIELDS = (
    "unique_id",
    "organisation",
    "given_name",
    "family_name",
    "other_names",
    "date_of_birth",
    "sex",
    "postcode",
    "address",
    "school",
    "nhs_number",
)

_MACROS = r"""
create or replace macro jigsaw_fold(x) as
    nullif(trim(regexp_replace(regexp_replace(lower(strip_accents(x)), '[''’`.]', '', 'g'), '[^a-z]+', ' ', 'g')), '');
create or replace macro jigsaw_address_word(t) as
    case t when 'rd' then 'road' when 'st' then 'street' when 'ave' then 'avenue' when 'av' then 'avenue'
        when 'ln' then 'lane' when 'cres' then 'crescent' when 'cl' then 'close' when 'dr' then 'drive' else t end;
create or replace macro jigsaw_is_number(t) as regexp_full_match(t, '[0-9]+');
"""

_NORMALISE = r"""
with raw as (
    select
        cast(unique_id as varchar) as unique_id,
        nullif(trim(cast(organisation as varchar)), '') as organisation,
        jigsaw_fold(given_name) as given_folded,
        jigsaw_fold(family_name) as family_folded,
        jigsaw_fold(other_names) as other_folded,
        regexp_replace(cast(date_of_birth as varchar), '[^0-9]', '', 'g') as dob_digits,
        lower(trim(cast(sex as varchar))) as sex_raw,
        upper(regexp_replace(cast(postcode as varchar), '[^A-Za-z0-9]', '', 'g')) as postcode_raw,
        list_transform(
            string_split(nullif(trim(regexp_replace(regexp_replace(lower(strip_accents(address)), '[''’`.]', '', 'g'),
                                                    '[^a-z0-9]+', ' ', 'g')), ''), ' '),
            lambda t: jigsaw_address_word(t)) as address_tokens,
        nullif(lower(trim(cast(school as varchar))), '') as school,
        nullif(regexp_replace(cast(nhs_number as varchar), '[^0-9]', '', 'g'), '') as nhs_number
    from jigsaw_source
),
streets as (
    select *, list_filter(address_tokens, lambda t: not jigsaw_is_number(t)
        and t not in ('flat', 'apartment', 'apt', 'unit', 'room', 'the'))[1] as street
    from raw
)
select
    unique_id,
    organisation,
    list_filter(string_split(given_folded, ' '), lambda t: t not in ('sir', 'lord', 'lady', 'dame', 'dr', 'mr',
        'mrs', 'miss', 'ms', 'mx', 'rev', 'master'))[1] as given_name,
    nullif(replace(family_folded, ' ', ''), '') as family_name,
    ' ' || concat_ws(' ', given_folded, family_folded, other_folded, replace(given_folded, ' ', ''),
                     replace(family_folded, ' ', '')) || ' ' as name_tokens,
    case when length(dob_digits) = 8
        then substr(dob_digits, 1, 4) || '-' || substr(dob_digits, 5, 2) || '-' || substr(dob_digits, 7, 2)
    end as date_of_birth,
    case when sex_raw in ('f', 'female', 'girl') then 'f' when sex_raw in ('m', 'male', 'boy') then 'm' end as sex,
    nullif(postcode_raw, '') as postcode,
    nullif(regexp_extract(postcode_raw, '^([A-Z]{1,2}[0-9][A-Z0-9]?)[0-9][A-Z]{2}$', 1), '') as postcode_district,
    nullif(regexp_extract(postcode_raw, '^([A-Z]{1,2}[0-9][A-Z0-9]?[0-9])[A-Z]{2}$', 1), '') as postcode_sector,
    array_to_string(address_tokens, ' ') as address,
    street,
    list_filter(address_tokens[1:list_position(address_tokens, street) - 1], lambda t: jigsaw_is_number(t))[-1]
        as house_number,
    school,
    nhs_number
from streets
"""

_FINISH = """
select
    p.unique_id, p.organisation, p.given_name,
    coalesce(g.given_key, p.given_name) as given_key, coalesce(g.given_key_alt, p.given_name) as given_key_alt,
    coalesce(g.given_keys, '|' || p.given_name || '|') as given_keys,
    p.family_name, f.family_sound, p.name_tokens,
    case when p.given_name is not null and p.family_name is not null
        then least(p.given_name, p.family_name) || '|' || greatest(p.given_name, p.family_name) end as name_pair,
    p.date_of_birth, substr(p.date_of_birth, 1, 4) as birth_year,
    p.sex, p.postcode, p.postcode_sector, p.postcode_district,
    p.address, p.street, p.house_number, p.school, p.nhs_number
from jigsaw_normalised p
left join jigsaw_given_lookup g on p.given_name = g.given_name
left join jigsaw_family_lookup f on p.family_name = f.family_name
"""

_SOUNDEX_DIGITS = str.maketrans("bfpvcgjkqsxzdtlmnr", "111122222222334556")


def soundex(name: str) -> str:
    """American Soundex (letter and three digits): Smith and Smyth share S530."""
    if not name:
        return ""
    codes = name.translate(_SOUNDEX_DIGITS)
    digits: list[str] = []
    previous = codes[0]
    for letter, code in zip(name[1:], codes[1:], strict=True):
        if code.isdigit() and code != previous:
            digits.append(code)
        if letter not in "hw":  # h and w do not separate two letters with the same code; vowels do
            previous = code
    return (name[0].upper() + "".join(digits) + "000")[:4]


def source_table(records: Iterable[dict] | pd.DataFrame | pa.Table) -> pa.Table:
    """The records as an Arrow table of strings, with every field of RECORD_FIELDS (missing ones empty)."""
    if isinstance(records, pa.Table):
        table = records
    elif isinstance(records, pd.DataFrame):
        table = pa.Table.from_pandas(records, preserve_index=False)
    else:
        rows = [{field: _as_text(record.get(field)) for field in RECORD_FIELDS} for record in records]
        return pa.Table.from_pylist(rows, schema=pa.schema([(field, pa.string()) for field in RECORD_FIELDS]))
    columns = {field: _text_column(table, field) for field in RECORD_FIELDS}
    return pa.table(columns)


def _as_text(value) -> str | None:
    if value is None or value is pd.NA or value != value:  # None, pandas' NA, NaN
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _text_column(table: pa.Table, field: str) -> pa.Array:
    if field not in table.column_names:
        return pa.nulls(table.num_rows, pa.string())
    column = table.column(field)
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return column
    return column.cast(pa.string())


SMALL = 1_000  # records; fewer than this, a query is mostly planning, so it is planned once per connection


def prepare_arrow(records, connection: duckdb.DuckDBPyConnection | None = None) -> pa.Table:
    """The normalised columns as an Arrow table (the fast path for large populations)."""
    con = connection or duckdb.connect()
    source = source_table(records)
    run = run_prepared if source.num_rows < SMALL else _run_plain
    load(con, "jigsaw_source", source)
    normalised = run(con, "jigsaw_normalise", _NORMALISE)
    load(con, "jigsaw_normalised", normalised)
    load(con, "jigsaw_given_lookup", _given_lookup(_distinct(normalised, "given_name")))
    families = _distinct(normalised, "family_name")
    family_sounds = pa.table(
        {
            "family_name": pa.array(families, pa.string()),
            "family_sound": pa.array([soundex(n) for n in families], pa.string()),
        }
    )
    load(con, "jigsaw_family_lookup", family_sounds)
    return run(con, "jigsaw_finish", _FINISH)


def load(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    """Make `table` readable as `name`: a temporary table refilled in place for a few rows (so prepared
    statements over it stay planned and see the new rows), a view of the Arrow data for many."""
    if table.num_rows >= SMALL:
        con.execute(f"drop table if exists {name}")
        con.register(name, table)
        return
    con.register("jigsaw_incoming", table)
    try:
        con.execute(f"delete from {name}")  # nosec B608  # noqa: S608
        con.execute(f"insert into {name} by name select * from jigsaw_incoming")  # nosec B608  # noqa: S608
    except duckdb.Error:  # not there yet, or a view of a large table
        con.execute(f"drop view if exists {name}")
        con.execute(f"create or replace temp table {name} as select * from jigsaw_incoming")  # nosec B608  # noqa: S608
    con.unregister("jigsaw_incoming")


def run_prepared(con: duckdb.DuckDBPyConnection, name: str, sql: str) -> pa.Table:
    """Run `sql` as a prepared statement, planned once per connection; its tables must be `load`ed."""
    try:
        return con.sql(f"EXECUTE {name}").to_arrow_table()
    except duckdb.Error:  # not prepared on this connection yet, or its tables were replaced
        with contextlib.suppress(duckdb.Error):
            con.execute(f"DEALLOCATE PREPARE {name}")
        con.execute(_MACROS)
        con.execute(f"PREPARE {name} AS {sql}")
        return con.sql(f"EXECUTE {name}").to_arrow_table()


def _run_plain(con: duckdb.DuckDBPyConnection, name: str, sql: str) -> pa.Table:
    try:
        return con.sql(sql).to_arrow_table()
    except duckdb.CatalogException:
        con.execute(_MACROS)
        return con.sql(sql).to_arrow_table()


def _distinct(table: pa.Table, column: str) -> list[str]:
    return pc.unique(table.column(column).drop_null()).to_pylist()


def _given_lookup(names: list[str]) -> pa.Table:
    full_names = [full_names_of(name) for name in names]
    return pa.table(
        {
            "given_name": pa.array(names, pa.string()),
            "given_key": pa.array([fulls[0] for fulls in full_names], pa.string()),
            "given_key_alt": pa.array([fulls[-1] for fulls in full_names], pa.string()),
            "given_keys": pa.array(["|" + "|".join(fulls) + "|" for fulls in full_names], pa.string()),
        }
    )


def prepare(records: Iterable[dict] | pd.DataFrame | pa.Table) -> pd.DataFrame:
    """Normalise records into the model's columns (Arrow-backed, so handing them to DuckDB copies nothing).

    Names are folded (case, accents, punctuation, titles); `given_keys` lists the full names a nickname
    may stand for ("|alfred|frederick|winifred|" for Fred), `given_key` and `given_key_alt` the first and
    last of them; `family_sound` is the family name's Soundex; `name_tokens` every name and previous name
    the record carries; the date of birth becomes YYYY-MM-DD (kept even when not a real date, so a typing
    error in it is still compared); postcodes lose their space and gain their sector and district.
    """
    return prepare_arrow(records).to_pandas(types_mapper=pd.ArrowDtype)
