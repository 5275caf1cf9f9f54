"""Requests for information and the inbox of disclosures received, for case-management systems.

A key acts for one organisation and only within its scopes: `requests:write` to ask another
organisation for information, `sharing:read` to list, read and acknowledge what was shared with
it. The recipient reads the snapshot as it was sent, redacted, never the sender's records.
Another organisation's disclosure, or a key without the scope, is not found (404).
"""

import datetime
from typing import Literal

from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.http import Http404
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from pydantic import Field, field_validator

from jigsaw.guidance.identifiers import checked_nhs_number
from jigsaw.sharing import access, actions

router = Router(tags=["sharing"])

LONG_TEXT = 10_000
MAX_ID = 2**63


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


# Errors ---------------------------------------------------------------------------------------


class Error(Schema):
    detail: str = Field(description="What went wrong, in plain English", examples=["Not found"])


class FieldError(Schema):
    loc: list[str | int] = Field(description="Where the problem is: the last item names the field",
                                 examples=[["body", "payload", "holder_id"]])
    msg: str = Field(description="What is wrong with it", examples=["not an organisation you can ask"])
    type: str = Field("", description="A machine-readable kind of error", examples=["value_error"])


class InvalidInput(Schema):
    detail: str = Field(description="Always 'Invalid input'", examples=["Invalid input"])
    errors: list[FieldError] = Field(description="One item per problem")


NEEDS_KEY = "No API key, or one that has expired or been revoked"
NOT_FOUND = ("Not found: no such disclosure for this organisation, or the key lacks the scope "
             "(the two are not told apart)")
ERRORS = {401: Error, 404: Error, 422: InvalidInput}


# Requests for information -----------------------------------------------------------------------


class RequestIn(Schema):
    holder_id: int = Field(gt=0, lt=MAX_ID, description="The organisation asked: any in the partnership "
                           "directory other than your own", examples=[12])
    given_name: str = Field(min_length=1, max_length=100, description="The child's given name as you know it",
                            examples=["Maya"])
    family_name: str = Field(min_length=1, max_length=100, description="The child's family name as you know it",
                             examples=["Thompson"])
    date_of_birth: datetime.date | None = Field(None, description="The child's date of birth, if known",
                                                examples=["2015-03-27"])
    nhs_number: str = Field("", max_length=14, description="The child's NHS number, if known: 10 digits with a "
                            "valid check digit (spaces and hyphens are ignored)", examples=["999 000 1235"])
    address: str = Field("", max_length=300, description="The child's address as you know it",
                         examples=["1 Mill Lane, Westbridge PL4 8AA"])
    reason: str = Field(min_length=1, max_length=LONG_TEXT, description="Why you need the information",
                        examples=["Section 47 enquiry opened after a disclosure at home"])
    information_wanted: str = Field(min_length=1, max_length=LONG_TEXT, description="What information you need",
                                    examples=["Attendance this term and any safeguarding concerns recorded"])
    urgency: Literal["urgent", "standard"] = Field(
        description="urgent: due by the end of the same working day; standard: due in the holder's standard "
        "number of working days (5 unless they have changed it)", examples=["standard"],
    )

    @field_validator("given_name", "family_name", "reason", "information_wanted")
    @classmethod
    def check_required_text(cls, value: str) -> str:
        return _not_blank(_no_nul(value))

    @field_validator("address")
    @classmethod
    def check_text(cls, value: str) -> str:
        return _no_nul(value)

    @field_validator("nhs_number")
    @classmethod
    def check_nhs_number(cls, value: str) -> str:
        return checked_nhs_number(value)

    @field_validator("date_of_birth")
    @classmethod
    def check_date_of_birth(cls, value):
        if value and value > datetime.date.today():
            raise ValueError("date of birth is in the future")
        if value and value.year < 1900:
            raise ValueError("date of birth must be after 1900")
        return value


class OrganisationOut(Schema):
    id: int = Field(description="The organisation's identifier in Jigsaw", examples=[12])
    name: str = Field(description="The organisation's name", examples=["Westbridge Children's Social Care"])


class RequestOut(Schema):
    id: int = Field(description="The request's identifier", examples=[345])
    status: str = Field(description="open, shared, declined, reconsider or withdrawn", examples=["open"])
    due_at: datetime.datetime = Field(description="When the holder should have answered",
                                      examples=["2026-11-27T10:15:00Z"])
    holder: OrganisationOut = Field(description="The organisation asked")


