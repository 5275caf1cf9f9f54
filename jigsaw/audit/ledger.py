"""Appending to the ledger and checking its chain.

Each event's hash is HMAC-SHA256, keyed by JIGSAW_AUDIT_KEY, over the previous
event's hash and the event's own content. Writers lock the single ChainHead row,
so events from many processes still form one chain, in commit order. The event
is written in the caller's transaction: if the work rolls back, so does its event.
"""

import datetime
import hashlib
import hmac
import ipaddress
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from jigsaw.audit.models import AccessEvent, ChainHead

UTC = datetime.UTC

GENESIS = "0" * 64
CONTENT_FIELDS = (
    "seq",
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


def _text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def canonical(values: Iterable) -> bytes:
    # The unit separator cannot be typed into a form field, so fields cannot run together.
    return "\x1f".join(_text(value) for value in values).encode()


def chain_hash(key: bytes, prev_hash: str, values: Iterable) -> str:
    return hmac.new(key, prev_hash.encode() + b"\x1e" + canonical(values), hashlib.sha256).hexdigest()


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
        object_id=str(object_id or ""),
        person=person,
        purpose=purpose[:500],
        ip_address=_normalise_ip(ip_address),
        detail=detail or {},
    )
    with transaction.atomic(savepoint=False):
        head = ChainHead.objects.select_for_update().get(pk=1)
        event.seq = head.seq + 1
        event.prev_hash = head.hash
        event.hash = chain_hash(settings.AUDIT_KEY, head.hash, _values(event))
        event.save(force_insert=True)
        ChainHead.objects.filter(pk=1).update(seq=event.seq, hash=event.hash)
    return event


def _normalise_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return ipaddress.ip_address(value).compressed
    except ValueError:
        return None


def _values(event: AccessEvent) -> list:
    return [getattr(event, name) for name in CONTENT_FIELDS]


@dataclass
class VerifyResult:
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None


_SELECT = (
    "SELECT seq, occurred_at, user_id, actor_label, api_key_id, organisation_id, action, "
    "object_type, object_id, person_id, purpose, host(ip_address), detail::text, prev_hash, hash "
    "FROM audit_accessevent ORDER BY seq"
)


def verify(batch_size: int = 20_000, progress=None) -> VerifyResult:
    """Recompute every hash in order; report the first event that does not fit the chain."""
    key = settings.AUDIT_KEY
    expected_prev = GENESIS
    expected_seq = 1
    checked = 0
    with transaction.atomic(), connection.cursor() as plain:
        plain.execute("SELECT seq, hash FROM audit_chainhead WHERE id = 1")
        head_seq, head_hash = plain.fetchone()
        raw = connection.connection.cursor(name="audit_verify")
        raw.itersize = batch_size
        raw.execute(_SELECT)
        while rows := raw.fetchmany(batch_size):
            for row in rows:
                seq = row[0]
                if seq != expected_seq:
                    return VerifyResult(checked, expected_seq, f"event {expected_seq} is missing")
                if row[13] != expected_prev:
                    return VerifyResult(checked, seq, "its previous-hash does not match the event before")
                values = list(row[:13])
                values[12] = _normalise_json(values[12])
                if not hmac.compare_digest(chain_hash(key, expected_prev, values), row[14]):
                    return VerifyResult(checked, seq, "its content does not match its hash")
                expected_prev = row[14]
                expected_seq += 1
                checked += 1
            if progress:
                progress(len(rows))
        raw.close()
    if checked != head_seq or expected_prev != head_hash:
        return VerifyResult(checked, checked + 1, "events after the last one found were removed")
    return VerifyResult(checked)


def _normalise_json(text: str) -> str:
    return json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def latest_hash() -> tuple[int, str]:
    head = ChainHead.objects.get(pk=1)
    return head.seq, head.hash
