"""The Splink model on its own (no database): normalising, the twin guard, the cluster guard, scoring
one record, and a smoke run of the bench."""

import datetime
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from bench.linkage_data import partnership
from jigsaw.linkage import model

ROOT = Path(__file__).resolve().parents[2]

MAYA = {
    "unique_id": "school-maya",
    "organisation": "riverside",
    "given_name": "Maya",
    "family_name": "Thompson",
    "other_names": "",
    "date_of_birth": datetime.date(2015, 3, 7),
    "sex": "female",
    "postcode": "LS6 2AB",
    "address": "14 Heron Close",
    "school": "riverside",
    "nhs_number": "",
}


def record(**changes) -> dict:
    return {**MAYA, **changes}


@pytest.fixture(scope="module")
def population() -> pd.DataFrame:
    people = partnership(1_500, seed=7).drop(columns=["truth", "twin"])
    return model.prepare(people)


@pytest.fixture(scope="module")
def trained(population):
    return model.train(population, seed=7)


def test_it_folds_accents_case_and_punctuation():
    (row,) = model.prepare([record(given_name="Zoë-Anne", family_name="O'Brien")]).to_dict("records")
    assert row["given_name"] == "zoe"
    assert row["family_name"] == "obrien"
    assert " zoeanne " in row["name_tokens"]


def test_it_normalises_the_postcode_and_keeps_its_sector_and_district():
    (row,) = model.prepare([record(postcode=" ls6 2ab ")]).to_dict("records")
    assert (row["postcode"], row["postcode_sector"], row["postcode_district"]) == ("LS62AB", "LS62", "LS6")


def test_it_maps_nicknames_to_their_full_names_without_joining_distinct_full_names():
    rows = model.prepare([record(given_name=name) for name in ("Bill", "Alex", "Alexander", "Alexandra")])
    keys = list(zip(rows["given_key"], rows["given_key_alt"], strict=True))
    assert keys[0] == ("william", "william")
    assert keys[1] == ("alexander", "alexandra")
    assert keys[2] == ("alexander", "alexander")
    assert keys[3] == ("alexandra", "alexandra")


def test_it_writes_the_date_of_birth_as_iso_and_drops_unknown_sex():
    (row,) = model.prepare([record(date_of_birth=datetime.date(2015, 3, 7), sex="not_known")]).to_dict("records")
    assert row["date_of_birth"] == "2015-03-07"
    assert pd.isna(row["sex"])


def test_a_duplicate_with_a_nickname_a_typo_and_a_swapped_date_scores_high(trained):
    duplicate = record(
        unique_id="gp-maya",
        organisation="gp",
        given_name="Maia",
        family_name="Thomson",
        date_of_birth=datetime.date(2015, 7, 3),
    )
    (candidate,) = model.score_record(trained, MAYA, [duplicate])
    assert candidate.match_probability >= 0.99
    codes = {item["field"]: item["code"] for item in candidate.evidence}
    assert codes["date_of_birth"] == "day_month_swapped"
    assert codes["given_name"] == "one_letter"


def test_it_explains_each_field_in_plain_english(trained):
    (candidate,) = model.score_record(trained, MAYA, [record(unique_id="gp-maya", organisation="gp")])
    labels = {item["field"]: item["label"] for item in candidate.evidence}
    assert labels["date_of_birth"] == "Same"
    assert all(isinstance(item["match_weight"], float) for item in candidate.evidence)


def test_a_predicted_pair_is_explained_as_scoring_it_alone_explains_it(trained):
    duplicate = record(unique_id="gp-maya", organisation="gp", given_name="Maia")
    frame = model.prepare([MAYA, duplicate])
    (row,) = model.predict(trained, frame, threshold=0.0).to_dict("records")
    (candidate,) = model.score_record(trained, MAYA, [duplicate])
    assert model.evidence(trained, row) == candidate.evidence
    assert row["match_probability"] == pytest.approx(candidate.match_probability)


