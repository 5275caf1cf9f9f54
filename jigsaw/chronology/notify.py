"""E-mails about concerns. They never hold personal detail: only that something waits, and a link."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from jigsaw.accounts.models import Membership, Organisation
from jigsaw.accounts.roles import Role

LEADS = (Role.DSL, Role.DEPUTY_DSL)


def _addresses(organisation: Organisation, roles) -> list[str]:
    return sorted(
        Membership.objects.filter(
            organisation=organisation, role__in=roles, ended_at__isnull=True, user__is_active=True
        ).values_list("user__email", flat=True)
    )


def _inbox_link() -> str:
    return settings.BASE_URL + reverse("concern_inbox")


def concern_waiting(organisation: Organisation) -> int:
    recipients = _addresses(organisation, LEADS)
    if not recipients:
        return 0
    body = (
        f"A safeguarding concern has been logged at {organisation.name} and is waiting to be read.\n\n"
        f"Sign in to Jigsaw to read it:\n{_inbox_link()}\n\n"
        "This e-mail holds no details of the concern on purpose. Do not reply to it."
    )
    return send_mail("A safeguarding concern is waiting for you in Jigsaw", body, None, recipients)


def concerns_overdue(organisation: Organisation, count: int) -> int:
    recipients = _addresses(organisation, (Role.DEPUTY_DSL,)) or _addresses(organisation, LEADS)
    if not recipients:
        return 0
    noun = "concern has" if count == 1 else "concerns have"
    body = (
        f"{count} safeguarding {noun} been waiting at {organisation.name} for longer than your "
        f"organisation's limit without being read.\n\n"
        f"Sign in to Jigsaw to read and decide on them:\n{_inbox_link()}\n\n"
        "This e-mail holds no details of the concerns on purpose. Do not reply to it."
    )
    return send_mail("Unread safeguarding concerns need a lead now", body, None, recipients)


def alert_raised(organisation: Organisation) -> int:
    recipients = _addresses(organisation, LEADS)
    if not recipients:
        return 0
    body = (
        f"Jigsaw has noticed a pattern in a child's chronology at {organisation.name}.\n\n"
        f"Sign in to Jigsaw to see it:\n{_inbox_link()}\n\n"
        "This e-mail holds no details on purpose. Do not reply to it."
    )
    return send_mail("A pattern alert is waiting for you in Jigsaw", body, None, recipients)
