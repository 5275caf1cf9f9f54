"""Appending to the ledger and checking its chain.

Each event's hash is HMAC-SHA256, keyed by JIGSAW_AUDIT_KEY, over the event's own
content followed by the previous event's hash. Writers lock the single ChainHead
row, so events from many processes still form one chain, in commit order. The
event is written in the caller's transaction: if the work rolls back, so does its
event (and the chain head moves back with it).

The canonical form that is hashed is the line PostgreSQL's COPY writes (text
format: tab-separated, \\N for NULL, backslash escapes) for these columns::

    seq, occurred_at as whole microseconds since 1970-01-01 UTC, user_id,
    actor_label, api_key_id, organisation_id, action, object_type, object_id,
    person_id, purpose, ip_address, detail, prev_hash

PostgreSQL renders every value, both when appending (the values about to be
inserted, cast to the columns' own types) and when verifying (the stored row), so
Python and the database never have to agree on how to spell an IPv6 address, a
JSON number or a timestamp; Python only adds COPY's few escapes when appending.
COPY's text format reads back unambiguously, so two different rows never share a
canonical line. Verifying streams the stored rows' lines with COPY and hashes each
line as it arrives, with no parsing at all.

Appending costs two statements, the least a chain allows (the hash needs the
previous hash, which is only safe to read with the head locked): one that locks
the head and renders the new event, and one that inserts it and moves the head on.
"""

import hashlib
import hmac
import ipaddress
import json
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain, islice

import psycopg
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from jigsaw.audit.models import AccessEvent, ChainHead

GENESIS = "0" * 64

# The content columns, in canonical order, after seq and before prev_hash.
CONTENT_COLUMNS = (
    "occurred_at",
    "user_id",
    "actor_label",
    "api_key_id",
    "organisation_id",
    "action",
    "object_type",
    "object_id",
    "person_id",
    "purpose",
    "ip_address",
    "detail",
)


# The new event's canonical values. Selecting the head FOR UPDATE queues concurrent
# writers here (and re-reads the head a writer before committed); PostgreSQL
# renders the very values that will be inserted, each cast to its column's type
# (a test holds these casts to the model), as COPY would: extract() is numeric, so
# the microseconds are exact whatever the session's TimeZone; host() is inet's
# output for an address without a netmask (all append stores); jsonb::text is
# jsonb's output.
RENDER_SQL = (
    "SELECT seq + 1, (extract(epoch FROM %s::timestamptz) * 1000000)::bigint, "
    "%s::bigint, %s::varchar(254), %s::bigint, %s::bigint, %s::varchar(20), %s::varchar(50), "
    "%s::varchar(64), %s::bigint, %s::varchar(500), host(%s::inet), %s::jsonb::text, hash "
    "FROM audit_chainhead WHERE id = 1 FOR UPDATE"
)
INSERT_SQL = (
    "WITH event AS ("
    "INSERT INTO audit_accessevent (seq, occurred_at, user_id, actor_label, api_key_id, "
    "organisation_id, action, object_type, object_id, person_id, purpose, ip_address, detail, "
    "prev_hash, hash) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::inet, %s::jsonb, %s, %s) "
    "RETURNING id) "
    "UPDATE audit_chainhead SET seq = %s, hash = %s WHERE id = 1 RETURNING (SELECT id FROM event)"
)
# Every stored event's canonical line, then its hash: "<canonical line>\t<hash>\n".
STREAM_SQL = (
    "COPY (SELECT seq, (extract(epoch FROM occurred_at) * 1000000)::bigint, user_id, "
    "actor_label, api_key_id, organisation_id, action, object_type, object_id, person_id, "
    "purpose, ip_address, detail, prev_hash, hash FROM audit_accessevent ORDER BY seq) TO STDOUT"
)
HEAD_SQL = "SELECT seq, hash FROM audit_chainhead WHERE id = 1"
START_SQL = (
    "INSERT INTO audit_chainhead (id, seq, hash) SELECT 1, 0, %s "
    "WHERE NOT EXISTS (SELECT FROM audit_accessevent) ON CONFLICT (id) DO NOTHING"
)
GAP_SQL = (
    "SELECT n FROM (SELECT seq, row_number() OVER (ORDER BY seq) AS n FROM audit_accessevent "
    "WHERE seq <= %s) AS numbered WHERE seq <> n ORDER BY seq LIMIT 1"
)