@router.post(
    "/requests", response={201: RequestOut, **ERRORS}, summary="Ask another organisation for information",
    description="Files a request for information about a child with another organisation in the partnership "
    "directory, which is told by e-mail (with no personal detail). The answer is a disclosure in your inbox or "
    "a recorded decision not to share. Not idempotent: a retry after a timeout can file a second request, so "
    "check with the holder before retrying. Needs the requests:write scope. "
    f"401: {NEEDS_KEY}. 404: the key lacks the scope. 422: a field is missing or invalid.",
)
def create_request(request, payload: RequestIn):
    actor = request.actor
    _or_404(access.require, actor, access.REQUEST)
    holder = access.recipients_for(actor).filter(pk=payload.holder_id).first()
    if holder is None:
        raise ValidationError([{"loc": ["body", "payload", "holder_id"], "type": "value_error",
                                "msg": "not an organisation you can ask: choose one from the partnership directory"}])
    data = actions.RequestData(holder=holder, **payload.model_dump(exclude={"holder_id"}))
    made = actions.do_request(acting=actor, data=data)
    return Status(201, {"id": made.pk, "status": made.status, "due_at": made.due_at,
                        "holder": {"id": holder.pk, "name": holder.name}})


# The inbox ------------------------------------------------------------------------------------


class ChildSummary(Schema):
    given_name: str = Field(description="As the sender sent it", examples=["Maya"])
    family_name: str = Field(description="As the sender sent it", examples=["Thompson"])
    date_of_birth: datetime.date | None = Field(description="As the sender sent it, if known",
                                                examples=["2015-03-27"])


STATUS_DESCRIPTION = "sent (not yet opened), opened, or acknowledged"


class DisclosureSummary(Schema):
    id: int = Field(description="The disclosure's identifier", examples=[678])
    kind: str = Field(description="share, response, referral, file_transfer, minutes or subject_access",
                      examples=["share"])
    sender: OrganisationOut = Field(description="The organisation that sent it")
    sent_at: datetime.datetime = Field(description="When it was sent", examples=["2026-11-20T09:30:00Z"])
    due_at: datetime.datetime = Field(description="When it should be acknowledged by",
                                      examples=["2026-11-23T09:30:00Z"])
    status: str = Field(description=STATUS_DESCRIPTION, examples=["sent"])
    opened_at: datetime.datetime | None = Field(description="When someone here first read it", examples=[None])
    acknowledged_at: datetime.datetime | None = Field(description="When someone here acknowledged it",
                                                      examples=[None])
    child: ChildSummary = Field(description="Who it is about, from the snapshot as sent")


class InboxOut(Schema):
    count: int = Field(description="How many disclosures match, on every page", examples=[120])
    limit: int = Field(description="Page size asked for", examples=[50])
    offset: int = Field(description="Where this page starts", examples=[0])
    next_offset: int | None = Field(description="The offset of the next page, or null on the last page",
                                    examples=[50])
    disclosures: list[DisclosureSummary] = Field(description="Newest first")


class InboxQuery(Schema):
    limit: int = Field(50, ge=1, le=100, description="Page size, 1 to 100")
    offset: int = Field(0, ge=0, le=1_000_000, description="How many to skip")
    status: Literal["sent", "opened", "acknowledged"] | None = Field(
        None, description=f"Only disclosures in this state: {STATUS_DESCRIPTION}")


STATUS_FILTERS = {
    "sent": {"opened_at__isnull": True},
    "opened": {"opened_at__isnull": False, "acknowledged_at__isnull": True},
    "acknowledged": {"acknowledged_at__isnull": False},
}


def _child(key: str):
    return KeyTextTransform(key, KeyTransform("child", "snapshot__content"))


INBOX_COLUMNS = ("id", "kind", "sender_id", "sender__name", "sent_at", "due_at", "opened_at", "acknowledged_at")


@router.get(
    "/disclosures", response={200: InboxOut, 401: Error, 404: Error, 422: InvalidInput},
    summary="List information shared with your organisation",
    description="Disclosures received by the key's organisation, newest first, with who each is about as it "
    "was sent. Listing does not open them: read one to record the receipt. Needs the sharing:read scope. "
    f"401: {NEEDS_KEY}. 404: the key lacks the scope. 422: bad paging or status.",
)
def list_disclosures(request, page: Query[InboxQuery]):
    actor = request.actor
    _or_404(access.require, actor, access.RECEIVE)
    received = access.received_by(actor).filter(**STATUS_FILTERS.get(page.status, {}))
    count = received.count()
    rows = list(
        received.select_related(None).order_by("-sent_at", "-id").values(
            *INBOX_COLUMNS, given_name=_child("given_name"), family_name=_child("family_name"),
            date_of_birth=_child("date_of_birth"),
        )[page.offset:page.offset + page.limit]
    )
    actions.do_record_view(acting=actor, obj=None, person=None, what="inbox of disclosures via API")
    following = page.offset + len(rows)
    return {"count": count, "limit": page.limit, "offset": page.offset,
            "next_offset": following if following < count else None,
            "disclosures": [_summary(row) for row in rows]}


