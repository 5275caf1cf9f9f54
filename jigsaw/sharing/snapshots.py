"""What a recipient gets: the child's identity and the chosen entries, redacted, as plain data.

The preview the sender checks and the snapshot that is stored are built by the same function
from the same inputs, so "what you see is what they get" holds by construction. Attachments
are never included: a scan or photo can hold identities that cannot be removed automatically.
"""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from jigsaw.chronology.models import Category, EntryKind
from jigsaw.people.models import Person
from jigsaw.sharing import redaction

FORMAT = 1
TEXT_FIELDS = ("what_happened", "childs_words", "present", "actions_taken", "location")
REDACTION_NOTICE = (
    "Some details were removed before this was sent, to protect people who could be harmed if they became known "
    "(golden rule 5). Ask the sender if you need to know more."
)


@dataclass
class Built:
    content: dict
    redactions: list[dict] = field(default_factory=list)

    @property
    def redaction_count(self) -> int:
        return sum(each["count"] for each in self.redactions)

    @property
    def sha256(self) -> str:
        return digest(self.content)


def digest(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def protected_people(organisation, subject: Person):
    return list(Person.objects.filter(organisation=organisation, protected_identity=True).exclude(pk=subject.pk))


def _same_address(one: Person, other: Person) -> bool:
    a = (one.postcode or "").replace(" ", "").upper()
    b = (other.postcode or "").replace(" ", "").upper()
    return bool(a) and a == b


def _identity(subject: Person, protected: list[Person], note) -> dict:
    hide_address = subject.protected_identity or any(_same_address(subject, p) for p in protected)
    if hide_address and (subject.address or subject.postcode):
        note("child", "address", "protected", redaction.PROTECTED_REASON, 1)
    return {
        "given_name": subject.given_name,
        "family_name": subject.family_name,
        "date_of_birth": subject.date_of_birth.isoformat() if subject.date_of_birth else None,
        "sex": subject.get_sex_display(),
        "nhs_number": subject.nhs_number_display,
        # s16LA/s16LC: the consistent identifier travels with the information, or why it is absent.
        "nhs_number_absent_reason": "" if subject.nhs_number else subject.nhs_number_absent_reason,
        "address": redaction.REDACTED if hide_address and subject.address else subject.address,
        "postcode": redaction.REDACTED if hide_address and subject.postcode else subject.postcode,
        "school": subject.school.name if subject.school_id else "",
    }


def build(*, organisation, subject: Person, entries, manual: list[dict] = (), kind: str = "share",
          purpose: str = "", recipient_label: str = "", protected: list[Person] | None = None) -> Built:
    """The redacted content of a disclosure of `entries` (current versions, with details loaded)."""
    protected = protected_people(organisation, subject) if protected is None else protected
    terms = [t for person in protected for t in redaction.terms_for_person(person)]
    terms += redaction.terms_for_manual(manual)
    protected_ids = {p.pk for p in protected}
    tally: Counter = Counter()

    def note(item, field_name, what, reason, count):
        tally[(item, field_name, what, reason)] += count

    def clean(item, field_name, text):
        result = redaction.redact(text, terms)
        for (what, reason), count in result.removed.items():
            note(item, field_name, what, reason, count)
        return result.text

    category_names = dict(Category.objects.in_area_of(organisation).values_list("code", "name"))
    items = []
    for position, entry in enumerate(entries, start=1):
        item = {
            "position": position,
            "thread": str(entry.thread),
            "version": entry.version,
            "kind": entry.kind,
            "kind_label": EntryKind(entry.kind).label,
            "event_date": entry.event_date.isoformat() if entry.event_date else None,
            "event_time": entry.event_time.strftime("%H:%M") if entry.event_time else None,
            "recorded_at": timezone.localtime(entry.recorded_at).isoformat(timespec="minutes"),
            "recorded_by": entry.author_label,
            "categories": [category_names.get(code, code) for code in entry.categories],
            "corrected": entry.version > 1,
        }
        for name in TEXT_FIELDS:
            item[name] = clean(position, name, getattr(entry, name))
        item["others"] = []
        for inv in entry.involvements.all():
            if inv.person_id in protected_ids:
                note(position, "others", "protected", redaction.PROTECTED_REASON, 1)
            name = redaction.REDACTED if inv.person_id in protected_ids else clean(position, "others",
                                                                                     inv.person.full_name)
            item["others"].append({"name": name, "part": inv.get_part_display()})
        item["body_map"] = [
            {"side": mark.get_side_display(), "region": mark.region_label, "note": clean(position, "body_map",
                                                                                        mark.note)}
            for mark in entry.marks.all()
        ]
        item["attachments_not_sent"] = len(entry.attachments.all())
        items.append(item)

    identity = _identity(subject, protected, note)
    purpose = clean("purpose", "purpose", purpose)
    redactions = [
        {"item": item, "field": field_name, "kind": what, "reason": reason, "count": count}
        for (item, field_name, what, reason), count in sorted(tally.items(), key=lambda kv: str(kv[0]))
    ]
    content = {
        "format": FORMAT,
        "kind": kind,
        "sender": organisation.name,
        "recipient": recipient_label,
        "purpose": purpose,
        "child": identity,
        "items": items,
        "redacted": bool(redactions),
        "notice": REDACTION_NOTICE if redactions else "",
    }
    return Built(content=content, redactions=redactions)


def outward(organisation, subject_id: int, text: str, protected: list[Person] | None = None) -> str:
    """Text that leaves the organisation outside a snapshot (a refusal's reasons): protected identities out.

    `protected`: the organisation's protected people, when the caller has them already (a list page)."""
    if protected is None:
        protected = list(Person.objects.filter(organisation=organisation, protected_identity=True))
    terms = [t for person in protected if person.pk != subject_id for t in redaction.terms_for_person(person)]
    return redaction.redact(text, terms).text


def protected_people_of(organisation_ids) -> dict[int, list[Person]]:
    """Every protected person of these organisations, by organisation: one query for a whole page."""
    found: dict[int, list[Person]] = {}
    for person in Person.objects.filter(organisation__in=set(organisation_ids), protected_identity=True):
        found.setdefault(person.organisation_id, []).append(person)
    return found


def as_text(content: dict) -> str:
    """The snapshot as plain text, for saving into the recipient's own chronology."""
    lines = [f"Shared by {content['sender']}. Purpose: {content['purpose']}".strip()]
    if content.get("notice"):
        lines.append(content["notice"])
    for item in content["items"]:
        when = item["event_date"] or item["recorded_at"][:10]
        lines.append("")
        lines.append(f"{item['position']}. {item['kind_label']}, {when}")
        lines.append(item["what_happened"])
        if item["childs_words"]:
            lines.append(f"In the child's words: \"{item['childs_words']}\"")
        if item["actions_taken"]:
            lines.append(f"Actions taken: {item['actions_taken']}")
    return "\n".join(lines)
