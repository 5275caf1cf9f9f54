import datetime
import re

import pytest

from jigsaw.audit.models import AccessEvent, Action
from jigsaw.chronology import actions
from jigsaw.chronology.models import Attachment, Concern, Entry, EntryTally, InvolvementPart
from tests.chronology.conftest import actor_for, log
from tests.chronology.uploads import png_upload


def correction(reason="The date was wrong", **changes) -> dict:
    data = {
        "reason": reason, "what_happened": "Maya had a bruise on her arm.", "childs_words": "",
        "event_date_day": "3", "event_date_month": "11", "event_date_year": "2026", "event_time": "",
        "location": "", "present": "", "categories": ["physical-abuse"], "actions_taken": "Told Alice.",
        "involved-TOTAL_FORMS": "1", "involved-INITIAL_FORMS": "0",
        "marks-TOTAL_FORMS": "1", "marks-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def chronology(client, person) -> str:
    return client.get(f"/people/{person.pk}/chronology/").content.decode()


@pytest.fixture
def original(cast):
    return log(cast.bob, cast.maya, "Maya had a bruise on her arm.", categories=["physical-abuse"],
               event_date=datetime.date(2026, 11, 2)).first_entry


def test_the_form_starts_from_the_current_version(signed_in, cast, original):
    html = signed_in(cast.bob).get(f"/entries/{original.pk}/correct/").content.decode()
    assert "Maya had a bruise on her arm.</textarea>" in html
    assert 'name="event_date_day" type="text" inputmode="numeric" value="2"' in html
    assert re.search(r'value="physical-abuse" checked', html)


def test_a_correction_is_a_new_version_and_every_version_is_kept(signed_in, cast, original):
    client = signed_in(cast.bob)
    response = client.post(f"/entries/{original.pk}/correct/", correction())
    new = Entry.objects.get(thread=original.thread, version=2)
    assert response.status_code == 302 and response["Location"] == f"/entries/{new.pk}/"
    original.refresh_from_db()
    assert original.superseded_by == new and original.event_date == datetime.date(2026, 11, 2)
    assert new.event_date == datetime.date(2026, 11, 3) and new.correction_reason == "The date was wrong"
    html = client.get(f"/entries/{new.pk}/").content.decode()
    assert "This entry has been corrected" in html
    assert 'Reason: <span class="jigsaw-preserve">The date was wrong' in html
    assert f'href="/entries/{original.pk}/">Version 1</a>' in html


def test_the_chronology_shows_only_the_current_version_marked_corrected(signed_in, cast, original):
    signed_in(cast.bob).post(f"/entries/{original.pk}/correct/", correction())
    new = Entry.objects.get(thread=original.thread, version=2)
    html = chronology(signed_in(cast.alice), cast.maya)
    assert f'id="entry-{new.pk}"' in html and f'id="entry-{original.pk}"' not in html
    assert f'href="/entries/{new.pk}/#history"><strong class="govuk-tag govuk-tag--grey">Corrected</strong>' in html


def test_an_earlier_version_points_at_the_current_one(signed_in, cast, original):
    client = signed_in(cast.bob)
    client.post(f"/entries/{original.pk}/correct/", correction())
    new = Entry.objects.get(thread=original.thread, version=2)
    html = client.get(f"/entries/{original.pk}/").content.decode()
    assert "This is an earlier version" in html and f'href="/entries/{new.pk}/">Read the current version' in html
    assert "Correct this entry" not in html


def test_correcting_an_earlier_version_is_refused(signed_in, cast, original):
    client = signed_in(cast.bob)
    client.post(f"/entries/{original.pk}/correct/", correction())
    new = Entry.objects.get(thread=original.thread, version=2)
    page = client.get(f"/entries/{original.pk}/correct/").content.decode()
    assert "This entry has already been corrected; correct the latest version" in page
    assert f'href="/entries/{new.pk}/correct/"' in page
    response = client.post(f"/entries/{original.pk}/correct/", correction(reason="Second go", location="Hall"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "This entry has already been corrected; correct the latest version" in html
    assert 'value="Hall"' in html and "Second go</textarea>" in html
    assert Entry.objects.filter(thread=original.thread).count() == 2


def test_a_correction_made_by_someone_else_meanwhile_is_not_overwritten(signed_in, cast, original, monkeypatch):
    client = signed_in(cast.bob)
    client.get(f"/entries/{original.pk}/correct/")
    actions.do_correct_entry(acting=actor_for(cast.alice), entry=original, reason="Lead's correction",
                             data=actions.EntryData(what_happened="The lead's words"))
    latest = Entry.objects.get(thread=original.thread, version=2)
    monkeypatch.setattr(Entry, "is_current", property(lambda entry: True))  # as it was when Bob opened it
    response = client.post(f"/entries/{original.pk}/correct/", correction(what_happened="Bob's words"))
    monkeypatch.undo()
    assert response.status_code == 409
    html = response.content.decode()
    assert "This entry has already been corrected; correct the latest version" in html
    assert "Bob&#x27;s words</textarea>" in html
    assert Entry.objects.filter(thread=original.thread).count() == 2
    assert latest.superseded_by_id is None


def test_a_correction_needs_a_reason_and_keeps_what_was_typed(signed_in, cast, original):
    response = signed_in(cast.bob).post(f"/entries/{original.pk}/correct/",
                                        correction(reason="", what_happened="A new account of it"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter why you are correcting this entry" in html and "A new account of it</textarea>" in html
    assert Entry.objects.filter(thread=original.thread).count() == 1


def test_the_childs_words_are_kept_exactly(signed_in, cast, original):
    words = "  he said   'dont tell'\n"
    signed_in(cast.bob).post(f"/entries/{original.pk}/correct/", correction(childs_words=words))
    assert Entry.objects.get(thread=original.thread, version=2).childs_words == words


def test_staff_cannot_move_an_entry_to_another_child(signed_in, cast, original):
    client = signed_in(cast.bob)
    assert 'name="move_to"' not in client.get(f"/entries/{original.pk}/correct/").content.decode()
    client.post(f"/entries/{original.pk}/correct/", correction(move_to=str(cast.sam.pk)))
    assert Entry.objects.get(thread=original.thread, version=2).person == cast.maya


def test_the_lead_moves_an_entry_to_the_right_child(signed_in, cast, original):
    client = signed_in(cast.alice)
    assert 'name="move_to"' in client.get(f"/entries/{original.pk}/correct/").content.decode()
    client.post(f"/entries/{original.pk}/correct/", correction(reason="Recorded on the wrong child",
                                                                move_to=str(cast.sam.pk)))
    moved = Entry.objects.get(thread=original.thread, version=2)
    assert moved.person == cast.sam
    assert f'id="entry-{moved.pk}"' not in chronology(client, cast.maya)
    assert f'id="entry-{moved.pk}"' in chronology(client, cast.sam)
    assert Concern.objects.get(thread=original.thread).person == cast.sam
    assert not EntryTally.objects.filter(person=cast.maya, count__gt=0).exists()
    assert EntryTally.objects.get(person=cast.sam, category="physical-abuse").count == 1


def test_an_entry_cannot_be_moved_outside_the_organisation(signed_in, cast, original):
    response = signed_in(cast.alice).post(f"/entries/{original.pk}/correct/", correction(move_to=str(cast.leo.pk)))
    assert response.status_code == 400
    assert Entry.objects.filter(thread=original.thread).count() == 1


def test_other_children_and_marks_are_offered_for_correction(signed_in, cast):
    entry = log(cast.bob, cast.maya, involvements=[(cast.sam, InvolvementPart.WITNESS)],
                marks=[actions.Mark("front", "front-chest", 50, 25, "Red mark")]).first_entry
    html = signed_in(cast.bob).get(f"/entries/{entry.pk}/correct/").content.decode()
    assert re.search(rf'<option value="{cast.sam.pk}" selected>', html)
    assert '<option value="witness" selected>' in html
    assert "Red mark</textarea>" in html and 'value="front-chest" data-x="50" data-y="25" selected' in html


def test_the_correction_keeps_the_other_children_it_is_given(signed_in, cast, original):
    signed_in(cast.bob).post(f"/entries/{original.pk}/correct/", correction(**{
        "involved-0-person": str(cast.sam.pk), "involved-0-part": InvolvementPart.ALLEGED_TO_HAVE_HARMED,
    }))
    new = Entry.objects.get(thread=original.thread, version=2)
    assert [(i.person, i.part) for i in new.involvements.all()] == [(cast.sam, "alleged_to_have_harmed")]


def test_attachments_can_be_kept_dropped_and_added(signed_in, cast):
    entry = log(cast.bob, cast.maya, uploads=[png_upload("first.png"), png_upload("second.png")]).first_entry
    first = entry.attachments.order_by("original_name").first()
    client = signed_in(cast.bob)
    html = client.get(f"/entries/{entry.pk}/correct/").content.decode()
    assert "first.png" in html and "second.png" in html
    client.post(f"/entries/{entry.pk}/correct/", correction(keep_attachments=[str(first.pk)],
                                                            attachments=[png_upload("third.png")]))
    new = Entry.objects.get(thread=entry.thread, version=2)
    assert sorted(new.attachments.values_list("original_name", flat=True)) == ["first.png", "third.png"]
    assert Attachment.objects.filter(entry=entry).count() == 2


@pytest.mark.parametrize("who", ["carol", "dan"])
def test_no_one_outside_can_correct(signed_in, cast, original, who):
    client = signed_in(getattr(cast, who))
    assert client.get(f"/entries/{original.pk}/correct/").status_code == 404
    assert client.post(f"/entries/{original.pk}/correct/", correction()).status_code == 404
    assert Entry.objects.filter(thread=original.thread).count() == 1


def test_staff_cannot_correct_someone_elses_entry(signed_in, cast):
    data = actions.EntryData(what_happened="Phoned mum.", event_date=datetime.date(2026, 11, 3))
    alices = actions.do_record_entry(acting=actor_for(cast.alice), person=cast.maya, kind="contact", data=data)
    assert signed_in(cast.bob).get(f"/entries/{alices.pk}/correct/").status_code == 404


def test_each_correction_is_recorded(signed_in, cast, original):
    signed_in(cast.bob).post(f"/entries/{original.pk}/correct/", correction())
    new = Entry.objects.get(thread=original.thread, version=2)
    event = AccessEvent.objects.get(action=Action.UPDATE, object_id=str(new.pk))
    assert event.user == cast.bob and event.detail == {"corrects": original.pk}
