"""The single view: who holds a record of the child and how to reach them, never what they recorded."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jigsaw.accounts.models import Organisation
from jigsaw.accounts.roles import Role
from jigsaw.audit.models import AccessEvent, Action
from jigsaw.chronology import actions as chronology_actions
from jigsaw.chronology.models import EntryKind
from jigsaw.people import actions as people_actions
from jigsaw.people.models import RelationshipKind
from tests.cast import make_user
from tests.chronology.conftest import actor_for, log
from tests.linkage.conftest import record_at

TRIAGE = {"purpose": "triage"}


def url(person) -> str:
    return f"/people/{person.pk}/single-view/"


@pytest.fixture
def gp_lead(linked):
    Organisation.objects.filter(pk=linked.gp.pk).update(safeguarding_phone="01632 960555",
                                                        safeguarding_email="safeguarding@millane.test")
    return make_user("lead@millane.test", "Gita Patel", [(linked.gp, Role.DSL)])


def relate(user, person, relative, kind, lives_with=True):
    people_actions.do_add_relationship(acting=actor_for(user), person=person, relative=relative, kind=kind,
                                       lives_with=lives_with)


def test_it_first_asks_why_you_are_looking(cast, signed_in, linked):
    response = signed_in(cast.alice).get(url(cast.maya))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Triage of a concern" in html and "Strategy discussion or section 47 enquiry" in html
    assert "Mill Lane Surgery" not in html
    assert not AccessEvent.objects.filter(action=Action.VIEW, purpose__gt="").exists()


def test_it_shows_every_organisation_holding_a_record(cast, signed_in, linked):
    html = signed_in(cast.alice).get(url(cast.maya), TRIAGE).content.decode()
    assert "Riverside School (your organisation)" in html
    assert "Mill Lane Surgery" in html and "GP practice" in html
    assert "Westbridge Children&#x27;s Social Care" in html and "Children&#x27;s social care" in html
    assert "2 other organisations hold a record of Maya" in html
    assert "Same NHS number" in html


def test_a_social_worker_sees_the_school_and_the_gp(cast, signed_in, linked):
    html = signed_in(cast.dan).get(url(linked.social_care_record), {"purpose": "strategy"}).content.decode()
    assert "Riverside School" in html and "Mill Lane Surgery" in html


def test_each_look_is_recorded_with_its_purpose(cast, signed_in, linked):
    signed_in(cast.alice).get(url(cast.maya), {"purpose": "other", "other_purpose": "Preparing for a TAF meeting"})
    event = AccessEvent.objects.get(action=Action.VIEW, object_type="people.person", purpose__startswith="Other")
    assert event.purpose == "Other: Preparing for a TAF meeting"
    assert event.user == cast.alice and event.person == cast.maya and event.detail == {"what": "single view"}


def test_other_needs_words(cast, signed_in, linked):
    response = signed_in(cast.alice).get(url(cast.maya), {"purpose": "other", "other_purpose": "  "})
    assert response.status_code == 400
    assert "Say why you are looking" in response.content.decode()


@pytest.mark.parametrize("purpose", ["nosy", "<script>", ""])
def test_a_tampered_purpose_asks_again(cast, signed_in, linked, purpose):
    response = signed_in(cast.alice).get(url(cast.maya), {"purpose": purpose})
    assert response.status_code == 400
    assert "Choose why you are looking" in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_it_never_shows_what_other_organisations_recorded(cast, signed_in, linked, gp_lead):
    log(gp_lead, linked.gp_record, "GP-SECRET fractured wrist, inconsistent account")
    log(cast.dan, linked.social_care_record, "CSC-SECRET strategy discussion notes")
    chronology_actions.do_record_entry(
        acting=actor_for(cast.dan), person=linked.social_care_record, kind=EntryKind.PLAN,
        data=chronology_actions.EntryData(what_happened="PLAN-SECRET child protection plan: neglect"))
    log(cast.bob, cast.maya, "SCHOOL-SECRET Maya was hungry again")
    html = signed_in(cast.alice).get(url(cast.maya), TRIAGE).content.decode()
    for secret in ("GP-SECRET", "CSC-SECRET", "PLAN-SECRET", "SCHOOL-SECRET", "fractured", "neglect"):
        assert secret not in html


def test_it_says_only_yes_or_no_to_plans_and_open_concerns(cast, signed_in, linked, gp_lead):
    log(gp_lead, linked.gp_record, "Bruising seen")
    chronology_actions.do_record_entry(
        acting=actor_for(cast.dan), person=linked.social_care_record, kind=EntryKind.PLAN,
        data=chronology_actions.EntryData(what_happened="Child protection plan"))
    client = signed_in(cast.alice)
    response = client.get(url(cast.maya), TRIAGE)
    holders = {h["organisation"].name: h["record"] for h in response.context["holders"]}
    assert holders["Mill Lane Surgery"].has_open_concerns and not holders["Mill Lane Surgery"].has_plan
    assert holders["Westbridge Children's Social Care"].has_plan
    assert not holders["Westbridge Children's Social Care"].has_open_concerns
    assert not holders["Riverside School"].has_plan and not holders["Riverside School"].has_open_concerns


def test_it_shows_how_to_reach_each_safeguarding_contact(cast, signed_in, linked, gp_lead):
    html = signed_in(cast.dan).get(url(linked.social_care_record), TRIAGE).content.decode()
    assert "01632 960555" in html and "safeguarding@millane.test" in html
    assert "Gita Patel" in html and "lead@millane.test" in html
    assert "Alice Adeyemi" in html  # Riverside's DSL
    assert "Bob Brown" not in html  # staff are not safeguarding contacts


def test_the_household_spans_organisations(cast, signed_in, linked):
    partner = record_at(cast.social_care, given="Gary", family="Stone", dob=datetime.date(1985, 2, 2))
    relate(cast.dan, linked.social_care_record, partner, RelationshipKind.PARTNER_OF_PARENT)
    html = signed_in(cast.alice).get(url(cast.maya), TRIAGE).content.decode()
    assert "Gary Stone" in html and "Partner of parent" in html
    assert "Sam Thompson" in html and "Sibling" in html
    assert "Jo Thompson" in html and "Parent" in html


def test_one_relative_known_to_two_organisations_shows_once(cast, signed_in, linked):
    mum_at_csc = record_at(cast.social_care, given="Jo", family="Thompson", dob=datetime.date(1988, 1, 9),
                           nhs_number="9990001243")
    mum_at_school = cast.mum
    people_actions.do_update_person(acting=actor_for(cast.alice), person=mum_at_school,
                                    data={"nhs_number": "9990001243", "nhs_number_absent_reason": ""})
    relate(cast.dan, linked.social_care_record, mum_at_csc, RelationshipKind.PARENT)
    response = signed_in(cast.alice).get(url(cast.maya), TRIAGE)
    mums = [m for m in response.context["household"] if m.name == "Jo Thompson"]
    assert len(mums) == 1
    assert mums[0].known_to == ["Riverside School", "Westbridge Children's Social Care"]


def test_a_protected_person_at_another_organisation_is_not_named(cast, signed_in, linked):
    hidden = record_at(cast.social_care, given="Ravi", family="Secret", protected_identity=True,
                       protected_identity_reason="Witness protection")
    relate(cast.dan, linked.social_care_record, hidden, RelationshipKind.ADULT_IN_CONTACT, lives_with=False)
    html = signed_in(cast.alice).get(url(cast.maya), TRIAGE).content.decode()
    assert "A person whose identity is protected" in html
    assert "Ravi" not in html and "Secret" not in html


def test_the_holder_of_a_protected_person_sees_their_name(cast, signed_in, linked):
    hidden = record_at(cast.social_care, given="Ravi", family="Secret", protected_identity=True,
                       protected_identity_reason="Witness protection")
    relate(cast.dan, linked.social_care_record, hidden, RelationshipKind.ADULT_IN_CONTACT)
    assert "Ravi Secret" in signed_in(cast.dan).get(url(linked.social_care_record), TRIAGE).content.decode()


def test_request_information_opens_the_request_form_about_this_child(cast, signed_in, linked):
    client = signed_in(cast.alice)
    response = client.get(url(cast.maya), TRIAGE)
    links = {h["organisation"].name: h["request_url"] for h in response.context["holders"]}
    assert links["Riverside School"] is None
    query = parse_qs(urlsplit(links["Mill Lane Surgery"]).query)
    assert query == {"person": [str(cast.maya.pk)], "holder": [str(linked.gp.pk)]}
    form = client.get(links["Mill Lane Surgery"])
    assert form.status_code == 200 and 'value="Maya"' in form.content.decode()


def test_a_child_linked_to_no_one_shows_only_your_own_record(cast, signed_in):
    response = signed_in(cast.alice).get(url(cast.sam), TRIAGE)
    assert response.status_code == 200
    assert "No other organisation holds a record of Sam" in response.content.decode()
    assert [h["organisation"] for h in response.context["holders"]] == [cast.riverside]


@pytest.mark.parametrize("who", ["bob", "carol", "erin", "pat"])
def test_staff_outsiders_and_other_roles_get_404(cast, signed_in, linked, who):
    response = signed_in(getattr(cast, who)).get(url(cast.maya), TRIAGE)
    assert response.status_code == 404
    assert AccessEvent.objects.filter(action=Action.DENIAL, user=getattr(cast, who)).exists()


def test_another_organisations_record_of_the_same_child_is_404(cast, signed_in, linked):
    assert signed_in(cast.alice).get(url(linked.social_care_record), TRIAGE).status_code == 404
    assert signed_in(cast.alice).get("/people/99999999/single-view/", TRIAGE).status_code == 404


def test_the_queries_stay_the_same_as_linked_records_grow(cast, signed_in, linked, django_assert_max_num_queries):
    client = signed_in(cast.alice)
    client.get(url(cast.maya), TRIAGE)
    with CaptureQueriesContext(connection) as few:
        client.get(url(cast.maya), TRIAGE)
    for index in range(6):
        org = Organisation.objects.create(name=f"Surgery {index}", kind="gp_practice", local_authority=cast.westbridge)
        make_user(f"lead{index}@surgery.test", f"Lead {index}", [(org, Role.DSL)])
        record = record_at(org, nhs_number="9990001235")
        relate(cast.alice, cast.maya, record_at(cast.riverside, given=f"Sibling{index}"), RelationshipKind.SIBLING)
        log(cast.dan, linked.social_care_record, f"Concern {index}")
        assert record.links.get().subject_id == linked.school_record.links.get().subject_id
    with django_assert_max_num_queries(len(few)):
        response = client.get(url(cast.maya), TRIAGE)
    assert len(response.context["holders"]) == 9
