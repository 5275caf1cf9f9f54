"""Governance review: Erin (DPO) sees the risky decisions, samples and reviews them, and counts them per month."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jigsaw.accounts.middleware import ACTIVE_MEMBERSHIP
from jigsaw.accounts.models import Membership
from jigsaw.accounts.roles import Role
from jigsaw.audit.models import AccessEvent, Action
from jigsaw.guidance.sharing import ConsentStatus, Outcome
from jigsaw.sharing import access, actions
from jigsaw.sharing.models import Finding, Review
from jigsaw.sharing.views.governance import csv_cell
from tests.cast import make_user
from tests.chronology.conftest import actor_for, log
from tests.sharing.conftest import share
from tests.sharing.test_agreements import make_agreement

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
SECRET_PHRASE = "Bruise seen on Maya's left forearm during PE."
RATIONALE = "Maya may be at risk of significant harm; sharing is necessary and proportionate."


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, 0, tzinfo=LONDON)


@pytest.fixture
def agreement(cast):
    return make_agreement(cast, starts_on=datetime.date(2020, 1, 1), review_date=datetime.date(2030, 1, 1))


def without_consent(cast, entries):
    return share(cast.alice, cast.maya, entries, recipient=cast.social_care).decision


def withheld(cast, entries=()):
    return share(cast.alice, cast.maya, [], recipient=cast.social_care, outcome=Outcome.WITHHOLD,
                 rationale="Sharing would be more detrimental to Maya than not sharing.").decision


def emergency(cast, entries, agreement):
    return share(cast.alice, cast.maya, entries, recipient=cast.social_care, emergency=True,
                 consent=ConsentStatus.GIVEN, agreement=agreement).decision


def consented(cast, entries, agreement):
    return share(cast.alice, cast.maya, entries, recipient=cast.social_care, consent=ConsentStatus.GIVEN,
                 agreement=agreement, child_told=True, carers_told=True, not_told_reason="").decision


@pytest.fixture
def decisions(cast, three_entries, agreement):
    return {
        "without_consent": without_consent(cast, three_entries),
        "withheld": withheld(cast),
        "emergency": emergency(cast, three_entries[:1], agreement),
        "consented": consented(cast, three_entries[1:], agreement),
    }


def listed(response) -> set:
    return {decision.pk for decision, _flags in response.context["rows"]}


# The queue -------------------------------------------------------------------------------------


def test_erins_queue_lists_risky_decisions_but_not_a_consented_share_under_an_agreement(cast, signed_in,
                                                                                      decisions):
    response = signed_in(cast.erin).get("/governance/")
    assert response.status_code == 200
    assert listed(response) == {decisions[k].pk for k in ("without_consent", "withheld", "emergency")}
    html = response.content.decode()
    for tag in ("Shared without consent", "Not shared", "Emergency", "Outside any agreement", "Not reviewed"):
        assert tag in html
    assert "Maya Thompson" in html


def test_each_flag_filters_the_queue(cast, signed_in, decisions):
    client = signed_in(cast.erin)
    expected = {
        "without_consent": {"without_consent"}, "withheld": {"withheld"}, "emergency": {"emergency"},
        "no_agreement": {"without_consent"},
    }
    for flag, kinds in expected.items():
        response = client.get("/governance/", {"filtered": "1", "flags": flag, "unreviewed": "on"})
        assert listed(response) == {decisions[k].pk for k in kinds}, flag


def test_a_tampered_filter_is_ignored(cast, signed_in, decisions):
    response = signed_in(cast.erin).get("/governance/", {"filtered": "1", "flags": "everything",
                                                         "month": "'; drop table", "unreviewed": "on"})
    assert response.status_code == 200
    assert len(listed(response)) == 3


def test_reviewed_decisions_leave_the_default_queue_but_can_still_be_listed(cast, signed_in, decisions):
    actions.do_review(acting=actor_for(cast.erin), decision=decisions["withheld"], finding=Finding.SOUND,
                      notes="Reasons are clear and the s16LA ground is explained.")
    client = signed_in(cast.erin)
    assert decisions["withheld"].pk not in listed(client.get("/governance/"))
    everything = client.get("/governance/", {"filtered": "1"})
    assert decisions["withheld"].pk in listed(everything)
    assert "Reviewed" in everything.content.decode()


def test_the_month_filter_shows_one_month(cast, signed_in, three_entries):
    with time_machine.travel(at(2026, 10, 14), tick=False) as clock:
        october = withheld(cast)
        clock.move_to(at(2026, 11, 3))
        november = without_consent(cast, three_entries)
        clock.move_to(at(2026, 11, 21))
        client = signed_in(cast.erin)
        response = client.get("/governance/", {"filtered": "1", "unreviewed": "on", "month": "2026-10"})
        assert listed(response) == {october.pk}
        assert listed(client.get("/governance/", {"filtered": "1", "month": "2026-11"})) == {november.pk}
        assert "October 2026" in response.content.decode()


def test_a_sample_picks_unreviewed_decisions_at_random(cast, signed_in, decisions):
    actions.do_review(acting=actor_for(cast.erin), decision=decisions["emergency"], finding=Finding.SOUND,
                      notes="Proportionate in an emergency.")
    client = signed_in(cast.erin)
    response = client.get("/governance/", {"filtered": "1", "sample": "2"})
    picked = {decision.pk for decision, _ in response.context["sample"]}
    assert len(picked) == 2
    assert picked <= {decisions["without_consent"].pk, decisions["withheld"].pk}
    everything = client.get("/governance/", {"filtered": "1", "sample": "50"})
    assert len(everything.context["sample"]) == 2  # only two are still unreviewed


@pytest.mark.parametrize("size", ["0", "51", "many"])
def test_a_sample_size_outside_1_to_50_is_refused(cast, signed_in, decisions, size):
    response = signed_in(cast.erin).get("/governance/", {"sample": size})
    assert response.status_code == 400
    assert "Enter a number of decisions from 1 to 50" in response.content.decode()


def test_the_queue_takes_the_same_number_of_queries_however_many_decisions(cast, signed_in, three_entries):
    client = signed_in(cast.erin)
    client.get("/governance/")  # the first request of a session records the session itself
    withheld(cast)
    with CaptureQueriesContext(connection) as few:
        client.get("/governance/")
    for _ in range(6):
        withheld(cast)
        without_consent(cast, three_entries[:1])
    with CaptureQueriesContext(connection) as many:
        response = client.get("/governance/")
    assert len(listed(response)) == 13
    assert len(many) == len(few) <= 20


def test_the_queue_is_paginated_by_50(cast, signed_in):
    for _ in range(51):
        withheld(cast)
    client = signed_in(cast.erin)
    first = client.get("/governance/")
    assert len(listed(first)) == 50
    assert 'href="?filtered=1&amp;unreviewed=on&amp;page=2"' in first.content.decode()
    assert len(listed(client.get("/governance/", {"filtered": "1", "unreviewed": "on", "page": "2"}))) == 1


# Reviewing a decision --------------------------------------------------------------------------


def test_erins_review_page_shows_the_rationale_but_no_entry_text(cast, signed_in, decisions):
    decision = decisions["without_consent"]
    response = signed_in(cast.erin).get(f"/governance/decisions/{decision.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert RATIONALE in html
    assert "So that children&#x27;s social care can assess Maya&#x27;s safety at home" in html
    assert "Westbridge Children&#x27;s Social Care" in html
    assert "Not sought: asking would increase the risk of harm" in html
    assert "Telling her mother could increase the risk to Maya" in html
    assert "Information shared" in html  # the disclosure sent under it, as metadata
    for text in (SECRET_PHRASE, "Bruise seen", "hungry", "looking after her brother"):
        assert text not in html and text.replace("'", "&#x27;") not in html
    assert AccessEvent.objects.filter(action=Action.VIEW, object_type="sharing.decision",
                                      object_id=str(decision.pk), user=cast.erin).exists()


def test_erin_reviews_a_decision_and_cannot_review_it_twice(cast, signed_in, decisions):
    decision = decisions["withheld"]
    client = signed_in(cast.erin)
    page = f"/governance/decisions/{decision.pk}/"
    response = client.post(page, {"finding": Finding.SOUND_WITH_LEARNING,
                                  "notes": "Sound; record the s16LA reasoning more fully next time."})
    assert response.status_code == 302 and response["Location"] == page
    review = Review.objects.get(decision=decision)
    assert review.reviewer == cast.erin and review.reviewer_role == Role.DPO
    html = client.get(page).content.decode()
    assert "Sound, with learning" in html and "record the s16LA reasoning" in html
    assert "Erin Evans (Data protection officer)" in html
    assert "Sign off the review" not in html

    again = client.post(page, {"finding": Finding.NOT_SOUND, "notes": "Changed my mind"}, follow=True)
    assert "You have already reviewed this decision." in again.content.decode()
    assert Review.objects.get(decision=decision).finding == Finding.SOUND_WITH_LEARNING


def test_a_second_reviewer_is_told_someone_else_has_reviewed_it(cast, signed_in, decisions):
    decision = decisions["emergency"]
    guardian = make_user("grace@riverside.test", "Grace Green", [(cast.riverside, Role.CALDICOTT_GUARDIAN)])
    actions.do_review(acting=actor_for(cast.erin), decision=decision, finding=Finding.SOUND, notes="Fine")
    response = signed_in(guardian).post(f"/governance/decisions/{decision.pk}/",
                                        {"finding": Finding.NOT_SOUND, "notes": "Not fine"}, follow=True)
    assert "Someone else has reviewed this decision." in response.content.decode()
    assert Review.objects.count() == 1


def test_two_reviews_at_once_only_one_wins(cast, signed_in, decisions, monkeypatch):
    """The second reviewer's page saw no review; the first committed before the second saved."""
    decision = decisions["emergency"]
    actions.do_review(acting=actor_for(cast.erin), decision=decision, finding=Finding.SOUND, notes="First")
    with pytest.raises(actions.AlreadyReviewed):
        actions.do_review(acting=actor_for(cast.erin), decision=decision, finding=Finding.NOT_SOUND, notes="Again")
    monkeypatch.setattr(access, "reviews_of", lambda actor: Review.objects.none())
    response = signed_in(cast.erin).post(f"/governance/decisions/{decision.pk}/",
                                         {"finding": Finding.NOT_SOUND, "notes": "Second"}, follow=True)
    assert "Someone else has reviewed this decision." in response.content.decode()
    assert Review.objects.get(decision=decision).notes == "First"


