"""The only place that decides who may see or change entries, concerns, alerts and file audits.

DESIGN §4: staff see the entries they wrote themselves (and whether the safeguarding lead
has read them), nothing else of a child's file; the safeguarding roles see everything their
organisation holds; governance roles and partnership administrators see no entry content.
No one reads another organisation's entries. Missing and forbidden answer the same 404,
and every refusal is written to the ledger.
"""

from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404

from jigsaw.accounts.access import can_administer
from jigsaw.accounts.actor import Actor
from jigsaw.accounts.models import ApiKeyScope, User
from jigsaw.accounts.roles import CASE_ROLES, IDENTITY_ROLES, Role
from jigsaw.audit.events import record_denial
from jigsaw.chronology.models import (
    ActionItem,
    Alert,
    AlertStatus,
    Attachment,
    Category,
    Concern,
    ConcernStatus,
    Entry,
    EntryTally,
    FileAudit,
    FileAuditItem,
    Involvement,
    KeyEvent,
    Settings,
)
from jigsaw.ids import as_id
from jigsaw.people import access as people_access
from jigsaw.people.models import Person

LOG_CONCERN = "log_concern"
VIEW_OWN = "view_own"  # an entry one wrote oneself
VIEW_CHRONOLOGY = "view_chronology"
RECORD = "record"  # entries other than concerns: actions, contacts, meetings, notes
TRIAGE = "triage"
CORRECT = "correct"
AUDIT_FILES = "audit_files"

AUDIT_ROLES = frozenset({Role.DSL, Role.DEPUTY_DSL, Role.TEAM_MANAGER})

ROLES_FOR = {
    LOG_CONCERN: IDENTITY_ROLES,
    VIEW_OWN: IDENTITY_ROLES,
    VIEW_CHRONOLOGY: CASE_ROLES,
    RECORD: CASE_ROLES,
    TRIAGE: CASE_ROLES,
    CORRECT: IDENTITY_ROLES,
    AUDIT_FILES: AUDIT_ROLES,
}

SCOPE_FOR = {
    LOG_CONCERN: ApiKeyScope.CONCERNS_WRITE,
    VIEW_CHRONOLOGY: ApiKeyScope.CHRONOLOGY_READ,
}


def can(actor: Actor, action: str) -> bool:
    if actor.api_key is not None:
        return action in SCOPE_FOR and actor.api_key.has_scope(SCOPE_FOR[action])
    return actor.has_role(ROLES_FOR[action])


def sees_whole_file(actor: Actor) -> bool:
    return can(actor, VIEW_CHRONOLOGY)


def require(actor: Actor, action: str) -> None:
    """For pages that are not about one object (inbox, audits): refuse roles that may not."""
    if not can(actor, action):
        record_denial(actor, "page", f"chronology:{action}", action)
        raise Http404


def _deny(actor: Actor, object_type: str, object_id, wanted: str):
    record_denial(actor, object_type, object_id, wanted)
    return Http404()


# People ---------------------------------------------------------------------------------


def children_for_concerns(actor: Actor):
    """The people a member may log a concern about: their organisation's, by identity."""
    if not can(actor, LOG_CONCERN):
        return Person.objects.none()
    return Person.objects.filter(organisation=actor.organisation)


def get_child_for(actor: Actor, person_id, action: str) -> Person:
    """A child of the actor's organisation, when the actor may do `action` about them."""
    if not can(actor, action):
        raise _deny(actor, "people.person", person_id, action)
    person = Person.objects.filter(pk=as_id(person_id), organisation=actor.organisation).first()
    if person is None:
        raise _deny(actor, "people.person", person_id, action)
    return person


def household_of(actor: Actor, person: Person):
    """Children living with this child (siblings' chronologies are one click away)."""
    if not sees_whole_file(actor) or person.organisation_id != actor.organisation.pk:
        return []
    outgoing, incoming = people_access.relationships_of(person)
    relatives = [r.relative for r in outgoing] + [r.person for r in incoming]
    seen, result = set(), []
    for relative in relatives:
        if relative.pk not in seen and relative.organisation_id == person.organisation_id:
            seen.add(relative.pk)
            result.append(relative)
    return result


# Entries --------------------------------------------------------------------------------


def entries_visible_to(actor: Actor):
    """Every version the actor may read: the whole organisation's, or only their own."""
    if sees_whole_file(actor):
        return Entry.objects.filter(organisation=actor.organisation)
    if actor.user is not None and can(actor, VIEW_OWN):
        return Entry.objects.filter(organisation=actor.organisation, author=actor.user)
    return Entry.objects.none()


