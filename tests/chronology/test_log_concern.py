import datetime

from django.core import mail

from jigsaw.accounts.roles import Role
from jigsaw.audit.models import AccessEvent, Action
from jigsaw.chronology.models import Concern, ConcernDraft, Entry, EntryKind
from tests.cast import make_user


def form(**overrides):
    data = {
        "what_happened": "Maya had a bruise on her left arm and said 'Dad did it'.",
        "childs_words": "", "event_date_day": "2", "event_date_month": "11", "event_date_year": "2026",
        "event_time": "10:05", "location": "Classroom 4", "present": "Bob Brown",
        "categories": ["physical-abuse"], "actions_taken": "Told Alice Adeyemi at 10:15.",
        "involved-TOTAL_FORMS": "1", "involved-INITIAL_FORMS": "0", "involved-0-person": "", "involved-0-part": "",
        "marks-TOTAL_FORMS": "1", "marks-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_staff_log_a_concern_and_see_it_waiting(signed_in, cast):
    client = signed_in(cast.bob)
    response = client.post(f"/people/{cast.maya.pk}/concern/", form())
    concern = Concern.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/concerns/{concern.pk}/"
    assert concern.raised_by == cast.bob and concern.status == "new"
    entry = concern.first_entry
    assert entry.kind == EntryKind.CONCERN and entry.categories == ["physical-abuse"]
    assert entry.event_date == datetime.date(2026, 11, 2) and entry.location == "Classroom 4"
    page = client.get(response["Location"]).content.decode()
    assert "has not read it yet" in page and "bruise on her left arm" in page


def test_a_childs_words_make_it_a_disclosure_kept_verbatim(signed_in, cast):
    words = "  he said if i tell he'll  hurt mum\n\nso dont tell  "
    signed_in(cast.bob).post(f"/people/{cast.maya.pk}/concern/", form(childs_words=words))
    entry = Entry.objects.get()
    assert entry.kind == EntryKind.DISCLOSURE
    assert entry.childs_words == words.replace("\n", "\r\n") or entry.childs_words == words


def test_the_leads_are_emailed_without_personal_detail(signed_in, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(cast.bob).post(f"/people/{cast.maya.pk}/concern/", form())
    assert len(mail.outbox) >= 1
    message = mail.outbox[0]
    assert message.to == ["alice@riverside.test"]
    text = message.subject + message.body
    assert "Maya" not in text and "Thompson" not in text and "bruise" not in text
    assert "/inbox/" in message.body


def test_a_missing_account_keeps_everything_typed(signed_in, cast):
    client = signed_in(cast.bob)
    response = client.post(f"/people/{cast.maya.pk}/concern/", form(what_happened="", location="Playground"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and "Enter what you saw or heard" in html
    assert 'value="Playground"' in html and "Told Alice Adeyemi" in html
    assert ConcernDraft.objects.get(user=cast.bob).data["location"] == ["Playground"]
    assert not Concern.objects.exists()


def test_a_draft_comes_back_after_the_session_lapses(signed_in, client, cast):
    signed_in(cast.bob).post(f"/people/{cast.maya.pk}/concern/check/", form(what_happened="She seemed upset"))
    client.logout()
    html = signed_in(cast.bob).get(f"/people/{cast.maya.pk}/concern/").content.decode()
    assert "We kept what you typed" in html and "She seemed upset" in html


def test_saving_clears_the_draft(signed_in, cast):
    client = signed_in(cast.bob)
    client.post(f"/people/{cast.maya.pk}/concern/check/", form())
    client.post(f"/people/{cast.maya.pk}/concern/", form())
    assert not ConcernDraft.objects.exists()


def test_the_live_check_explains_vague_phrases(signed_in, cast):
    response = signed_in(cast.bob).post(f"/people/{cast.maya.pk}/concern/check/",
                                        form(what_happened="Maya seemed upset after lunch."))
    assert response.status_code == 200
    html = response.content.decode()
    assert "seemed upset" in html and "Draft kept" in html


def test_language_findings_never_block_saving_and_are_stored(signed_in, cast):
    signed_in(cast.bob).post(f"/people/{cast.maya.pk}/concern/",
                             form(what_happened="JS had a bad day and seemed upset.", actions_taken=""))
    entry = Entry.objects.get()
    rules = {finding["rule"] for finding in entry.findings}
    assert {"vague_phrase", "initials", "no_action"} <= rules


def test_another_childs_part_is_recorded_and_never_as_a_victim(signed_in, cast):
    signed_in(cast.bob).post(f"/people/{cast.maya.pk}/concern/", form(**{
        "involved-0-person": str(cast.sam.pk), "involved-0-part": "alleged_to_have_harmed",
    }))
    entry = Entry.objects.get()
    involvement = entry.involvements.get()
    assert involvement.person == cast.sam and involvement.part == "alleged_to_have_harmed"
    assert not Entry.objects.filter(person=cast.sam).exists()


def test_another_schools_child_cannot_be_named(signed_in, cast):
    response = signed_in(cast.bob).post(f"/people/{cast.maya.pk}/concern/", form(**{
        "involved-0-person": str(cast.leo.pk), "involved-0-part": "witness",
    }))
    assert response.status_code == 400
    assert not Entry.objects.exists()


def test_scripts_in_text_are_shown_as_text(signed_in, cast):
    client = signed_in(cast.bob)
    response = client.post(f"/people/{cast.maya.pk}/concern/", form(what_happened="<script>alert(1)</script>"))
    html = client.get(response["Location"]).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_huge_text_is_refused_clearly(signed_in, cast):
    response = signed_in(cast.bob).post(f"/people/{cast.maya.pk}/concern/", form(what_happened="x" * 10_001))
    assert response.status_code == 400
    assert "at most 10000 characters" in response.content.decode().replace(",", "")


def test_an_event_date_in_the_future_is_refused(signed_in, cast):
    response = signed_in(cast.bob).post(f"/people/{cast.maya.pk}/concern/", form(event_date_year="2099"))
    assert response.status_code == 400
    assert "today or in the past" in response.content.decode()


def test_another_schools_child_is_not_found(signed_in, cast):
    response = signed_in(cast.carol).post(f"/people/{cast.maya.pk}/concern/", form())
    assert response.status_code == 404
    assert AccessEvent.objects.filter(action=Action.DENIAL, user=cast.carol).exists()


def test_logging_writes_the_ledger(signed_in, cast):
    signed_in(cast.bob).post(f"/people/{cast.maya.pk}/concern/", form())
    assert AccessEvent.objects.filter(action=Action.CREATE, person=cast.maya, user=cast.bob).count() == 1


def test_the_author_sees_when_the_lead_has_read_it(signed_in, client, cast, concern):
    signed_in(cast.alice).get(f"/concerns/{concern.pk}/triage/")
    client.logout()
    html = signed_in(cast.bob).get(f"/concerns/{concern.pk}/").content.decode()
    assert "Read by Alice Adeyemi" in html


def test_staff_cannot_see_someone_elses_concern(signed_in, cast, concern):
    tom = make_user("tom@riverside.test", "Tom Taylor", [(cast.riverside, Role.STAFF)])
    assert signed_in(tom).get(f"/concerns/{concern.pk}/").status_code == 404
    assert signed_in(cast.carol).get(f"/concerns/{concern.pk}/").status_code == 404


def test_choosing_a_child_finds_only_my_schools_children(signed_in, cast):
    html = signed_in(cast.bob).get("/concerns/new/", {"name": "Thompson"}).content.decode()
    assert "Maya Thompson" in html
    html = signed_in(cast.carol).get("/concerns/new/", {"name": "Thompson"}).content.decode()
    assert "Maya Thompson" not in html and "No child of Hillside School" in html
