from django.db import connection
from django.test.utils import CaptureQueriesContext

from jigsaw.audit.models import AccessEvent, Action
from jigsaw.people.models import Person


def test_it_finds_by_name_whatever_the_case_and_accents(signed_in, cast):
    Person.objects.create(organisation=cast.riverside, given_name="Zoë", family_name="Ó Briain",
                          nhs_number="9990001243")
    client = signed_in(cast.alice)
    for query in ["zoe", "ZOË", "o briain", "Zoe O BRIAIN"]:
        html = client.get("/people/", {"name": query}).content.decode()
        assert "Zoë Ó Briain" in html, query


def test_it_finds_by_date_of_birth_nhs_number_and_upn(signed_in, cast):
    client = signed_in(cast.alice)
    assert "Maya Thompson" in client.get("/people/", {
        "date_of_birth_day": "27", "date_of_birth_month": "3", "date_of_birth_year": "2015"}).content.decode()
    assert "Maya Thompson" in client.get("/people/", {"nhs_number": "999 000 1235"}).content.decode()


def test_it_only_searches_my_organisation(signed_in, cast):
    html = signed_in(cast.carol).get("/people/", {"name": "Thompson"}).content.decode()
    assert "Maya" not in html
    assert "0 people found" in html


def test_each_search_writes_one_access_event(signed_in, cast):
    signed_in(cast.alice).get("/people/", {"name": "Maya"})
    event = AccessEvent.objects.get(action=Action.SEARCH)
    assert event.detail == {"terms": {"name": "Maya"}, "results": 1}


def test_an_empty_search_asks_for_something(signed_in, cast):
    html = signed_in(cast.alice).get("/people/", {"name": ""}).content.decode()
    assert "Enter a name, date of birth, NHS number or unique pupil number" in html


def test_search_results_run_a_fixed_number_of_queries(signed_in, cast):
    client = signed_in(cast.alice)
    client.get("/people/", {"name": "Thompson"})
    with CaptureQueriesContext(connection) as few:
        client.get("/people/", {"name": "Thompson"})
    for index in range(10):
        Person.objects.create(organisation=cast.riverside, given_name=f"Child{index}", family_name="Thompson",
                              nhs_number="", nhs_number_absent_reason="Not known", school=cast.hillside)
    with CaptureQueriesContext(connection) as many:
        client.get("/people/", {"name": "Thompson"})
    assert len(many) == len(few)
