"""Clusters of records that are one person, grown only through strong links nobody contradicts.

1. Records joined by auto-link pairs (never twin-like ones) form tentative groups.
2. A group whose members are not all strongly linked to each other (a chain A~B, B~C), or that holds
   two records of one organisation, has every pair inside it scored, including pairs the blocking
   rules never compared, so A~C is checked.
3. A group with a contradiction is rebuilt greedily, strongest link first, like Splink's
   single-best-links: two sub-clusters join only if every pair across them is at least a possible
   match (not below `veto`, not twin-like) and, when organisations hold one record per child, they
   share no organisation.
"""

from collections import defaultdict

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from jigsaw.linkage.model_evidence import twin_like_mask
from jigsaw.linkage.model_runtime import as_arrow, model_linker

AUTO_LINK = 0.99
VETO = 0.05  # a pair inside a cluster scored below this is clearly two people
MAX_GROUP_TO_SCORE = 400


def components(size: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Connected-component labels (the smallest member's index) by min-label propagation."""
    labels = np.arange(size)
    while True:
        smaller = np.minimum(labels[left], labels[right])
        updated = labels.copy()
        np.minimum.at(updated, left, smaller)
        np.minimum.at(updated, right, smaller)
        updated = updated[updated]
        if np.array_equal(updated, labels):
            return labels
        labels = updated


def cluster(
    model,
    frame,
    pairs: pd.DataFrame,
    *,
    auto_link: float = AUTO_LINK,
    veto: float = VETO,
    one_per_organisation: bool = True,
    con: duckdb.DuckDBPyConnection | None = None,
) -> dict[str, str]:
    """unique_id -> cluster id (the unique_id of one member) for every record in `frame`."""
    table = as_arrow(frame)
    ids = pd.Index(table.column("unique_id").to_pandas())
    strong = pairs[(pairs["match_probability"] >= auto_link) & ~pairs["twin_like"].astype(bool)]
    left, right = _rows(ids, strong)
    labels = components(len(ids), left, right)
    organisations = pd.factorize(table.column("organisation").to_pandas())[0] if one_per_organisation else None

    checked = _groups_to_check(labels, left, right, organisations)
    if len(checked):
        members = _members(labels, checked)
        scores = _score_within(model, table, labels, members, con or duckdb.connect())
        for root, rows in members.items():
            if _contradicted(rows, scores[root], veto, organisations):
                for group in _rebuild(rows, scores[root], auto_link, veto, organisations):
                    labels[group] = group.min()
    return dict(zip(ids.tolist(), ids[labels].tolist(), strict=True))


def _rows(ids: pd.Index, pairs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    if {"row_l", "row_r"} <= set(pairs.columns):  # predict's own rows of the same frame
        return pairs["row_l"].to_numpy(dtype=np.int64), pairs["row_r"].to_numpy(dtype=np.int64)
    return ids.get_indexer(pairs["unique_id_l"].astype(object)), ids.get_indexer(pairs["unique_id_r"].astype(object))


def _groups_to_check(labels, left, right, organisations) -> np.ndarray:
    sizes = np.bincount(labels, minlength=len(labels))
    edges = np.bincount(labels[left], minlength=len(labels))
    chain = (sizes >= 3) & (edges < sizes * (sizes - 1) // 2)
    if organisations is not None:
        same = (organisations[left] == organisations[right]) & (organisations[left] >= 0)
        chain[labels[left[same]]] = True
    return np.flatnonzero(chain & (sizes <= MAX_GROUP_TO_SCORE))


def _members(labels: np.ndarray, roots: np.ndarray) -> dict[int, np.ndarray]:
    rows = np.flatnonzero(np.isin(labels, roots))
    rows = rows[np.argsort(labels[rows], kind="stable")]
    starts = np.flatnonzero(np.r_[True, labels[rows][1:] != labels[rows][:-1]])
    return {int(labels[rows[start]]): group for start, group in zip(starts, np.split(rows, starts[1:]), strict=True)}


def score_groups(model, frame, groups, *, con: duckdb.DuckDBPyConnection | None = None) -> pd.DataFrame:
    """Every pair of records that share a group scored, whether or not a blocking rule compares them:
    unique_id_l, unique_id_r, match_probability and twin_like. `groups` holds one label per record of
    `frame`, in order (the bench's labelled truth, to measure what the twin guard allows)."""
    table = as_arrow(frame)
    labels = pd.factorize(pd.Series(list(groups)))[0]
    ids = np.asarray(table.column("unique_id").to_pandas(), dtype=object)
    rows = np.arange(len(labels))
    row_l, row_r, probability, twin = _scored_within(model, table, labels, rows, con or duckdb.connect())
    return pd.DataFrame(
        {"unique_id_l": ids[row_l], "unique_id_r": ids[row_r], "match_probability": probability, "twin_like": twin}
    )


def _score_within(model, table: pa.Table, labels, members: dict, con) -> dict[int, dict]:
    """{group: {(row_a, row_b): (match probability, twin-like)}} for every pair inside the groups."""
    rows = np.concatenate(list(members.values()))
    scores: dict[int, dict] = defaultdict(dict)
    for a, b, probability, is_twin in zip(*_scored_within(model, table, labels, rows, con), strict=True):
        scores[int(labels[a])][(int(a), int(b))] = (float(probability), bool(is_twin))
    return scores


def _scored_within(model, table: pa.Table, labels, rows: np.ndarray, con) -> tuple[np.ndarray, ...]:
    """(row_a, row_b, match probability, twin-like), row_a < row_b, for every pair of `rows` sharing a label."""
    subset = table.take(pa.array(rows)).append_column("jigsaw_group", pa.array(labels[rows], pa.int64()))
    within = dict(
        model.model_json,
        blocking_rules_to_generate_predictions=["l.jigsaw_group = r.jigsaw_group"],
    )
    predictions = model_linker(con, subset, within, model.tf_tables).inference.predict(warning_mode="never")
    wanted = ["unique_id_l", "unique_id_r", "match_probability"]
    wanted += [c for c in predictions.columns_escaped if c.strip('"').startswith("gamma_")]
    scored = con.sql(f"select {', '.join(wanted)} from {predictions.physical_name}").to_arrow_table()  # nosec B608  # noqa: S608
    predictions.drop_table_from_database_and_remove_from_cache()
    pairs = scored.to_pandas()
    positions = pd.Index(subset.column("unique_id").to_pandas())
    row_l, row_r = (rows[indexes] for indexes in _rows(positions, pairs))
    twin = twin_like_mask(model.model_json, pairs).to_numpy() & model.guards_twins
    return (
        np.minimum(row_l, row_r), np.maximum(row_l, row_r), pairs["match_probability"].to_numpy(dtype=float), twin
    )


def _contradicted(rows: np.ndarray, scores: dict, veto: float, organisations) -> bool:
    if organisations is not None:
        held = organisations[rows]
        held = held[held >= 0]
        if len(held) != len(np.unique(held)):
            return True
    return any(twin or probability < veto for probability, twin in scores.values())


def _rebuild(members: np.ndarray, scores: dict, auto_link: float, veto: float, organisations) -> list[np.ndarray]:
    """Greedy agglomeration of one group: strongest link first, refusing any merge a pair contradicts."""
    links = sorted(
        (
            (probability, a, b)
            for (a, b), (probability, twin) in scores.items()
            if probability >= auto_link and not twin
        ),
        key=lambda link: (-link[0], link[1], link[2]),
    )
    cluster_of = {int(member): int(member) for member in members}
    clusters: dict[int, list[int]] = {int(member): [int(member)] for member in members}
    for _, a, b in links:
        first, second = cluster_of[a], cluster_of[b]
        if first == second or not _may_join(clusters[first], clusters[second], scores, veto, organisations):
            continue
        for member in clusters[second]:
            cluster_of[member] = first
        clusters[first].extend(clusters.pop(second))
    return [np.array(group) for group in clusters.values()]


def _may_join(first: list[int], second: list[int], scores, veto: float, organisations) -> bool:
    if organisations is not None:
        held = {organisations[m] for m in first if organisations[m] >= 0}
        if any(organisations[m] in held for m in second):
            return False
    for a in first:
        for b in second:
            probability, twin = scores.get((min(a, b), max(a, b)), (1.0, False))
            if twin or probability < veto:
                return False
    return True
