import re

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

from jigsaw.audit.models import AccessEvent, Action
from tests.cast import PASSWORD, current_totp

LOGIN = "/account/login/"
MFA = "/account/2fa/authenticate/"


def password_step(client, email, password=PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})


def error_text(response) -> str:
    html = response.content.decode()
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", summary.group(1))).strip() if summary else ""


def test_it_asks_for_a_code_after_the_password(client, cast):
    response = password_step(client, cast.alice.email)
    assert response.status_code == 302
    assert response["Location"] == MFA
    assert "_auth_user_id" not in client.session


def test_it_signs_in_with_password_and_totp_code(client, cast):
    password_step(client, cast.alice.email)
    response = client.post(MFA, {"code": current_totp()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.alice.pk)
    assert client.get("/").status_code == 200
    assert AccessEvent.objects.filter(user=cast.alice, action=Action.SIGN_IN).count() == 1


def test_it_rotates_the_session_key_at_sign_in(client, cast):
    client.get(LOGIN)
    password_step(client, cast.alice.email)
    before = client.session.session_key
    client.post(MFA, {"code": current_totp()})
    assert client.session.session_key != before


def test_it_refuses_a_wrong_code(client, cast):
    password_step(client, cast.alice.email)
    response = client.post(MFA, {"code": "000000" if current_totp() != "000000" else "111111"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_it_refuses_a_replayed_totp_code(client, cast):
    code = current_totp()
    password_step(client, cast.alice.email)
    client.post(MFA, {"code": code})
    client.post("/account/logout/")
    password_step(client, cast.alice.email)
    response = client.post(MFA, {"code": code})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_it_accepts_a_recovery_code_once(client, cast):
    codes = RecoveryCodes.activate(cast.alice).get_unused_codes()
    password_step(client, cast.alice.email)
    assert client.post(MFA, {"code": codes[0]}).status_code == 302
    client.post("/account/logout/")
    password_step(client, cast.alice.email)
    response = client.post(MFA, {"code": codes[0]})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_it_answers_the_same_for_unknown_user_and_wrong_password(client, cast):
    unknown = password_step(client, "nobody@riverside.test", "Wrong-password-123")
    wrong = password_step(client, cast.alice.email, "Wrong-password-123")
    assert unknown.status_code == wrong.status_code == 200
    assert error_text(unknown) == error_text(wrong)
    assert error_text(wrong)


def test_it_locks_out_after_repeated_failures_even_with_the_right_password(client, cast, settings):
    for _ in range(5):
        password_step(client, cast.alice.email, "Wrong-password-123")
    response = password_step(client, cast.alice.email)
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert response.get("Location") != MFA


def test_lockout_looks_the_same_for_an_unknown_address(client, cast):
    for _ in range(5):
        password_step(client, "nobody@riverside.test", "Wrong-password-123")
        password_step(client, cast.alice.email, "Wrong-password-123")
    unknown = password_step(client, "nobody@riverside.test", "Wrong-password-123")
    known = password_step(client, cast.alice.email, "Wrong-password-123")
    assert unknown.status_code == known.status_code
    assert error_text(unknown) == error_text(known)


def test_each_failed_sign_in_is_recorded(client, cast):
    password_step(client, cast.alice.email, "Wrong-password-123")
    event = AccessEvent.objects.get(action=Action.FAILED_SIGN_IN)
    assert event.detail == {"email": cast.alice.email}


def test_it_hashes_passwords_with_argon2(cast):
    assert cast.alice.password.startswith("argon2")


def test_a_user_without_mfa_can_only_enrol(signed_in, cast):
    client = signed_in(cast.nina)
    response = client.get("/people/")
    assert response.status_code == 302
    assert response["Location"] == "/account/2fa/"
    assert client.get("/account/2fa/").status_code == 200


def test_a_session_that_skipped_mfa_is_ended(client, cast):
    client.force_login(cast.alice, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/people/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
