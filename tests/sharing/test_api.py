"""The sharing API: ask for information, list the inbox, read a snapshot, acknowledge it.

Social care's case system holds a key with `sharing:read` and `requests:write`; Riverside shares
with social care through the real actions. Hillside's key is the outsider.
"""

import datetime
import json

import pytest
from django.core import mail
from django.utils import timezone

from jigsaw.accounts import actions as account_actions
from jigsaw.accounts.actor import Actor
from jigsaw.accounts.models import ApiKeyScope
from jigsaw.audit.models import AccessEvent, Action
from jigsaw.people.models import Person
from jigsaw.sharing.models import Disclosure, Request, RequestStatus
from tests.chronology.conftest import log
from tests.sharing.conftest import share

pytestmark = pytest.mark.django_db

READ, WRITE = ApiKeyScope.SHARING_READ, ApiKeyScope.REQUESTS_WRITE
ENDPOINTS = [("post", "create_request"), ("get", "list_disclosures"), ("get", "read_disclosure"),
             ("post", "acknowledge_disclosure")]


@pytest.fixture
def api(client, cast):
    def with_key(organisation=None, scopes=(READ, WRITE), name="Case system"):
        acting = Actor.for_membership(cast.pat.memberships.get())
        key, token = account_actions.do_create_api_key(
            acting=acting, organisation=organisation or cast.social_care, name=name, scopes=list(scopes), days=30
        )
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        client.key = key
        return client

    return with_key


@pytest.fixture
def neighbour(cast):
    """A neighbour who reported Maya's father, and must not be identifiable (golden rule 5)."""
    return Person.objects.create(
        organisation=cast.riverside, given_name="Zoë", family_name="Quennell", nhs_number="",
        nhs_number_absent_reason="Adult informant", address="7 Heron Close, Westbridge", postcode="PL4 9ZZ",
        protected_identity=True, protected_identity_reason="Informant: fears reprisal",
    )


@pytest.fixture
def received(cast, neighbour):
    entries = [log(cast.bob, cast.maya, text).first_entry for text in (
        "Zoë Quennell, a neighbour at 7 Heron Close, rang to say she heard shouting at Maya's home.",
        "Maya said Mrs Quennell's dog barks at night. Zoe gave her a lift on Friday.",
        "Bruise seen on Maya's left forearm during PE.",
    )]
    return share(cast.alice, cast.maya, entries, recipient=cast.social_care).disclosure


def url(name: str, disclosure: Disclosure | None = None) -> str:
    return {
        "create_request": "/api/v1/requests",
        "list_disclosures": "/api/v1/disclosures",
        "read_disclosure": f"/api/v1/disclosures/{disclosure.pk if disclosure else 0}",
        "acknowledge_disclosure": f"/api/v1/disclosures/{disclosure.pk if disclosure else 0}/acknowledge",
    }[name]


def request_body(cast, **changes) -> dict:
    return {
        "holder_id": cast.riverside.pk, "given_name": "Maya", "family_name": "Thompson",
        "date_of_birth": "2015-03-27", "nhs_number": "999 000 1235", "address": "1 Mill Lane, Westbridge",
        "reason": "Section 47 enquiry after Maya told her social worker about shouting at home.",
        "information_wanted": "Attendance this term and any concerns recorded.", "urgency": "standard",
        **changes,
    }


def post(client, path, body):
    return client.post(path, body, content_type="application/json")


def errors_of(response) -> set:
    return {str(error["loc"][-1]) for error in response.json()["errors"]}


def call(client, method: str, name: str, disclosure, cast):
    body = {"create_request": request_body(cast), "acknowledge_disclosure": {"action_taken": "Added to file"}}
    if method == "post":
        return post(client, url(name, disclosure), body[name])
    return client.get(url(name, disclosure))


# Every endpoint's gate ---------------------------------------------------------------------------


