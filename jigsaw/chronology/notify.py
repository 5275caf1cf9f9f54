"""E-mails about concerns. They never hold personal detail: only that something waits, and a link."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from jigsaw.accounts.models import Membership, Organisation
from jigsaw.accounts.roles import Role

LEADS = (Role.DSL, Role.DEPUTY_DSL)
NO_DETAIL = "This e-mail holds no details on purpose. Do not reply to it."


def _addresses(organisation: Organisation, roles) -> list[str]:
    return sorted(
        Membership.objects.filter(
            organisation=organisation, role__in=roles, ended_at__isnull=True, user__is_active=True
        ).values_list("user__email", flat=True)
    )


def _send(recipients: list[str], subject: str, opening: str, prompt: str) -> int:
    if not recipients:
        return 0
    link = settings.BASE_URL + reverse("concern_inbox")
    return send_mail(subject, f"{opening}\n\n{prompt}:\n{link}\n\n{NO_DETAIL}", None, recipients)


def concern_waiting(organisation: Organisation) -> int:
    return _send(
        _addresses(organisation, LEADS), "A safeguarding concern is waiting for you in Jigsaw",
        f"A safeguarding concern has been logged at {organisation.name} and is waiting to be read.",
        "Sign in to Jigsaw to read it",
    )


def concerns_overdue(organisation: Organisation, count: int) -> int:
    noun = "concern has" if count == 1 else "concerns have"
    return _send(
        _addresses(organisation, (Role.DEPUTY_DSL,)) or _addresses(organisation, LEADS),
        "Unread safeguarding concerns need a lead now",
        f"{count} safeguarding {noun} been waiting at {organisation.name} for longer than your "
        "organisation's limit without being read.",
        "Sign in to Jigsaw to read and decide on them",
    )


def alert_raised(organisation: Organisation) -> int:
    return _send(
        _addresses(organisation, LEADS), "A pattern alert is waiting for you in Jigsaw",
        f"Jigsaw has noticed a pattern in a child's chronology at {organisation.name}.",
        "Sign in to Jigsaw to see it",
    )
