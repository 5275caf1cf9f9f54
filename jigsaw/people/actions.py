"""Every change to people and relationships: one transaction, its AccessEvent inside."""

from django.db import transaction
from django.utils import timezone

from jigsaw.accounts.actor import Actor
from jigsaw.audit.events import record
from jigsaw.audit.models import Action
from jigsaw.linkage import actions as linkage
from jigsaw.people.models import Person, PersonChange, Relationship

# A change to any of these is scored against the partnership's other records at once.
LINKAGE_FIELDS = {
    "given_name", "family_name", "other_names", "date_of_birth", "sex", "nhs_number", "address", "postcode", "school",
}

TRACKED_FIELDS = (
    "given_name",
    "family_name",
    "other_names",
    "date_of_birth",
    "sex",
    "nhs_number",
    "nhs_number_absent_reason",
    "upn",
    "address",
    "postcode",
    "school",
    "protected_identity",
    "protected_identity_reason",
)


def do_create_person(*, acting: Actor, data: dict) -> Person:
    with transaction.atomic():
        person = Person(organisation=acting.organisation, created_by=acting.user, **data)
        person.full_clean()
        person.save()
        record(acting, Action.CREATE, obj=person, person=person)
        linkage.resolve(person)
    return person


def do_update_person(*, acting: Actor, person: Person, data: dict) -> PersonChange | None:
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        changes = {}
        for field, value in data.items():
            before = getattr(person, field)
            if before != value:
                changes[field] = [_shown(before), _shown(value)]
                setattr(person, field, value)
        if not changes:
            return None
        person.updated_at = timezone.now()
        person.full_clean()
        person.save()
        change = PersonChange.objects.create(
            person=person, changed_by=acting.user, changed_by_label=acting.label, changes=changes
        )
        record(acting, Action.UPDATE, obj=person, person=person, detail={"fields": sorted(changes)})
        if changes.keys() & LINKAGE_FIELDS:
            linkage.resolve(person)
    return change


def do_add_relationship(
    *, acting: Actor, person: Person, relative: Person, kind: str, lives_with: bool, note: str = ""
) -> Relationship:
    with transaction.atomic():
        relationship = Relationship(
            person=person, relative=relative, kind=kind, lives_with=lives_with, note=note,
            created_by=acting.user,
        )
        relationship.full_clean()
        relationship.save()
        record(
            acting, Action.UPDATE, obj=person, person=person,
            detail={"relationship": kind, "relative": relative.pk},
        )
    return relationship


def do_record_view(*, acting: Actor, person: Person, what: str = "person") -> None:
    record(acting, Action.VIEW, obj=person, person=person, detail={"page": what})


def do_record_search(*, acting: Actor, terms: dict, results: int) -> None:
    record(acting, Action.SEARCH, detail={"terms": terms, "results": results})


def _shown(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
