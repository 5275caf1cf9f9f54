from allauth.account.views import LogoutView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from jigsaw.accounts import access, actions
from jigsaw.accounts.forms import ApiKeyForm, InviteForm, OrganisationForm, RoleForm
from jigsaw.web.safe import safe_next_url


class SignOutView(LogoutView):
    """Sign out, end the session on the server, and tell the browser to forget this site."""

    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response


@login_required
@require_POST
def switch_organisation(request):
    membership = access.own_membership(request.user, request.POST.get("membership"))
    if membership is None:
        raise Http404
    actions.do_switch_organisation(request=request, membership=membership)
    messages.success(request, f"You are now acting for {membership.organisation}.")
    return redirect(safe_next_url(request, request.POST.get("next")))


def refuse_own_account(request, organisation_id):
    # Nobody removes their own access by accident: another administrator must do it.
    messages.error(request, "You cannot change your own role or access. Ask another partnership administrator.")
    return redirect("organisation", organisation_id)


@login_required
def organisations(request):
    access.require_administrator(request.actor, "admin:organisations")
    listed = access.organisations_visible_to(request.actor).annotate(
        member_count=Count("memberships", filter=Q(memberships__ended_at__isnull=True))
    )
    return render(request, "accounts/organisations.html", {"organisations": listed})


@login_required
@require_http_methods(["GET", "POST"])
def add_organisation(request):
    access.require_administrator(request.actor, "admin:add_organisation")
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = actions.do_create_organisation(acting=request.actor, data=form.cleaned_data)
        messages.success(request, f"{organisation} has been added.")
        return redirect("organisation", organisation.pk)
    return render(request, "accounts/organisation_form.html", {"form": form})


@login_required
def organisation(request, organisation_id):
    organisation = access.get_organisation_for(request.actor, organisation_id, "view")
    members = access.members_of(request.actor, organisation)
    keys = access.api_keys_of(request.actor, organisation)
    return render(request, "accounts/organisation.html",
                  {"organisation": organisation, "members": members, "api_keys": keys})


@login_required
@require_http_methods(["GET", "POST"])
def invite(request, organisation_id):
    organisation = access.get_organisation_for(request.actor, organisation_id, "invite")
    form = InviteForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            membership, created = actions.do_invite_person(
                acting=request.actor, organisation=organisation, **form.cleaned_data
            )
        except IntegrityError:
            form.add_error("email", "This person is already a member of this organisation")
        else:
            if created:
                actions.send_invitation(request, membership.user)
            messages.success(request, f"{membership.user} has been added to {organisation}.")
            return redirect("organisation", organisation.pk)
    return render(request, "accounts/invite.html", {"form": form, "organisation": organisation})


@login_required
@require_http_methods(["GET", "POST"])
def change_role(request, membership_id):
    membership = access.get_membership_for(request.actor, membership_id, "change_role")
    if membership.user == request.user:
        return refuse_own_account(request, membership.organisation_id)
    form = RoleForm(request.POST or None, initial={"role": membership.role},
                    organisation=membership.organisation)
    if request.method == "POST" and form.is_valid():
        actions.do_change_role(acting=request.actor, membership=membership, role=form.cleaned_data["role"])
        messages.success(request, f"{membership.user}'s role has been changed.")
        return redirect("organisation", membership.organisation_id)
    return render(request, "accounts/change_role.html", {"form": form, "membership": membership})


@login_required
@require_http_methods(["GET", "POST"])
def end_membership(request, membership_id):
    membership = access.get_membership_for(request.actor, membership_id, "end")
    if membership.user == request.user:
        return refuse_own_account(request, membership.organisation_id)
    if request.method == "POST":
        actions.do_end_membership(acting=request.actor, membership=membership)
        messages.success(request, f"{membership.user} is no longer a member of {membership.organisation}.")
        return redirect("organisation", membership.organisation_id)
    return render(request, "accounts/end_membership.html", {"membership": membership})


@login_required
@require_http_methods(["GET", "POST"])
def deactivate_user(request, user_id):
    user = access.get_user_for(request.actor, user_id, "deactivate")
    if user == request.user:
        return refuse_own_account(request, request.actor.organisation.pk)
    if request.method == "POST":
        actions.do_deactivate_user(acting=request.actor, user=user)
        messages.success(request, f"{user}'s account has been deactivated and their sessions ended.")
        return redirect("organisations")
    return render(request, "accounts/deactivate_user.html", {"person": user})


@login_required
@require_http_methods(["GET", "POST"])
def add_api_key(request, organisation_id):
    organisation = access.get_organisation_for(request.actor, organisation_id, "add_api_key")
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        key, token = actions.do_create_api_key(acting=request.actor, organisation=organisation,
                                               **form.cleaned_data)
        return render(request, "accounts/api_key_created.html", {"key": key, "token": token})
    return render(request, "accounts/api_key_form.html", {"form": form, "organisation": organisation})


@login_required
@require_POST
def revoke_api_key(request, key_id):
    key = access.get_api_key_for(request.actor, key_id, "revoke")
    actions.do_revoke_api_key(acting=request.actor, key=key)
    messages.success(request, f"The key for {key.name} has been revoked.")
    return redirect("organisation", key.organisation_id)
