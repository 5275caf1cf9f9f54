"""The only place that decides who may see linkage: the review queue, the single view, link history.

- The case roles (DSL, deputy, social worker, team manager, MASH officer, police officer) of an
  organisation that holds one of a pair's records review that pair; no one else sees it.
- The same roles see the single view of a child their own organisation holds: which
  organisations hold a record and who the household is, never any organisation's entries.
- The partnership administrator sets the thresholds and sees models and counts, no records.
Missing and forbidden both answer 404; every refusal is written to the ledger.
"""

from django.db.models import Q
from django.http import Http404

from jigsaw.accounts.actor import Actor
from jigsaw.accounts.roles import CASE_ROLES, Role
from jigsaw.audit.events import record_denial
from jigsaw.ids import as_id
from jigsaw.linkage.models import Link, MatchReview, ModelVersion, ReviewStatus
from jigsaw.people.models import Person

REVIEW = "review"
SINGLE_VIEW = "single_view"
UNLINK = "unlink"
ADMINISTER = "administer"

ROLES_FOR = {
    REVIEW: CASE_ROLES,
    SINGLE_VIEW: CASE_ROLES,
    UNLINK: CASE_ROLES,
    ADMINISTER: frozenset({Role.PARTNERSHIP_ADMIN}),
}


def can(actor: Actor, action: str) -> bool:
    return actor.api_key is None and actor.has_role(ROLES_FOR[action])


def require(actor: Actor, action: str) -> None:
    if not can(actor, action):
        record_denial(actor, "page", f"linkage:{action}", action)
        raise Http404


def _deny(actor: Actor, object_type: str, object_id, wanted: str):
    record_denial(actor, object_type, object_id, wanted)
    raise Http404


# People ------------------------------------------------------------------------------------


def get_own_person_for(actor: Actor, person_id, action: str = SINGLE_VIEW) -> Person:
    """A record the actor's own organisation holds: the way into the single view and unlinking."""
    if not can(actor, action):
        _deny(actor, "people.person", person_id, action)
    person = Person.objects.filter(organisation=actor.organisation, pk=as_id(person_id)).first()
    if person is None:
        _deny(actor, "people.person", person_id, action)
    return person


def current_link_of(person: Person) -> Link | None:
    return Link.objects.current().select_related("subject").filter(person=person).first()


def linked_records(subject_id: int):
    """Every record linked to the subject now, with its organisation (identity only)."""
    return (
        Person.objects.filter(links__subject_id=subject_id, links__ended_at__isnull=True)
        .select_related("organisation", "school")
        .order_by("organisation__name", "pk")
    )


def link_history_of(actor: Actor, person: Person):
    """Every link the actor's own record has had, newest first (the person must be their own)."""
    if person.organisation_id != actor.organisation_id:
        _deny(actor, "people.person", person.pk, "link_history")
    return (
        Link.objects.filter(person=person)
        .select_related("subject", "linked_by", "ended_by")
        .order_by("-linked_at", "-pk")
    )


# Reviews -----------------------------------------------------------------------------------


def _reviews_touching(actor: Actor):
    org = actor.organisation_id
    return MatchReview.objects.filter(Q(left__organisation_id=org) | Q(right__organisation_id=org))


def reviews_for(actor: Actor, status: str = ReviewStatus.OPEN):
    if not can(actor, REVIEW):
        return MatchReview.objects.none()
    return (
        _reviews_touching(actor)
        .filter(status=status)
        .select_related("left__organisation", "right__organisation", "left__school", "right__school", "decided_by")
    )


def open_reviews_of(actor: Actor, person: Person):
    """Open reviews about one of the actor's own records (for the person page)."""
    if not can(actor, REVIEW) or person.organisation_id != actor.organisation_id:
        return MatchReview.objects.none()
    return MatchReview.objects.filter(Q(left=person) | Q(right=person), status=ReviewStatus.OPEN)


def get_review_for(actor: Actor, review_id) -> MatchReview:
    if not can(actor, REVIEW):
        _deny(actor, "linkage.matchreview", review_id, REVIEW)
    review = (
        _reviews_touching(actor)
        .select_related("left__organisation", "right__organisation", "left__school", "right__school", "decided_by")
        .filter(pk=as_id(review_id))
        .first()
    )
    if review is None:
        _deny(actor, "linkage.matchreview", review_id, REVIEW)
    return review


# Administration -----------------------------------------------------------------------------


def model_versions_for(actor: Actor):
    require(actor, ADMINISTER)
    return ModelVersion.objects.defer("model_json", "tf_tables")
