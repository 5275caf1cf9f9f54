"""Requests for information: asking another organisation, answering, new information, withdrawing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from jigsaw.chronology import access as chronology_access
from jigsaw.chronology import actions as chronology_actions
from jigsaw.ids import as_id
from jigsaw.people.search import Terms, search
from jigsaw.sharing import access, actions, snapshots
from jigsaw.sharing.forms.requests import (
    AddInformationForm,
    ChooseRecordForm,
    FindRecordForm,
    NoRecordForm,
    RequestForm,
)
from jigsaw.sharing.models import OPEN_REQUEST_STATUSES, RequestStatus
from jigsaw.web.templatetags.govuk import govuk_date

PER_PAGE = 25
OPEN, ANSWERED = "open", "answered"
CAN_ADD_INFORMATION = (*OPEN_REQUEST_STATUSES, RequestStatus.DECLINED)


def _mark_overdue(requests) -> list:
    now = timezone.now()
    requests = list(requests)
    for each in requests:
        each.overdue = each.is_overdue(now)
    return requests


@login_required
def received(request):
    """The organisation's requests to answer: open ones first by due date, or those answered."""
    access.require(request.actor, access.REQUEST)
    show = ANSWERED if request.GET.get("show") == ANSWERED else OPEN
    asked = access.requests_to(request.actor)
    if show == OPEN:
        asked = asked.filter(status__in=OPEN_REQUEST_STATUSES).order_by("due_at", "id")
    else:
        asked = asked.exclude(status__in=OPEN_REQUEST_STATUSES).order_by("-asked_at", "-id")
    page = Paginator(asked, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = _mark_overdue(page.object_list)
    actions.do_record_view(acting=request.actor, obj=None, what="requests for information received")
    return render(request, "sharing/requests_received.html", {
        "page": page, "show": show, "open_count": access.open_request_count(request.actor),
        "query": f"show={show}",
    })


@login_required
def made(request):
    """Requests the organisation made: what became of each, with the answer or the reasons."""
    access.require(request.actor, access.REQUEST)
    asked = access.requests_from(request.actor).prefetch_related("decisions").order_by("-asked_at", "-id")
    page = Paginator(asked, PER_PAGE).get_page(request.GET.get("page"))
    rows = _mark_overdue(page.object_list)
    answers = access.received_by(request.actor).filter(decision__request__in=rows)
    shared = {each.decision.request_id: each for each in answers.order_by("sent_at")}
    protected = snapshots.protected_people_of(each.holder_id for each in rows)
    for each in rows:
        each.disclosure = shared.get(each.pk)
        each.decline = _latest_decline(each)
        if each.decline:
            each.decline_reasons = snapshots.outward(each.holder, each.decline.person_id, each.decline.rationale,
                                                     protected=protected.get(each.holder_id, []))
    page.object_list = rows
    actions.do_record_view(acting=request.actor, obj=None, what="requests for information made")
    return render(request, "sharing/requests_made.html", {"page": page})


def _latest_decline(asked):
    """Golden rule 7: the requester is told why the holder would not share (the latest decision only)."""
    decisions = list(asked.decisions.all())  # prefetched, newest first
    if asked.status == RequestStatus.DECLINED and decisions and not decisions[0].shares:
        return decisions[0]
    return None


def _requester_person(request):
    """The requester's own record of the child, when they came from it (?person= or the form's hidden field)."""
    person_id = request.POST.get("person") if request.method == "POST" else request.GET.get("person")
    if not person_id:
        return None
    return chronology_access.get_child_for(request.actor, person_id, chronology_access.VIEW_CHRONOLOGY)


@login_required
@require_http_methods(["GET", "POST"])
def new_request(request):
    access.require(request.actor, access.REQUEST)
    person = _requester_person(request)
    holders = access.recipients_for(request.actor)
    if request.method == "GET":
        if person:
            actions.do_record_view(acting=request.actor, obj=person, person=person, what="ask for information")
        initial = RequestForm.initial_for(person) if person else {}
        holder = holders.filter(pk=as_id(request.GET.get("holder"))).first()
        if holder is not None:
            initial["holder"] = holder.pk  # from the single view's "Request information"
        form = RequestForm(initial=initial, holders=holders)
        return render(request, "sharing/new_request.html", {"form": form, "person": person})
    form = RequestForm(request.POST, holders=holders)
    if form.is_valid():
        try:
            asked = actions.do_request(acting=request.actor, data=form.request_data(requester_person=person))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Your request has been sent to {asked.holder.name}. They should answer by "
                                      f"{govuk_date(asked.due_at)}.")
            return redirect("request", asked.pk)
    return render(request, "sharing/new_request.html", {"form": form, "person": person}, status=400)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def _history(asked, *, is_holder: bool) -> list[dict]:
    """What has happened to the request, oldest first: decisions and new information."""
    events = [{"at": asked.asked_at, "kind": "asked", "by": asked.requested_by_label,
               "organisation": asked.requester.name}]
    for decision in asked.decisions.all():
        show = is_holder or not decision.shares
        reasons = decision.rationale if is_holder else snapshots.outward(asked.holder, decision.person_id,
                                                                          decision.rationale) if show else ""
        events.append({"at": decision.decided_at, "kind": "decision", "decision": decision,
                       "organisation": asked.holder.name, "show_reasons": show, "reasons": reasons})
    for update in asked.updates.all():
        events.append({"at": update.added_at, "kind": "update", "update": update, "by": update.added_by_label,
                       "organisation": asked.requester.name})
    return sorted(events, key=lambda event: event["at"])


