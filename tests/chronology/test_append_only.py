import pytest
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction

from jigsaw.chronology import actions
from jigsaw.chronology.models import BodyMapMark, Entry, EntryTally, Involvement
from tests.chronology.conftest import actor_for, log

REFUSED = (InternalError, ProgrammingError, IntegrityError)


def test_raw_update_of_an_entry_is_refused_by_the_database(cast, concern):
    with pytest.raises(REFUSED), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE chronology_entry SET what_happened = 'rewritten'")
    assert Entry.objects.get().what_happened.startswith("Maya said")


def test_raw_delete_of_an_entry_is_refused_by_the_database(cast, concern):
    with pytest.raises(REFUSED), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM chronology_entry")
    assert Entry.objects.count() == 1


def test_truncate_is_refused(cast, concern):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(REFUSED, match="cannot be truncated"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE chronology_entry CASCADE")


def test_the_superseded_pointer_can_be_set_only_once(cast, concern):
    entry = concern.first_entry
    new = actions.do_correct_entry(acting=actor_for(cast.alice), entry=entry, reason="Wrong date",
                                   data=actions.EntryData(what_happened="Corrected"))
    with pytest.raises(REFUSED), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(superseded_by=None)
    entry.refresh_from_db()
    assert entry.superseded_by == new


def test_involvements_and_marks_cannot_be_changed(cast):
    from decimal import Decimal
    log(cast.bob, cast.maya, involvements=[(cast.sam, "witness")],
        marks=[actions.Mark("front", "head-face", Decimal("50"), Decimal("8"), "Red mark on cheek")])
    with pytest.raises(REFUSED), transaction.atomic():
        Involvement.objects.update(part="sibling")
    with pytest.raises(REFUSED), transaction.atomic():
        BodyMapMark.objects.update(note="changed")


def test_corrections_keep_every_version_and_move_the_tally(cast, concern):
    alice = actor_for(cast.alice)
    first = concern.first_entry
    second = actions.do_correct_entry(
        acting=alice, entry=first, reason="Category was wrong",
        data=actions.EntryData(what_happened=first.what_happened, categories=["neglect"]))
    third = actions.do_correct_entry(
        acting=alice, entry=second, reason="Recorded on the wrong child", person=cast.sam,
        data=actions.EntryData(what_happened=first.what_happened, categories=["neglect"]))
    versions = list(Entry.objects.filter(thread=first.thread).order_by("version"))
    assert [v.version for v in versions] == [1, 2, 3]
    assert [v.correction_reason for v in versions][1:] == ["Category was wrong", "Recorded on the wrong child"]
    assert Entry.objects.filter(person=cast.maya, superseded_by__isnull=True).count() == 0
    assert Entry.objects.get(person=cast.sam, superseded_by__isnull=True) == third
    tallies = {(t.person_id, t.category): t.count for t in EntryTally.objects.all()}
    assert tallies[(cast.maya.pk, "physical-abuse")] == 0
    assert tallies[(cast.maya.pk, "neglect")] == 0
    assert tallies[(cast.sam.pk, "neglect")] == 1
    concern.refresh_from_db()
    assert concern.person == cast.sam


def test_a_superseded_version_cannot_be_corrected_again(cast, concern):
    alice = actor_for(cast.alice)
    actions.do_correct_entry(acting=alice, entry=concern.first_entry, reason="r",
                             data=actions.EntryData(what_happened="x"))
    with pytest.raises(actions.NotCurrent):
        actions.do_correct_entry(acting=alice, entry=concern.first_entry, reason="r",
                                 data=actions.EntryData(what_happened="y"))
