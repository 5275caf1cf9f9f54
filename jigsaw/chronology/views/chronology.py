"""A child's chronology, front sheet and PDF; one entry with its history; corrections; the lead's own entries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from jigsaw.chronology import access, actions, bodymap, drafts, filters, pdf, summary
from jigsaw.chronology.forms import (
    ActionFormSet,
    CompleteActionForm,
    CorrectionForm,
    EntryFields,
    EntryForm,
    InvolvementFormSet,
)

MENTIONS_SHOWN = 25
CHOOSE_FILES_AGAIN = "Choose the file again: files cannot be kept until the correction is saved"


def _names(actor) -> tuple[list, dict[str, str]]:
    categories = filters.categories_known_to(actor.organisation)
    return categories, filters.names_of(categories)


def _filtered(request, person):
    """The filter form as the user left it, and the current entries it selects."""
    actor = request.actor
    categories, names = _names(actor)
    entries = access.chronology_of(actor, person)
    data = request.GET.copy()
    data.pop("page", None)
    # Authors are the organisation's people rather than a scan of the file, which costs the same for any child.
    form = filters.ChronologyFilterForm(data or None, categories=categories, authors=access.members_for(actor))
    return form, filters.apply(entries, form), names


def _described(actor, entries, names) -> list:
    entries = list(entries)
    keys = access.key_threads(actor, {entry.thread for entry in entries}) if entries else set()
    return filters.describe(entries, names=names, key_threads=keys)


@login_required
def chronology(request, person_id):
    actor = request.actor
    person = access.get_child_for(actor, person_id, access.VIEW_CHRONOLOGY)
    form, selected, names = _filtered(request, person)
    page = filters.page_of(access.with_details(selected), request.GET.get("page"))
    mentions = list(access.mentions_of(actor, person)[: MENTIONS_SHOWN + 1])
    actions.do_record_view(acting=actor, person=person, what="chronology")
    return render(request, "chronology/chronology.html", {
        "person": person, "form": form, "filtering": form.is_filtering(), "page": page,
        "entries": _described(actor, page.entries, names), "count_up_to": f"{filters.COUNT_UP_TO:,}",
        "query": filters.query_without_page(request.GET),
        "chart": summary.trend_for(actor, person, names, timezone.localdate()),
        "alerts": list(access.alerts_of(actor, person=person)),
        "household": access.household_of(actor, person),
        "mentions": mentions[:MENTIONS_SHOWN], "more_mentions": len(mentions) > MENTIONS_SHOWN,
        "can_record": access.can(actor, access.RECORD), "can_log_concern": access.can(actor, access.LOG_CONCERN),
    })


@login_required
def chronology_pdf(request, person_id):
    actor = request.actor
    person = access.get_child_for(actor, person_id, access.VIEW_CHRONOLOGY)
    form, selected, names = _filtered(request, person)
    back = f"{reverse('chronology', args=[person.pk])}?{request.GET.urlencode()}"
    if form.errors:
        return redirect(back)
    if selected[: filters.PDF_MOST + 1].count() > filters.PDF_MOST:
        messages.error(request, f"A PDF can hold up to {filters.PDF_MOST:,} entries. Filter the entries, for example "
                                "by date, and download them in parts.")
        return redirect(back)
    actions.do_record_export(acting=actor, person=person, what="chronology PDF")
    today = timezone.localdate()
    return pdf.render_pdf(request, "chronology/chronology_pdf.html", {
        "person": person, "form": form, "filtering": form.is_filtering(),
        "entries": _described(actor, access.with_details(selected).order_by("sort_date", "id"), names),
        "filter_terms": filters.terms_of(form, names), "sheet": summary.front_sheet_for(actor, person, names),
        "chart": summary.trend_for(actor, person, names, today), "print": True,
    }, f"chronology-{person.pk}-{today:%Y-%m-%d}.pdf")


@login_required
def front_sheet(request, person_id):
    actor = request.actor
    person = access.get_child_for(actor, person_id, access.VIEW_CHRONOLOGY)
    _, names = _names(actor)
    sheet = summary.front_sheet_for(actor, person, names)
    actions.do_record_view(acting=actor, person=person, what="front sheet")
    return render(request, "chronology/front_sheet.html", {"person": person, "sheet": sheet})


@login_required
@require_http_methods(["GET", "POST"])
def add_entry(request, person_id):
    actor = request.actor
    person = access.get_child_for(actor, person_id, access.RECORD)
    data = request.POST if request.method == "POST" else None
    form = EntryForm(data, organisation=actor.organisation)
    follow_ups = ActionFormSet(data, prefix="actions", owners=access.members_for(actor))
    if data is not None and all([form.is_valid(), follow_ups.is_valid()]):
        recorded = actions.do_record_entry(
            acting=actor, person=person, kind=form.cleaned_data["kind"], data=form.entry_data(),
            new_actions=follow_ups.new_actions(), key_event=form.cleaned_data["key_event"],
        )
        messages.success(request, f"{recorded.get_kind_display()} recorded in {person.given_name}'s chronology.")
        return redirect("chronology", person.pk)
    if data is None:
        actions.do_record_view(acting=actor, person=person, what="record an entry")
    return render(request, "chronology/entry_form.html", {
        "person": person, "form": form, "follow_ups": follow_ups,
    }, status=400 if data is not None else 200)


def _history(actor, found, names):
    versions = _described(actor, access.versions_of(actor, found), names)
    latest = next((v for v in versions if v.is_current), None)
    return versions, latest


@login_required
def entry(request, entry_id):
    actor = request.actor
    found = access.get_entry_for(actor, entry_id)
    _, names = _names(actor)
    versions, latest = _history(actor, found, names)
    shown = next(v for v in versions if v.pk == found.pk)
    actions.do_record_view(acting=actor, person=found.person, what="entry", obj=found)
    return render(request, "chronology/entry.html", {
        "entry": shown, "versions": versions, "latest": latest,
        "is_lead": access.sees_whole_file(actor), "can_correct": shown.is_current and access.can(actor, access.CORRECT),
    })


def _correction_forms(request, found, data=None, files=None):
    actor = request.actor
    children = access.children_for_concerns(actor).exclude(pk=found.person_id).order_by("family_name", "given_name")
    kept = list(found.attachments.all())
    initial = {**EntryFields.initial_for(found), "keep_attachments": [a.pk for a in kept]}
    form = CorrectionForm(
        data, files, organisation=actor.organisation, children=children, kept=kept, initial=initial,
    )
    if not access.sees_whole_file(actor):
        del form.fields["move_to"]  # only a lead, who sees every child's file, may move an entry
    involved = InvolvementFormSet(
        data, prefix="involved", children=children, subject=found.person,
        initial=[{"person": i.person_id, "part": i.part} for i in found.involvements.all()],
    )
    marks = bodymap.MarkFormSet(data, prefix="marks", initial=[
        {"side": m.side, "region": m.region, "x": m.x, "y": m.y, "note": m.note} for m in found.marks.all()
    ])
    return form, involved, marks


def _save_correction(request, found, forms_):
    form, involved, marks = forms_
    target = None
    if form.cleaned_data.get("move_to"):
        target = access.get_child_for(request.actor, form.cleaned_data["move_to"], access.CORRECT)
        if target.pk in {person.pk for person, _ in involved.involvements()}:
            form.add_error("move_to", "This child is also named as another child involved: choose one or the other")
            return None
    return actions.do_correct_entry(
        acting=request.actor, entry=found, reason=form.cleaned_data["reason"], person=target,
        data=form.entry_data(involvements=involved.involvements(), marks=bodymap.marks_from(marks)),
        keep_attachments=form.cleaned_data["keep_attachments"], uploads=form.cleaned_data["attachments"],
    )


def _render_correction(request, found, forms_, status=200):
    not_current = status == 409 or not found.is_current
    latest = _history(request.actor, found, {})[1] if not_current else None
    form, involved, marks = forms_
    return render(request, "chronology/correction_form.html", {
        "entry": found, "form": form, "involved": involved, "marks": marks, "not_current": not_current,
        "latest": latest, "mark_errors": bodymap.error_summary(marks) if marks.is_bound else [],
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def correct_entry(request, entry_id):
    found = access.get_entry_for(request.actor, entry_id, access.CORRECT)
    if request.method == "GET":
        actions.do_record_view(acting=request.actor, person=found.person, what="correct an entry", obj=found)
        return _render_correction(request, found, _correction_forms(request, found))
    data = drafts.with_extra_rows(request.POST)
    forms_ = _correction_forms(request, found, data, request.FILES)
    if data is not request.POST:  # "Add another" without JavaScript: the same form with one more row
        return _render_correction(request, found, forms_)
    if not found.is_current:
        return _render_correction(request, found, forms_, status=409)
    valid = [each.is_valid() for each in forms_]
    if not all(valid):
        if request.FILES:
            forms_[0].add_error("attachments", CHOOSE_FILES_AGAIN)
        return _render_correction(request, found, forms_, status=400)
    try:
        corrected = _save_correction(request, found, forms_)
    except actions.NotCurrent:
        return _render_correction(request, found, forms_, status=409)
    except ValidationError as error:
        forms_[0].add_error("attachments", error)
        corrected = None
    if corrected is None:
        return _render_correction(request, found, forms_, status=400)
    messages.success(request, "The entry has been corrected. The earlier version is kept.")
    return redirect("entry", corrected.pk)


@login_required
@require_POST
def key_event(request, entry_id):
    actor = request.actor
    found = access.get_entry_for(actor, entry_id, access.RECORD)
    key = request.POST.get("key") == "yes"
    actions.do_set_key_event(acting=actor, entry=found, key=key)
    messages.success(request, "Marked as a key event." if key else "No longer marked as a key event.")
    return redirect("entry", found.pk)


@login_required
@require_http_methods(["GET", "POST"])
def complete_action(request, item_id):
    actor = request.actor
    item = access.get_action_item_for(actor, item_id)
    form = CompleteActionForm(request.POST or None)
    if request.method == "POST" and item.completed_at is None and form.is_valid():
        actions.do_complete_action(acting=actor, item=item, outcome=form.cleaned_data["outcome"])
        messages.success(request, "The action is marked as done.")
        return redirect("front_sheet", item.person_id)
    if request.method == "GET":
        actions.do_record_view(acting=actor, person=item.person, what="complete an action", obj=item)
    return render(request, "chronology/complete_action.html", {
        "item": item, "form": form,
    }, status=400 if form.errors else 200)
