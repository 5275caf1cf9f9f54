import datetime

import pytest

from jigsaw.accounts import actions as account_actions
from jigsaw.accounts.actor import Actor
from jigsaw.accounts.models import ApiKeyScope
from jigsaw.audit.models import AccessEvent, Action
from jigsaw.chronology import actions, api_actions
from jigsaw.chronology.models import ApiIdempotencyKey, Concern, Entry

CONCERNS, CHRONOLOGY = ApiKeyScope.CONCERNS_WRITE, ApiKeyScope.CHRONOLOGY_READ


@pytest.fixture
def api(client, cast):
    def with_key(organisation=None, scopes=(CONCERNS, CHRONOLOGY), name="Smoothwall"):
        acting = Actor.for_membership(cast.pat.memberships.get())
        key, token = account_actions.do_create_api_key(
            acting=acting, organisation=organisation or cast.riverside, name=name, scopes=list(scopes), days=30
        )
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        client.key = key
        return client

    return with_key


def concern_body(cast, **changes) -> dict:
    return {
        "person_id": cast.maya.pk,
        "what_happened": "Maya searched for 'how to run away from home' at 13:05 on a library computer.",
        "event_date": "2026-11-02", "event_time": "13:05", "location": "Library",
        "actions_taken": "Alert passed to the designated safeguarding lead.",
        "categories": ["online-safety"], "source": "Web filtering: Smoothwall",
        **changes,
    }


