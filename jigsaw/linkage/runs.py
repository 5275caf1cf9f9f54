"""Training on the partnership's own records, and linking all of them at once (`jigsaw link`).

A whole run scores every blocked pair in one Splink pass over DuckDB, then applies exactly the
rules a single save applies (`actions.resolve`), reading the scores from that pass instead of
scoring each record on its own.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef

from jigsaw.accounts.actor import Actor
from jigsaw.linkage import actions, scoring
from jigsaw.linkage.models import Link, LinkageSettings, MatchReview, ModelVersion, ReviewStatus
from jigsaw.people.models import Person

TRAINER = Actor.for_system("linkage training")
ANALYSE_EVERY = 500
LINKAGE_TABLES = ("people_person", "linkage_link", "linkage_subject", "linkage_matchreview", "linkage_blockingkey")


def participating_people(settings: LinkageSettings):
    return Person.objects.filter(organisation__kind__in=settings.organisation_kinds).order_by("pk")


def records(people) -> list[dict]:
    return [scoring.record_of(person) for person in people.iterator(chunk_size=2000)]


def train_partnership(*, acting: Actor = TRAINER, activate: bool = True, seed: int = 1) -> ModelVersion:
    from jigsaw.linkage import model

    people = participating_people(LinkageSettings.current())
    trained = model.train(model.prepare(records(people)), seed=seed)
    return actions.do_store_model(acting=acting, trained=trained, activate=activate)


def activate(version: str, *, acting: Actor = TRAINER) -> ModelVersion:
    stored = ModelVersion.objects.filter(version=version).first()
    if stored is None:
        raise CommandError(f"There is no model version {version}: `jigsaw link review-stats` names the active one")
    try:
        return actions.do_activate_model(acting=acting, version=stored)
    except ValidationError as refused:  # an out-of-date model
        raise CommandError(" ".join(refused.messages)) from refused


@dataclass
class RunResult:
    people: int = 0
    methods: Counter = field(default_factory=Counter)
    reviews_opened: int = 0


def link_all(*, acting: Actor = actions.JIGSAW, progress=None, only_unlinked: bool = False) -> RunResult:
    """Link every participating record; `progress` wraps the iteration (e.g. tqdm)."""
    from jigsaw.linkage import model

    settings = LinkageSettings.current()
    people = participating_people(settings).select_related("organisation")
    if only_unlinked:
        people = people.exclude(Exists(Link.objects.current().filter(person=OuterRef("pk"))))
    people = list(people)
    result = RunResult(people=len(people))
    version = scoring.active_version()
    pairs = None
    if version is not None and people:
        everyone = records(participating_people(settings))
        trained = scoring.trained_model(version)
        pairs = model.predict(trained, model.prepare(everyone), threshold=0.0)  # every blocked pair
        scoring.refresh_all_keys(people)
    with scoring.batch(pairs, version, candidate_floor=settings.review_threshold):
        for done, person in enumerate(progress(people) if progress else people):
            if done % ANALYSE_EVERY == 0:
                _analyse()
            with transaction.atomic():
                resolution = actions.resolve(person, acting=acting, settings=settings)
            if resolution.link is not None:
                result.methods[resolution.link.method] += 1
            result.reviews_opened += len(resolution.reviews)
    return result


def _analyse() -> None:
    """Refresh the planner's statistics as a run fills the link tables.

    A run inside one transaction (the demo's first load) is invisible to autovacuum, and with
    no statistics every lookup would scan the tables it is filling: quadratic time."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(LINKAGE_TABLES)}")  # nosec B608 - fixed table names


def out_of_date_active_model() -> str | None:
    """The version of an active model too old for today's prepared records (never used), or None."""
    active = ModelVersion.objects.filter(is_active=True).only("version", "metrics").first()
    return active.version if active is not None and not active.fits_current_records else None


def review_stats() -> dict:
    statuses = Counter(MatchReview.objects.values_list("status", flat=True))
    reasons = Counter(MatchReview.objects.filter(status=ReviewStatus.OPEN).values_list("reason", flat=True))
    current = Link.objects.current()
    return {
        "records_linked": current.count(),
        "subjects": current.values("subject").distinct().count(),
        "subjects_with_more_than_one_record": current.values("subject").annotate(records=Count("id"))
        .filter(records__gt=1).count(),
        "links_by_method": dict(Counter(current.values_list("method", flat=True))),
        "reviews_by_status": dict(statuses),
        "open_reviews_by_reason": dict(reasons),
        "active_model": ModelVersion.objects.filter(is_active=True).values_list("version", flat=True).first(),
        "active_model_in_use": scoring.active_version() is not None,
    }
