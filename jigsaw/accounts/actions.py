"""Every change to organisations, memberships, users and API keys."""

import datetime

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from jigsaw.accounts.actor import Actor
from jigsaw.accounts.models import ApiKey, Membership, Organisation, User
from jigsaw.audit.events import record
from jigsaw.audit.models import Action


def do_create_organisation(*, acting: Actor, data: dict) -> Organisation:
    with transaction.atomic():
        organisation = Organisation(**data)
        organisation.full_clean()
        organisation.save()
        record(acting, Action.ADMINISTER, obj=organisation, detail={"did": "created organisation"})
    return organisation


def do_invite_person(*, acting: Actor, organisation: Organisation, email: str, full_name: str,
                     role: str) -> tuple[Membership, bool]:
    """Add a membership, creating the user if new. Returns (membership, created_user)."""
    email = email.strip().lower()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email=email).first()
        created = user is None
        if created:
            user = User.objects.create_user(email=email, full_name=full_name)
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
        membership = Membership.objects.create(user=user, organisation=organisation, role=role)
        record(acting, Action.ADMINISTER, obj=membership,
               detail={"did": "invited", "user": user.pk, "role": role, "new_user": created})
    return membership, created


def do_change_role(*, acting: Actor, membership: Membership, role: str) -> Membership:
    with transaction.atomic():
        before = membership.role
        Membership.objects.filter(pk=membership.pk).update(role=role)
        membership.role = role
        record(acting, Action.ADMINISTER, obj=membership,
               detail={"did": "changed role", "from": before, "to": role})
        # A role change alters what the person may see: make them sign in afresh.
        end_sessions(membership.user)
    return membership


def do_end_membership(*, acting: Actor, membership: Membership) -> Membership:
    with transaction.atomic():
        membership.ended_at = timezone.now()
        membership.ended_by = acting.user
        membership.save(update_fields=["ended_at", "ended_by"])
        record(acting, Action.ADMINISTER, obj=membership, detail={"did": "ended membership"})
        end_sessions(membership.user)
    return membership


def do_deactivate_user(*, acting: Actor, user: User) -> User:
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        Membership.objects.filter(user=user, ended_at__isnull=True).update(
            ended_at=timezone.now(), ended_by=acting.user
        )
        record(acting, Action.ADMINISTER, obj=user, detail={"did": "deactivated user"})
        end_sessions(user)
    return user


def end_sessions(user: User) -> int:
    """End every session of this user on the server, wherever they are signed in."""
    ended = 0
    for user_session in UserSession.objects.filter(user=user):
        user_session.end()
        ended += 1
    # Sessions that predate session tracking: find them by their decoded user id.
    now = timezone.now()
    for session in Session.objects.filter(expire_date__gt=now).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


def do_create_api_key(*, acting: Actor, organisation: Organisation, name: str, scopes: list[str],
                      days: int) -> tuple[ApiKey, str]:
    prefix, secret, token = ApiKey.new_token()
    with transaction.atomic():
        key = ApiKey.objects.create(
            organisation=organisation, name=name, prefix=prefix,
            secret_hash=ApiKey.hash_secret(secret), scopes=scopes, created_by=acting.user,
            expires_at=timezone.now() + datetime.timedelta(days=days),
        )
        record(acting, Action.ADMINISTER, obj=key, detail={"did": "created API key", "scopes": scopes})
    return key, token


def do_revoke_api_key(*, acting: Actor, key: ApiKey) -> ApiKey:
    with transaction.atomic():
        if key.revoked_at is None:
            key.revoked_at = timezone.now()
            key.save(update_fields=["revoked_at"])
            record(acting, Action.ADMINISTER, obj=key, detail={"did": "revoked API key"})
    return key


def do_switch_organisation(*, request, membership: Membership) -> None:
    from jigsaw.accounts.middleware import ACTIVE_MEMBERSHIP

    request.session[ACTIVE_MEMBERSHIP] = membership.pk
    record(Actor.for_membership(membership, request.META.get("REMOTE_ADDR")), Action.ADMINISTER,
           obj=membership, detail={"did": "switched organisation"})


def send_invitation(request, user: User) -> None:
    """E-mail a link to choose a password (allauth's reset flow); it holds no case detail."""
    from allauth.account.forms import ResetPasswordForm

    form = ResetPasswordForm(data={"email": user.email})
    if form.is_valid():
        form.save(request)
