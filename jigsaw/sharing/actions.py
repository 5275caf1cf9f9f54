"""Every change in sharing: one transaction each, with its AccessEvent and notifications inside.

Sending is all-or-nothing: the decision, the disclosure, its items, its snapshot, the external
link and the sender's chronology entry are written in one transaction, and the e-mails go
only once it has committed. A failure anywhere leaves nothing half-sent.
"""

import datetime
import hashlib
import secrets
from dataclasses import asdict, dataclass, field, fields

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from jigsaw.accounts.actor import Actor
from jigsaw.accounts.models import Membership, Organisation
from jigsaw.audit.events import record
from jigsaw.audit.models import Action
from jigsaw.chronology import actions as chronology_actions
from jigsaw.chronology.actions import EntryData
from jigsaw.chronology.models import Alert, Entry, EntryKind
from jigsaw.guidance import sharing as rules
from jigsaw.guidance.sharing import ConsentStatus, DisclosureKind, Outcome
from jigsaw.people.models import Person
from jigsaw.sharing import notify, snapshots
from jigsaw.sharing.models import (
    AdviceRequest,
    Agreement,
    Decision,
    Disclosure,
    DisclosureItem,
    ExternalLink,
    PromptResponse,
    Request,
    RequestStatus,
    RequestUpdate,
    Review,
    ShareDraft,
    SharingSettings,
    Snapshot,
)

MAX_ENTRIES = 5000
CHASE_INTERVAL = datetime.timedelta(hours=1)


class AlreadyAnswered(Exception):
    """Someone else answered the request first."""


class AlreadyReviewed(Exception):
    """Someone else reviewed the decision first."""


class AlreadyAcknowledged(Exception):
    """The disclosure was acknowledged already."""


class TooSoon(Exception):
    """A chase was sent less than an hour ago."""


@dataclass
class DecisionData:
    """The decision form's answers, in the order of the golden rules."""

    outcome: str
    purpose: str
    rationale: str
    consent: str
    recipient: Organisation | None = None
    external_name: str = ""
    external_role: str = ""
    external_organisation: str = ""
    external_email: str = ""
    external_phone: str = ""
    external_reason: str = ""
    lawful_basis: str = ""
    special_category: bool = False
    special_condition: str = ""
    criminal_offence_data: bool = False
    criminal_condition: str = ""
    consent_detail: str = ""
    objections: str = ""
    objections_weighed: str = ""
    child_told: bool = False
    carers_told: bool = False
    not_told_reason: str = ""
    advice_sought: bool = False
    advice_from: str = ""
    advice_given: str = ""
    everything: bool = False
    everything_justification: str = ""
    emergency: bool = False
    agreement: Agreement | None = None
    others: list[Person] = field(default_factory=list)

    def problems(self, *, entry_count: int) -> dict[str, str]:
        """What is missing or contradictory, field by field, in plain English (empty when fine)."""
        errors: dict[str, str] = {}
        blank = lambda value: not (value or "").strip()  # noqa: E731
        if self.outcome not in Outcome.values:
            errors["outcome"] = "Select whether you are sharing the information"
        if blank(self.purpose):
            errors["purpose"] = "Enter what the information is for"
        if blank(self.rationale):
            errors["rationale"] = ("Enter the reasons for your decision: they must be recorded whether or not you "
                                   "share (golden rule 7)")
        if self.consent not in ConsentStatus.values:
            errors["consent"] = "Select what happened about consent"
        if self.recipient is None and blank(self.external_name):
            errors["recipient"] = "Select who the information is for, or name a recipient outside the partnership"
        if self.recipient is not None and not blank(self.external_name):
            errors["external_name"] = "Choose an organisation in the directory or a named recipient, not both"
        if self.recipient is None and not blank(self.external_name):
            if blank(self.external_role):
                errors["external_role"] = "Enter the recipient's role"
            if blank(self.external_reason):
                errors["external_reason"] = ("Enter why they need the information: they must have a role in "
                                             "safeguarding or supporting the child (golden rule 6)")
            if self.outcome == Outcome.SHARE and blank(self.external_email):
                errors["external_email"] = "Enter the recipient's e-mail address, to send them a secure link"
            if self.outcome == Outcome.SHARE and blank(self.external_phone):
                errors["external_phone"] = "Enter a phone number, to give them the code another way"
        if self.outcome == Outcome.SHARE:
            if self.lawful_basis not in rules.LawfulBasis.values:
                errors["lawful_basis"] = "Select the lawful basis for sharing (UK GDPR Article 6)"
            if self.special_category and self.special_condition not in rules.SpecialCondition.values:
                errors["special_condition"] = ("Select the condition for sharing special category data "
                                               "(UK GDPR Article 9)")
            if self.criminal_offence_data and blank(self.criminal_condition):
                errors["criminal_condition"] = "Enter the condition for sharing criminal offence data (Article 10)"
            if self.everything and blank(self.everything_justification):
                errors["everything_justification"] = ("Explain why the whole record is needed: only what is "
                                                      "necessary should be shared (golden rule 6)")
            if not self.everything and entry_count == 0:
                errors["entries"] = "Select at least one entry to share"
        if self.consent == ConsentStatus.NOT_SOUGHT_OTHER and blank(self.consent_detail):
            errors["consent_detail"] = "Enter why consent was not sought"
        if self.consent in rules.OBJECTION_STATUSES:
            if blank(self.objections):
                errors["objections"] = "Enter the objections the child or their carers raised"
            if blank(self.objections_weighed):
                errors["objections_weighed"] = "Enter how you weighed their objections"
        if not (self.child_told or self.carers_told) and blank(self.not_told_reason):
            errors["not_told_reason"] = ("Enter why the child and their carers were not told (golden rule 2)")
        if self.advice_sought and blank(self.advice_from):
            errors["advice_from"] = "Enter who you asked for advice"
        return errors

    def as_draft(self) -> dict:
        """JSON for a ShareDraft: model choices by primary key."""
        out = {}
        for each in fields(self):
            value = getattr(self, each.name)
            if each.name in ("recipient", "agreement"):
                value = value.pk if value is not None else None
            elif each.name == "others":
                value = [p.pk for p in value]
            out[each.name] = value
        return out


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def settings_for(organisation: Organisation) -> SharingSettings:
    return SharingSettings.objects.filter(organisation=organisation).first() or SharingSettings(
        organisation=organisation
    )