def with_details(entries):
    """Everything an entry page shows, in a fixed number of queries however many entries."""
    return entries.select_related("author", "person").prefetch_related(
        Prefetch("involvements", queryset=Involvement.objects.select_related("person")),
        "marks",
        "attachments",
    )


def get_entry_for(actor: Actor, entry_id, action: str = VIEW_OWN) -> Entry:
    if action not in (VIEW_OWN, VIEW_CHRONOLOGY) and not can(actor, action):
        raise _deny(actor, "chronology.entry", entry_id, action)
    entry = with_details(entries_visible_to(actor)).filter(pk=as_id(entry_id)).first()
    if entry is None:
        raise _deny(actor, "chronology.entry", entry_id, action)
    return entry


def versions_of(actor: Actor, entry: Entry):
    """Every version of an entry the actor was already allowed, oldest first."""
    return with_details(entries_visible_to(actor)).filter(thread=entry.thread).order_by("version")


def chronology_of(actor: Actor, person: Person):
    """The child's current entries in the organisation, newest event first."""
    if not sees_whole_file(actor) or person.organisation_id != actor.organisation.pk:
        return Entry.objects.none()
    return Entry.objects.filter(person=person, superseded_by__isnull=True).order_by("-sort_date", "-id")


def mentions_of(actor: Actor, person: Person):
    """Entries about other children in which this child is named (as a witness, sibling, …)."""
    if not sees_whole_file(actor) or person.organisation_id != actor.organisation.pk:
        return Involvement.objects.none()
    return (
        Involvement.objects.filter(person=person, entry__superseded_by__isnull=True)
        .select_related("entry", "entry__person")
        .order_by("-entry__sort_date")
    )


def tallies_of(actor: Actor, person: Person):
    if not sees_whole_file(actor) or person.organisation_id != actor.organisation.pk:
        return EntryTally.objects.none()
    return EntryTally.objects.filter(person=person, count__gt=0)


def key_events_of(actor: Actor, person: Person):
    """The child's current entries whose thread the organisation marked as a key event, newest first."""
    marked = KeyEvent.objects.filter(organisation=actor.organisation).values("thread")
    return chronology_of(actor, person).filter(thread__in=marked)


def key_threads(actor: Actor, threads) -> set:
    return set(
        KeyEvent.objects.filter(organisation=actor.organisation, thread__in=list(threads)).values_list(
            "thread", flat=True
        )
    )


def get_attachment_for(actor: Actor, attachment_id) -> Attachment:
    attachment = (
        Attachment.objects.filter(pk=as_id(attachment_id), entry__in=entries_visible_to(actor))
        .select_related("entry", "entry__person")
        .first()
    )
    if attachment is None:
        raise _deny(actor, "chronology.attachment", attachment_id, "download")
    return attachment


# Concerns, alerts and actions -----------------------------------------------------------


def concerns_visible_to(actor: Actor):
    if can(actor, TRIAGE):
        return Concern.objects.filter(organisation=actor.organisation)
    if actor.user is not None and can(actor, VIEW_OWN):
        return Concern.objects.filter(organisation=actor.organisation, raised_by=actor.user)
    return Concern.objects.none()


def get_concern_for(actor: Actor, concern_id, action: str = VIEW_OWN) -> Concern:
    if action != VIEW_OWN and not can(actor, action):
        raise _deny(actor, "chronology.concern", concern_id, action)
    concern = (
        concerns_visible_to(actor)
        .select_related("person", "first_entry", "read_by", "triaged_by", "raised_by", "decision")
        .filter(pk=as_id(concern_id))
        .first()
    )
    if concern is None:
        raise _deny(actor, "chronology.concern", concern_id, action)
    return concern


def inbox_of(actor: Actor):
    """Concerns waiting for the safeguarding lead: not yet decided, oldest first."""
    if not can(actor, TRIAGE):
        return Concern.objects.none()
    return (
        Concern.objects.filter(organisation=actor.organisation)
        .exclude(status=ConcernStatus.TRIAGED)
        .select_related("person", "raised_by", "read_by")
        .order_by("raised_at")
    )


def my_concerns(actor: Actor):
    """What a member of staff has logged, with whether it has been read."""
    if actor.user is None or not can(actor, VIEW_OWN):
        return Concern.objects.none()
    return (
        Concern.objects.filter(organisation=actor.organisation, raised_by=actor.user)
        .select_related("person", "first_entry")
        .order_by("-raised_at")
    )


