"""File audits: the checklist, choosing the files, and every change to an audit.

DOMAIN.md ("Recording well"): sample files during the year and check completeness,
actions, outcomes, language and that referral outcomes were chased. Every file is checked
against the same questions so the answers can be counted across files, and whatever must
change becomes an ActionItem with an owner and a due date.
"""

import datetime
import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jigsaw.accounts.actor import Actor
from jigsaw.accounts.roles import CASE_ROLES
from jigsaw.audit.events import record
from jigsaw.audit.models import Action
from jigsaw.chronology import access
from jigsaw.chronology.actions import NewAction
from jigsaw.chronology.models import ActionItem, EntryKind, FileAudit, FileAuditItem
from jigsaw.chronology.models.audits import SampleMethod
from jigsaw.chronology.models.workflow import KEY_OUTCOMES


class Question(NamedTuple):
    code: str
    text: str
    hint: str


CHECKLIST = (
    Question(
        "complete", "Is the chronology complete and up to date?",
        "Every concern, disclosure, action, contact and meeting is there, in date order, with nothing missing "
        "since the last entry.",
    ),
    Question(
        "actions_outcomes", "Are actions and outcomes recorded for every concern?",
        "Each concern says what was done, by whom and when, and what happened as a result.",
    ),
    Question(
        "language", "Is the language factual and specific?",
        "What was seen and heard, fact kept apart from opinion, full names rather than initials, and the "
        "child's own words where they were given.",
    ),
    Question(
        "referrals_chased", "Have referral outcomes been chased?",
        "Every referral to children's social care, the police or early help has its outcome recorded, or the "
        "chasing is recorded.",
    ),
    Question(
        "categories", "Are the concern categories right?",
        "Each concern carries the categories that fit what was recorded, and no others.",
    ),
)
QUESTIONS = {question.code: question for question in CHECKLIST}

YES, NO, NOT_APPLICABLE = "yes", "no", "n/a"
ANSWERS = ((YES, "Yes"), (NO, "No"), (NOT_APPLICABLE, "Not applicable"))
ANSWER_LABELS = dict(ANSWERS)

MAX_FILES = 50

# What the recording-quality prompts stored on each entry (Entry.findings) are called in a summary.
PROMPT_LABELS = {
    "vague_phrase": "Vague phrases",
    "initials": "Initials instead of names",
    "opinion_without_evidence": "Opinions without evidence",
    "no_action": "Concerns with no action recorded",
    "no_event_date": "Entries without the date of the event",
}


class AuditClosed(Exception):
    """The audit has been completed: its answers are final."""


class FilesNotDone(Exception):
    """Some sampled files have not been checked yet."""


class NoFiles(Exception):
    """There is nothing to audit: no child of the organisation has an entry."""


class InvalidReview(ValueError):
    """An answer, question or owner that the checklist does not allow."""


def next_to_check(audit: FileAudit, after: FileAuditItem) -> FileAuditItem | None:
    return (
        FileAuditItem.objects.filter(audit=audit, completed_at__isnull=True)
        .exclude(pk=after.pk)
        .order_by("person__family_name", "person__given_name", "id")
        .first()
    )


# Summaries -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionTally:
    question: Question
    yes: int
    no: int
    not_applicable: int


def tally(items) -> list[QuestionTally]:
    """How many of these files answered yes, no and not applicable to each question."""
    counts = {question.code: Counter() for question in CHECKLIST}
    for item in items:
        for code, answer in item.answers.items():
            if code in counts:
                counts[code][answer] += 1
    return [
        QuestionTally(question, counts[question.code][YES], counts[question.code][NO],
                      counts[question.code][NOT_APPLICABLE])
        for question in CHECKLIST
    ]


def answers_of(item: FileAuditItem) -> list[tuple[Question, str]]:
    return [(question, ANSWER_LABELS.get(item.answers.get(question.code), "Not answered")) for question in CHECKLIST]


@dataclass(frozen=True)
class PromptSummary:
    label: str
    count: int
    examples: tuple[str, ...]


def prompt_summary(findings_per_entry) -> list[PromptSummary]:
    """The prompts Jigsaw gave when the entries were saved, counted by kind, with a few of the phrases."""
    counts, examples = Counter(), {rule: [] for rule in PROMPT_LABELS}
    for findings in findings_per_entry:
        for finding in findings or ():
            rule, phrase = finding.get("rule"), finding.get("phrase", "")
            if rule not in PROMPT_LABELS:
                continue
            counts[rule] += 1
            if phrase and phrase not in examples[rule] and len(examples[rule]) < 5:
                examples[rule].append(phrase)
    return [PromptSummary(label, counts[rule], tuple(examples[rule])) for rule, label in PROMPT_LABELS.items()
            if counts[rule]]


@dataclass(frozen=True)
class FileFacts:
    entries: int
    latest: datetime.date | None
    concerns_waiting: int
    referrals: int
    actions_overdue: int
    prompts: list[PromptSummary]


def file_facts(chronology, waiting_concerns, open_actions) -> FileFacts:
    """What Jigsaw can tell the auditor about a file, from querysets the access layer gave."""
    rows = list(chronology.values_list("findings", "kind", "triage_outcome"))
    latest = chronology.aggregate(latest=Max("sort_date"))["latest"]
    return FileFacts(
        entries=len(rows),
        latest=latest,
        concerns_waiting=waiting_concerns.count(),
        referrals=sum(1 for _, kind, outcome in rows if kind == EntryKind.REFERRAL or outcome in KEY_OUTCOMES),
        actions_overdue=open_actions.filter(due__lt=timezone.localdate()).count(),
        prompts=prompt_summary(findings for findings, _, _ in rows),
    )