def test_a_review_needs_a_finding_and_notes(cast, signed_in, decisions):
    response = signed_in(cast.erin).post(f"/governance/decisions/{decisions['withheld'].pk}/",
                                         {"finding": "brilliant", "notes": "   "})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Select your finding" in html and "Enter your notes on the decision" in html
    assert not Review.objects.exists()


def test_erin_cannot_review_another_organisations_decision_until_she_acts_for_it(cast, signed_in, three_entries):
    dans = share(cast.dan, cast.maya, [], recipient=cast.riverside, outcome=Outcome.WITHHOLD).decision
    carols = share(cast.carol, cast.leo, [log(cast.carol, cast.leo).first_entry], recipient=cast.social_care)
    client = signed_in(cast.erin)
    assert client.get(f"/governance/decisions/{dans.pk}/").status_code == 404
    assert client.get(f"/governance/decisions/{carols.decision.pk}/").status_code == 404
    session = client.session
    session[ACTIVE_MEMBERSHIP] = Membership.objects.get(user=cast.erin, organisation=cast.social_care).pk
    session.save()
    assert client.get(f"/governance/decisions/{dans.pk}/").status_code == 200
    assert listed(client.get("/governance/")) == {dans.pk}


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dan", "pat"])
def test_people_without_a_governance_role_get_404(cast, signed_in, decisions, who):
    client = signed_in(getattr(cast, who))
    decision = decisions["withheld"]
    for url in ("/governance/", f"/governance/decisions/{decision.pk}/", "/governance/report/",
                "/governance/report.csv"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/governance/decisions/{decision.pk}/", {"finding": "sound", "notes": "x"}).status_code \
        == 404
    assert not Review.objects.exists()


# The report ------------------------------------------------------------------------------------


@pytest.fixture
def two_months(cast, three_entries, agreement):
    """October: a share without consent and a withhold. November: an emergency, a consented share and a withhold,
    one of them found not sound."""
    with time_machine.travel(at(2026, 10, 5), tick=False) as clock:
        without_consent(cast, three_entries)
        withheld(cast)
        clock.move_to(at(2026, 11, 2))
        emergency(cast, three_entries[:1], agreement)
        consented(cast, three_entries[1:], agreement)
        late = withheld(cast)
        actions.do_review(acting=actor_for(cast.erin), decision=late, finding=Finding.NOT_SOUND,
                          notes="The reasons do not explain the s16LA ground")
        clock.move_to(at(2026, 11, 21))
        yield clock


def test_the_report_counts_match_a_known_set_of_decisions_across_two_months(cast, signed_in, two_months):
    client = signed_in(cast.erin)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/governance/report/")
    rows = dict(response.context["rows"])
    # Decisions, shared, not shared, without consent, emergency, outside any agreement, reviewed, not sound
    assert rows[datetime.date(2026, 10, 1)] == [2, 1, 1, 1, 0, 1, 0, 0]
    assert rows[datetime.date(2026, 11, 1)] == [3, 2, 1, 0, 1, 0, 1, 1]
    assert rows[datetime.date(2026, 9, 1)] == [0] * 8
    months = [month for month, _ in response.context["rows"]]
    assert months[0] == datetime.date(2025, 12, 1) and len(months) == 12
    assert response.context["totals"] == [5, 3, 2, 1, 1, 1, 1, 1]
    html = response.content.decode()
    assert "Sharing decisions by Riverside School, December 2025 to November 2026" in html
    assert "Maya" not in html
    aggregates = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"] and "sharing_decision" in q["sql"]]
    assert len(aggregates) == 1


def test_the_report_for_a_chosen_year(cast, signed_in, two_months):
    response = signed_in(cast.erin).get("/governance/report/", {"year": "2026"})
    months = [month for month, _ in response.context["rows"]]
    assert months[0] == datetime.date(2026, 1, 1) and months[-1] == datetime.date(2026, 12, 1)
    assert response.context["totals"][0] == 5
    assert "Sharing decisions by Riverside School, 2026" in response.content.decode()


def test_an_unknown_year_shows_the_last_12_months(cast, signed_in, two_months):
    response = signed_in(cast.erin).get("/governance/report/", {"year": "1999"})
    assert response.status_code == 200 and len(response.context["rows"]) == 12


def test_the_csv_has_the_same_figures_and_is_recorded(cast, signed_in, two_months):
    response = signed_in(cast.erin).get("/governance/report.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="sharing-decisions-last-12-months.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Organisation", "Month", "Decisions"]
    assert ["Riverside School", "October 2026", "2", "1", "1", "1", "0", "1", "0", "0"] in rows
    assert ["Riverside School", "November 2026", "3", "2", "1", "0", "1", "0", "1", "1"] in rows
    assert rows[-1] == ["Riverside School", "Total", "5", "3", "2", "1", "1", "1", "1", "1"]
    assert AccessEvent.objects.filter(action=Action.EXPORT, user=cast.erin).exists()


def test_the_csv_escapes_a_cell_starting_with_equals(cast, signed_in, two_months):
    cast.riverside.name = '=HYPERLINK("http://evil.test","Click")'
    cast.riverside.save()
    rows = list(csv.reader(io.StringIO(signed_in(cast.erin).get("/governance/report.csv").content.decode())))
    assert rows[1][0] == "'=HYPERLINK(\"http://evil.test\",\"Click\")"
    assert not any(cell.startswith("=") for row in rows for cell in row)


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_every_formula_prefix_is_neutralised(value):
    assert csv_cell(value) == f"'{value}"


def test_ordinary_cells_are_left_alone():
    assert csv_cell("Riverside School") == "Riverside School" and csv_cell(3) == "3"