def _status(opened_at, acknowledged_at) -> str:
    if acknowledged_at:
        return "acknowledged"
    return "opened" if opened_at else "sent"


def _summary(row: dict) -> dict:
    return {
        "id": row["id"], "kind": row["kind"], "sender": {"id": row["sender_id"], "name": row["sender__name"]},
        "sent_at": row["sent_at"], "due_at": row["due_at"], "status": _status(row["opened_at"],
                                                                               row["acknowledged_at"]),
        "opened_at": row["opened_at"], "acknowledged_at": row["acknowledged_at"],
        "child": {"given_name": row["given_name"] or "", "family_name": row["family_name"] or "",
                  "date_of_birth": row["date_of_birth"] or None},
    }


# Reading one ----------------------------------------------------------------------------------


class ChildOut(Schema):
    given_name: str = Field(examples=["Maya"])
    family_name: str = Field(examples=["Thompson"])
    date_of_birth: datetime.date | None = Field(examples=["2015-03-27"])
    sex: str = Field(description="As recorded by the sender", examples=["Female"])
    nhs_number: str = Field(description="Formatted 3-3-4; empty when the sender has none", examples=["999 000 1235"])
    nhs_number_absent_reason: str = Field(description="Why there is no NHS number (Children Act 2004 s16LC)",
                                          examples=[""])
    address: str = Field(description="'[redacted]' when the child lives with someone whose identity is protected",
                         examples=["[redacted]"])
    postcode: str = Field(examples=["[redacted]"])
    school: str = Field(description="The child's school, if the sender knows it", examples=["Riverside School"])


class OtherPersonOut(Schema):
    name: str = Field(description="Another child named in the entry, or '[redacted]'", examples=["Sam Thompson"])
    part: str = Field(description="Their part in what happened", examples=["Witness"])


class BodyMapMarkOut(Schema):
    side: str = Field(examples=["Front"])
    region: str = Field(examples=["Left forearm"])
    note: str = Field(examples=["Bruise about 3 cm across, yellowing"])


class ItemOut(Schema):
    position: int = Field(description="Order in the disclosure, from 1", examples=[1])
    thread: str = Field(description="The sender's identifier for the entry, the same across its corrected "
                        "versions, so an update can be matched to what it corrects",
                        examples=["7b1c3f0e-6d1a-4d4e-9a43-0f4b8f3b2a11"])
    version: int = Field(description="1, or higher if the entry was corrected before sending", examples=[1])
    kind: str = Field(description="concern, disclosure, note, action, meeting…", examples=["concern"])
    kind_label: str = Field(examples=["Concern"])
    event_date: datetime.date | None = Field(examples=["2026-11-02"])
    event_time: str | None = Field(description="HH:MM, Europe/London", examples=["13:05"])
    recorded_at: str = Field(description="When the sender recorded it (ISO 8601, Europe/London)",
                             examples=["2026-11-02T13:20+00:00"])
    recorded_by: str = Field(examples=["Bob Brown"])
    categories: list[str] = Field(examples=[["Neglect"]])
    corrected: bool = Field(description="True if the entry was corrected before it was sent", examples=[False])
    what_happened: str = Field(description="Redacted", examples=["Maya said she had not eaten since Friday."])
    childs_words: str = Field(description="The child's own words, exactly, apart from redactions", examples=[""])
    present: str = Field(examples=[""])
    actions_taken: str = Field(examples=["Told the safeguarding lead at 10:15."])
    location: str = Field(examples=["Classroom"])
    others: list[OtherPersonOut] = Field(description="Other children named")
    body_map: list[BodyMapMarkOut] = Field(description="Marks recorded on a body map")
    attachments_not_sent: int = Field(description="Scans and photos held by the sender and not sent",
                                      examples=[0])


class SnapshotOut(Schema):
    child: ChildOut = Field(description="Who it is about")
    items: list[ItemOut] = Field(description="The entries, as sent")
    notice: str = Field(description="Why some details were removed, when any were",
                        examples=["Some details were removed before this was sent…"])


