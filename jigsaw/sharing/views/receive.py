"""The receiving side: the inbox, a received disclosure, acknowledging it, keeping it, and its PDF.

The recipient reads only the snapshot the sender fixed when sending, never the sender's records:
even the child's name in the inbox comes from the snapshot, not from the sender's Person.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from jigsaw.chronology import actions as chronology_actions
from jigsaw.chronology.pdf import render_pdf
from jigsaw.people.search import Terms, search
from jigsaw.sharing import access, actions
from jigsaw.sharing.forms.receive import AcknowledgeForm, FindChildForm, InboxFilterForm, SaveToChronologyForm
from jigsaw.web.templatetags.govuk import govuk_date

PER_PAGE = 50
SUGGESTIONS = 20

STATUS_FILTERS = {
    "new": {"opened_at__isnull": True},
    "opened": {"opened_at__isnull": False, "acknowledged_at__isnull": True},
    "acknowledged": {"acknowledged_at__isnull": False},
}


def _child(key: str):
    """One field of the child's identity as sent, read inside the query: never the whole snapshot."""
    return KeyTextTransform(key, KeyTransform("child", "snapshot__content"))


def _inbox_rows(actor, status: str):
    """Received disclosures, unopened first, then unacknowledged."""
    # Only the sender organisation is joined: the sender's decision and Person are not the recipient's to load.
    rows = access.received_by(actor).select_related(None).select_related("sender")
    waiting = Case(When(opened_at__isnull=True, then=Value(0)), When(acknowledged_at__isnull=True, then=Value(1)),
                   default=Value(2), output_field=IntegerField())
    rows = rows.filter(**STATUS_FILTERS.get(status, {})).annotate(waiting=waiting)
    return rows.order_by("waiting", "-sent_at", "-id")


def _with_children(actor, rows) -> None:
    """The child as sent, from the snapshots of this page's rows only (one query, however long the inbox)."""
    children = {
        pk: (given, family, _birth_date(born))
        for pk, given, family, born in access.received_by(actor).filter(pk__in=[row.pk for row in rows])
        .annotate(given=_child("given_name"), family=_child("family_name"), born=_child("date_of_birth"))
        .values_list("pk", "given", "family", "born")
    }
    for row in rows:
        row.child_given_name, row.child_family_name, row.child_born = children.get(row.pk, ("", "", None))


