"""Don't assume someone else will share (seed 002): a referral decision prompts the lead until they act or say why."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from jigsaw.audit.models import AccessEvent, Action
from jigsaw.chronology import actions as chronology_actions
from jigsaw.chronology.models import Alert
from jigsaw.people.models import Person
from jigsaw.sharing.models import PromptResponse
from tests.chronology.conftest import actor_for, log
from tests.sharing.conftest import share

pytestmark = pytest.mark.django_db

BANNER = "Don&#x27;t assume someone else will share"
REASON = "Maya's social worker, Sam Patel, already knows: she told us on 3 November and is visiting today."


def triage(cast, person, outcome="refer_csc", text="Maya says her father hit her."):
    concern = log(cast.bob, person, text)
    return chronology_actions.do_triage(acting=actor_for(cast.alice), concern=concern, outcome=outcome,
                                        rationale="Maya may be at risk of significant harm.")


def render_prompts(user, person=None) -> str:
    request = RequestFactory().get("/")
    request.user, request.actor = user, actor_for(user)
    tag = "{% load sharing %}{% sharing_prompts person %}" if person else "{% load sharing %}{% sharing_prompts %}"
    return Template(tag).render(Context({"request": request, "person": person}))


def test_a_referral_decision_prompts_the_lead_on_the_inbox(signed_in, cast):
    decision = triage(cast, cast.maya)
    html = signed_in(cast.alice).get("/inbox/").content.decode()
    assert BANNER in html
    assert f"/people/{cast.maya.pk}/share/?kind=referral" in html
    assert f"/prompts/triage/{decision.pk}/" in html
    assert "Refer to children&#x27;s social care" in html


def test_decisions_that_need_no_referral_do_not_prompt(signed_in, cast):
    triage(cast, cast.maya, outcome="monitor")
    assert BANNER not in signed_in(cast.alice).get("/inbox/").content.decode()


def test_a_decision_to_share_prompts_a_share_not_a_referral(cast):
    triage(cast, cast.maya, outcome="share")
    html = render_prompts(cast.alice)
    assert f"/people/{cast.maya.pk}/share/\"" in html and "kind=referral" not in html


def test_sharing_with_social_care_afterwards_makes_the_prompt_disappear(signed_in, cast, three_entries):
    triage(cast, cast.maya)
    share(cast.alice, cast.maya, three_entries, recipient=cast.social_care)
    assert BANNER not in signed_in(cast.alice).get("/inbox/").content.decode()


def test_recording_why_not_makes_the_prompt_disappear_and_is_recorded(signed_in, cast):
    decision = triage(cast, cast.maya)
    alice = signed_in(cast.alice)
    page = alice.get(f"/prompts/triage/{decision.pk}/").content.decode()
    assert "Why are you not referring or sharing now?" in page and "Refer now" in page
    response = alice.post(f"/prompts/triage/{decision.pk}/", {"reason": REASON})
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    answered = PromptResponse.objects.get()
    assert answered.entry == decision and answered.reason == REASON and answered.responded_by == cast.alice
    assert AccessEvent.objects.filter(action=Action.CREATE, object_type="sharing.promptresponse",
                                      object_id=str(answered.pk)).exists()
    assert BANNER not in alice.get("/inbox/").content.decode()
    assert alice.get(f"/prompts/triage/{decision.pk}/").status_code == 404  # answered once only


def test_a_reason_is_required_and_huge_input_is_refused(signed_in, cast):
    decision = triage(cast, cast.maya)
    alice = signed_in(cast.alice)
    response = alice.post(f"/prompts/triage/{decision.pk}/", {"reason": "  "})
    assert response.status_code == 400 and "Enter why you are not referring or sharing now" in response.content.decode()
    assert alice.post(f"/prompts/triage/{decision.pk}/", {"reason": "x" * 20_000}).status_code == 400
    assert not PromptResponse.objects.exists()


def test_a_serious_pattern_alert_prompts_too_and_can_be_answered(signed_in, cast):
    log(cast.bob, cast.maya, "Maya described being touched by an adult.", categories=["sexual-abuse"])
    alert = Alert.objects.get(rule="first_serious")
    alice = signed_in(cast.alice)
    html = alice.get("/inbox/").content.decode()
    assert BANNER in html and f"/prompts/alerts/{alert.pk}/" in html
    assert alice.post(f"/prompts/alerts/{alert.pk}/", {"reason": REASON}).status_code == 302
    assert PromptResponse.objects.get().alert == alert
    assert BANNER not in alice.get("/inbox/").content.decode()


def test_other_schools_and_staff_cannot_answer_riversides_prompts(signed_in, cast):
    decision = triage(cast, cast.maya)
    assert signed_in(cast.carol).get(f"/prompts/triage/{decision.pk}/").status_code == 404
    assert signed_in(cast.carol).post(f"/prompts/triage/{decision.pk}/", {"reason": REASON}).status_code == 404
    assert signed_in(cast.bob).get(f"/prompts/triage/{decision.pk}/").status_code == 404
    assert signed_in(cast.dan).get(f"/prompts/triage/{decision.pk}/").status_code == 404
    assert not PromptResponse.objects.exists()
    assert render_prompts(cast.carol).strip() == "" and render_prompts(cast.bob).strip() == ""


def test_the_prompt_can_be_limited_to_one_child(cast):
    triage(cast, cast.maya)
    triage(cast, cast.sam, text="Sam says he is hungry.")
    html = render_prompts(cast.alice, person=cast.sam)
    assert "Sam Thompson" in html and "Maya Thompson" not in html
    assert "Maya Thompson" in render_prompts(cast.alice)


def prompt_queries(user) -> int:
    render_prompts(user)
    with CaptureQueriesContext(connection) as captured:
        render_prompts(user)
    return len(captured.captured_queries)


def test_the_prompts_cost_the_same_number_of_queries_however_many(cast, django_assert_max_num_queries):
    triage(cast, cast.maya)
    few = prompt_queries(cast.alice)
    for n in range(25):
        child = Person.objects.create(organisation=cast.riverside, given_name=f"Child{n}", family_name="Test",
                                      nhs_number_absent_reason="Not known")
        triage(cast, child, text=f"Concern {n}")
    with django_assert_max_num_queries(few):
        html = render_prompts(cast.alice)
    assert html.count("Record why not") == 20  # capped
