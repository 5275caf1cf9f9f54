import datetime

import pytest
from django.utils import timezone

from jigsaw.accounts import actions as account_actions
from jigsaw.accounts.actor import Actor
from jigsaw.accounts.models import ApiKey, ApiKeyScope
from jigsaw.audit.models import AccessEvent, Action
from jigsaw.people.models import Person


@pytest.fixture
def api(client, cast):
    def with_key(organisation=None, scopes=(ApiKeyScope.PEOPLE_READ, ApiKeyScope.PEOPLE_WRITE)):
        acting = Actor.for_membership(cast.pat.memberships.get())
        key, token = account_actions.do_create_api_key(
            acting=acting, organisation=organisation or cast.riverside, name="MIS", scopes=list(scopes), days=30
        )
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        client.key = key
        return client

    return with_key


NEW = {"given_name": "Ava", "family_name": "Khan", "date_of_birth": "2016-02-01", "nhs_number": "9990001243"}


def test_it_creates_a_person_for_the_keys_organisation(api, cast):
    response = api().post("/api/v1/people", NEW, content_type="application/json")
    assert response.status_code == 201
    person = Person.objects.get(pk=response.json()["id"])
    assert person.organisation == cast.riverside
    event = AccessEvent.objects.get(action=Action.CREATE, person=person, object_type="people.person")
    assert event.api_key is not None and event.user is None


def test_it_answers_422_with_field_errors(api):
    response = api().post("/api/v1/people", {**NEW, "nhs_number": "9990001244", "postcode": "nope",
                                             "date_of_birth": "2999-01-01"}, content_type="application/json")
    assert response.status_code == 422
    fields = {error["loc"][-1] for error in response.json()["errors"]}
    assert {"nhs_number", "postcode", "date_of_birth"} <= fields


def test_it_answers_422_for_malformed_json(api):
    response = api().post("/api/v1/people", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)


def test_a_missing_nhs_number_needs_a_reason(api):
    response = api().post("/api/v1/people", {**NEW, "nhs_number": ""}, content_type="application/json")
    assert response.status_code == 422
    assert "nhs_number_absent_reason" in str(response.json())


def test_it_searches_only_the_keys_organisation(api, cast):
    assert [p["given_name"] for p in api().get("/api/v1/people", {"name": "maya"}).json()] == ["Maya"]
    assert api(cast.hillside).get("/api/v1/people", {"name": "maya"}).json() == []


def test_another_organisations_person_is_not_found(api, cast):
    assert api(cast.hillside).get(f"/api/v1/people/{cast.maya.pk}").status_code == 404
    assert AccessEvent.objects.filter(action=Action.DENIAL).exists()


def test_a_key_without_the_write_scope_cannot_create(api):
    response = api(scopes=[ApiKeyScope.PEOPLE_READ]).post("/api/v1/people", NEW, content_type="application/json")
    assert response.status_code == 404
    assert not Person.objects.filter(given_name="Ava").exists()


def test_a_revoked_key_is_refused(api):
    client = api()
    ApiKey.objects.filter(pk=client.key.pk).update(revoked_at=timezone.now())
    assert client.get("/api/v1/people", {"name": "maya"}).status_code == 401


def test_an_expired_key_is_refused(api):
    client = api()
    ApiKey.objects.filter(pk=client.key.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert client.get("/api/v1/people", {"name": "maya"}).status_code == 401


def test_a_tampered_key_is_refused(api):
    client = api()
    client.defaults["HTTP_AUTHORIZATION"] = client.defaults["HTTP_AUTHORIZATION"][:-2] + "xx"
    assert client.get("/api/v1/people", {"name": "maya"}).status_code == 401


def test_only_a_hash_of_the_key_is_stored(api):
    client = api()
    token = client.defaults["HTTP_AUTHORIZATION"].removeprefix("Bearer ")
    assert token.split("_", 2)[2] not in client.key.secret_hash


def test_the_openapi_schema_is_published(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/people" in schema["paths"]
