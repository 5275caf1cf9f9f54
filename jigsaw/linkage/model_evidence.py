"""What a scored pair means, field by field, and the twin guard that reads it.

Splink gives each field a level number (gamma) and a match weight; this module turns them into the
review page's evidence (field, plain-English label, match weight including the term-frequency
adjustment) and decides whether a pair looks like twins or siblings rather than one child.
"""

import pandas as pd

from jigsaw.linkage.model_settings import FIELDS

# Below the auto-link threshold and above the review threshold: a human decides.
TWIN_CAP = 0.9
TWIN_LABEL = "Same family name, date of birth and home but a different first name: possibly a twin or sibling"

_FAMILY_AGREES = {"exact", "typo"}
_HOME_AGREES = {"postcode": {"exact"}, "address": {"exact", "similar"}, "school": {"exact"}}
_GIVEN_DIFFERS = {"similar", "different"}

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
    """Same family name and date of birth, a shared home (postcode, address or school), first names
    that are neither equal, nicknames nor typing errors of each other, and no shared NHS number.

    Takes `evidence` (a list of dicts with field and code) or a {field: code} mapping."""
    if isinstance(evidence_or_codes, dict):
        codes = evidence_or_codes
    else:
        codes = {item["field"]: item["code"] for item in evidence_or_codes}
    shares_home = any(codes.get(name) in agree for name, agree in _HOME_AGREES.items())
    return (
        codes.get("nhs_number") != "exact"
        and codes.get("family_name") in _FAMILY_AGREES
        and codes.get("date_of_birth") == "exact"
        and codes.get("given_name") in _GIVEN_DIFFERS
        and shares_home
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
    return (
        (codes("nhs_number") != "exact")
        & codes("family_name").isin(_FAMILY_AGREES)
        & (codes("date_of_birth") == "exact")
        & codes("given_name").isin(_GIVEN_DIFFERS)
        & shares_home
    ).astype(bool)
