"""Sign-in, sign-out and MFA changes go to the ledger as they happen."""

import time

from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from jigsaw.accounts.actor import Actor
from jigsaw.accounts.middleware import MFA_ENROLLED_IN_SESSION, SIGNED_IN_AT, client_ip
from jigsaw.audit.events import record
from jigsaw.audit.models import Action


def _actor(request, user) -> Actor:
    return Actor.anonymous(client_ip(request) if request else None, user=user)


@receiver(user_logged_in)
def on_sign_in(sender, request, user, **kwargs):
    request.session[SIGNED_IN_AT] = time.time()
    record(_actor(request, user), Action.SIGN_IN)


@receiver(user_logged_out)
def on_sign_out(sender, request, user, **kwargs):
    if user is not None:
        record(_actor(request, user), Action.SIGN_OUT)


@receiver(user_login_failed)
def on_failed_sign_in(sender, credentials, request=None, **kwargs):
    # The e-mail typed is kept so that attacks on one account can be seen; never the password.
    typed = str(credentials.get("email") or credentials.get("username") or "")[:254]
    actor = Actor.anonymous(client_ip(request) if request else None)
    record(actor, Action.FAILED_SIGN_IN, detail={"email": typed})


@receiver(authenticator_added)
def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    # Adding an authenticator proves possession of it, so this session has passed MFA.
    request.session[MFA_ENROLLED_IN_SESSION] = True
    user._jigsaw_has_mfa = None
    record(_actor(request, user), Action.MFA, detail={"added": authenticator.type})


@receiver(authenticator_removed)
def on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    user._jigsaw_has_mfa = None
    record(_actor(request, user), Action.MFA, detail={"removed": authenticator.type})


@receiver(authenticator_reset)
def on_authenticator_reset(sender, request, user, authenticator, **kwargs):
    record(_actor(request, user), Action.MFA, detail={"reset": authenticator.type})
