"""Golden rule 4: Alice asks Erin (the DPO) for advice on a draft; Erin sees only what the advice needs."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jigsaw.accounts.models import Membership
from jigsaw.accounts.roles import Role
from jigsaw.audit.models import AccessEvent, Action
from jigsaw.guidance.sharing import Outcome
from jigsaw.sharing import access, actions
from jigsaw.sharing.forms.advice import END_OF_DAY, WITHIN_HOUR, WORKING_DAY, advice_due
from jigsaw.sharing.models import AdviceRequest
from tests.cast import make_user
from tests.chronology.conftest import actor_for, log
from tests.sharing.conftest import decision_data

pytestmark = pytest.mark.django_db

QUESTION = "May I share this without telling Maya's mother first?"
ADVICE = "Yes: telling her could put Maya at greater risk. Record that as your reason."


@pytest.fixture
def draft(cast, three_entries):
    """Alice's share of Maya's entries with social care, half decided; Maya's mother is protected."""
    cast.mum.protected_identity, cast.mum.protected_identity_reason = True, "Fled domestic abuse"
    cast.mum.save()
    named = log(cast.bob, cast.maya, "Jo Thompson's new address was mentioned by Maya.").first_entry
    alice = actor_for(cast.alice)
    started = actions.do_start_draft(acting=alice, person=cast.maya,
                                     entry_ids=[e.pk for e in [*three_entries, named]])
    typed = decision_data(recipient=cast.social_care, rationale="Maya may be at risk.").as_draft()
    return actions.do_update_draft(acting=alice, draft=started, decision=typed)


def erins_membership(cast) -> Membership:
    return cast.erin.memberships.get(organisation=cast.riverside)


def ask(cast, draft, adviser=None, **overrides) -> AdviceRequest:
    values = {"question": QUESTION, "due_at": timezone.now() + datetime.timedelta(hours=1), "briefing": {}}
    values.update(overrides)
    return actions.do_ask_advice(acting=actor_for(cast.alice), draft=draft,
                                 adviser=adviser or erins_membership(cast), **values)


def send(cast, draft):
    alice = actor_for(cast.alice)
    return actions.do_decide(acting=alice, draft=draft, data=decision_data(recipient=cast.social_care),
                             shareable=access.shareable_entries(alice, cast.maya))


def test_alice_asks_erin_who_sees_the_redacted_briefing_and_answers(signed_in, cast, draft,
                                                                     django_capture_on_commit_callbacks):
    alice = signed_in(cast.alice)
    page = alice.get(f"/share/{draft.pk}/advice/").content.decode()
    assert "Asking for advice does not stop you sharing. If the child is at risk now, share now." in page
    assert "Erin Evans, data protection officer" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = alice.post(f"/share/{draft.pk}/advice/", {"adviser": erins_membership(cast).pk,
                                                             "question": QUESTION, "due": WITHIN_HOUR})
    assert response.status_code == 302 and response["Location"] == f"/share/{draft.pk}/decision/"
    asked = AdviceRequest.objects.get()
    assert asked.adviser == cast.erin and asked.draft == draft
    assert [m.to for m in mail.outbox] == [[cast.erin.email]] and "Maya" not in mail.outbox[0].body
    preview = asked.briefing["preview"]
    assert len(preview["items"]) == 4 and "Thompson's" not in preview["items"][3]["what_happened"]

    erin = signed_in(cast.erin)
    html = erin.get(f"/advice/{asked.pk}/").content.decode()
    assert QUESTION.replace("'", "&#x27;") in html
    assert "Westbridge Children&#x27;s Social Care" in html and "6(1)(e) Public task" in html
    assert "Bruise seen on Maya&#x27;s left forearm during PE." in html  # the chosen entries, as they would go
    assert "[redacted] new address" in html and "Jo Thompson" not in html
    assert AccessEvent.objects.filter(action=Action.VIEW, user=cast.erin, object_type="sharing.advicerequest",
                                      object_id=str(asked.pk)).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert erin.post(f"/advice/{asked.pk}/", {"answer": ADVICE}).status_code == 302
    assert mail.outbox[-1].to == [cast.alice.email]

    answer_page = signed_in(cast.alice).get(f"/advice/{asked.pk}/").content.decode()
    assert "telling her could put Maya at greater risk" in answer_page
    sent = send(cast, draft)
    assert list(sent.decision.advice.all()) == [AdviceRequest.objects.get()]


def test_the_adviser_sees_the_chosen_entries_only_never_the_whole_file(signed_in, cast, draft):
    log(cast.bob, cast.maya, "An entry Alice did not choose to share.")
    briefing_page = signed_in(cast.alice).post(f"/share/{draft.pk}/advice/", {
        "adviser": erins_membership(cast).pk, "question": QUESTION, "due": END_OF_DAY})
    assert briefing_page.status_code == 302
    html = signed_in(cast.erin).get(f"/advice/{AdviceRequest.objects.get().pk}/").content.decode()
    assert "An entry Alice did not choose to share." not in html


def test_asking_for_advice_does_not_block_sending(cast, draft):
    asked = ask(cast, draft)
    sent = send(cast, draft)
    asked.refresh_from_db()
    assert sent.disclosure is not None and asked.decision == sent.decision and asked.answered_at is None


