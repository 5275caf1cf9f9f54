"""Linkage pieces other pages use: a record's linkage status on the person page, the review count in
the navigation, and how a probability and a field's verdict are shown."""

from django import template
from django.utils.html import format_html

from jigsaw.linkage import access
from jigsaw.linkage.comparison import AGREES, DISAGREES, NOT_COMPARED, PARTLY

register = template.Library()

MAX_REVIEWS_SHOWN = 5
VERDICT_COLOURS = {AGREES: "green", PARTLY: "yellow", DISAGREES: "red", NOT_COMPARED: "grey"}


def _case_actor(context):
    actor = getattr(context.get("request"), "actor", None)
    if actor is None or not access.can(actor, access.SINGLE_VIEW):
        return None
    return actor


@register.inclusion_tag("linkage/_status.html", takes_context=True)
def linkage_status(context, person):
    """"Also known to: …" or "Possible match awaiting review", for the case roles of the record's own organisation."""
    actor = _case_actor(context)
    if actor is None or person.organisation_id != actor.organisation.pk:
        return {"show": False}
    link = access.current_link_of(person)
    others = list(access.linked_records(link.subject_id).exclude(pk=person.pk)) if link else []
    known_to = list(dict.fromkeys(r.organisation.name for r in others if r.organisation_id != person.organisation_id))
    reviews = access.open_reviews_of(actor, person).select_related("left__organisation", "right__organisation")
    reviews = list(reviews.order_by("created_at", "pk")[:MAX_REVIEWS_SHOWN + 1])
    return {
        "show": True, "person": person, "known_to": known_to, "linked": bool(others),
        "reviews": [(review, review.right if review.left_id == person.pk else review.left)
                    for review in reviews[:MAX_REVIEWS_SHOWN]],
        "more_reviews": len(reviews) > MAX_REVIEWS_SHOWN,
    }


@register.inclusion_tag("linkage/_nav.html", takes_context=True)
def linkage_navigation(context):
    """The review queue in the service navigation, with how many possible matches are waiting."""
    actor = _case_actor(context)
    if actor is None or not access.can(actor, access.REVIEW):
        return {"show": False}
    return {"show": True, "count": access.open_review_count(actor)}


@register.filter
def percent(probability) -> str:
    """0.834 as 83%, 0.995 as 99.5%: one decimal place only where it matters."""
    if probability is None:
        return "Not scored"
    value = round(float(probability) * 100, 1)
    if value == 100 and probability < 1:
        return "over 99.9%"
    return f"{value:.0f}%" if value == int(value) else f"{value:.1f}%"


@register.simple_tag
def verdict_tag(evidence):
    """A field's verdict as a GOV.UK tag: the words carry the meaning, the colour only repeats it."""
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>',
                       VERDICT_COLOURS[evidence.verdict], evidence.verdict_text)