def test_twins_never_reach_the_auto_link_threshold(trained):
    twin = record(unique_id="gp-ruby", organisation="gp", given_name="Ruby")
    (candidate,) = model.score_record(trained, MAYA, [twin])
    assert candidate.twin_like
    assert model.is_twin_like(candidate.evidence)
    assert candidate.match_probability < 0.99


def test_a_sibling_at_the_same_home_is_never_auto_linked(trained):
    sibling = record(
        unique_id="gp-leo", organisation="gp", given_name="Leo", sex="male", date_of_birth=datetime.date(2012, 9, 1)
    )
    (candidate,) = model.score_record(trained, MAYA, [sibling])
    assert candidate.twin_like
    assert candidate.match_probability < 0.99


def test_a_boy_and_a_girl_whose_names_are_a_slip_apart_are_twin_like_in_every_path(trained):
    """Alexander and Alexandra differ by a swap and a letter; their recorded sexes make them twins."""
    from jigsaw.linkage.model_evidence import twin_like_mask

    girl = record(given_name="Alexandra")
    boy = record(unique_id="gp-alexander", organisation="gp", given_name="Alexander", sex="male")
    (candidate,) = model.score_record(trained, girl, [boy])
    assert candidate.twin_like and candidate.match_probability < 0.99
    (row,) = model.predict(trained, model.prepare([girl, boy]), threshold=0.0).to_dict("records")
    assert row["twin_like"] and row["match_probability"] < 0.99
    assert twin_like_mask(trained.model_json, pd.DataFrame([row])).tolist() == [True]
    same_sex_slip = record(unique_id="gp-alexandra", organisation="gp", given_name="Alexander")
    (candidate,) = model.score_record(trained, girl, [same_sex_slip])
    assert not candidate.twin_like  # one girl, her name mistyped


def test_twins_are_never_clustered_together(trained):
    frame = model.prepare([MAYA, record(unique_id="gp-ruby", organisation="gp", given_name="Ruby")])
    pairs = model.predict(trained, frame, threshold=0.0)
    clusters = model.cluster(trained, frame, pairs)
    assert clusters["school-maya"] != clusters["gp-ruby"]


def test_a_chain_of_strong_links_is_not_merged_when_its_ends_are_clearly_different(trained):
    ends_differ = [
        MAYA,
        record(unique_id="gp-b", organisation="gp"),
        record(
            unique_id="police-c",
            organisation="police",
            given_name="Kwame",
            family_name="Asante",
            date_of_birth=datetime.date(2009, 11, 30),
            sex="male",
            postcode="BD7 1QQ",
            address="2 Mill Lane",
        ),
    ]
    frame = model.prepare(ends_differ)
    pairs = pd.DataFrame(
        {
            "unique_id_l": ["school-maya", "gp-b"],
            "unique_id_r": ["gp-b", "police-c"],
            "match_probability": [0.995, 0.995],
            "twin_like": [False, False],
        }
    )
    clusters = model.cluster(trained, frame, pairs)
    assert clusters["school-maya"] == clusters["gp-b"]
    assert clusters["police-c"] != clusters["school-maya"]


def test_the_scorer_finds_the_duplicate_in_the_population_with_its_evidence(trained, population):
    scorer = model.Scorer(trained, population)
    existing = population.iloc[0].to_dict()
    duplicate = {
        "unique_id": "new-record",
        "organisation": "somewhere-new",
        "given_name": existing["given_name"],
        "family_name": existing["family_name"],
        "date_of_birth": existing["date_of_birth"],
        "postcode": existing["postcode"],
        "address": existing["address"],
    }
    candidates = scorer.score(duplicate)
    assert candidates[0].unique_id == existing["unique_id"]
    assert candidates[0].evidence


def test_a_duplicate_shares_a_blocking_key_with_the_record_it_duplicates():
    keys = set(model.blocking_keys(MAYA))
    duplicate = set(model.blocking_keys(record(given_name="Maia", postcode="")))
    assert keys & duplicate
    assert all(len(key) <= 200 for key in keys)


