"""Who may read the ledger: only through a person's page the caller was already allowed."""

from jigsaw.accounts.actor import Actor
from jigsaw.accounts.roles import ACCESS_LOG_ROLES
from jigsaw.audit.models import AccessEvent


def events_about(actor: Actor, person):
    if not actor.has_role(ACCESS_LOG_ROLES) or person.organisation_id != actor.organisation.pk:
        return AccessEvent.objects.none()
    return AccessEvent.objects.filter(person=person).select_related("organisation").order_by("-seq")
