"""File audits: a safeguarding lead samples files, checks each against the checklist, and reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from jigsaw.accounts.roles import CASE_ROLES
from jigsaw.chronology import access
from jigsaw.chronology import audits as audit_actions
from jigsaw.chronology.audit_forms import CompleteAuditForm, FileReviewForm, StartAuditForm
from jigsaw.chronology.models.audits import SampleMethod
from jigsaw.chronology.pdf import render_pdf
from jigsaw.people import actions as people_actions
from jigsaw.people.search import Terms, search

AUDITS_PER_PAGE = 25
FILES_LISTED = 200


@login_required
def audits(request):
    access.require(request.actor, access.AUDIT_FILES)
    found = access.audits_visible_to(request.actor).annotate(
        files=Count("items"), done=Count("items", filter=Q(items__completed_at__isnull=False))
    ).order_by("-created_at", "-id")
    page = Paginator(found, AUDITS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "chronology/audits/audits.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def start_audit(request):
    actor = request.actor
    access.require(actor, access.AUDIT_FILES)
    files = access.files_for_audit(actor)
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    initial = {"method": SampleMethod.CHOSEN} if "q" in request.GET else None
    form = StartAuditForm(request.POST or None, files=files, initial=initial)
    if request.method == "POST" and form.is_valid():
        started = _start(request, form)
        if started is not None:
            return redirect("file_audit", started.pk)
    listed = list(search(files, Terms(name=query))[:FILES_LISTED])
    if query:
        people_actions.do_record_search(acting=actor, terms={"name": query, "page": "file audit"},
                                        results=len(listed))
    return render(request, "chronology/audits/start.html", {
        "form": form, "query": query, "listed": listed, "available": files.count(),
        "chosen": {str(pk) for pk in form["people"].value() or ()}, "limit": FILES_LISTED,
    })


def _start(request, form):
    data = form.cleaned_data
    chosen = data["method"] == SampleMethod.CHOSEN
    try:
        started = audit_actions.do_start_audit(
            acting=request.actor, title=data["title"],
            people=data["people"] if chosen else None, count=None if chosen else data["count"],
        )
    except audit_actions.NoFiles:
        form.add_error(None, "There are no files to audit yet: no child has an entry in their chronology")
        return None
    sampled = started.items.count()
    if data["method"] == SampleMethod.RANDOM and sampled < data["count"]:
        messages.info(request, f"Your organisation holds {sampled} files, so all of them are in this audit.")
    return started


@login_required
@require_http_methods(["GET", "POST"])
def audit(request, audit_id):
    actor = request.actor
    found = access.get_audit_for(actor, audit_id)
    form = CompleteAuditForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            audit_actions.do_complete_audit(acting=actor, audit=found, summary=form.cleaned_data["summary"])
        except audit_actions.FilesNotDone:
            form.add_error(None, "Check every file before you complete the audit")
        except audit_actions.AuditClosed:
            messages.info(request, "This audit had already been completed.")
            return redirect("file_audit", found.pk)
        else:
            messages.success(request, "The audit is complete. Its report is below.")
            return redirect("file_audit", found.pk)
    report = _report(actor, found)
    audit_actions.do_record_audit_view(acting=actor, audit=found)
    return render(request, "chronology/audits/audit.html", {**report, "form": form})


def _report(actor, audit) -> dict:
    items = list(access.audit_items_of(actor, audit))
    done = [item for item in items if item.completed_at]
    return {
        "audit": audit,
        "items": items,
        "done": len(done),
        "tally": audit_actions.tally(done),
        "reports": [(item, audit_actions.answers_of(item)) for item in done],
        "follow_ups": [(item, action) for item in items for action in item.action_items.all()],
    }


@login_required
def audit_pdf(request, audit_id):
    actor = request.actor
    found = access.get_audit_for(actor, audit_id)
    report = _report(actor, found)
    audit_actions.do_record_audit_export(acting=actor, audit=found)
    return render_pdf(request, "chronology/audits/report_pdf.html", report, filename=f"file-audit-{found.pk}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def audit_item(request, audit_id, item_id):
    actor = request.actor
    found = access.get_audit_for(actor, audit_id)
    item = access.get_audit_item_for(actor, found, item_id)
    form = FileReviewForm(request.POST or None, owners=access.members_for(actor, CASE_ROLES),
                          initial=FileReviewForm.initial_for(item))
    if request.method == "POST" and found.completed_at is not None:
        messages.info(request, "This audit has been completed, so its answers can no longer change.")
        return redirect("file_audit", found.pk)
    if request.method == "POST" and form.is_valid():
        try:
            audit_actions.do_review_file(acting=actor, item=item, answers=form.answers(),
                                         findings=form.cleaned_data["findings"], new_actions=form.new_actions())
        except audit_actions.AuditClosed:
            messages.info(request, "This audit has been completed, so its answers can no longer change.")
            return redirect("file_audit", found.pk)
        messages.success(request, f"Your check of {item.person.full_name}'s file has been saved.")
        following = audit_actions.next_to_check(found, item)
        if following is not None:
            return redirect("file_audit_item", found.pk, following.pk)
        return redirect("file_audit", found.pk)
    audit_actions.do_record_item_view(acting=actor, item=item)
    return render(request, "chronology/audits/item.html", {
        "audit": found, "item": item, "form": form, "answers": audit_actions.answers_of(item),
        "actions": item.action_items.select_related("owner").order_by("due", "id"),
        "facts": _facts(actor, item.person),
    })


def _facts(actor, person):
    return audit_actions.file_facts(
        access.chronology_of(actor, person),
        access.inbox_of(actor).filter(person=person),
        access.open_actions_of(actor, person),
    )
