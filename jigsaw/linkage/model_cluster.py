"""Clusters of records that are one person, grown only through strong links nobody contradicts.

1. Records joined by auto-link pairs (never twin-like ones) form tentative groups.
2. Every pair inside a group of three or more is scored, including pairs the blocking rules never
   compared, so a chain A~B, B~C is checked against A~C.
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
from splink import block_on

from jigsaw.linkage.model_evidence import twin_like_mask
from jigsaw.linkage.model_runtime import as_arrow, linker, scored_table

AUTO_LINK = 0.99
VETO = 0.5
MAX_GROUP_TO_SCORE = 400


def components(size: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Connected-component labels (the smallest member index) by min-label propagation."""
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
    """unique_id -> cluster id (the cluster's smallest unique_id) for every record in `frame`."""
    table = as_arrow(frame)
    ids = np.array(table.column("unique_id").to_pylist(), dtype=object)
    position = {uid: index for index, uid in enumerate(ids)}
    strong = pairs[(pairs["match_probability"] >= auto_link) & ~pairs["twin_like"]]
    left = strong["unique_id_l"].map(position).to_numpy(dtype=np.int64)
    right = strong["unique_id_r"].map(position).to_numpy(dtype=np.int64)
    labels = components(len(ids), left, right)

    sizes = np.bincount(labels, minlength=len(ids))
    organisations = table.column("organisation").to_pylist()
    checked = _groups_to_check(labels, sizes, left, right, organisations, one_per_organisation)
    if checked:
        scores = _score_within(model, table, labels, checked, con or duckdb.connect())
        by_group: dict[int, dict] = defaultdict(dict)
        for (a, b), score in scores.items():
            by_group[int(labels[a])][(a, b)] = score
        held_by = organisations if one_per_organisation else None
        for root in checked:
            members = np.flatnonzero(labels == root)
            for group in _rebuild(members, by_group[root], auto_link, veto, held_by):
                labels[group] = group.min()
    return _named(ids, labels)


def _groups_to_check(labels, sizes, left, right, organisations, one_per_organisation) -> set[int]:
    groups = {int(root) for root in np.flatnonzero(sizes >= 3)}
    if one_per_organisation:
        for a, b in zip(left, right, strict=True):
            if organisations[a] is not None and organisations[a] == organisations[b]:
                groups.add(int(labels[a]))
    return {root for root in groups if sizes[root] <= MAX_GROUP_TO_SCORE}


def _score_within(model, table: pa.Table, labels, roots: set[int], con) -> dict[tuple[int, int], tuple[float, bool]]:
    """(i, j) -> (match probability, twin-like) for every pair inside the given groups."""
    rows = np.flatnonzero(np.isin(labels, list(roots)))
    subset = table.take(pa.array(rows)).append_column("jigsaw_group", pa.array(labels[rows], pa.int64()))
    subset = subset.append_column("jigsaw_row", pa.array(rows, pa.int64()))
    scored = scored_table(model.tf_tables, subset, con)
    splink_linker = linker(con, scored, model.model_json)
    sdf = splink_linker.table_management.register_table(scored, "jigsaw_groups", overwrite=True)
    predictions = splink_linker.inference.predict_within(
        sdf, blocking_rules_to_generate_predictions=[block_on("jigsaw_group")], warning_mode="never"
    )
    pairs = predictions.as_pandas_dataframe()
    predictions.drop_table_from_database_and_remove_from_cache()
    row_of = dict(zip(subset.column("unique_id").to_pylist(), rows.tolist(), strict=True))
    twin = twin_like_mask(model.model_json, pairs).to_numpy()
    scores = {}
    for uid_l, uid_r, probability, is_twin in zip(
        pairs["unique_id_l"], pairs["unique_id_r"], pairs["match_probability"], twin, strict=True
    ):
        a, b = sorted((row_of[uid_l], row_of[uid_r]))
        scores[(a, b)] = (float(probability), bool(is_twin))
    return scores


def _rebuild(members: np.ndarray, scores, auto_link: float, veto: float, organisations) -> list[np.ndarray]:
    """Greedy agglomeration of one group: strongest link first, refusing any merge a pair contradicts."""
    links = sorted(
        ((probability, a, b) for (a, b), (probability, twin) in scores.items() if probability >= auto_link and not twin),
        key=lambda link: (-link[0], link[1], link[2]),
    )
    cluster_of = {int(member): int(member) for member in members}
    clusters: dict[int, list[int]] = defaultdict(list)
    for member in members:
        clusters[int(member)].append(int(member))
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
        held = {organisations[m] for m in first if organisations[m] is not None}
        if any(organisations[m] in held for m in second):
            return False
    for a in first:
        for b in second:
            probability, twin = scores.get((min(a, b), max(a, b)), (1.0, False))
            if twin or probability < veto:
                return False
    return True


def _named(ids: np.ndarray, labels: np.ndarray) -> dict[str, str]:
    order = np.argsort(ids.astype(str), kind="stable")
    smallest: dict[int, str] = {}
    for index in order:
        smallest.setdefault(int(labels[index]), ids[index])
    return {uid: smallest[int(label)] for uid, label in zip(ids, labels, strict=True)}
