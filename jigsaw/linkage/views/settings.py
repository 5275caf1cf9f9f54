"""Linkage settings for the partnership administrator: thresholds, who takes part, models and counts.

No records are shown here: the administrator sees how linkage is set up and how it is going, never
which children it linked.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from jigsaw.linkage import access, actions
from jigsaw.linkage.forms import SettingsForm, add_errors

SHOWN_METRICS = {
    "records": "Records in the partnership",
    "records_trained_on": "Records trained on",
    "probability_two_random_records_match": "Chance two records picked at random are one child",
    "seconds": "Training took (seconds)",
}


def _metrics(version) -> list[tuple[str, object]]:
    metrics = version.metrics if isinstance(version.metrics, dict) else {}
    return [(label, metrics[key]) for key, label in SHOWN_METRICS.items() if key in metrics]


@login_required
@require_http_methods(["GET", "POST"])
def linkage_settings(request):
    actor = request.actor
    current = access.settings_for(actor)
    form = SettingsForm(request.POST if request.method == "POST" else None, initial=SettingsForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_settings(acting=actor, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "The linkage settings have been saved. They apply to records added or "
                                      "changed from now on, and to the next full run.")
            return redirect("linkage_settings")
    versions = [(version, _metrics(version)) for version in access.model_versions_for(actor)]
    if request.method == "GET":
        actions.do_record_view(acting=actor, obj=current, what="linkage settings")
    return render(request, "linkage/settings.html", {
        "form": form, "settings": current, "versions": versions, "counts": access.review_counts_for(actor),
    }, status=400 if form.errors else 200)