def _birth_date(value):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def inbox(request):
    actor = request.actor
    access.require(actor, access.RECEIVE)
    form = InboxFilterForm(request.GET or None)
    status = form.chosen() if form.is_bound else ""
    page = Paginator(_inbox_rows(actor, status), PER_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    page.object_list = list(page.object_list)
    _with_children(actor, page.object_list)
    for row in page.object_list:
        row.overdue = row.is_overdue(now)
    actions.do_record_view(acting=actor, obj=None, person=None, what="information shared with us")
    return render(request, "sharing/inbox.html", {
        "form": form, "status": status, "page": page, "query": f"status={status}" if status else "",
        "open_requests": access.open_request_count(actor),
    })


def _received(request, disclosure_id):
    return access.get_disclosure_for(request.actor, disclosure_id, access.RECEIVE)


@login_required
def received(request, disclosure_id):
    actor = request.actor
    disclosure = actions.do_open(acting=actor, disclosure=_received(request, disclosure_id))
    snapshot = access.snapshot_of(actor, disclosure)
    return render(request, "sharing/received.html", {
        "disclosure": disclosure, "decision": disclosure.decision, "sender": disclosure.sender,
        "content": snapshot.content, "redaction_count": snapshot.redaction_count,
        "updates": list(access.later_updates_of(actor, disclosure)),
        "overdue": disclosure.is_overdue(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def acknowledge(request, disclosure_id):
    actor = request.actor
    disclosure = _received(request, disclosure_id)
    if disclosure.acknowledged_at is not None:
        messages.info(request, _already_acknowledged(disclosure))
        return redirect("received_disclosure", disclosure.pk)
    form = AcknowledgeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            actions.do_acknowledge(acting=actor, disclosure=disclosure, action_taken=form.cleaned_data["action_taken"])
        except actions.AlreadyAcknowledged:
            disclosure.refresh_from_db(fields=["acknowledged_at", "acknowledged_by_label"])
            messages.info(request, _already_acknowledged(disclosure))
            return redirect("received_disclosure", disclosure.pk)
        messages.success(request, f"You have acknowledged this information. {disclosure.sender.name} can now see "
                                  "that you have, and what you have done.")
        return redirect("received_disclosure", disclosure.pk)
    return render(request, "sharing/acknowledge.html", {"disclosure": disclosure, "form": form},
                  status=400 if form.is_bound else 200)


def _already_acknowledged(disclosure) -> str:
    return (f"This was already acknowledged by {disclosure.acknowledged_by_label} on "
            f"{govuk_date(disclosure.acknowledged_at)}.")


def _suggestions(people, child: dict, name: str):
    """People of one's own organisation: those found by name, or by default those like the child as sent."""
    if name:
        return list(search(people, Terms(name=name))[:SUGGESTIONS])
    full_name = f"{child.get('given_name', '')} {child.get('family_name', '')}".strip()
    born = _birth_date(child.get("date_of_birth"))
    found = list(search(people, Terms(name=full_name, date_of_birth=born))[:SUGGESTIONS]) if full_name else []
    if not found and child.get("family_name"):
        found = list(search(people, Terms(name=child["family_name"]))[:SUGGESTIONS])
    return found


@login_required
@require_http_methods(["GET", "POST"])
def save_to_chronology(request, disclosure_id):
    actor = request.actor
    disclosure = _received(request, disclosure_id)
    if disclosure.saved_entry_id is not None:
        return _already_saved(request, disclosure)
    child = access.snapshot_of(actor, disclosure).content["child"]
    people = access.own_people_for_saving(actor)
    finder = FindChildForm(request.GET or None)
    name = finder.cleaned_data["name"].strip() if finder.is_bound and finder.is_valid() else ""
    form = SaveToChronologyForm(request.POST if request.method == "POST" else None, people=people)
    if form.is_bound and form.is_valid():
        try:
            entry = actions.do_save_to_chronology(acting=actor, disclosure=disclosure,
                                                  person=form.cleaned_data["person"])
        except ValidationError as error:
            form.add_error("person", error.message_dict.get("person", error.messages))
        else:
            messages.success(request, f"Saved to {entry.person.full_name}'s chronology, with "
                                      f"{disclosure.sender.name} as its source.")
            return redirect("entry", entry.pk)
    actions.do_record_view(acting=actor, obj=disclosure, person=None, what="save information shared with us")
    return render(request, "sharing/save_to_chronology.html", {
        "disclosure": disclosure, "child": child, "child_born": _birth_date(child.get("date_of_birth")),
        "form": form, "finder": finder, "name": name, "found": _suggestions(people, child, name),
    }, status=400 if form.is_bound else 200)


def _already_saved(request, disclosure):
    if request.method == "POST":
        messages.info(request, "This information has already been saved to a chronology.")
        return redirect("save_disclosure", disclosure.pk)
    return render(request, "sharing/save_to_chronology.html", {"disclosure": disclosure, "saved": True})


@login_required
def received_pdf(request, disclosure_id):
    actor = request.actor
    disclosure = _received(request, disclosure_id)
    if disclosure.opened_at is None:
        disclosure = actions.do_open(acting=actor, disclosure=disclosure)
    snapshot = access.snapshot_of(actor, disclosure)
    chronology_actions.do_record_export(acting=actor, person=None, obj=disclosure,
                                        what="information shared with us (PDF)")
    return render_pdf(request, "sharing/disclosure_pdf.html", {
        "disclosure": disclosure, "decision": disclosure.decision, "content": snapshot.content,
        "redaction_count": snapshot.redaction_count, "watermark": None,
    }, f"shared-with-us-{disclosure.pk}-{timezone.localdate():%Y-%m-%d}.pdf")