def test_erin_cannot_open_advice_she_was_not_asked(signed_in, cast, draft):
    dee = make_user("dee@riverside.test", "Dee Deputy", [(cast.riverside, Role.DEPUTY_DSL)])
    asked = ask(cast, draft, adviser=dee.memberships.get())
    erin = signed_in(cast.erin)
    assert erin.get(f"/advice/{asked.pk}/").status_code == 404
    assert erin.post(f"/advice/{asked.pk}/", {"answer": ADVICE}).status_code == 404
    assert signed_in(cast.carol).get(f"/advice/{asked.pk}/").status_code == 404
    assert signed_in(cast.bob).get(f"/advice/{asked.pk}/").status_code == 404
    assert AccessEvent.objects.filter(action=Action.DENIAL, object_id=str(asked.pk)).count() >= 4
    assert signed_in(dee).get(f"/advice/{asked.pk}/").status_code == 200


def test_only_the_adviser_can_answer(signed_in, cast, draft):
    asked = ask(cast, draft)
    assert signed_in(cast.alice).post(f"/advice/{asked.pk}/", {"answer": "I will answer myself"}).status_code == 404
    assert AdviceRequest.objects.get().answered_at is None


def test_advice_is_given_once(signed_in, cast, draft):
    asked = ask(cast, draft)
    erin = signed_in(cast.erin)
    erin.post(f"/advice/{asked.pk}/", {"answer": ADVICE})
    response = erin.post(f"/advice/{asked.pk}/", {"answer": "Changed my mind"})
    assert response.status_code == 400 and "already given your advice" in response.content.decode()
    assert AdviceRequest.objects.get().answer == ADVICE


def test_a_bad_question_keeps_what_was_typed(signed_in, cast, draft):
    carols = cast.carol.memberships.get()
    alice = signed_in(cast.alice)
    response = alice.post(f"/share/{draft.pk}/advice/", {"adviser": carols.pk, "question": "<b>Help?</b>", "due": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Choose an adviser from the list" in html and "Choose when you need an answer" in html
    assert "&lt;b&gt;Help?&lt;/b&gt;" in html
    assert alice.post(f"/share/{draft.pk}/advice/", {"adviser": erins_membership(cast).pk, "due": WITHIN_HOUR,
                                                     "question": "x" * 20_000}).status_code == 400
    assert not AdviceRequest.objects.exists()


def test_someone_elses_draft_cannot_be_sent_for_advice(signed_in, cast, draft):
    assert signed_in(cast.carol).get(f"/share/{draft.pk}/advice/").status_code == 404
    assert signed_in(cast.erin).get(f"/share/{draft.pk}/advice/").status_code == 404
    assert signed_in(cast.bob).post(f"/share/{draft.pk}/advice/", {
        "adviser": erins_membership(cast).pk, "question": QUESTION, "due": WITHIN_HOUR}).status_code == 404


def test_an_emergency_suggests_an_answer_within_the_hour(signed_in, cast, draft):
    alice = actor_for(cast.alice)
    actions.do_update_draft(acting=alice, draft=draft, decision={**draft.decision, "emergency": True})
    html = signed_in(cast.alice).get(f"/share/{draft.pk}/advice/").content.decode()
    assert 'value="hour" checked' in html


def test_due_times_are_plain_and_never_in_the_past():
    friday_evening = timezone.make_aware(datetime.datetime(2026, 11, 20, 18, 30))
    assert advice_due(WITHIN_HOUR, friday_evening) == friday_evening + datetime.timedelta(hours=1)
    assert advice_due(END_OF_DAY, friday_evening) == friday_evening + datetime.timedelta(hours=1)
    assert advice_due(WORKING_DAY, friday_evening).date() == datetime.date(2026, 11, 23)
    morning = timezone.make_aware(datetime.datetime(2026, 11, 20, 9, 0))
    assert timezone.localtime(advice_due(END_OF_DAY, morning)).hour == 17


def test_the_advice_list_shows_what_is_waiting_for_erin_and_what_alice_asked(signed_in, cast, draft):
    ask(cast, draft, due_at=timezone.now() - datetime.timedelta(hours=2))
    erin = signed_in(cast.erin).get("/advice/").content.decode()
    assert "Maya Thompson" in erin and "Overdue" in erin and "jigsaw-overdue" in erin
    assert "Alice Adeyemi" in erin
    alice = signed_in(cast.alice).get("/advice/").content.decode()
    assert "Erin Evans" in alice
    carol = signed_in(cast.carol).get("/advice/")
    assert carol.status_code == 200 and "Maya" not in carol.content.decode()


def test_the_advice_list_costs_the_same_however_much_advice(signed_in, cast, draft, django_assert_max_num_queries):
    ask(cast, draft)
    erin = signed_in(cast.erin)
    erin.get("/advice/")
    with CaptureQueriesContext(connection) as few:
        erin.get("/advice/")
    for n in range(10):
        asked = ask(cast, draft, question=f"Question {n}")
        if n % 2:
            actions.do_give_advice(acting=actor_for(cast.erin), advice=asked, answer="Share it")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert erin.get("/advice/").status_code == 200


def test_a_withheld_decision_keeps_its_advice_too(cast, draft):
    asked = ask(cast, draft)
    alice = actor_for(cast.alice)
    decision = actions.do_decide(acting=alice, draft=draft,
                                 data=decision_data(recipient=cast.social_care, outcome=Outcome.WITHHOLD),
                                 shareable=access.shareable_entries(alice, cast.maya)).decision
    asked.refresh_from_db()
    assert asked.decision == decision
