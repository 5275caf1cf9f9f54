from django.contrib.sessions.models import Session
from django.core import mail

from jigsaw.accounts.models import Membership, Organisation, User
from jigsaw.audit.models import AccessEvent, Action
from tests.cast import sign_in


def test_pat_adds_an_organisation(signed_in, cast):
    response = signed_in(cast.pat).post("/admin/organisations/add/", {
        "name": "Brookfield Academy", "kind": "school", "local_authority": cast.westbridge.pk,
        "urn": "123456", "safeguarding_phone": "01632 960123",
    })
    organisation = Organisation.objects.get(name="Brookfield Academy")
    assert response.status_code == 302
    assert AccessEvent.objects.filter(action=Action.ADMINISTER, object_id=str(organisation.pk)).exists()


def test_a_school_needs_a_six_digit_urn(signed_in, cast):
    response = signed_in(cast.pat).post("/admin/organisations/add/", {
        "name": "Brookfield Academy", "kind": "school", "local_authority": cast.westbridge.pk, "urn": "12ab",
    })
    assert b"URN must be 6 digits" in response.content
    assert b'value="Brookfield Academy"' in response.content


def test_pat_invites_someone_who_gets_a_link_without_case_detail(signed_in, cast):
    response = signed_in(cast.pat).post(f"/admin/organisations/{cast.riverside.pk}/invite/", {
        "full_name": "Tom Taylor", "email": "Tom@Riverside.test", "role": "deputy_dsl",
    })
    assert response.status_code == 302
    tom = User.objects.get(email="tom@riverside.test")
    assert Membership.objects.get(user=tom).role == "deputy_dsl"
    assert not tom.has_usable_password()
    assert len(mail.outbox) == 1
    assert "/account/password/reset/key/" in mail.outbox[0].body
    assert "Maya" not in mail.outbox[0].body


def test_inviting_an_existing_member_again_is_a_clear_error(signed_in, cast):
    response = signed_in(cast.pat).post(f"/admin/organisations/{cast.riverside.pk}/invite/", {
        "full_name": "Bob Brown", "email": cast.bob.email, "role": "staff",
    })
    assert response.status_code == 200
    assert b"already a member of this organisation" in response.content


def test_pat_sees_no_case_content(signed_in, cast):
    client = signed_in(cast.pat)
    assert client.get("/people/").status_code == 404
    assert client.get(f"/people/{cast.maya.pk}/").status_code == 404
    assert b"Maya" not in client.get(f"/admin/organisations/{cast.riverside.pk}/").content


def sessions_of(user) -> int:
    return sum(1 for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk))


def test_ending_a_membership_ends_their_sessions(client, signed_in, cast, django_user_model):
    from django.test import Client

    bob = Client()
    sign_in(bob, cast.bob)
    assert bob.get("/people/").status_code == 200
    membership = Membership.objects.get(user=cast.bob)
    signed_in(cast.pat).post(f"/admin/memberships/{membership.pk}/end/")
    membership.refresh_from_db()
    assert membership.ended_at is not None
    assert sessions_of(cast.bob) == 0
    assert bob.get("/people/").status_code == 302


def test_deactivating_a_user_ends_their_sessions_and_memberships(signed_in, cast):
    from django.test import Client

    dan = Client()
    sign_in(dan, cast.dan)
    signed_in(cast.pat).post(f"/admin/users/{cast.dan.pk}/deactivate/")
    cast.dan.refresh_from_db()
    assert not cast.dan.is_active
    assert not cast.dan.active_memberships().exists()
    assert sessions_of(cast.dan) == 0


def test_changing_a_role_applies_at_once(signed_in, cast):
    membership = Membership.objects.get(user=cast.bob)
    signed_in(cast.pat).post(f"/admin/memberships/{membership.pk}/role/", {"role": "deputy_dsl"})
    membership.refresh_from_db()
    assert membership.role == "deputy_dsl"
    assert sessions_of(cast.bob) == 0


def test_carol_cannot_reach_administration(signed_in, cast):
    response = signed_in(cast.carol).get("/admin/organisations/")
    assert response.status_code == 404
    assert AccessEvent.objects.filter(action=Action.DENIAL, user=cast.carol).exists()


def test_partnership_administration_cannot_be_given_inside_a_school(signed_in, cast):
    response = signed_in(cast.pat).post(f"/admin/organisations/{cast.riverside.pk}/invite/", {
        "full_name": "Eve Intruder", "email": "eve@riverside.test", "role": "partnership_admin",
    })
    assert response.status_code == 200
    assert b"Only the safeguarding partnership itself can have partnership administrators" in response.content
    assert not User.objects.filter(email="eve@riverside.test").exists()
    membership = Membership.objects.get(user=cast.bob)
    signed_in(cast.pat).post(f"/admin/memberships/{membership.pk}/role/", {"role": "partnership_admin"})
    membership.refresh_from_db()
    assert membership.role == "staff"


def test_a_partnership_admin_role_held_elsewhere_gives_no_administration(signed_in, cast):
    Membership.objects.filter(user=cast.bob).update(role="partnership_admin")
    assert signed_in(cast.bob).get("/admin/organisations/").status_code == 404


def test_pat_cannot_remove_her_own_access(signed_in, cast):
    client = signed_in(cast.pat)
    own = Membership.objects.get(user=cast.pat)
    response = client.post(f"/admin/memberships/{own.pk}/end/")
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.ended_at is None
    client.post(f"/admin/users/{cast.pat.pk}/deactivate/")
    cast.pat.refresh_from_db()
    assert cast.pat.is_active
