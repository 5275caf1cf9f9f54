"""Every change to the chronology: one transaction each, its AccessEvent inside.

Entries are append-only; a correction is a new version. The child's row is locked while
their chronology changes, so tallies and pattern alerts see one consistent history.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from jigsaw.accounts.actor import Actor
from jigsaw.audit.events import record
from jigsaw.audit.models import Action
from jigsaw.chronology import alerts, attachments, notify, tallies
from jigsaw.chronology.models import (
    ActionItem,
    Alert,
    AlertStatus,
    Attachment,
    BodyMapMark,
    Category,
    Concern,
    ConcernDraft,
    ConcernStatus,
    Entry,
    EntryKind,
    Involvement,
    KeyEvent,
    Settings,
)
from jigsaw.chronology.models.workflow import KEY_OUTCOMES
from jigsaw.guidance import calendar, language
from jigsaw.people.models import Person


class NotCurrent(Exception):
    """The entry has been corrected since it was opened: correct the current version."""


class AlreadyDecided(Exception):
    """Someone else recorded the triage decision first."""


@dataclass(frozen=True)
class Mark:
    side: str
    region: str
    x: Decimal
    y: Decimal
    note: str


@dataclass
class EntryData:
    what_happened: str
    childs_words: str = ""
    event_date: datetime.date | None = None
    event_time: datetime.time | None = None
    location: str = ""
    present: str = ""
    actions_taken: str = ""
    categories: list[str] = field(default_factory=list)
    involvements: list[tuple[Person, str]] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    source: str = ""
    # When it was written, if not now: records imported from another system, and the demo.
    recorded_at: datetime.datetime | None = None


@dataclass(frozen=True)
class NewAction:
    description: str
    owner_id: int | None = None
    due: datetime.date | None = None


def _lock(person: Person) -> Person:
    return Person.objects.select_for_update().get(pk=person.pk)


def _findings(data: EntryData, kind: str) -> list[dict]:
    found = language.check(
        what_happened=data.what_happened,
        childs_words=data.childs_words,
        present=data.present,
        actions_taken=data.actions_taken,
        event_date=data.event_date,
        require_action=kind in (EntryKind.CONCERN, EntryKind.DISCLOSURE),
    )
    return [finding.as_dict() for finding in found]


def _new_entry(acting: Actor, person: Person, kind: str, data: EntryData, **extra) -> Entry:
    recorded_at = data.recorded_at or timezone.now()
    entry = Entry(
        organisation=acting.organisation,
        person=person,
        kind=kind,
        event_date=data.event_date,
        event_time=data.event_time,
        sort_date=data.event_date or timezone.localdate(recorded_at),
        recorded_at=recorded_at,
        location=data.location,
        what_happened=data.what_happened,
        childs_words=data.childs_words,
        present=data.present,
        actions_taken=data.actions_taken,
        categories=sorted(set(data.categories)),
        source=data.source,
        findings=_findings(data, kind),
        author=acting.user,
        author_label=acting.user.full_name if acting.user else acting.label,
        api_key=acting.api_key,
        **extra,
    )
    entry.full_clean(exclude=["thread", "supersedes", "superseded_by"])
    entry.save()
    Involvement.objects.bulk_create(
        Involvement(entry=entry, person=other, part=part) for other, part in data.involvements
    )
    BodyMapMark.objects.bulk_create(
        BodyMapMark(entry=entry, side=m.side, region=m.region, x=m.x, y=m.y, note=m.note) for m in data.marks
    )
    tallies.adjust(entry, +1)
    return entry


def _attach(acting: Actor, entry: Entry, uploads) -> None:
    for upload in uploads:
        stored = attachments.store(upload)
        Attachment.objects.create(entry=entry, uploaded_by=acting.user, **stored)


def do_record_concern(
    *, acting: Actor, person: Person, data: EntryData, uploads=(), notify_leads: bool = True
) -> Concern:
    """A concern (or a disclosure, when the child's words are given) reaches the leads at once.

    `notify_leads=False` is for historical records brought in from another system (and the
    demo): they are in the inbox and the chronology, but nobody is e-mailed about them.
    """
    kind = EntryKind.DISCLOSURE if data.childs_words.strip() else EntryKind.CONCERN
    with transaction.atomic():
        person = _lock(person)
        entry = _new_entry(acting, person, kind, data)
        _attach(acting, entry, uploads)
        concern = Concern.objects.create(
            thread=entry.thread, organisation=acting.organisation, person=person, first_entry=entry,
            raised_by=acting.user, raised_at=entry.recorded_at,
        )
        if kind == EntryKind.DISCLOSURE and acting.user is not None:
            KeyEvent.objects.create(thread=entry.thread, organisation=acting.organisation, marked_by=acting.user)
        if acting.user is not None:
            ConcernDraft.objects.filter(user=acting.user, organisation=acting.organisation, person=person).delete()
        record(acting, Action.CREATE, obj=entry, person=person, detail={"kind": kind})
        fired = alerts.evaluate_for(entry)
        organisation = acting.organisation
        if notify_leads:
            transaction.on_commit(lambda: notify.concern_waiting(organisation))
        if fired and notify_leads:
            transaction.on_commit(lambda: notify.alert_raised(organisation))
    return concern


def do_record_entry(
    *, acting: Actor, person: Person, kind: str, data: EntryData, new_actions=(), key_event: bool = False
) -> Entry:
    """An action, contact, meeting or note recorded by the safeguarding lead."""
    with transaction.atomic():
        person = _lock(person)
        entry = _new_entry(acting, person, kind, data)
        _add_actions(acting, person, entry, new_actions)
        if key_event:
            KeyEvent.objects.create(thread=entry.thread, organisation=acting.organisation, marked_by=acting.user)
        record(acting, Action.CREATE, obj=entry, person=person, detail={"kind": kind})
        alerts.evaluate_for(entry)
    return entry


def _add_actions(acting: Actor, person: Person, entry: Entry | None, new_actions, audit_item=None) -> None:
    ActionItem.objects.bulk_create(
        ActionItem(
            organisation=acting.organisation, person=person, entry=entry, audit_item=audit_item,
            description=a.description, owner_id=a.owner_id, due=a.due, created_by=acting.user,
        )
        for a in new_actions
    )


def do_correct_entry(
    *, acting: Actor, entry: Entry, data: EntryData, reason: str, person: Person | None = None,
    keep_attachments=None, uploads=(),
) -> Entry:
    """A new version that supersedes `entry`; `person` moves it to the right child."""
    with transaction.atomic():
        old = Entry.objects.select_for_update().get(pk=entry.pk)
        if old.superseded_by_id is not None:
            raise NotCurrent
        target = person or old.person
        for locked in sorted({old.person_id, target.pk}):
            Person.objects.select_for_update().get(pk=locked)
        kind = old.kind
        if kind in (EntryKind.CONCERN, EntryKind.DISCLOSURE):
            kind = EntryKind.DISCLOSURE if data.childs_words.strip() else EntryKind.CONCERN
        new = _new_entry(
            acting, target, kind, data, thread=old.thread, version=old.version + 1, supersedes=old,
            correction_reason=reason, triage_outcome=old.triage_outcome,
        )
        kept = old.attachments.all() if keep_attachments is None else old.attachments.filter(pk__in=keep_attachments)
        Attachment.objects.bulk_create(
            Attachment(
                entry=new, stored_name=a.stored_name, original_name=a.original_name,
                content_type=a.content_type, size=a.size, sha256=a.sha256, description=a.description,
                uploaded_by=a.uploaded_by, uploaded_at=a.uploaded_at,
            )
            for a in kept
        )
        _attach(acting, new, uploads)
        old.superseded_by = new
        old.save(update_fields=["superseded_by"])
        tallies.adjust(old, -1)
        Concern.objects.filter(thread=old.thread).exclude(person=target).update(person=target)
        record(acting, Action.UPDATE, obj=new, person=target, detail={"corrects": old.pk})
        if target.pk != old.person_id:
            record(acting, Action.UPDATE, obj=old, person=old.person, detail={"moved_to_another_child": new.pk})
        alerts.evaluate_for(new)
    return new


def do_mark_read(*, acting: Actor, concern: Concern, at=None) -> Concern:
    with transaction.atomic():
        concern = Concern.objects.select_for_update().get(pk=concern.pk)
        if concern.status == ConcernStatus.NEW:
            concern.status = ConcernStatus.READ
            concern.read_at = at or timezone.now()
            concern.read_by = acting.user
            concern.save(update_fields=["status", "read_at", "read_by"])
        record(acting, Action.VIEW, obj=concern.first_entry, person=concern.person, detail={"page": "triage"})
    return concern


def do_triage(
    *, acting: Actor, concern: Concern, outcome: str, rationale: str, new_actions=(), at=None
) -> Entry:
    """The lead's decision on a concern, with its rationale, as an entry in the chronology."""
    with transaction.atomic():
        concern = Concern.objects.select_for_update().get(pk=concern.pk)
        if concern.status == ConcernStatus.TRIAGED:
            raise AlreadyDecided
        person = _lock(concern.person)
        now = at or timezone.now()
        decision = _new_entry(
            acting, person, EntryKind.TRIAGE,
            EntryData(what_happened=rationale, event_date=timezone.localdate(now), recorded_at=now),
            triage_outcome=outcome,
        )
        _add_actions(acting, person, decision, new_actions)
        concern.status = ConcernStatus.TRIAGED
        concern.read_at = concern.read_at or now
        concern.read_by = concern.read_by or acting.user
        concern.triaged_at, concern.triaged_by = now, acting.user
        concern.outcome, concern.decision = outcome, decision
        concern.save()
        if outcome in KEY_OUTCOMES:
            KeyEvent.objects.get_or_create(
                thread=decision.thread, defaults={"organisation": acting.organisation, "marked_by": acting.user}
            )
        record(acting, Action.CREATE, obj=decision, person=person, detail={"triage": outcome})
    return decision


def do_acknowledge_alert(*, acting: Actor, alert: Alert, note: str) -> Alert:
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if alert.status == AlertStatus.OPEN:
            alert.status = AlertStatus.ACKNOWLEDGED
            alert.acknowledged_at, alert.acknowledged_by, alert.note = timezone.now(), acting.user, note
            alert.save()
            record(acting, Action.UPDATE, obj=alert, person=alert.person, detail={"alert": alert.rule})
    return alert


def do_complete_action(*, acting: Actor, item: ActionItem, outcome: str) -> ActionItem:
    with transaction.atomic():
        item = ActionItem.objects.select_for_update().get(pk=item.pk)
        if item.completed_at is None:
            item.completed_at, item.completed_by, item.outcome = timezone.now(), acting.user, outcome
            item.save()
            record(acting, Action.UPDATE, obj=item, person=item.person, detail={"action": "completed"})
    return item


def do_set_key_event(*, acting: Actor, entry: Entry, key: bool) -> None:
    with transaction.atomic():
        if key:
            KeyEvent.objects.get_or_create(
                thread=entry.thread, defaults={"organisation": acting.organisation, "marked_by": acting.user}
            )
        else:
            KeyEvent.objects.filter(thread=entry.thread, organisation=acting.organisation).delete()
        record(acting, Action.UPDATE, obj=entry, person=entry.person, detail={"key_event": key})


def do_save_draft(*, acting: Actor, person: Person, data: dict) -> ConcernDraft:
    with transaction.atomic():
        draft, created = ConcernDraft.objects.update_or_create(
            user=acting.user, organisation=acting.organisation, person=person,
            defaults={"data": data, "updated_at": timezone.now()},
        )
        record(acting, Action.CREATE if created else Action.UPDATE, obj=draft, person=person,
               detail={"draft": "kept"})
    return draft


def draft_for(acting: Actor, person: Person) -> ConcernDraft | None:
    return ConcernDraft.objects.filter(user=acting.user, organisation=acting.organisation, person=person).first()


def do_discard_draft(*, acting: Actor, person: Person) -> None:
    with transaction.atomic():
        ConcernDraft.objects.filter(user=acting.user, organisation=acting.organisation, person=person).delete()
        record(acting, Action.UPDATE, obj=person, person=person, detail={"draft": "discarded"})


def do_record_view(*, acting: Actor, person: Person, what: str, obj=None) -> None:
    record(acting, Action.VIEW, obj=obj or person, person=person, detail={"page": what})


def do_record_export(*, acting: Actor, person: Person, what: str, obj=None) -> None:
    record(acting, Action.EXPORT, obj=obj or person, person=person, detail={"export": what})


def unread_limit(organisation) -> int:
    settings = Settings.objects.filter(organisation=organisation).first()
    return settings.unread_limit_working_days if settings else 1


def is_overdue(concern: Concern, limit_days: int, now=None) -> bool:
    if concern.status != ConcernStatus.NEW:
        return False
    now = now or timezone.now()
    raised = timezone.localtime(concern.raised_at)
    return now > calendar.working_deadline(raised, limit_days)


def do_escalate_overdue(*, acting: Actor, now=None) -> int:
    """Tell the deputies (once) about concerns left unread past the organisation's limit."""
    now = now or timezone.now()
    escalated = 0
    with transaction.atomic():
        waiting = Concern.objects.select_for_update(skip_locked=True, of=("self",)).filter(
            status=ConcernStatus.NEW, escalated_at__isnull=True
        ).select_related("organisation")
        by_organisation: dict = {}
        for concern in waiting:
            if is_overdue(concern, unread_limit(concern.organisation), now):
                by_organisation.setdefault(concern.organisation, []).append(concern)
        for organisation, concerns in by_organisation.items():
            count = len(concerns)
            Concern.objects.filter(pk__in=[c.pk for c in concerns]).update(escalated_at=now)
            record(acting, Action.UPDATE, detail={"escalated": count, "organisation": organisation.pk})
            transaction.on_commit(lambda o=organisation, n=count: notify.concerns_overdue(o, n))
            escalated += count
    return escalated


def do_record_search(*, acting: Actor, terms: dict, results: int) -> None:
    record(acting, Action.SEARCH, detail={"terms": terms, "results": results, "page": "log a concern"})


def do_add_category(*, acting: Actor, name: str, serious: bool, neglect_indicator: bool,
                    absence_indicator: bool) -> Category:
    """A partnership's own concern category, offered to every organisation in its area."""
    local_authority = acting.organisation.local_authority
    with transaction.atomic():
        code = f"la{local_authority.pk}-{slugify(name)[:50]}"
        category = Category.objects.create(
            code=code, name=name, local_authority=local_authority, serious=serious,
            neglect_indicator=neglect_indicator, absence_indicator=absence_indicator, position=1000,
        )
        record(acting, Action.ADMINISTER, obj=category, detail={"category": code})
    return category


def do_update_settings(*, acting: Actor, organisation, unread_limit_working_days: int,
                       pattern_thresholds: dict) -> Settings:
    with transaction.atomic():
        settings, _ = Settings.objects.select_for_update().get_or_create(organisation=organisation)
        settings.unread_limit_working_days = unread_limit_working_days
        settings.pattern_thresholds = pattern_thresholds
        settings.save()
        record(acting, Action.ADMINISTER, obj=settings, detail={
            "organisation": organisation.pk, "unread_limit_working_days": unread_limit_working_days,
            "pattern_thresholds": pattern_thresholds,
        })
    return settings