# Drafts -----------------------------------------------------------------------------------


def do_start_draft(*, acting: Actor, person: Person, kind: str = DisclosureKind.SHARE, request: Request | None = None,
                   reconsiders: Decision | None = None, entry_ids=()) -> ShareDraft:
    with transaction.atomic():
        draft = ShareDraft.objects.create(
            organisation=acting.organisation, user=acting.user, person=person, kind=kind, request=request,
            reconsiders=reconsiders, entry_ids=sorted({int(i) for i in entry_ids})[:MAX_ENTRIES],
        )
        record(acting, Action.VIEW, obj=draft, person=person, purpose="prepare a share")
    return draft


def do_update_draft(*, acting: Actor, draft: ShareDraft, entry_ids=None, everything=None, decision=None,
                    manual_redactions=None) -> ShareDraft:
    """Keep what the sender chose and typed, so nothing is lost between the wizard's pages."""
    changed = []
    if entry_ids is not None:
        draft.entry_ids = sorted({int(i) for i in entry_ids})[:MAX_ENTRIES]
        changed.append("entries")
    if everything is not None:
        draft.everything = everything
        changed.append("everything")
    if decision is not None:
        draft.decision = decision
        changed.append("decision")
    if manual_redactions is not None:
        draft.manual_redactions = manual_redactions[:200]
        changed.append("redactions")
    draft.updated_at = timezone.now()
    with transaction.atomic():
        draft.save()
        record(acting, Action.UPDATE, obj=draft, person=draft.person, detail={"draft": changed})
    return draft


def do_discard_draft(*, acting: Actor, draft: ShareDraft) -> None:
    with transaction.atomic():
        record(acting, Action.UPDATE, obj=draft, person=draft.person, detail={"draft_discarded": True})
        draft.delete()


def entries_for(draft: ShareDraft, shareable):
    """The draft's chosen entries (or every current entry), limited to what the sender may share."""
    chosen = shareable if draft.everything else shareable.filter(pk__in=draft.entry_ids)
    return list(chosen.order_by("sort_date", "id")[:MAX_ENTRIES])


