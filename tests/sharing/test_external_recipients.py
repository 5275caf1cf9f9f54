"""Recipients outside the partnership: a link by e-mail, a code by phone, limited watermarked downloads."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jigsaw.audit.models import AccessEvent, Action
from jigsaw.sharing.models import ExternalLink
from jigsaw.web.templatetags.govuk import govuk_date
from tests.chronology.conftest import log
from tests.sharing.conftest import share
from tests.sharing.test_disclosure_pdf import pdf_text

pytestmark = pytest.mark.django_db

GONE = "This link has expired or is not valid"


@pytest.fixture
def external(cast, three_entries):
    cast.riverside.safeguarding_phone = "01632 960555"
    cast.riverside.save()
    return share(cast.alice, cast.maya, three_entries, external_name="Sam Coach", external_role="Welfare officer",
                 external_organisation="Westbridge Juniors FC", external_email="welfare@juniors.test",
                 external_phone="01632 960123", external_reason="Runs the club Maya attends")


def link_url(sent, name="external_disclosure"):
    return reverse(name, args=[sent.link_token])


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def enter_code(client, sent, code=None):
    return client.post(link_url(sent), {"code": code or sent.link_code})


def link_of(sent) -> ExternalLink:
    return ExternalLink.objects.get(disclosure=sent.disclosure)


def test_the_link_asks_for_the_code_and_shows_nothing_about_the_child(client, external):
    response = client.get(link_url(external))
    page = response.content.decode()
    assert response.status_code == 200 and "Enter the code" in page and "Riverside School" in page
    assert "Maya" not in page and "Thompson" not in page
    assert response["Cache-Control"] == "no-store"
    assert "noindex" in response["X-Robots-Tag"] and response["Referrer-Policy"] == "no-referrer"


def test_the_right_code_then_a_download_works_and_is_recorded(client, external, tmp_path):
    entered = enter_code(client, external, f"{external.link_code[:3]} {external.link_code[3:]}")
    assert entered.status_code == 302 and entered["Location"] == link_url(external)
    assert entered["Referrer-Policy"] == "no-referrer"
    ready = client.get(link_url(external))
    page = ready.content.decode()
    assert ready.status_code == 200 and "Download the PDF" in page and link_url(external, "external_download") in page
    assert "Westbridge Juniors FC" in page and "assess Maya&#x27;s safety" in page

    response = client.get(link_url(external, "external_download"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "no-referrer"
    text = pdf_text(response.content, tmp_path)
    assert "had not eaten since Friday" in text
    assert link_of(external).downloads == 1
    assert AccessEvent.objects.filter(action=Action.EXPORT, object_type="sharing.disclosure",
                                      object_id=str(external.disclosure.pk)).count() == 1
    external.disclosure.refresh_from_db()
    assert external.disclosure.opened_at is not None and external.disclosure.opened_by_label == "Sam Coach"


def test_the_pdf_carries_the_watermark_with_the_recipient_and_the_time(client, external, tmp_path):
    when = external.disclosure.sent_at + datetime.timedelta(days=2)
    with time_machine.travel(when.replace(hour=14, minute=5), tick=False):
        enter_code(client, external)
        response = client.get(link_url(external, "external_download"))
    assert response.status_code == 200
    mark = f"For Sam Coach (Welfare officer), downloaded {govuk_date(when.replace(hour=14, minute=5))}"
    assert response.context["watermark"] == mark
    text = pdf_text(response.content, tmp_path)
    assert mark in text
    assert "Sam Coach, through a secure link" in text


def test_download_without_the_code_is_refused(client, external):
    response = client.get(link_url(external, "external_download"))
    assert response.status_code == 403 and "Enter the code" in response.content.decode()
    assert link_of(external).downloads == 0


def test_a_wrong_code_is_counted_and_recorded(client, external):
    response = enter_code(client, external, wrong(external.link_code))
    assert response.status_code == 400 and "The code is not right" in response.content.decode()
    assert "4 more times" in response.content.decode()
    assert link_of(external).failed_codes == 1
    assert AccessEvent.objects.filter(action=Action.DENIAL, object_id=str(external.disclosure.pk)).exists()
    assert client.get(link_url(external, "external_download")).status_code == 403


def test_a_code_that_is_not_six_digits_is_not_counted(client, external):
    response = enter_code(client, external, "12ab")
    assert response.status_code == 400 and "6 digits" in response.content.decode()
    assert link_of(external).failed_codes == 0


def test_five_wrong_codes_lock_the_link(client, external):
    for _ in range(4):
        assert enter_code(client, external, wrong(external.link_code)).status_code == 400
    locked = enter_code(client, external, wrong(external.link_code))
    assert locked.status_code == 410 and GONE in locked.content.decode()
    assert "01632 960555" in locked.content.decode()
    after = enter_code(client, external)
    assert after.status_code == 410 and GONE in after.content.decode()
    assert client.get(link_url(external)).status_code == 410


def test_downloads_are_limited(client, external):
    enter_code(client, external)
    for _ in range(link_of(external).max_downloads):
        assert client.get(link_url(external, "external_download")).status_code == 200
    refused = client.get(link_url(external, "external_download"))
    assert refused.status_code == 410 and GONE in refused.content.decode()
    assert link_of(external).downloads == link_of(external).max_downloads
    assert AccessEvent.objects.filter(action=Action.EXPORT, object_id=str(external.disclosure.pk)).count() == 3


def test_an_expired_link_is_refused(client, external):
    enter_code(client, external)
    with time_machine.travel(link_of(external).expires_at + datetime.timedelta(minutes=1), tick=False):
        for name in ("external_disclosure", "external_download"):
            response = client.get(link_url(external, name))
            assert response.status_code == 410 and GONE in response.content.decode()


def test_the_code_must_be_entered_again_after_thirty_minutes(client, external):
    enter_code(client, external)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31), tick=False):
        assert client.get(link_url(external, "external_download")).status_code == 403
        assert "Enter the code" in client.get(link_url(external)).content.decode()


def test_a_revoked_link_is_refused(external, signed_in, cast):
    visitor = Client()
    enter_code(visitor, external)
    alice = signed_in(cast.alice)
    response = alice.post(reverse("revoke_external_link", args=[external.disclosure.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("disclosure",
                                                                           args=[external.disclosure.pk])
    assert link_of(external).revoked_at is not None
    for name in ("external_disclosure", "external_download"):
        refused = visitor.get(link_url(external, name))
        assert refused.status_code == 410 and GONE in refused.content.decode()


def test_only_the_sender_can_revoke_a_link(cast, external, signed_in):
    for user in (cast.carol, cast.dan):
        assert signed_in(user).post(reverse("revoke_external_link",
                                            args=[external.disclosure.pk])).status_code == 404
    assert link_of(external).revoked_at is None
    assert signed_in(cast.alice).get(reverse("revoke_external_link",
                                             args=[external.disclosure.pk])).status_code == 405


def test_an_unknown_link_has_the_same_wording(client, external):
    response = client.get(reverse("external_disclosure", args=["not-a-real-token"]))
    assert response.status_code == 404 and GONE in response.content.decode()
    assert client.get(reverse("external_download", args=["not-a-real-token"])).status_code == 404


def test_a_protected_identity_never_appears_in_the_external_pdf(cast, client, tmp_path):
    cast.mum.protected_identity, cast.mum.protected_identity_reason = True, "Fled domestic abuse"
    cast.mum.save()
    entry = log(cast.bob, cast.maya, "Maya said Jo Thompson collects her on Fridays.").first_entry
    sent = share(cast.alice, cast.maya, [entry], external_name="Sam Coach", external_role="Welfare officer",
                 external_email="welfare@juniors.test", external_phone="01632 960123",
                 external_reason="Runs the club Maya attends")
    enter_code(client, sent)
    text = pdf_text(client.get(link_url(sent, "external_download")).content, tmp_path)
    assert "Jo Thompson" not in text and "Mill Lane" not in text and "[redacted]" in text
