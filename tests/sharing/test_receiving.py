"""Receiving: Dan's inbox, opening (the receipt), acknowledging, and saving to his own child's chronology."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jigsaw.audit.models import AccessEvent, Action
from jigsaw.chronology import actions as chronology_actions
from jigsaw.chronology.models import Entry
from jigsaw.people.models import Person
from jigsaw.sharing import access, actions
from tests.cast import sign_in
from tests.chronology.conftest import actor_for, log
from tests.sharing.conftest import share

pytestmark = pytest.mark.django_db

GMT = datetime.UTC


@pytest.fixture
def sent(cast, three_entries):
    return share(cast.alice, cast.maya, three_entries, recipient=cast.social_care).disclosure


@pytest.fixture
def dans_maya(cast):
    return Person.objects.create(organisation=cast.social_care, given_name="Maya", family_name="Thompson",
                                 date_of_birth=datetime.date(2015, 3, 27),
                                 nhs_number_absent_reason="Not known yet")


def received_url(disclosure, name="received_disclosure"):
    return reverse(name, args=[disclosure.pk])


# Opening and acknowledging -------------------------------------------------------------------


def test_opening_records_the_receipt_once_and_the_sender_sees_it(cast, sent, signed_in):
    client = signed_in(cast.dan)
    first = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=GMT)
    with time_machine.travel(first, tick=False):
        sign_in(client, cast.dan)
        assert client.get(received_url(sent)).status_code == 200
    with time_machine.travel(first + datetime.timedelta(hours=2), tick=False):
        sign_in(client, cast.dan)
        assert client.get(received_url(sent)).status_code == 200
    sent.refresh_from_db()
    assert sent.opened_at == first and sent.opened_by == cast.dan and sent.opened_by_label == "Dan Davies"
    assert AccessEvent.objects.filter(action=Action.VIEW, object_type="sharing.disclosure",
                                      object_id=str(sent.pk), user=cast.dan).count() == 2
    senders_page = signed_in(cast.alice).get(reverse("disclosure", args=[sent.pk])).content.decode()
    assert "Opened</strong> 23 November 2026 at 09:00 by Dan Davies" in senders_page


def test_the_received_page_says_who_sent_it_why_and_on_what_basis_but_not_their_reasons(cast, sent, signed_in):
    cast.riverside.safeguarding_phone = "01632 960555"
    cast.riverside.save()
    page = signed_in(cast.dan).get(received_url(sent)).content.decode()
    assert "Riverside School" in page and "Alice Adeyemi" in page and "01632 960555" in page
    assert "assess Maya&#x27;s safety at home" in page
    assert "6(1)(e) Public task" in page and "Not sought: asking would increase the risk of harm" in page
    assert sent.decision.rationale not in page.replace("&#x27;", "'")
    for button in ("Acknowledge", "Save to a child's record", "Download PDF"):
        assert button in page


def test_acknowledging_records_what_was_done_and_cannot_be_done_twice(cast, sent, signed_in):
    client = signed_in(cast.dan)
    response = client.post(received_url(sent, "acknowledge_disclosure"),
                           {"action_taken": "Added to the assessment; strategy discussion on Friday."})
    assert response.status_code == 302 and response["Location"] == received_url(sent)
    sent.refresh_from_db()
    assert sent.acknowledged_by == cast.dan and sent.action_taken.startswith("Added to the assessment")
    acknowledged_at = sent.acknowledged_at
    assert "You have acknowledged this" in client.get(received_url(sent)).content.decode()

    again = client.post(received_url(sent, "acknowledge_disclosure"), {"action_taken": "Something else"},
                        follow=True)
    assert "already acknowledged by Dan Davies" in again.content.decode()
    sent.refresh_from_db()
    assert sent.acknowledged_at == acknowledged_at and sent.action_taken.startswith("Added to the assessment")
    senders_page = signed_in(cast.alice).get(reverse("disclosure", args=[sent.pk])).content.decode()
    assert "Acknowledged</strong>" in senders_page and "Added to the assessment" in senders_page


def test_an_empty_or_overlong_acknowledgement_is_refused_and_keeps_what_was_typed(cast, sent, signed_in):
    client = signed_in(cast.dan)
    empty = client.post(received_url(sent, "acknowledge_disclosure"), {"action_taken": "  "})
    assert empty.status_code == 400 and "Enter what you have done" in empty.content.decode()
    long_text = "Read it. " * 600
    overlong = client.post(received_url(sent, "acknowledge_disclosure"), {"action_taken": long_text})
    assert overlong.status_code == 400 and "5,000 characters or fewer" in overlong.content.decode()
    assert "Read it. Read it." in overlong.content.decode()
    sent.refresh_from_db()
    assert sent.acknowledged_at is None


def test_script_in_an_acknowledgement_is_shown_as_text(cast, sent, signed_in):
    client = signed_in(cast.dan)
    client.post(received_url(sent, "acknowledge_disclosure"), {"action_taken": "<script>alert(1)</script>"})
    page = client.get(received_url(sent)).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# Only the snapshot --------------------------------------------------------------------------


def test_the_recipient_sees_only_the_snapshot(cast, three_entries, signed_in):
    not_shared = log(cast.bob, cast.maya, "Maya's uncle visited the school office unannounced.").first_entry
    sent = share(cast.alice, cast.maya, three_entries, recipient=cast.social_care).disclosure
    later = log(cast.bob, cast.maya, "Maya was collected by an unknown adult on Tuesday.").first_entry
    share(cast.alice, cast.maya, [later], recipient=cast.social_care)
    chronology_actions.do_correct_entry(
        acting=actor_for(cast.alice), entry=three_entries[0], reason="Wrong day",
        data=chronology_actions.EntryData(what_happened="Maya said she had not eaten since Saturday.",
                                          event_date=datetime.date(2026, 11, 2)))
    page = signed_in(cast.dan).get(received_url(sent)).content.decode().replace("&#x27;", "'")
    assert "had not eaten since Friday" in page and "Bruise seen on Maya's left forearm" in page
    assert not_shared.what_happened not in page
    assert later.what_happened not in page
    assert "since Saturday" not in page


def test_a_later_update_is_offered_with_a_link_and_says_it_is_an_update(cast, three_entries, sent, signed_in):
    alice = actor_for(cast.alice)
    chronology_actions.do_correct_entry(
        acting=alice, entry=three_entries[1], reason="Wrong arm",
        data=chronology_actions.EntryData(what_happened="Bruise seen on Maya's right forearm during PE.",
                                          event_date=datetime.date(2026, 11, 2)))
    update = actions.do_send_update(acting=alice, disclosure=sent,
                                    shareable=access.shareable_entries(alice, cast.maya))
    client = signed_in(cast.dan)
    original = client.get(received_url(sent)).content.decode()
    assert received_url(update) in original and "sent you an update" in original
    assert "right forearm" not in original
    newer = client.get(received_url(update)).content.decode()
    assert "This is an update" in newer and received_url(sent) in newer and "right forearm" in newer


def test_another_school_cannot_reach_any_received_page_or_the_pdf(cast, sent, signed_in):
    client = signed_in(cast.carol)
    for name in ("received_disclosure", "acknowledge_disclosure", "save_disclosure", "received_disclosure_pdf"):
        assert client.get(received_url(sent, name)).status_code == 404, name
    assert client.post(received_url(sent, "acknowledge_disclosure"), {"action_taken": "x"}).status_code == 404
    sent.refresh_from_db()
    assert sent.opened_at is None and sent.acknowledged_at is None
    assert AccessEvent.objects.filter(action=Action.DENIAL, user=cast.carol).count() >= 5


def test_the_sender_cannot_use_the_recipients_pages(cast, sent, signed_in):
    client = signed_in(cast.alice)
    for name in ("received_disclosure", "acknowledge_disclosure", "save_disclosure", "received_disclosure_pdf"):
        assert client.get(received_url(sent, name)).status_code == 404, name
    sent.refresh_from_db()
    assert sent.opened_at is None


# Saving to one's own chronology -------------------------------------------------------------


def test_saving_creates_an_entry_in_the_recipients_organisation_citing_the_source(cast, sent, dans_maya,
                                                                                     signed_in):
    client = signed_in(cast.dan)
    page = client.get(received_url(sent, "save_disclosure")).content.decode()
    assert f'value="{dans_maya.pk}"' in page and "born 27 March 2015" in page
    assert f'value="{cast.maya.pk}"' not in page  # Riverside's own record is never offered

    response = client.post(received_url(sent, "save_disclosure"), {"person": dans_maya.pk})
    entry = Entry.objects.get(person=dans_maya)
    assert response.status_code == 302 and response["Location"] == reverse("entry", args=[entry.pk])
    assert entry.organisation == cast.social_care
    assert "Riverside School" in entry.source and str(sent.pk) in entry.source
    assert "had not eaten since Friday" in entry.what_happened
    sent.refresh_from_db()
    assert sent.saved_entry == entry

    again = client.get(received_url(sent, "save_disclosure")).content.decode()
    assert "already been saved" in again and reverse("entry", args=[entry.pk]) in again
    client.post(received_url(sent, "save_disclosure"), {"person": dans_maya.pk})
    assert Entry.objects.filter(person=dans_maya).count() == 1


def test_saving_against_another_organisations_child_is_refused(cast, sent, dans_maya, signed_in):
    response = signed_in(cast.dan).post(received_url(sent, "save_disclosure"), {"person": cast.maya.pk})
    assert response.status_code == 400
    assert "Select a child from your organisation" in response.content.decode()
    assert not Entry.objects.filter(organisation=cast.social_care).exists()
    sent.refresh_from_db()
    assert sent.saved_entry is None


def test_the_save_page_finds_the_recipients_children_by_name(cast, sent, dans_maya, signed_in):
    other = Person.objects.create(organisation=cast.social_care, given_name="Maia", family_name="Thomson",
                                  nhs_number_absent_reason="Not known yet")
    page = signed_in(cast.dan).get(received_url(sent, "save_disclosure"), {"name": "Maia"}).content.decode()
    assert f'value="{other.pk}"' in page and f'value="{dans_maya.pk}"' not in page


# The inbox ----------------------------------------------------------------------------------


def inbox_of(client, **query):
    return client.get(reverse("sharing_inbox"), query)


def test_the_inbox_shows_the_child_as_sent_new_first_then_unacknowledged(cast, three_entries, signed_in):
    dan = actor_for(cast.dan)
    acknowledged, opened, new = (share(cast.alice, cast.maya, [entry], recipient=cast.social_care).disclosure
                                 for entry in three_entries)
    actions.do_open(acting=dan, disclosure=opened)
    actions.do_acknowledge(acting=dan, disclosure=acknowledged, action_taken="Filed")
    page = inbox_of(signed_in(cast.dan)).content.decode()
    assert "Maya Thompson" in page and "born 27 March 2015" in page and "Riverside School" in page
    positions = [page.index(received_url(each)) for each in (new, opened, acknowledged)]
    assert positions == sorted(positions)
    assert ">New<" in page and ">Opened<" in page and ">Acknowledged<" in page


def test_the_inbox_filters_by_status(cast, three_entries, signed_in):
    first, second, _ = (share(cast.alice, cast.maya, [entry], recipient=cast.social_care).disclosure
                        for entry in three_entries)
    actions.do_open(acting=actor_for(cast.dan), disclosure=first)
    client = signed_in(cast.dan)
    opened = inbox_of(client, status="opened").content.decode()
    assert received_url(first) in opened and received_url(second) not in opened
    new = inbox_of(client, status="new").content.decode()
    assert received_url(first) not in new and received_url(second) in new
    assert inbox_of(client, status="nonsense").status_code == 200


def test_the_child_name_comes_from_the_snapshot_not_the_senders_record(cast, sent, signed_in):
    cast.maya.given_name = "Renamed"
    cast.maya.save()
    page = inbox_of(signed_in(cast.dan)).content.decode()
    assert "Maya Thompson" in page and "Renamed" not in page


def test_overdue_disclosures_are_highlighted(cast, three_entries, signed_in):
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=GMT), tick=False):
        sent = share(cast.alice, cast.maya, three_entries, recipient=cast.social_care).disclosure
        client = signed_in(cast.dan)
        assert "govuk-tag--red" not in inbox_of(client).content.decode()
    with time_machine.travel(sent.due_at + datetime.timedelta(hours=1), tick=False):
        sign_in(client, cast.dan)
        page = inbox_of(client).content.decode()
        assert "jigsaw-overdue" in page and "Overdue" in page
        assert "Overdue" in client.get(received_url(sent)).content.decode()


def test_the_inbox_says_how_many_requests_are_waiting(cast, sent, signed_in):
    actions.do_request(acting=actor_for(cast.alice), data=actions.RequestData(
        holder=cast.social_care, given_name="Maya", family_name="Thompson", reason="Moved to us",
        information_wanted="Any open plan"))
    page = inbox_of(signed_in(cast.dan)).content.decode()
    assert "1 request for information is waiting" in page and reverse("requests_received") in page


def test_the_inbox_is_empty_for_another_school_and_refused_to_staff(cast, sent, signed_in):
    assert "Nothing has been shared with Hillside School" in inbox_of(signed_in(cast.carol)).content.decode()
    assert inbox_of(signed_in(cast.bob)).status_code == 404


def test_the_inbox_records_the_view(cast, sent, signed_in):
    inbox_of(signed_in(cast.dan))
    assert AccessEvent.objects.filter(action=Action.VIEW, user=cast.dan,
                                      purpose="information shared with us").exists()


def test_the_inbox_query_count_does_not_grow_with_rows(cast, signed_in, django_assert_max_num_queries):
    entry = log(cast.bob, cast.maya, "Maya said she was hungry.").first_entry

    def send(count):
        for _ in range(count):
            share(cast.alice, cast.maya, [entry], recipient=cast.social_care)

    send(3)
    client = signed_in(cast.dan)
    inbox_of(client)  # warm the session and any per-process caches
    with CaptureQueriesContext(connection) as three:
        assert inbox_of(client).status_code == 200
    send(27)
    with django_assert_max_num_queries(len(three)):
        page = inbox_of(client).content.decode()
    assert page.count('href="/sharing/received/') == 30