class ChainBroken(Exception):
    """The ledger cannot take another event safely."""


def chain_hash(key: bytes, line: bytes) -> str:
    """The hash of an event whose canonical line (ending with the previous hash) is LINE."""
    return hmac.new(key, line, hashlib.sha256).hexdigest()


def append(
    *,
    action: str,
    actor_label: str,
    user=None,
    api_key=None,
    organisation=None,
    object_type: str = "",
    object_id="",
    person=None,
    purpose: str = "",
    ip_address: str | None = None,
    detail: dict | None = None,
) -> AccessEvent:
    event = AccessEvent(
        occurred_at=timezone.now(),
        user=user,
        actor_label=actor_label[:254],
        api_key=api_key,
        organisation=organisation,
        action=action,
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        person=person,
        purpose=purpose[:500],
        ip_address=_normalise_ip(ip_address),
        detail=detail or {},
    )
    content = [
        event.occurred_at,
        event.user_id,
        event.actor_label,
        event.api_key_id,
        event.organisation_id,
        str(event.action),
        event.object_type,
        event.object_id,
        event.person_id,
        event.purpose,
        event.ip_address,
        json.dumps(event.detail, ensure_ascii=False, allow_nan=False),
    ]
    with transaction.atomic(savepoint=False):
        connection.validate_no_broken_transaction()
        with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
            row = _render(cursor, content)
            if row is None:
                _start_chain()
                row = _render(cursor, content)
            if row is None:
                raise ChainBroken("The ledger's chain head is missing: run 'jigsaw audit verify'.")
            event.seq, event.prev_hash = row[0], row[-1]
            event.hash = chain_hash(settings.AUDIT_KEY, canonical(row))
            cursor.execute(
                INSERT_SQL,
                [event.seq, *content, event.prev_hash, event.hash, event.seq, event.hash],
            )
            event.pk = cursor.fetchone()[0]
    event._state.adding = False
    event._state.db = connection.alias
    return event


def _render(cursor: psycopg.Cursor, content: list) -> tuple | None:
    """The new event's values as PostgreSQL writes them, with the head locked; None if no head.

    A plain psycopg cursor binds on the server, so after a few appends both
    statements run prepared.
    """
    cursor.execute(RENDER_SQL, content)
    return cursor.fetchone()