# Changes -------------------------------------------------------------------------------------


def default_title(today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    return f"File audit, {today.day} {today:%B %Y}"


def sample(actor: Actor, count: int) -> list[int]:
    """Up to `count` files chosen uniformly at random from the organisation's files."""
    ids = list(access.files_for_audit(actor).values_list("pk", flat=True))
    return secrets.SystemRandom().sample(ids, min(count, len(ids)))


def do_start_audit(*, acting: Actor, people=None, count: int | None = None, title: str = "") -> FileAudit:
    """Start an audit of the chosen `people`, or of `count` files sampled at random."""
    with transaction.atomic():
        if people is not None:
            return _create(acting, SampleMethod.CHOSEN, _chosen(acting, people), title)
        if count is None or not 1 <= count <= MAX_FILES:
            raise ValueError(f"An audit samples between 1 and {MAX_FILES} files")
        chosen = sample(acting, count)
        if not chosen:
            raise NoFiles
        return _create(acting, SampleMethod.RANDOM, chosen, title, asked=count)


def _chosen(acting: Actor, people) -> list[int]:
    wanted = {person.pk for person in people}
    if not 1 <= len(wanted) <= MAX_FILES:
        raise ValueError(f"An audit checks between 1 and {MAX_FILES} files")
    allowed = set(access.files_for_audit(acting).filter(pk__in=wanted).values_list("pk", flat=True))
    if allowed != wanted:
        raise ValueError("Only the files of the organisation's own children can be audited")
    return sorted(wanted)


def _create(acting: Actor, method: str, person_ids, title: str, asked: int | None = None) -> FileAudit:
    audit = FileAudit.objects.create(
        organisation=acting.organisation, title=title.strip() or default_title(), method=method,
        created_by=acting.user,
    )
    FileAuditItem.objects.bulk_create(FileAuditItem(audit=audit, person_id=pk) for pk in person_ids)
    detail = {"method": method, "files": len(person_ids)}
    if asked is not None:
        detail["asked_for"] = asked
    record(acting, Action.CREATE, obj=audit, detail=detail)
    return audit


def check_answers(answers: dict) -> None:
    if set(answers) != set(QUESTIONS):
        raise InvalidReview("Answer every question on the checklist, and only those")
    if any(answer not in ANSWER_LABELS for answer in answers.values()):
        raise InvalidReview("Each answer is yes, no or not applicable")


def do_review_file(
    *, acting: Actor, item: FileAuditItem, answers: dict, findings: str, new_actions: Sequence[NewAction] = ()
) -> FileAuditItem:
    """Record the checklist for one file and create its follow-up actions; until the audit is complete
    the file can be reviewed again, and earlier actions stay."""
    check_answers(answers)
    owners = {lead.pk for lead in access.members_for(acting, CASE_ROLES)}
    if any(action.owner_id not in owners for action in new_actions):
        raise InvalidReview("Each follow-up action is owned by one of the organisation's leads")
    with transaction.atomic():
        audit = FileAudit.objects.select_for_update().get(pk=item.audit_id)
        if audit.completed_at is not None:
            raise AuditClosed
        item = FileAuditItem.objects.select_for_update().select_related("person").get(pk=item.pk)
        item.answers, item.findings = dict(answers), findings.strip()
        item.completed_at, item.completed_by = timezone.now(), acting.user
        item.save(update_fields=["answers", "findings", "completed_at", "completed_by"])
        ActionItem.objects.bulk_create(
            ActionItem(
                organisation=acting.organisation, person=item.person, audit_item=item,
                description=action.description, owner_id=action.owner_id, due=action.due, created_by=acting.user,
            )
            for action in new_actions
        )
        record(acting, Action.UPDATE, obj=item, person=item.person,
               detail={"audit": audit.pk, "answers": item.answers, "new_actions": len(new_actions)})
    return item


def do_complete_audit(*, acting: Actor, audit: FileAudit, summary: str) -> FileAudit:
    with transaction.atomic():
        audit = FileAudit.objects.select_for_update().get(pk=audit.pk)
        if audit.completed_at is not None:
            raise AuditClosed
        if FileAuditItem.objects.filter(audit=audit, completed_at__isnull=True).exists():
            raise FilesNotDone
        audit.completed_at, audit.summary = timezone.now(), summary.strip()
        audit.save(update_fields=["completed_at", "summary"])
        record(acting, Action.UPDATE, obj=audit, detail={"completed": True})
    return audit


def do_record_audit_view(*, acting: Actor, audit: FileAudit, what: str = "file audit") -> None:
    record(acting, Action.VIEW, obj=audit, detail={"page": what})


def do_record_item_view(*, acting: Actor, item: FileAuditItem) -> None:
    record(acting, Action.VIEW, obj=item, person=item.person, detail={"page": "file audit checklist"})


def do_record_audit_export(*, acting: Actor, audit: FileAudit) -> None:
    record(acting, Action.EXPORT, obj=audit, detail={"export": "file audit report (PDF)"})

