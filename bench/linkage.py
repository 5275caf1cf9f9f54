"""Bench: identity resolution quality on labelled data Jigsaw did not generate, plain Splink's documented
example settings on the same data in the same run, and the model's speed at a million records.

1. FEBRL4 (5,000 x 5,000, link only) in three variants (all fields; without soc_sec_id; names, date of
   birth and postcode only), FEBRL3 (5,000 records, dedupe) and Splink's historical figures (50,578
   records of 5,156 people). Each is prepared, trained without labels, predicted and clustered by
   jigsaw.linkage.model; the labels only score the result. FEBRL4 is two files that each hold a
   person once, so it is predicted one-to-one (model_exclusive); training measures whether the
   records show families (FEBRL's show none, so its twin-like pairs are not held back; the detail
   gives the F1 with them held back too).
   - pairwise F1: over pairs scored at or above the auto-link threshold (0.99);
   - cluster F1: over the pairs of records that share a cluster, after clustering at 0.99 with the
     model's guards (twin-like pairs never auto-link; no cluster joins through a contradicted link).
     This is the pairwise comparison of clusters Splink's own accuracy analysis uses; B-cubed F1 (the
     average over records of how much of each record's true cluster its found cluster holds) is in the
     detail.
   For the historical figures the detail also gives the ceiling: the best cluster F1 any clustering
   could reach knowing the truth but keeping twin-like records apart (every pair inside each person
   scored, the best split found exactly), and the F1 of plain connected components at 0.99 with no
   guard, which is how Splink's examples cluster.
2. Plain Splink with the settings of its FEBRL4 and historical-figures examples, clustered by connected
   components at the thresholds the examples use; the checks are the ratios ours / Splink's.
3. A seeded synthetic partnership of children with twins and siblings held by several organisations:
   precision of the links made automatically (goal 0.999), recall in the detail.
4. A million synthetic child records deduplicated end to end (prepare, train on a sample, predict,
   cluster) on this machine, and one new record scored against the million (median of 100).

Progress goes to stderr; the last line on stdout is the JSON report (bench protocol, DESIGN.md section 8).

    .venv/bin/python bench/linkage.py [--quick] [--only febrl4|febrl3|historical|synthetic|scale]
"""

import argparse
import itertools
import json
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench import linkage_baseline as baseline  # noqa: E402
from bench import linkage_data as data  # noqa: E402
from bench.scratch import say  # noqa: E402

