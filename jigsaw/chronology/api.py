"""Concerns from other systems (web filtering, monitoring) and chronologies for case systems.

A key acts for one organisation and only within its scopes: `concerns:write` to log a concern,
`chronology:read` to read a child's chronology. A child of another organisation, or a key
without the scope, is not found (404), as in the rest of the API.
"""

import datetime

from django.http import Http404, HttpResponse
from ninja import Header, Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from pydantic import Field, field_validator

from jigsaw.chronology import access, actions, api_actions

router = Router(tags=["chronology"])

LONG_TEXT = 10_000
PRINTABLE = r"^[\x20-\x7E]*[\x21-\x7E][\x20-\x7E]*$"


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


class ConcernIn(Schema):
    person_id: int = Field(gt=0, lt=2**63)
    what_happened: str = Field(min_length=1, max_length=LONG_TEXT)
    childs_words: str = Field("", max_length=LONG_TEXT, description="The child's own words, kept exactly as given")
    event_date: datetime.date | None = None
    event_time: datetime.time | None = None
    location: str = Field("", max_length=200)
    present: str = Field("", max_length=500)
    actions_taken: str = Field("", max_length=LONG_TEXT)
    categories: list[str] = Field(default_factory=list, max_length=30)
    source: str = Field("", max_length=200, description="The system that raised it; the key's name if left out")

    @field_validator("what_happened", "childs_words", "location", "present", "actions_taken", "source")
    @classmethod
    def check_text(cls, value: str) -> str:
        return _no_nul(value)

    @field_validator("what_happened")
    @classmethod
    def check_what_happened(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("say what was seen or heard")
        return value

    @field_validator("categories")
    @classmethod
    def check_category_codes(cls, value: list[str]) -> list[str]:
        if any(len(code) > 60 or "\x00" in code for code in value):
            raise ValueError("each category is a code of up to 60 characters")
        return value

    @field_validator("event_date")
    @classmethod
    def check_event_date(cls, value):
        if value and value > datetime.date.today():
            raise ValueError("the event date is in the future")
        if value and value.year < 1900:
            raise ValueError("the event date must be after 1900")
        return value

    @field_validator("event_time")
    @classmethod
    def check_event_time(cls, value):
        if value and value.tzinfo is not None:
            raise ValueError("give the local time in Europe/London, without a time zone")
        return value


class ConcernOut(Schema):
    id: int
    entry_id: int
    person_id: int
    status: str
    kind: str
    recorded_at: datetime.datetime


class ChildsWords(Schema):
    text: str
    verbatim: bool = Field(True, description="Always true: the child's words exactly as recorded")


class EntryOut(Schema):
    id: int
    thread: str
    kind: str
    event_date: datetime.date | None
    event_time: datetime.time | None
    sort_date: datetime.date
    recorded_at: datetime.datetime
    categories: list[str]
    location: str
    what_happened: str
    childs_words: ChildsWords | None
    present: str
    actions_taken: str
    author_label: str
    version: int
    corrected: bool
    triage_outcome: str


class ChronologyOut(Schema):
    person_id: int
    count: int
    limit: int
    offset: int
    next_offset: int | None
    entries: list[EntryOut]


class Page(Schema):
    limit: int = Field(50, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


@router.post(
    "/concerns", response={201: ConcernOut, 200: ConcernOut}, summary="Log a concern about a child",
    description="Send an Idempotency-Key header (1 to 100 printable characters): a retry with the same key "
    "and the same body returns the first concern (200, header Idempotent-Replayed: true); the same key with "
    "a different body is refused (409).",
)
def log_concern(
    request, response: HttpResponse, payload: ConcernIn,
    idempotency_key: str = Header(..., alias="Idempotency-Key", min_length=1, max_length=100, pattern=PRINTABLE),
):
    actor = request.actor
    person = _child_or_404(request, payload.person_id, access.LOG_CONCERN)
    _check_categories(actor, payload.categories)
    data = actions.EntryData(**payload.model_dump(exclude={"person_id"}))
    data.source = data.source or actor.api_key.name
    try:
        logged = api_actions.do_record_concern_once(
            acting=actor, person=person, data=data, key=idempotency_key,
            body_hash=api_actions.request_hash(payload.model_dump(mode="json")),
        )
    except api_actions.KeyReused:
        raise HttpError(409, "This Idempotency-Key was already used for a different request. "
                             "Use a new key for a new concern.") from None
    if logged.replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(200 if logged.replayed else 201, _concern_out(logged.concern))


@router.get(
    "/people/{int:person_id}/chronology", response=ChronologyOut, summary="Read a child's chronology",
    description="The child's current entries, newest event first. Every read is recorded.",
)
def read_chronology(request, person_id: int, page: Query[Page]):
    person = _child_or_404(request, person_id, access.VIEW_CHRONOLOGY)
    entries = access.chronology_of(request.actor, person)
    count = entries.count()
    found = list(entries[page.offset:page.offset + page.limit])
    actions.do_record_view(acting=request.actor, person=person, what="chronology via API")
    following = page.offset + len(found)
    return {
        "person_id": person.pk, "count": count, "limit": page.limit, "offset": page.offset,
        "next_offset": following if following < count else None,
        "entries": [_entry_out(entry) for entry in found],
    }


def _child_or_404(request, person_id, action):
    try:
        return access.get_child_for(request.actor, person_id, action)
    except Http404:
        raise HttpError(404, "Not found") from None


def _check_categories(actor, codes) -> None:
    unknown = sorted(set(codes) - api_actions.category_codes(actor.organisation))
    if unknown:
        raise ValidationError([{
            "loc": ["body", "payload", "categories"], "type": "value_error",
            "msg": f"unknown category: {', '.join(unknown)}",
        }])


def _concern_out(concern) -> dict:
    return {
        "id": concern.pk, "entry_id": concern.first_entry_id, "person_id": concern.person_id,
        "status": concern.status, "kind": concern.first_entry.kind, "recorded_at": concern.first_entry.recorded_at,
    }


def _entry_out(entry) -> dict:
    return {
        "id": entry.pk, "thread": str(entry.thread), "kind": entry.kind, "event_date": entry.event_date,
        "event_time": entry.event_time, "sort_date": entry.sort_date, "recorded_at": entry.recorded_at,
        "categories": entry.categories, "location": entry.location, "what_happened": entry.what_happened,
        "childs_words": {"text": entry.childs_words, "verbatim": True} if entry.childs_words else None,
        "present": entry.present, "actions_taken": entry.actions_taken, "author_label": entry.author_label,
        "version": entry.version, "corrected": entry.is_corrected, "triage_outcome": entry.triage_outcome,
    }