@pytest.mark.parametrize("method, name", ENDPOINTS)
def test_every_endpoint_needs_a_key(client, cast, received, method, name):
    assert call(client, method, name, received, cast).status_code == 401
    client.defaults["HTTP_AUTHORIZATION"] = "Bearer jgs_nope_nope"
    assert call(client, method, name, received, cast).status_code == 401
    assert Request.objects.count() == 0
    received.refresh_from_db()
    assert received.opened_at is None and received.acknowledged_at is None


@pytest.mark.parametrize("method, name, scopes", [
    ("post", "create_request", [READ]),
    ("get", "list_disclosures", [WRITE]),
    ("get", "read_disclosure", [WRITE]),
    ("post", "acknowledge_disclosure", [WRITE]),
])
def test_a_key_without_the_scope_finds_nothing(api, cast, received, method, name, scopes):
    response = call(api(scopes=scopes), method, name, received, cast)
    assert response.status_code == 404 and response.json() == {"detail": "Not found"}
    assert Request.objects.count() == 0
    received.refresh_from_db()
    assert received.opened_at is None
    assert AccessEvent.objects.filter(action=Action.DENIAL).exists()


@pytest.mark.parametrize("method, name", [("get", "read_disclosure"), ("post", "acknowledge_disclosure")])
def test_another_organisations_disclosure_is_not_found(api, cast, received, method, name):
    response = call(api(cast.hillside), method, name, received, cast)
    assert response.status_code == 404 and response.json() == {"detail": "Not found"}
    received.refresh_from_db()
    assert received.opened_at is None and received.acknowledged_at is None
    assert AccessEvent.objects.filter(action=Action.DENIAL, object_id=str(received.pk)).exists()


def test_the_sender_cannot_read_its_own_disclosure_as_a_recipient(api, cast, received):
    assert api(cast.riverside).get(url("read_disclosure", received)).status_code == 404


def test_another_organisations_inbox_is_empty_to_it(api, cast, received):
    found = api(cast.hillside).get(url("list_disclosures")).json()
    assert found["count"] == 0 and found["disclosures"] == []


def test_a_missing_disclosure_is_not_found(api, received):
    client = api()
    assert client.get("/api/v1/disclosures/999999999").status_code == 404
    assert client.get(f"/api/v1/disclosures/{2**70}").status_code in (404, 422)


# The inbox ------------------------------------------------------------------------------------


def test_social_care_lists_what_it_received_with_who_it_is_about(api, cast, received):
    response = api().get(url("list_disclosures"))
    assert response.status_code == 200
    found = response.json()
    assert found["count"] == 1 and found["next_offset"] is None
    (summary,) = found["disclosures"]
    assert summary["id"] == received.pk and summary["kind"] == "share" and summary["status"] == "sent"
    assert summary["sender"] == {"id": cast.riverside.pk, "name": "Riverside School"}
    assert summary["child"] == {"given_name": "Maya", "family_name": "Thompson", "date_of_birth": "2015-03-27"}
    assert summary["opened_at"] is None and summary["acknowledged_at"] is None


def test_listing_does_not_open_them_but_is_in_the_ledger(api, received):
    client = api()
    client.get(url("list_disclosures"))
    received.refresh_from_db()
    assert received.opened_at is None
    event = AccessEvent.objects.get(action=Action.VIEW, api_key=client.key)
    assert event.user is None and event.organisation_id == received.recipient_id


def test_the_inbox_is_paged_newest_first_and_filtered_by_state(api, cast, three_entries):
    sent = [share(cast.alice, cast.maya, three_entries[:1], recipient=cast.social_care).disclosure
            for _ in range(3)]
    client = api()
    client.get(url("read_disclosure", sent[0]))
    first = client.get(url("list_disclosures"), {"limit": 2}).json()
    assert [d["id"] for d in first["disclosures"]] == [sent[2].pk, sent[1].pk] and first["next_offset"] == 2
    rest = client.get(url("list_disclosures"), {"limit": 2, "offset": 2}).json()
    assert [d["id"] for d in rest["disclosures"]] == [sent[0].pk] and rest["next_offset"] is None
    opened = client.get(url("list_disclosures"), {"status": "opened"}).json()
    assert [d["id"] for d in opened["disclosures"]] == [sent[0].pk] and opened["count"] == 1
    assert client.get(url("list_disclosures"), {"status": "sent"}).json()["count"] == 2


