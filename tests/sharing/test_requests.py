"""Requests for information: Dan asks Riverside about Maya; Alice declines, reconsiders on new information, shares."""

import datetime
import threading
from zoneinfo import ZoneInfo

import pgtrigger
import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jigsaw.accounts.roles import Role
from jigsaw.audit.models import AccessEvent, Action
from jigsaw.guidance.sharing import Outcome, Urgency
from jigsaw.people.models import Person
from jigsaw.sharing import access, actions
from jigsaw.sharing.models import Decision, Request, RequestStatus, ShareDraft
from tests.cast import make_user
from tests.chronology.conftest import actor_for
from tests.database import UNTRUNCATABLE
from tests.sharing.conftest import decision_data

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
MONDAY = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=LONDON)
DECLINE_REASONS = "Riverside holds nothing that would help an assessment; sharing would not be proportionate."


def ask(cast, *, urgency=Urgency.STANDARD, holder=None, **fields) -> Request:
    values = {"holder": holder or cast.riverside, "given_name": "Maya", "family_name": "Thompson",
              "date_of_birth": datetime.date(2015, 3, 27), "nhs_number": "9990001235",
              "reason": "A referral says Maya may be neglected; we are assessing.",
              "information_wanted": "Attendance and concerns this term", "urgency": urgency, **fields}
    return actions.do_request(acting=actor_for(cast.dan), data=actions.RequestData(**values))


def answer(user, asked, person, entries=(), **overrides) -> actions.Sent:
    """The holder answers through the real actions: a draft linked to the request, then the decision."""
    actor = actor_for(user)
    draft = actions.do_start_answer(acting=actor, request=asked, person=person)
    if entries:
        actions.do_update_draft(acting=actor, draft=draft, entry_ids=[e.pk for e in entries])
    return actions.do_decide(acting=actor, draft=draft, data=decision_data(recipient=asked.requester, **overrides),
                             shareable=access.shareable_entries(actor, person))


def decline(user, asked, person):
    return answer(user, asked, person, outcome=Outcome.WITHHOLD, rationale=DECLINE_REASONS)


def form(**overrides) -> dict:
    values = {"given_name": "Maya", "family_name": "Thompson", "date_of_birth_day": "27",
              "date_of_birth_month": "3", "date_of_birth_year": "2015", "nhs_number": "999 000 1235",
              "address": "1 Mill Lane", "reason": "A referral says Maya may be neglected.",
              "information_wanted": "Attendance and concerns this term", "urgency": "standard"}
    values.update(overrides)
    return values


# Asking ------------------------------------------------------------------------------------


def test_dans_standard_request_is_due_five_working_days_later_and_riverside_sees_it(signed_in, cast, client,
                                                                                   django_capture_on_commit_callbacks):
    with time_machine.travel(MONDAY, tick=False):
        dan = signed_in(cast.dan)
        with django_capture_on_commit_callbacks(execute=True):
            response = dan.post("/requests/new/", form(holder=cast.riverside.pk))
        asked = Request.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/requests/{asked.pk}/"
        assert asked.due_at == datetime.datetime(2026, 11, 9, 10, 0, tzinfo=LONDON)
        assert asked.requester == cast.social_care and asked.nhs_number == "9990001235"
        page = dan.get(response["Location"]).content.decode()
        assert "They should answer by 9 November 2026 at 10:00" in page
        assert any("request for information is waiting" in m.subject for m in mail.outbox)
        assert "Maya" not in "".join(m.body + m.subject for m in mail.outbox)  # no personal detail by e-mail
        html = signed_in(cast.alice).get("/requests/").content.decode()
    assert "Maya Thompson" in html and "9 November 2026 at 10:00" in html
    assert "Westbridge Children&#x27;s Social Care" in html


def test_an_urgent_request_is_due_by_the_end_of_the_same_day(signed_in, cast):
    with time_machine.travel(MONDAY, tick=False):
        response = signed_in(cast.dan).post("/requests/new/", form(holder=cast.riverside.pk, urgency="urgent"))
        assert response.status_code == 302
        asked = Request.objects.get()
        html = signed_in(cast.alice).get("/requests/").content.decode()
    assert timezone_local(asked.due_at).date() == datetime.date(2026, 11, 2)
    assert asked.urgency == Urgency.URGENT
    assert "Urgent" in html


def timezone_local(value):
    return value.astimezone(LONDON)


