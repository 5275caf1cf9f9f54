import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from jigsaw.audit.models import AccessEvent, Action


def test_it_shows_the_child_with_family_and_household(signed_in, cast):
    html = signed_in(cast.alice).get(f"/people/{cast.maya.pk}/").content.decode()
    assert "Maya Thompson" in html
    assert "999 000 1235" in html
    assert "Sam Thompson" in html and "Sibling" in html
    assert "Jo Thompson" in html and "Parent" in html


def test_the_relationship_shows_from_the_other_side(signed_in, cast):
    html = signed_in(cast.alice).get(f"/people/{cast.mum.pk}/").content.decode()
    assert "Maya Thompson" in html and "Child" in html


def test_staff_see_identity_but_not_family(signed_in, cast):
    html = signed_in(cast.bob).get(f"/people/{cast.maya.pk}/").content.decode()
    assert "Maya Thompson" in html
    assert "Family and household" not in html
    assert "Jo Thompson" not in html


def test_each_view_writes_one_access_event(signed_in, cast):
    signed_in(cast.alice).get(f"/people/{cast.maya.pk}/")
    events = AccessEvent.objects.filter(action=Action.VIEW, person=cast.maya)
    assert events.count() == 1
    assert events.get().user == cast.alice
    assert events.get().organisation == cast.riverside


def test_it_hides_other_schools_children(signed_in, cast):
    response = signed_in(cast.carol).get(f"/people/{cast.maya.pk}/")
    assert response.status_code == 404
    denial = AccessEvent.objects.get(action=Action.DENIAL)
    assert denial.user == cast.carol
    assert denial.object_id == str(cast.maya.pk)


def test_missing_and_forbidden_look_the_same(signed_in, cast):
    client = signed_in(cast.carol)
    forbidden = client.get(f"/people/{cast.maya.pk}/")
    missing = client.get("/people/987654321/")
    assert forbidden.status_code == missing.status_code == 404
    def without_nonce(response):
        return re.sub(rb'(nonce|value)="[^"]+"', b"", response.content)

    assert without_nonce(forbidden) == without_nonce(missing)
    assert AccessEvent.objects.filter(action=Action.DENIAL).count() == 2


def test_pages_with_personal_data_are_not_cached(signed_in, cast):
    response = signed_in(cast.alice).get(f"/people/{cast.maya.pk}/")
    assert "no-store" in response["Cache-Control"]


def test_the_person_page_runs_a_fixed_number_of_queries(signed_in, cast):
    client = signed_in(cast.alice)
    client.get(f"/people/{cast.maya.pk}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/people/{cast.maya.pk}/")
    from jigsaw.people.models import RelationshipKind
    from tests.cast import _person
    for index in range(5):
        _person(cast.riverside, f"Cousin{index}", "Thompson", cast.maya.date_of_birth, cast.maya,
                RelationshipKind.OTHER)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/people/{cast.maya.pk}/")
    assert len(many) == len(few)


def test_who_has_looked_lists_views_newest_first(signed_in, cast):
    signed_in(cast.bob).get(f"/people/{cast.maya.pk}/")
    client = signed_in(cast.alice)
    html = client.get(f"/people/{cast.maya.pk}/access/").content.decode()
    assert html.index("alice@riverside.test") < html.index("bob@riverside.test")


def test_staff_cannot_see_who_has_looked(signed_in, cast):
    assert signed_in(cast.bob).get(f"/people/{cast.maya.pk}/access/").status_code == 404
