"""Scoring one new record against the population, fast enough to run inside a save.

Candidates come from the same blocking keys the model's blocking rules use: `blocking_keys` gives the
app the strings to keep in an indexed column, and `Scorer` keeps a sorted array of key hashes per rule
in memory. The few candidates found are scored with the SQL of Splink's own `compare_records`, kept as
a prepared statement, so the scores are exactly the ones a full `predict` would give.
"""

import hashlib
import threading
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from splink import DuckDBAPI
from splink.internals.realtime import compare_records

from jigsaw.linkage.model_evidence import TWIN_CAP, evidence_from_row, is_twin_like
from jigsaw.linkage.model_prepare import load, prepare_arrow, run_prepared
from jigsaw.linkage.model_runtime import as_arrow, scored_table
from jigsaw.linkage.model_settings import BLOCKING_RULES, rules_of
from jigsaw.linkage.model_terms import frequency

MAX_PER_KEY = 200
KEY_LENGTH = 200  # the app's indexed column; a longer key is stored as a digest


@dataclass
class Candidate:
    unique_id: str
    match_probability: float
    match_weight: float
    evidence: list[dict] = field(default_factory=list)
    twin_like: bool = False
    organisation: str | None = None


def _key_sql(source: str) -> str:
    parts = []
    for name, columns in BLOCKING_RULES.items():
        joined = " || '|' || ".join(f"cast({column} as varchar)" for column in columns)
        present = " and ".join(f"{column} is not null" for column in columns)
        parts.append(f"case when {present} then '{name}:' || {joined} end as {name}")
    return f"select {', '.join(parts)} from {source}"  # nosec B608  # noqa: S608


def blocking_keys(record: dict) -> list[str]:
    """The blocking keys of one record ("rule:value|value"), as the model's blocking rules compare them.

    Two records are compared when they share at least one key, so the app stores these in an
    indexed column and fetches a new record's candidates with one query."""
    comparer = _comparer()
    load(comparer.con, "jigsaw_one_record", prepare_arrow([record], comparer.con))
    row = run_prepared(comparer.con, "jigsaw_blocking_keys", _key_sql("jigsaw_one_record")).to_pylist()[0]
    return [_storable(key) for key in row.values() if key is not None]