def preview(*, acting: Actor, draft: ShareDraft, entries, recipient_label: str = "",
            purpose: str = "") -> snapshots.Built:
    return snapshots.build(
        organisation=acting.organisation, subject=draft.person, entries=entries, manual=draft.manual_redactions,
        kind=draft.kind, purpose=purpose, recipient_label=recipient_label,
    )


# Deciding and sending -----------------------------------------------------------------------


@dataclass
class Sent:
    decision: Decision
    disclosure: Disclosure | None = None
    link_token: str = ""  # shown once to the sender, for an external recipient
    link_code: str = ""


def _new_decision(acting: Actor, person: Person, data: DecisionData, *, request=None, reconsiders=None,
                  now=None) -> Decision:
    values = {k: v for k, v in asdict(data).items() if k not in ("recipient", "agreement", "others")}
    decision = Decision(
        organisation=acting.organisation, person=person, recipient=data.recipient, agreement=data.agreement,
        request=request, reconsiders=reconsiders, decided_by=acting.user,
        decided_by_label=acting.user.full_name if acting.user else acting.label, decided_at=now or timezone.now(),
        **values,
    )
    if decision.outcome == Outcome.WITHHOLD:
        decision.everything, decision.everything_justification = False, ""
    decision.save()
    if data.others:
        decision.others.set(data.others)
    return decision


def _record_in_chronology(acting: Actor, person: Person, decision: Decision, count: int, now) -> None:
    """Record and explain (seed 002): the child's own chronology says who was given what, and why."""
    if decision.shares:
        what = (f"Shared {count} {'entry' if count == 1 else 'entries'} with {decision.recipient_label}. "
                f"Purpose: {decision.purpose}")
    else:
        what = f"Decided not to share information with {decision.recipient_label}. Purpose asked: {decision.purpose}"
    chronology_actions.do_record_entry(
        acting=acting, person=person, kind=EntryKind.SHARE,
        data=EntryData(what_happened=what, actions_taken=f"Reasons: {decision.rationale}",
                       event_date=timezone.localdate(now), recorded_at=now, source=f"Sharing decision {decision.pk}"),
    )


def do_decide(*, acting: Actor, draft: ShareDraft, data: DecisionData, shareable,
              updates: Disclosure | None = None, now: datetime.datetime | None = None) -> Sent:
    """Record the decision; when it is to share, send the disclosure with its redacted snapshot.

    `shareable` is the access layer's queryset of entries the sender may share (current versions of
    the child's file); chosen ids outside it are ignored, so a tampered form cannot send anything else.
    """
    entries = entries_for(draft, shareable) if data.outcome == Outcome.SHARE else []
    problems = data.problems(entry_count=len(entries))
    if problems:
        raise ValidationError(problems)
    now = now or timezone.now()
    with transaction.atomic():
        request = None
        if draft.request_id:
            request = Request.objects.select_for_update().get(pk=draft.request_id)
            if not request.is_open:
                raise AlreadyAnswered
        reconsiders = draft.reconsiders
        decision = _new_decision(acting, draft.person, data, request=request, reconsiders=reconsiders, now=now)
        AdviceRequest.objects.filter(draft=draft).update(decision=decision)
        sent = Sent(decision=decision)
        if decision.shares:
            sent = _send(acting, draft, decision, entries, now=now, updates=updates)
        else:
            record(acting, Action.CREATE, obj=decision, person=draft.person,
                   detail={"outcome": "withhold", "recipient": decision.recipient_label})
        _record_in_chronology(acting, draft.person, decision, len(entries), now)
        if request is not None:
            request.status = RequestStatus.SHARED if decision.shares else RequestStatus.DECLINED
            request.answered_at, request.answered_by, request.holder_person = now, acting.user, draft.person
            request.save(update_fields=["status", "answered_at", "answered_by", "holder_person"])
            notify.later(lambda: notify.request_answered(request.requester, request.holder))
        draft.delete()
    return sent


