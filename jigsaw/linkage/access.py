"""The only place that decides who may see linkage: the review queue, the single view, link history.

- The case roles (DSL, deputy, social worker, team manager, MASH officer, police officer) of an
  organisation that holds one of a pair's records review that pair; no one else sees it.
- The same roles see the single view of a child their own organisation holds: which
  organisations hold a record and who the household is, never any organisation's entries.
- The partnership administrator sets the thresholds and sees models and counts, no records.
Missing and forbidden both answer 404; every refusal is written to the ledger.
"""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.http import Http404

from jigsaw.accounts.actor import Actor
from jigsaw.accounts.models import Membership
from jigsaw.accounts.roles import CASE_ROLES, Role
from jigsaw.audit.events import record_denial
from jigsaw.chronology.models import Concern, ConcernStatus, Entry, EntryKind
from jigsaw.ids import as_id
from jigsaw.linkage.models import Link, LinkageSettings, MatchReview, ModelVersion, ReviewStatus
from jigsaw.people.models import Person, Relationship

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


def _organisation_id(actor: Actor) -> int | None:
    return actor.organisation.pk if actor.organisation is not None else None


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
    if person.organisation_id != _organisation_id(actor):
        _deny(actor, "people.person", person.pk, "link_history")
    return (
        Link.objects.filter(person=person)
        .select_related("subject", "linked_by", "ended_by")
        .order_by("-linked_at", "-pk")
    )


# The single view ----------------------------------------------------------------------------

# Who an organisation's safeguarding contact is, besides its own phone and e-mail.
SAFEGUARDING_LEADS = frozenset({Role.DSL, Role.DEPUTY_DSL, Role.TEAM_MANAGER})


def _current_subject(person_field: str) -> Subquery:
    return Subquery(Link.objects.current().filter(person=OuterRef(person_field)).values("subject_id")[:1])


def holders_of(actor: Actor, person: Person):
    """Every record of the child now linked with the actor's own one, with yes/no flags and never content:
    whether the holder has a plan for the child and whether any concern is not yet decided."""
    if not can(actor, SINGLE_VIEW) or person.organisation_id != _organisation_id(actor):
        _deny(actor, "people.person", person.pk, SINGLE_VIEW)
    link = current_link_of(person)
    records = linked_records(link.subject_id) if link else Person.objects.filter(pk=person.pk)
    leads = Membership.objects.filter(
        ended_at__isnull=True, role__in=SAFEGUARDING_LEADS, user__is_active=True
    ).select_related("user").order_by("role", "user__full_name")
    return records.annotate(
        has_plan=Exists(Entry.objects.filter(person=OuterRef("pk"), kind=EntryKind.PLAN, superseded_by__isnull=True)),
        has_open_concerns=Exists(Concern.objects.filter(person=OuterRef("pk")).exclude(status=ConcernStatus.TRIAGED)),
    ).prefetch_related(
        Prefetch("links", queryset=Link.objects.current(), to_attr="current_links"),
        Prefetch("organisation__memberships", queryset=leads, to_attr="safeguarding_leads"),
    )


def relationships_across(record_ids: list[int]):
    """Every relationship any of these records has, at whichever organisation holds it, with the
    partnership-wide subject of each side so that one relative known to two organisations shows once."""
    return (
        Relationship.objects.filter(Q(person_id__in=record_ids) | Q(relative_id__in=record_ids))
        .select_related("person__organisation", "relative__organisation")
        .annotate(person_subject=_current_subject("person"), relative_subject=_current_subject("relative"))
        .order_by("pk")
    )


# Reviews -----------------------------------------------------------------------------------


def _reviews_touching(actor: Actor):
    org = _organisation_id(actor)
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
    if not can(actor, REVIEW) or person.organisation_id != _organisation_id(actor):
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


def settings_for(actor: Actor) -> LinkageSettings:
    require(actor, ADMINISTER)
    return LinkageSettings.current()


def review_counts_for(actor: Actor) -> dict[str, int]:
    """How many reviews across the partnership are open, confirmed and rejected: counts only."""
    require(actor, ADMINISTER)
    statuses = (ReviewStatus.OPEN, ReviewStatus.CONFIRMED, ReviewStatus.REJECTED)
    return MatchReview.objects.aggregate(**{status: Count("pk", filter=Q(status=status)) for status in statuses})


def open_review_count(actor: Actor) -> int:
    """How many possible matches wait for the actor's organisation (the navigation's count)."""
    if not can(actor, REVIEW):
        return 0
    return _reviews_touching(actor).filter(status=ReviewStatus.OPEN).count()
