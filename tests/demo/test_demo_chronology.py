"""The demo's chronologies: hundreds of children's records, written through the real actions.

The demo is loaded once for this module inside a transaction that is rolled back at the end
(it takes about a minute: every entry goes through the actions, their alerts and the ledger).
"""

import datetime
from collections import Counter

import pytest
from django.core import mail
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from jigsaw.accounts.actor import Actor
from jigsaw.accounts.models import Membership
from jigsaw.accounts.roles import CASE_ROLES, IDENTITY_ROLES
from jigsaw.audit import ledger
from jigsaw.audit.models import AccessEvent
from jigsaw.chronology import access, actions
from jigsaw.chronology.bodymap import REGION_BY_CODE
from jigsaw.chronology.models import (
    ActionItem,
    Alert,
    AlertStatus,
    BodyMapMark,
    Concern,
    ConcernStatus,
    Entry,
    EntryKind,
    EntryTally,
    Involvement,
    KeyEvent,
)
from jigsaw.demo import REFERENCE_DATE
from jigsaw.demo.load import load_demo
from jigsaw.demo.people import known_riverside_child

pytestmark = pytest.mark.django_db
MODELS = (Entry, Concern, Alert, ActionItem, EntryTally, Involvement, BodyMapMark, KeyEvent, AccessEvent)
REFERENCE_MOMENT = datetime.datetime.combine(REFERENCE_DATE, datetime.time(8, 0), datetime.UTC)


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        summary = load_demo()
        # Nothing is e-mailed inside the transaction; notifications would wait for the commit.
        summary.emails = len(mail.outbox) + len(connection.run_on_commit)
        yield summary
        transaction.set_rollback(True)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def current():
    return Entry.objects.filter(superseded_by__isnull=True)


def actor(email: str, organisation: str) -> Actor:
    return Actor.for_membership(Membership.objects.get(user__email=email, organisation__name=organisation))


# Loading


def test_the_load_reports_what_it_wrote(demo):
    assert demo.entries == Entry.objects.count()
    assert demo.concerns == Concern.objects.count()


def test_a_second_load_adds_nothing():
    before = counts()
    summary = load_demo()
    assert (summary.entries, summary.concerns) == (0, 0)
    assert not summary.added_anything
    assert counts() == before


def test_no_emails_were_sent(demo):
    assert demo.emails == 0


def test_the_ledger_still_verifies():
    assert ledger.verify().ok


# The size and shape of it


def test_several_hundred_children_have_entries():
    children = current().values("person").distinct().count()
    assert 300 <= children <= 500
    assert 2000 <= Entry.objects.count() <= 4000


def test_most_children_have_between_one_and_fifteen_entries():
    per_child = Counter(current().values_list("person", flat=True))
    assert min(per_child.values()) >= 1
    assert sum(1 for n in per_child.values() if n <= 15) >= 0.95 * len(per_child)


def test_schools_the_nursery_social_care_and_early_help_all_have_chronologies():
    organisations = set(Entry.objects.values_list("organisation__name", flat=True))
    assert {
        "Riverside School", "Hillside School", "Westbridge Academy", "Little Acorns Nursery",
        "Westbridge Children's Social Care", "Westbridge Early Help Service",
    } <= organisations


def test_everything_happened_before_it_was_written_and_before_the_reference_date():
    for event_date, recorded_at in Entry.objects.values_list("event_date", "recorded_at"):
        assert event_date is None or event_date <= timezone.localdate(recorded_at)
        assert recorded_at < REFERENCE_MOMENT
    oldest = Entry.objects.order_by("sort_date").values_list("sort_date", flat=True).first()
    assert oldest >= REFERENCE_DATE - datetime.timedelta(days=2 * 366)


def test_tallies_match_the_category_labels_on_current_entries():
    labels = Counter()
    for person, categories in current().values_list("person", "categories"):
        labels[person] += len(categories)
    tallied = dict(EntryTally.objects.values_list("person").annotate(total=Sum("count")))
    assert {person: total for person, total in tallied.items() if total} == +labels


# Maya Thompson, the known Riverside child


def test_maya_has_a_rich_chronology_over_eighteen_months():
    entries = current().filter(person=known_riverside_child())
    written = entries.exclude(kind=EntryKind.TRIAGE)
    assert 12 <= written.count() <= 20
    first, last = entries.order_by("sort_date")[0].sort_date, entries.order_by("-sort_date")[0].sort_date
    assert (last - first).days >= 500
    kinds = set(entries.values_list("kind", flat=True))
    assert {EntryKind.DISCLOSURE, EntryKind.REFERRAL, EntryKind.TRIAGE, EntryKind.MEETING} <= kinds


def test_maya_has_a_disclosure_in_her_own_words():
    disclosures = current().filter(person=known_riverside_child(), kind=EntryKind.DISCLOSURE)
    assert disclosures.exists()
    assert any("Craig" in words for words in disclosures.values_list("childs_words", flat=True))


def test_maya_has_open_alerts_including_a_recent_cluster_of_concerns():
    alerts = Alert.objects.filter(person=known_riverside_child(), status=AlertStatus.OPEN)
    assert {"frequent_concerns", "first_serious"} <= set(alerts.values_list("rule", flat=True))


