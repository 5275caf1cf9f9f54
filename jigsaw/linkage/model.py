"""Jigsaw's identity-resolution model: Splink's Fellegi–Sunter model over names, date of birth, sex,
postcode, address, school and NHS number, run on an in-process DuckDB.

Pure Python (no Django), so the app and bench/linkage.py use the same code:

    frame = prepare(records)                      # normalised columns, one row per record
    trained = train(frame, seed=1)                # unlabelled: u by sampling, m by EM, lambda by rules
    pairs = predict(trained, frame, threshold=0.5)
    clusters = cluster(trained, frame, pairs)     # unique_id -> cluster id, with the safety guards
    scorer = Scorer(trained, frame)               # then scorer.score(new_record) in milliseconds

A wrong merge of two children is a safeguarding harm, so twin-like pairs (same family name, date of
birth and home, different first names) are capped below the auto-link threshold wherever a
probability leaves this package, and clusters grow only through strong links that no member contradicts.
"""

import hashlib
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import pyarrow as pa
from splink import block_on

from jigsaw.linkage.model_cluster import cluster
from jigsaw.linkage.model_evidence import (
    TWIN_CAP,
    evidence_from_row,
    is_twin_like,
    twin_like_mask,
)
from jigsaw.linkage.model_prepare import prepare, prepare_arrow
from jigsaw.linkage.model_runtime import as_arrow, connection, linker, scored_table
from jigsaw.linkage.model_scorer import Candidate, Scorer, blocking_keys, score_record
from jigsaw.linkage.model_settings import DETERMINISTIC_RULES, FIELDS, rule_sql, settings, usable_rules
from jigsaw.linkage.model_terms import TERM_FREQUENCY_COLUMNS, term_frequency_tables, with_term_frequencies

__all__ = [
    "Candidate",
    "Scorer",
    "TrainedModel",
    "blocking_keys",
    "cluster",
    "connection",
    "evidence",
    "is_twin_like",
    "predict",
    "prepare",
    "prepare_arrow",
    "score_record",
    "settings",
    "train",
]

AUTO_LINK = 0.99
REVIEW = 0.5
DETERMINISTIC_RECALL = 0.8


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
    def fields(self) -> list[str]:
        return [comparison["output_column_name"] for comparison in self.model_json["comparisons"]]


def _fields_present(table: pa.Table, columns: list[str] | None) -> list[str]:
    wanted = columns or list(FIELDS)
    present = []
    for name in wanted:
        column = table.column(FIELDS[name].columns[0])
        if column.null_count < table.num_rows:
            present.append(name)
    return present