AUTO_LINK = 0.99
SEED = 20261121
PARTS = ("febrl4", "febrl3", "historical", "synthetic", "scale")
GOALS = {
    "all_fields": 0.999,
    "without_soc_sec_id": 0.998,
    "names_dob_postcode": 0.99,
    "febrl3": 0.99,
    "historical": 0.85,
    "precision": 0.999,
    "seconds": 30,
    "milliseconds": 100,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small samples, for tests and CI smoke runs")
    parser.add_argument("--only", choices=PARTS, help="run one part")
    options = parser.parse_args()
    started = time.perf_counter()
    checks, detail = [], {}
    for part in PARTS:
        if options.only in (None, part):
            part_checks, part_detail = globals()[f"bench_{part}"](options.quick)
            checks += part_checks
            detail[part] = part_detail
    detail["versions"] = versions()
    detail["quick"] = options.quick
    detail["peak_memory_mb"] = peak_memory_mb()
    detail["total_seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps({"bench": "linkage", "checks": checks, "detail": detail}))


# --- Scoring ---------------------------------------------------------------------------------------


def pairs_within(assignment: dict) -> set[tuple[str, str]]:
    groups: dict = {}
    for record, group in assignment.items():
        groups.setdefault(group, []).append(record)
    return {pair for members in groups.values() for pair in itertools.combinations(sorted(members), 2)}


def f1_of(found: set, truth: set) -> dict:
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * hits / (len(found) + len(truth)) if found or truth else 1.0
    return {
        "f1": round(f1, 5),
        "precision": round(precision, 5),
        "recall": round(recall, 5),
        "true_pairs": len(truth),
        "found_pairs": len(found),
        "false_positives": len(found - truth),
        "false_negatives": len(truth - found),
    }


def b_cubed(clusters: dict, truth: dict) -> float:
    found_members, true_members = _members(clusters), _members(truth)
    precision = recall = 0.0
    for record in truth:
        found = found_members[clusters[record]]
        actual = true_members[truth[record]]
        shared = len(found & actual)
        precision += shared / len(found)
        recall += shared / len(actual)
    precision, recall = precision / len(truth), recall / len(truth)
    return round(2 * precision * recall / (precision + recall), 5)


def _members(assignment: dict) -> dict:
    members: dict = {}
    for record, group in assignment.items():
        members.setdefault(group, set()).add(record)
    return members


def scored_pairs(pairs, threshold: float = AUTO_LINK) -> set:
    strong = pairs[pairs["match_probability"] >= threshold]
    return {tuple(sorted(pair)) for pair in zip(strong["unique_id_l"], strong["unique_id_r"], strict=True)}


def run_model(records, *, link_only: bool = False, one_per_organisation: bool = True) -> tuple[dict, dict]:
    """Prepare, train (unlabelled), predict and cluster `records`; the scores against `truth`, and the clusters."""
    from jigsaw.linkage import model

    started = time.perf_counter()
    con = model.connection(threads=2)
    frame = model.prepare(records.drop(columns=["truth"]))
    trained = model.train(frame, seed=SEED, link_only=link_only, con=con)
    pairs = model.predict(trained, frame, threshold=0.01, one_to_one=link_only, con=con)
    clusters = model.cluster(trained, frame, pairs, one_per_organisation=one_per_organisation, con=con)
    truth = dict(zip(records["unique_id"], records["truth"], strict=True))
    true_pairs = pairs_within(truth)
    cluster_score = f1_of(pairs_within(clusters), true_pairs)
    unguarded = pairs.assign(match_probability=pairs["model_probability"])
    without_guard = model.cluster(
        _without_twin_guard(trained), frame, unguarded.assign(twin_like=False),
        one_per_organisation=one_per_organisation, con=con,
    )
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "records": len(records),
        "pairwise": f1_of(scored_pairs(pairs), true_pairs),
        "cluster": cluster_score,
        "b_cubed_f1": b_cubed(clusters, truth),
        "cluster_without_twin_guard": f1_of(pairs_within(without_guard), true_pairs),
        "cluster_ceiling_keeping_twin_like_records_apart": twin_guard_ceiling(trained, frame, truth, true_pairs, con),
        "connected_components_without_guards": f1_of(pairs_within(connected(frame, unguarded)), true_pairs),
        "pairwise_without_twin_guard": f1_of(scored_pairs(unguarded), true_pairs),
        "true_pairs_held_for_review_by_twin_guard": int(
            sum(1 for pair in scored_pairs(unguarded) - scored_pairs(pairs) if pair in true_pairs)
        ),
        "training": trained.metrics,
        "model_version": trained.version,
    }, clusters


def _without_twin_guard(trained):
    from jigsaw.linkage import model

    households = {**trained.metrics.get("households", {}), "seen": False}
    return model.TrainedModel.from_stored(
        model_json=trained.model_json, tf_tables=trained.tf_tables,
        metrics={**trained.metrics, "households": households}, version=trained.version,
    )


def connected(frame, pairs) -> dict:
    """Clusters as Splink's examples make them: connected components of the pairs at the auto-link threshold,
    with no guard at all (not how Jigsaw links; it shows the model's own strength beside the example's)."""
    from jigsaw.linkage.model_cluster import components

    ids = frame["unique_id"]
    index = {record: row for row, record in enumerate(ids)}
    strong = pairs[pairs["match_probability"] >= AUTO_LINK]
    left = strong["unique_id_l"].map(index).to_numpy(dtype="int64")
    right = strong["unique_id_r"].map(index).to_numpy(dtype="int64")
    labels = components(len(ids), left, right)
    return dict(zip(ids, ids.iloc[labels], strict=True))


def twin_guard_ceiling(trained, frame, truth: dict, true_pairs: set, con) -> dict:
    """The best cluster any clustering could reach while keeping twin-like records apart, knowing the truth
    otherwise. Every pair inside each true person is scored, whether blocking compares it or not (the app
    scores a record against every member of the subject it would join), and each person's records are split
    into groups with no twin-like pair inside, as large as possible: exactly, by branch and bound. On data
    whose corruptions look like twins, no model can pass it."""
    from jigsaw.linkage import model

    ids = frame["unique_id"].tolist()
    within = model.score_groups(trained, frame, [truth[record] for record in ids], con=con)
    twin_like = within[within["twin_like"]]
    conflicts: dict = {}
    for a, b in zip(twin_like["unique_id_l"], twin_like["unique_id_r"], strict=True):
        conflicts.setdefault(a, set()).add(b)
        conflicts.setdefault(b, set()).add(a)
    people: dict = {}
    for record in ids:
        people.setdefault(truth[record], []).append(record)
    split = {}
    for person, records in people.items():
        for index, group in enumerate(largest_groups_apart(records, conflicts)):
            split.update(dict.fromkeys(group, (person, index)))
    return {**f1_of(pairs_within(split), true_pairs), "twin_like_pairs_within_people": len(twin_like)}


def largest_groups_apart(records: list, conflicts: dict) -> list[list]:
    """`records` split into groups holding no conflicting pair, with the most pairs inside groups.

    Records in no conflict all join the largest group; the others are placed one at a time (most
    conflicted first) into each group that takes them or a new one, abandoning a branch that could not
    beat the best split found even if every record left joined the largest group."""
    placed = sorted((r for r in records if conflicts.get(r)), key=lambda r: (-len(conflicts[r]), r))
    free = [r for r in records if not conflicts.get(r)]
    if not placed:
        return [free]

    def pairs(sizes: list[int], extra: int) -> int:
        ordered = sorted(sizes, reverse=True) or [0]
        ordered[0] += len(free) + extra
        return sum(size * (size - 1) // 2 for size in ordered)

    best: dict = {"pairs": -1, "groups": []}

    def place(index: int, groups: list[list]) -> None:
        sizes = [len(group) for group in groups]
        if pairs(sizes, len(placed) - index) <= best["pairs"]:
            return
        if index == len(placed):
            best.update(pairs=pairs(sizes, 0), groups=[list(group) for group in groups])
            return
        record = placed[index]
        for group in sorted(groups, key=len, reverse=True):
            if not conflicts[record] & set(group):
                group.append(record)
                place(index + 1, groups)
                group.pop()
        groups.append([record])
        place(index + 1, groups)
        groups.pop()

    place(0, [])
    groups = sorted(best["groups"], key=len, reverse=True)
    groups[0] += free
    return groups


def check(name: str, value: float, goal: float, better: str, unit: str, **detail) -> dict:
    return {"name": name, "value": value, "goal": goal, "better": better, "unit": unit, **detail}


# --- The parts --------------------------------------------------------------------------------------


def _sample_people(records, people: int):
    kept = sorted(records["truth"].dropna().unique())[:people]
    return records[records["truth"].isin(kept)].reset_index(drop=True)


def bench_febrl4(quick: bool) -> tuple[list, dict]:
    records = data.febrl4()
    if quick:
        records = _sample_people(records, 300)
    people = set(records["truth"])
    checks, detail = [], {}
    for variant, kept in data.FEBRL_VARIANTS.items():
        say(f"FEBRL4, {variant}: Jigsaw's model")
        variant_records = records.copy()
        for field in set(data.FEBRL_VARIANTS["all_fields"]) - set(kept):
            variant_records[field] = None
        ours, _ = run_model(variant_records, link_only=True)
        say(f"FEBRL4, {variant}: Splink's example settings")
        truth = dict(zip(records["unique_id"], records["truth"], strict=True))
        theirs = f1_of(pairs_within(baseline.febrl4(variant, people if quick else None)), pairs_within(truth))
        detail[variant] = {"jigsaw": ours, "splink_example": theirs}
        f1 = ours["cluster"]["f1"]
        say(f"  F1 {f1} (Splink's example {theirs['f1']})")
        checks.append(
            check(
                f"febrl4_{variant}_f1",
                f1,
                GOALS[variant],
                "higher",
                "F1",
                recall=ours["cluster"]["recall"],
                precision=ours["cluster"]["precision"],
                splink_example_f1=theirs["f1"],
                f1_without_twin_guard=ours["pairwise_without_twin_guard"]["f1"],
                true_pairs_held_for_review_by_twin_guard=ours["true_pairs_held_for_review_by_twin_guard"],
            )
        )
        checks.append(
            check(f"febrl4_{variant}_f1_over_splink_example", round(f1 / theirs["f1"], 4), 1.0, "higher", "ratio")
        )
    return checks, detail


def bench_febrl3(quick: bool) -> tuple[list, dict]:
    say("FEBRL3: Jigsaw's model (dedupe)")
    records = data.febrl3()
    if quick:
        records = _sample_people(records, 300)
    ours, _ = run_model(records, one_per_organisation=False)
    say(f"  pairwise F1 {ours['pairwise']['f1']}, cluster F1 {ours['cluster']['f1']}")
    return [
        check("febrl3_pairwise_f1", ours["pairwise"]["f1"], GOALS["febrl3"], "higher", "F1"),
        check(
            "febrl3_cluster_f1", ours["cluster"]["f1"], GOALS["febrl3"], "higher", "F1", b_cubed_f1=ours["b_cubed_f1"]
        ),
    ], ours


def bench_historical(quick: bool) -> tuple[list, dict]:
    say("Historical figures: Jigsaw's model (dedupe)")
    import pandas as pd

    if not data.HISTORICAL.is_file():
        missing = {"missing": f"{data.HISTORICAL} (set JIGSAW_SHARED_DATA to the folder that holds it)"}
        say(f"  skipped: {missing['missing']}")
        return [
            check("historical_cluster_f1", None, GOALS["historical"], "higher", "F1", **missing),
            check("historical_cluster_f1_over_splink_example", None, 1.0, "higher", "ratio", **missing),
        ], missing

    records = data.historical()
    if quick:
        records = _sample_people(records, 150)
    ours, _ = run_model(records, one_per_organisation=False)
    say("Historical figures: Splink's example settings")
    raw = pd.read_parquet(data.HISTORICAL)
    raw = raw[raw["unique_id"].isin(set(records["unique_id"]))]
    truth = dict(zip(records["unique_id"], records["truth"], strict=True))
    example = baseline.historical(raw)
    theirs = {"cluster": f1_of(pairs_within(example), pairs_within(truth)), "b_cubed_f1": b_cubed(example, truth)}
    f1 = ours["cluster"]["f1"]
    say(f"  cluster F1 {f1} (Splink's example {theirs['cluster']['f1']})")
    return [
        check(
            "historical_cluster_f1",
            f1,
            GOALS["historical"],
            "higher",
            "F1",
            b_cubed_f1=ours["b_cubed_f1"],
            without_twin_guard_f1=ours["cluster_without_twin_guard"]["f1"],
            ceiling_keeping_twin_like_records_apart=ours["cluster_ceiling_keeping_twin_like_records_apart"]["f1"],
            connected_components_without_guards_f1=ours["connected_components_without_guards"]["f1"],
            splink_example_f1=theirs["cluster"]["f1"],
            splink_example_b_cubed_f1=theirs["b_cubed_f1"],
        ),
        check(
            "historical_cluster_f1_over_splink_example", round(f1 / theirs["cluster"]["f1"], 4), 1.0, "higher", "ratio"
        ),
    ], {"jigsaw": ours, "splink_example": theirs}


def bench_synthetic(quick: bool) -> tuple[list, dict]:
    children = 2_000 if quick else 20_000
    say(f"Synthetic partnership of {children:,} children")
    records = data.partnership(children, seed=SEED)
    twins = set(records.loc[records["twin"], "unique_id"])
    ours, clusters = run_model(records.drop(columns=["twin"]))
    truth = dict(zip(records["unique_id"], records["truth"], strict=True))
    linked = pairs_within(clusters)
    wrong = linked - pairs_within(truth)
    wrong_twins = sum(1 for a, b in wrong if a in twins and b in twins)
    score = f1_of(linked, pairs_within(truth))
    say(f"  auto-link precision {score['precision']}, recall {score['recall']}, twins merged {wrong_twins}")
    return [
        check(
            "synthetic_auto_link_precision",
            score["precision"],
            GOALS["precision"],
            "higher",
            "precision",
            recall=score["recall"],
            wrongly_linked_pairs=score["false_positives"],
            wrongly_linked_twin_pairs=wrong_twins,
            records=len(records),
            children=children,
        ),
    ], {"cluster": score, "twin_records": len(twins), "model": ours}


RECORDS_PER_CHILD = 2.17  # what data.partnership makes, on average
SCORED = 100


def bench_scale(quick: bool) -> tuple[list, dict]:
    import numpy as np

    from jigsaw.linkage import model
    from jigsaw.linkage.model_prepare import source_table

    size = 20_000 if quick else 1_000_000
    say(f"Scale: generating about {size:,} synthetic child records")
    records = data.partnership(round(size / RECORDS_PER_CHILD), seed=SEED + 1)
    held_out = _held_out(records, np.random.default_rng(SEED))
    population = records.drop(index=held_out.index).drop(columns=["truth", "twin"])
    source = source_table(population)
    say(f"Scale: deduplicating {len(population):,} records end to end")
    con = model.connection(threads=2)
    stages, started = {}, time.perf_counter()
    frame = _timed(stages, "prepare", lambda: model.prepare_arrow(source, con))
    trained = _timed(stages, "train", lambda: model.train(frame, seed=SEED, con=con))
    pairs = _timed(stages, "predict", lambda: model.predict(trained, frame, threshold=0.5, con=con))
    clusters = _timed(stages, "cluster", lambda: model.cluster(trained, frame, pairs, con=con))
    total = round(time.perf_counter() - started, 2)
    say(f"  {total} s: {stages}")
    memory = peak_memory_mb()
    scorer = _timed(stages, "scorer_index", lambda: model.Scorer(trained, frame))
    timings, found = _score_held_out(scorer, held_out)
    median = round(statistics.median(timings), 2)
    say(f"  one record against {len(population):,}: median {median} ms")
    detail = {
        "records": len(population),
        "stages_seconds": stages,
        "pairs_at_or_above_review": len(pairs),
        "clusters": len(set(clusters.values())),
        "training": trained.metrics,
    }
    return [
        check(
            "dedupe_1m_end_to_end_seconds" if not quick else "dedupe_quick_end_to_end_seconds",
            total,
            GOALS["seconds"],
            "lower",
            "s",
            records=len(population),
            stages_seconds=stages,
            peak_memory_mb=memory,
        ),
        check(
            "score_one_against_1m_median_ms" if not quick else "score_one_quick_median_ms",
            median,
            GOALS["milliseconds"],
            "lower",
            "ms",
            scored=len(timings),
            p90_ms=round(float(np.percentile(timings, 90)), 2),
            max_ms=round(max(timings), 2),
            true_record_ranked_first=found,
            population=len(population),
        ),
    ], detail


def _held_out(records, rng):
    """SCORED records whose child has other records left in the population."""
    counts = records["truth"].map(records["truth"].value_counts())
    eligible = records[counts >= 2].drop_duplicates("truth")
    return eligible.iloc[rng.choice(len(eligible), size=SCORED, replace=False)]


def _score_held_out(scorer, held_out) -> tuple[list[float], int]:
    timings, found = [], 0
    for row in held_out.drop(columns=["twin"]).to_dict("records"):
        truth = row.pop("truth")
        started = time.perf_counter()
        candidates = scorer.score(row)
        timings.append((time.perf_counter() - started) * 1000)
        if candidates and candidates[0].unique_id.split("-")[-1] == truth:
            found += 1
    return timings, found


def _timed(stages: dict, name: str, work):
    started = time.perf_counter()
    result = work()
    stages[name] = round(time.perf_counter() - started, 2)
    return result


def peak_memory_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def versions() -> dict:
    import duckdb
    import splink

    return {"python": platform.python_version(), "splink": splink.__version__, "duckdb": duckdb.__version__}


if __name__ == "__main__":
    main()
