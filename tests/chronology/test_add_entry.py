import datetime

import pytest

from jigsaw.audit.models import AccessEvent, Action
from jigsaw.chronology.models import ActionItem, Entry, EntryKind, KeyEvent


def entry_form(**changes) -> dict:
    data = {
        "kind": "contact", "what_happened": "Phoned mum: she will bring Maya's coat tomorrow.",
        "event_date_day": "20", "event_date_month": "11", "event_date_year": "2026", "event_time": "14:30",
        "location": "By phone", "present": "", "actions_taken": "", "categories": ["neglect"],
        "actions-TOTAL_FORMS": "2", "actions-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def url(person) -> str:
    return f"/people/{person.pk}/entries/add/"


def test_the_lead_is_asked_what_they_are_recording(signed_in, cast):
    response = signed_in(cast.alice).get(url(cast.maya))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Record an action, contact, meeting or note" in html
    for kind in ("action", "contact", "meeting", "note"):
        assert f'value="{kind}"' in html
    assert f'<option value="{cast.alice.pk}">Alice Adeyemi</option>' in html


def test_the_entry_goes_into_the_chronology(signed_in, cast):
    client = signed_in(cast.alice)
    response = client.post(url(cast.maya), entry_form())
    assert response.status_code == 302 and response["Location"] == f"/people/{cast.maya.pk}/chronology/"
    entry = Entry.objects.get(person=cast.maya)
    assert entry.kind == EntryKind.CONTACT and entry.author == cast.alice
    assert entry.event_date == datetime.date(2026, 11, 20) and entry.event_time == datetime.time(14, 30)
    html = client.get(response["Location"]).content.decode()
    assert f'id="entry-{entry.pk}"' in html and "Contact with the family recorded" in html
    assert AccessEvent.objects.filter(action=Action.CREATE, object_id=str(entry.pk)).exists()


def test_follow_up_actions_are_given_an_owner(signed_in, cast):
    signed_in(cast.alice).post(url(cast.maya), entry_form(**{
        "actions-0-description": "Check the coat has arrived", "actions-0-owner": str(cast.alice.pk),
        "actions-0-due_day": "24", "actions-0-due_month": "11", "actions-0-due_year": "2026",
    }))
    item = ActionItem.objects.get()
    assert item.description == "Check the coat has arrived" and item.owner == cast.alice
    assert item.due == datetime.date(2026, 11, 24) and item.entry == Entry.objects.get()


def test_an_owner_from_another_school_is_refused(signed_in, cast):
    response = signed_in(cast.alice).post(url(cast.maya), entry_form(**{
        "actions-0-description": "Ring", "actions-0-owner": str(cast.carol.pk),
    }))
    assert response.status_code == 400
    assert not Entry.objects.exists()


def test_it_can_be_marked_as_a_key_event(signed_in, cast):
    signed_in(cast.alice).post(url(cast.maya), entry_form(kind="meeting", key_event="on"))
    assert KeyEvent.objects.filter(thread=Entry.objects.get().thread).exists()


def test_mistakes_are_explained_and_nothing_typed_is_lost(signed_in, cast):
    response = signed_in(cast.alice).post(url(cast.maya), entry_form(
        kind="", event_date_day="31", event_date_month="2", **{"actions-0-owner": str(cast.alice.pk)},
    ))
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_kind_0">Choose what you are recording' in html
    assert "must be a real date" in html
    assert "Describe the action, or clear who and when" in html
    assert "Phoned mum: she will bring Maya&#x27;s coat tomorrow.</textarea>" in html
    assert 'value="By phone"' in html
    assert not Entry.objects.exists()


@pytest.mark.parametrize("who", ["bob", "carol", "dan", "erin"])
def test_only_the_organisations_leads_can_record_entries(signed_in, cast, who):
    client = signed_in(getattr(cast, who))
    assert client.get(url(cast.maya)).status_code == 404
    assert client.post(url(cast.maya), entry_form()).status_code == 404
    assert not Entry.objects.exists()
