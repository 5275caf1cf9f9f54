"""Sharing from a child's file: choose entries, decide with the golden rules, preview, check, send;
then what was sent, its receipt and chasing, and the decision record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from jigsaw.chronology import actions as chronology_actions
from jigsaw.chronology import filters, pdf
from jigsaw.guidance import sharing as rules
from jigsaw.guidance.sharing import Outcome
from jigsaw.sharing import access, actions
from jigsaw.sharing.forms.share import (
    ChooseEntriesForm,
    DecisionForm,
    HandRedactionForm,
    answer_rows,
    form_data_from,
    initial_for,
    saved_from_post,
    starting_kind,
)

SHOWN_TO_CHOOSE = 200
PER_PAGE = 50


# Choosing entries -------------------------------------------------------------------------------


def _choosable(actor, person, query):
    """The child's current entries, newest first, narrowed by the date and category filter."""
    categories = filters.categories_known_to(actor.organisation)
    data = query.copy()
    data.pop("kind", None)
    data.pop("draft", None)
    form = filters.ChronologyFilterForm(data or None, prefix="filter", categories=categories)
    listed = list(filters.apply(access.shareable_entries(actor, person), form)[: SHOWN_TO_CHOOSE + 1])
    return form, listed, filters.names_of(categories)


def _draft_being_changed(actor, query):
    """`?draft=`: choosing again for a draft already started (a request being answered, a change of mind)."""
    if not query.get("draft"):
        return None
    return access.get_draft_for(actor, query["draft"])


def _save_choice(actor, person, draft, chosen: dict):
    if draft is None:
        draft = actions.do_start_draft(acting=actor, person=person, kind=chosen["kind"], entry_ids=chosen["entries"])
    else:
        actions.do_update_draft(acting=actor, draft=draft, entry_ids=chosen["entries"])
    return actions.do_update_draft(acting=actor, draft=draft, everything=chosen["everything"])


@login_required
@require_http_methods(["GET", "POST"])
def choose_entries(request, person_id):
    actor = request.actor
    person = access.get_child_for(actor, person_id)
    draft = _draft_being_changed(actor, request.GET)
    if draft and draft.person_id != person.pk:
        return redirect(f"{reverse('share_choose', args=[draft.person_id])}?draft={draft.pk}")
    kind = draft.kind if draft else starting_kind(request.GET.get("kind"))
    form = ChooseEntriesForm(request.POST if request.method == "POST" else None,
                             initial={"kind": kind, "everything": draft.everything if draft else False})
    if form.is_bound and form.is_valid():
        return redirect("share_decision", _save_choice(actor, person, draft, form.cleaned_data).pk)
    filter_form, listed, names = _choosable(actor, person, request.GET)
    for entry in listed:
        entry.category_names = [names.get(code, code) for code in entry.categories]
    actions.do_record_view(acting=actor, obj=person, person=person, what="choose entries to share")
    chosen = request.POST.getlist("entries") if form.is_bound else (draft.entry_ids if draft else [])
    return render(request, "sharing/choose_entries.html", {
        "person": person, "form": form, "filter_form": filter_form, "kind": kind, "draft": draft,
        "entries": listed[:SHOWN_TO_CHOOSE], "more": len(listed) > SHOWN_TO_CHOOSE, "shown": SHOWN_TO_CHOOSE,
        "chosen": {str(pk) for pk in chosen},
        "filtering": filter_form.is_filtering(), "kind_label": rules.DisclosureKind(kind).label,
    }, status=400 if form.is_bound else 200)


# The decision (golden rules, in order) -----------------------------------------------------------


def _decision_form(actor, draft, **kwargs) -> DecisionForm:
    return DecisionForm(recipients=access.recipients_for(actor), agreements=access.agreements_for(actor),
                        everything=draft.everything, **kwargs)


def _saved_decision(actor, draft) -> DecisionForm:
    """The decision as last typed, checked again: recipients and agreements only from the actor's lists."""
    return _decision_form(actor, draft, data=form_data_from(draft.decision or {}))


def _entry_count(actor, draft) -> int:
    shareable = access.shareable_entries(actor, draft.person)
    return (shareable if draft.everything else shareable.filter(pk__in=draft.entry_ids)).count()