def train(
    frame,
    *,
    seed: int = 1,
    columns: list[str] | None = None,
    link_only: bool = False,
    sample_size: int | None = 200_000,
    u_pairs: float = 2e6,
    em_pairs: float = 2e5,
    con: duckdb.DuckDBPyConnection | None = None,
) -> TrainedModel:
    """Train the model on unlabelled prepared records.

    u comes from random pairs (seeded), m from expectation maximisation over pairs blocked on date of
    birth and then on names, and the probability that two random records match from pairs that agree
    on name and date of birth (or NHS number), assumed to find 80% of the duplicates. A population
    larger than `sample_size` is trained on a seeded sample of that size.
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
    training = with_term_frequencies(con, "training_records", tf_tables)
    con.unregister("training_records")

    splink_linker = linker(con, training, settings(fields, link_only=link_only))
    deterministic = usable_rules(DETERMINISTIC_RULES, fields)
    splink_linker.training.estimate_probability_two_random_records_match(
        [rule_sql(columns, link_only=link_only) for columns in deterministic.values()], recall=DETERMINISTIC_RECALL
    )
    splink_linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
    sessions = []
    for em_columns in _em_rules(fields):
        splink_linker.training.estimate_parameters_using_expectation_maximisation(
            block_on(*em_columns), estimate_without_term_frequencies=True, max_pairs=em_pairs
        )
        sessions.append("+".join(em_columns))
    model_json = splink_linker.misc.save_model_to_json()
    model_json.pop("linker_uid", None)
    metrics = {
        "records": population,
        "records_trained_on": training.num_rows,
        "fields": fields,
        "link_only": link_only,
        "u_pairs_sampled": u_pairs,
        "em_pairs_at_most": em_pairs,
        "em_sessions": sessions,
        "probability_two_random_records_match": model_json["probability_two_random_records_match"],
        "seconds": round(time.perf_counter() - started, 2),
    }
    return TrainedModel(model_json=model_json, tf_tables=tf_tables, metrics=metrics, version=_version(model_json, tf_tables))


def _sample(con: duckdb.DuckDBPyConnection, table: pa.Table, size: int, seed: int) -> pa.Table:
    con.register("sample_source", table)
    sample = con.sql(f"select * from sample_source using sample reservoir({int(size)} rows) repeatable ({int(seed)})")
    result = sample.to_arrow_table()
    con.unregister("sample_source")
    return result


def _em_rules(fields: list[str]) -> list[tuple[str, ...]]:
    rules = []
    if "date_of_birth" in fields:
        rules.append(("date_of_birth",))
    if {"given_name", "family_name"} <= set(fields):
        rules.append(("given_name", "family_name"))
    if "postcode" in fields and len(rules) < 2:
        rules.append(("postcode",))
    return rules


def _version(model_json: dict, tf_tables: dict) -> str:
    content = json.dumps({"model": model_json, "tf": tf_tables}, sort_keys=True, default=str)
    return hashlib.sha256(content.encode()).hexdigest()[:12]


def predict(
    model: TrainedModel,
    frame,
    *,
    threshold: float = REVIEW,
    con: duckdb.DuckDBPyConnection | None = None,
) -> pd.DataFrame:
    """Scored pairs at or above `threshold`: unique_id_l/_r, match_probability, match_weight, twin_like,
    the organisations, and each field's gamma_ level and mw_ match weights (what `evidence` explains).

    A twin-like pair's match_probability is capped at TWIN_CAP (below auto-link), Splink's own figure
    kept in model_probability."""
    con = con or connection()
    table = scored_table(model.tf_tables, frame, con)
    splink_linker = linker(con, table, model.model_json)
    predictions = splink_linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    wanted = ["unique_id_l", "unique_id_r", "organisation_l", "organisation_r", "match_weight", "match_probability"]
    wanted += [c for c in predictions.columns_escaped if c.strip('"').startswith(("gamma_", "mw_"))]
    arrow = con.sql(f"select {', '.join(wanted)} from {predictions.physical_name}").to_arrow_table()  # noqa: S608
    predictions.drop_table_from_database_and_remove_from_cache()
    pairs = arrow.to_pandas(types_mapper=_arrow_strings)
    return guard_twins(model, pairs)


def _arrow_strings(arrow_type):
    return pd.ArrowDtype(arrow_type) if pa.types.is_string(arrow_type) else None


def guard_twins(model: TrainedModel, pairs: pd.DataFrame) -> pd.DataFrame:
    pairs["twin_like"] = twin_like_mask(model.model_json, pairs)
    pairs["model_probability"] = pairs["match_probability"]
    pairs.loc[pairs["twin_like"], "match_probability"] = pairs.loc[pairs["twin_like"], "match_probability"].clip(
        upper=TWIN_CAP
    )
    return pairs


def evidence(model: TrainedModel, pair) -> list[dict]:
    """Field by field: what the two records share (a plain-English label) and the match weight it gives.

    `pair` is a row of `predict` (any mapping with the gamma_ and mw_ columns) or two records."""
    if isinstance(pair, Mapping | pd.Series):
        return evidence_from_row(model.model_json, pair)
    first, second = pair
    return score_record(model, first, [second])[0].evidence