def test_the_bench_prints_every_check_in_its_quick_run():
    run = subprocess.run(
        [sys.executable, "bench/linkage.py", "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    report = json.loads(run.stdout.strip().splitlines()[-1])
    names = {check["name"] for check in report["checks"]}
    variants = ("all_fields", "without_soc_sec_id", "names_dob_postcode")
    expected = {f"febrl4_{variant}_f1" for variant in variants}
    expected |= {f"febrl4_{variant}_f1_over_splink_example" for variant in variants}
    expected |= {
        "febrl3_pairwise_f1",
        "febrl3_cluster_f1",
        "historical_cluster_f1",
        "historical_cluster_f1_over_splink_example",
        "synthetic_auto_link_precision",
        "dedupe_quick_end_to_end_seconds",
        "score_one_quick_median_ms",
    }
    assert expected <= names
    assert all({"name", "value", "goal", "better", "unit"} <= set(check) for check in report["checks"])


def test_a_trained_model_records_the_version_of_the_prepared_records_it_compares(trained):
    from jigsaw.linkage.model_format import PREPARE_VERSION

    assert trained.metrics["prepare_version"] == PREPARE_VERSION and trained.fits_current_records
    older = model.TrainedModel.from_stored(model_json=trained.model_json, tf_tables=trained.tf_tables,
                                           metrics={k: v for k, v in trained.metrics.items() if k != "prepare_version"})
    assert not older.fits_current_records


def test_the_twin_guard_reads_the_same_in_python_in_sql_and_in_pandas(trained):
    """predict (SQL), cluster (pandas) and a single save (Python) must hold back exactly the same pairs."""
    import itertools

    import duckdb

    from jigsaw.linkage.model_evidence import level_table, twin_like_mask, twin_like_sql

    table = level_table(trained.model_json)
    fields = [name for name in ("given_name", "family_name", "sex", "address", "school", "nhs_number") if name in table]
    combos = list(itertools.product(*(sorted(table[name]) for name in fields)))
    frame = pd.DataFrame(combos, columns=[f"gamma_{name}" for name in fields]).assign(i=range(len(combos)))
    expected = [model.is_twin_like({name: table[name][gamma][0] for name, gamma in zip(fields, combo, strict=True)})
                for combo in combos]
    assert any(expected) and not all(expected)
    assert twin_like_mask(trained.model_json, frame).tolist() == expected
    con = duckdb.connect()
    con.register("pairs", frame)
    condition = twin_like_sql(trained.model_json, {name: f"gamma_{name}" for name in table})
    found = con.sql(f"select {condition} from pairs order by i").fetchall()
    assert [bool(value) for (value,) in found] == expected


def test_every_pair_in_a_group_is_scored_even_one_blocking_never_compares(trained):
    """The bench's ceiling asks the twin guard about every pair inside a person, as a save asks it about
    every member of the subject it would join; blocking would compare none of these."""
    twin = record(unique_id="school-mia", given_name="Mia")
    stranger = record(unique_id="gp-zed", given_name="Zed", family_name="Okonkwo", postcode="", address="",
                      date_of_birth=datetime.date(1990, 1, 1), sex="male", school="")
    frame = model.prepare([MAYA, twin, stranger, record(unique_id="elsewhere", given_name="Maia")])
    scored = model.score_groups(trained, frame, ["one", "one", "one", "two"])
    by_pair = {frozenset(pair): row for pair, row in zip(
        zip(scored["unique_id_l"], scored["unique_id_r"], strict=True), scored.itertuples(), strict=True)}
    assert set(by_pair) == {
        frozenset({"school-maya", "school-mia"}), frozenset({"school-maya", "gp-zed"}),
        frozenset({"school-mia", "gp-zed"}),
    }
    assert by_pair[frozenset({"school-maya", "school-mia"})].twin_like
    assert by_pair[frozenset({"school-maya", "gp-zed"})].match_probability < 0.01
    assert not by_pair[frozenset({"school-maya", "gp-zed"})].twin_like
