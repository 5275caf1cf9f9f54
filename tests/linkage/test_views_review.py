"""The review page: two records side by side, decided once, by the case roles of a holder only."""

import pytest

from jigsaw.accounts.models import Organisation, OrganisationKind
from jigsaw.accounts.roles import Role
from jigsaw.audit.models import AccessEvent, Action
from jigsaw.linkage import access, actions
from jigsaw.linkage.comparison import AGREES, DISAGREES, NOT_COMPARED, PARTLY, verdict_of
from jigsaw.linkage.models import MatchReview, ReviewReason, ReviewStatus
from jigsaw.people.models import Sex
from tests.cast import make_user
from tests.chronology.conftest import actor_for, log
from tests.linkage.conftest import record_at, review_between

HUGE = "x" * 100_000
SCRIPT = '<script>alert("x")</script>'


@pytest.fixture
def gp(cast):
    return Organisation.objects.create(name="Mill Lane Surgery", kind=OrganisationKind.GP_PRACTICE,
                                       local_authority=cast.westbridge)


@pytest.fixture
def possible(cast, gp):
    """Maya at Riverside and a GP record the model was not sure about."""
    gp_record = record_at(gp, given="Maya", family="Thomson", sex=Sex.FEMALE, postcode="PL4 8AB",
                          address="1 Mill Lane")
    return review_between(cast.maya, gp_record)


def url(review) -> str:
    return f"/linkage/reviews/{review.pk}/"


def decide(client, review, same="yes", reason="Same NHS number on the GP's letter"):
    return client.post(url(review), {"same_child": same, "reason": reason})


def test_it_shows_the_two_records_side_by_side_with_what_the_model_found(cast, signed_in, possible):
    html = signed_in(cast.alice).get(url(possible)).content.decode()
    assert "Are these the same child?" in html
    assert "Riverside School (your record)" in html and "Mill Lane Surgery" in html
    assert "Thompson" in html and "Thomson" in html
    assert "27 March 2015" in html and "999 000 1235" in html
    assert "Exact match" in html and "match weight 4.1" in html
    assert "Day and month swapped" in html and "match weight -3.0" in html
    assert "Agrees" in html and "Partly agrees" in html and "Disagrees" in html
    assert "83%" in html


def test_the_reason_is_explained_in_words(cast, signed_in, gp):
    sister = record_at(gp, given="Mia")
    review = review_between(cast.maya, sister, reason=ReviewReason.TWIN_LIKE)
    html = signed_in(cast.alice).get(url(review)).content.decode()
    assert "share a family name and a home" in html and "they may be twins or siblings" in html


def test_a_match_held_back_by_a_twin_already_linked_says_so(cast, signed_in, gp):
    """'Alex' matches Alexander closely; it is Alexandra, linked with Alex, who looks like his twin."""
    alex = record_at(gp, given="Alex")
    review = review_between(cast.maya, alex, reason=ReviewReason.TWIN_OF_MEMBER)
    html = signed_in(cast.alice).get(url(review)).content.decode()
    assert "Could be a twin of a linked record" in html
    assert "a record already linked with the other one looks like a twin or sibling of this child" in html
    queue = signed_in(cast.alice).get("/linkage/reviews/").content.decode()
    assert 'govuk-tag--orange">Could be a twin of a linked record' in queue


def test_viewing_it_is_recorded_as_an_identity_review(cast, signed_in, possible):
    signed_in(cast.alice).get(url(possible))
    event = AccessEvent.objects.get(action=Action.VIEW, object_type="linkage.matchreview")
    assert event.user == cast.alice and event.purpose == "identity review"
    assert event.person == cast.maya and event.object_id == str(possible.pk)


def test_it_never_shows_what_either_organisation_recorded(cast, signed_in, gp, possible):
    gp_lead = make_user("lead@millane.test", "Gita Patel", [(gp, Role.DSL)])
    log(cast.bob, cast.maya, "SCHOOL-SECRET Maya said her dad hit her")
    log(gp_lead, possible.right if possible.right.organisation == gp else possible.left, "GP-SECRET bruising seen")
    html = signed_in(cast.alice).get(url(possible)).content.decode()
    assert "SCHOOL-SECRET" not in html and "GP-SECRET" not in html


