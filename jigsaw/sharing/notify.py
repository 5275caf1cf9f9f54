"""E-mails about sharing. Like every Jigsaw e-mail they hold no personal detail: only a link."""

import contextlib
import contextvars

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from jigsaw.accounts.models import Membership, Organisation
from jigsaw.accounts.roles import CASE_ROLES, Role
from jigsaw.chronology.notify import NO_DETAIL

_quiet = contextvars.ContextVar("sharing_notifications_quiet", default=False)


@contextlib.contextmanager
def quiet():
    """Records of the past (the demo, imports): nobody is e-mailed about what happens inside."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def later(send) -> None:
    """E-mail once the transaction commits, unless inside quiet()."""
    if not _quiet.get():
        transaction.on_commit(send)


RECEIVING_ROLES = (Role.DSL, Role.DEPUTY_DSL, Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.MASH_OFFICER,
                   Role.POLICE_OFFICER)


def _addresses(organisation: Organisation, roles=CASE_ROLES) -> list[str]:
    addresses = set(
        Membership.objects.filter(
            organisation=organisation, role__in=roles, ended_at__isnull=True, user__is_active=True
        ).values_list("user__email", flat=True)
    )
    if organisation.safeguarding_email:
        addresses.add(organisation.safeguarding_email)
    return sorted(addresses)


def _send(recipients: list[str], subject: str, opening: str, path: str) -> int:
    if not recipients:
        return 0
    link = settings.BASE_URL + path
    return send_mail(subject, f"{opening}\n\nSign in to Jigsaw to see it:\n{link}\n\n{NO_DETAIL}", None, recipients)


def disclosure_received(sender: Organisation, recipient: Organisation, *, chased: bool = False) -> int:
    if chased:
        subject = "Reminder: information shared with you in Jigsaw needs acknowledging"
        opening = (f"{sender.name} shared safeguarding information with {recipient.name} and has not yet had an "
                   "acknowledgement. Please open it and say what you have done.")
    else:
        subject = "Safeguarding information has been shared with you in Jigsaw"
        opening = f"{sender.name} has shared safeguarding information with {recipient.name}."
    return _send(_addresses(recipient, RECEIVING_ROLES), subject, opening, reverse("sharing_inbox"))


def external_link(email: str, sender: Organisation, path: str, expires_at) -> int:
    """The link goes by e-mail; the code goes another way (the sender tells them by phone)."""
    body = (
        f"{sender.name} has shared safeguarding information with you through Jigsaw.\n\n"
        f"Open this link and enter the code the sender gives you by phone or text message:\n"
        f"{settings.BASE_URL}{path}\n\n"
        f"The link stops working on {expires_at:%d %B %Y at %H:%M} or after a few downloads.\n\n{NO_DETAIL}"
    )
    return send_mail("Safeguarding information has been shared with you", body, None, [email])


def request_received(requester: Organisation, holder: Organisation, *, urgent: bool) -> int:
    subject = ("URGENT: a request for information is waiting for you in Jigsaw" if urgent
               else "A request for information is waiting for you in Jigsaw")
    return _send(_addresses(holder), subject, f"{requester.name} has asked {holder.name} for information.",
                 reverse("requests_received"))


def request_updated(requester: Organisation, holder: Organisation) -> int:
    return _send(_addresses(holder), "New information on a request in Jigsaw: please reconsider",
                 f"{requester.name} has added information to a request it made to {holder.name}.",
                 reverse("requests_received"))


def request_answered(requester: Organisation, holder: Organisation) -> int:
    return _send(_addresses(requester), "Your request for information has been answered in Jigsaw",
                 f"{holder.name} has answered a request for information from {requester.name}.",
                 reverse("requests_made"))


def advice_asked(email: str, organisation: Organisation, path: str) -> int:
    return _send([email], "You have been asked for advice on sharing information",
                 f"A colleague at {organisation.name} has asked for your advice on a sharing decision.", path)


def advice_given(email: str, organisation: Organisation, path: str) -> int:
    return _send([email], "Your question about sharing information has been answered",
                 f"The adviser you asked at {organisation.name} has answered.", path)


def overdue_for_sender(sender: Organisation, count: int) -> int:
    noun = "piece of information" if count == 1 else "pieces of information"
    return _send(_addresses(sender, (Role.DSL, Role.DEPUTY_DSL, Role.TEAM_MANAGER, Role.SOCIAL_WORKER)),
                 "Information you shared has not been acknowledged",
                 f"{count} {noun} shared by {sender.name} {'has' if count == 1 else 'have'} not been acknowledged by "
                 "the recipient in time. Chase them from the list of what you sent.", reverse("disclosures_sent"))


def overdue_for_recipient(recipient: Organisation, count: int) -> int:
    noun = "piece of information" if count == 1 else "pieces of information"
    return _send(_addresses(recipient, RECEIVING_ROLES), "Information shared with you is waiting to be acknowledged",
                 f"{count} {noun} shared with {recipient.name} {'is' if count == 1 else 'are'} past the date by which "
                 "the sender asked for an acknowledgement.", reverse("sharing_inbox"))


def requests_overdue(holder: Organisation, count: int) -> int:
    noun = "request for information is" if count == 1 else "requests for information are"
    return _send(_addresses(holder), "Requests for information are overdue",
                 f"{count} {noun} past the date {holder.name} was asked to answer by.", reverse("requests_received"))
