"""Recording what an actor did: the one function the rest of Jigsaw calls."""

from jigsaw.accounts.actor import Actor
from jigsaw.audit import ledger
from jigsaw.audit.models import AccessEvent, Action


def record(
    actor: Actor,
    action: str,
    *,
    obj=None,
    person=None,
    purpose: str = "",
    detail: dict | None = None,
) -> AccessEvent:
    return ledger.append(
        action=action,
        actor_label=actor.label,
        user=actor.user,
        api_key=actor.api_key,
        organisation=actor.organisation,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=obj.pk if obj is not None else "",
        person=person,
        purpose=purpose,
        ip_address=actor.ip_address,
        detail=detail,
    )


def record_denial(actor: Actor, object_type: str, object_id, wanted: str) -> AccessEvent:
    return ledger.append(
        action=Action.DENIAL,
        actor_label=actor.label,
        user=actor.user,
        api_key=actor.api_key,
        organisation=actor.organisation,
        object_type=object_type,
        object_id=str(object_id)[:64],
        ip_address=actor.ip_address,
        detail={"wanted": wanted},
    )
