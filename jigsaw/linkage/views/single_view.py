"""The single view of a child across organisations, and the history of one record's links.

The single view says who holds a record of the child and how to reach them, never what any of them
recorded: a plan and open concerns are yes or no. Each look is asked its purpose and written to the
ledger with it.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from jigsaw.linkage import access, actions
from jigsaw.linkage.forms import PurposeForm, UnlinkForm, add_errors
from jigsaw.linkage.household import household_of


def _holder(record, person, actor) -> dict:
    link = record.current_links[0] if record.current_links else None
    own = record.organisation_id == actor.organisation.pk
    return {
        "record": record, "organisation": record.organisation, "link": link, "is_own": own, "is_this": record == person,
        "leads": record.organisation.safeguarding_leads,
        "request_url": None if own else _request_url(person, record.organisation),
    }


def _request_url(person, organisation) -> str:
    return f"{reverse('new_request')}?{urlencode({'person': person.pk, 'holder': organisation.pk})}"


@login_required
@require_GET
def single_view(request, person_id):
    actor = request.actor
    person = access.get_own_person_for(actor, person_id, access.SINGLE_VIEW)
    form = PurposeForm(request.GET if "purpose" in request.GET else None)
    if not form.is_valid():
        return render(request, "linkage/purpose.html", {"person": person, "form": form},
                      status=400 if form.errors else 200)
    records = sorted(access.holders_of(actor, person), key=lambda r: r.organisation_id != actor.organisation.pk)
    household = household_of(access.relationships_across([r.pk for r in records]), {r.pk for r in records},
                             actor.organisation.pk)
    actions.do_record_view(acting=actor, obj=person, person=person, what="single view", purpose=form.purpose_text())
    return render(request, "linkage/single_view.html", {
        "person": person, "purpose": form.purpose_text(), "holders": [_holder(r, person, actor) for r in records],
        "household": household, "others": len({r.organisation_id for r in records} - {actor.organisation.pk}),
    })


def _matched_shown(history, linked_ids: set[int], actor) -> list:
    """Whom each link matched this record with, only where the viewer may see that record now."""
    history = list(history)
    for link in history:
        other = link.matched_with
        link.matched_visible = other is not None and (
            other.organisation_id == actor.organisation.pk or other.pk in linked_ids
        )
    return history


@login_required
@require_http_methods(["GET", "POST"])
def links(request, person_id):
    actor = request.actor
    person = access.get_own_person_for(actor, person_id, access.UNLINK)
    form = UnlinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_unlink(acting=actor, person=person, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"{person.full_name}'s record has been unlinked. It will not be linked with "
                                      "those records again unless someone confirms they are the same child.")
            return redirect("person_links", person.pk)
    if request.method == "GET":
        actions.do_record_view(acting=actor, obj=person, person=person, what="link history")
    link = access.current_link_of(person)
    linked = list(access.linked_records(link.subject_id).exclude(pk=person.pk)) if link else []
    history = access.link_history_of(actor, person).select_related("matched_with__organisation", "model_version")
    return render(request, "linkage/links.html", {
        "person": person, "link": link, "linked": linked, "form": form,
        "history": _matched_shown(history, {r.pk for r in linked}, actor),
    }, status=400 if form.errors else 200)
