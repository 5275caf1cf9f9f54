"""Records into the columns the Splink model compares and blocks on, normalised inside DuckDB.

The normalising runs as one SQL statement so a million records take seconds, not minutes; the two
parts that need Python (the nickname table and a phonetic key) run once per distinct name and are
joined back.
"""

import datetime
from collections.abc import Iterable

import duckdb
import pandas as pd
import pyarrow as pa

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
create or replace macro jigsaw_fold_address(x) as
    nullif(trim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
        regexp_replace(lower(strip_accents(x)), '[''’`.]', '', 'g'), '[^a-z0-9]+', ' ', 'g'),
        '\brd\b', 'road', 'g'), '\bst\b', 'street', 'g'), '\bave?\b', 'avenue', 'g'), '\bln\b', 'lane', 'g'),
        '\bcres\b', 'crescent', 'g')), '');
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
        jigsaw_fold_address(address) as address,
        nullif(lower(trim(cast(school as varchar))), '') as school,
        nullif(regexp_replace(cast(nhs_number as varchar), '[^0-9]', '', 'g'), '') as nhs_number
    from source
)
select
    unique_id,
    organisation,
    string_split(given_folded, ' ')[1] as given_name,
    nullif(replace(family_folded, ' ', ''), '') as family_name,
    list_distinct(list_filter(
        list_concat(string_split(concat_ws(' ', given_folded, family_folded, other_folded), ' '),
                    [replace(given_folded, ' ', ''), replace(family_folded, ' ', '')]),
        lambda t: length(t) > 1)) as name_tokens,
    case when length(dob_digits) = 8
        then substr(dob_digits, 1, 4) || '-' || substr(dob_digits, 5, 2) || '-' || substr(dob_digits, 7, 2)
    end as date_of_birth,
    case when sex_raw in ('f', 'female', 'girl') then 'f' when sex_raw in ('m', 'male', 'boy') then 'm' end as sex,
    nullif(postcode_raw, '') as postcode,
    regexp_extract(postcode_raw, '^([A-Z]{1,2}[0-9][A-Z0-9]?)[0-9][A-Z]{2}$', 1) as postcode_district_raw,
    regexp_extract(postcode_raw, '^([A-Z]{1,2}[0-9][A-Z0-9]?[0-9])[A-Z]{2}$', 1) as postcode_sector_raw,
    address,
    string_split(address, ' ') as address_tokens,
    list_filter(string_split(address, ' '), lambda t: not regexp_full_match(t, '[0-9]+')
        and t not in ('flat', 'apartment', 'apt', 'unit', 'room', 'the'))[1] as street,
    school,
    nhs_number
from raw
"""

_FINISH = """
select * exclude (house_number_raw), nullif(house_number_raw, '') as house_number from (
select
    p.unique_id, p.organisation, p.given_name,
    g.given_full_names, coalesce(g.given_key, p.given_name) as given_key,
    p.family_name, f.family_sound, p.name_tokens,
    p.date_of_birth, substr(p.date_of_birth, 1, 4) as birth_year,
    p.sex, p.postcode,
    nullif(p.postcode_sector_raw, '') as postcode_sector,
    nullif(p.postcode_district_raw, '') as postcode_district,
    case when p.given_name is not null and p.family_name is not null
        then least(p.given_name, p.family_name) || '|' || greatest(p.given_name, p.family_name) end as name_pair,
    p.address, p.address_tokens, p.street,
    regexp_extract(p.address, '([0-9]+)[^0-9]*' || regexp_escape(p.street), 1) as house_number_raw,
    p.school, p.nhs_number
from normalised p
left join given_lookup g on p.given_name = g.given_name
left join family_lookup f on p.family_name = f.family_name
)
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
    if value is None:
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


def prepare_arrow(records, connection: duckdb.DuckDBPyConnection | None = None) -> pa.Table:
    """The normalised columns as an Arrow table (the fast path for large populations)."""
    con = connection or duckdb.connect()
    source = source_table(records)  # noqa: F841  (scanned by name below)
    con.execute(_MACROS)
    normalised = con.sql(_NORMALISE).to_arrow_table()  # noqa: F841
    names = con.sql("select distinct given_name from normalised where given_name is not null").fetchall()
    given_lookup = _given_lookup([name for (name,) in names])  # noqa: F841
    families = con.sql("select distinct family_name from normalised where family_name is not null").fetchall()
    family_lookup = pa.table(  # noqa: F841
        {"family_name": [name for (name,) in families], "family_sound": [soundex(name) for (name,) in families]}
    )
    return con.sql(_FINISH).to_arrow_table()


def _given_lookup(names: list[str]) -> pa.Table:
    full_names = [list(full_names_of(name)) for name in names]
    return pa.table(
        {
            "given_name": pa.array(names, pa.string()),
            "given_full_names": pa.array(full_names, pa.list_(pa.string())),
            "given_key": pa.array([fulls[0] for fulls in full_names], pa.string()),
        }
    )


def prepare(records: Iterable[dict] | pd.DataFrame | pa.Table) -> pd.DataFrame:
    """Normalise records into the model's columns (Arrow-backed, so handing them to DuckDB copies nothing).

    Names are folded (case, accents, punctuation); `given_full_names` holds the full names a nickname
    may stand for; `family_sound` is the family name's Soundex; `name_tokens` every name and previous
    name the record carries; the date of birth becomes YYYY-MM-DD (kept even when not a real date, so a
    typing error in it is still compared); postcodes lose their space and gain their sector and district.
    """
    return prepare_arrow(records).to_pandas(types_mapper=pd.ArrowDtype)