@login_required
def request_detail(request, request_id):
    actor = request.actor
    asked = access.get_request_for(actor, request_id)
    is_holder = asked.holder_id == actor.organisation.pk
    answers = [] if is_holder else list(access.received_by(actor).filter(decision__request=asked).order_by("sent_at"))
    actions.do_record_view(acting=actor, obj=asked, person=asked.holder_person if is_holder else asked.requester_person,
                           what="request for information")
    latest_update = asked.updates.order_by("-added_at", "-id").first() if asked.status == RequestStatus.RECONSIDER \
        else None
    return render(request, "sharing/request.html", {
        "asked": asked, "is_holder": is_holder, "is_requester": not is_holder, "answers": answers,
        "history": _history(asked, is_holder=is_holder), "overdue": asked.is_overdue(),
        "latest_update": latest_update, "can_add_information": asked.status in CAN_ADD_INFORMATION,
    })


def _records_found(actor, name: str):
    found = search(chronology_access.children_for_concerns(actor), Terms(name=name))[:20]
    chronology_actions.do_record_search(acting=actor, terms={"name": name}, results=len(found))
    return found


@login_required
@require_http_methods(["GET", "POST"])
def answer(request, request_id):
    """The holder finds their own record of the child, then decides in the sharing wizard."""
    actor = request.actor
    asked = access.get_request_for(actor, request_id, access.ANSWER)
    if not asked.is_open:
        messages.info(request, "This request has already been answered or withdrawn.")
        return redirect("request", asked.pk)
    no_record = NoRecordForm(request.POST if "no_record" in request.POST else None)
    if no_record.is_bound and no_record.is_valid():
        try:
            actions.do_answer_no_record(acting=actor, request=asked, note=no_record.cleaned_data["note"])
        except actions.AlreadyAnswered:
            messages.info(request, "This request has already been answered or withdrawn.")
        else:
            messages.success(request, f"{asked.requester.name} has been told you hold no record of this child.")
        return redirect("request", asked.pk)
    chosen = ChooseRecordForm(request.POST if request.method == "POST" and not no_record.is_bound else None)
    if request.method == "POST" and chosen.is_valid():
        person = access.get_child_for(actor, chosen.cleaned_data["person"])
        draft = actions.do_start_answer(acting=actor, request=asked, person=person)
        return redirect("share_decision", draft.pk)
    finder = FindRecordForm(request.GET or None)
    found = None
    if finder.is_valid() and finder.cleaned_data["name"].strip():
        found = _records_found(actor, finder.cleaned_data["name"])
    if request.method == "GET":
        actions.do_record_view(acting=actor, obj=asked, what="answer a request for information")
    return render(request, "sharing/answer_request.html", {
        "asked": asked, "matches": access.people_matching_request(actor, asked), "finder": finder,
        "found": found, "chosen": chosen, "no_record": no_record,
    }, status=400 if chosen.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def add_information(request, request_id):
    """Golden rule 7: the requester gives new information and the holder reconsiders."""
    asked = access.get_request_for(request.actor, request_id, access.ADD_INFORMATION)
    if asked.status not in CAN_ADD_INFORMATION:
        messages.info(request, "You can add information only while a request is open or after it was declined.")
        return redirect("request", asked.pk)
    form = AddInformationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        declined = asked.status == RequestStatus.DECLINED
        try:
            actions.do_add_information(acting=request.actor, request=asked, text=form.cleaned_data["text"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Your new information has been sent to {asked.holder.name}."
                                      + (" They have been asked to reconsider their decision." if declined else ""))
            return redirect("request", asked.pk)
    return render(request, "sharing/add_information.html", {"asked": asked, "form": form},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def withdraw(request, request_id):
    asked = access.get_request_for(request.actor, request_id, access.ADD_INFORMATION)
    try:
        actions.do_withdraw_request(acting=request.actor, request=asked)
    except actions.AlreadyAnswered:
        messages.info(request, "This request had already been answered or withdrawn, so nothing has changed.")
    else:
        messages.success(request, f"Your request to {asked.holder.name} has been withdrawn.")
    return redirect("request", asked.pk)

