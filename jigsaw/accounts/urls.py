from django.urls import path

from jigsaw.accounts import views

urlpatterns = [
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/add/", views.add_organisation, name="add_organisation"),
    path("organisations/<int:organisation_id>/", views.organisation, name="organisation"),
    path("organisations/<int:organisation_id>/invite/", views.invite, name="invite"),
    path("organisations/<int:organisation_id>/api-keys/add/", views.add_api_key, name="add_api_key"),
    path("memberships/<int:membership_id>/role/", views.change_role, name="change_role"),
    path("memberships/<int:membership_id>/end/", views.end_membership, name="end_membership"),
    path("users/<int:user_id>/deactivate/", views.deactivate_user, name="deactivate_user"),
    path("api-keys/<int:key_id>/revoke/", views.revoke_api_key, name="revoke_api_key"),
]
