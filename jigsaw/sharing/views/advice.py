"""Advice on a draft decision (golden rule 4), and "don't assume": saying why not referring now."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from jigsaw.audit.events import record_denial
from jigsaw.guidance.sharing import DONT_ASSUME
from jigsaw.sharing import access, actions
from jigsaw.sharing.forms.advice import AskAdviceForm, GiveAdviceForm, PromptResponseForm, describe_draft
from jigsaw.sharing.templatetags.sharing import describe_prompt

PER_PAGE = 25
MINE_SHOWN = 50


def _recipient_label(actor, decision: dict) -> str:
    if decision.get("recipient"):
        found = access.recipients_for(actor).filter(pk=decision["recipient"]).first()
        return found.name if found else ""
    if decision.get("external_name"):
        extra = ", ".join(part for part in (decision.get("external_role"), decision.get("external_organisation"))
                          if part)
        return f"{decision['external_name']} ({extra})" if extra else decision["external_name"]
    return ""


def _briefing(actor, draft) -> dict:
    """What the adviser sees: the draft decision as typed, and the redacted preview, never the whole file."""
    decision = draft.decision or {}
    recipient_label = _recipient_label(actor, decision)
    agreement = access.agreements_for(actor).filter(pk=decision["agreement"]).first() \
        if decision.get("agreement") else None
    built = actions.preview(acting=actor, draft=draft,
                            entries=actions.entries_for(draft, access.shareable_entries(actor, draft.person)),
                            recipient_label=recipient_label, purpose=decision.get("purpose", ""))
    return {
        "decision": decision,
        "summary": describe_draft(decision, recipient_label=recipient_label,
                                  agreement_title=agreement.title if agreement else ""),
        "preview": built.content,
        "redaction_count": built.redaction_count,
    }


@login_required
@require_http_methods(["GET", "POST"])
def ask_advice(request, draft_id):
    actor = request.actor
    draft = access.get_draft_for(actor, draft_id)
    advisers = access.advisers_for(actor)
    emergency = bool((draft.decision or {}).get("emergency"))
    form = AskAdviceForm(request.POST or None, advisers=advisers, emergency=emergency)
    if request.method == "POST" and form.is_valid():
        try:
            asked = actions.do_ask_advice(acting=actor, draft=draft, adviser=form.cleaned_data["adviser"],
                                          question=form.cleaned_data["question"], due_at=form.due_at(),
                                          briefing=_briefing(actor, draft))
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            messages.success(request, f"Your question has been sent to {asked.adviser.full_name}. You can carry on: "
                                      "asking for advice does not stop you sharing.")
            return redirect("share_decision", draft.pk)
    return render(request, "sharing/ask_advice.html", {
        "draft": draft, "form": form, "has_advisers": advisers.exists(),
        "asked_before": draft.advice_requests.select_related("adviser").order_by("asked_at"),
    }, status=400 if form.errors else 200)


def _mark_overdue(advice_requests) -> list:
    now = timezone.now()
    rows = list(advice_requests)
    for each in rows:
        each.overdue = each.answered_at is None and each.due_at < now
    return rows


@login_required
def advice_list(request):
    """Advice I have been asked for (waiting first, by due time) and advice I asked for."""
    actor = request.actor
    if actor.organisation is None:
        raise Http404
    asked_of_me = access.advice_asked_of(actor).order_by(F("answered_at").desc(nulls_first=True), "due_at", "id")
    page = Paginator(asked_of_me, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = _mark_overdue(page.object_list)
    mine = _mark_overdue(access.advice_asked_by(actor).order_by("-asked_at", "-id")[:MINE_SHOWN])
    actions.do_record_view(acting=actor, obj=None, what="advice on sharing")
    return render(request, "sharing/advice_list.html", {
        "page": page, "mine": mine, "mine_shown": MINE_SHOWN, "can_ask": access.can(actor, access.SHARE),
    })


@login_required
@require_http_methods(["GET", "POST"])
def advice(request, advice_id):
    """The adviser reads the briefing and answers; the person who asked reads the answer."""
    actor = request.actor
    found = access.get_advice_for(actor, advice_id)
    is_adviser = found.adviser_id == actor.user.pk
    form = GiveAdviceForm(request.POST or None)
    if request.method == "POST":
        if not is_adviser:
            record_denial(actor, "sharing.advicerequest", found.pk, "give advice")
            raise Http404
        if form.is_valid():
            try:
                actions.do_give_advice(acting=actor, advice=found, answer=form.cleaned_data["answer"])
            except ValidationError as error:
                form.add_error("answer", error.message_dict.get("answer", error.messages))
            else:
                messages.success(request, f"Your advice has been sent to {found.asked_by.full_name}.")
                return redirect("advice", found.pk)
    actions.do_read_advice(acting=actor, advice=found)
    briefing = found.briefing or {}
    return render(request, "sharing/advice.html", {
        "advice": found, "is_adviser": is_adviser, "form": form, "briefing": briefing,
        "overdue": found.answered_at is None and found.due_at < timezone.now(),
        "draft_open": not is_adviser and found.draft_id is not None and found.decision_id is None,
    }, status=400 if form.errors else 200)


def _respond_to_prompt(request, source, **extra):
    form = PromptResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.do_respond_to_prompt(acting=request.actor, source=source, reason=form.cleaned_data["reason"])
        messages.success(request, f"Your reason for not referring or sharing about {source.person.full_name} has "
                                  "been recorded.")
        return redirect("concern_inbox")
    if request.method == "GET":
        actions.do_record_view(acting=request.actor, obj=source, person=source.person, what="don't assume prompt")
    return render(request, "sharing/prompt_response.html", {
        "form": form, "source": source, "prompt": describe_prompt(source), "guidance": DONT_ASSUME, **extra,
    }, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def respond_to_triage_prompt(request, entry_id):
    entry = access.get_prompt_source_for(request.actor, entry_id=entry_id)
    return _respond_to_prompt(request, entry, kind="triage")


@login_required
@require_http_methods(["GET", "POST"])
def respond_to_alert_prompt(request, alert_id):
    alert = access.get_prompt_source_for(request.actor, alert_id=alert_id)
    return _respond_to_prompt(request, alert, kind="alert")
