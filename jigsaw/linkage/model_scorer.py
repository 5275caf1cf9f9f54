"""Scoring one new record against the population, fast enough to run inside a save.

Candidates come from the same blocking keys the model's blocking rules use: `blocking_keys` gives the
app the strings to keep in an indexed column, and `Scorer` keeps a sorted array of key hashes per rule
in memory. The few candidates found are scored by Splink's own `compare_records` with its SQL cached,
so the scores are exactly the ones a full `predict` would give.
"""

import threading
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from splink import DuckDBAPI
from splink.internals.realtime import compare_records

from jigsaw.linkage.model_evidence import TWIN_CAP, evidence_from_row, is_twin_like
from jigsaw.linkage.model_prepare import prepare_arrow
from jigsaw.linkage.model_runtime import as_arrow, scored_table
from jigsaw.linkage.model_settings import BLOCKING_RULES
from jigsaw.linkage.model_terms import frequency

MAX_PER_KEY = 200
_RECYCLE_AFTER = 5_000  # calls, so Splink's per-call bookkeeping does not grow without end


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
    return f"select {', '.join(parts)} from {source}"  # noqa: S608


def blocking_keys(record: dict) -> list[str]:
    """The blocking keys of one record ("rule:value|value"), as the model's blocking rules compare them.

    Two records are compared when they share at least one key, so the app stores these in an
    indexed column and fetches a new record's candidates with one query."""
    con = duckdb.connect()
    con.register("one_record", prepare_arrow([record], con))
    (row,) = con.sql(_key_sql("one_record")).fetchall()
    return [key for key in row if key is not None]


class _Comparer:
    """One DuckDB connection for Splink's compare_records, renewed now and then."""

    def __init__(self):
        self._calls = 0
        self._renew()

    def _renew(self):
        self.con = duckdb.connect()
        self.con.execute("set threads = 1")
        self.db_api = DuckDBAPI(connection=self.con)

    def compare(self, model, new: pa.Table, candidates: pa.Table) -> pa.Table:
        self._calls += 1
        if self._calls % _RECYCLE_AFTER == 0:
            self._renew()
        self.con.register("jigsaw_new_record", new)
        self.con.register("jigsaw_candidates", candidates)
        scored = compare_records(
            "jigsaw_new_record", "jigsaw_candidates", model.model_json, self.db_api, sql_cache_key=_cache_key(model)
        )
        table = self.con.sql(f"select * from {scored.physical_name}").to_arrow_table()  # noqa: S608
        scored.drop_table_from_database_and_remove_from_cache()
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
        twin_like = is_twin_like(evidence)
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
        key_table = con.sql(f"select {', '.join(f'hash({n}) as {n}, {n} is null as {n}_missing' for n in BLOCKING_RULES)} "
                            f"from ({_key_sql('population')})").to_arrow_table()  # noqa: S608
        con.unregister("population")
        self._index = {name: _sorted_index(key_table, name) for name in BLOCKING_RULES}
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
        comparer.con.register("new_record_keys", new)
        (row,) = comparer.con.sql(
            f"select {', '.join(f'case when {n} is not null then hash({n}) end' for n in BLOCKING_RULES)} "
            f"from ({_key_sql('new_record_keys')})"  # noqa: S608
        ).fetchall()
        comparer.con.unregister("new_record_keys")
        keys = {name: value for name, value in zip(BLOCKING_RULES, row, strict=True) if value is not None}
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
