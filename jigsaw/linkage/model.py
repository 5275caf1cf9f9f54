"""Jigsaw's identity-resolution model: Splink's Fellegi–Sunter model over names, date of birth, sex,
postcode, address, school and NHS number, run on an in-process DuckDB.

Pure Python (no Django), so the app and bench/linkage.py use the same code:

    frame = prepare(records)                      # normalised columns, one row per record
    trained = train(frame, seed=1)                # unlabelled: u by sampling, m and lambda by EM
    pairs = predict(trained, frame, threshold=0.5)
    clusters = cluster(trained, frame, pairs)     # unique_id -> cluster id, with the safety guards
    scorer = Scorer(trained, frame)               # then scorer.score(new_record) in milliseconds

A wrong merge of two children is a safeguarding harm, so pairs that look like twins or siblings (a
shared home and family name, different first names) are capped below the auto-link threshold wherever
a probability leaves this package, and clusters grow only through strong links no member contradicts.
"""

import hashlib
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from jigsaw.linkage.model_cluster import cluster, score_groups
from jigsaw.linkage.model_evidence import (
    TWIN_CAP,
    evidence_from_row,
    gamma_from_weight_sql,
    is_twin_like,
    twin_like_sql,
)
from jigsaw.linkage.model_exclusive import one_to_one_probability
from jigsaw.linkage.model_format import PREPARE_VERSION, fits_current_records
from jigsaw.linkage.model_prepare import prepare, prepare_arrow
from jigsaw.linkage.model_runtime import as_arrow, connection, linker, model_linker, splink_warnings
from jigsaw.linkage.model_scorer import Candidate, Scorer, blocking_keys, blocking_keys_of_many, score_record
from jigsaw.linkage.model_settings import (
    BLOCKING_RULES,
    CORE_RULES,
    DETERMINISTIC_RULES,
    FIELDS,
    PAIR_BUDGET,
    rule_sql,
    settings,
    usable_rules,
)
from jigsaw.linkage.model_terms import TERM_FREQUENCY_COLUMNS, term_frequency_tables

__all__ = [
    "TWIN_CAP",
    "Candidate",
    "Scorer",
    "TrainedModel",
    "blocking_keys",
    "blocking_keys_of_many",
    "cluster",
    "connection",
    "evidence",
    "is_twin_like",
    "predict",
    "prepare",
    "prepare_arrow",
    "score_groups",
    "score_record",
    "settings",
    "train",
]

AUTO_LINK = 0.99
REVIEW = 0.5
DETERMINISTIC_RECALL = 0.8
MIN_SHARED_NHS_NUMBERS = 500
HOUSEHOLD_SHARE = 0.002  # sibling pairs per record below which training records show no families
FEW_RECORDS = 2_000
ONE_TO_ONE_FLOOR = 1e-4  # a one-to-one prediction scores pairs from here: a lone weak pair may still rise


@dataclass
class TrainedModel:
    model_json: dict
    tf_tables: dict
    metrics: dict = field(default_factory=dict)
    version: str = ""

    @classmethod
    def from_stored(cls, *, model_json: dict, tf_tables: dict, metrics: dict | None = None, version: str = ""):
        return cls(model_json=model_json, tf_tables=tf_tables, metrics=metrics or {}, version=version)

    @property
    def fits_current_records(self) -> bool:
        """Whether this model compares the columns today's `prepare` derives (see model_format)."""
        return fits_current_records(self.metrics)

    @property
    def guards_twins(self) -> bool:
        """Whether twin-like pairs are held back: yes unless training saw a population with no families
        (a model stored before this was measured guards too)."""
        return bool(self.metrics.get("households", {}).get("seen", True))

    @property
    def fields(self) -> list[str]:
        return [comparison["output_column_name"] for comparison in self.model_json["comparisons"]]


def _fields_present(table: pa.Table, columns: list[str] | None) -> list[str]:
    wanted = columns or list(FIELDS)
    present = []
    for name in wanted:
        columns = [table.column(column) for column in FIELDS[name].columns[:2] if column in table.column_names]
        if any(column.null_count < table.num_rows for column in columns):
            present.append(name)
    return present


