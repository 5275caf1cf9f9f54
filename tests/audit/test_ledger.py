"""The access ledger: append-only, hash-chained, one chain however many writers."""

import datetime
import hashlib
import hmac
import multiprocessing
import re

import pgtrigger
import psycopg
import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from psycopg import sql

from jigsaw.audit import ledger
from jigsaw.audit.models import AccessEvent, Action, ChainHead
from tests.audit import write_events
from tests.database import UNTRUNCATABLE

APPEND_ONLY = "audit.AccessEvent:append_only"
# Anything PostgreSQL text can hold: no NUL, no lone surrogates.
TEXT_CHARACTERS = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")


def add(count: int, **fields) -> list[AccessEvent]:
    defaults = {"action": Action.VIEW, "actor_label": "Alice Adams (Riverside School)"}
    return [
        ledger.append(**{**defaults, "object_id": n, "purpose": f"Reading entry {n}", **fields})
        for n in range(count)
    ]


def tamper(statement: str, params=()) -> None:
    """Change the ledger behind its back, as someone with raw database access could."""
    with pgtrigger.ignore(APPEND_ONLY), connection.cursor() as cursor:
        cursor.execute(statement, params)


# --- Appending ----------------------------------------------------------------------------------


def test_appended_events_form_a_chain_that_verifies(db):
    events = add(3)

    assert [event.seq for event in events] == [1, 2, 3]
    assert events[0].prev_hash == ledger.GENESIS
    assert [event.prev_hash for event in events[1:]] == [event.hash for event in events[:-1]]
    assert ledger.latest_hash() == (3, events[-1].hash)
    result = ledger.verify()
    assert result.ok, result
    assert (result.checked, result.first_bad_seq, result.reason) == (3, None, "")


def test_the_returned_event_is_the_stored_row(db):
    event = ledger.append(
        action=Action.SEARCH,
        actor_label="Dan Dyer (Westbridge Council)",
        object_type="people.person",
        object_id=42,
        purpose="Strategy discussion",
        ip_address="2001:0db8:0000:0000:0000:0000:0000:0001",
        detail={"query": "Smith"},
    )

    stored = AccessEvent.objects.get(pk=event.pk)
    assert (stored.seq, stored.hash, stored.prev_hash) == (event.seq, event.hash, event.prev_hash)
    assert stored.occurred_at == event.occurred_at
    assert stored.object_id == "42"
    assert stored.ip_address == "2001:db8::1"
    assert stored.detail == {"query": "Smith"}
    assert stored.action == Action.SEARCH
    assert not event._state.adding


def test_each_hash_is_an_hmac_of_the_copy_line_keyed_by_the_audit_key(db, settings):
    event = add(1, ip_address="2001:db8::7", detail={"wanted": "view"})[0]
    with connection.cursor() as cursor, cursor.cursor.copy(ledger.STREAM_SQL) as copy:
        (line,) = [bytes(block) for block in copy]
    content, stored = line.removesuffix(b"\n").rsplit(b"\t", 1)

    assert stored.decode() == event.hash
    assert content.endswith(b"\t" + ledger.GENESIS.encode())
    assert hmac.new(settings.AUDIT_KEY, content, hashlib.sha256).hexdigest() == event.hash
    assert hmac.new(settings.SECRET_KEY.encode(), content, hashlib.sha256).hexdigest() != event.hash


def test_each_event_is_keyed_by_the_audit_key_not_the_secret_key(db, settings):
    event = add(1)[0]

    settings.AUDIT_KEY = b"a different key that is at least thirty-two bytes"
    result = ledger.verify()

    assert not result.ok
    assert (result.first_bad_seq, result.reason) == (event.seq, "its content does not match its hash")


def test_a_rolled_back_transaction_leaves_no_event_and_the_chain_still_verifies(db):
    add(2)
    head = ledger.latest_hash()

    with pytest.raises(RuntimeError), transaction.atomic():
        add(3)
        raise RuntimeError("the work failed")

    assert AccessEvent.objects.count() == 2
    assert ledger.latest_hash() == head
    assert ledger.verify().ok
    assert add(1)[0].seq == 3
    assert ledger.verify().checked == 3


def test_an_empty_ledger_verifies(db):
    result = ledger.verify()
    assert result.ok
    assert result.checked == 0


def test_a_missing_chain_head_is_put_back_only_while_the_ledger_is_empty(db):
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_chainhead")  # as a test database's flush does

    assert ledger.latest_hash() == (0, ledger.GENESIS)
    assert add(1)[0].seq == 1
    assert ledger.verify().ok

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_chainhead")
    with pytest.raises(ledger.ChainBroken), transaction.atomic():
        add(1)
    result = ledger.verify()
    assert (result.first_bad_seq, result.reason) == (1, "the chain head is behind the events")


