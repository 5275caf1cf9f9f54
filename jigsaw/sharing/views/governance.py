"""Governance review for the data protection officer and Caldicott guardian.

They look at their organisation's decisions that carry most risk (shared without consent,
not shared, emergency, outside any agreement), sample them, record a finding and sign off,
and count them per month for the partnership's annual report. They see each decision and
its reasons, never the entries that were shared.
"""

import csv
import datetime
import secrets
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from jigsaw.accounts.roles import Role
from jigsaw.chronology import actions as chronology_actions
from jigsaw.guidance.sharing import Outcome
from jigsaw.sharing import access, actions
from jigsaw.sharing.forms.governance import QueueFilterForm, ReportForm, ReviewForm, SampleForm, month_starts
from jigsaw.sharing.models import Finding

PER_PAGE = 50
REPORT_COLUMNS = (
    ("total", "Decisions"),
    ("shared", "Shared"),
    ("withheld", "Not shared"),
    ("without_consent", "Shared without consent"),
    ("emergency", "Emergency"),
    ("no_agreement", "Outside any agreement"),
    ("reviewed", "Reviewed"),
    ("not_sound", "Found not sound"),
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _next_month(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def flags_of(decision) -> list[str]:
    """Why governance looks at this decision, in the words of the queue's filters."""
    flags = []
    if decision.shares and decision.without_consent:
        flags.append(access.REVIEW_FLAGS["without_consent"])
    if not decision.shares:
        flags.append(access.REVIEW_FLAGS["withheld"])
    if decision.emergency:
        flags.append(access.REVIEW_FLAGS["emergency"])
    if decision.shares and decision.agreement_id is None:
        flags.append(access.REVIEW_FLAGS["no_agreement"])
    return flags


# The queue -----------------------------------------------------------------------------------


def _filtered(actor, chosen: dict):
    found = access.for_review(actor, flags=chosen["flags"] or None)
    if chosen["unreviewed"]:
        found = found.filter(reviewed=False)
    if chosen["month"]:
        found = found.filter(decided_at__gte=_local_midnight(chosen["month"]),
                             decided_at__lt=_local_midnight(_next_month(chosen["month"])))
    return found.order_by("-decided_at", "-id")


def _filter_pairs(chosen: dict) -> list[tuple[str, str]]:
    """The filters in force, as query-string pairs: for page links and the sample form."""
    pairs = [("filtered", "1")] + [("flags", flag) for flag in chosen["flags"]]
    if chosen["unreviewed"]:
        pairs.append(("unreviewed", "on"))
    if chosen["month"]:
        pairs.append(("month", f"{chosen['month']:%Y-%m}"))
    return pairs


def _sample(request, found):
    """Decisions picked at random from those not yet reviewed, the way file audits sample files."""
    if "sample" not in request.GET:
        return SampleForm(), None
    form = SampleForm(request.GET)
    if not form.is_valid():
        return form, None
    ids = list(found.filter(reviewed=False).values_list("pk", flat=True))
    picked = secrets.SystemRandom().sample(ids, min(form.cleaned_data["sample"], len(ids)))
    return form, list(found.filter(pk__in=picked))


@login_required
@require_GET
def queue(request):
    actor = request.actor
    access.require(actor, access.GOVERN)
    filters = QueueFilterForm(request.GET)
    chosen = filters.chosen()
    found = _filtered(actor, chosen)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    sample_form, sample = _sample(request, found)
    actions.do_record_view(acting=actor, obj=None, what="governance review queue")
    pairs = _filter_pairs(chosen)
    return render(request, "sharing/governance.html", {
        "filters": filters, "chosen": chosen, "page": page, "rows": [(d, flags_of(d)) for d in page],
        "sample_form": sample_form, "sample": [(d, flags_of(d)) for d in sample] if sample is not None else None,
        "hidden": pairs, "query": urlencode(pairs),
    }, status=400 if sample_form.errors else 200)


# Reviewing one decision ----------------------------------------------------------------------


def _role_label(role: str) -> str:
    return Role(role).label if role in Role.values else role


def _already_reviewed(actor, review) -> str:
    if review is not None and review.reviewer_id == getattr(actor.user, "pk", None):
        return "You have already reviewed this decision."
    return "Someone else has reviewed this decision. Their finding is below."


@login_required
@require_http_methods(["GET", "POST"])
def review(request, decision_id):
    actor = request.actor
    decision = access.get_decision_for_review(actor, decision_id)
    existing = access.reviews_of(actor).filter(decision=decision).first()
    form = ReviewForm(request.POST or None) if existing is None else None
    if request.method == "POST":
        if existing is not None:
            messages.info(request, _already_reviewed(actor, existing))
            return redirect("governance_review", decision.pk)
        if form.is_valid():
            try:
                actions.do_review(acting=actor, decision=decision, **form.cleaned_data)
            except actions.AlreadyReviewed:
                messages.info(request, "Someone else has reviewed this decision. Their finding is below.")
                return redirect("governance_review", decision.pk)
            except ValidationError as error:
                for name, problems in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, problems)
            else:
                messages.success(request, "Your review has been recorded and signed off.")
                return redirect("governance_review", decision.pk)
    actions.do_record_view(acting=actor, obj=decision, person=decision.person,
                           what="governance review of a sharing decision")
    return render(request, "sharing/governance_review.html", {
        "decision": decision, "flags": flags_of(decision), "review": existing, "form": form,
        "reviewer_role": _role_label(existing.reviewer_role) if existing else "",
        "others": list(decision.others.all()),
        "disclosures": list(access.sent_by(actor).filter(decision=decision).annotate(item_count=Count("items"))
                            .order_by("sent_at", "id")),
    }, status=400 if form is not None and form.errors else 200)


# The report ----------------------------------------------------------------------------------


def monthly_counts(decisions, start: datetime.datetime, end: datetime.datetime) -> dict:
    """Counts per month for the annual report, in one query: {first day of the month: {column: count}}."""
    rows = (
        decisions.filter(decided_at__gte=start, decided_at__lt=end)
        .annotate(month=TruncMonth("decided_at"))
        .values("month")
        .annotate(
            total=Count("id"),
            shared=Count("id", filter=Q(outcome=Outcome.SHARE)),
            withheld=Count("id", filter=Q(outcome=Outcome.WITHHOLD)),
            without_consent=Count("id", filter=access.flag_filter("without_consent")),
            emergency=Count("id", filter=Q(emergency=True)),
            no_agreement=Count("id", filter=access.flag_filter("no_agreement")),
            reviewed=Count("review"),
            not_sound=Count("review", filter=Q(review__finding=Finding.NOT_SOUND)),
        )
        .order_by("month")
    )
    return {timezone.localtime(row.pop("month")).date(): row for row in rows}


def _report(actor, query) -> dict:
    decisions = access.decisions_visible_to(actor)
    years = [when.year for when in decisions.datetimes("decided_at", "year", order="DESC")]
    form = ReportForm(query, years=years)
    year = form.chosen_year()
    if year:
        months = [datetime.date(year, month, 1) for month in range(1, 13)]
    else:
        months = list(reversed(month_starts(timezone.localdate(), 12)))
    counts = monthly_counts(decisions, _local_midnight(months[0]), _local_midnight(_next_month(months[-1])))
    empty = dict.fromkeys((name for name, _ in REPORT_COLUMNS), 0)
    rows = [(month, [counts.get(month, empty)[name] for name, _ in REPORT_COLUMNS]) for month in months]
    totals = [sum(values[i] for _, values in rows) for i in range(len(REPORT_COLUMNS))]
    period = f"{year}" if year else f"{months[0]:%B %Y} to {months[-1]:%B %Y}"
    return {"form": form, "year": year, "rows": rows, "totals": totals, "period": period,
            "columns": [label for _, label in REPORT_COLUMNS]}


@login_required
@require_GET
def report(request):
    access.require(request.actor, access.GOVERN)
    context = _report(request.actor, request.GET)
    context["csv_query"] = urlencode({"year": context["year"]}) if context["year"] else ""
    return render(request, "sharing/governance_report.html", context)


def csv_cell(value) -> str:
    """A cell a spreadsheet will never run as a formula."""
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


@login_required
@require_GET
def report_csv(request):
    actor = request.actor
    access.require(actor, access.GOVERN)
    context = _report(actor, request.GET)
    chronology_actions.do_record_export(acting=actor, person=None,
                                        what=f"governance report CSV, {context['period']}")
    name = f"sharing-decisions-{context['year'] or 'last-12-months'}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow([csv_cell(cell) for cell in ("Organisation", "Month", *context["columns"])])
    organisation = actor.organisation.name
    for month, values in context["rows"]:
        writer.writerow([csv_cell(cell) for cell in (organisation, f"{month:%B %Y}", *values)])
    writer.writerow([csv_cell(cell) for cell in (organisation, "Total", *context["totals"])])
    return response
