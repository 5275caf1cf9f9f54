"""What a careless or hostile user might send to the concern, triage and correction forms."""

import time

from jigsaw.chronology.models import Concern, ConcernDraft, Entry
from tests.chronology.test_log_concern import form


def test_a_huge_form_count_is_refused_without_building_the_forms(signed_in, cast):
    client = signed_in(cast.bob)
    started = time.perf_counter()
    response = client.post(f"/people/{cast.maya.pk}/concern/", form(**{
        "involved-TOTAL_FORMS": "100000", "marks-TOTAL_FORMS": "100000",
    }))
    assert response.status_code == 400
    assert time.perf_counter() - started < 10
    html = response.content.decode()
    assert "There is a problem" in html
    assert html.count('name="involved-') < 100 and html.count('name="marks-') < 200
    assert not Concern.objects.exists()


def test_a_missing_or_garbled_management_form_is_a_clear_error(signed_in, cast):
    client = signed_in(cast.bob)
    data = form(**{"involved-TOTAL_FORMS": "lots"})
    del data["marks-TOTAL_FORMS"]
    response = client.post(f"/people/{cast.maya.pk}/concern/", data)
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert "Maya had a bruise" in response.content.decode()


def test_a_made_up_category_or_time_is_refused_and_the_text_kept(signed_in, cast):
    response = signed_in(cast.bob).post(f"/people/{cast.maya.pk}/concern/",
                                        form(categories=["not-a-category"], event_time="25:99"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter the time like 14:30" in html and "Maya had a bruise" in html
    assert not Entry.objects.exists()


def test_a_draft_is_bounded_however_much_is_sent(signed_in, cast):
    response = signed_in(cast.bob).post(f"/people/{cast.maya.pk}/concern/check/", {
        "what_happened": "x" * 200_000, **{f"junk-{n}": "y" for n in range(450)},
    })
    assert response.status_code == 200
    draft = ConcernDraft.objects.get()
    assert len(draft.data) <= 400 and len(draft.data["what_happened"][0]) == 10_000


def test_a_tampered_triage_outcome_is_refused(signed_in, cast, concern):
    response = signed_in(cast.alice).post(f"/concerns/{concern.pk}/triage/", {
        "outcome": "delete_everything", "rationale": "x", "actions-TOTAL_FORMS": "2", "actions-INITIAL_FORMS": "0",
    })
    assert response.status_code == 400
    concern.refresh_from_db()
    assert concern.status != "triaged"


def test_a_triage_with_a_huge_action_count_is_refused(signed_in, cast, concern):
    response = signed_in(cast.alice).post(f"/concerns/{concern.pk}/triage/", {
        "outcome": "monitor", "rationale": "Watch", "actions-TOTAL_FORMS": "5000", "actions-INITIAL_FORMS": "0",
    })
    assert response.status_code == 400
    assert response.content.decode().count('name="actions-') < 100


def test_an_entry_cannot_be_moved_to_another_schools_child(signed_in, cast, concern):
    entry = concern.first_entry
    response = signed_in(cast.alice).post(f"/entries/{entry.pk}/correct/", {
        "what_happened": entry.what_happened, "reason": "Wrong child", "move_to": str(cast.leo.pk),
        "involved-TOTAL_FORMS": "0", "involved-INITIAL_FORMS": "0",
        "marks-TOTAL_FORMS": "0", "marks-INITIAL_FORMS": "0",
    })
    assert response.status_code == 400
    assert Entry.objects.get(pk=entry.pk).superseded_by is None


def test_marking_a_key_event_needs_a_post(signed_in, cast, concern):
    assert signed_in(cast.alice).get(f"/entries/{concern.first_entry.pk}/key-event/").status_code == 405


def test_more_fields_than_django_accepts_is_a_400_not_a_500(signed_in, cast):
    response = signed_in(cast.bob).post(f"/people/{cast.maya.pk}/concern/check/",
                                        {f"junk-{n}": "y" for n in range(600)})
    assert response.status_code == 400
    assert not ConcernDraft.objects.exists()