def _send(acting: Actor, draft: ShareDraft, decision: Decision, entries, *, now, updates=None) -> Sent:
    built = snapshots.build(
        organisation=acting.organisation, subject=draft.person, entries=entries, manual=draft.manual_redactions,
        kind=draft.kind, purpose=decision.purpose, recipient_label=decision.recipient_label,
    )
    local = settings_for(acting.organisation)
    disclosure = Disclosure.objects.create(
        kind=draft.kind, decision=decision, updates=updates, sender=acting.organisation, person=draft.person,
        recipient=decision.recipient, sent_by=acting.user,
        sent_by_label=acting.user.full_name if acting.user else acting.label, sent_at=now,
        due_at=rules.acknowledgement_due(draft.kind, now, local.acknowledge_within),
    )
    DisclosureItem.objects.bulk_create(
        DisclosureItem(disclosure=disclosure, entry=entry, position=position)
        for position, entry in enumerate(entries, start=1)
    )
    Snapshot.objects.create(disclosure=disclosure, content=built.content, redactions=built.redactions,
                            sha256=built.sha256, created_at=now)
    sent = Sent(decision=decision, disclosure=disclosure)
    if decision.is_external:
        sent.link_token, sent.link_code = secrets.token_urlsafe(32), f"{secrets.randbelow(10**6):06d}"
        link = ExternalLink.objects.create(
            disclosure=disclosure, token_hash=_hash(sent.link_token), code_hash=_hash(sent.link_code),
            expires_at=now + datetime.timedelta(days=local.external_link_days),
            max_downloads=local.external_link_downloads, created_at=now,
        )
        path = reverse("external_disclosure", args=[sent.link_token])
        notify.later(lambda: notify.external_link(decision.external_email, acting.organisation, path,
                                                  link.expires_at))
    else:
        notify.later(lambda: notify.disclosure_received(acting.organisation, decision.recipient))
    record(acting, Action.SHARE, obj=disclosure, person=draft.person, purpose=decision.purpose[:500],
           detail={"kind": draft.kind, "recipient": decision.recipient_label, "entries": len(entries),
                   "redactions": built.redaction_count, "decision": decision.pk})
    return sent


def do_send_update(*, acting: Actor, disclosure: Disclosure, shareable, now=None) -> Disclosure:
    """Corrections at the source reach the recipient as an update under the same decision, never silently."""
    if disclosure.decision.is_external:
        raise ValidationError("Share the corrected entries again: someone outside the partnership needs a new code")
    corrected = Entry.objects.filter(disclosed_in__disclosure=disclosure, superseded_by__isnull=False)
    threads = set(corrected.values_list("thread", flat=True))
    now = now or timezone.now()
    with transaction.atomic():
        Disclosure.objects.select_for_update().get(pk=disclosure.pk)  # two clicks cannot both send
        already = DisclosureItem.objects.filter(disclosure__updates=disclosure).values("entry_id")
        entries = list(shareable.filter(thread__in=threads).exclude(pk__in=already).order_by("sort_date", "id"))
        if not entries:
            raise ValidationError("None of the entries sent have been corrected since")
        draft = ShareDraft(organisation=acting.organisation, user=acting.user, person=disclosure.person,
                           kind=disclosure.kind, manual_redactions=[])
        sent = _send(acting, draft, disclosure.decision, entries, now=now, updates=disclosure)
    return sent.disclosure


# Receiving --------------------------------------------------------------------------------


def do_open(*, acting: Actor, disclosure: Disclosure, now=None) -> Disclosure:
    """Reading a received disclosure records the receipt the first time (who, when)."""
    with transaction.atomic():
        locked = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
        if locked.opened_at is None:
            locked.opened_at, locked.opened_by = now or timezone.now(), acting.user
            locked.opened_by_label = acting.user.full_name if acting.user else acting.label
            locked.save(update_fields=["opened_at", "opened_by", "opened_by_label"])
        record(acting, Action.VIEW, obj=locked, person=None, purpose="read information shared with us",
               detail={"sender": disclosure.sender.name})
    disclosure.opened_at, disclosure.opened_by_label = locked.opened_at, locked.opened_by_label
    return disclosure