@pytest.mark.parametrize("params", [{"limit": 101}, {"limit": 0}, {"offset": -1}, {"limit": "many"},
                                    {"status": "read"}])
def test_bad_paging_is_a_field_error(api, received, params):
    response = api().get(url("list_disclosures"), params)
    assert response.status_code == 422 and errors_of(response) & {"limit", "offset", "status"}


def test_the_inbox_takes_the_same_queries_for_one_or_many(api, cast, three_entries, django_assert_max_num_queries):
    share(cast.alice, cast.maya, three_entries[:1], recipient=cast.social_care)
    client = api()
    client.get(url("list_disclosures"))  # warm up: the key's last use is noted once a minute
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url("list_disclosures"))
    for _ in range(6):
        share(cast.alice, cast.maya, three_entries, recipient=cast.social_care)
    with django_assert_max_num_queries(len(one)):
        assert len(client.get(url("list_disclosures")).json()["disclosures"]) == 7


# Reading one ----------------------------------------------------------------------------------


def test_reading_records_the_receipt_and_an_access_event(api, received):
    client = api()
    response = client.get(url("read_disclosure", received))
    assert response.status_code == 200
    received.refresh_from_db()
    assert received.opened_at is not None and received.opened_by is None
    assert received.opened_by_label == f"API key Case system ({client.key.prefix})"
    assert response.json()["status"] == "opened" and response.json()["opened_at"]
    event = AccessEvent.objects.get(action=Action.VIEW, object_type="sharing.disclosure",
                                    object_id=str(received.pk))
    assert event.api_key == client.key and event.user is None


def test_a_second_read_keeps_the_first_receipt(api, received):
    client = api()
    first = client.get(url("read_disclosure", received)).json()["opened_at"]
    assert client.get(url("read_disclosure", received)).json()["opened_at"] == first
    assert AccessEvent.objects.filter(action=Action.VIEW, object_id=str(received.pk)).count() == 2


def test_the_recipient_reads_the_redacted_snapshot_and_the_decision_behind_it(api, cast, received):
    found = api().get(url("read_disclosure", received)).json()
    assert found["purpose"] == received.decision.purpose
    assert found["lawful_basis"] == "public_task" and found["consent"] == "not_sought_risk"
    assert found["special_condition"] == ""
    assert found["redacted"] is True and found["redaction_count"] >= 4
    snapshot = found["snapshot"]
    assert snapshot["notice"] and snapshot["child"]["nhs_number"] == "999 000 1235"
    assert [item["position"] for item in snapshot["items"]] == [1, 2, 3]
    assert snapshot["items"][0]["what_happened"] == (
        "[redacted], a neighbour at [redacted], rang to say she heard shouting at Maya's home.")
    assert snapshot["items"][2]["what_happened"] == "Bruise seen on Maya's left forearm during PE."


def test_the_recipient_never_sees_the_senders_records(api, cast, received):
    log(cast.bob, cast.maya, "Not shared: Maya's attendance is 82%.")
    text = api().get(url("read_disclosure", received)).content.decode()
    assert "82%" not in text
    assert "rationale" not in text and received.decision.rationale not in text
    entry_ids = set(received.items.values_list("entry_id", flat=True))
    assert not {"entry_id", "person_id", "entry"} & set(json.loads(text)["snapshot"]["items"][0])
    assert len(entry_ids) == 3


# Acknowledging ------------------------------------------------------------------------------