def test_the_form_is_filled_in_from_the_requesters_own_record(signed_in, cast):
    dans_maya = Person.objects.create(organisation=cast.social_care, given_name="Maya", family_name="Thompson",
                                      date_of_birth=datetime.date(2015, 3, 27), nhs_number="9990001235",
                                      address="1 Mill Lane, Westbridge", postcode="PL4 8AA")
    dan = signed_in(cast.dan)
    html = dan.get(f"/requests/new/?person={dans_maya.pk}").content.decode()
    assert 'value="9990001235"' in html and "1 Mill Lane, Westbridge, PL4 8AA" in html
    dan.post("/requests/new/", form(holder=cast.riverside.pk, person=dans_maya.pk))
    assert Request.objects.get().requester_person == dans_maya


def test_a_record_from_another_organisation_cannot_prefill_or_be_attached(signed_in, cast):
    dan = signed_in(cast.dan)
    assert dan.get(f"/requests/new/?person={cast.maya.pk}").status_code == 404
    assert dan.post("/requests/new/", form(holder=cast.riverside.pk, person=cast.maya.pk)).status_code == 404
    assert not Request.objects.exists()


def test_a_bad_request_keeps_what_was_typed_and_says_what_is_wrong(signed_in, cast):
    response = signed_in(cast.dan).post("/requests/new/", form(holder=cast.riverside.pk, reason="",
                                                                nhs_number="1234567890",
                                                                given_name="<script>alert(1)</script>"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter why you need the information" in html and "Enter a valid NHS number" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert not Request.objects.exists()


def test_huge_input_and_a_tampered_organisation_are_refused(signed_in, cast):
    dan = signed_in(cast.dan)
    assert dan.post("/requests/new/", form(holder=cast.riverside.pk, reason="x" * 20_000)).status_code == 400
    assert dan.post("/requests/new/", form(holder=cast.social_care.pk)).status_code == 400  # one's own
    assert dan.post("/requests/new/", form(holder=cast.partnership.pk)).status_code == 400
    assert not Request.objects.exists()


# Answering: decline, new information, reconsider and share ------------------------------------


def test_the_holder_chooses_their_record_and_goes_on_to_decide(signed_in, cast):
    asked = ask(cast)
    alice = signed_in(cast.alice)
    html = alice.get(f"/requests/{asked.pk}/answer/").content.decode()
    assert "Maya Thompson" in html and "(matches)" in html
    assert "Sam Thompson" not in html  # matched by NHS number first
    response = alice.post(f"/requests/{asked.pk}/answer/", {"person": cast.maya.pk})
    draft = ShareDraft.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/share/{draft.pk}/decision/"
    assert draft.request == asked and draft.person == cast.maya and draft.kind == "response"


def test_the_holder_can_search_their_own_records_only(signed_in, cast):
    asked = ask(cast, nhs_number="", date_of_birth=None, family_name="Unknown")
    alice = signed_in(cast.alice)
    html = alice.get(f"/requests/{asked.pk}/answer/?name=Thompson").content.decode()
    assert "Sam Thompson" in html and "Leo Hill" not in html
    assert alice.get(f"/requests/{asked.pk}/answer/?name=Leo").content.decode().count("Leo Hill") == 0
    assert alice.post(f"/requests/{asked.pk}/answer/", {"person": cast.leo.pk}).status_code == 404
    assert alice.post(f"/requests/{asked.pk}/answer/", {"person": "nonsense"}).status_code == 400
    assert not ShareDraft.objects.exists()


def test_alice_declines_with_reasons_and_dan_sees_them(signed_in, cast, django_capture_on_commit_callbacks):
    asked = ask(cast)
    with django_capture_on_commit_callbacks(execute=True):
        sent = decline(cast.alice, asked, cast.maya)
    asked.refresh_from_db()
    assert asked.status == RequestStatus.DECLINED and sent.disclosure is None
    assert sent.decision.request == asked and asked.holder_person == cast.maya
    assert any("has been answered" in m.subject for m in mail.outbox)
    dan = signed_in(cast.dan)
    assert DECLINE_REASONS in dan.get("/requests/made/").content.decode()
    page = dan.get(f"/requests/{asked.pk}/").content.decode()
    assert DECLINE_REASONS in page and "Add new information" in page


def test_dan_adds_information_and_alice_is_asked_to_reconsider(signed_in, cast, django_capture_on_commit_callbacks):
    asked = ask(cast)
    decline(cast.alice, asked, cast.maya)
    dan = signed_in(cast.dan)
    assert dan.get(f"/requests/{asked.pk}/add-information/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = dan.post(f"/requests/{asked.pk}/add-information/",
                            {"text": "Maya's brother has told police he is scared to go home."})
    asked.refresh_from_db()
    assert response.status_code == 302 and asked.status == RequestStatus.RECONSIDER
    assert any("please reconsider" in m.subject for m in mail.outbox)
    page = signed_in(cast.alice).get(f"/requests/{asked.pk}/").content.decode()
    assert "New information: reconsider your decision" in page
    assert "scared to go home" in page and "Reconsider and answer" in page


def test_alice_reconsiders_and_shares_in_a_new_decision_linked_to_the_old(signed_in, cast, three_entries):
    asked = ask(cast)
    first = decline(cast.alice, asked, cast.maya).decision
    actions.do_add_information(acting=actor_for(cast.dan), request=asked, text="Maya's brother is scared to go home.")
    sent = answer(cast.alice, Request.objects.get(pk=asked.pk), cast.maya, three_entries)
    asked.refresh_from_db()
    assert sent.decision.reconsiders == first and sent.decision.request == asked
    assert asked.status == RequestStatus.SHARED
    assert sent.disclosure.recipient == cast.social_care and sent.disclosure.kind == "response"
    assert first.outcome == Outcome.WITHHOLD  # the earlier decision stands, unchanged
    dan = signed_in(cast.dan)
    made = dan.get("/requests/made/").content.decode()
    assert f"/sharing/received/{sent.disclosure.pk}/" in made
    assert DECLINE_REASONS not in made  # the latest answer is a share
    page = dan.get(f"/requests/{asked.pk}/").content.decode()
    assert f"/sharing/received/{sent.disclosure.pk}/" in page and DECLINE_REASONS in page  # the history keeps both


def test_two_answers_one_after_the_other_only_the_first_counts(cast, three_entries):
    asked = ask(cast)
    alice = actor_for(cast.alice)
    drafts = [actions.do_start_answer(acting=alice, request=asked, person=cast.maya) for _ in range(2)]
    data = decision_data(recipient=cast.social_care, outcome=Outcome.WITHHOLD, rationale=DECLINE_REASONS)
    actions.do_decide(acting=alice, draft=drafts[0], data=data, shareable=access.shareable_entries(alice, cast.maya))
    with pytest.raises(actions.AlreadyAnswered):
        actions.do_decide(acting=alice, draft=drafts[1], data=data,
                          shareable=access.shareable_entries(alice, cast.maya))
    assert Decision.objects.filter(request=asked).count() == 1


def test_an_answered_request_cannot_be_answered_again_from_the_page(signed_in, cast):
    asked = ask(cast)
    decline(cast.alice, asked, cast.maya)
    alice = signed_in(cast.alice)
    response = alice.post(f"/requests/{asked.pk}/answer/", {"person": cast.maya.pk})
    assert response.status_code == 302 and response["Location"] == f"/requests/{asked.pk}/"
    assert not ShareDraft.objects.exists()


@pytest.fixture(scope="module")
def truncatable():
    """A transactional test empties the database by TRUNCATE afterwards, which the chronology and the ledger
    refuse outside tests. Higher-scoped, so it is in force when pytest-django flushes after the test."""
    with pgtrigger.ignore(*UNTRUNCATABLE):
        yield


@pytest.mark.django_db(transaction=True)
def test_two_people_answering_at_the_same_moment_cannot_both_succeed(truncatable, cast):
    deputy = make_user("dee@riverside.test", "Dee Deputy", [(cast.riverside, Role.DEPUTY_DSL)])
    asked = ask(cast)
    drafts = {user: actions.do_start_answer(acting=actor_for(user), request=asked, person=cast.maya)
              for user in (cast.alice, deputy)}
    start, results = threading.Barrier(2), []

    def decide(user):
        try:
            actor = actor_for(user)
            data = decision_data(recipient=cast.social_care, outcome=Outcome.WITHHOLD, rationale=DECLINE_REASONS)
            start.wait(timeout=10)
            actions.do_decide(acting=actor, draft=drafts[user], data=data,
                              shareable=access.shareable_entries(actor, cast.maya))
            results.append("answered")
        except actions.AlreadyAnswered:
            results.append("too late")
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=decide, args=(user,)) for user in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["answered", "too late"]
    assert Decision.objects.filter(request=asked).count() == 1
    assert Request.objects.get(pk=asked.pk).status == RequestStatus.DECLINED


def test_dan_can_withdraw_an_open_request_once(signed_in, cast):
    asked = ask(cast)
    dan = signed_in(cast.dan)
    assert dan.post(f"/requests/{asked.pk}/withdraw/").status_code == 302
    assert Request.objects.get(pk=asked.pk).status == RequestStatus.WITHDRAWN
    response = dan.post(f"/requests/{asked.pk}/withdraw/", follow=True)
    assert "already been answered or withdrawn" in response.content.decode()
    assert dan.post(f"/requests/{asked.pk}/add-information/", {"text": "More"}).status_code == 302
    assert not asked.updates.exists()


# Who may see what ------------------------------------------------------------------------------


def test_carol_cannot_see_or_touch_the_request(signed_in, cast):
    asked = ask(cast)
    carol = signed_in(cast.carol)
    for url in ("", "answer/", "add-information/"):
        assert carol.get(f"/requests/{asked.pk}/{url}").status_code == 404
    assert carol.post(f"/requests/{asked.pk}/withdraw/").status_code == 404
    assert "Maya" not in carol.get("/requests/").content.decode()
    assert AccessEvent.objects.filter(action=Action.DENIAL, object_id=str(asked.pk)).count() >= 4
    assert Request.objects.get(pk=asked.pk).status == RequestStatus.OPEN


def test_each_side_can_do_only_its_own_part(signed_in, cast):
    asked = ask(cast)
    assert signed_in(cast.dan).get(f"/requests/{asked.pk}/answer/").status_code == 404
    alice = signed_in(cast.alice)
    assert alice.get(f"/requests/{asked.pk}/add-information/").status_code == 404
    assert alice.post(f"/requests/{asked.pk}/withdraw/").status_code == 404


def test_bob_and_erin_cannot_use_requests(signed_in, cast):
    asked = ask(cast)
    for user in (cast.bob, cast.erin):
        client = signed_in(user)
        for url in ("/requests/", "/requests/made/", "/requests/new/", f"/requests/{asked.pk}/"):
            assert client.get(url).status_code == 404, (user, url)


def test_reading_a_request_is_recorded(signed_in, cast):
    asked = ask(cast)
    signed_in(cast.alice).get(f"/requests/{asked.pk}/")
    assert AccessEvent.objects.filter(action=Action.VIEW, object_type="sharing.request",
                                      object_id=str(asked.pk)).exists()


# Lists ---------------------------------------------------------------------------------------


def test_an_overdue_request_is_highlighted(signed_in, cast):
    with time_machine.travel(MONDAY, tick=False):
        ask(cast)
    with time_machine.travel(MONDAY + datetime.timedelta(days=8), tick=False):
        html = signed_in(cast.alice).get("/requests/").content.decode()
        made = signed_in(cast.dan).get("/requests/made/").content.decode()
    assert "jigsaw-overdue" in html and "Overdue" in html
    assert "Overdue" in made


def test_answered_requests_are_listed_apart_from_waiting_ones(signed_in, cast):
    done, waiting = ask(cast), ask(cast, given_name="Sam", nhs_number="")
    decline(cast.alice, done, cast.maya)
    alice = signed_in(cast.alice)
    assert "Sam Thompson" in alice.get("/requests/").content.decode()
    assert "Maya Thompson" not in alice.get("/requests/").content.decode()
    assert "Maya Thompson" in alice.get("/requests/?show=answered").content.decode()
    assert waiting.status == RequestStatus.OPEN


def queries(client, url: str) -> int:
    client.get(url)  # once to warm caches that are not about requests
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def counts(signed_in, cast) -> dict:
    alice = signed_in(cast.alice)
    found = {url: queries(alice, url) for url in ("/requests/", "/requests/?show=answered")}
    found["/requests/made/"] = queries(signed_in(cast.dan), "/requests/made/")
    return found


def test_the_request_lists_cost_the_same_however_many_requests(signed_in, cast, django_assert_max_num_queries):
    decline(cast.alice, ask(cast), cast.maya)
    ask(cast, given_name="Sam")
    few = counts(signed_in, cast)
    for n in range(8):
        more = ask(cast, given_name=f"Child{n}")
        if n % 2:
            decline(cast.alice, more, cast.maya)
    assert counts(signed_in, cast) == few
    dan = signed_in(cast.dan)
    with django_assert_max_num_queries(few["/requests/made/"]):
        assert dan.get("/requests/made/").status_code == 200


def test_a_refusals_reasons_reach_the_requester_without_protected_names(cast, signed_in):
    cast.mum.protected_identity, cast.mum.protected_identity_reason = True, "Fled domestic abuse"
    cast.mum.save()
    asked = ask(cast)
    draft = actions.do_start_answer(acting=actor_for(cast.alice), request=asked, person=cast.maya)
    alice = actor_for(cast.alice)
    actions.do_decide(acting=alice, draft=draft, shareable=access.shareable_entries(alice, cast.maya),
                      data=decision_data(outcome=Outcome.WITHHOLD, recipient=cast.social_care,
                                         rationale="Jo Thompson asked us not to, and sharing now would alert her"))
    dan = signed_in(cast.dan)
    for page in (dan.get(f"/requests/{asked.pk}/"), dan.get("/requests/made/")):
        text = page.content.decode()
        assert "would alert her" in text and "Jo Thompson" not in text
