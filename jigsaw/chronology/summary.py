"""The front sheet: a child's file on one page, in a fixed number of queries however long the file.

Counts come from EntryTally; everything else is the newest few rows of an indexed query.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Sum

from jigsaw.accounts.actor import Actor
from jigsaw.chronology import access, charts, filters
from jigsaw.chronology.models import Entry, EntryKind
from jigsaw.people.models import Person

KEY_EVENTS_SHOWN = 10


@dataclass
class FrontSheet:
    person: Person
    total_entries: int
    counts: list[tuple[str, int]]
    open_actions: list
    last_entry: Entry | None
    last_contact: Entry | None
    alerts: list
    key_events: list[Entry]
    latest_triage: Entry | None
    household: list


def counts_by_category(actor: Actor, person: Person, names: dict[str, str]) -> list[tuple[str, int]]:
    """All-time current entries per category, most first."""
    rows = access.tallies_of(actor, person).values("category").annotate(total=Sum("count")).order_by()
    counts = [(names.get(row["category"], row["category"]), row["total"]) for row in rows if row["total"] > 0]
    return sorted(counts, key=lambda pair: (-pair[1], pair[0]))


def front_sheet_for(actor: Actor, person: Person, names: dict[str, str]) -> FrontSheet:
    chronology = access.chronology_of(actor, person)
    key_events = filters.describe(access.key_events_of(actor, person)[:KEY_EVENTS_SHOWN], names=names)
    return FrontSheet(
        person=person,
        total_entries=chronology.count(),
        counts=counts_by_category(actor, person, names),
        open_actions=list(access.open_actions_of(actor, person)),
        last_entry=chronology.first(),
        last_contact=chronology.filter(kind=EntryKind.CONTACT).first(),
        alerts=list(access.alerts_of(actor, person=person)),
        key_events=key_events,
        latest_triage=next(iter(filters.describe(chronology.filter(kind=EntryKind.TRIAGE)[:1], names=names)), None),
        household=access.household_of(actor, person),
    )


def trend_for(actor: Actor, person: Person, names: dict[str, str], today: datetime.date) -> charts.Chart:
    first = charts.months_ending(today)[0]
    rows = access.tallies_of(actor, person).filter(month__gte=first).values_list("month", "category", "count")
    return charts.trend(rows, names, today)
