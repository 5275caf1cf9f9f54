"""Run the pattern rules (guidance.patterns) when a child's chronology changes, and keep the alerts.

Only the entries inside the longest rule's window are read, so a save costs the same for a
child with five entries as for one with fifty thousand. An open alert for the same rule and
child gathers the new entries instead of raising a second alert.
"""

import datetime

from django.db.models import Q

from jigsaw.chronology.models import Alert, AlertStatus, Category, Entry, EntryKind, EntryTally, Settings
from jigsaw.guidance import patterns
from jigsaw.people.models import Person, Relationship, RelationshipKind

CONCERN_KINDS = (EntryKind.CONCERN, EntryKind.DISCLOSURE)
FACT_FIELDS = ("pk", "person_id", "sort_date", "categories", "kind")


def _fact(row: dict) -> patterns.Fact:
    return patterns.Fact(
        entry_id=row["pk"], person_id=row["person_id"], date=row["sort_date"],
        categories=frozenset(row["categories"]), is_concern=row["kind"] in CONCERN_KINDS,
    )


def rules_for(organisation) -> dict:
    settings = Settings.objects.filter(organisation=organisation).first()
    return patterns.rules_with(settings.pattern_thresholds if settings else {})


def _flags() -> tuple[frozenset, frozenset, frozenset]:
    rows = list(Category.objects.values_list("code", "serious", "neglect_indicator", "absence_indicator"))
    serious = frozenset(code for code, s, _, _ in rows if s)
    neglect = frozenset(code for code, _, n, _ in rows if n)
    absence = frozenset(code for code, _, _, a in rows if a)
    return serious, neglect, absence


def household_children(person: Person) -> list[int]:
    """Other children who are siblings of this child or live with one of the child's parents or carers."""
    siblings = Relationship.objects.filter(
        Q(person=person, kind=RelationshipKind.SIBLING) | Q(relative=person, kind=RelationshipKind.SIBLING)
    ).values_list("person_id", "relative_id")
    ids = {pk for pair in siblings for pk in pair}
    # A list, not a subquery: with statistics taken after a large rolled-back load the planner
    # turns the subquery into a nested loop over every relationship (seconds instead of milliseconds).
    carers = list(
        Relationship.objects.filter(
            person=person, kind__in=(RelationshipKind.PARENT, RelationshipKind.CARER)
        ).values_list("relative_id", flat=True)
    )
    ids |= set(
        Relationship.objects.filter(
            relative_id__in=carers, kind__in=(RelationshipKind.PARENT, RelationshipKind.CARER), lives_with=True
        ).values_list("person_id", flat=True)
    )
    ids.discard(person.pk)
    return sorted(ids)


def evaluate_for(entry: Entry) -> list[Alert]:
    # Every rule needs the new entry to be a concern or to carry a category (guidance.patterns), so an
    # uncategorised action, note, triage decision or share can fire nothing: skip the reads.
    if entry.kind not in CONCERN_KINDS and not entry.categories:
        return []
    rules = rules_for(entry.organisation_id)
    longest = max((rule.days for rule in rules.values() if rule.enabled), default=0)
    window_start = entry.sort_date - datetime.timedelta(days=longest)
    scanned_from = window_start.replace(day=1)
    current = Entry.objects.filter(superseded_by__isnull=True, sort_date__gte=scanned_from,
                                   sort_date__lte=entry.sort_date)
    history = [_fact(row) for row in current.filter(person_id=entry.person_id).exclude(pk=entry.pk)
               .values(*FACT_FIELDS)]
    household_ids = household_children(entry.person)
    household = [
        _fact(row) for row in current.filter(person_id__in=household_ids, kind__in=CONCERN_KINDS,
                                            organisation_id=entry.organisation_id).values(*FACT_FIELDS)
    ]
    earlier = EntryTally.objects.filter(person_id=entry.person_id, month__lt=scanned_from, count__gt=0)
    serious, neglect, absence = _flags()
    firings = patterns.evaluate(
        _fact({"pk": entry.pk, "person_id": entry.person_id, "sort_date": entry.sort_date,
               "categories": entry.categories, "kind": entry.kind}),
        history,
        child_name=entry.person.given_name,
        rules=rules,
        serious=serious,
        neglect=neglect,
        absence=absence,
        household=household,
        earlier_categories=frozenset(earlier.values_list("category", flat=True)),
    )
    return [_keep(entry, firing) for firing in firings]


def _keep(entry: Entry, firing) -> Alert:
    alert = (
        Alert.objects.select_for_update()
        .filter(person_id=entry.person_id, rule=firing.rule, status=AlertStatus.OPEN)
        .first()
    )
    if alert is None:
        alert = Alert.objects.create(
            organisation_id=entry.organisation_id, person_id=entry.person_id, rule=firing.rule,
            title=firing.title, explanation=firing.explanation,
        )
    else:
        alert.title, alert.explanation = firing.title, firing.explanation
        alert.save(update_fields=["title", "explanation"])
    Alert.entries.through.objects.bulk_create(
        [Alert.entries.through(alert_id=alert.pk, entry_id=pk) for pk in firing.entry_ids], ignore_conflicts=True
    )
    return alert