def test_acknowledging_says_what_was_done_and_the_sender_sees_it(api, received):
    client = api()
    response = post(client, url("acknowledge_disclosure", received), {"action_taken": "Strategy discussion booked."})
    assert response.status_code == 200
    found = response.json()
    assert found["status"] == "acknowledged" and found["acknowledged_at"] and found["opened_at"]
    received.refresh_from_db()
    assert received.action_taken == "Strategy discussion booked." and received.acknowledged_by is None
    assert received.acknowledged_by_label.startswith("API key Case system")
    assert received.opened_at is not None  # acknowledging unread also records the receipt
    assert AccessEvent.objects.filter(action=Action.UPDATE, object_id=str(received.pk), api_key=client.key).exists()


def test_acknowledging_twice_is_a_conflict(api, received):
    client = api()
    post(client, url("acknowledge_disclosure", received), {"action_taken": "Read"})
    response = post(client, url("acknowledge_disclosure", received), {"action_taken": "Read again"})
    assert response.status_code == 409 and "already been acknowledged" in response.json()["detail"]
    received.refresh_from_db()
    assert received.action_taken == "Read"


@pytest.mark.parametrize("body", [{}, {"action_taken": ""}, {"action_taken": "   "}, {"action_taken": "x" * 10_001},
                                  {"action_taken": "nul \x00"}, {"action_taken": ["a"]}])
def test_an_acknowledgement_must_say_what_was_done(api, received, body):
    response = post(api(), url("acknowledge_disclosure", received), body)
    assert response.status_code == 422 and errors_of(response) == {"action_taken"}
    received.refresh_from_db()
    assert received.acknowledged_at is None


# Asking for information -----------------------------------------------------------------------


def test_a_case_system_asks_a_school_for_information(api, cast, django_capture_on_commit_callbacks):
    client = api()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, url("create_request"), request_body(cast))
    assert response.status_code == 201
    found = response.json()
    made = Request.objects.get(pk=found["id"])
    assert found["status"] == "open" and found["holder"] == {"id": cast.riverside.pk, "name": "Riverside School"}
    assert made.requester == cast.social_care and made.holder == cast.riverside
    assert made.nhs_number == "9990001235" and made.date_of_birth == datetime.date(2015, 3, 27)
    assert made.requested_by is None and made.api_key == client.key
    assert made.requested_by_label == f"API key Case system ({client.key.prefix})"
    assert abs(datetime.datetime.fromisoformat(found["due_at"]) - made.due_at) < datetime.timedelta(milliseconds=1)
    assert made.due_at > timezone.now()
    assert AccessEvent.objects.filter(action=Action.CREATE, object_type="sharing.request", api_key=client.key).exists()
    (email,) = mail.outbox
    assert cast.alice.email in email.to
    assert "Maya" not in email.body + email.subject and "Thompson" not in email.body + email.subject


def test_an_urgent_request_is_due_the_same_working_day(api, cast):
    found = post(api(), url("create_request"), request_body(cast, urgency="urgent")).json()
    assert Request.objects.get(pk=found["id"]).urgency == "urgent"
    due = datetime.datetime.fromisoformat(found["due_at"])
    assert due - timezone.now() < datetime.timedelta(days=4)  # at most over a weekend


def test_only_the_required_fields_are_needed(api, cast):
    body = {key: value for key, value in request_body(cast).items()
            if key in ("holder_id", "given_name", "family_name", "reason", "information_wanted", "urgency")}
    response = post(api(), url("create_request"), body)
    assert response.status_code == 201
    made = Request.objects.get()
    assert made.nhs_number == "" and made.date_of_birth is None and made.status == RequestStatus.OPEN


def test_an_organisation_outside_the_directory_is_a_field_error(api, cast):
    client = api()
    for holder in (cast.social_care.pk, cast.partnership.pk, 999_999_999):
        response = post(client, url("create_request"), request_body(cast, holder_id=holder))
        assert response.status_code == 422 and errors_of(response) == {"holder_id"}, holder
    assert not Request.objects.exists()