def train(
    frame,
    *,
    seed: int = 1,
    columns: list[str] | None = None,
    link_only: bool = False,
    sample_size: int | None = 100_000,
    u_pairs: float = 1.5e6,
    em_pairs: float = 1e5,
    con: duckdb.DuckDBPyConnection | None = None,
) -> TrainedModel:
    """Train the model on unlabelled prepared records (a seeded sample of `sample_size` when larger).

    u comes from random pairs (seeded); m from expectation maximisation over pairs that share an NHS
    number (or, without enough of those, were born the same day but live apart) and over pairs that
    share both names; the probability that two random records match starts from the pairs that agree
    on name and date of birth (assumed to find 80% of the duplicates) and is then re-estimated over
    every blocked pair. Every step is deterministic for a given seed.
    """
    started = time.perf_counter()
    con = con or connection()
    table = as_arrow(frame)
    fields = _fields_present(table, columns)
    population = table.num_rows
    if sample_size and population > sample_size:
        table = _sample(con, table, sample_size, seed)
    con.register("training_records", table)
    tf_columns = [column for column in TERM_FREQUENCY_COLUMNS if column in fields]
    tf_tables = term_frequency_tables(con, "training_records", tf_columns)
    rules = _affordable_rules(con, fields, population)
    households = _households(con, fields)
    con.unregister("training_records")

    with splink_warnings() as warnings:
        splink_linker = linker(con, table, settings(fields, link_only=link_only, rules=rules))
        deterministic = usable_rules(DETERMINISTIC_RULES, fields)
        splink_linker.training.estimate_probability_two_random_records_match(
            [rule_sql(columns, link_only=link_only) for columns in deterministic.values()], recall=DETERMINISTIC_RECALL
        )
        splink_linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
        sessions = []
        for rule in _em_rules(fields, table):
            splink_linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True, max_pairs=em_pairs
            )
            sessions.append(rule)
        model_json = splink_linker.misc.save_model_to_json()
        model_json.pop("linker_uid", None)
        floored = _no_level_below_different(model_json)
        rule_lambda = model_json["probability_two_random_records_match"]
        model_json["probability_two_random_records_match"] = _mixing_proportion(
            splink_linker, _comparable_pairs(table, link_only), rule_lambda
        )
    metrics = {
        "prepare_version": PREPARE_VERSION,
        "records": population,
        "records_trained_on": table.num_rows,
        "fields": fields,
        "link_only": link_only,
        "blocking_rules": rules,
        "households": households,
        "u_pairs_sampled": u_pairs,
        "em_pairs_at_most": em_pairs,
        "em_sessions": sessions,
        "levels_raised_to_different": floored,
        "training_warnings": warnings,
        "probability_two_random_records_match_from_rules": rule_lambda,
        "probability_two_random_records_match": model_json["probability_two_random_records_match"],
        "seconds": round(time.perf_counter() - started, 2),
    }
    return TrainedModel(
        model_json=model_json, tf_tables=tf_tables, metrics=metrics, version=_version(model_json, tf_tables)
    )


def _no_level_below_different(model_json: dict) -> list[str]:
    """Raise any level whose match weight fell below its field's "Different" level to that weight.

    A partial agreement (a postcode with two characters swapped, a name one letter out) is never
    evidence against a match stronger than no agreement at all; but expectation maximisation gives a
    level it hardly saw among matches an m near zero, and so a weight of minus thirty or more that
    would veto every pair showing it. Returns the levels raised, as "field: label"."""
    raised = []
    for comparison in model_json["comparisons"]:
        levels = [level for level in comparison["comparison_levels"] if not level.get("is_null_level")]
        different = levels[-1]
        if not different.get("m_probability") or not different.get("u_probability"):
            continue
        floor = different["m_probability"] / different["u_probability"]
        rarest = min(level["u_probability"] for level in levels if level.get("u_probability"))
        for level in levels[:-1]:
            # a level random pairs never showed is as rare as the rarest they did; one matches never
            # showed counts as "Different"
            u = level["u_probability"] = level.get("u_probability") or rarest
            m = level.get("m_probability")
            if m is None or m / u < floor:
                level["m_probability"] = u * floor
                raised.append(f"{comparison['output_column_name']}: {level.get('label_for_charts', '')}")
    return raised


def _affordable_rules(con: duckdb.DuckDBPyConnection, fields: list[str], population: int) -> list[str]:
    """The core blocking rules, then each wide rule while the pairs to score stay within PAIR_BUDGET.

    Pairs are counted on the training records and scaled to the population (pairs grow with the
    square of the records)."""
    scale = (population / con.sql("select count(*) from training_records").fetchall()[0][0]) ** 2
    chosen, pairs = [], 0.0
    for name, columns in usable_rules(BLOCKING_RULES, fields).items():
        added = _pairs_sharing(con, columns) * scale
        if name in CORE_RULES or pairs + added <= PAIR_BUDGET:
            chosen.append(name)
            pairs += added
    return chosen