def _render_decision(request, draft, form, status=200):
    return render(request, "sharing/decision_form.html", {
        "draft": draft, "person": draft.person, "form": form, "rules": {r.number: r for r in rules.GOLDEN_RULES},
        "duty_to_share": rules.DUTY_TO_SHARE, "entry_count": _entry_count(request.actor, draft),
        "advice": list(access.advice_asked_by(request.actor).filter(draft=draft)),
        "asked": draft.request, "updates": list(draft.request.updates.all()) if draft.request_id else [],
        "earlier": draft.reconsiders,
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def decision_form(request, draft_id):
    actor = request.actor
    draft = access.get_draft_for(actor, draft_id)
    if request.method == "GET":
        initial = form_data_from(draft.decision) if draft.decision else initial_for(draft, actor.organisation)
        actions.do_record_view(acting=actor, obj=draft.person, person=draft.person, what="decide whether to share")
        return _render_decision(request, draft, _decision_form(actor, draft, initial=initial))
    actions.do_update_draft(acting=actor, draft=draft, decision=saved_from_post(request.POST))
    form = _decision_form(actor, draft, data=request.POST)
    if not form.check(entry_count=_entry_count(actor, draft)):
        return _render_decision(request, draft, form, status=400)
    return redirect("share_preview" if form.cleaned_data["outcome"] == Outcome.SHARE else "share_check", draft.pk)


# Preview (exactly what the recipient gets) and hand redactions -----------------------------------


def _recipient_label(data: actions.DecisionData) -> str:
    if data.recipient is not None:
        return data.recipient.name
    where = f", {data.external_organisation}" if data.external_organisation else ""
    return f"{data.external_name} ({data.external_role}{where})" if data.external_name else ""


def _built(actor, draft, data: actions.DecisionData):
    entries = actions.entries_for(draft, access.shareable_entries(actor, draft.person))
    return actions.preview(acting=actor, draft=draft, entries=entries, recipient_label=_recipient_label(data),
                           purpose=data.purpose)


def _counts(built) -> dict:
    automatic = sum(r["count"] for r in built.redactions if r["kind"] != "manual")
    return {"automatic": automatic, "by_hand": built.redaction_count - automatic, "total": built.redaction_count}


@login_required
@require_http_methods(["GET", "POST"])
def preview(request, draft_id):
    actor = request.actor
    draft = access.get_draft_for(actor, draft_id)
    form = HandRedactionForm(existing=draft.manual_redactions)
    if "remove" in request.POST:
        kept = [r for i, r in enumerate(draft.manual_redactions) if str(i) != request.POST["remove"]]
        actions.do_update_draft(acting=actor, draft=draft, manual_redactions=kept)
        messages.success(request, "The words have been put back.")
        return redirect("share_preview", draft.pk)
    if request.method == "POST":
        form = HandRedactionForm(request.POST, existing=draft.manual_redactions)
        if form.is_valid():
            actions.do_update_draft(acting=actor, draft=draft, manual_redactions=form.added())
            messages.success(request, f"“{form.cleaned_data['phrase'].strip()}” will be removed everywhere it "
                                      "appears.")
            return redirect("share_preview", draft.pk)
    saved = _saved_decision(actor, draft)
    saved.is_valid()
    built = _built(actor, draft, saved.decision_data())
    actions.do_record_view(acting=actor, obj=draft.person, person=draft.person, what="preview of a share")
    return render(request, "sharing/preview.html", {
        "draft": draft, "person": draft.person, "form": form, "content": built.content, "counts": _counts(built),
        "redaction_count": built.redaction_count, "hand_redactions": list(enumerate(draft.manual_redactions)),
    }, status=400 if form.is_bound else 200)


# Check your answers, and send -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def check_answers(request, draft_id):
    actor = request.actor
    draft = access.get_draft_for(actor, draft_id)
    form = _saved_decision(actor, draft)
    complete = form.check(entry_count=_entry_count(actor, draft))
    if request.method == "POST":
        return _decide(request, draft, form) if complete else _render_decision(request, draft, form, status=400)
    data = form.decision_data()
    built = _built(actor, draft, data) if data.outcome == Outcome.SHARE else None
    actions.do_record_view(acting=actor, obj=draft.person, person=draft.person, what="check a share")
    return render(request, "sharing/check_answers.html", {
        "draft": draft, "person": draft.person, "data": data, "rows": answer_rows(form, data),
        "recipient": data.recipient.name if data.recipient else data.external_name,
        "counts": _counts(built) if built else None, "entry_count": len(built.content["items"]) if built else 0,
        "problems": [(name, message) for name, errors in form.errors.items() for message in errors],
    })


def _decide(request, draft, form):
    actor = request.actor
    try:
        sent = actions.do_decide(acting=actor, draft=draft, data=form.decision_data(),
                                 shareable=access.shareable_entries(actor, draft.person))
    except ValidationError as error:
        for name, found in getattr(error, "error_dict", {None: error.error_list}).items():
            form.add_error(name if name in form.fields else None, found)
        return _render_decision(request, draft, form, status=400)
    except actions.AlreadyAnswered:
        messages.error(request, "Someone else in your organisation answered this request while you were working on "
                                "it. Nothing has been sent. Read their answer before doing anything more.")
        return redirect("request", draft.request_id)
    decision = sent.decision
    if sent.disclosure is None:
        messages.success(request, f"Your decision not to share with {decision.recipient_label} has been recorded.")
        return redirect("decision", decision.pk)
    if decision.is_external:
        return _sent_external(request, sent)
    messages.success(request, f"Sent to {decision.recipient_label}. We will tell you when they open it.")
    return redirect("disclosure", sent.disclosure.pk)


def _sent_external(request, sent):
    link = sent.disclosure.external_link
    response = render(request, "sharing/sent_external.html", {
        "disclosure": sent.disclosure, "decision": sent.decision, "link": link,
        "code": f"{sent.link_code[:3]} {sent.link_code[3:]}",
    })
    response["Cache-Control"] = "no-store"  # the code is shown once and must not be kept by the browser
    return response


@login_required
@require_POST
def discard(request, draft_id):
    draft = access.get_draft_for(request.actor, draft_id)
    person_id = draft.person_id
    actions.do_discard_draft(acting=request.actor, draft=draft)
    messages.info(request, "The share has been cancelled. Nothing was sent.")
    return redirect("chronology", person_id)


# What was sent ----------------------------------------------------------------------------------


STATUSES = {"sent": "Sent, not opened", "opened": "Opened, not acknowledged", "acknowledged": "Acknowledged",
            "overdue": "Overdue"}


def _status_filter(status: str, now) -> Q:
    return {
        "sent": Q(opened_at__isnull=True, acknowledged_at__isnull=True),
        "opened": Q(opened_at__isnull=False, acknowledged_at__isnull=True),
        "acknowledged": Q(acknowledged_at__isnull=False),
        "overdue": Q(acknowledged_at__isnull=True, due_at__lt=now),
    }[status]


@login_required
def sent(request):
    actor = request.actor
    if not access.can(actor, access.GOVERN):
        access.require(actor, access.SHARE)
    now, status = timezone.now(), request.GET.get("status", "")
    found = access.sent_by(actor)
    if status in STATUSES:
        found = found.filter(_status_filter(status, now))
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    for each in page:
        each.overdue = each.is_overdue(now)
    actions.do_record_view(acting=actor, obj=None, what="information we have shared")
    return render(request, "sharing/sent.html", {
        "page": page, "status": status if status in STATUSES else "", "statuses": STATUSES,
        "status_label": STATUSES.get(status, ""),
        "query": f"status={status}" if status in STATUSES else "", "can_share": access.can(actor, access.SHARE),
    })


def _unsent_corrections(actor, disclosure) -> list:
    """Entries corrected since this was sent whose corrected version has not gone out in an update yet."""
    corrected = list(access.corrected_since_sent(actor, disclosure))
    if not corrected:
        return []
    current = access.shareable_entries(actor, disclosure.person).filter(thread__in={e.thread for e in corrected})
    already = {item.entry_id for update in access.later_updates_of(actor, disclosure) for item in update.items.all()}
    waiting = {entry.thread for entry in current if entry.pk not in already}
    return [entry for entry in corrected if entry.thread in waiting]


@login_required
def disclosure(request, disclosure_id):
    actor = request.actor
    found = access.get_disclosure_for(actor, disclosure_id, access.SHARE)
    snapshot = access.snapshot_of(actor, found)
    actions.do_record_view(acting=actor, obj=found, person=found.person, what="information we shared")
    return render(request, "sharing/disclosure.html", {
        "disclosure": found, "decision": found.decision, "content": snapshot.content,
        "redaction_count": snapshot.redaction_count, "corrected": _unsent_corrections(actor, found),
        "updates": list(access.later_updates_of(actor, found)), "overdue": found.is_overdue(),
        "link": getattr(found, "external_link", None) if found.decision.is_external else None,
        "now": timezone.now(),
    })


def _back(request, found):
    return redirect("disclosures_sent") if request.POST.get("next") == "sent" else redirect("disclosure", found.pk)


@login_required
@require_POST
def chase(request, disclosure_id):
    actor = request.actor
    found = access.get_disclosure_for(actor, disclosure_id, access.SHARE)
    if found.recipient_id is None:
        messages.info(request, f"{found.recipient_label} is outside the partnership: phone or e-mail them to chase.")
        return _back(request, found)
    try:
        actions.do_chase(acting=actor, disclosure=found)
    except actions.TooSoon:
        messages.info(request, "You chased less than an hour ago. You can chase again an hour after your last "
                               "reminder.")
    except actions.AlreadyAcknowledged:
        messages.info(request, f"{found.recipient_label} has already acknowledged this: there is no need to chase.")
    else:
        messages.success(request, f"{found.recipient_label} has been reminded to acknowledge what you sent.")
    return _back(request, found)


@login_required
@require_POST
def send_update(request, disclosure_id):
    actor = request.actor
    found = access.get_disclosure_for(actor, disclosure_id, access.SHARE)
    if found.decision.is_external or not _unsent_corrections(actor, found):
        messages.info(request, "There are no corrections to send." if not found.decision.is_external else
                      "Corrections cannot be sent to a recipient outside the partnership this way: share the "
                      "corrected entries again from the child's chronology.")
        return redirect("disclosure", found.pk)
    try:
        update = actions.do_send_update(acting=actor, disclosure=found,
                                        shareable=access.shareable_entries(actor, found.person))
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
        return redirect("disclosure", found.pk)
    messages.success(request, f"The corrections have been sent to {update.recipient_label}.")
    return redirect("disclosure", update.pk)


@login_required
def disclosure_pdf(request, disclosure_id):
    actor = request.actor
    found = access.get_disclosure_for(actor, disclosure_id, access.SHARE)
    snapshot = access.snapshot_of(actor, found)
    chronology_actions.do_record_export(acting=actor, person=found.person, what="disclosure PDF", obj=found)
    return pdf.render_pdf(request, "sharing/disclosure_pdf.html", {
        "disclosure": found, "content": snapshot.content, "redaction_count": snapshot.redaction_count,
        "watermark": None,
    }, f"disclosure-{found.pk}-{timezone.localdate(found.sent_at):%Y-%m-%d}.pdf")


# Decisions (golden rule 7) -----------------------------------------------------------------------


@login_required
def decisions(request):
    actor = request.actor
    access.require(actor, access.VIEW_DECISIONS)
    outcome = request.GET.get("outcome", "")
    found = access.decisions_visible_to(actor)
    if outcome in Outcome.values:
        found = found.filter(outcome=outcome)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    actions.do_record_view(acting=actor, obj=None, what="sharing decisions")
    return render(request, "sharing/decisions.html", {
        "page": page, "outcome": outcome if outcome in Outcome.values else "", "outcomes": Outcome.choices,
        "query": f"outcome={outcome}" if outcome in Outcome.values else "",
    })


@login_required
def decision(request, decision_id):
    """The whole record of one decision, laid out by golden rule. No entry content: governance reads it."""
    actor = request.actor
    found = access.get_decision_for(actor, decision_id)
    actions.do_record_view(acting=actor, obj=found, person=found.person, what="sharing decision")
    return render(request, "sharing/decision.html", {
        "decision": found, "others": list(found.others.all()),
        "advice": list(found.advice.select_related("adviser")),
        "disclosures": list(found.disclosures.select_related("recipient")),
        "reconsidered_by": list(found.reconsidered_by.all()), "rules": {r.number: r for r in rules.GOLDEN_RULES},
        "can_open_disclosures": access.can(actor, access.SHARE), "can_see_requests": access.can(actor, access.REQUEST),
    })
