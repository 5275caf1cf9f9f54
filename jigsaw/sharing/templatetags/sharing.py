"""Sharing pieces other pages use: the "don't assume" prompts and a request's status tags."""

from django import template
from django.urls import reverse
from django.utils.html import format_html_join

from jigsaw.chronology.models import Alert, TriageOutcome
from jigsaw.guidance.identifiers import format_nhs_number
from jigsaw.guidance.sharing import DONT_ASSUME
from jigsaw.sharing import access
from jigsaw.sharing.models import RequestStatus

register = template.Library()

MAX_PROMPTS = 20
REFERRALS = frozenset({TriageOutcome.REFER_CSC, TriageOutcome.REFER_POLICE})

STATUS_TAGS = {
    RequestStatus.OPEN: ("blue", "Waiting for an answer"),
    RequestStatus.RECONSIDER: ("yellow", "New information: to reconsider"),
    RequestStatus.SHARED: ("green", "Shared"),
    RequestStatus.DECLINED: ("pink", "Not shared"),
    RequestStatus.WITHDRAWN: ("grey", "Withdrawn"),
    RequestStatus.NO_RECORD: ("grey", "No record held"),
}


@register.inclusion_tag("sharing/_prompts.html", takes_context=True)
def sharing_prompts(context, person=None):
    """Don't assume someone else will share (seed 002): what the lead should refer or share now."""
    request = context.get("request")
    actor = getattr(request, "actor", None)
    if actor is None or not access.can(actor, access.SHARE) or actor.api_key is not None:
        return {"prompts": []}
    entries, alerts = access.prompts_for(actor, person=person)
    prompts = [describe_prompt(entry) for entry in entries[:MAX_PROMPTS]]
    prompts += [describe_prompt(alert) for alert in alerts[:MAX_PROMPTS]]
    prompts.sort(key=lambda prompt: prompt["at"], reverse=True)
    return {"prompts": prompts[:MAX_PROMPTS], "guidance": DONT_ASSUME, "one_child": person is not None}


def _share_url(person, *, referral: bool) -> str:
    url = reverse("share_choose", args=[person.pk])
    return f"{url}?kind=referral" if referral else url


def describe_prompt(source) -> dict:
    """A triage decision or a pattern alert as a prompt: what it was, and the two ways to act on it."""
    if isinstance(source, Alert):
        return {"person": source.person, "at": source.fired_at, "why": source.title, "referral": False,
                "share_url": _share_url(source.person, referral=False),
                "respond_url": reverse("alert_prompt", args=[source.pk])}
    outcome = source.triage_outcome
    return {"person": source.person, "at": source.recorded_at, "why": TriageOutcome(outcome).label,
            "referral": outcome in REFERRALS, "share_url": _share_url(source.person, referral=outcome in REFERRALS),
            "respond_url": reverse("triage_prompt", args=[source.pk])}


@register.simple_tag
def request_status(asked):
    """A request's state as GOV.UK tags: overdue (when the view marked it) and urgent first."""
    tags = []
    if getattr(asked, "overdue", False):
        tags.append(("red", "Overdue"))
    if asked.urgency == "urgent" and asked.is_open:
        tags.append(("orange", "Urgent"))
    tags.append(STATUS_TAGS.get(asked.status, ("grey", asked.get_status_display())))
    return format_html_join(" ", '<strong class="govuk-tag govuk-tag--{}">{}</strong>', tags)


@register.filter
def nhs_number(value: str) -> str:
    """999 000 1235, as people read it."""
    return format_nhs_number(value) if value else ""