def test_the_rendering_casts_match_the_model():
    """append() has PostgreSQL render values cast to each column's own type."""
    casts = re.findall(r"%s::([a-z]+(?:\(\d+\))?)", ledger.RENDER_SQL)
    fields = {field.column: field for field in AccessEvent._meta.concrete_fields}
    expected = [fields[column].db_type(connection) for column in ledger.CONTENT_COLUMNS]
    expected[0] = "timestamptz"  # occurred_at: "timestamp with time zone"
    assert casts == expected
    assert fields["occurred_at"].db_type(connection) == "timestamp with time zone"


def test_every_column_of_an_event_is_in_its_hash():
    """A new column must join the canonical line (and the SQL), or edits to it would go unseen."""
    columns = {field.column for field in AccessEvent._meta.concrete_fields}
    assert columns == {"id", "seq", *ledger.CONTENT_COLUMNS, "prev_hash", "hash"}
    for column in ledger.CONTENT_COLUMNS:
        assert column in ledger.STREAM_SQL
        assert column in ledger.INSERT_SQL


@hypothesis_settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.one_of(st.none(), st.text(TEXT_CHARACTERS)), min_size=1, max_size=4))
def test_canonical_writes_what_copy_writes(db, values):
    query = sql.SQL("COPY (SELECT {}) TO STDOUT").format(
        sql.SQL(", ").join(sql.SQL("{}::text").format(sql.Literal(value)) for value in values)
    )
    with psycopg.ClientCursor(connection.connection) as cursor, cursor.copy(query) as copy:
        written = b"".join(bytes(block) for block in copy)
    assert ledger.canonical(values) + b"\n" == written


# --- Awkward values round-trip ------------------------------------------------------------------

AWKWARD = [
    {"purpose": "Ünïcödé — 子供 🙂 and \u200b zero width"},
    {"purpose": "tab\there, newline\nthere, CR\r, backslash \\ and \\N, unit sep \x1f, bell \x07"},
    {"purpose": "trailing spaces past the limit" + " " * 600},
    {"actor_label": "x" * 300},
    {"object_type": "o" * 50 + "   "},
    {"object_id": None},
    {"object_id": 0},
    {"object_id": "E'quoted' \"double\""},
    {"ip_address": None},
    {"ip_address": ""},
    {"ip_address": "not an address"},
    {"ip_address": "192.0.2.1"},
    {"ip_address": "2001:db8::1"},
    {"ip_address": "::ffff:192.0.2.1"},
    {"ip_address": "::2:3"},
    {"ip_address": "fe80::1%eth0"},
    {"ip_address": "2001:db8:0:1:1:1:1:1"},
    {"detail": None},
    {"detail": {}},
    {"detail": {"b": 1, "a": {"z": [1, 2.5, None, True, False], "é": "ü\n\t\\\"'"}}},
    {"detail": {"floats": [0.1, -0.0, 1e16, 1e-7, 1.5e300, 5e-324, 123456789.123456789]}},
    {"detail": {"big": 2**70, "negative": -(2**63), "nested": {"deeper": {"deepest": [[[]]]}}}},
    {"detail": {"unicode key ☃": "value", "": "empty key", "\x1f": "control key"}},
]


@pytest.mark.parametrize("fields", AWKWARD, ids=range(len(AWKWARD)))
def test_awkward_values_round_trip(db, fields):
    add(1)
    event = add(1, **fields)[0]

    result = ledger.verify()
    assert result.ok, result
    assert result.checked == 2
    stored = AccessEvent.objects.get(pk=event.pk)
    assert stored.hash == event.hash


@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=datetime.UTC),  # BST begins
        datetime.datetime(2026, 10, 25, 1, 30, tzinfo=datetime.UTC),  # the repeated hour
        datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),  # no microseconds at all
        datetime.datetime(1969, 12, 31, 23, 59, 59, 1, tzinfo=datetime.UTC),  # before the epoch
        datetime.datetime(2200, 6, 1, 12, 0, 0, 10, tzinfo=datetime.UTC),
    ],
)
def test_timestamps_round_trip_to_the_microsecond(db, moment):
    with time_machine.travel(moment, tick=False):
        event = add(1)[0]

    assert AccessEvent.objects.get(pk=event.pk).occurred_at == moment
    assert ledger.verify().ok