def test_confirming_links_the_two_records(cast, signed_in, possible):
    response = decide(signed_in(cast.alice), possible)
    assert response.status_code == 302 and response["Location"] == "/linkage/reviews/"
    possible.refresh_from_db()
    assert possible.status == ReviewStatus.CONFIRMED and possible.decided_by == cast.alice
    assert actions.subject_id_of(possible.left) == actions.subject_id_of(possible.right)


def test_rejecting_keeps_the_records_apart_and_says_so(cast, signed_in, possible):
    client = signed_in(cast.alice)
    response = decide(client, possible, same="no", reason="Different mother's name on the GP record")
    assert response.status_code == 302
    possible.refresh_from_db()
    assert possible.status == ReviewStatus.REJECTED
    assert actions.subject_id_of(possible.left) != actions.subject_id_of(possible.right)
    assert "different children" in client.get("/linkage/reviews/").content.decode()


def test_a_review_can_be_decided_only_once(cast, signed_in, client, possible):
    deputy = make_user("deputy@riverside.test", "Dev Deputy", [(cast.riverside, Role.DEPUTY_DSL)])
    decide(signed_in(cast.alice), possible)
    response = decide(signed_in(deputy), possible, same="no", reason="I think they differ")
    assert response.status_code == 302 and response["Location"] == url(possible)
    html = client.get(response["Location"]).content.decode()
    assert "Alice Adeyemi has already decided this review" in html
    assert "Your answer has not been saved" in html
    possible.refresh_from_db()
    assert possible.status == ReviewStatus.CONFIRMED and possible.decided_by == cast.alice


def test_someone_deciding_while_the_page_was_open_is_reported_not_crashed(cast, signed_in, possible, monkeypatch):
    """The review was open when the page loaded; Dev decided it before Alice's answer was saved."""
    deputy = make_user("deputy@riverside.test", "Dev Deputy", [(cast.riverside, Role.DEPUTY_DSL)])
    real_gate = access.get_review_for
    calls = []

    def stale_then_decided(actor, review_id):
        found = real_gate(actor, review_id)
        if not calls:
            actions.do_confirm_review(acting=actor_for(deputy), review=found, reason="Same NHS number")
        calls.append(review_id)
        return found

    monkeypatch.setattr(access, "get_review_for", stale_then_decided)
    client = signed_in(cast.alice)
    response = decide(client, possible, same="no", reason="Different children")
    assert response.status_code == 302
    assert "Dev Deputy has already decided this review" in client.get(response["Location"]).content.decode()
    possible.refresh_from_db()
    assert possible.decided_by == deputy


def test_an_answer_without_reasons_is_refused_keeping_what_was_chosen(cast, signed_in, possible):
    response = decide(signed_in(cast.alice), possible, same="no", reason="   ")
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and "Enter your reasons" in html
    assert 'value="no" checked' in html
    possible.refresh_from_db()
    assert possible.status == ReviewStatus.OPEN


