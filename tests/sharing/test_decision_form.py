"""The decision form: the golden rules in order, refused with the same plain-English errors as the action."""

import pytest
from django.urls import reverse

from jigsaw.guidance.sharing import LawfulBasis, Outcome, SpecialCondition, Urgency
from jigsaw.sharing import actions
from jigsaw.sharing.models import Decision, Disclosure, RequestStatus, ShareDraft
from tests.chronology.conftest import actor_for
from tests.sharing.test_share_wizard import decide, decision_post, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(cast, signed_in):
    return signed_in(cast.alice)


@pytest.fixture
def draft(alice, cast, three_entries):
    return start(alice, cast.maya, three_entries)


def refused(response, message: str, field: str | None = None) -> None:
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert message in page
    if field:
        assert f'href="#id_{field}' in page


def test_the_form_follows_the_golden_rules_in_order_with_defaults(alice, draft):
    page = alice.get(reverse("share_decision", args=[draft.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    headings = ["1. The child", "2. Who has been told", "3. Consent", "4. Advice", "7. Your reasons"]
    positions = [text.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert "Asking never holds up an urgent share" in text
    assert reverse("ask_advice", args=[draft.pk]) in text
    form = page.context["form"]
    assert form["lawful_basis"].value() == LawfulBasis.PUBLIC_TASK  # Riverside is a state school
    assert form["special_condition"].value() == SpecialCondition.SAFEGUARDING


def test_an_independent_school_defaults_to_legitimate_interests(cast, alice, draft):
    cast.riverside.independent = True
    cast.riverside.save()
    page = alice.get(reverse("share_decision", args=[draft.pk]))
    assert page.context["form"]["lawful_basis"].value() == LawfulBasis.LEGITIMATE_INTERESTS


def test_a_withhold_without_reasons_is_refused(cast, alice, draft):
    response = decide(alice, draft, decision_post(cast.social_care, outcome=Outcome.WITHHOLD, rationale=" "))
    refused(response, "Enter the reasons for your decision", "rationale")
    assert not Decision.objects.exists()


def test_a_share_without_a_lawful_basis_is_refused(cast, alice, draft):
    response = decide(alice, draft, decision_post(cast.social_care, lawful_basis=""))
    refused(response, "Select the lawful basis for sharing (UK GDPR Article 6)", "lawful_basis")


def test_special_category_data_without_a_condition_is_refused(cast, alice, draft):
    response = decide(alice, draft, decision_post(cast.social_care, special_category="on", special_condition=""))
    refused(response, "Select the condition for sharing special category data", "special_condition")


def test_criminal_offence_data_without_a_condition_is_refused(cast, alice, draft):
    response = decide(alice, draft, decision_post(cast.social_care, criminal_offence_data="on"))
    refused(response, "Enter the condition for sharing criminal offence data", "criminal_condition")


def test_everything_without_a_justification_is_refused(cast, alice, three_entries):
    response = alice.post(reverse("share_choose", args=[cast.maya.pk]), {"everything": "on"})
    draft = ShareDraft.objects.get(pk=response.url.split("/")[2])
    assert draft.everything
    refused(decide(alice, draft, decision_post(cast.social_care)), "Explain why the whole record is needed",
            "everything_justification")
    justified = decide(alice, draft, decision_post(
        cast.social_care, everything_justification="The conference needs the full history of neglect"))
    assert justified.status_code == 302


def test_an_external_recipient_without_a_reason_is_refused(alice, draft):
    response = decide(alice, draft, decision_post(external_name="Sam Rivers", external_role="Youth worker",
                                                  external_email="sam@boxing.test", external_phone="07700 900123"))
    refused(response, "Enter why they need the information", "external_reason")


def test_no_recipient_at_all_is_refused(alice, draft):
    refused(decide(alice, draft, decision_post()), "Select who the information is for", "recipient")


def test_another_school_is_a_valid_recipient(cast, alice, draft):
    assert decide(alice, draft, decision_post(cast.hillside)).status_code == 302


def test_a_tampered_recipient_fails_validation(cast, alice, draft):
    refused(decide(alice, draft, {**decision_post(), "recipient": "999999"}), "Select an organisation from the list")
    refused(decide(alice, draft, decision_post(cast.partnership)), "Select an organisation from the list")
    refused(decide(alice, draft, decision_post(cast.riverside)), "Select an organisation from the list")


def test_a_tampered_recipient_saved_on_the_draft_cannot_be_sent(cast, alice, draft):
    decide(alice, draft, decision_post(cast.social_care))
    actor = actor_for(cast.alice)
    actions.do_update_draft(acting=actor, draft=draft, decision={**draft.decision, "recipient": cast.partnership.pk})
    response = alice.post(reverse("share_check", args=[draft.pk]))
    refused(response, "Select an organisation from the list")
    assert not Decision.objects.exists() and not Disclosure.objects.exists()


def test_what_was_typed_is_kept_when_the_form_is_refused(cast, alice, draft):
    response = decide(alice, draft, decision_post(cast.social_care, rationale="", purpose="<script>alert(1)</script>"))
    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in response.content.decode()
    draft.refresh_from_db()
    assert draft.decision["purpose"] == "<script>alert(1)</script>"
    assert draft.decision["recipient"] == cast.social_care.pk
    again = alice.get(reverse("share_decision", args=[draft.pk]))
    assert again.context["form"]["purpose"].value() == "<script>alert(1)</script>"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in again.content.decode()


def test_huge_answers_are_refused_not_stored_whole(cast, alice, draft):
    response = decide(alice, draft, decision_post(cast.social_care, rationale="x" * 50_000))
    assert response.status_code == 400
    draft.refresh_from_db()
    assert len(draft.decision["rationale"]) <= 5_000


def test_check_your_answers_has_change_links_back_to_the_form(cast, alice, draft):
    decide(alice, draft, decision_post(cast.social_care))
    page = alice.get(reverse("share_check", args=[draft.pk])).content.decode()
    assert f'{reverse("share_decision", args=[draft.pk])}#id_rationale' in page
    assert "6(1)(e) Public task" in page and "3 entries" in page


def test_going_straight_to_check_with_no_answers_shows_the_problems_and_cannot_send(cast, alice, draft):
    page = alice.get(reverse("share_check", args=[draft.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Some answers are missing" in text and "Enter what the information is for" in text
    assert f'{reverse("share_decision", args=[draft.pk])}#id_purpose' in text
    assert "Send to" not in text
    refused(alice.post(reverse("share_check", args=[draft.pk])), "Enter what the information is for", "purpose")
    assert not Decision.objects.exists()


@pytest.fixture
def asked(cast):
    data = actions.RequestData(holder=cast.riverside, given_name="Maya", family_name="Thompson",
                               reason="Strategy discussion tomorrow about bruising", urgency=Urgency.URGENT,
                               information_wanted="Attendance and any concerns this term")
    return actions.do_request(acting=actor_for(cast.dan), data=data)


def test_answering_a_request_shows_it_and_defaults_to_the_requester(cast, alice, asked, three_entries):
    draft = actions.do_start_answer(acting=actor_for(cast.alice), request=asked, person=cast.maya)
    page = alice.get(reverse("share_decision", args=[draft.pk]))
    text = page.content.decode()
    assert "Strategy discussion tomorrow about bruising" in text and "Attendance and any concerns" in text
    assert page.context["form"]["recipient"].value() == str(cast.social_care.pk)
    assert draft.kind == "response"


def test_two_answers_to_one_request_cannot_both_succeed(cast, alice, asked):
    actor = actor_for(cast.alice)
    first = actions.do_start_answer(acting=actor, request=asked, person=cast.maya)
    second = actions.do_start_answer(acting=actor, request=asked, person=cast.maya)
    withhold = decision_post(cast.social_care, outcome=Outcome.WITHHOLD, lawful_basis="")
    for draft in (first, second):
        decide(alice, draft, withhold)
    assert alice.post(reverse("share_check", args=[first.pk])).status_code == 302
    response = alice.post(reverse("share_check", args=[second.pk]), follow=True)
    assert "Someone else in your organisation answered this request" in response.content.decode()
    assert Decision.objects.count() == 1
    asked.refresh_from_db()
    assert asked.status == RequestStatus.DECLINED


def test_reconsidering_shows_the_earlier_decision_and_the_new_information(cast, alice, asked, three_entries):
    actor = actor_for(cast.alice)
    first = actions.do_start_answer(acting=actor, request=asked, person=cast.maya)
    decide(alice, first, decision_post(cast.social_care, outcome=Outcome.WITHHOLD, lawful_basis="",
                                       rationale="Nothing we hold is relevant to bruising"))
    alice.post(reverse("share_check", args=[first.pk]))
    asked.refresh_from_db()
    actions.do_add_information(acting=actor_for(cast.dan), request=asked, text="Maya told police about a belt")
    again = actions.do_start_answer(acting=actor, request=asked, person=cast.maya)
    text = alice.get(reverse("share_decision", args=[again.pk])).content.decode()
    assert "You are reconsidering an earlier decision" in text
    assert "Nothing we hold is relevant to bruising" in text and "Maya told police about a belt" in text


def test_a_request_is_answered_with_entries_chosen_for_the_same_draft(cast, alice, asked, three_entries):
    draft = actions.do_start_answer(acting=actor_for(cast.alice), request=asked, person=cast.maya)
    decide(alice, draft, decision_post(cast.social_care))
    page = alice.get(reverse("share_decision", args=[draft.pk])).content.decode()
    assert f'{reverse("share_choose", args=[cast.maya.pk])}?draft={draft.pk}' in page
    url = f'{reverse("share_choose", args=[cast.maya.pk])}?draft={draft.pk}'
    assert alice.get(url).status_code == 200
    chosen = alice.post(url, {"entries": [three_entries[0].pk, three_entries[2].pk]})
    assert chosen.url == reverse("share_decision", args=[draft.pk])
    assert ShareDraft.objects.get().entry_ids == sorted([three_entries[0].pk, three_entries[2].pk])
    assert not alice.get(reverse("share_check", args=[draft.pk])).context["problems"]  # the decision was kept
    assert alice.post(reverse("share_check", args=[draft.pk])).status_code == 302
    sent = Disclosure.objects.get()
    assert sent.kind == "response" and sent.items.count() == 2 and sent.decision.request == asked
    asked.refresh_from_db()
    assert asked.status == RequestStatus.SHARED


def test_changing_the_entries_of_someone_elses_draft_is_not_found(cast, alice, draft, signed_in):
    url = f'{reverse("share_choose", args=[cast.leo.pk])}?draft={draft.pk}'
    assert signed_in(cast.carol).get(url).status_code == 404
    assert signed_in(cast.carol).post(url, {"entries": ["1"]}).status_code == 404