class DisclosureOut(DisclosureSummary):
    purpose: str = Field(description="What the information is for", examples=["To assess Maya's safety at home"])
    lawful_basis: str = Field(description="UK GDPR Article 6 basis", examples=["public_task"])
    special_condition: str = Field(description="UK GDPR Article 9 condition, for special category data",
                                   examples=["safeguarding"])
    consent: str = Field(description="What happened about consent (golden rule 3)", examples=["not_sought_risk"])
    redacted: bool = Field(description="True if anything was removed before sending (golden rule 5)",
                           examples=[True])
    redaction_count: int = Field(description="How many places were removed (never what)", examples=[2])
    snapshot: SnapshotOut = Field(description="Exactly what was sent, redacted")


class AcknowledgeIn(Schema):
    action_taken: str = Field(min_length=1, max_length=LONG_TEXT, description="What you have done or will do "
                              "with the information", examples=["Added to the assessment; strategy discussion "
                                                                "booked for 24 November."])

    @field_validator("action_taken")
    @classmethod
    def check_action_taken(cls, value: str) -> str:
        return _not_blank(_no_nul(value))


@router.get(
    "/disclosures/{int:disclosure_id}", response={200: DisclosureOut, 401: Error, 404: Error},
    summary="Read information shared with your organisation",
    description="The snapshot exactly as it was sent, redacted: never the sender's records. The first read "
    "records the receipt (who, when), which the sender sees; every read is in the access ledger. Needs the "
    f"sharing:read scope. 401: {NEEDS_KEY}. 404: {NOT_FOUND}.",
)
def read_disclosure(request, disclosure_id: int):
    actor = request.actor
    disclosure = _or_404(access.get_disclosure_for, actor, disclosure_id, access.RECEIVE)
    snapshot = _or_404(access.snapshot_of, actor, disclosure)
    disclosure = actions.do_open(acting=actor, disclosure=disclosure)
    return _detail(disclosure, snapshot)


@router.post(
    "/disclosures/{int:disclosure_id}/acknowledge",
    response={200: DisclosureSummary, 401: Error, 404: Error, 409: Error, 422: InvalidInput},
    summary="Acknowledge information shared with your organisation",
    description="Says it was received and acted on, and what was done; the sender sees it. Acknowledging "
    "records the receipt too if it had not been read. Needs the sharing:read scope. "
    f"401: {NEEDS_KEY}. 404: {NOT_FOUND}. 409: it was acknowledged already. 422: action_taken is missing.",
)
def acknowledge_disclosure(request, disclosure_id: int, payload: AcknowledgeIn):
    actor = request.actor
    disclosure = _or_404(access.get_disclosure_for, actor, disclosure_id, access.RECEIVE)
    try:
        done = actions.do_acknowledge(acting=actor, disclosure=disclosure, action_taken=payload.action_taken)
    except actions.AlreadyAcknowledged:
        raise HttpError(409, "This has already been acknowledged") from None
    done.sender = disclosure.sender
    return _summary_of(done, disclosure.snapshot.content)


def _or_404(gate, *args):
    try:
        return gate(*args)
    except Http404:
        raise HttpError(404, "Not found") from None


def _summary_of(disclosure, content: dict) -> dict:
    child = content.get("child", {})
    return {
        "id": disclosure.pk, "kind": disclosure.kind,
        "sender": {"id": disclosure.sender_id, "name": disclosure.sender.name},
        "sent_at": disclosure.sent_at, "due_at": disclosure.due_at, "status": disclosure.status,
        "opened_at": disclosure.opened_at, "acknowledged_at": disclosure.acknowledged_at,
        "child": {"given_name": child.get("given_name", ""), "family_name": child.get("family_name", ""),
                  "date_of_birth": child.get("date_of_birth")},
    }


ITEM_TEXT = ("what_happened", "childs_words", "present", "actions_taken", "location")


def _item(item: dict) -> dict:
    out = {name: item.get(name) for name in ("position", "thread", "version", "kind", "kind_label", "event_date",
                                             "event_time", "recorded_at", "recorded_by")}
    out.update({name: item.get(name) or "" for name in ITEM_TEXT})
    out.update(categories=item.get("categories", []), corrected=bool(item.get("corrected")),
               others=item.get("others", []), body_map=item.get("body_map", []),
               attachments_not_sent=item.get("attachments_not_sent", 0))
    return out


def _detail(disclosure, snapshot) -> dict:
    content, decision = snapshot.content, disclosure.decision
    return {
        **_summary_of(disclosure, content),
        # What was sent is the snapshot's: its purpose, not the decision's own record of it.
        "purpose": content.get("purpose", ""), "lawful_basis": decision.lawful_basis,
        "special_condition": decision.special_condition, "consent": decision.consent,
        "redacted": bool(content.get("redacted")), "redaction_count": snapshot.redaction_count,
        "snapshot": {"child": content.get("child", {}), "items": [_item(i) for i in content.get("items", [])],
                     "notice": content.get("notice", "")},
    }
