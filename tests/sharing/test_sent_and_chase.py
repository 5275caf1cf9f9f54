"""What Alice's school has sent: the list, one disclosure's receipt, chasing, corrections and the PDF."""

import datetime

import pytest
import time_machine
from django.template.exceptions import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone

from jigsaw.audit.models import AccessEvent, Action
from jigsaw.chronology import actions as chronology_actions
from jigsaw.chronology.actions import EntryData
from jigsaw.sharing import actions
from jigsaw.sharing.models import Disclosure
from tests.chronology.conftest import actor_for, log
from tests.sharing.conftest import share

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(cast, three_entries):
    return share(cast.alice, cast.maya, three_entries, recipient=cast.social_care).disclosure


def later(hours: float):
    return time_machine.travel(timezone.now() + datetime.timedelta(hours=hours), tick=False)


def days_ago(days: int):
    """Sent long enough ago to be overdue (signing in stays in the present: sessions end after 12 hours)."""
    return time_machine.travel(timezone.now() - datetime.timedelta(days=days), tick=False)


@pytest.fixture
def overdue(cast, three_entries):
    with days_ago(10):
        return share(cast.alice, cast.maya, three_entries, recipient=cast.social_care).disclosure


def test_the_list_shows_what_was_sent_and_its_status(cast, signed_in, sent):
    page = signed_in(cast.alice).get(reverse("disclosures_sent"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Maya Thompson" in text and "Westbridge Children" in text
    assert "govuk-tag--grey\">Sent" in text
    assert reverse("disclosure", args=[sent.pk]) in text


def test_an_overdue_disclosure_is_highlighted_with_a_chase_button(cast, signed_in, overdue):
    text = signed_in(cast.alice).get(reverse("disclosures_sent")).content.decode()
    assert "Overdue – chase" in text and "jigsaw-overdue" in text
    assert reverse("chase_disclosure", args=[overdue.pk]) in text
    only = signed_in(cast.alice).get(reverse("disclosures_sent"), {"status": "overdue"})
    assert [d.pk for d in only.context["page"]] == [overdue.pk]


def test_the_list_filters_by_status(cast, signed_in, sent, three_entries):
    other = share(cast.alice, cast.maya, three_entries[:1], recipient=cast.hillside).disclosure
    actions.do_acknowledge(acting=actor_for(cast.dan), disclosure=sent, action_taken="Strategy discussion held")
    client = signed_in(cast.alice)
    acknowledged = client.get(reverse("disclosures_sent"), {"status": "acknowledged"})
    assert [d.pk for d in acknowledged.context["page"]] == [sent.pk]
    waiting = client.get(reverse("disclosures_sent"), {"status": "sent"})
    assert [d.pk for d in waiting.context["page"]] == [other.pk]
    assert client.get(reverse("disclosures_sent"), {"status": "nonsense"}).status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_costs_the_same_number_of_queries_however_many_were_sent(cast, signed_in, three_entries, count,
                                                                          django_assert_max_num_queries):
    with days_ago(10):
        for number in range(count):
            share(cast.alice, cast.maya, three_entries[:1],
                  recipient=cast.social_care if number % 2 else cast.hillside)
    client = signed_in(cast.alice)
    with django_assert_max_num_queries(17):
        response = client.get(reverse("disclosures_sent"))
    assert len(response.context["page"]) == count
    assert "Overdue – chase" in response.content.decode()


def test_only_people_who_may_share_see_the_list(cast, signed_in, sent):
    assert signed_in(cast.bob).get(reverse("disclosures_sent")).status_code == 404
    assert sent.pk not in [d.pk for d in signed_in(cast.carol).get(reverse("disclosures_sent")).context["page"]]


def test_the_disclosure_page_shows_the_receipt_and_what_was_sent(cast, signed_in, sent):
    dan = actor_for(cast.dan)
    actions.do_open(acting=dan, disclosure=sent)
    actions.do_acknowledge(acting=dan, disclosure=sent, action_taken="Strategy discussion booked for Monday")
    page = signed_in(cast.alice).get(reverse("disclosure", args=[sent.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Opened</strong>" in text and "Dan Davies" in text
    assert "Strategy discussion booked for Monday" in text
    assert "Bruise seen on Maya" in text  # the snapshot, as sent
    assert AccessEvent.objects.filter(action=Action.VIEW, object_id=str(sent.pk),
                                      object_type="sharing.disclosure").exists()


def test_carol_and_erin_cannot_open_the_disclosure(cast, signed_in, sent):
    assert signed_in(cast.carol).get(reverse("disclosure", args=[sent.pk])).status_code == 404
    assert signed_in(cast.erin).get(reverse("disclosure", args=[sent.pk])).status_code == 404
    assert signed_in(cast.dan).get(reverse("disclosure", args=[sent.pk])).status_code == 404
    assert signed_in(cast.carol).post(reverse("chase_disclosure", args=[sent.pk])).status_code == 404


def test_chasing_once_works_and_again_within_an_hour_is_refused_politely(cast, signed_in, overdue, mailoutbox,
                                                                         django_capture_on_commit_callbacks):
    client = signed_in(cast.alice)
    url = reverse("chase_disclosure", args=[overdue.pk])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, follow=True)
    assert "has been reminded" in first.content.decode()
    assert [message.to for message in mailoutbox] == [["dan@westbridge.test"]]
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(url, follow=True)
    assert "You chased less than an hour ago" in second.content.decode()
    overdue.refresh_from_db()
    assert overdue.chase_count == 1 and len(mailoutbox) == 1
    with later(2):
        signed_in(cast.alice).post(url)
    overdue.refresh_from_db()
    assert overdue.chase_count == 2


def test_chasing_from_the_list_returns_to_the_list(cast, signed_in, overdue):
    response = signed_in(cast.alice).post(reverse("chase_disclosure", args=[overdue.pk]), {"next": "sent"})
    assert response.url == reverse("disclosures_sent")


def test_chasing_an_acknowledged_disclosure_says_there_is_no_need(cast, signed_in, sent):
    actions.do_acknowledge(acting=actor_for(cast.dan), disclosure=sent, action_taken="Assessment started")
    response = signed_in(cast.alice).post(reverse("chase_disclosure", args=[sent.pk]), follow=True)
    assert "there is no need to chase" in response.content.decode()
    sent.refresh_from_db()
    assert sent.chase_count == 0


def test_chasing_needs_a_post(cast, signed_in, sent):
    assert signed_in(cast.alice).get(reverse("chase_disclosure", args=[sent.pk])).status_code == 405


def correct(entry, text):
    return chronology_actions.do_correct_entry(
        acting=actor_for(entry.author), entry=entry, reason="Wrong arm recorded",
        data=EntryData(what_happened=text, event_date=entry.event_date),
    )


def test_corrected_entries_are_offered_as_an_update_and_sent_once(cast, signed_in, sent, three_entries):
    correct(three_entries[1], "Bruise seen on Maya's right forearm during PE.")
    client = signed_in(cast.alice)
    page = client.get(reverse("disclosure", args=[sent.pk])).content.decode()
    assert "1 entry has been corrected since you sent this" in page
    assert reverse("send_disclosure_update", args=[sent.pk]) in page

    response = client.post(reverse("send_disclosure_update", args=[sent.pk]))
    update = Disclosure.objects.get(updates=sent)
    assert response.url == reverse("disclosure", args=[update.pk])
    assert "right forearm" in str(update.snapshot.content)
    assert update.recipient == cast.social_care

    replay = client.post(reverse("send_disclosure_update", args=[sent.pk]), follow=True)
    assert "There are no corrections to send" in replay.content.decode()
    assert Disclosure.objects.filter(updates=sent).count() == 1
    page = client.get(reverse("disclosure", args=[sent.pk])).content.decode()
    assert "has been corrected since" not in page and "Corrections sent since" in page


def test_an_update_with_nothing_corrected_sends_nothing(cast, signed_in, sent):
    response = signed_in(cast.alice).post(reverse("send_disclosure_update", args=[sent.pk]), follow=True)
    assert "There are no corrections to send" in response.content.decode()
    assert Disclosure.objects.count() == 1


def test_the_sender_can_download_what_was_sent_as_a_pdf_and_it_is_recorded(cast, signed_in, sent):
    try:
        get_template("sharing/disclosure_pdf.html")
    except TemplateDoesNotExist:
        pytest.skip("sharing/disclosure_pdf.html is being written by another engineer")
    response = signed_in(cast.alice).get(reverse("disclosure_pdf", args=[sent.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AccessEvent.objects.filter(action=Action.EXPORT, object_id=str(sent.pk)).exists()
    assert signed_in(cast.carol).get(reverse("disclosure_pdf", args=[sent.pk])).status_code == 404


def test_a_protected_name_never_reaches_the_senders_copy_of_the_snapshot(cast, signed_in):
    cast.mum.protected_identity, cast.mum.protected_identity_reason = True, "Fled domestic abuse"
    cast.mum.save()
    entry = log(cast.bob, cast.maya, "Jo Thompson collected Maya.").first_entry
    disclosure = share(cast.alice, cast.maya, [entry], recipient=cast.social_care).disclosure
    page = signed_in(cast.alice).get(reverse("disclosure", args=[disclosure.pk]))
    assert "Jo Thompson" not in str(page.context["content"])
