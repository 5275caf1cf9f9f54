"""Keep EntryTally in step with the current entries, so charts and front sheets never scan a file."""

from django.db.models import F

from jigsaw.chronology.models import Entry, EntryTally


def adjust(entry: Entry, delta: int) -> None:
    """Count `entry` in (+1) or out (-1). Callers hold the child's row lock."""
    month = entry.sort_date.replace(day=1)
    for code in entry.categories:
        matched = EntryTally.objects.filter(person_id=entry.person_id, month=month, category=code).update(
            count=F("count") + delta
        )
        if not matched:
            EntryTally.objects.create(
                organisation_id=entry.organisation_id, person_id=entry.person_id, month=month, category=code,
                count=delta,
            )