def do_acknowledge(*, acting: Actor, disclosure: Disclosure, action_taken: str, now=None) -> Disclosure:
    if not action_taken.strip():
        raise ValidationError({"action_taken": "Enter what you have done or will do with the information"})
    with transaction.atomic():
        locked = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
        if locked.acknowledged_at is not None:
            raise AlreadyAcknowledged
        now = now or timezone.now()
        label = acting.user.full_name if acting.user else acting.label
        if locked.opened_at is None:
            locked.opened_at, locked.opened_by, locked.opened_by_label = now, acting.user, label
        locked.acknowledged_at, locked.acknowledged_by, locked.acknowledged_by_label = now, acting.user, label
        locked.action_taken = action_taken.strip()
        locked.save(update_fields=["opened_at", "opened_by", "opened_by_label", "acknowledged_at",
                                   "acknowledged_by", "acknowledged_by_label", "action_taken"])
        record(acting, Action.UPDATE, obj=locked, detail={"acknowledged": True})
    return locked


def do_chase(*, acting: Actor, disclosure: Disclosure, now=None) -> Disclosure:
    """One click: the recipient is told again. Not more than once an hour."""
    with transaction.atomic():
        locked = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
        if locked.acknowledged_at is not None:
            raise AlreadyAcknowledged
        if locked.recipient_id is None:
            raise ValidationError("Phone or e-mail them to chase: they are outside the partnership")
        now = now or timezone.now()
        if locked.last_chased_at and now - locked.last_chased_at < CHASE_INTERVAL:
            raise TooSoon
        locked.last_chased_at, locked.chase_count = now, F("chase_count") + 1
        locked.save(update_fields=["last_chased_at", "chase_count"])
        record(acting, Action.UPDATE, obj=locked, person=disclosure.person, detail={"chased": True})
        if locked.recipient_id:
            notify.later(lambda: notify.disclosure_received(disclosure.sender, disclosure.recipient,
                                                            chased=True))
    locked.refresh_from_db()
    return locked


def do_save_to_chronology(*, acting: Actor, disclosure: Disclosure, person: Person) -> Entry:
    """The recipient keeps what they were sent in their own child's chronology, citing its source."""
    if person.organisation_id != acting.organisation.pk:
        raise ValidationError({"person": "Choose a child from your own organisation's records"})
    content = disclosure.snapshot.content
    with transaction.atomic():
        locked = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
        if locked.saved_entry_id:
            raise ValidationError({"person": "This has already been saved to a chronology"})
        entry = chronology_actions.do_record_entry(
            acting=acting, person=person, kind=EntryKind.SHARE,
            data=EntryData(what_happened=snapshots.as_text(content)[:100_000],
                           event_date=timezone.localdate(disclosure.sent_at),
                           source=f"{disclosure.sender.name}, disclosure {disclosure.pk} sent "
                                  f"{timezone.localtime(disclosure.sent_at):%d %b %Y %H:%M}"[:200]),
        )
        locked.saved_entry = entry
        locked.save(update_fields=["saved_entry"])
    return entry


# Recipients outside the partnership ---------------------------------------------------------


def _external_actor(link: ExternalLink, ip_address) -> Actor:
    """Someone outside the partnership, with no account: named in the ledger by who the link was for."""
    return Actor(user=None, organisation=None, role=None, ip_address=ip_address,
                 system=f"external recipient {link.disclosure.decision.external_name}"[:100])


def do_check_external_code(*, link: ExternalLink, code: str, ip_address=None) -> bool:
    actor = _external_actor(link, ip_address)
    with transaction.atomic():
        locked = ExternalLink.objects.select_for_update().get(pk=link.pk)
        if not locked.is_usable():
            return False
        ok = secrets.compare_digest(_hash(code.strip()), locked.code_hash)
        if not ok:
            locked.failed_codes += 1
            locked.save(update_fields=["failed_codes"])
            record(actor, Action.DENIAL, obj=locked.disclosure, detail={"wanted": "external code"})
        else:
            record(actor, Action.SIGN_IN, obj=locked.disclosure, detail={"external": True})
    return ok