# COPY's text format escapes these (and the delimiter, tab); PostgreSQL's
# CopyAttributeOutText. A test holds this to the real COPY for any text.
_COPY_ESCAPES = str.maketrans(
    {"\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}
)


def canonical(values) -> bytes:
    """The COPY text line of VALUES, each already as PostgreSQL's output writes it (or None)."""
    return "\t".join(
        "\\N" if value is None else str(value).translate(_COPY_ESCAPES) for value in values
    ).encode()


def _start_chain() -> None:
    """Put back the chain head of an empty ledger (a test database's flush removes it).

    A missing head with events still present is never papered over: appending stops.
    """
    with connection.cursor() as cursor:
        cursor.execute(START_SQL, [GENESIS])


def _normalise_ip(value) -> str | None:
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if getattr(address, "scope_id", None):
        address = ipaddress.IPv6Address(int(address))  # PostgreSQL's inet has no zone index.
    return address.compressed


@dataclass
class VerifyResult:
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None


def verify(batch_size: int = 50_000, progress: Callable[[int], object] | None = None) -> VerifyResult:
    """Recompute every hash in order; report the first event that does not fit the chain.

    Outside a transaction this reads one consistent snapshot, so writers may carry on
    meanwhile. PROGRESS, if given, is called with the number of events checked in each batch.
    """
    key = settings.AUDIT_KEY
    outermost = not connection.in_atomic_block
    with (
        transaction.atomic(),
        connection.wrap_database_errors,
        connection.connection.cursor() as raw,
    ):
        # Straight to psycopg: no execute wrapper may put a statement before SET TRANSACTION.
        if outermost:
            raw.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        raw.execute(HEAD_SQL)
        head_seq, head_hash = raw.fetchone() or (0, GENESIS)
        with raw.copy(STREAM_SQL) as copy:
            lines = iter(copy)
            scan = _check_lines(lines, key, batch_size, progress)
            for _ in lines:  # after a bad event: read the rest, leaving the connection usable
                pass
        bad, checked = scan.bad, scan.checked
        if bad is None and checked and (scan.first_seq, scan.last_seq) != (1, checked):
            bad = _find_gap(raw, scan.last_seq)
    if bad is not None:
        return bad
    if checked < head_seq:
        return VerifyResult(checked, checked + 1, "events after the last one found were removed")
    if checked > head_seq:
        return VerifyResult(checked, head_seq + 1, "the chain head is behind the events")
    if scan.last_hash != head_hash:
        return VerifyResult(checked, checked, "the chain head's hash does not match the last event")
    return VerifyResult(checked)


@dataclass
class _Scan:
    bad: VerifyResult | None
    checked: int
    last_hash: str = GENESIS
    first_seq: int = 0
    last_seq: int = 0


def _check_lines(lines, key: bytes, batch_size: int, progress) -> _Scan:
    """Check COPY lines "seq \\t content... \\t prev_hash \\t hash \\n" in order.

    This loop is the hot path: a few slices and one HMAC per line, no parsing. The
    links and HMACs are checked per line; the numbering once, from the first and last
    seq (see verify).
    """
    fresh = hmac.new(key, digestmod=hashlib.sha256).copy
    expected_prev = GENESIS.encode()
    checked = 0
    first = next(lines, None)
    if first is None:
        return _Scan(None, 0)
    first_seq = _seq(first)
    lines = chain([first], lines)
    line = b""
    while True:
        counted = checked
        for data in islice(lines, batch_size):
            line = bytes(data)
            mac = fresh()
            mac.update(line[:-66])  # everything before "\t<hash>\n"
            stored = line[-65:-1]
            if line[-130:-66] != expected_prev or mac.hexdigest().encode() != stored:
                return _Scan(_diagnose(line, checked, expected_prev.decode(), key), checked)
            expected_prev = stored
            checked += 1
        if checked == counted:
            break
        if progress:
            progress(checked - counted)
    return _Scan(None, checked, expected_prev.decode(), first_seq, _seq(line))


def _seq(line) -> int:
    line = bytes(line)
    return int(line[: line.index(b"\t")])


def _find_gap(cursor, last_seq: int) -> VerifyResult:
    """The links held but the numbers are not 1..N: name the first number missing.

    (Each seq is inside its event's HMAC, so this means a writer holding the key
    misbehaved, not that a row was edited later.)
    """
    cursor.execute(GAP_SQL, [last_seq])
    row = cursor.fetchone()
    if row is None:
        return VerifyResult(0, 1, "the sequence numbers do not run from 1 without gaps")
    (missing,) = row
    return VerifyResult(missing - 1, missing, f"event {missing} is missing")


def _diagnose(line: bytes, checked: int, expected_prev: str, key: bytes) -> VerifyResult:
    """Say why LINE does not fit after CHECKED good events."""
    fields = line.removesuffix(b"\n").split(b"\t")
    seq, prev_hash, stored = int(fields[0]), fields[-2].decode(), fields[-1].decode()
    expected_seq = checked + 1
    if seq > expected_seq:
        return VerifyResult(checked, expected_seq, f"event {expected_seq} is missing")
    if seq < expected_seq:
        return VerifyResult(checked, seq, "its sequence number is out of order")
    if prev_hash != expected_prev:
        return VerifyResult(checked, seq, "its previous-hash does not match the event before")
    computed = chain_hash(key, line[: -(len(fields[-1]) + 2)])
    if not hmac.compare_digest(computed, stored):
        return VerifyResult(checked, seq, "its content does not match its hash")
    return VerifyResult(checked, seq, "its stored hash is malformed")


def latest_hash() -> tuple[int, str]:
    """The chain head: the last sequence number and its hash (0 and GENESIS when empty)."""
    head = ChainHead.objects.filter(pk=1).values_list("seq", "hash").first()
    return head or (0, GENESIS)