@pytest.mark.parametrize("changes, field", [
    ({"reason": ""}, "reason"),
    ({"reason": "   "}, "reason"),
    ({"reason": None}, "reason"),
    ({"reason": "x" * 10_001}, "reason"),
    ({"information_wanted": "\n"}, "information_wanted"),
    ({"information_wanted": "x" * 10_001}, "information_wanted"),
    ({"given_name": ""}, "given_name"),
    ({"given_name": "x" * 101}, "given_name"),
    ({"family_name": "x" * 101}, "family_name"),
    ({"family_name": "Nul\x00"}, "family_name"),
    ({"address": "x" * 301}, "address"),
    ({"nhs_number": "999 000 1234"}, "nhs_number"),
    ({"nhs_number": "12345"}, "nhs_number"),
    ({"nhs_number": "x" * 15}, "nhs_number"),
    ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
    ({"date_of_birth": "1850-01-01"}, "date_of_birth"),
    ({"date_of_birth": "2015-02-30"}, "date_of_birth"),
    ({"urgency": "whenever"}, "urgency"),
    ({"holder_id": "riverside"}, "holder_id"),
    ({"holder_id": -1}, "holder_id"),
    ({"holder_id": 10**30}, "holder_id"),
])
def test_bad_input_is_a_field_error_never_a_500(api, cast, changes, field):
    response = post(api(), url("create_request"), request_body(cast, **changes))
    assert response.status_code == 422, response.content[:300]
    assert field in errors_of(response)
    assert not Request.objects.exists()


@pytest.mark.parametrize("missing", ["holder_id", "given_name", "family_name", "reason", "information_wanted",
                                     "urgency"])
def test_a_missing_required_field_is_a_field_error(api, cast, missing):
    body = request_body(cast)
    del body[missing]
    response = post(api(), url("create_request"), body)
    assert response.status_code == 422 and missing in errors_of(response)


def test_a_huge_body_is_refused_without_a_500(api, cast):
    response = post(api(), url("create_request"), request_body(cast, reason="x" * 3_000_000))
    assert 400 <= response.status_code < 500
    assert not Request.objects.exists()


# The schema -----------------------------------------------------------------------------------


def test_the_openapi_schema_lists_the_four_operations_with_their_errors(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    expected = {
        ("/api/v1/requests", "post"): {"201", "401", "404", "422"},
        ("/api/v1/disclosures", "get"): {"200", "401", "404", "422"},
        ("/api/v1/disclosures/{disclosure_id}", "get"): {"200", "401", "404"},
        ("/api/v1/disclosures/{disclosure_id}/acknowledge", "post"): {"200", "401", "404", "409", "422"},
    }
    for (path, method), codes in expected.items():
        operation = paths[path][method]
        assert set(operation["responses"]) == codes, path
        assert operation["summary"] and operation["description"]


def test_the_schema_describes_every_field_of_a_request(client, db):
    components = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for name in ("RequestIn", "RequestOut", "DisclosureOut", "DisclosureSummary", "AcknowledgeIn"):
        for field, spec in components[name]["properties"].items():
            assert spec.get("description") or "$ref" in str(spec), f"{name}.{field} has no description"
    assert components["RequestIn"]["properties"]["urgency"]["enum"] == ["urgent", "standard"]


# Golden rule 5 through the API ------------------------------------------------------------------


def test_a_protected_identity_never_appears_in_any_api_response(api, cast, received):
    client = api()
    responses = [
        client.get(url("list_disclosures")),
        client.get(url("read_disclosure", received)),
        post(client, url("acknowledge_disclosure", received), {"action_taken": "Read"}),
        post(client, url("acknowledge_disclosure", received), {"action_taken": "Read"}),
    ]
    assert [r.status_code for r in responses] == [200, 200, 200, 409]
    for response in responses:
        text = response.content.decode().casefold()
        for word in ("zoë", "zoe", "quennell", "heron close", "pl4 9zz", "zo\\u00eb"):
            assert word not in text, (word, text[:300])
