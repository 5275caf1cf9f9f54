"""Who may see and do what with organisations, memberships and API keys.

Partnership administrators manage organisations and the people who use Jigsaw;
they never see case content. Everyone else sees only their own memberships.
"""

import hmac

from django.http import Http404
from django.utils import timezone

from jigsaw.accounts.actor import Actor
from jigsaw.accounts.models import API_KEY_PREFIX, ApiKey, Membership, Organisation, OrganisationKind, User
from jigsaw.audit.events import record_denial
from jigsaw.ids import as_id


def can_administer(actor: Actor) -> bool:
    return actor.is_partnership_admin and actor.organisation.kind == OrganisationKind.PARTNERSHIP


def organisations_visible_to(actor: Actor):
    if not can_administer(actor):
        return Organisation.objects.none()
    return Organisation.objects.select_related("local_authority")


def _deny(actor: Actor, object_type: str, object_id, wanted: str):
    record_denial(actor, object_type, object_id, wanted)
    raise Http404


def require_administrator(actor: Actor, wanted: str) -> None:
    if not can_administer(actor):
        _deny(actor, "page", wanted, wanted)


def get_organisation_for(actor: Actor, organisation_id, action: str) -> Organisation:
    organisation = organisations_visible_to(actor).filter(pk=as_id(organisation_id)).first()
    if organisation is None:
        _deny(actor, "accounts.organisation", organisation_id, action)
    return organisation


def get_membership_for(actor: Actor, membership_id, action: str) -> Membership:
    membership = None
    if can_administer(actor):
        membership = (
            Membership.objects.select_related("user", "organisation")
            .filter(pk=as_id(membership_id), ended_at__isnull=True)
            .first()
        )
    if membership is None:
        _deny(actor, "accounts.membership", membership_id, action)
    return membership


def get_user_for(actor: Actor, user_id, action: str) -> User:
    user = User.objects.filter(pk=as_id(user_id)).first() if can_administer(actor) else None
    if user is None:
        _deny(actor, "accounts.user", user_id, action)
    return user


def get_api_key_for(actor: Actor, key_id, action: str) -> ApiKey:
    key = None
    if can_administer(actor):
        key = ApiKey.objects.select_related("organisation").filter(pk=as_id(key_id)).first()
    if key is None:
        _deny(actor, "accounts.apikey", key_id, action)
    return key


def members_of(actor: Actor, organisation: Organisation):
    if not can_administer(actor):
        return Membership.objects.none()
    return (
        Membership.objects.filter(organisation=organisation, ended_at__isnull=True)
        .select_related("user")
        .order_by("user__full_name")
    )


def api_keys_of(actor: Actor, organisation: Organisation):
    if not can_administer(actor):
        return ApiKey.objects.none()
    return ApiKey.objects.filter(organisation=organisation).order_by("-created_at")


def key_for_token(token: str) -> ApiKey | None:
    """The usable API key for `jgs_<prefix>_<secret>`, or None; secrets compared in constant time."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != API_KEY_PREFIX or len(token) > 200:
        return None
    key = ApiKey.objects.select_related("organisation").filter(prefix=parts[1]).first()
    if key is None or not hmac.compare_digest(key.secret_hash, ApiKey.hash_secret(parts[2])):
        return None
    return key if key.is_usable() else None


def note_key_used(key: ApiKey) -> None:
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())


def own_membership(user: User, membership_id) -> Membership | None:
    """The signed-in user's own active membership with this id, for switching organisation."""
    return user.active_memberships().filter(pk=as_id(membership_id)).first()

