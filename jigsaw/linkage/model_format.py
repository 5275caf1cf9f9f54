"""Which version of the prepared records a stored model compares.

A model's comparisons are SQL over the columns `model_prepare.prepare` derives (name keys, postcode
sector, address words and so on). A model trained on one version of those columns cannot be trusted
with another: a renamed column fails, a changed one scores silently wrong. Training stores this number
in the model's metrics, and a model whose number differs is never used until it is retrained.

Bump it whenever `prepare` adds, renames, removes or changes the meaning of a derived column.
"""

PREPARE_VERSION = 2
LEGACY_PREPARE_VERSION = 1  # models stored before the number was recorded


OUT_OF_DATE = (
    "Model {version} was trained on an older version of the prepared records, so it is not used: records "
    "are linked by NHS number only until you run `jigsaw link train` and then `jigsaw link run`."
)


def prepared_for(metrics):
    """The prepare version a model's stored metrics say it was trained with (compared as stored, exactly as
    the database's JSON lookup compares it)."""
    if isinstance(metrics, dict):
        return metrics.get("prepare_version", LEGACY_PREPARE_VERSION)
    return LEGACY_PREPARE_VERSION


def fits_current_records(metrics) -> bool:
    return prepared_for(metrics) == PREPARE_VERSION