def do_external_download(*, link: ExternalLink, ip_address=None) -> ExternalLink:
    """Count and record one download; refuse once the limit or the expiry is reached."""
    actor = _external_actor(link, ip_address)
    with transaction.atomic():
        locked = ExternalLink.objects.select_for_update().get(pk=link.pk)
        if not locked.is_usable():
            raise ValidationError("This link has expired or has been used as many times as allowed")
        locked.downloads += 1
        locked.save(update_fields=["downloads"])
        disclosure = Disclosure.objects.select_for_update().get(pk=locked.disclosure_id)
        if disclosure.opened_at is None:
            disclosure.opened_at = timezone.now()
            disclosure.opened_by_label = disclosure.decision.external_name
            disclosure.save(update_fields=["opened_at", "opened_by_label"])
        record(actor, Action.EXPORT, obj=disclosure, person=disclosure.person,
               detail={"external": True, "download": locked.downloads})
    return locked


def do_revoke_external_link(*, acting: Actor, disclosure: Disclosure) -> None:
    with transaction.atomic():
        ExternalLink.objects.filter(disclosure=disclosure, revoked_at__isnull=True).update(revoked_at=timezone.now())
        record(acting, Action.UPDATE, obj=disclosure, person=disclosure.person, detail={"link_revoked": True})


# Requests for information -----------------------------------------------------------------


@dataclass
class RequestData:
    holder: Organisation
    given_name: str
    family_name: str
    reason: str
    information_wanted: str
    urgency: str = rules.Urgency.STANDARD
    date_of_birth: datetime.date | None = None
    nhs_number: str = ""
    address: str = ""
    requester_person: Person | None = None


def do_request(*, acting: Actor, data: RequestData, now=None) -> Request:
    if data.holder.pk == acting.organisation.pk:
        raise ValidationError({"holder": "Choose another organisation: you cannot ask your own"})
    now = now or timezone.now()
    standard = settings_for(data.holder).standard_response_working_days
    with transaction.atomic():
        request = Request(
            requester=acting.organisation, requested_by=acting.user,
            requested_by_label=acting.user.full_name if acting.user else acting.label, api_key=acting.api_key,
            asked_at=now, due_at=rules.request_due(data.urgency, now, standard),
            **{k: v for k, v in asdict(data).items() if k not in ("holder", "requester_person")},
            holder=data.holder, requester_person=data.requester_person,
        )
        request.full_clean(exclude=["holder_person", "answered_by", "requested_by", "api_key"])
        request.save()
        record(acting, Action.CREATE, obj=request, person=data.requester_person,
               purpose=data.reason[:500], detail={"holder": data.holder.name, "urgency": data.urgency})
        notify.later(lambda: notify.request_received(acting.organisation, data.holder,
                                                     urgent=data.urgency == rules.Urgency.URGENT))
    return request


def do_add_information(*, acting: Actor, request: Request, text: str, now=None) -> RequestUpdate:
    """Golden rule 7: new information from the requester reopens the request for reconsideration."""
    if not text.strip():
        raise ValidationError({"text": "Enter the new information"})
    with transaction.atomic():
        locked = Request.objects.select_for_update().get(pk=request.pk)
        if locked.status == RequestStatus.WITHDRAWN:
            raise ValidationError({"text": "This request has been withdrawn"})
        now = now or timezone.now()
        update = RequestUpdate.objects.create(
            request=locked, text=text.strip(), added_by=acting.user, added_at=now,
            added_by_label=acting.user.full_name if acting.user else acting.label,
        )
        if locked.status in (RequestStatus.DECLINED, RequestStatus.SHARED):
            locked.status = RequestStatus.RECONSIDER
            locked.due_at = rules.request_due(locked.urgency, now,
                                              settings_for(locked.holder).standard_response_working_days)
            locked.save(update_fields=["status", "due_at"])
        record(acting, Action.UPDATE, obj=locked, person=locked.requester_person, detail={"new_information": True})
        notify.later(lambda: notify.request_updated(locked.requester, locked.holder))
    return update


def do_withdraw_request(*, acting: Actor, request: Request) -> Request:
    with transaction.atomic():
        locked = Request.objects.select_for_update().get(pk=request.pk)
        if not locked.is_open:
            raise AlreadyAnswered
        locked.status = RequestStatus.WITHDRAWN
        locked.save(update_fields=["status"])
        record(acting, Action.UPDATE, obj=locked, detail={"withdrawn": True})
    return locked


