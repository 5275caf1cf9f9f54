"""The person page's linkage status and the navigation's review count: case roles only, few queries."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from jigsaw.accounts.models import Organisation
from jigsaw.accounts.roles import Role
from jigsaw.linkage.templatetags.linkage import percent
from tests.cast import make_user
from tests.chronology.conftest import actor_for
from tests.linkage.conftest import record_at, review_between


def person_page(client, person) -> str:
    return client.get(f"/people/{person.pk}/").content.decode()


def test_the_person_page_says_which_other_organisations_know_the_child(cast, signed_in, linked):
    html = person_page(signed_in(cast.alice), cast.maya)
    assert "Also known to: Mill Lane Surgery, Westbridge Children&#x27;s Social Care" in html
    assert f'href="/people/{cast.maya.pk}/single-view/"' in html
    assert f'href="/people/{cast.maya.pk}/links/"' in html


def test_it_names_organisations_only(cast, signed_in, linked):
    html = person_page(signed_in(cast.dan), linked.social_care_record)
    assert "Also known to: Mill Lane Surgery, Riverside School" in html
    assert "Alice Adeyemi" not in html


def test_a_possible_match_awaiting_review_links_to_it(cast, signed_in, linked):
    review = review_between(cast.sam, record_at(linked.gp, given="Sam", family="Thompson"))
    html = person_page(signed_in(cast.alice), cast.sam)
    assert "Possible match awaiting review" in html
    assert f'href="/linkage/reviews/{review.pk}/"' in html and "the record at Mill Lane Surgery" in html
    assert "No other organisation's record is linked to this one" in html


def test_staff_see_nothing_of_linkage(cast, signed_in, linked):
    review_between(cast.maya, record_at(linked.gp, given="Mia"))
    html = person_page(signed_in(cast.bob), cast.maya)
    assert "Maya Thompson" in html
    for hidden in ("Also known to", "Mill Lane Surgery", "Possible match", "single-view", "/links/"):
        assert hidden not in html


def test_the_person_page_queries_stay_the_same_as_linked_records_grow(cast, signed_in, linked,
                                                                       django_assert_max_num_queries):
    client = signed_in(cast.alice)
    person_page(client, cast.maya)
    with CaptureQueriesContext(connection) as few:
        person_page(client, cast.maya)
    for index in range(5):
        gp = Organisation.objects.create(name=f"Surgery {index}", kind="gp_practice", local_authority=cast.westbridge)
        record_at(gp, nhs_number="9990001235")
        review_between(cast.maya, record_at(gp, given=f"Other{index}"))
    with django_assert_max_num_queries(len(few)):
        html = person_page(client, cast.maya)
    assert "Surgery 4" in html


def render_navigation(user, organisation=None) -> str:
    request = RequestFactory().get("/")
    request.actor = actor_for(user, organisation)
    return Template("{% load linkage %}{% linkage_navigation %}").render(Context({"request": request}))


def test_the_navigation_counts_open_reviews_for_the_case_roles(cast, linked):
    assert "Possible matches" in render_navigation(cast.alice) and "review-count" not in render_navigation(cast.alice)
    review_between(cast.maya, record_at(linked.gp, given="Mia"))
    review_between(cast.sam, record_at(linked.gp, given="Sam"))
    html = render_navigation(cast.alice)
    assert 'href="/linkage/reviews/"' in html and ">2<" in html and "awaiting review" in html
    assert "review-count" not in render_navigation(cast.carol)


@pytest.mark.parametrize("who", ["bob", "erin", "pat"])
def test_the_navigation_offers_reviews_to_no_one_else(cast, who):
    assert render_navigation(getattr(cast, who)).strip() == ""


def test_a_gp_lead_is_counted_their_own_reviews(cast, linked):
    lead = make_user("lead@millane.test", "Gita Patel", [(linked.gp, Role.DSL)])
    review_between(cast.leo, record_at(linked.gp, given="Leo", family="Hill"))
    assert ">1<" in render_navigation(lead)


@pytest.mark.parametrize("probability, shown", [
    (0.834, "83.4%"), (0.83, "83%"), (0.5, "50%"), (0.995, "99.5%"), (0.99999, "over 99.9%"), (None, "Not scored"),
])
def test_probabilities_are_shown_as_percentages(probability, shown):
    assert percent(probability) == shown