def blocking_keys_of_many(records: list[dict], con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """`blocking_keys` for many records in one DuckDB pass: unique_id -> keys."""
    load(con, "jigsaw_many_records", prepare_arrow(records, con))
    # The model's own SQL, with no input in it.
    keyed = f"({_key_sql('jigsaw_many_records')}) k positional join jigsaw_many_records p"  # nosec B608
    rows = con.sql(f"select p.unique_id, k.* from {keyed}").fetchall()  # nosec B608  # noqa: S608
    return {row[0]: [_storable(key) for key in row[1:] if key is not None] for row in rows}


def _storable(key: str) -> str:
    if len(key) <= KEY_LENGTH:
        return key
    name, _, values = key.partition(":")
    return f"{name}:#{hashlib.sha256(values.encode()).hexdigest()}"


class _Comparer:
    """One DuckDB connection (per thread) for scoring a record against its candidates.

    The first comparison for a model runs Splink's `compare_records`; its SQL (Splink's own, naming
    the two registered tables) is kept as a prepared statement, so later comparisons skip planning."""

    def __init__(self):
        self.con = duckdb.connect()
        self.con.execute("set threads = 1")
        self.db_api = DuckDBAPI(connection=self.con)
        self._statements: dict[str, str] = {}

    def compare(self, model, new: pa.Table, candidates: pa.Table) -> pa.Table:
        load(self.con, "jigsaw_new_record", new)
        load(self.con, "jigsaw_candidates", candidates)
        statement = self._statements.get(_cache_key(model))
        if statement:
            try:
                return self.con.sql(f"EXECUTE {statement}").to_arrow_table()
            except duckdb.Error:  # the tables were rebuilt with other columns: plan again
                self.con.execute(f"DEALLOCATE PREPARE {statement}")
        scored = compare_records("jigsaw_new_record", "jigsaw_candidates", model.model_json, self.db_api)
        statement = f"jigsaw_compare_{abs(hash(_cache_key(model)))}"
        self.con.execute(f"PREPARE {statement} AS {scored.sql_used_to_create}")
        self._statements[_cache_key(model)] = statement
        table = self.con.sql(f"select * from {scored.physical_name}").to_arrow_table()  # nosec B608  # noqa: S608
        self.con.execute(f"drop table {scored.physical_name}")
        return table


def _cache_key(model) -> str:
    return f"jigsaw-{model.version or id(model.model_json)}"


_local = threading.local()


def _comparer() -> _Comparer:
    if not hasattr(_local, "comparer"):
        _local.comparer = _Comparer()
    return _local.comparer


def with_frequencies(model, table: pa.Table) -> pa.Table:
    """A few prepared records with tf_ columns from the model's tables (no SQL needed for a handful)."""
    for column in model.tf_tables:
        values = [frequency(model.tf_tables, column, value) for value in table.column(column).to_pylist()]
        table = table.append_column(f"tf_{column}", pa.array(values, pa.float64()))
    return table


def candidates_from(model, scored: pa.Table) -> list[Candidate]:
    found = []
    for row in scored.to_pylist():
        evidence = evidence_from_row(model.model_json, row)
        twin_like = is_twin_like(evidence) and model.guards_twins
        probability = min(row["match_probability"], TWIN_CAP) if twin_like else row["match_probability"]
        found.append(
            Candidate(
                unique_id=row["unique_id_r"],
                match_probability=probability,
                match_weight=row["match_weight"],
                evidence=evidence,
                twin_like=twin_like,
                organisation=row.get("organisation_r"),
            )
        )
    return sorted(found, key=lambda candidate: -candidate.match_probability)


def score_record(model, record: dict, candidates: list[dict]) -> list[Candidate]:
    """Score `record` against an explicit list of candidate records (the app's path: it fetched them by
    `blocking_keys`); best first, twin-like pairs capped below auto-link."""
    if not candidates:
        return []
    comparer = _comparer()
    prepared = with_frequencies(model, prepare_arrow([record, *candidates], comparer.con))
    return candidates_from(model, comparer.compare(model, prepared.slice(0, 1), prepared.slice(1)))


class Scorer:
    """Scores new records against a population prepared once (`frame` from `prepare`)."""

    def __init__(self, model, frame, *, con: duckdb.DuckDBPyConnection | None = None):
        self.model = model
        con = con or duckdb.connect()
        self.table = scored_table(model.tf_tables, as_arrow(frame), con)
        con.register("population", self.table)
        self.rules = rules_of(model.model_json)
        hashes = ", ".join(f"hash({name}) as {name}, {name} is null as {name}_missing" for name in self.rules)
        key_table = con.sql(f"select {hashes} from ({_key_sql('population')})").to_arrow_table()  # nosec B608  # noqa: S608
        con.unregister("population")
        self._index = {name: _sorted_index(key_table, name) for name in self.rules}
        self._ids = self.table.column("unique_id")

    def candidate_rows(self, keys_hashes: dict[str, int]) -> np.ndarray:
        rows = []
        for name, key_hash in keys_hashes.items():
            hashes, order = self._index[name]
            start = np.searchsorted(hashes, key_hash, side="left")
            stop = np.searchsorted(hashes, key_hash, side="right")
            rows.append(order[start : min(stop, start + MAX_PER_KEY)])
        return np.unique(np.concatenate(rows)) if rows else np.array([], dtype=np.int64)

    def score(self, record: dict) -> list[Candidate]:
        comparer = _comparer()
        new = with_frequencies(self.model, prepare_arrow([record], comparer.con))
        load(comparer.con, "jigsaw_new_record_keys", new)
        hashes = ", ".join(f"case when {name} is not null then hash({name}) end as {name}" for name in BLOCKING_RULES)
        row = run_prepared(
            comparer.con,
            "jigsaw_key_hashes",
            f"select {hashes} from ({_key_sql('jigsaw_new_record_keys')})",  # nosec B608  # noqa: S608
        ).to_pylist()[0]
        keys = {name: value for name, value in row.items() if value is not None and name in self._index}
        rows = self.candidate_rows(_hashes_of(keys))
        if not len(rows):
            return []
        candidates = self.table.take(pa.array(rows))
        own_id = str(record.get("unique_id"))
        candidates = candidates.filter(pc.not_equal(candidates.column("unique_id"), own_id))
        if not candidates.num_rows:
            return []
        new = new.select(candidates.column_names)
        return candidates_from(self.model, comparer.compare(self.model, new, candidates))


def _hashes_of(keys: dict) -> dict:
    return {name: np.uint64(value) for name, value in keys.items()}


def _sorted_index(key_table: pa.Table, name: str) -> tuple[np.ndarray, np.ndarray]:
    hashes = key_table.column(name).to_numpy(zero_copy_only=False).astype(np.uint64)
    present = ~key_table.column(f"{name}_missing").to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(present)
    order = rows[np.argsort(hashes[rows], kind="stable")]
    return hashes[order], order