def do_answer_no_record(*, acting: Actor, request: Request, note: str = "", now=None) -> Request:
    """The holder has no record of the child: say so at once, so the requester can look elsewhere."""
    with transaction.atomic():
        locked = Request.objects.select_for_update().get(pk=request.pk)
        if not locked.is_open:
            raise AlreadyAnswered
        locked.status, locked.answered_by = RequestStatus.NO_RECORD, acting.user
        locked.answered_at = now or timezone.now()
        locked.answer_note = note.strip() or "We hold no record of this child."
        locked.save(update_fields=["status", "answered_at", "answered_by", "answer_note"])
        record(acting, Action.UPDATE, obj=locked, detail={"no_record": True})
        notify.later(lambda: notify.request_answered(locked.requester, locked.holder))
    return locked


def do_start_answer(*, acting: Actor, request: Request, person: Person) -> ShareDraft:
    """The holder answers from their own record of the child: a draft linked to the request."""
    if person.organisation_id != acting.organisation.pk:
        raise ValidationError({"person": "Choose a child from your own organisation's records"})
    previous = request.latest_decision
    return do_start_draft(acting=acting, person=person, kind=DisclosureKind.RESPONSE, request=request,
                          reconsiders=previous)


# Advice (golden rule 4) -------------------------------------------------------------------


def do_ask_advice(*, acting: Actor, draft: ShareDraft, adviser: Membership, question: str,
                  due_at: datetime.datetime, briefing: dict, now=None) -> AdviceRequest:
    if adviser.organisation_id != acting.organisation.pk or adviser.user_id == acting.user.pk:
        raise ValidationError({"adviser": "Choose someone in your organisation who can advise"})
    if not question.strip():
        raise ValidationError({"question": "Enter what you would like advice on"})
    with transaction.atomic():
        advice = AdviceRequest.objects.create(
            organisation=acting.organisation, person=draft.person, draft=draft, asked_by=acting.user,
            adviser=adviser.user, adviser_role=adviser.role, question=question.strip(), briefing=briefing,
            due_at=due_at, asked_at=now or timezone.now(),
        )
        record(acting, Action.SHARE, obj=advice, person=draft.person, purpose="ask for advice on sharing",
               detail={"adviser": adviser.user.email})
        path = reverse("advice", args=[advice.pk])
        notify.later(lambda: notify.advice_asked(adviser.user.email, acting.organisation, path))
    return advice


def do_give_advice(*, acting: Actor, advice: AdviceRequest, answer: str, now=None) -> AdviceRequest:
    if not answer.strip():
        raise ValidationError({"answer": "Enter your advice"})
    with transaction.atomic():
        locked = AdviceRequest.objects.select_for_update().get(pk=advice.pk)
        if locked.answered_at is not None:
            raise ValidationError({"answer": "You have already given your advice"})
        locked.answer, locked.answered_at = answer.strip(), now or timezone.now()
        locked.save(update_fields=["answer", "answered_at"])
        record(acting, Action.UPDATE, obj=locked, person=locked.person, detail={"advice_given": True})
        path = reverse("advice", args=[locked.pk])
        notify.later(lambda: notify.advice_given(locked.asked_by.email, locked.organisation, path))
    return locked


def do_read_advice(*, acting: Actor, advice: AdviceRequest) -> None:
    record(acting, Action.VIEW, obj=advice, person=advice.person, purpose="advice on sharing")


# Governance -------------------------------------------------------------------------------


def do_review(*, acting: Actor, decision: Decision, finding: str, notes: str, now=None) -> Review:
    if not notes.strip():
        raise ValidationError({"notes": "Enter your findings"})
    try:
        with transaction.atomic():
            review = Review.objects.create(decision=decision, reviewer=acting.user, reviewer_role=acting.role,
                                           finding=finding, notes=notes.strip(),
                                           reviewed_at=now or timezone.now())
            record(acting, Action.UPDATE, obj=decision, person=decision.person, detail={"reviewed": finding})
    except IntegrityError as error:
        raise AlreadyReviewed from error
    return review


def do_record_view(*, acting: Actor, obj, person=None, what: str) -> None:
    record(acting, Action.VIEW, obj=obj, person=person, purpose=what)


# Don't assume -----------------------------------------------------------------------------


