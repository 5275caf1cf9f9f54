"""The review queue: possible matches a safeguarding lead or social worker confirms or rejects."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from jigsaw.linkage import access, actions
from jigsaw.linkage.comparison import REASON_TEXT, compare
from jigsaw.linkage.forms import ReviewForm, add_errors
from jigsaw.linkage.models import ReviewReason, ReviewStatus
from jigsaw.web.templatetags.govuk import govuk_date

PER_PAGE = 50
SHOWN = (ReviewStatus.OPEN, ReviewStatus.CONFIRMED, ReviewStatus.REJECTED)
IDENTITY_REVIEW = "identity review"
# Reasons that warn of two children (or a wrong NHS number), tagged orange in the queue.
WARNING_REASONS = (ReviewReason.TWIN_LIKE, ReviewReason.TWIN_OF_MEMBER, ReviewReason.NHS_CONFLICT)


@login_required
@require_GET
def queue(request):
    actor = request.actor
    access.require(actor, access.REVIEW)
    show = request.GET.get("show") if request.GET.get("show") in SHOWN else ReviewStatus.OPEN
    found = access.reviews_for(actor, show)
    found = found.order_by("created_at", "pk") if show == ReviewStatus.OPEN else found.order_by("-decided_at", "-pk")
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    actions.do_record_view(acting=actor, obj=None, what=f"match reviews: {show}")
    return render(request, "linkage/queue.html", {
        "page": page, "show": show, "tabs": [(status, ReviewStatus(status).label) for status in SHOWN],
        "query": f"show={show}", "warning_reasons": WARNING_REASONS,
    })


def _own_record(actor, review):
    return review.left if review.left.organisation_id == actor.organisation.pk else review.right


def _already_decided(request, review_id):
    decided = access.get_review_for(request.actor, review_id)
    who = decided.decided_by.full_name if decided.decided_by else decided.decided_by_label
    messages.warning(request, f"{who or 'Someone else'} has already decided this review: "
                              f"{decided.get_status_display().lower()}, on {govuk_date(decided.decided_at)}. "
                              "Your answer has not been saved.")
    return redirect("linkage_review", decided.pk)


def _decide(actor, review, form: ReviewForm):
    decide = actions.do_confirm_review if form.is_same_child() else actions.do_reject_review
    return decide(acting=actor, review=review, reason=form.cleaned_data["reason"])


@login_required
@require_http_methods(["GET", "POST"])
def review(request, review_id):
    actor = request.actor
    found = access.get_review_for(actor, review_id)
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if found.status != ReviewStatus.OPEN:
            return _already_decided(request, found.pk)
        if form.is_valid():
            try:
                decided = _decide(actor, found, form)
            except actions.AlreadyDecided:
                return _already_decided(request, found.pk)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _decided_message(decided))
                return redirect("linkage_reviews")
    else:
        actions.do_record_view(acting=actor, obj=found, person=_own_record(actor, found), what="match review",
                               purpose=IDENTITY_REVIEW)
    return render(request, "linkage/review.html", {
        "review": found, "comparison": compare(found, actor.organisation.pk), "form": form,
        "reason_text": REASON_TEXT.get(found.reason, found.get_reason_display()),
        "is_open": found.status == ReviewStatus.OPEN,
    }, status=400 if form.errors else 200)


def _decided_message(review) -> str:
    names = f"{review.left.full_name} ({review.left.organisation.name}) and " \
            f"{review.right.full_name} ({review.right.organisation.name})"
    if review.status == ReviewStatus.CONFIRMED:
        return f"You confirmed that {names} are the same child. Their records are now linked."
    return f"You recorded that {names} are different children. They will not be suggested as a match again."
