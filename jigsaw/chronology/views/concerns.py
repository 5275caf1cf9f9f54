"""Logging a concern, seeing what became of it, and the safeguarding lead's inbox and triage."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from jigsaw.chronology import access, actions, bodymap, drafts, filters
from jigsaw.chronology.forms import (
    AcknowledgeAlertForm,
    ActionFormSet,
    ChooseChildForm,
    ConcernForm,
    InvolvementFormSet,
    TriageForm,
)
from jigsaw.chronology.models import ConcernStatus
from jigsaw.guidance import language
from jigsaw.people.search import Terms, search

PER_PAGE = 25


@login_required
def my_concerns(request):
    access.require(request.actor, access.VIEW_OWN)
    page = Paginator(access.my_concerns(request.actor), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "chronology/my_concerns.html", {"page": page})


@login_required
def choose_child(request):
    access.require(request.actor, access.LOG_CONCERN)
    form = ChooseChildForm(request.GET or None)
    found = None
    if form.is_bound and form.is_valid() and form.cleaned_data["name"].strip():
        children = access.children_for_concerns(request.actor)
        found = search(children, Terms(name=form.cleaned_data["name"]))[:50]
        actions.do_record_search(acting=request.actor, terms={"name": form.cleaned_data["name"]},
                                 results=len(found))
    return render(request, "chronology/choose_child.html", {"form": form, "found": found})


def _concern_forms(request, person, data=None, files=None):
    actor = request.actor
    children = access.children_for_concerns(actor).exclude(pk=person.pk).order_by("family_name", "given_name")
    return (
        ConcernForm(data, files, organisation=actor.organisation),
        InvolvementFormSet(data, prefix="involved", children=children, subject=person),
        bodymap.MarkFormSet(data, prefix="marks"),
    )


def _render_concern_form(request, person, forms, *, draft=None, status=200):
    form, involved, marks = forms
    findings = language.check(**drafts.check_arguments(form)) if form.is_bound else []
    return render(request, "chronology/concern_form.html", {
        "person": person, "form": form, "involved": involved, "marks": marks, "draft": draft,
        "findings": findings,
        "mark_errors": bodymap.error_summary(marks) if marks.is_bound else [],
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def log_concern(request, person_id):
    person = access.get_child_for(request.actor, person_id, access.LOG_CONCERN)
    if request.method == "GET":
        draft = actions.draft_for(request.actor, person)
        data = drafts.as_querydict(draft.data) if draft else None
        forms = _concern_forms(request, person, data)
        if draft:
            for each in forms:
                each.is_valid()  # show what was typed, with its problems, as it was left
        actions.do_record_view(acting=request.actor, person=person, what="log a concern")
        return _render_concern_form(request, person, forms, draft=draft)

    if "discard_draft" in request.POST:
        actions.do_discard_draft(acting=request.actor, person=person)
        messages.info(request, "What you had typed has been cleared.")
        return redirect("log_concern", person.pk)
    data = drafts.with_extra_rows(request.POST)
    forms = _concern_forms(request, person, data, request.FILES)
    form, involved, marks = forms
    adding = data is not request.POST
    if adding or not all(each.is_valid() for each in forms):
        actions.do_save_draft(acting=request.actor, person=person, data=drafts.savable(request.POST))
        if not adding and request.FILES:
            form.add_error("attachments", "Choose the file again: files cannot be kept until the concern is saved")
        return _render_concern_form(request, person, forms, status=200 if adding else 400)
    try:
        concern = actions.do_record_concern(
            acting=request.actor, person=person,
            data=form.entry_data(involvements=involved.involvements(), marks=bodymap.marks_from(marks)),
            uploads=form.cleaned_data["attachments"],
        )
    except ValidationError as error:
        form.add_error("attachments", error)
        actions.do_save_draft(acting=request.actor, person=person, data=drafts.savable(request.POST))
        return _render_concern_form(request, person, forms, status=400)
    messages.success(request, "Your concern has been sent to the safeguarding lead.")
    return redirect("concern", concern.pk)


@login_required
@require_POST
def check_concern(request, person_id):
    """While writing (htmx): keep a draft on the server and return the recording prompts."""
    person = access.get_child_for(request.actor, person_id, access.LOG_CONCERN)
    actions.do_save_draft(acting=request.actor, person=person, data=drafts.savable(request.POST))
    form = ConcernForm(request.POST, organisation=request.actor.organisation)
    form.is_valid()
    findings = language.check(**drafts.check_arguments(form))
    response = render(request, "chronology/_recording_prompts.html", {
        "findings": findings, "saved_at": timezone.now(), "live": True,
    })
    response["Cache-Control"] = "no-store"
    return response


@login_required
def concern(request, concern_id):
    """A logged concern as its author sees it: what they wrote and whether the lead has read it."""
    found = access.get_concern_for(request.actor, concern_id)
    entries = access.versions_of(request.actor, found.first_entry)
    shown = [e for e in entries if e.author_id == found.raised_by_id] or list(entries)
    actions.do_record_view(acting=request.actor, person=found.person, what="concern", obj=found.first_entry)
    return render(request, "chronology/concern.html", {
        "concern": found, "entry": shown[-1], "is_lead": access.can(request.actor, access.TRIAGE),
    })


@login_required
def inbox(request):
    access.require(request.actor, access.TRIAGE)
    limit = actions.unread_limit(request.actor.organisation)
    now = timezone.now()
    waiting = list(access.inbox_of(request.actor)[:200])
    for each in waiting:
        each.overdue = actions.is_overdue(each, limit, now)
    alerts = list(access.alerts_of(request.actor)[:100])
    actions.do_record_view(acting=request.actor, person=None, what="concern inbox")
    return render(request, "chronology/inbox.html", {
        "waiting": waiting, "alerts": alerts, "limit": limit,
        "unread": sum(1 for c in waiting if c.status == ConcernStatus.NEW),
        "overdue": sum(1 for c in waiting if c.overdue),
    })


@login_required
@require_http_methods(["GET", "POST"])
def triage(request, concern_id):
    found = access.get_concern_for(request.actor, concern_id, access.TRIAGE)
    if request.method == "GET" and found.status == ConcernStatus.NEW:
        found = actions.do_mark_read(acting=request.actor, concern=found)
        found = access.get_concern_for(request.actor, concern_id, access.TRIAGE)
    owners = access.members_for(request.actor)
    form = TriageForm(request.POST or None)
    follow_ups = ActionFormSet(request.POST or None, prefix="actions", owners=owners)
    if request.method == "POST" and found.status != ConcernStatus.TRIAGED and form.is_valid() and follow_ups.is_valid():
        try:
            actions.do_triage(
                acting=request.actor, concern=found, outcome=form.cleaned_data["outcome"],
                rationale=form.cleaned_data["rationale"], new_actions=follow_ups.new_actions(),
            )
        except actions.AlreadyDecided:
            form.add_error(None, "Someone else recorded a decision on this concern while you were writing.")
        else:
            messages.success(request, "Your decision has been recorded in the child's chronology.")
            return redirect("concern_inbox")
    elif request.method == "POST" and found.status == ConcernStatus.TRIAGED:
        form.add_error(None, "A decision has already been recorded on this concern.")
    if request.method == "GET":
        actions.do_record_view(acting=request.actor, person=found.person, what="triage", obj=found.first_entry)
    entry = access.get_entry_for(request.actor, access.current_version_id(request.actor, found), access.TRIAGE)
    [entry] = _described(request.actor, [entry])
    return render(request, "chronology/triage.html", {
        "concern": found, "entry": entry, "form": form, "follow_ups": follow_ups,
        "decided": found.status == ConcernStatus.TRIAGED,
    }, status=400 if request.method == "POST" and (form.errors or not follow_ups.is_valid()) else 200)


@login_required
@require_http_methods(["GET", "POST"])
def alert(request, alert_id):
    found = access.get_alert_for(request.actor, alert_id)
    form = AcknowledgeAlertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.do_acknowledge_alert(acting=request.actor, alert=found, note=form.cleaned_data["note"])
        messages.success(request, "The alert has been acknowledged.")
        return redirect("concern_inbox")
    actions.do_record_view(acting=request.actor, person=found.person, what="alert", obj=found)
    return render(request, "chronology/alert.html", {
        "alert": found, "form": form,
        "entries": _described(request.actor, access.entries_of_alert(request.actor, found)),
    }, status=400 if form.errors else 200)


def _described(actor, entries) -> list:
    """Entries with their category names, outcome and key-event mark, as the summaries show them."""
    entries = list(entries)
    names = filters.names_of(filters.categories_known_to(actor.organisation))
    return filters.describe(entries, names=names, key_threads=access.key_threads(actor, {e.thread for e in entries}))
