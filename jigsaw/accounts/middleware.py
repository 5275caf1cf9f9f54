"""Session lifetime, compulsory MFA, and the organisation a user is acting for."""

import time

from allauth.account.authentication import get_authentication_records
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import resolve
from django.urls.exceptions import Resolver404

from jigsaw.accounts.actor import Actor
from jigsaw.accounts.mfa import has_mfa_enrolled

SIGNED_IN_AT = "jigsaw_signed_in_at"
MFA_ENROLLED_IN_SESSION = "jigsaw_mfa_enrolled_in_session"
ACTIVE_MEMBERSHIP = "jigsaw_membership_id"

# Pages a signed-in user without MFA may still reach: enrolment and leaving.
ENROLMENT_URL_NAMES = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_add_webauthn",
        "mfa_signup_webauthn",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "account_logout",
        "account_reauthenticate",
        "privacy",
        "healthz",
    }
)


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


class SessionLifetimeMiddleware:
    """End a session 12 hours after sign-in, however active (idle expiry is the cookie age)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT)
            if signed_in_at is None:
                request.session[SIGNED_IN_AT] = time.time()
            elif time.time() - signed_in_at > settings.SESSION_ABSOLUTE_LIMIT_SECONDS:
                logout(request)
                messages.info(request, "You have been signed out because you signed in 12 hours ago.")
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


def session_passed_mfa(request) -> bool:
    if request.session.get(MFA_ENROLLED_IN_SESSION):
        return True
    return any(record.get("method") in {"mfa", "socialaccount"} for record in
               get_authentication_records(request, request.user))


class RequireMfaMiddleware:
    """A signed-in user without MFA can only enrol; a session that skipped MFA is ended."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated or request.path.startswith(settings.STATIC_URL):
            return self.get_response(request)
        url_name = _url_name(request)
        if not has_mfa_enrolled(user):
            if url_name in ENROLMENT_URL_NAMES:
                return self.get_response(request)
            if request.path.startswith("/api/"):
                return self.get_response(request)
            return redirect("mfa_index")
        if not session_passed_mfa(request):
            logout(request)
            return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class ActiveMembershipMiddleware:
    """Set request.actor: who is acting, for which organisation, in which role."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = self.actor_for(request)
        return self.get_response(request)

    @staticmethod
    def actor_for(request) -> Actor:
        user = request.user
        ip = client_ip(request)
        if not user.is_authenticated:
            return Actor.anonymous(ip)
        memberships = list(user.active_memberships())
        if not memberships:
            return Actor.anonymous(ip, user=user)
        chosen = request.session.get(ACTIVE_MEMBERSHIP)
        membership = next((m for m in memberships if m.pk == chosen), memberships[0])
        return Actor.for_membership(membership, ip)


def _url_name(request) -> str | None:
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None
