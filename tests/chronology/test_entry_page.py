import datetime
from decimal import Decimal

import pytest

from jigsaw.audit.models import AccessEvent, Action
from jigsaw.chronology import actions
from jigsaw.chronology.models import EntryKind, InvolvementPart, KeyEvent
from tests.chronology.conftest import actor_for, log


@pytest.fixture
def bobs(cast):
    return log(cast.bob, cast.maya, "Maya seemed upset at break.", childs_words="my dad   hit me",
               location="Playground", present="Mr Khan", categories=["physical-abuse"],
               involvements=[(cast.sam, InvolvementPart.WITNESS)],
               marks=[actions.Mark("front", "front-left-upper-arm", Decimal("69.5"), Decimal("28.5"),
                                   "Round bruise, 2 cm, purple")]).first_entry


@pytest.fixture
def alices(cast):
    data = actions.EntryData(what_happened="Phoned mum about the bruise.", event_date=datetime.date(2026, 11, 3))
    return actions.do_record_entry(acting=actor_for(cast.alice), person=cast.maya, kind=EntryKind.CONTACT, data=data)


def test_the_author_sees_every_field_of_their_entry(signed_in, cast, bobs):
    response = signed_in(cast.bob).get(f"/entries/{bobs.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for shown in ("Maya seemed upset at break.", "my dad   hit me", "Playground", "Mr Khan", "Physical abuse",
                  "Sam Thompson (witness)", "Round bruise, 2 cm, purple", "Bob Brown", "2 November 2026"):
        assert shown in html


def test_the_author_and_the_lead_see_the_recording_prompts(signed_in, cast, bobs):
    assert bobs.findings
    for user in (cast.bob, cast.alice):
        html = signed_in(user).get(f"/entries/{bobs.pk}/").content.decode()
        assert "Recording prompts" in html and "seemed upset" in html.split("Recording prompts")[1]


def test_staff_see_their_own_entry_but_not_anyone_elses(signed_in, cast, bobs, alices):
    client = signed_in(cast.bob)
    assert client.get(f"/entries/{bobs.pk}/").status_code == 200
    assert client.get(f"/entries/{alices.pk}/").status_code == 404


def test_the_lead_sees_every_entry_of_the_organisation(signed_in, cast, bobs, alices):
    client = signed_in(cast.alice)
    assert client.get(f"/entries/{bobs.pk}/").status_code == 200
    assert client.get(f"/entries/{alices.pk}/").status_code == 200


@pytest.mark.parametrize("who", ["carol", "dan", "erin"])
def test_no_one_outside_sees_it(signed_in, cast, bobs, who):
    assert signed_in(getattr(cast, who)).get(f"/entries/{bobs.pk}/").status_code == 404
    assert AccessEvent.objects.filter(action=Action.DENIAL, object_id=str(bobs.pk)).exists()


def test_each_look_is_recorded(signed_in, cast, bobs):
    signed_in(cast.alice).get(f"/entries/{bobs.pk}/")
    event = AccessEvent.objects.get(action=Action.VIEW, person=cast.maya)
    assert event.object_id == str(bobs.pk) and event.detail == {"page": "entry"}


def test_an_uncorrected_entry_has_one_version(signed_in, cast, bobs):
    html = signed_in(cast.bob).get(f"/entries/{bobs.pk}/").content.decode()
    assert "This is the only version" in html
    assert f'href="/entries/{bobs.pk}/correct/"' in html


def test_only_leads_get_the_key_event_button(signed_in, cast, bobs):
    assert "key-event/" not in signed_in(cast.bob).get(f"/entries/{bobs.pk}/").content.decode()
    # A disclosure is a key event from the start.
    assert "Remove key event" in signed_in(cast.alice).get(f"/entries/{bobs.pk}/").content.decode()


def test_the_lead_marks_and_unmarks_a_key_event(signed_in, cast, alices):
    client = signed_in(cast.alice)
    response = client.post(f"/entries/{alices.pk}/key-event/", {"key": "yes"})
    assert response.status_code == 302 and response["Location"] == f"/entries/{alices.pk}/"
    assert KeyEvent.objects.filter(thread=alices.thread).exists()
    html = client.get(f"/entries/{alices.pk}/").content.decode()
    assert "Key event</strong>" in html and "Remove key event" in html
    client.post(f"/entries/{alices.pk}/key-event/", {"key": "no"})
    assert not KeyEvent.objects.filter(thread=alices.thread).exists()
    assert AccessEvent.objects.filter(action=Action.UPDATE, object_id=str(alices.pk)).count() == 2


def test_marking_a_key_event_needs_a_post(signed_in, cast, alices):
    assert signed_in(cast.alice).get(f"/entries/{alices.pk}/key-event/").status_code == 405


@pytest.mark.parametrize("who", ["bob", "carol", "dan"])
def test_no_one_else_can_mark_a_key_event(signed_in, cast, bobs, who):
    KeyEvent.objects.filter(thread=bobs.thread).delete()
    response = signed_in(getattr(cast, who)).post(f"/entries/{bobs.pk}/key-event/", {"key": "yes"})
    assert response.status_code == 404
    assert not KeyEvent.objects.filter(thread=bobs.thread).exists()
