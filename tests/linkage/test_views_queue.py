"""The review queue: open reviews oldest first, decided ones with who and when, only a holder's own."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jigsaw.accounts.models import Organisation, OrganisationKind
from jigsaw.audit.models import AccessEvent, Action
from jigsaw.linkage import actions
from jigsaw.linkage.models import MatchReview
from jigsaw.people.models import Person
from tests.chronology.conftest import actor_for
from tests.linkage.conftest import record_at, review_between

QUEUE = "/linkage/reviews/"


@pytest.fixture
def gp(cast):
    return Organisation.objects.create(name="Mill Lane Surgery", kind=OrganisationKind.GP_PRACTICE,
                                       local_authority=cast.westbridge)


def gp_records(gp, count: int) -> list[Person]:
    return Person.objects.bulk_create(
        Person(organisation=gp, given_name=f"Child{n}", family_name="Thompson", nhs_number="",
               nhs_number_absent_reason="Not known", date_of_birth=datetime.date(2015, 3, 27))
        for n in range(count)
    )


def reviews_of_maya(cast, gp, count: int) -> list[MatchReview]:
    return [review_between(cast.maya, record) for record in gp_records(gp, count)]


def test_it_lists_open_reviews_oldest_first(cast, signed_in, gp):
    newer, older = reviews_of_maya(cast, gp, 2)
    MatchReview.objects.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(days=3))
    html = signed_in(cast.alice).get(QUEUE).content.decode()
    assert html.index(older.right.full_name) < html.index(newer.right.full_name)
    assert "3\xa0days" in html  # timesince keeps the number and unit together


def test_each_row_shows_both_records_the_reason_and_the_probability(cast, signed_in, gp):
    reviews_of_maya(cast, gp, 1)
    html = signed_in(cast.alice).get(QUEUE).content.decode()
    assert "Maya Thompson" in html and "Child0 Thompson" in html
    assert "Riverside School" in html and "Mill Lane Surgery" in html
    assert "born 27 March 2015" in html
    assert "Possible match" in html and "83%" in html


def test_it_says_when_nothing_is_waiting(cast, signed_in):
    html = signed_in(cast.alice).get(QUEUE).content.decode()
    assert "There are no possible matches waiting for review" in html


def test_decided_reviews_show_who_decided_and_when(cast, signed_in, gp):
    confirmed, rejected = reviews_of_maya(cast, gp, 2)
    alice = actor_for(cast.alice)
    actions.do_confirm_review(acting=alice, review=confirmed, reason="Same NHS number on the GP's letter")
    actions.do_reject_review(acting=alice, review=rejected, reason="A cousin")
    client = signed_in(cast.alice)
    same = client.get(QUEUE, {"show": "confirmed"}).content.decode()
    assert confirmed.right.full_name in same and rejected.right.full_name not in same
    assert "by Alice Adeyemi" in same
    different = client.get(QUEUE, {"show": "rejected"}).content.decode()
    assert rejected.right.full_name in different and confirmed.right.full_name not in different
    assert "There are no possible matches waiting" in client.get(QUEUE).content.decode()


@pytest.mark.parametrize("show", ["withdrawn", "<script>", "everything"])
def test_an_unknown_tab_shows_the_open_reviews(cast, signed_in, gp, show):
    reviews_of_maya(cast, gp, 1)
    response = signed_in(cast.alice).get(QUEUE, {"show": show})
    assert response.status_code == 200 and "Child0 Thompson" in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_an_outsider_sees_only_reviews_of_their_own_records(cast, signed_in, gp):
    reviews_of_maya(cast, gp, 1)
    leos = review_between(cast.leo, record_at(gp, given="Leo", family="Hill"))
    html = signed_in(cast.carol).get(QUEUE).content.decode()
    assert "Maya Thompson" not in html and "Leo Hill" in html
    assert leos.right.organisation == gp


@pytest.mark.parametrize("who", ["bob", "erin", "pat"])
def test_staff_and_other_roles_get_404(cast, signed_in, gp, who):
    reviews_of_maya(cast, gp, 1)
    assert signed_in(getattr(cast, who)).get(QUEUE).status_code == 404
    assert AccessEvent.objects.filter(action=Action.DENIAL, user=getattr(cast, who)).exists()


def test_looking_at_the_queue_is_recorded(cast, signed_in):
    signed_in(cast.alice).get(QUEUE)
    assert AccessEvent.objects.filter(action=Action.VIEW, user=cast.alice, detail__what="match reviews: open").exists()


def test_it_shows_fifty_at_a_time(cast, signed_in, gp):
    reviews_of_maya(cast, gp, 51)
    client = signed_in(cast.alice)
    first = client.get(QUEUE)
    assert len(first.context["page"].object_list) == 50 and "Page 1 of 2" in first.content.decode()
    assert len(client.get(QUEUE, {"page": "2"}).context["page"].object_list) == 1
    assert client.get(QUEUE, {"page": "nonsense"}).status_code == 200


def test_the_queries_stay_the_same_however_many_reviews(cast, signed_in, gp, django_assert_max_num_queries):
    reviews = reviews_of_maya(cast, gp, 2)
    actions.do_confirm_review(acting=actor_for(cast.alice), review=reviews[0], reason="Same child")
    client = signed_in(cast.alice)
    client.get(QUEUE)
    counts = {}
    for show in ("open", "confirmed"):
        with CaptureQueriesContext(connection) as few:
            client.get(QUEUE, {"show": show})
        counts[show] = len(few)
    more = reviews_of_maya(cast, gp, 30)
    for review in more[:10]:
        actions.do_reject_review(acting=actor_for(cast.alice), review=review, reason="Different")
    for show in ("open", "rejected"):
        with django_assert_max_num_queries(counts["open" if show == "open" else "confirmed"]):
            client.get(QUEUE, {"show": show})
