"""What tests that really commit need to know about the database."""

# Triggers that refuse TRUNCATE outside tests: a transactional test's flush must be let through them.
UNTRUNCATABLE = (
    "audit.AccessEvent:no_truncate",
    "chronology.Entry:entries_never_truncated",
    "sharing.Decision:decisions_never_truncated",
    "sharing.Disclosure:disclosures_never_truncated",
    "sharing.Snapshot:snapshots_never_truncated",
)


def delete_people(people) -> None:
    """Remove people as a test of reloading needs: their links and reviews, which nothing else may delete."""
    import pgtrigger
    from django.db.models import Q

    from jigsaw.linkage.models import Link, MatchReview

    with pgtrigger.ignore("linkage.Link:links_never_deleted", "linkage.MatchReview:reviews_never_deleted"):
        MatchReview.objects.filter(Q(left__in=people) | Q(right__in=people)).delete()
        Link.objects.filter(person__in=people).delete()
    people.delete()
