"""What the partnership administrator configures: local concern categories and alert thresholds."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from jigsaw.accounts import access as accounts_access
from jigsaw.chronology import access, actions
from jigsaw.chronology.settings_forms import CategoryForm, SettingsForm


@login_required
@require_http_methods(["GET", "POST"])
def categories(request):
    accounts_access.require_administrator(request.actor, "categories")
    existing = access.categories_for_administrator(request.actor)
    form = CategoryForm(request.POST or None, existing_names=[c.name for c in existing])
    if request.method == "POST" and form.is_valid():
        category = actions.do_add_category(acting=request.actor, **form.cleaned_data)
        messages.success(request, f"“{category.name}” can now be chosen when logging a concern.")
        return redirect("concern_categories")
    return render(request, "chronology/settings/categories.html", {
        "form": form, "national": [c for c in existing if not c.is_local],
        "local": [c for c in existing if c.is_local],
    }, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def chronology_settings(request, organisation_id):
    organisation = accounts_access.get_organisation_for(request.actor, organisation_id, "chronology settings")
    current = access.settings_of(organisation)
    form = SettingsForm(request.POST or None, initial=SettingsForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        actions.do_update_settings(
            acting=request.actor, organisation=organisation,
            unread_limit_working_days=form.cleaned_data["unread_limit_working_days"],
            pattern_thresholds=form.cleaned_data["pattern_thresholds"],
        )
        messages.success(request, f"The settings for {organisation.name} have been saved.")
        return redirect("organisation", organisation.pk)
    return render(request, "chronology/settings/settings.html", {"form": form, "organisation": organisation},
                  status=400 if form.errors else 200)
