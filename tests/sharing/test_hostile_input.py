"""What a careless or hostile user might send to the sharing pages: a clear answer, never a 500."""

import pytest

from jigsaw.sharing import actions
from jigsaw.sharing.models import Decision, ShareDraft
from tests.chronology.conftest import actor_for
from tests.sharing.conftest import share

pytestmark = pytest.mark.django_db

HUGE = "x" * 200_000
SCRIPT = '<script>alert("x")</script>'


def draft_for(cast, entries):
    return actions.do_start_draft(acting=actor_for(cast.alice), person=cast.maya, entry_ids=[e.pk for e in entries])


@pytest.mark.parametrize("ids", [["abc"], ["-1"], ["99999999999999999999999"], ["1e3"], ["٣"], ["0"]])
def test_nonsense_entry_ids_choose_nothing(cast, signed_in, three_entries, ids):
    response = signed_in(cast.alice).post(f"/people/{cast.maya.pk}/share/", {"entries": ids})
    assert response.status_code in (302, 400)
    for draft in ShareDraft.objects.all():
        assert set(draft.entry_ids) <= {e.pk for e in three_entries} | {3}


def test_a_huge_decision_is_refused_with_errors_and_keeps_the_rest(cast, signed_in, three_entries):
    draft = draft_for(cast, three_entries)
    response = signed_in(cast.alice).post(f"/share/{draft.pk}/decision/", {
        "outcome": "share", "purpose": "Assessment of Maya's safety", "rationale": HUGE,
        "recipient": str(cast.social_care.pk), "consent": "not_sought_risk",
    })
    assert response.status_code == 400
    page = response.content.decode()
    assert "Assessment of Maya" in page
    assert "govuk-error-summary" in page
    draft.refresh_from_db()
    assert draft.decision["purpose"] == "Assessment of Maya's safety"
    assert len(draft.decision.get("rationale", "")) <= 5_000


@pytest.mark.parametrize("field, value", [("recipient", "not-a-number"), ("recipient", "99999999"),
                                          ("agreement", "'; DROP TABLE"), ("outcome", "maybe"),
                                          ("lawful_basis", "because"), ("consent", SCRIPT)])
def test_tampered_choices_are_refused_not_crashed(cast, signed_in, three_entries, field, value):
    draft = draft_for(cast, three_entries)
    data = {"outcome": "share", "purpose": "Assessment", "rationale": "Needed", "consent": "not_sought_risk",
            "lawful_basis": "public_task", "recipient": str(cast.social_care.pk), "not_told_reason": "Risk"}
    data[field] = value
    response = signed_in(cast.alice).post(f"/share/{draft.pk}/decision/", data)
    assert response.status_code == 400
    assert SCRIPT not in response.content.decode()


def test_scripts_typed_into_a_share_are_shown_as_text_everywhere(cast, signed_in, three_entries):
    sent = share(cast.alice, cast.maya, three_entries, recipient=cast.social_care, purpose=SCRIPT, rationale=SCRIPT)
    for user, url in ((cast.alice, f"/sharing/disclosures/{sent.disclosure.pk}/"),
                      (cast.alice, f"/sharing/decisions/{sent.decision.pk}/"),
                      (cast.dan, f"/sharing/received/{sent.disclosure.pk}/")):
        response = signed_in(user).get(url)
        page = response.content.decode()
        assert response.status_code == 200 and SCRIPT not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize("phrase", ["(", "a", "[a-z]+", ".*", HUGE])
def test_odd_hand_redactions_are_refused_or_taken_literally(cast, signed_in, three_entries, phrase):
    draft = draft_for(cast, three_entries)
    response = signed_in(cast.alice).post(f"/share/{draft.pk}/preview/", {"phrase": phrase, "reason": "Informant"})
    assert response.status_code in (302, 400)
    draft.refresh_from_db()
    for each in draft.manual_redactions:
        assert each["phrase"] == phrase and len(phrase) <= 200


def test_a_draft_id_that_is_not_a_uuid_is_not_found(cast, signed_in):
    assert signed_in(cast.alice).get("/share/not-a-uuid/decision/").status_code == 404


def test_a_huge_or_odd_external_code_is_refused_without_counting(cast, client, three_entries):
    sent = share(cast.alice, cast.maya, three_entries, external_name="Sam Coach", external_role="Welfare officer",
                 external_email="w@club.test",
                 external_phone="01632 960123", external_reason="Runs the club")
    for code in (HUGE, "'; DROP TABLE", "12345６"):
        response = client.post(f"/shared/{sent.link_token}/", {"code": code})
        assert response.status_code in (200, 400)
    sent.disclosure.external_link.refresh_from_db()
    assert sent.disclosure.external_link.failed_codes == 0


def test_a_huge_request_and_acknowledgement_are_refused_with_errors(cast, signed_in, three_entries):
    dan = signed_in(cast.dan)
    response = dan.post("/requests/new/", {"holder": str(cast.riverside.pk), "given_name": HUGE,
                                           "family_name": "Thompson", "reason": HUGE,
                                           "information_wanted": "x", "urgency": "standard"})
    assert response.status_code == 400 and "govuk-error-summary" in response.content.decode()
    sent = share(cast.alice, cast.maya, three_entries, recipient=cast.social_care)
    response = dan.post(f"/sharing/received/{sent.disclosure.pk}/acknowledge/", {"action_taken": HUGE})
    assert response.status_code == 400
    sent.disclosure.refresh_from_db()
    assert sent.disclosure.acknowledged_at is None


def test_replaying_a_withhold_does_not_record_it_twice(cast, signed_in, three_entries):
    draft = draft_for(cast, three_entries)
    alice = signed_in(cast.alice)
    alice.post(f"/share/{draft.pk}/decision/", {
        "outcome": "withhold", "purpose": "They asked for her file", "rationale": "Not needed for their role",
        "recipient": str(cast.social_care.pk), "consent": "not_sought_other", "consent_detail": "Not relevant",
        "not_told_reason": "Nothing was shared"})
    first = alice.post(f"/share/{draft.pk}/check/")
    again = alice.post(f"/share/{draft.pk}/check/")
    assert first.status_code == 302 and again.status_code == 404
    assert Decision.objects.count() == 1
