"""Information sharing agreements (ICO data sharing code 2021) and an organisation's local sharing settings.

The partnership administrator keeps the agreements of their area; the safeguarding and
governance roles of a party organisation read their organisation's agreements, so that a
decision to share can cite the one it falls under.
"""

import datetime
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from jigsaw.accounts import access as accounts_access
from jigsaw.accounts.models import OrganisationKind
from jigsaw.chronology import actions as chronology_actions
from jigsaw.chronology import attachments
from jigsaw.sharing import access, actions
from jigsaw.sharing.forms.agreements import AgreementForm, SharingSettingsForm

DUE_SOON = datetime.timedelta(days=60)
DECISIONS_LISTED = 50


def review_status(agreement, today: datetime.date) -> tuple[str, str]:
    """The tag beside an agreement: its text and the GOV.UK tag colour."""
    if agreement.ended_on and agreement.ended_on <= today:
        return "Ended", "grey"
    if agreement.review_date < today:
        return "Review overdue", "red"
    if agreement.review_date <= today + DUE_SOON:
        return "Review due soon", "yellow"
    if agreement.starts_on > today:
        return "Not started yet", "blue"
    return "In force", "green"


def _require_reader(actor) -> bool:
    """Whether the actor manages agreements; 404 unless they may at least read their organisation's."""
    managing = accounts_access.can_administer(actor)
    if not managing:
        access.require(actor, access.VIEW_DECISIONS)
    return managing


@login_required
@require_GET
def agreements(request):
    managing = _require_reader(request.actor)
    today = timezone.localdate()
    found = list(access.agreements_visible_to(request.actor).prefetch_related("parties"))
    for each in found:
        each.tag_text, each.tag_colour = review_status(each, today)
    return render(request, "sharing/agreements.html", {
        "agreements": found, "managing": managing,
        "overdue": sum(each.tag_text == "Review overdue" for each in found),
        "due_soon": sum(each.tag_text == "Review due soon" for each in found),
    })


@login_required
@require_GET
def agreement(request, agreement_id):
    actor = request.actor
    found = access.get_agreement_for(actor, agreement_id)
    managing = accounts_access.can_administer(actor)
    context = {
        "agreement": found, "managing": managing, "parties": list(found.parties.all()),
        "status": review_status(found, timezone.localdate()),
    }
    if managing:
        # Counts only: the partnership sees no case content.
        by_organisation = list(access.decision_counts_under(actor, found))
        context.update(by_organisation=by_organisation, decision_count=sum(row["count"] for row in by_organisation))
    else:
        context.update(_decisions_under(actor, found))
    return render(request, "sharing/agreement.html", context)


def _decisions_under(actor, agreement) -> dict:
    under = access.decisions_visible_to(actor).filter(agreement=agreement)
    listed = list(under.order_by("-decided_at", "-id")[:DECISIONS_LISTED])
    if listed:
        actions.do_record_view(acting=actor, obj=agreement, what="decisions made under an agreement")
    return {
        "decisions": listed, "decision_count": under.count() if len(listed) == DECISIONS_LISTED else len(listed),
        "reviewing": access.can(actor, access.GOVERN),
    }


def _parties_offered(actor):
    """The organisations of the administrator's area, other than the partnership itself."""
    return (
        accounts_access.organisations_visible_to(actor)
        .filter(local_authority=actor.organisation.local_authority_id)
        .exclude(kind=OrganisationKind.PARTNERSHIP)
        .order_by("name")
    )


@login_required
@require_http_methods(["GET", "POST"])
def add_agreement(request):
    access.require_agreement_manager(request.actor)
    return _agreement_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def edit_agreement(request, agreement_id):
    found = access.get_agreement_for(request.actor, agreement_id, manage=True)
    return _agreement_form(request, found)


def _agreement_form(request, agreement):
    actor = request.actor
    form = AgreementForm(request.POST or None, request.FILES or None, organisations=_parties_offered(actor),
                         initial=AgreementForm.initial_for(agreement) if agreement else None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.do_save_agreement(
                acting=actor, values=form.values(), parties=list(form.cleaned_data["parties"]),
                agreement=agreement, document=form.cleaned_data["document"],
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, f"“{saved.title}” has been saved.")
            return redirect("agreement", saved.pk)
    upload = request.FILES.get("document")
    return render(request, "sharing/agreement_form.html", {
        "form": form, "agreement": agreement,
        "choose_file_again": attachments.safe_name(upload.name) if upload and form.errors
        and "document" not in form.errors else "",
    }, status=400 if form.errors else 200)


@login_required
@require_GET
def document(request, agreement_id):
    actor = request.actor
    found = access.get_agreement_for(actor, agreement_id)
    if not found.document_stored_name:
        raise Http404
    stored = attachments.open_for_download(
        SimpleNamespace(pk=f"agreement {found.pk}", stored_name=found.document_stored_name)
    )
    chronology_actions.do_record_export(acting=actor, person=None, obj=found, what="signed sharing agreement")
    return _private_download(stored, found.document_name, found.document_content_type)


def _private_download(stored, name: str, content_type: str) -> FileResponse:
    response = FileResponse(stored, as_attachment=True, filename=name, content_type=content_type)
    # Never let a browser render it in our origin, whatever it turns out to contain.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def sharing_settings(request, organisation_id):
    organisation = accounts_access.get_organisation_for(request.actor, organisation_id, "sharing settings")
    current = actions.settings_for(organisation)
    form = SharingSettingsForm(request.POST or None, initial=SharingSettingsForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        actions.do_update_sharing_settings(acting=request.actor, organisation=organisation, **form.values())
        messages.success(request, f"The sharing settings for {organisation.name} have been saved.")
        return redirect("organisation", organisation.pk)
    return render(request, "sharing/sharing_settings.html", {"form": form, "organisation": organisation},
                  status=400 if form.errors else 200)
