"""What training learns beyond Splink's own estimates, and the one-to-one probability: no database."""

import datetime

import numpy as np
import pandas as pd
import pytest

from bench.linkage_data import febrl4, partnership
from jigsaw.linkage import model
from jigsaw.linkage.model_exclusive import one_to_one_probability


def _pairs(rows: list[tuple[int, str, int, str, float]]) -> pd.DataFrame:
    """(row_l, organisation_l, row_r, organisation_r, match_weight) with the Fellegi–Sunter probability
    a prior of 1 in 1,000 gives."""
    frame = pd.DataFrame(rows, columns=["row_l", "organisation_l", "row_r", "organisation_r", "match_weight"])
    return frame.assign(model_probability=1 / (1 + 2.0 ** -frame["match_weight"]))


PRIOR = 1 / 1001  # log2 odds of -10


def test_a_lone_candidate_between_two_files_where_nearly_everyone_matches_is_linked():
    # 1,000 records in each file; 999 are strongly matched one-to-one, so nearly everyone has a match
    strong = [(i, "A", 1000 + i, "B", 20.0) for i in range(999)]
    lone = (999, "A", 1999, "B", 2.0)  # Fellegi–Sunter alone: 80%
    pairs = _pairs([*strong, lone])
    organisations = pd.Series(["A"] * 1000 + ["B"] * 1000)
    probability = one_to_one_probability(pairs, organisations, PRIOR)
    assert pairs["model_probability"].iloc[-1] < 0.9
    assert probability[-1] > 0.99


def test_two_candidates_in_one_file_share_rather_than_both_rise():
    strong = [(i, "A", 1000 + i, "B", 20.0) for i in range(998)]
    rivals = [(999, "A", 1998, "B", 2.0), (999, "A", 1999, "B", 2.0)]
    pairs = _pairs([*strong, *rivals])
    probability = one_to_one_probability(pairs, pd.Series(["A"] * 1000 + ["B"] * 1000), PRIOR)
    # one-to-one gives each about a half; neither falls below what it had on its own
    assert probability[-2:] == pytest.approx(pairs["model_probability"].iloc[-2:].to_numpy())


def test_a_file_where_few_records_match_raises_nothing():
    # only 10 of 1,000 records have a match: a weak lone pair stays weak
    strong = [(i, "A", 1000 + i, "B", 20.0) for i in range(10)]
    pairs = _pairs([*strong, (999, "A", 1999, "B", 2.0)])
    probability = one_to_one_probability(pairs, pd.Series(["A"] * 1000 + ["B"] * 1000), PRIOR)
    assert probability[-1] < 0.9


def test_one_to_one_never_lowers_a_probability_and_leaves_pairs_inside_one_file_alone():
    pairs = _pairs([(0, "A", 1, "A", 5.0), (0, "A", 2, "B", 30.0), (3, "A", 2, "B", 30.0)])
    probability = one_to_one_probability(pairs, pd.Series(["A", "A", "B", "A"]), PRIOR)
    assert probability[0] == pairs["model_probability"].iloc[0]
    assert (probability >= pairs["model_probability"].to_numpy()).all()


@pytest.fixture(scope="module")
def febrl():
    records = febrl4()
    people = sorted(records["truth"].unique())[:1200]
    return records[records["truth"].isin(people)].drop(columns=["truth"]).reset_index(drop=True)


def test_training_sees_no_families_in_febrl_and_stops_holding_back_twin_like_pairs(febrl):
    trained = model.train(model.prepare(febrl), seed=3, link_only=True)
    households = trained.metrics["households"]
    assert households["sibling_pairs"] == 0
    assert households["seen"] is False
    assert not trained.guards_twins


def test_training_sees_families_in_a_partnership_and_holds_back_twin_like_pairs():
    people = partnership(1_500, seed=3).drop(columns=["truth", "twin"])
    trained = model.train(model.prepare(people), seed=3)
    assert trained.metrics["households"]["sibling_pairs"] > 100
    assert trained.guards_twins


def test_a_model_stored_before_households_were_measured_still_guards_twins():
    stored = model.TrainedModel.from_stored(model_json={"comparisons": []}, tf_tables={}, metrics={"records": 10})
    assert stored.guards_twins


def test_a_small_population_is_assumed_to_have_families(febrl):
    few = febrl[febrl["unique_id"].str.extract(r"rec-(?P<person>\d+)", expand=False).astype(int) < 1500]
    trained = model.train(model.prepare(few), seed=3, link_only=True)
    assert trained.metrics["households"]["records"] < model.FEW_RECORDS
    assert trained.guards_twins