def test_an_answer_without_a_choice_is_refused_keeping_the_reasons(cast, signed_in, possible):
    response = signed_in(cast.alice).post(url(possible), {"reason": "The NHS numbers match"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose whether these are the same child" in html and "The NHS numbers match" in html


def test_a_huge_reason_is_refused_with_a_clear_error(cast, signed_in, possible):
    response = decide(signed_in(cast.alice), possible, reason=HUGE)
    assert response.status_code == 400
    assert "Reasons must be 2,000 characters or fewer" in response.content.decode()
    possible.refresh_from_db()
    assert possible.status == ReviewStatus.OPEN


@pytest.mark.parametrize("choice", ["maybe", SCRIPT, ""])
def test_a_tampered_choice_is_refused_not_crashed(cast, signed_in, possible, choice):
    response = decide(signed_in(cast.alice), possible, same=choice)
    assert response.status_code == 400
    assert SCRIPT not in response.content.decode()


def test_scripts_in_reasons_are_shown_as_text(cast, signed_in, possible):
    client = signed_in(cast.alice)
    decide(client, possible, same="no", reason=SCRIPT)
    html = client.get(url(possible)).content.decode()
    assert SCRIPT not in html and "&lt;script&gt;" in html


def test_a_protected_identity_at_another_organisation_is_withheld(cast, signed_in, gp):
    hidden = record_at(gp, address="12 Refuge Road", postcode="PL9 9ZZ", school=cast.hillside,
                       protected_identity=True, protected_identity_reason="Fleeing domestic abuse")
    review = review_between(cast.maya, hidden)
    review.evidence = [*review.evidence, {"field": "address", "label": "Same", "code": "exact", "match_weight": 6.0}]
    MatchReview.objects.filter(pk=review.pk).update(evidence=review.evidence)
    html = signed_in(cast.alice).get(url(review)).content.decode()
    assert "Withheld: protected identity" in html
    assert "12 Refuge Road" not in html and "PL9 9ZZ" not in html and "Hillside School" not in html
    assert "match weight 6.0" not in html
    assert "1 Mill Lane, Westbridge" in html  # Riverside's own record is not hidden from Riverside


def test_the_holder_of_a_protected_record_sees_it_in_full(cast, signed_in, gp):
    hidden = record_at(gp, address="12 Refuge Road", protected_identity=True,
                       protected_identity_reason="Fleeing domestic abuse")
    review = review_between(cast.maya, hidden)
    gp_lead = make_user("lead@millane.test", "Gita Patel", [(gp, Role.DSL)])
    html = signed_in(gp_lead).get(url(review)).content.decode()
    assert "12 Refuge Road" in html and "Mill Lane Surgery (your record)" in html


@pytest.mark.parametrize("who", ["bob", "carol", "erin", "pat"])
def test_staff_outsiders_and_other_roles_get_404(cast, signed_in, possible, who):
    response = signed_in(getattr(cast, who)).get(url(possible))
    assert response.status_code == 404
    assert AccessEvent.objects.filter(action=Action.DENIAL, user=getattr(cast, who)).exists()


def test_posting_to_a_review_you_may_not_see_changes_nothing(cast, signed_in, possible):
    assert decide(signed_in(cast.carol), possible).status_code == 404
    possible.refresh_from_db()
    assert possible.status == ReviewStatus.OPEN


def test_a_review_between_two_other_organisations_is_404(cast, signed_in, gp):
    review = review_between(cast.leo, record_at(gp, given="Leo", family="Hill"))
    assert signed_in(cast.alice).get(url(review)).status_code == 404


@pytest.mark.parametrize("review_id", ["99999999", "0", "99999999999999999999"])
def test_missing_reviews_are_404(cast, signed_in, review_id):
    assert signed_in(cast.alice).get(f"/linkage/reviews/{review_id}/").status_code == 404


@pytest.mark.parametrize("item, verdict", [
    ({"code": "exact", "label": "Same", "match_weight": 1.0}, AGREES),
    ({"code": "nickname", "label": "Nickname", "match_weight": 3.2}, PARTLY),
    ({"code": "district", "label": "Same postcode district", "match_weight": -0.4}, PARTLY),
    ({"code": "different", "label": "Different", "match_weight": -5.0}, DISAGREES),
    ({"code": "missing", "label": "Missing on one record", "match_weight": 0.0}, NOT_COMPARED),
    ({"label": "Exact match", "match_weight": 4.1}, AGREES),
    ({"label": "Day and month swapped", "match_weight": 1.2}, PARTLY),
    ({"label": "Something else", "match_weight": -1.2}, DISAGREES),
])
def test_each_field_gets_a_verdict_in_words(item, verdict):
    assert verdict_of(item) == verdict