def post(client, body, key="req-0001"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post("/api/v1/concerns", body, content_type="application/json", **headers)


def errors_of(response) -> set:
    return {str(error["loc"][-1]) for error in response.json()["errors"]}


# Logging a concern ------------------------------------------------------------------------------


def test_a_system_logs_a_concern_that_reaches_the_leads(api, cast):
    client = api()
    response = post(client, concern_body(cast))
    assert response.status_code == 201
    found = response.json()
    concern = Concern.objects.get(pk=found["id"])
    assert found["entry_id"] == concern.first_entry_id and found["status"] == "new" and found["kind"] == "concern"
    entry = concern.first_entry
    assert entry.person == cast.maya and entry.organisation == cast.riverside
    assert entry.source == "Web filtering: Smoothwall" and entry.categories == ["online-safety"]
    assert entry.event_time == datetime.time(13, 5) and entry.author is None and "Smoothwall" in entry.author_label
    event = AccessEvent.objects.get(action=Action.CREATE, object_type="chronology.entry", object_id=str(entry.pk))
    assert event.api_key_id == client.key.pk and event.user is None


def test_the_source_is_the_keys_name_when_left_out(api, cast):
    body = concern_body(cast)
    del body["source"]
    response = post(api(name="Impero monitoring"), body)
    assert Entry.objects.get(pk=response.json()["entry_id"]).source == "Impero monitoring"


def test_the_childs_words_make_it_a_disclosure(api, cast):
    response = post(api(), concern_body(cast, childs_words="I don't want to go home"))
    assert response.json()["kind"] == "disclosure"


def test_a_retry_with_the_same_key_returns_the_same_concern(api, cast):
    client = api()
    first = post(client, concern_body(cast))
    again = post(client, concern_body(cast))
    assert again.status_code == 200 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Entry.objects.count() == 1 and ApiIdempotencyKey.objects.count() == 1


def test_a_new_key_logs_a_new_concern(api, cast):
    client = api()
    post(client, concern_body(cast), key="req-1")
    assert post(client, concern_body(cast), key="req-2").status_code == 201
    assert Entry.objects.count() == 2


def test_the_same_key_with_a_different_body_is_refused(api, cast):
    client = api()
    post(client, concern_body(cast))
    response = post(client, concern_body(cast, what_happened="Something else entirely."))
    assert response.status_code == 409 and "different request" in response.json()["detail"]
    assert Entry.objects.count() == 1


def test_keys_of_different_clients_do_not_collide(api, cast):
    post(api(), concern_body(cast))
    assert post(api(name="Another filter"), concern_body(cast)).status_code == 201
    assert Entry.objects.count() == 2


def test_a_request_that_loses_a_race_returns_the_winners_concern(api, cast, monkeypatch):
    """Between its look-up and its insert, the other copy of the request commits first: the unique
    constraint refuses the second key, its savepoint rolls back its concern, and it answers with the first."""
    client = api()
    winner = post(client, concern_body(cast)).json()
    real_stored, calls = api_actions._stored, []

    def stored_after_losing_the_race(acting, key):
        calls.append(key)
        return None if len(calls) == 1 else real_stored(acting, key)

    monkeypatch.setattr(api_actions, "_stored", stored_after_losing_the_race)
    response = post(client, concern_body(cast))
    assert response.status_code == 200 and response.json()["id"] == winner["id"]
    assert len(calls) == 2  # looked again after the refused insert
    assert Entry.objects.count() == 1 and Concern.objects.count() == 1


# Refusals ---------------------------------------------------------------------------------------


def test_another_schools_child_is_not_found(api, cast):
    response = post(api(), concern_body(cast, person_id=cast.leo.pk))
    assert response.status_code == 404
    assert not Entry.objects.exists()
    assert AccessEvent.objects.filter(action=Action.DENIAL, object_id=str(cast.leo.pk)).exists()


def test_a_key_without_the_concerns_scope_cannot_log(api, cast):
    response = post(api(scopes=[CHRONOLOGY]), concern_body(cast))
    assert response.status_code == 404 and not Entry.objects.exists()


def test_a_missing_idempotency_key_is_a_field_error(api, cast):
    response = post(api(), concern_body(cast), key=None)
    assert response.status_code == 422 and "Idempotency-Key" in errors_of(response)
    assert not Entry.objects.exists()


@pytest.mark.parametrize("key", ["", "x" * 101, "   ", "caf\u00e9", "tab\there"])
def test_an_idempotency_key_must_be_1_to_100_printable_characters(api, cast, key):
    response = post(api(), concern_body(cast), key=key)
    assert response.status_code == 422 and "Idempotency-Key" in errors_of(response)


def test_an_unknown_category_is_a_field_error(api, cast):
    response = post(api(), concern_body(cast, categories=["neglect", "made-up"]))
    assert response.status_code == 422
    assert errors_of(response) == {"categories"} and "made-up" in str(response.json())
    assert not Entry.objects.exists()


@pytest.mark.parametrize("changes, field", [
    ({"what_happened": "x" * 10_001}, "what_happened"),
    ({"what_happened": "   "}, "what_happened"),
    ({"what_happened": None}, "what_happened"),
    ({"what_happened": "Nul \x00 byte"}, "what_happened"),
    ({"location": "x" * 201}, "location"),
    ({"present": "x" * 501}, "present"),
    ({"actions_taken": "x" * 10_001}, "actions_taken"),
    ({"childs_words": ["not", "a", "string"]}, "childs_words"),
    ({"categories": "neglect"}, "categories"),
    ({"categories": ["x" * 61]}, "categories"),
    ({"categories": ["neglect"] * 31}, "categories"),
    ({"person_id": "maya"}, "person_id"),
    ({"person_id": -1}, "person_id"),
    ({"person_id": 10**30}, "person_id"),
    ({"event_date": "2026-02-30"}, "event_date"),
    ({"event_date": "yesterday"}, "event_date"),
    ({"event_date": "2999-01-01"}, "event_date"),
    ({"event_date": "1066-10-14"}, "event_date"),
    ({"event_time": "25:00"}, "event_time"),
    ({"event_time": "13:05+01:00"}, "event_time"),
    ({"source": "x" * 201}, "source"),
])
def test_bad_input_is_a_field_error_never_a_500(api, cast, changes, field):
    response = post(api(), concern_body(cast, **changes))
    assert response.status_code == 422, response.content[:300]
    assert field in errors_of(response)
    assert not Entry.objects.exists()


def test_a_missing_what_happened_is_a_field_error(api, cast):
    body = concern_body(cast)
    del body["what_happened"]
    response = post(api(), body)
    assert response.status_code == 422 and "what_happened" in errors_of(response)


def test_malformed_json_is_refused(api):
    response = api().post("/api/v1/concerns", "{not json", content_type="application/json",
                          HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code in (400, 422)


def test_a_huge_body_is_refused_without_a_500(api, cast):
    response = post(api(), concern_body(cast, what_happened="x" * 3_000_000))
    assert 400 <= response.status_code < 500
    assert not Entry.objects.exists()


def test_it_needs_a_valid_key(client, cast):
    response = client.post("/api/v1/concerns", concern_body(cast), content_type="application/json",
                           HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 401


# Reading a chronology ---------------------------------------------------------------------------


@pytest.fixture
def chronology(cast):
    alice = Actor.for_membership(cast.alice.memberships.get())
    for day in range(1, 4):
        data = actions.EntryData(what_happened=f"Concern on day {day}.", event_date=datetime.date(2026, 10, day),
                                 categories=["neglect"], actions_taken="Told Alice Adeyemi.")
        actions.do_record_concern(acting=alice, person=cast.maya, data=data)
    words = actions.EntryData(what_happened="Maya spoke to me at break.", childs_words="Dad hurt me",
                              event_date=datetime.date(2026, 10, 4), actions_taken="Rang the MASH.")
    disclosure = actions.do_record_concern(acting=alice, person=cast.maya, data=words).first_entry
    actions.do_correct_entry(acting=alice, entry=disclosure, reason="Wrong time", data=actions.EntryData(
        what_happened="Maya spoke to me at lunch.", childs_words="Dad hurt me", event_date=datetime.date(2026, 10, 4),
        actions_taken="Rang the MASH."))
    return cast


def test_a_case_system_reads_the_chronology_newest_first(api, chronology):
    response = api(scopes=[CHRONOLOGY]).get(f"/api/v1/people/{chronology.maya.pk}/chronology")
    assert response.status_code == 200
    found = response.json()
    assert found["count"] == 4 and found["next_offset"] is None
    latest = found["entries"][0]
    assert latest["what_happened"] == "Maya spoke to me at lunch."
    assert latest["childs_words"] == {"text": "Dad hurt me", "verbatim": True}
    assert latest["corrected"] is True and latest["version"] == 2 and latest["kind"] == "disclosure"
    assert latest["author_label"] == "Alice Adeyemi"
    assert [entry["event_date"] for entry in found["entries"][1:]] == ["2026-10-03", "2026-10-02", "2026-10-01"]
    assert found["entries"][1]["childs_words"] is None and found["entries"][1]["categories"] == ["neglect"]


def test_reading_a_chronology_is_in_the_ledger(api, chronology):
    client = api(scopes=[CHRONOLOGY])
    client.get(f"/api/v1/people/{chronology.maya.pk}/chronology")
    event = AccessEvent.objects.get(action=Action.VIEW, person=chronology.maya)
    assert event.api_key_id == client.key.pk and event.detail == {"page": "chronology via API"}


def test_the_chronology_is_paginated(api, chronology):
    client = api(scopes=[CHRONOLOGY])
    first = client.get(f"/api/v1/people/{chronology.maya.pk}/chronology", {"limit": 3}).json()
    assert len(first["entries"]) == 3 and first["next_offset"] == 3
    rest = client.get(f"/api/v1/people/{chronology.maya.pk}/chronology", {"limit": 3, "offset": 3}).json()
    assert len(rest["entries"]) == 1 and rest["next_offset"] is None
    seen = [entry["id"] for entry in first["entries"] + rest["entries"]]
    assert len(set(seen)) == 4


@pytest.mark.parametrize("params", [{"limit": 101}, {"limit": 0}, {"offset": -1}, {"limit": "many"}])
def test_bad_paging_is_a_field_error(api, chronology, params):
    response = api(scopes=[CHRONOLOGY]).get(f"/api/v1/people/{chronology.maya.pk}/chronology", params)
    assert response.status_code == 422


def test_a_key_without_the_chronology_scope_cannot_read(api, chronology):
    response = api(scopes=[CONCERNS]).get(f"/api/v1/people/{chronology.maya.pk}/chronology")
    assert response.status_code == 404
    assert not AccessEvent.objects.filter(action=Action.VIEW).exists()


def test_another_schools_child_is_not_found_when_reading(api, chronology):
    assert api(chronology.hillside).get(f"/api/v1/people/{chronology.maya.pk}/chronology").status_code == 404
    assert api().get("/api/v1/people/999999999/chronology").status_code == 404


def test_the_openapi_schema_publishes_both_endpoints(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/concerns" in paths and "/api/v1/people/{person_id}/chronology" in paths
