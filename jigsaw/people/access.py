"""The only place that decides who may see or change a Person.

Missing and forbidden answer the same 404, and every refusal is written to the
ledger. Staff see their organisation's people by identity only (to choose a
child); the safeguarding roles see everything their organisation holds.
"""

from django.http import Http404

from jigsaw.accounts.actor import Actor
from jigsaw.accounts.models import ApiKeyScope
from jigsaw.accounts.roles import ACCESS_LOG_ROLES, CASE_ROLES, IDENTITY_ROLES
from jigsaw.audit.events import record_denial
from jigsaw.ids import as_id
from jigsaw.people.models import Person, PersonChange, Relationship

VIEW = "view"
VIEW_FAMILY = "view_family"
CREATE = "create"
EDIT = "edit"
ACCESS_LOG = "access_log"

ROLES_FOR = {
    VIEW: IDENTITY_ROLES,
    VIEW_FAMILY: CASE_ROLES,
    CREATE: CASE_ROLES,
    EDIT: CASE_ROLES,
    ACCESS_LOG: ACCESS_LOG_ROLES,
}


# A system acting through an API key is limited by the key's scopes, not a role.
SCOPE_FOR = {VIEW: ApiKeyScope.PEOPLE_READ, CREATE: ApiKeyScope.PEOPLE_WRITE}


def can(actor: Actor, action: str) -> bool:
    if actor.api_key is not None:
        return action in SCOPE_FOR and actor.api_key.has_scope(SCOPE_FOR[action])
    return actor.has_role(ROLES_FOR[action])


def visible_to(actor: Actor, action: str = VIEW):
    if not can(actor, action):
        return Person.objects.none()
    return Person.objects.filter(organisation=actor.organisation)


def get_person_for(actor: Actor, person_id, action: str = VIEW) -> Person:
    person = visible_to(actor, action).select_related("school").filter(pk=as_id(person_id)).first()
    if person is None:
        record_denial(actor, "people.person", person_id, action)
        raise Http404
    return person


def require(actor: Actor, action: str) -> None:
    """For pages that are not about one person (search, add): refuse roles that may not."""
    if not can(actor, action):
        record_denial(actor, "page", f"people:{action}", action)
        raise Http404



def changes_to(actor: Actor, person: Person):
    if not can(actor, EDIT) or person.organisation_id != actor.organisation.pk:
        return PersonChange.objects.none()
    return PersonChange.objects.filter(person=person).select_related("changed_by")


def relationships_of(person: Person):
    """Both directions of every relationship of a person the caller has already been allowed."""
    outgoing = Relationship.objects.filter(person=person).select_related("relative")
    incoming = Relationship.objects.filter(relative=person).select_related("person")
    return outgoing, incoming