def test_maya_was_referred_to_childrens_social_care():
    maya = known_riverside_child()
    assert Concern.objects.filter(person=maya, outcome="refer_csc").exists()
    assert Entry.objects.filter(
        person__organisation__name="Westbridge Children's Social Care", person__nhs_number=maya.nhs_number,
        kind=EntryKind.REFERRAL,
    ).exists()


# What a lead sees on signing in


def test_alices_inbox_has_unread_concerns_and_one_is_overdue():
    inbox = list(access.inbox_of(actor("alice@riverside.example.org", "Riverside School")))
    unread = [concern for concern in inbox if concern.status == ConcernStatus.NEW]
    assert len(unread) >= 3
    assert any(actions.is_overdue(concern, 1, now=REFERENCE_MOMENT) for concern in unread)
    assert not all(actions.is_overdue(concern, 1, now=REFERENCE_MOMENT) for concern in unread)


def test_every_other_school_has_something_waiting_too():
    for email, organisation in (("carol@hillside.example.org", "Hillside School"),
                                ("nadia@westbridgeacademy.example.org", "Westbridge Academy"),
                                ("sana@littleacorns.example.org", "Little Acorns Nursery")):
        assert access.inbox_of(actor(email, organisation)).exists(), organisation


@pytest.mark.parametrize(("rule", "organisation"), [
    ("siblings", "Riverside School"),
    ("neglect_accumulating", "Hillside School"),
    ("absence_repeated", "Westbridge Academy"),
])
def test_patterns_fire_open_alerts(rule, organisation):
    assert Alert.objects.filter(rule=rule, status=AlertStatus.OPEN, organisation__name=organisation).exists()


def test_older_alerts_have_been_acknowledged_with_a_note():
    acknowledged = Alert.objects.filter(status=AlertStatus.ACKNOWLEDGED)
    assert acknowledged.count() > Alert.objects.filter(status=AlertStatus.OPEN).count()
    assert not acknowledged.filter(note="").exists()


# How it was recorded


def test_concerns_are_logged_by_members_and_decided_by_leads_of_the_same_organisation():
    roles = {(m.user_id, m.organisation_id): m.role for m in Membership.objects.all()}
    for concern in Concern.objects.all():
        assert roles[(concern.raised_by_id, concern.organisation_id)] in IDENTITY_ROLES
        if concern.triaged_by_id:
            assert roles[(concern.triaged_by_id, concern.organisation_id)] in CASE_ROLES


def test_every_decided_concern_has_a_rationale_in_the_chronology():
    decided = Concern.objects.filter(status=ConcernStatus.TRIAGED).select_related("decision")
    assert decided.count() > 500
    for concern in decided:
        assert concern.decision.kind == EntryKind.TRIAGE and concern.decision.what_happened
        assert concern.decision.person_id == concern.person_id


def test_some_actions_are_done_and_some_are_open_and_overdue():
    items = ActionItem.objects.all()
    assert items.filter(completed_at__isnull=False).exclude(outcome="").count() > 100
    assert items.filter(completed_at__isnull=True, due__lt=REFERENCE_DATE).count() >= 10


def test_the_recording_is_of_mixed_quality_on_purpose():
    rules = Counter(f["rule"] for findings in Entry.objects.values_list("findings", flat=True) for f in findings)
    assert rules["vague_phrase"] >= 20 and rules["initials"] >= 2 and rules["no_action"] >= 10
    concerns = current().filter(kind__in=(EntryKind.CONCERN, EntryKind.DISCLOSURE))
    assert concerns.filter(findings=[]).count() > 0.7 * concerns.count()


def test_corrections_give_reasons_and_one_moves_an_entry_to_the_right_child():
    corrections = Entry.objects.filter(version__gt=1).select_related("supersedes")
    assert corrections.count() >= 3
    assert not corrections.filter(correction_reason="").exists()
    moved = [entry for entry in corrections if entry.person_id != entry.supersedes.person_id]
    assert len(moved) == 1
    assert Concern.objects.get(thread=moved[0].thread).person_id == moved[0].person_id


def test_physical_abuse_concerns_have_body_map_marks():
    marks = BodyMapMark.objects.select_related("entry")
    assert marks.count() >= 5
    for mark in marks:
        assert mark.region in REGION_BY_CODE and mark.side == REGION_BY_CODE[mark.region].side
    assert marks.filter(entry__categories__contains=["physical-abuse"]).exists()


def test_other_children_named_are_held_by_the_same_organisation():
    involvements = Involvement.objects.select_related("entry", "person")
    assert involvements.filter(part="alleged_to_have_harmed").exists()
    assert involvements.filter(part="sibling").exists()
    for involvement in involvements:
        assert involvement.person.organisation_id == involvement.entry.organisation_id
        assert involvement.person_id != involvement.entry.person_id


def test_disclosures_and_referrals_are_key_events():
    threads = set(KeyEvent.objects.values_list("thread", flat=True))
    assert set(Entry.objects.filter(kind=EntryKind.DISCLOSURE, version=1).values_list("thread", flat=True)) <= threads
    assert Entry.objects.filter(kind=EntryKind.REFERRAL, thread__in=threads).exists()