def alerts_of(actor: Actor, *, open_only: bool = True, person: Person | None = None):
    if not sees_whole_file(actor) or actor.api_key is not None:
        return Alert.objects.none()
    alerts = Alert.objects.filter(organisation=actor.organisation).select_related("person", "acknowledged_by")
    if open_only:
        alerts = alerts.filter(status=AlertStatus.OPEN)
    if person is not None:
        alerts = alerts.filter(person=person)
    return alerts


def get_alert_for(actor: Actor, alert_id) -> Alert:
    alert = alerts_of(actor, open_only=False).filter(pk=as_id(alert_id)).first()
    if alert is None:
        raise _deny(actor, "chronology.alert", alert_id, "view")
    return alert


def open_actions_of(actor: Actor, person: Person):
    if not sees_whole_file(actor) or person.organisation_id != actor.organisation.pk:
        return ActionItem.objects.none()
    return ActionItem.objects.filter(person=person, completed_at__isnull=True).select_related("owner")


def get_action_item_for(actor: Actor, item_id) -> ActionItem:
    item = None
    if sees_whole_file(actor) and actor.api_key is None:
        item = (
            ActionItem.objects.filter(pk=as_id(item_id), organisation=actor.organisation)
            .select_related("person", "owner")
            .first()
        )
    if item is None:
        raise _deny(actor, "chronology.actionitem", item_id, "complete")
    return item


# File audits ----------------------------------------------------------------------------


def audits_visible_to(actor: Actor):
    if not can(actor, AUDIT_FILES):
        return FileAudit.objects.none()
    return FileAudit.objects.filter(organisation=actor.organisation).select_related("created_by")


def get_audit_for(actor: Actor, audit_id) -> FileAudit:
    audit = audits_visible_to(actor).filter(pk=as_id(audit_id)).first()
    if audit is None:
        raise _deny(actor, "chronology.fileaudit", audit_id, AUDIT_FILES)
    return audit


def files_for_audit(actor: Actor):
    """People of the organisation with at least one current entry: the files an audit samples."""
    if not can(actor, AUDIT_FILES):
        return Person.objects.none()
    current = Entry.objects.filter(person=OuterRef("pk"), organisation=actor.organisation,
                                   superseded_by__isnull=True)
    return Person.objects.filter(organisation=actor.organisation).filter(Exists(current))


def audit_items_of(actor: Actor, audit: FileAudit):
    """The sampled files of an audit, with their follow-up actions."""
    if not can(actor, AUDIT_FILES) or audit.organisation_id != actor.organisation.pk:
        return FileAuditItem.objects.none()
    return (
        FileAuditItem.objects.filter(audit=audit)
        .select_related("person", "completed_by")
        .prefetch_related(
            Prefetch("action_items", queryset=ActionItem.objects.select_related("owner").order_by("due", "id"))
        )
        .order_by("person__family_name", "person__given_name", "id")
    )


def get_audit_item_for(actor: Actor, audit: FileAudit, item_id) -> FileAuditItem:
    item = FileAuditItem.objects.filter(pk=as_id(item_id), audit=audit).select_related("person").first()
    if item is None:
        raise _deny(actor, "chronology.fileaudititem", item_id, AUDIT_FILES)
    return item


# Helpers for the lead's pages --------------------------------------------------------------


def members_for(actor: Actor, roles=IDENTITY_ROLES):
    """The organisation's active members in `roles`: who can own a follow-up action, or wrote entries."""
    if not can(actor, TRIAGE) and not can(actor, AUDIT_FILES):
        return User.objects.none()
    return User.objects.filter(
        is_active=True, memberships__organisation=actor.organisation, memberships__ended_at__isnull=True,
        memberships__role__in=roles,
    ).distinct().order_by("full_name", "pk")


def current_version_id(actor: Actor, concern: Concern) -> int | None:
    return (
        entries_visible_to(actor)
        .filter(thread=concern.thread, superseded_by__isnull=True)
        .values_list("pk", flat=True)
        .first()
    )


def entries_of_alert(actor: Actor, alert: Alert):
    if not sees_whole_file(actor) or alert.organisation_id != actor.organisation.pk:
        return Entry.objects.none()
    return with_details(alert.entries.all()).order_by("sort_date", "id")


# Partnership configuration (no case content) ----------------------------------------------


def categories_for_administrator(actor: Actor):
    if not can_administer(actor):
        return Category.objects.none()
    return Category.objects.in_area_of(actor.organisation).order_by("local_authority_id", "position", "name")


def settings_of(organisation) -> Settings | None:
    return Settings.objects.filter(organisation=organisation).first()
