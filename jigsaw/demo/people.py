"""Writing the planned records and relationships as Person and Relationship rows."""

from jigsaw.accounts.models import Organisation
from jigsaw.demo import KNOWN_RIVERSIDE_CHILD
from jigsaw.demo.partnership import BY_KEY
from jigsaw.demo.records import Plan, Record
from jigsaw.people.models import Person, Relationship


def ensure_people(plan: Plan, orgs: dict[str, Organisation]) -> tuple[int, int]:
    """Load the people of each demo organisation that holds nobody yet.

    An organisation that already holds people is left alone, so people added, changed or
    removed through Jigsaw since the demo was loaded are never duplicated or restored.
    """
    occupied = set(
        Person.objects.filter(organisation__in=orgs.values()).values_list("organisation_id", flat=True).distinct()
    )
    wanted = {key for key, org in orgs.items() if org.pk not in occupied}
    records = [r for r in plan.records if r.org in wanted]
    people = Person.objects.bulk_create(_person(r, orgs) for r in records)
    pk = {(r.org, r.individual): person.pk for r, person in zip(records, people, strict=True)}
    since = {(r.org, r.individual): r.created_at for r in records}
    relationships = Relationship.objects.bulk_create(
        Relationship(
            person_id=pk[(link.org, link.person)],
            relative_id=pk[(link.org, link.relative)],
            kind=link.kind,
            lives_with=link.lives_with,
            note=link.note,
            created_at=since[(link.org, link.person)],
        )
        for link in plan.links
        if link.org in wanted
    )
    return len(people), len(relationships)


def _person(r: Record, orgs: dict[str, Organisation]) -> Person:
    return Person(
        organisation=orgs[r.org],
        given_name=r.given_name,
        family_name=r.family_name,
        other_names=r.other_names,
        date_of_birth=r.date_of_birth,
        sex=r.sex,
        nhs_number=r.nhs_number,
        nhs_number_absent_reason=r.nhs_number_absent_reason,
        upn=r.upn,
        address=r.address,
        postcode=r.postcode,
        school=orgs[r.school] if r.school else None,
        protected_identity=bool(r.protected_identity_reason),
        protected_identity_reason=r.protected_identity_reason,
        created_at=r.created_at,
        updated_at=r.created_at,
    )


def known_riverside_child() -> Person:
    """Maya Thompson as Riverside School holds her (see jigsaw.demo's docstring)."""
    given, family, dob = KNOWN_RIVERSIDE_CHILD
    return Person.objects.get(
        organisation__name=BY_KEY["riverside"].name,
        given_name=given,
        family_name=family,
        date_of_birth=dob,
    )
