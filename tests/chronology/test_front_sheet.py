import datetime

import pytest

from jigsaw.audit.models import AccessEvent, Action
from jigsaw.chronology import actions
from jigsaw.chronology.models import ActionItem, Alert, Entry, EntryKind
from tests.chronology.conftest import actor_for, log


def record(user, person, text, *, kind=EntryKind.NOTE, day=datetime.date(2026, 10, 1), new_actions=(), **fields):
    data = actions.EntryData(what_happened=text, event_date=day, **fields)
    return actions.do_record_entry(acting=actor_for(user), person=person, kind=kind, data=data,
                                   new_actions=new_actions)


def sheet(client, person):
    return client.get(f"/people/{person.pk}/front-sheet/")


@pytest.fixture
def file(cast):
    concern = log(cast.bob, cast.maya, categories=["neglect", "attendance"], event_date=datetime.date(2026, 9, 2))
    log(cast.bob, cast.maya, categories=["neglect"], event_date=datetime.date(2026, 9, 20))
    actions.do_triage(acting=actor_for(cast.alice), concern=concern, outcome="refer_csc",
                      rationale="Neglect over time: referral.")
    contact = record(cast.alice, cast.maya, "Home visit with mum.", kind=EntryKind.CONTACT,
                     day=datetime.date(2026, 10, 3),
                     new_actions=[actions.NewAction("Chase the referral", cast.alice.pk, datetime.date(2026, 12, 1))])
    record(cast.alice, cast.maya, "Note about lunch money.", day=datetime.date(2026, 10, 4))
    return {"concern": concern, "contact": contact}


def test_it_shows_who_the_child_is(signed_in, cast):
    html = sheet(signed_in(cast.alice), cast.maya).content.decode()
    assert "Maya Thompson" in html and "27 March 2015" in html and "999 000 1235" in html
    assert f'href="/people/{cast.sam.pk}/chronology/"' in html


def test_it_counts_entries_by_category_from_the_tallies(signed_in, cast, file):
    html = sheet(signed_in(cast.alice), cast.maya).content.decode()
    assert "5 current entries" in html
    table = html.split("Entries by category")[1]
    assert table.index("Neglect") < table.index("Attendance")
    assert '>Neglect</th><td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in table
    assert '>Attendance</th><td class="govuk-table__cell govuk-table__cell--numeric">1</td>' in table


def test_it_shows_the_latest_entry_contact_and_decision(signed_in, cast, file):
    decision = Entry.objects.get(kind=EntryKind.TRIAGE)
    html = sheet(signed_in(cast.alice), cast.maya).content.decode()
    latest = html.split("Latest entry")[1].split("</div>")[0]
    assert f'href="/entries/{decision.pk}/">{decision.sort_date.day} {decision.sort_date:%B %Y}</a>' in latest
    assert f'<a class="govuk-link" href="/entries/{file["contact"].pk}/">3 October 2026</a>' in html
    assert "Refer to children&#x27;s social care" in html


def test_open_actions_can_be_marked_as_done(signed_in, cast, file):
    item = ActionItem.objects.get(description="Chase the referral")
    html = sheet(signed_in(cast.alice), cast.maya).content.decode()
    assert "Chase the referral" in html and "1 December 2026" in html
    assert f'href="/actions/{item.pk}/complete/"' in html


def test_key_events_are_listed(signed_in, cast, file):
    html = sheet(signed_in(cast.alice), cast.maya).content.decode()
    key_events = html.split("Key events")[1]
    assert "Triage decision – Refer to children&#x27;s social care" in key_events


def test_open_alerts_are_shown(signed_in, cast):
    log(cast.bob, cast.maya, categories=["sexual-abuse"])
    alert = Alert.objects.get(person=cast.maya)
    html = sheet(signed_in(cast.alice), cast.maya).content.decode()
    assert f'href="/alerts/{alert.pk}/"' in html


def test_an_empty_file_says_so(signed_in, cast):
    html = sheet(signed_in(cast.alice), cast.maya).content.decode()
    for empty in ("No actions are waiting to be done.", "No entry has a category yet.",
                  "No entries are marked as key events.", "No triage decision yet", "0 current entries"):
        assert empty in html


def test_each_look_is_recorded(signed_in, cast):
    sheet(signed_in(cast.alice), cast.maya)
    assert AccessEvent.objects.get(action=Action.VIEW, person=cast.maya).detail == {"page": "front sheet"}


@pytest.mark.parametrize("who", ["bob", "carol", "dan"])
def test_only_the_organisations_leads_see_it(signed_in, cast, who):
    assert sheet(signed_in(getattr(cast, who)), cast.maya).status_code == 404


# Marking an action as done -----------------------------------------------------------------------


@pytest.fixture
def item(cast, file):
    return ActionItem.objects.get(description="Chase the referral")


def test_the_lead_records_what_was_done(signed_in, cast, item):
    client = signed_in(cast.alice)
    assert "Mark an action as done" in client.get(f"/actions/{item.pk}/complete/").content.decode()
    response = client.post(f"/actions/{item.pk}/complete/", {"outcome": "MASH confirmed the referral."})
    assert response.status_code == 302 and response["Location"] == f"/people/{cast.maya.pk}/front-sheet/"
    item.refresh_from_db()
    assert item.completed_by == cast.alice and item.outcome == "MASH confirmed the referral."
    assert "Chase the referral" not in sheet(client, cast.maya).content.decode()


def test_it_asks_what_was_done(signed_in, cast, item):
    response = signed_in(cast.alice).post(f"/actions/{item.pk}/complete/", {"outcome": ""})
    assert response.status_code == 400
    assert "Record what was done" in response.content.decode()
    item.refresh_from_db()
    assert item.completed_at is None


def test_a_done_action_says_so_and_stays_done(signed_in, cast, item):
    client = signed_in(cast.alice)
    client.post(f"/actions/{item.pk}/complete/", {"outcome": "Done."})
    html = client.get(f"/actions/{item.pk}/complete/").content.decode()
    assert "This action is done" in html and "<form method=\"post\" novalidate>" not in html
    client.post(f"/actions/{item.pk}/complete/", {"outcome": "Again."})
    item.refresh_from_db()
    assert item.outcome == "Done."


@pytest.mark.parametrize("who", ["bob", "carol", "dan"])
def test_no_one_else_can_mark_it_done(signed_in, cast, item, who):
    client = signed_in(getattr(cast, who))
    assert client.get(f"/actions/{item.pk}/complete/").status_code == 404
    assert client.post(f"/actions/{item.pk}/complete/", {"outcome": "x"}).status_code == 404
    item.refresh_from_db()
    assert item.completed_at is None