def test_timestamps_do_not_depend_on_the_session_time_zone(db):
    add(2)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL TimeZone = 'Pacific/Chatham'")
        cursor.execute("SET LOCAL DateStyle = 'SQL, DMY'")
    add(1)
    assert ledger.verify().ok


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(TEXT_CHARACTERS),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(TEXT_CHARACTERS, max_size=8), children, max_size=4),
    max_leaves=12,
)
text_without_nul = st.text(TEXT_CHARACTERS, max_size=60)


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    purpose=text_without_nul,
    actor_label=text_without_nul,
    object_id=st.one_of(st.integers(min_value=0, max_value=10**18), text_without_nul.map(lambda t: t[:64])),
    ip=st.one_of(st.none(), st.ip_addresses().map(str)),
    detail=st.dictionaries(st.text(TEXT_CHARACTERS, max_size=8), json_values),
)
def test_any_values_round_trip(db, purpose, actor_label, object_id, ip, detail):
    event = ledger.append(
        action=Action.VIEW,
        actor_label=actor_label,
        object_id=object_id,
        purpose=purpose,
        ip_address=ip,
        detail=detail,
    )

    result = ledger.verify()
    assert result.ok, result
    assert result.checked == event.seq


# --- Tampering ----------------------------------------------------------------------------------

ALTERATIONS = {
    "occurred_at": "occurred_at = occurred_at + interval '1 microsecond'",
    "user_id": "user_id = 99",
    "actor_label": "actor_label = 'Carol Cole (Hillside School)'",
    "api_key_id": "api_key_id = 7",
    "organisation_id": "organisation_id = 3",
    "action": "action = 'export'",
    "object_type": "object_type = 'people.relationship'",
    "object_id": "object_id = '999'",
    "person_id": "person_id = 5",
    "purpose": "purpose = purpose || ' '",
    "ip_address": "ip_address = '192.0.2.99'",
    "detail": """detail = jsonb_set(detail, '{nested,n}', '2')""",
    "hash": "hash = md5(hash) || md5(hash)",
}


@pytest.mark.parametrize("column", ALTERATIONS)
def test_a_row_altered_through_raw_sql_is_named_by_verify(db, column):
    add(5, ip_address="192.0.2.1", detail={"nested": {"n": 1}})

    tamper(f"UPDATE audit_accessevent SET {ALTERATIONS[column]} WHERE seq = 3")

    result = ledger.verify()
    assert not result.ok
    assert result.first_bad_seq == 3
    assert result.reason == "its content does not match its hash"
    assert result.checked == 2


def test_an_altered_previous_hash_is_named_by_verify(db):
    events = add(4)
    tamper("UPDATE audit_accessevent SET prev_hash = %s WHERE seq = 3", [events[0].hash])

    result = ledger.verify()
    assert (result.first_bad_seq, result.reason) == (3, "its previous-hash does not match the event before")


def test_a_row_altered_with_all_triggers_disabled_is_named_by_verify(db):
    add(3)
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_accessevent DISABLE TRIGGER ALL")
        cursor.execute("UPDATE audit_accessevent SET purpose = 'nothing to see' WHERE seq = 2")
        cursor.execute("ALTER TABLE audit_accessevent ENABLE TRIGGER ALL")

    result = ledger.verify()
    assert (result.first_bad_seq, result.checked) == (2, 1)


def test_a_rewritten_row_with_a_recomputed_hash_still_breaks_the_chain_without_the_key(db):
    add(3)
    # Someone without JIGSAW_AUDIT_KEY can only guess: say, with the SECRET_KEY.
    tamper(
        "UPDATE audit_accessevent SET purpose = 'edited', hash = encode(sha256(purpose::bytea), 'hex') "
        "WHERE seq = 2"
    )
    assert ledger.verify().first_bad_seq == 2


def test_a_deleted_middle_row_is_named_by_verify(db):
    add(5)
    tamper("DELETE FROM audit_accessevent WHERE seq = 3")

    result = ledger.verify()
    assert (result.first_bad_seq, result.reason, result.checked) == (3, "event 3 is missing", 2)


def test_a_deleted_first_row_is_named_by_verify(db):
    add(3)
    tamper("DELETE FROM audit_accessevent WHERE seq = 1")

    result = ledger.verify()
    assert (result.first_bad_seq, result.reason) == (1, "event 1 is missing")


def test_a_deleted_last_row_is_caught_by_the_chain_head(db):
    add(5)
    tamper("DELETE FROM audit_accessevent WHERE seq = 5")

    result = ledger.verify()
    assert (result.first_bad_seq, result.checked) == (5, 4)
    assert result.reason == "events after the last one found were removed"


