"""What a scored pair means, field by field, and the twin guard that reads it.

Splink gives each field a level number (gamma) and a match weight; this module turns them into the
review page's evidence (field, plain-English label, match weight including the term-frequency
adjustment) and decides whether a pair looks like twins or siblings rather than one child.
"""

import pandas as pd

from jigsaw.linkage.model_settings import FIELDS

# Below the auto-link threshold and above the review threshold: a human decides.
TWIN_CAP = 0.9

_FAMILY_AGREES = {"exact", "other_name", "typo", "similar", "missing"}
# Every level that says the two records live at one address (or go to one school). A level added to the
# address comparison that means "the same home" belongs here, or twins there would escape the guard.
_HOME_AGREES = {
    "address": {"both", "both_similar", "postcode", "address", "address_similar"},
    "school": {"exact"},
}
_GIVEN_DIFFERS = {"similar", "different"}
# A boy and a girl sharing a home are siblings however alike their first names (Alexander and Alexandra
# are one letter and a swap apart): recorded sexes that differ leave only an exact first name as one child.
_GIVEN_SAME = {"exact"}

_levels_cache: dict[int, tuple[dict, dict]] = {}


def level_table(model_json: dict) -> dict[str, dict[int, tuple[str, str]]]:
    """{field: {gamma: (code, label)}} for the model's comparisons."""
    cached = _levels_cache.get(id(model_json))
    if cached and cached[0] is model_json:
        return cached[1]
    table = {}
    for comparison in model_json["comparisons"]:
        name = comparison["output_column_name"]
        codes_by_label = {level.label: level.code for level in FIELDS[name].levels} if name in FIELDS else {}
        levels = comparison["comparison_levels"]
        not_null = [level for level in levels if not level.get("is_null_level")]
        gammas = {-1: ("missing", "Missing on one record")}
        for index, level in enumerate(not_null):
            label = level.get("label_for_charts", "")
            gammas[len(not_null) - 1 - index] = (codes_by_label.get(label, "unknown"), label)
        table[name] = gammas
    _levels_cache[id(model_json)] = (model_json, table)
    return table


def evidence_from_row(model_json: dict, row) -> list[dict]:
    evidence = []
    for name, gammas in level_table(model_json).items():
        gamma = int(row[f"gamma_{name}"])
        code, label = gammas[gamma]
        weight = float(row.get(f"mw_{name}", 0) or 0) + float(row.get(f"mw_tf_adj_{name}", 0) or 0)
        title = FIELDS[name].title if name in FIELDS else name
        evidence.append({"field": name, "title": title, "code": code, "label": label, "match_weight": round(weight, 3)})
    return evidence


def is_twin_like(evidence_or_codes) -> bool:
    """A twin or sibling rather than the same child: a shared home (address, postcode or school), a
    family name that is not clearly different, first names that are neither equal, nicknames nor
    typing slips of each other (or, when the recorded sexes differ, not equal), and no shared NHS
    number. The date of birth does not matter: the same one is a twin, another a sibling, and a
    household's evidence would otherwise outweigh either.

    Takes `evidence` (a list of dicts with field and code) or a {field: code} mapping."""
    if isinstance(evidence_or_codes, dict):
        codes = evidence_or_codes
    else:
        codes = {item["field"]: item["code"] for item in evidence_or_codes}
    shares_home = any(codes.get(name) in agree for name, agree in _HOME_AGREES.items())
    given_differs = codes.get("given_name") in _GIVEN_DIFFERS or (
        codes.get("sex") == "different" and codes.get("given_name") not in _GIVEN_SAME
    )
    return (
        codes.get("nhs_number") != "exact"
        and codes.get("family_name") in _FAMILY_AGREES
        and given_differs
        and shares_home
    )


def level_weights(model_json: dict) -> dict[str, dict[int, float]]:
    """{field: {gamma: match weight}} exactly as Splink writes them into its SQL."""
    from splink import SettingsCreator

    settings = SettingsCreator.from_path_or_dict(model_json).get_settings("duckdb")
    return {
        comparison.output_column_name: {
            level.comparison_vector_value: level._match_weight for level in comparison.comparison_levels
        }
        for comparison in settings.comparisons
    }


def gamma_from_weight_sql(model_json: dict) -> dict[str, str] | None:
    """{field: SQL giving its gamma from its mw_ column}, so predictions need not carry every compared
    value; None when two levels of one field share a weight and the level could not be told."""
    expressions = {}
    for name, weights in level_weights(model_json).items():
        if None in weights.values() or len(set(weights.values())) < len(weights):
            return None
        cases = " ".join(f"WHEN mw_{name} = cast({weight} as float8) THEN {gamma}" for gamma, weight in weights.items())
        expressions[name] = f"CASE {cases} END"
    return expressions


def twin_like_sql(model_json: dict, gamma: dict[str, str]) -> str:
    """is_twin_like as a SQL condition over the fields' gamma expressions."""
    table = level_table(model_json)

    def among(name: str, codes: set[str]) -> str:
        if name not in table:
            return "false"
        gammas = [str(g) for g, (code, _) in table[name].items() if code in codes]
        return f"coalesce(({gamma[name]}) IN ({', '.join(gammas)}), false)" if gammas else "false"

    not_same_nhs = f"NOT {among('nhs_number', {'exact'})}" if "nhs_number" in table else "true"
    shares_home = " OR ".join(among(name, agree) for name, agree in _HOME_AGREES.items())
    given_differs = (
        f"{among('given_name', _GIVEN_DIFFERS)} OR ({among('sex', {'different'})}"
        f" AND NOT {among('given_name', _GIVEN_SAME)})"
    )
    return (
        f"({not_same_nhs} AND {among('family_name', _FAMILY_AGREES)} AND ({given_differs})"
        f" AND ({shares_home}))"
    )


def twin_like_mask(model_json: dict, pairs: pd.DataFrame) -> pd.Series:
    """is_twin_like for every row of a predictions frame, vectorised."""
    table = level_table(model_json)

    def codes(name: str) -> pd.Series:
        if name not in table or f"gamma_{name}" not in pairs:
            return pd.Series("missing", index=pairs.index)
        mapping = {gamma: code for gamma, (code, _) in table[name].items()}
        return pairs[f"gamma_{name}"].astype(int).map(mapping)

    shares_home = pd.Series(False, index=pairs.index)
    for name, agree in _HOME_AGREES.items():
        shares_home |= codes(name).isin(agree)
    given = codes("given_name")
    given_differs = given.isin(_GIVEN_DIFFERS) | ((codes("sex") == "different") & ~given.isin(_GIVEN_SAME))
    return (
        (codes("nhs_number") != "exact") & codes("family_name").isin(_FAMILY_AGREES) & given_differs & shares_home
    ).astype(bool)