def test_no_level_weighs_less_than_its_fields_different(febrl, capfd):
    trained = model.train(model.prepare(febrl), seed=3, link_only=True)
    # Splink's warnings about levels never seen are kept with the model, not printed over a command's output
    assert any("Same postcode sector" in warning for warning in trained.metrics["training_warnings"])
    assert "unable to train" not in capfd.readouterr().err
    for comparison in trained.model_json["comparisons"]:
        levels = [level for level in comparison["comparison_levels"] if not level.get("is_null_level")]
        assert "m_probability" in levels[-1], comparison["output_column_name"]
        floor = np.log2(levels[-1]["m_probability"] / levels[-1]["u_probability"])
        for level in levels[:-1]:
            assert np.log2(level["m_probability"] / level["u_probability"]) >= floor - 1e-9, level["label_for_charts"]
    # FEBRL's Australian postcodes have no sectors: that level was never seen, and now counts as Different
    assert "address: Same postcode sector" in trained.metrics["levels_raised_to_different"]


def test_predicting_one_to_one_links_more_of_febrl_and_nothing_wrong(febrl):
    frame = model.prepare(febrl)
    trained = model.train(frame, seed=3, link_only=True)
    plain = model.predict(trained, frame, threshold=0.99)
    exclusive = model.predict(trained, frame, threshold=0.99, one_to_one=True)
    person = r"rec-(?P<person>\d+)"
    same = exclusive["unique_id_l"].str.extract(person, expand=False) == exclusive["unique_id_r"].str.extract(
        person, expand=False
    )
    assert same.all()
    assert len(exclusive) > len(plain)
    assert len(exclusive) >= 1190


def test_a_date_with_two_digits_swapped_and_a_postcode_with_two_characters_swapped_are_named_as_such():
    maya = {"unique_id": "a", "organisation": "school", "given_name": "Maya", "family_name": "Thompson",
            "date_of_birth": datetime.date(2015, 3, 17), "postcode": "LS6 2AB", "address": "14 Heron Close"}
    other = {**maya, "unique_id": "b", "organisation": "gp", "date_of_birth": "2015-03-71", "postcode": "LS6 2BA",
             "address": "Flat 2, 9 Mill Road"}
    people = partnership(800, seed=5).drop(columns=["truth", "twin"])
    trained = model.train(model.prepare(people), seed=5)
    (candidate,) = model.score_record(trained, maya, [other])
    codes = {item["field"]: item["code"] for item in candidate.evidence}
    assert codes["date_of_birth"] == "transposed"
    assert codes["address"] == "postcode_transposed"
    labels = {item["field"]: item["label"] for item in candidate.evidence}
    assert labels["date_of_birth"] == "Two digits swapped"


def test_twins_whose_address_is_written_in_another_order_are_still_twin_like():
    people = partnership(800, seed=5).drop(columns=["truth", "twin"])
    trained = model.train(model.prepare(people), seed=5)
    maya = {"unique_id": "a", "organisation": "school", "given_name": "Maya", "family_name": "Thompson",
            "date_of_birth": datetime.date(2015, 3, 17), "postcode": "LS6 2AB", "address": "Flat 2, 14 Heron Close"}
    for address in ("Heron Close 14 Flat 2", "14 Heron Close, Flat 2, Headingley"):
        ruby = {**maya, "unique_id": "b", "organisation": "gp", "given_name": "Ruby", "address": address}
        (candidate,) = model.score_record(trained, maya, [ruby])
        assert candidate.twin_like, address
        assert candidate.match_probability < 0.99


def test_levels_never_seen_get_a_finite_weight_no_lower_than_different():
    model_json = {
        "comparisons": [
            {
                "output_column_name": "address",
                "comparison_levels": [
                    {"is_null_level": True},
                    {"label_for_charts": "seen", "m_probability": 0.5, "u_probability": 0.001},
                    {"label_for_charts": "never among random pairs", "m_probability": 0.1},
                    {"label_for_charts": "never among matches", "u_probability": 0.01},
                    {"label_for_charts": "Different", "m_probability": 0.1, "u_probability": 0.9},
                ],
            }
        ]
    }
    raised = model._no_level_below_different(model_json)
    levels = model_json["comparisons"][0]["comparison_levels"]
    assert levels[1] == {"label_for_charts": "seen", "m_probability": 0.5, "u_probability": 0.001}
    assert levels[2]["u_probability"] == 0.001  # as rare as the rarest level random pairs showed
    assert levels[2]["m_probability"] == 0.1
    assert levels[3]["m_probability"] / levels[3]["u_probability"] == pytest.approx(0.1 / 0.9)
    assert raised == ["address: never among matches"]