def do_respond_to_prompt(*, acting: Actor, source, reason: str, now=None) -> PromptResponse:
    if not reason.strip():
        raise ValidationError({"reason": "Enter why you are not referring or sharing now"})
    with transaction.atomic():
        response = PromptResponse.objects.create(
            organisation=acting.organisation, person=source.person,
            entry=source if isinstance(source, Entry) else None,
            alert=source if isinstance(source, Alert) else None,
            reason=reason.strip(), responded_by=acting.user, responded_at=now or timezone.now(),
        )
        record(acting, Action.CREATE, obj=response, person=source.person, detail={"not_shared": True})
    return response


# Agreements -------------------------------------------------------------------------------


AGREEMENT_FIELDS = (
    "title", "reference", "purposes", "data_items", "lawful_basis", "special_condition", "criminal_condition",
    "recipients", "accuracy", "security", "retention", "rights_contact", "breach_handling", "starts_on",
    "review_date", "ended_on",
)


def do_save_agreement(*, acting: Actor, values: dict, parties, agreement: Agreement | None = None,
                      document=None) -> Agreement:
    from jigsaw.chronology import attachments

    with transaction.atomic():
        creating = agreement is None
        if creating:
            agreement = Agreement(local_authority=acting.organisation.local_authority, created_by=acting.user)
        for name in AGREEMENT_FIELDS:
            if name in values:
                setattr(agreement, name, values[name])
        agreement.updated_at = timezone.now()
        if document is not None:
            stored = attachments.store(document)
            agreement.document_stored_name = stored["stored_name"]
            agreement.document_name = stored["original_name"]
            agreement.document_content_type = stored["content_type"]
            agreement.document_size = stored["size"]
            agreement.document_sha256 = stored["sha256"]
        agreement.full_clean(exclude=["parties", "created_by", "local_authority"])
        agreement.save()
        agreement.parties.set(parties)
        record(acting, Action.ADMINISTER, obj=agreement,
               detail={"created" if creating else "changed": agreement.title, "parties": len(parties)})
    return agreement


def do_update_sharing_settings(*, acting: Actor, organisation: Organisation, **values) -> SharingSettings:
    with transaction.atomic():
        local, _ = SharingSettings.objects.get_or_create(organisation=organisation)
        for name, value in values.items():
            setattr(local, name, value)
        local.full_clean()
        local.save()
        record(acting, Action.ADMINISTER, obj=organisation, detail={"sharing_settings": list(values)})
    return local


# Reminders --------------------------------------------------------------------------------


def do_send_reminders(*, acting: Actor, now=None) -> dict:
    """The daily nudge: senders to chase, recipients to acknowledge, holders to answer. No personal detail."""
    from django.db.models import Count

    now = now or timezone.now()
    overdue = Disclosure.objects.filter(acknowledged_at__isnull=True, due_at__lt=now, recipient__isnull=False)
    by_sender = dict(overdue.values_list("sender").annotate(n=Count("id")).values_list("sender", "n"))
    by_recipient = dict(overdue.values_list("recipient").annotate(n=Count("id")).values_list("recipient", "n"))
    late_requests = Request.objects.filter(status__in=(RequestStatus.OPEN, RequestStatus.RECONSIDER), due_at__lt=now)
    by_holder = dict(late_requests.values_list("holder").annotate(n=Count("id")).values_list("holder", "n"))
    organisations = Organisation.objects.in_bulk(set(by_sender) | set(by_recipient) | set(by_holder))
    with transaction.atomic():
        record(acting, Action.UPDATE, detail={"reminders": {"senders": len(by_sender), "recipients": len(by_recipient),
                                                            "holders": len(by_holder)}})
        for org_id, count in by_sender.items():
            transaction.on_commit(lambda o=organisations[org_id], n=count: notify.overdue_for_sender(o, n))
        for org_id, count in by_recipient.items():
            transaction.on_commit(lambda o=organisations[org_id], n=count: notify.overdue_for_recipient(o, n))
        for org_id, count in by_holder.items():
            transaction.on_commit(lambda o=organisations[org_id], n=count: notify.requests_overdue(o, n))
    return {"disclosures": sum(by_sender.values()), "requests": sum(by_holder.values())}
