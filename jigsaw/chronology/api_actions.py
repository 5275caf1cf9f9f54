"""Changes made through the API that need more than the shared actions: idempotent concern logging.

A system retrying a request after a timeout must not log the same concern twice. The client's
Idempotency-Key is stored with a hash of the request in the same transaction as the concern, so
a retry finds it; when two copies race, the unique constraint lets one win and the other
answers with the winner's concern.
"""

import hashlib
import json
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from jigsaw.accounts.actor import Actor
from jigsaw.chronology import actions
from jigsaw.chronology.models import ApiIdempotencyKey, Category, Concern
from jigsaw.people.models import Person


class KeyReused(Exception):
    """The Idempotency-Key was first used for a different request."""


@dataclass(frozen=True)
class Logged:
    concern: Concern
    replayed: bool


def request_hash(body: dict) -> str:
    """SHA-256 of the body as canonical JSON: the same request always hashes the same."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def category_codes(organisation) -> set[str]:
    """The national categories and the organisation's partnership's own, while in use."""
    return set(Category.objects.offered_to(organisation).values_list("code", flat=True))


def do_record_concern_once(
    *, acting: Actor, person: Person, data: actions.EntryData, key: str, body_hash: str
) -> Logged:
    earlier = _stored(acting, key)
    if earlier is not None:
        return _replay(earlier, body_hash)
    try:
        with transaction.atomic():
            concern = actions.do_record_concern(acting=acting, person=person, data=data)
            ApiIdempotencyKey.objects.create(
                api_key=acting.api_key, key=key, request_hash=body_hash, entry=concern.first_entry
            )
    except IntegrityError:
        earlier = _stored(acting, key)
        if earlier is None:
            raise
        return _replay(earlier, body_hash)
    return Logged(concern, replayed=False)


def _stored(acting: Actor, key: str) -> ApiIdempotencyKey | None:
    return ApiIdempotencyKey.objects.filter(api_key=acting.api_key, key=key).select_related("entry").first()


def _replay(stored: ApiIdempotencyKey, body_hash: str) -> Logged:
    if stored.request_hash != body_hash:
        raise KeyReused
    concern = Concern.objects.select_related("first_entry").get(thread=stored.entry.thread)
    return Logged(concern, replayed=True)
