"""The bridge between Django records and the Splink model in `model.py`.

The model knows nothing of Django; this module turns a Person into the model's record, finds a
new record's candidates by the blocking keys kept in PostgreSQL, and scores them with the
active model version (loaded once per process and version).

Splink, DuckDB and pandas are imported only when a record is scored: most requests never need
them, and they take a second to load.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache

from jigsaw.linkage.model_format import PREPARE_VERSION
from jigsaw.linkage.models import BlockingKey, ModelVersion
from jigsaw.people.models import Person

MAX_CANDIDATES = 200


@dataclass
class _Batch:
    """Pairs already scored in one pass over the whole partnership, by record id either way round."""

    version: ModelVersion
    pairs: dict[int, dict[int, dict]]
    candidate_floor: float


_batch: ContextVar[_Batch | None] = ContextVar("linkage_batch", default=None)


@contextmanager
def batch(pairs, version: ModelVersion | None, candidate_floor: float = 0.0):
    """While inside, candidates and scores come from `pairs` (a `model.predict` frame of every blocked
    pair); only pairs at or above `candidate_floor` are candidates, the rest are evidence for the guards."""
    by_person: dict[int, dict[int, dict]] = {}
    if pairs is not None and version is not None:
        for row in pairs.to_dict("records"):
            left, right = int(row["unique_id_l"]), int(row["unique_id_r"])
            by_person.setdefault(left, {})[right] = row
            by_person.setdefault(right, {})[left] = row
    token = _batch.set(_Batch(version, by_person, candidate_floor) if version is not None else None)
    try:
        yield
    finally:
        _batch.reset(token)


@dataclass(frozen=True)
class Scored:
    other: Person
    probability: float
    weight: float
    evidence: list
    twin_like: bool


def record_of(person: Person) -> dict:
    return {
        "unique_id": str(person.pk),
        "organisation": str(person.organisation_id),
        "given_name": person.given_name,
        "family_name": person.family_name,
        "other_names": person.other_names,
        "date_of_birth": person.date_of_birth,
        "sex": person.sex,
        "postcode": person.postcode,
        "address": person.address,
        "school": str(person.school_id or ""),
        "nhs_number": person.nhs_number,
    }


def active_version() -> ModelVersion | None:
    """The model in use, or None (NHS numbers only) when none is active or the active one was trained on
    an older version of the prepared records: it would compare columns that no longer mean what it learnt."""
    fits = ModelVersion.objects.filter(is_active=True, metrics__prepare_version=PREPARE_VERSION)
    return fits.only("pk", "version").first()


@lru_cache(maxsize=2)
def _trained(version_pk: int):
    from jigsaw.linkage import model

    stored = ModelVersion.objects.get(pk=version_pk)
    return model.TrainedModel.from_stored(
        model_json=stored.model_json, tf_tables=stored.tf_tables, metrics=stored.metrics, version=stored.version
    )


def trained_model(version: ModelVersion):
    return _trained(version.pk)


def refresh_keys(person: Person) -> list[str]:
    if _batch.get() is not None:
        return []  # a whole run refreshed every record's keys at its start (refresh_all_keys)
    from jigsaw.linkage import model

    keys = sorted(set(model.blocking_keys(record_of(person))))
    BlockingKey.objects.filter(person=person).exclude(key__in=keys).delete()
    BlockingKey.objects.bulk_create([BlockingKey(person=person, key=key) for key in keys], ignore_conflicts=True)
    return keys


def refresh_all_keys(people: list[Person]) -> int:
    """Every record's blocking keys in one DuckDB pass and one bulk insert (a whole run)."""
    from jigsaw.linkage import model

    if not people:
        return 0
    found = model.blocking_keys_of_many([record_of(person) for person in people], model.connection())
    keys = [BlockingKey(person_id=int(uid), key=key) for uid, person_keys in found.items() for key in person_keys]
    BlockingKey.objects.filter(person__in=people).delete()
    BlockingKey.objects.bulk_create(keys, batch_size=5000, ignore_conflicts=True)
    return len(keys)


def candidates_for(person: Person, keys: list[str], organisation_kinds: list[str]):
    if (current := _batch.get()) is not None:
        pairs = current.pairs.get(person.pk, {})
        ids = [other for other, row in pairs.items() if row["match_probability"] >= current.candidate_floor]
        if not ids:
            return []
        return list(Person.objects.filter(pk__in=ids, organisation__kind__in=organisation_kinds).select_related(
            "organisation"))
    ids = (
        BlockingKey.objects.filter(key__in=keys)
        .exclude(person=person)
        .values_list("person_id", flat=True)
        .distinct()[:MAX_CANDIDATES]
    )
    return list(
        Person.objects.filter(pk__in=list(ids), organisation__kind__in=organisation_kinds).select_related(
            "organisation"
        )
    )


def score(version: ModelVersion, person: Person, others: list[Person]) -> list[Scored]:
    if not others:
        return []
    from jigsaw.linkage import model

    trained = trained_model(version)
    current = _batch.get()
    if current is not None and current.version.pk == version.pk:
        # A pair the whole run did not score was not blocked together, or scored below the review
        # threshold: either way there is no evidence either way worth a second, slower look.
        known = current.pairs.get(person.pk, {})
        found = [_from_row(model, trained, other, known[other.pk]) for other in others if other.pk in known]
        return sorted(found, key=_strongest_first)
    return sorted(_score_live(model, trained, person, others), key=_strongest_first)


def _strongest_first(scored: Scored):
    return (-scored.probability, scored.other.pk)


def _guarded(model, other: Person, probability: float, weight: float, evidence: list[dict]) -> Scored:
    """The app holds back every twin-like pair, whatever the model measured of households in training: a
    partnership's records are full of families."""
    twin_like = model.is_twin_like(evidence)
    probability = min(probability, model.TWIN_CAP) if twin_like else probability
    return Scored(other=other, probability=probability, weight=weight, evidence=evidence, twin_like=twin_like)


def _from_row(model, trained, other: Person, row: dict) -> Scored:
    evidence = model.evidence(trained, row)
    return _guarded(model, other, float(row["match_probability"]), float(row["match_weight"]), evidence)


def _score_live(model, trained, person: Person, others: list[Person]) -> list[Scored]:
    if not others:
        return []
    by_id = {str(other.pk): other for other in others}
    found = model.score_record(trained, record_of(person), [record_of(other) for other in others])
    return [
        _guarded(model, by_id[candidate.unique_id], candidate.match_probability, candidate.match_weight,
                 candidate.evidence)
        for candidate in found
        if candidate.unique_id in by_id
    ]
