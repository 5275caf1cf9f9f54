"""A record's link history and unlinking it: reasons required, history kept, only one's own record."""

import pytest

from jigsaw.audit.models import AccessEvent, Action
from jigsaw.linkage import actions
from jigsaw.linkage.models import Link, LinkMethod
from tests.chronology.conftest import actor_for

HUGE = "x" * 100_000
SCRIPT = '<script>alert("x")</script>'


def url(person) -> str:
    return f"/people/{person.pk}/links/"


def test_it_shows_how_the_record_was_linked_and_with_whom(cast, signed_in, linked):
    html = signed_in(cast.dan).get(url(linked.social_care_record)).content.decode()
    assert "Same NHS number" in html and "by Jigsaw (linkage)" in html
    assert "Maya Thompson, Riverside School" in html  # matched with, and linked now
    assert "Maya Thompson, Mill Lane Surgery" in html
    assert "Current" in html and "Unlink this record" in html


def test_looking_is_recorded(cast, signed_in, linked):
    signed_in(cast.dan).get(url(linked.social_care_record))
    event = AccessEvent.objects.get(action=Action.VIEW, user=cast.dan, detail__what="link history")
    assert event.person == linked.social_care_record


def test_unlinking_needs_reasons(cast, signed_in, linked):
    response = signed_in(cast.dan).post(url(linked.social_care_record), {"reason": "  "})
    assert response.status_code == 400
    assert "Enter why this record should be unlinked" in response.content.decode()
    assert actions.subject_id_of(linked.social_care_record) == actions.subject_id_of(cast.maya)


def test_unlinking_separates_the_record_and_keeps_its_history(cast, signed_in, linked):
    client = signed_in(cast.dan)
    reason = "A different Maya: the GP checked the NHS number"
    response = client.post(url(linked.social_care_record), {"reason": reason})
    assert response.status_code == 302 and response["Location"] == url(linked.social_care_record)
    assert actions.subject_id_of(linked.social_care_record) != actions.subject_id_of(cast.maya)
    links = Link.objects.filter(person=linked.social_care_record).order_by("linked_at", "pk")
    assert [link.method for link in links] == [LinkMethod.NHS_NUMBER, LinkMethod.SPLIT]
    html = client.get(response["Location"]).content.decode()
    assert "has been unlinked" in html
    assert reason in html and "by Dan Davies" in html
    assert "This record is not linked to any other organisation" in html


def test_a_record_unlinked_from_is_no_longer_named(cast, signed_in, linked):
    actions.do_unlink(acting=actor_for(cast.dan), person=linked.social_care_record, reason="Different children")
    html = signed_in(cast.dan).get(url(linked.social_care_record)).content.decode()
    assert "A record you cannot see now" in html
    assert "Riverside School" not in html and "Mill Lane Surgery" not in html


def test_unlinking_a_record_linked_to_no_other_says_so(cast, signed_in):
    response = signed_in(cast.alice).post(url(cast.sam), {"reason": "Tidying up"})
    assert response.status_code == 400
    assert "This record is not linked to any other" in response.content.decode()


def test_a_huge_reason_is_refused_with_a_clear_error(cast, signed_in, linked):
    response = signed_in(cast.dan).post(url(linked.social_care_record), {"reason": HUGE})
    assert response.status_code == 400
    assert "Reasons must be 2,000 characters or fewer" in response.content.decode()
    assert actions.subject_id_of(linked.social_care_record) == actions.subject_id_of(cast.maya)


def test_scripts_in_reasons_are_shown_as_text(cast, signed_in, linked):
    client = signed_in(cast.dan)
    client.post(url(linked.social_care_record), {"reason": SCRIPT})
    html = client.get(url(linked.social_care_record)).content.decode()
    assert SCRIPT not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("who", ["bob", "carol", "erin", "pat"])
def test_staff_outsiders_and_other_roles_get_404(cast, signed_in, linked, who):
    client = signed_in(getattr(cast, who))
    assert client.get(url(cast.maya)).status_code == 404
    assert client.post(url(cast.maya), {"reason": "Not her"}).status_code == 404
    assert actions.subject_id_of(cast.maya) == actions.subject_id_of(linked.gp_record)


def test_another_organisations_record_is_404(cast, signed_in, linked):
    client = signed_in(cast.alice)
    assert client.get(url(linked.social_care_record)).status_code == 404
    assert client.post(url(linked.social_care_record), {"reason": "Not her"}).status_code == 404
    assert client.get("/people/99999999/links/").status_code == 404
