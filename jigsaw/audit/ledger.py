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

It is PostgreSQL that renders it, both when appending (from the values about to be
inserted, cast to the columns' own types) and when verifying (from the stored row),
so Python and the database never have to agree on how to spell an IPv6 address, a
JSON number or a timestamp. COPY's text format can be read back unambiguously, so
two different rows never share a canonical line. Verifying streams the stored rows'
lines with COPY and hashes each line as it arrives: no per-row parsing at all.
"""

import functools
import hashlib
import hmac
import ipaddress
import json
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

import psycopg
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from jigsaw.audit.models import AccessEvent, ChainHead

GENESIS = "0" * 64
HASH_LENGTH = 64

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


def _micros(expression: str) -> str:
    # Exact (extract returns numeric) and independent of the session's TimeZone and DateStyle.
    return f"(extract(epoch FROM {expression}) * 1000000)::bigint"


@functools.cache
def _sql() -> dict[str, str]:
    """The three statements, with casts taken from the model so they cannot drift from it."""
    fields = {field.column: field for field in AccessEvent._meta.concrete_fields}
    table = AccessEvent._meta.db_table
    head = ChainHead._meta.db_table

    def cast(column: str) -> str:
        if column == "occurred_at":
            return _micros("%s::timestamptz")
        return f"%s::{fields[column].db_type(connection)}"

    stored = ", ".join(
        _micros(column) if column == "occurred_at" else column for column in CONTENT_COLUMNS
    )
    columns = ("seq", *CONTENT_COLUMNS, "prev_hash", "hash")
    values = ", ".join(
        "%s::jsonb" if column == "detail" else "%s::inet" if column == "ip_address" else "%s"
        for column in columns
    )
    return {
        # Locks the head (writers queue here) and has PostgreSQL render the new
        # event's canonical line from the very values that will be inserted.
        "render": (
            f"COPY (SELECT seq + 1, {', '.join(cast(column) for column in CONTENT_COLUMNS)}, hash "
            f"FROM {head} WHERE id = 1 FOR UPDATE) TO STDOUT"
        ),
        "insert": (
            f"WITH event AS (INSERT INTO {table} ({', '.join(columns)}) VALUES ({values}) "
            f"RETURNING id) "
            f"UPDATE {head} SET seq = %s, hash = %s WHERE id = 1 RETURNING (SELECT id FROM event)"
        ),
        "stream": f"COPY (SELECT seq, {stored}, prev_hash, hash FROM {table} ORDER BY seq) TO STDOUT",
    }


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
    sql = _sql()
    with transaction.atomic(savepoint=False):
        connection.validate_no_broken_transaction()
        with connection.wrap_database_errors, psycopg.ClientCursor(connection.connection) as raw:
            with raw.copy(sql["render"], content) as copy:
                line = b"".join(bytes(block) for block in copy)
        line = line.removesuffix(b"\n")
        event.seq = int(line[: line.index(b"\t")])
        event.prev_hash = line[-HASH_LENGTH:].decode()
        event.hash = chain_hash(settings.AUDIT_KEY, line)
        with connection.cursor() as cursor:
            cursor.execute(
                sql["insert"],
                [event.seq, *content, event.prev_hash, event.hash, event.seq, event.hash],
            )
            event.pk = cursor.fetchone()[0]
    event._state.adding = False
    event._state.db = connection.alias
    return event


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
    with transaction.atomic():
        with connection.cursor() as cursor:
            if outermost:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute(f"SELECT seq, hash FROM {ChainHead._meta.db_table} WHERE id = 1")
            head_seq, head_hash = cursor.fetchone()
        with connection.wrap_database_errors, connection.connection.cursor() as raw:
            with raw.copy(_sql()["stream"]) as copy:
                result = _check_lines(iter(copy), key, batch_size, progress)
    if not result.ok:
        return result
    checked = result.checked
    if checked < head_seq:
        return VerifyResult(checked, checked + 1, "events after the last one found were removed")
    if checked > head_seq:
        return VerifyResult(checked, head_seq + 1, "the chain head is behind the events")
    if result.reason != head_hash:
        return VerifyResult(checked, checked, "the chain head's hash does not match the last event")
    return VerifyResult(checked)


def _check_lines(lines, key: bytes, batch_size: int, progress) -> VerifyResult:
    """Check COPY lines "seq \\t content... \\t prev_hash \\t hash \\n" in order.

    On success the result's reason carries the last hash, for the caller to compare
    with the chain head. The loop is the hot path: slices and one HMAC per line.
    """
    fresh = hmac.new(key, digestmod=hashlib.sha256).copy
    expected_prev = GENESIS.encode()
    checked = 0
    while True:
        counted = checked
        for data in islice(lines, batch_size):
            line = bytes(data)
            mac = fresh()
            mac.update(line[:-66])  # everything before "\t<hash>\n"
            stored = line[-65:-1]
            if line[-130:-66] != expected_prev or mac.hexdigest().encode() != stored:
                return _diagnose(line, checked, expected_prev.decode(), key)
            expected_prev = stored
            checked += 1
        if checked == counted:
            break
        if progress:
            progress(checked - counted)
    # Every line was read in order and linked; the first seq must have been 1 and
    # each later seq one more, which _diagnose would otherwise have reported.
    return VerifyResult(checked, None, expected_prev.decode())


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
    head = ChainHead.objects.get(pk=1)
    return head.seq, head.hash
