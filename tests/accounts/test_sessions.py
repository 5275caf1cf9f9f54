import time

import time_machine

from jigsaw.accounts.middleware import ACTIVE_MEMBERSHIP


def test_sign_out_clears_site_data_and_ends_the_session(signed_in, cast):
    client = signed_in(cast.alice)
    key = client.session.session_key
    response = client.post("/account/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/people/").status_code == 302


def test_sessions_end_twelve_hours_after_sign_in_however_active(signed_in, cast):
    client = signed_in(cast.alice)
    assert client.get("/").status_code == 200
    with time_machine.travel(time.time() + 12 * 3600 + 60):
        response = client.get("/")
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_sessions_expire_after_thirty_minutes_idle(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_erin_switches_organisation_and_the_header_shows_it(signed_in, cast):
    client = signed_in(cast.erin)
    assert "Riverside School" in client.get("/").content.decode().split("acting for")[1][:200]
    social_care = cast.erin.memberships.get(organisation=cast.social_care)
    client.post("/account/organisation/", {"membership": social_care.pk})
    assert client.session[ACTIVE_MEMBERSHIP] == social_care.pk
    header = client.get("/").content.decode().split("acting for")[1][:200]
    assert "Westbridge Children&#x27;s Social Care" in header


def test_nobody_can_switch_to_someone_elses_membership(signed_in, cast):
    client = signed_in(cast.carol)
    alices = cast.alice.memberships.get()
    assert client.post("/account/organisation/", {"membership": alices.pk}).status_code == 404
    assert ACTIVE_MEMBERSHIP not in client.session


def test_switching_ignores_an_offsite_next_address(signed_in, cast):
    client = signed_in(cast.erin)
    membership = cast.erin.memberships.first()
    response = client.post("/account/organisation/", {"membership": membership.pk,
                                                      "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_security_headers_are_sent(client, db):
    response = client.get("/account/login/")
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_forms_need_a_csrf_token(cast):
    from django.test import Client

    from tests.cast import sign_in

    client = Client(enforce_csrf_checks=True)
    sign_in(client, cast.alice)
    assert client.post("/people/add/", {"given_name": "X"}).status_code == 403
