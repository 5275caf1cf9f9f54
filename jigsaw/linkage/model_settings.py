"""The Fellegi–Sunter model's comparisons and blocking rules, written once as data.

Each field's levels run from the strongest agreement to "Different"; each level has a short code
(what the twin guard and the tests read), a plain-English label (what the review page shows) and
its SQL. The blocking rules are named keys over prepared columns, so the app can store the same keys
in PostgreSQL and fetch a new record's candidates by index (`blocking_keys`).
"""

from dataclasses import dataclass

from splink import SettingsCreator


@dataclass(frozen=True)
class Level:
    code: str
    label: str
    sql: str


@dataclass(frozen=True)
class Field:
    name: str
    title: str
    columns: tuple[str, ...]
    levels: tuple[Level, ...]
    term_frequency_column: str | None = None


def _null(column: str) -> Level:
    return Level("missing", "Missing on one record", f"{column}_l IS NULL OR {column}_r IS NULL")


def _exact(column: str) -> Level:
    return Level("exact", "Same", f"{column}_l = {column}_r")


def _jaro(column: str, code: str, label: str, at_least: float) -> Level:
    return Level(code, label, f"jaro_winkler_similarity({column}_l, {column}_r) >= {at_least}")


DIFFERENT = Level("different", "Different", "ELSE")

FIELDS = {
    field.name: field
    for field in (
        Field(
            "given_name",
            "First name",
            ("given_name", "given_full_names", "name_tokens"),
            (
                _null("given_name"),
                _exact("given_name"),
                Level(
                    "nickname",
                    "Nickname, short form or another recorded name",
                    "list_has_any(given_full_names_l, given_full_names_r)"
                    " OR list_contains(name_tokens_r, given_name_l) OR list_contains(name_tokens_l, given_name_r)",
                ),
                Level("one_letter", "One letter different", "damerau_levenshtein(given_name_l, given_name_r) <= 1"),
                _jaro("given_name", "typo", "Small spelling difference", 0.92),
                _jaro("given_name", "similar", "Similar spelling", 0.8),
                DIFFERENT,
            ),
            term_frequency_column="given_name",
        ),
        Field(
            "family_name",
            "Last name",
            ("family_name", "name_tokens"),
            (
                _null("family_name"),
                _exact("family_name"),
                Level(
                    "other_name",
                    "Matches a previous, other or double-barrelled name",
                    "list_contains(name_tokens_r, family_name_l) OR list_contains(name_tokens_l, family_name_r)",
                ),
                _jaro("family_name", "typo", "Small spelling difference", 0.92),
                _jaro("family_name", "similar", "Similar spelling", 0.8),
                DIFFERENT,
            ),
            term_frequency_column="family_name",
        ),
        Field(
            "date_of_birth",
            "Date of birth",
            ("date_of_birth",),
            (
                _null("date_of_birth"),
                _exact("date_of_birth"),
                Level(
                    "day_month_swapped",
                    "Day and month swapped",
                    "substr(date_of_birth_l, 1, 4) = substr(date_of_birth_r, 1, 4)"
                    " AND substr(date_of_birth_l, 6, 2) = substr(date_of_birth_r, 9, 2)"
                    " AND substr(date_of_birth_l, 9, 2) = substr(date_of_birth_r, 6, 2)",
                ),
                Level("typo", "One digit different", "damerau_levenshtein(date_of_birth_l, date_of_birth_r) <= 1"),
                Level(
                    "year_differs",
                    "Same day and month, different year",
                    "substr(date_of_birth_l, 6, 5) = substr(date_of_birth_r, 6, 5)",
                ),
                Level(
                    "within_year",
                    "Within a year",
                    "abs(datediff('day', try_cast(date_of_birth_l AS date), try_cast(date_of_birth_r AS date))) <= 365",
                ),
                DIFFERENT,
            ),
        ),
        Field(
            "sex",
            "Sex",
            ("sex",),
            (_null("sex"), _exact("sex"), DIFFERENT),
        ),
        Field(
            "postcode",
            "Postcode",
            ("postcode", "postcode_sector", "postcode_district"),
            (
                _null("postcode"),
                _exact("postcode"),
                Level("typo", "One character different", "damerau_levenshtein(postcode_l, postcode_r) <= 1"),
                Level("sector", "Same postcode sector", "postcode_sector_l = postcode_sector_r"),
                Level("district", "Same postcode district", "postcode_district_l = postcode_district_r"),
                DIFFERENT,
            ),
            term_frequency_column="postcode",
        ),
        Field(
            "address",
            "Address",
            ("address", "address_tokens"),
            (
                _null("address"),
                _exact("address"),
                _jaro("address", "similar", "Almost the same", 0.9),
                Level(
                    "shares_words",
                    "Shares a house number or street",
                    "len(list_intersect(address_tokens_l, address_tokens_r)) >= 2",
                ),
                DIFFERENT,
            ),
        ),
        Field("school", "School", ("school",), (_null("school"), _exact("school"), DIFFERENT)),
        Field(
            "nhs_number",
            "NHS number",
            ("nhs_number",),
            (
                _null("nhs_number"),
                _exact("nhs_number"),
                Level("typo", "One digit different or two swapped", "damerau_levenshtein(nhs_number_l, nhs_number_r) <= 1"),
                DIFFERENT,
            ),
        ),
    )
}