def test_a_chain_head_wound_back_with_the_last_row_needs_an_anchor(db):
    """Cutting the tail and the head together is invisible to verify: hence `audit anchor`."""
    events = add(5)
    tamper("DELETE FROM audit_accessevent WHERE seq = 5")
    ChainHead.objects.filter(pk=1).update(seq=4, hash=events[3].hash)

    assert ledger.verify().ok
    assert ledger.latest_hash() != (5, events[4].hash)  # what an anchor kept elsewhere shows


def test_a_chain_head_that_does_not_match_the_last_event_is_reported(db):
    add(3)
    ChainHead.objects.filter(pk=1).update(hash="f" * 64)

    result = ledger.verify()
    assert (result.first_bad_seq, result.reason) == (3, "the chain head's hash does not match the last event")


def test_a_forged_row_after_the_head_is_reported(db):
    events = add(2)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_accessevent (seq, occurred_at, actor_label, action, object_type, "
            "object_id, purpose, detail, prev_hash, hash) "
            "VALUES (3, now(), 'Nobody', 'view', '', '', '', '{}', %s, %s)",
            [events[1].hash, "a" * 64],
        )

    result = ledger.verify()
    assert (result.first_bad_seq, result.reason) == (3, "its content does not match its hash")


def test_renumbered_rows_are_reported(db):
    add(3)
    tamper("UPDATE audit_accessevent SET seq = seq + 10 WHERE seq = 3")

    result = ledger.verify()
    assert (result.first_bad_seq, result.reason) == (3, "event 3 is missing")


def test_a_bad_event_far_into_the_ledger_leaves_the_connection_usable(db):
    add(30)
    tamper("UPDATE audit_accessevent SET purpose = 'x' WHERE seq = 4")

    result = ledger.verify(batch_size=7)
    assert result.first_bad_seq == 4
    assert AccessEvent.objects.count() == 30


# --- The database refuses changes ---------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda e: AccessEvent.objects.filter(pk=e.pk).update(purpose="x"), id="orm-update"),
        pytest.param(lambda e: (setattr(e, "purpose", "x"), e.save()), id="orm-save"),
        pytest.param(lambda e: e.delete(), id="orm-delete"),
        pytest.param(lambda e: AccessEvent.objects.all().delete(), id="orm-bulk-delete"),
        pytest.param(lambda e: _sql("UPDATE audit_accessevent SET purpose = 'x'"), id="sql-update"),
        pytest.param(lambda e: _sql("DELETE FROM audit_accessevent"), id="sql-delete"),
        pytest.param(lambda e: _sql("TRUNCATE audit_accessevent"), id="sql-truncate"),
        pytest.param(lambda e: _sql("DELETE FROM audit_chainhead"), id="head-delete"),
    ],
)
def test_the_database_refuses_to_change_or_remove_events(db, change):
    event = add(2)[0]

    with pytest.raises(DatabaseError, match=r"pgtrigger|cannot be truncated"), transaction.atomic():
        change(event)

    assert AccessEvent.objects.count() == 2
    assert AccessEvent.objects.get(pk=event.pk).purpose == "Reading entry 0"
    assert ledger.verify().ok


def _sql(statement: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement)


# --- Concurrent writers -------------------------------------------------------------------------

WRITERS = 3
EACH = 200


@pytest.fixture
def committed_ledger(django_db_blocker):
    """For tests whose events really commit. Set up before transactional_db, so that its
    flush afterwards may truncate the ledger, and the emptied ledger gets its head back."""
    with pgtrigger.ignore(*UNTRUNCATABLE):
        yield
    with django_db_blocker.unblock():
        ChainHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": ledger.GENESIS})


def test_writers_in_several_processes_leave_one_valid_chain(committed_ledger, transactional_db):
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(WRITERS)
    name = connection.settings_dict["NAME"]
    writers = [
        context.Process(target=write_events, args=(name, writer, EACH, barrier))
        for writer in range(WRITERS)
    ]
    for process in writers:
        process.start()
    for process in writers:
        process.join(timeout=180)
    assert [process.exitcode for process in writers] == [0] * WRITERS

    result = ledger.verify()
    assert result.ok, result
    assert result.checked == WRITERS * EACH
    seqs = list(AccessEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, WRITERS * EACH + 1))
    assert ledger.latest_hash()[0] == WRITERS * EACH
    for writer in range(WRITERS):
        numbers = AccessEvent.objects.filter(actor_label=f"writer {writer}").order_by("seq")
        assert [event.detail["n"] for event in numbers] == list(range(EACH))