def _households(con: duckdb.DuckDBPyConnection, fields: list[str]) -> dict:
    """Whether the training records show families: pairs held by one organisation that share a family
    name and a home (the address, else a UK postcode, which is a street or part of one) but whose
    first names clearly differ and whose dates of birth are more than a year apart, so they cannot
    be one child's records.

    Any real population of children is full of them (brothers and sisters at one school or surgery);
    only data made of independent people (FEBRL's) has none. There twin-like pairs are one person's
    records with a first name replaced, and the twin guard would hold back true matches for nothing.
    A small population (fewer than FEW_RECORDS) is assumed to have families."""
    records = con.sql("select count(*) from training_records").fetchall()[0][0]
    if not {"given_name", "family_name", "date_of_birth", "address"} <= set(fields):
        return {"records": records, "sibling_pairs": None, "seen": True}
    siblings = con.sql(
        """select count(*) from training_records l join training_records r
            on l.family_name = r.family_name and l.unique_id < r.unique_id
            and coalesce(l.address, case when l.postcode_sector is not null then l.postcode end)
                = coalesce(r.address, case when r.postcode_sector is not null then r.postcode end)
            and coalesce(l.organisation, '') = coalesce(r.organisation, '')
        where jaro_winkler_similarity(l.given_name, r.given_name) < 0.8
            and abs(datediff('day', try_cast(l.date_of_birth as date), try_cast(r.date_of_birth as date))) > 366"""
    ).fetchall()[0][0]
    seen = records < FEW_RECORDS or siblings >= HOUSEHOLD_SHARE * records
    return {"records": records, "sibling_pairs": siblings, "seen": seen}


def _pairs_sharing(con: duckdb.DuckDBPyConnection, columns: tuple[str, ...]) -> float:
    present = " and ".join(f"{column} is not null" for column in columns)
    counts = con.sql(
        f"select sum(n * (n - 1) / 2) from (select count(*) as n from training_records where {present} "  # nosec B608  # noqa: S608
        f"group by {', '.join(columns)})"
    ).fetchall()
    return float(counts[0][0] or 0)


def _sample(con: duckdb.DuckDBPyConnection, table: pa.Table, size: int, seed: int) -> pa.Table:
    """About `size` records, chosen by a hash of their ids and the seed (the same sample every run)."""
    con.register("sample_source", table)
    share = size / table.num_rows
    result = con.sql(
        f"select * from sample_source where hash(unique_id, {int(seed)}) % 1000000 < {int(share * 1_000_000)}"  # nosec B608  # noqa: S608
    ).to_arrow_table()
    con.unregister("sample_source")
    return result


def _comparable_pairs(table: pa.Table, link_only: bool) -> float:
    count = table.num_rows
    if not link_only:
        return count * (count - 1) / 2
    sizes = table.column("organisation").value_counts().field("counts").to_numpy()
    return (count**2 - float((sizes.astype(float) ** 2).sum())) / 2


def _mixing_proportion(splink_linker, comparable: float, start: float, rounds: int = 50) -> float:
    """The probability that two random records match, by expectation maximisation over every blocked pair
    with m and u held fixed: the expected number of matches among them over all comparable pairs.
    Deterministic, and needs only that blocking finds nearly every duplicate."""
    scored = splink_linker.inference.predict(warning_mode="never")
    prior_weight = float(np.log2(start / (1 - start)))
    con = splink_linker._db_api.duckdb_con
    weights = con.sql(f"select match_weight from {scored.physical_name}").fetchnumpy()["match_weight"]  # nosec B608  # noqa: S608
    weights = weights - prior_weight
    scored.drop_table_from_database_and_remove_from_cache()
    proportion = start
    for _ in range(rounds):
        odds = proportion / (1 - proportion)
        expected = float((1 / (1 + 1 / (odds * np.exp2(weights)))).sum())
        updated = min(max(expected / comparable, 1e-12), 0.5)
        if abs(updated - proportion) <= 1e-4 * proportion:
            return updated
        proportion = updated
    return proportion


def _em_rules(fields: list[str], table: pa.Table) -> list[str]:
    """Blocking rules for expectation maximisation.

    Where enough records share an NHS number, those pairs (nearly all one child) teach the model how
    one child's records differ. Otherwise pairs born the same day are used, but only when they live
    apart: twins share a home, and would teach the model that one child's records often carry two
    different first names."""
    rules = []
    if "nhs_number" in fields and _shared_nhs_numbers(table) >= MIN_SHARED_NHS_NUMBERS:
        rules.append("l.nhs_number = r.nhs_number")
    elif "date_of_birth" in fields:
        apart = " AND coalesce(l.postcode, '') <> coalesce(r.postcode, '')" if "address" in fields else ""
        rules.append("l.date_of_birth = r.date_of_birth" + apart)
    if {"given_name", "family_name"} <= set(fields):
        rules.append("l.given_name = r.given_name AND l.family_name = r.family_name")
    if "address" in fields and len(rules) < 2:
        rules.append("l.postcode = r.postcode")
    return rules