# Each rule is tight on its own (a million children give a few pairs per key); together they
# find a duplicate that has a typing error in any one or two fields.
BLOCKING_RULES: dict[str, tuple[str, ...]] = {
    "dob_family": ("date_of_birth", "family_sound"),
    "dob_given": ("date_of_birth", "given_key"),
    "names_year": ("given_key", "family_sound", "birth_year"),
    "name_pair": ("name_pair",),
    "postcode_given": ("postcode", "given_key"),
    "postcode_family": ("postcode", "family_sound"),
    "postcode_year": ("postcode", "birth_year"),
    "postcode_house": ("postcode", "house_number"),
    "house_street": ("house_number", "street"),
    "dob_house": ("date_of_birth", "house_number"),
    "street_given": ("street", "given_key"),
    "nhs": ("nhs_number",),
}

# Pairs these rules find are almost all the same person: they estimate how likely two random
# records are to match, without labels.
DETERMINISTIC_RULES: dict[str, tuple[str, ...]] = {
    "names_dob": ("given_name", "family_name", "date_of_birth"),
    "nhs_dob": ("nhs_number", "date_of_birth"),
}


def comparison_dict(field: Field) -> dict:
    levels = []
    for level in field.levels:
        entry: dict = {"sql_condition": level.sql, "label_for_charts": level.label}
        if level.code == "missing":
            entry["is_null_level"] = True
        if level.code == "exact" and field.term_frequency_column:
            entry["tf_adjustment_column"] = field.term_frequency_column
            entry["tf_adjustment_weight"] = 1.0
        levels.append(entry)
    return {"output_column_name": field.name, "comparison_description": field.title, "comparison_levels": levels}


def rule_sql(columns: tuple[str, ...], *, link_only: bool = False) -> str:
    conditions = [f"l.{column} = r.{column}" for column in columns]
    if link_only:
        conditions.append("l.organisation <> r.organisation")
    return " AND ".join(conditions)


def usable_rules(rules: dict[str, tuple[str, ...]], fields: list[str]) -> dict[str, tuple[str, ...]]:
    """The rules whose columns all come from fields the data has."""
    available = {column for name in fields for column in FIELDS[name].columns}
    available |= _derived_from(fields)
    return {name: columns for name, columns in rules.items() if set(columns) <= available}


def _derived_from(fields: list[str]) -> set[str]:
    derived = {
        "given_name": {"given_key"},
        "family_name": {"family_sound"},
        "date_of_birth": {"birth_year"},
        "address": {"house_number", "street"},
    }
    columns = {column for name in fields for column in derived.get(name, set())}
    if {"given_name", "family_name"} <= set(fields):
        columns.add("name_pair")
    return columns


def settings(
    columns: list[str] | None = None,
    *,
    link_only: bool = False,
    probability_two_random_records_match: float = 0.0001,
) -> SettingsCreator:
    """The Splink settings for the fields in `columns` (all of FIELDS by default).

    `link_only` compares only records of different organisations (two files of one person each, as
    in FEBRL4); the app compares every pair, because an organisation may hold a duplicate.
    """
    fields = list(columns or FIELDS)
    rules = usable_rules(BLOCKING_RULES, fields)
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[comparison_dict(FIELDS[name]) for name in fields],
        blocking_rules_to_generate_predictions=[rule_sql(cols, link_only=link_only) for cols in rules.values()],
        probability_two_random_records_match=probability_two_random_records_match,
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=["organisation"],
    )
