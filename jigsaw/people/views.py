from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from jigsaw.audit import access as audit_access
from jigsaw.people import access, actions
from jigsaw.people.family import family_of
from jigsaw.people.forms import PersonForm, RelationshipForm, SearchForm
from jigsaw.people.search import Terms, search

RESULTS_PER_PAGE = 25


@login_required
def search_people(request):
    access.require(request.actor, access.VIEW)
    form = SearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        terms = Terms(**form.cleaned_data)
        if terms.is_empty():
            form.add_error(None, "Enter a name, date of birth, NHS number or unique pupil number")
        else:
            found = search(access.visible_to(request.actor), terms).select_related("school")
            page = Paginator(found, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
            actions.do_record_search(acting=request.actor, terms=terms.as_dict(),
                                     results=page.paginator.count)
    return render(request, "people/search.html", {
        "form": form, "page": page, "can_add": access.can(request.actor, access.CREATE),
    })


@login_required
def person(request, person_id):
    found = access.get_person_for(request.actor, person_id, access.VIEW)
    actions.do_record_view(acting=request.actor, person=found)
    can_see_family = access.can(request.actor, access.VIEW_FAMILY)
    return render(request, "people/person.html", {
        "person": found,
        "family": family_of(found) if can_see_family else None,
        "can_edit": access.can(request.actor, access.EDIT),
        "can_see_access_log": access.can(request.actor, access.ACCESS_LOG),
    })


@login_required
@require_http_methods(["GET", "POST"])
def add_person(request):
    access.require(request.actor, access.CREATE)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = actions.do_create_person(acting=request.actor, data=form.cleaned_data)
        messages.success(request, f"{created.full_name} has been added.")
        return redirect("person", created.pk)
    return render(request, "people/person_form.html", {"form": form, "person": None})


@login_required
@require_http_methods(["GET", "POST"])
def edit_person(request, person_id):
    found = access.get_person_for(request.actor, person_id, access.EDIT)
    form = PersonForm(request.POST or None, initial=PersonForm.initial_for(found))
    if request.method == "POST" and form.is_valid():
        change = actions.do_update_person(acting=request.actor, person=found, data=form.cleaned_data)
        messages.success(request, "Your changes have been saved." if change else "Nothing was changed.")
        return redirect("person", found.pk)
    actions.do_record_view(acting=request.actor, person=found, what="edit")
    return render(request, "people/person_form.html", {"form": form, "person": found})


@login_required
def history(request, person_id):
    found = access.get_person_for(request.actor, person_id, access.EDIT)
    actions.do_record_view(acting=request.actor, person=found, what="change history")
    return render(request, "people/history.html", {
        "person": found, "changes": access.changes_to(request.actor, found),
    })


@login_required
def access_log(request, person_id):
    found = access.get_person_for(request.actor, person_id, access.ACCESS_LOG)
    actions.do_record_view(acting=request.actor, person=found, what="who has looked")
    events = audit_access.events_about(request.actor, found)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "people/access_log.html", {"person": found, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def add_relationship(request, person_id):
    found = access.get_person_for(request.actor, person_id, access.EDIT)
    likely = access.visible_to(request.actor, access.EDIT).exclude(pk=found.pk)
    query = Q(family_name__iexact=found.family_name)
    if found.postcode:
        query |= Q(postcode=found.postcode)
    candidates = likely.filter(query).order_by("family_name", "given_name")[:100]
    form = RelationshipForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        relative = access.get_person_for(request.actor, form.cleaned_data["relative"], access.EDIT)
        try:
            actions.do_add_relationship(
                acting=request.actor, person=found, relative=relative, kind=form.cleaned_data["kind"],
                lives_with=form.cleaned_data["lives_with"], note=form.cleaned_data["note"],
            )
        except IntegrityError:
            form.add_error("relative", "This relationship is already recorded")
        else:
            messages.success(request, "The relationship has been added.")
            return redirect("person", found.pk)
    actions.do_record_view(acting=request.actor, person=found, what="add relationship")
    return render(request, "people/relationship_form.html", {"form": form, "person": found})
