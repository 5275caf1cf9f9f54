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


def _one_character_different(column: str) -> str:
    return f"length({column}_l) = length({column}_r) AND hamming({column}_l, {column}_r) <= 1"


DIFFERENT = Level("different", "Different", "ELSE")

# Most of the words of the address, in any order ("3 Elm Court, Mill Lane" and "Mill Lane Elm Court 3").
_SIMILAR_ADDRESS = (
    "len(list_intersect(string_split(address_l, ' '), string_split(address_r, ' ')))"
    " >= 0.6 * greatest(len(string_split(address_l, ' ')), len(string_split(address_r, ' ')))"
)
_SAME_ADDRESS = (
    "address_l = address_r OR jaro_winkler_similarity(address_l, address_r) >= 0.9"
    " OR (house_number_l = house_number_r AND street_l = street_r)"
)

FIELDS = {
    field.name: field
    for field in (
        Field(
            "given_name",
            "First name",
            ("given_name", "given_key", "given_key_alt", "given_keys", "name_tokens"),
            (
                _null("given_name"),
                _exact("given_name"),
                Level(
                    "nickname",
                    "Nickname, short form or another recorded name",
                    "contains(given_keys_r, '|' || given_key_l || '|')"
                    " OR contains(given_keys_r, '|' || given_key_alt_l || '|')"
                    " OR contains(given_keys_l, '|' || given_key_r || '|')"
                    " OR contains(given_keys_l, '|' || given_key_alt_r || '|')"
                    " OR contains(name_tokens_r, ' ' || given_name_l || ' ')"
                    " OR contains(name_tokens_l, ' ' || given_name_r || ' ')",
                ),
                Level("one_letter", "One letter different", "levenshtein(given_name_l, given_name_r) <= 1"),
                Level(
                    "initial",
                    "Initial matches",
                    "(length(given_name_l) = 1 OR length(given_name_r) = 1)"
                    " AND left(given_name_l, 1) = left(given_name_r, 1)",
                ),
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
                    "contains(name_tokens_r, ' ' || family_name_l || ' ')"
                    " OR contains(name_tokens_l, ' ' || family_name_r || ' ')",
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
                Level("typo", "One digit different", "hamming(date_of_birth_l, date_of_birth_r) <= 1"),
                Level(
                    "transposed",
                    "Two digits swapped",
                    "damerau_levenshtein(date_of_birth_l, date_of_birth_r) <= 1",
                ),
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
            "address",
            "Address and postcode",
            ("address", "postcode", "postcode_sector", "postcode_district", "house_number", "street"),
            (
                Level(
                    "missing",
                    "Missing on one record",
                    "(address_l IS NULL OR address_r IS NULL) AND (postcode_l IS NULL OR postcode_r IS NULL)",
                ),
                Level(
                    "both",
                    "Same address and postcode",
                    f"postcode_l = postcode_r AND ({_SAME_ADDRESS})",
                ),
                Level(
                    "both_similar",
                    "Same postcode, address mostly the same",
                    f"postcode_l = postcode_r AND {_SIMILAR_ADDRESS}",
                ),
                # A UK postcode is a street or part of one; elsewhere (FEBRL's Australian ones) a whole area.
                Level("postcode", "Same postcode", "postcode_l = postcode_r AND postcode_sector_l IS NOT NULL"),
                Level("postcode_area", "Same postcode area", "postcode_l = postcode_r"),
                Level("address", "Same address, postcode different or missing", _SAME_ADDRESS),
                Level(
                    "address_similar",
                    "Same house number, address mostly the same, postcode different or missing",
                    f"house_number_l = house_number_r AND {_SIMILAR_ADDRESS}",
                ),
                Level(
                    "postcode_transposed",
                    "Postcode with two characters swapped",
                    "length(postcode_l) = length(postcode_r) AND hamming(postcode_l, postcode_r) = 2"
                    " AND damerau_levenshtein(postcode_l, postcode_r) = 1",
                ),
                Level("postcode_typo", "Postcode one character different", _one_character_different("postcode")),
                Level("sector", "Same postcode sector", "postcode_sector_l = postcode_sector_r"),
                Level("district", "Same postcode district", "postcode_district_l = postcode_district_r"),
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
                Level("typo", "One digit different", _one_character_different("nhs_number")),
                DIFFERENT,
            ),
        ),
    )
}

# Each core rule is tight on its own (a million children give a few pairs per key); together they
# find a duplicate that has a typing error in any one or two fields. `name_pair` is the first and
# family names in alphabetical order, so names recorded the wrong way round still meet.
CORE_RULES: dict[str, tuple[str, ...]] = {
    "dob_family": ("date_of_birth", "family_sound"),
    "dob_given": ("date_of_birth", "given_key"),
    "names_year": ("name_pair", "birth_year"),
    "postcode_given": ("postcode", "given_key"),
    "postcode_year": ("postcode", "birth_year"),
    "nhs": ("nhs_number",),
}
# Wider rules find duplicates whose names, date of birth or postcode are missing or wrong together;
# training adds them, in this order, while the pairs to score stay within PAIR_BUDGET.
WIDE_RULES: dict[str, tuple[str, ...]] = {
    "dob_house": ("date_of_birth", "house_number"),
    "given_address": ("given_key", "address"),
    "family_address": ("family_name", "address"),
    "names": ("given_key", "family_sound"),
    "postcode_house": ("postcode", "house_number"),
    "postcode_family": ("postcode", "family_sound"),
    "postcode_street": ("postcode", "street"),
    "street_house": ("street", "house_number"),
    "family_house": ("family_sound", "house_number"),
    "given_house": ("given_key", "house_number"),
    "dob": ("date_of_birth",),
    "family_year": ("family_sound", "birth_year"),
    "postcode_only": ("postcode",),
}
BLOCKING_RULES = CORE_RULES | WIDE_RULES
PAIR_BUDGET = 4_000_000

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
    }
    columns = {column for name in fields for column in derived.get(name, set())}
    if {"given_name", "family_name"} <= set(fields):
        columns.add("name_pair")
    return columns


def settings(
    columns: list[str] | None = None,
    *,
    link_only: bool = False,
    rules: list[str] | None = None,
    probability_two_random_records_match: float = 0.0001,
) -> SettingsCreator:
    """The Splink settings for the fields in `columns` (all of FIELDS by default), blocking with the
    named `rules` (the core rules by default) that those fields allow.

    `link_only` compares only records of different organisations (two files of one person each, as
    in FEBRL4); the app compares every pair, because an organisation may hold a duplicate.
    """
    fields = list(columns or FIELDS)
    named = {name: BLOCKING_RULES[name] for name in (rules or CORE_RULES)}
    rules = usable_rules(named, fields)
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


def rules_of(model_json: dict) -> list[str]:
    """The names of the blocking rules a trained model predicts with."""
    sqls = {
        rule["blocking_rule"] if isinstance(rule, dict) else rule
        for rule in model_json["blocking_rules_to_generate_predictions"]
    }
    return [
        name
        for name, columns in BLOCKING_RULES.items()
        if rule_sql(columns) in sqls or rule_sql(columns, link_only=True) in sqls
    ]