def _shared_nhs_numbers(table: pa.Table) -> int:
    counts = table.column("nhs_number").drop_null().value_counts().field("counts").to_numpy()
    return int((counts >= 2).sum())


def _version(model_json: dict, tf_tables: dict) -> str:
    """A content hash, including the prepare version: the same settings over other columns are another model."""
    hashed = {"model": model_json, "tf": tf_tables, "prepare": PREPARE_VERSION}
    return hashlib.sha256(json.dumps(hashed, sort_keys=True, default=str).encode()).hexdigest()[:12]


def predict(
    model: TrainedModel,
    frame,
    *,
    threshold: float = REVIEW,
    one_to_one: bool = False,
    con: duckdb.DuckDBPyConnection | None = None,
) -> pd.DataFrame:
    """Scored pairs at or above `threshold`: unique_id_l/_r (and row_l/_r, their rows in `frame`),
    match_probability, match_weight, twin_like, the organisations, and each field's gamma_ level and
    mw_ match weights (what `evidence` explains). The levels are read back from the weights, so the
    compared values need not be carried through a million pairs.

    A twin-like pair's match_probability is capped at TWIN_CAP (below auto-link), Splink's own figure
    kept in model_probability.

    `one_to_one` says each organisation holds a person at most once (two extracts, as in FEBRL4): a pair's
    probability then also weighs the other candidates each record has (model_exclusive)."""
    con = con or connection()
    table = as_arrow(frame)
    table = table.append_column("row", pa.array(np.arange(table.num_rows), pa.int64()))
    gamma = gamma_from_weight_sql(model.model_json)
    retained = dict(
        model.model_json, retain_matching_columns=gamma is None, additional_columns_to_retain=["organisation", "row"]
    )
    predictions = model_linker(con, table, retained, model.tf_tables).inference.predict(
        threshold_match_probability=min(threshold, ONE_TO_ONE_FLOOR) if one_to_one else threshold,
        warning_mode="never",
    )
    weights = [c for c in predictions.columns_escaped if c.strip('"').startswith("mw_")]
    gamma = gamma or {name: f"gamma_{name}" for name in model.fields}
    twin = twin_like_sql(model.model_json, gamma) if model.guards_twins else "false"
    columns = [
        "unique_id_l",
        "unique_id_r",
        "row_l",
        "row_r",
        "organisation_l",
        "organisation_r",
        "match_weight",
        f"case when {twin} then least(match_probability, {TWIN_CAP}) else match_probability end as match_probability",
        "match_probability as model_probability",
        f"{twin} as twin_like",
        *(f"{expression} as gamma_{name}" for name, expression in gamma.items()),
        *weights,
    ]
    sql = f"select {', '.join(columns)} from {predictions.physical_name}"  # nosec B608  # noqa: S608
    pairs = con.sql(sql).to_arrow_table().to_pandas(types_mapper=_arrow_strings)
    predictions.drop_table_from_database_and_remove_from_cache()
    if one_to_one:
        pairs = _one_to_one(model, table, pairs, threshold)
    return pairs


def _one_to_one(model: TrainedModel, table: pa.Table, pairs: pd.DataFrame, threshold: float) -> pd.DataFrame:
    organisations = table.column("organisation").to_pandas()
    probability = one_to_one_probability(pairs, organisations, model.model_json["probability_two_random_records_match"])
    twin = pairs["twin_like"].to_numpy(dtype=bool)
    pairs = pairs.assign(
        model_probability=probability,
        match_probability=np.where(twin, np.minimum(probability, TWIN_CAP), probability),
    )
    return pairs[pairs["match_probability"] >= threshold].reset_index(drop=True)


def _arrow_strings(arrow_type):
    return pd.ArrowDtype(arrow_type) if pa.types.is_string(arrow_type) else None


def evidence(model: TrainedModel, pair) -> list[dict]:
    """Field by field: what the two records share (a plain-English label) and the match weight it gives.

    `pair` is a row of `predict` (any mapping with the gamma_ and mw_ columns) or two records."""
    if isinstance(pair, Mapping | pd.Series):
        return evidence_from_row(model.model_json, pair)
    first, second = pair
    return score_record(model, first, [second])[0].evidence
