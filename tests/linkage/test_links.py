"""Linking records to Subjects: NHS number first, reviews decided once, history never lost."""

import datetime
import threading

import pgtrigger
import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from jigsaw.accounts.models import Organisation, OrganisationKind
from jigsaw.accounts.roles import Role
from jigsaw.audit.models import AccessEvent
from jigsaw.linkage import actions
from jigsaw.linkage.models import Link, LinkageSettings, LinkMethod, MatchReview, ReviewReason, ReviewStatus
from jigsaw.people import actions as people_actions
from tests.cast import make_user
from tests.chronology.conftest import actor_for
from tests.database import UNTRUNCATABLE
from tests.linkage.conftest import record_at, review_between


def subject(person):
    return actions.subject_id_of(person)


def test_records_with_the_same_nhs_number_are_one_subject(linked):
    assert subject(linked.school_record) == subject(linked.gp_record) == subject(linked.social_care_record)
    link = Link.objects.current().get(person=linked.gp_record)
    assert link.method == LinkMethod.NHS_NUMBER and link.matched_with == linked.school_record
    assert link.linked_by is None and link.linked_by_label == "Jigsaw (linkage)"


def test_a_new_record_through_the_real_save_is_linked_at_once(cast, linked):
    police = Organisation.objects.create(name="Westbridge Police", kind=OrganisationKind.POLICE_FORCE,
                                         local_authority=cast.westbridge)
    officer = make_user("pc@police.test", "PC Plod", [(police, Role.POLICE_OFFICER)])
    person = people_actions.do_create_person(acting=actor_for(officer), data={
        "given_name": "Maya", "family_name": "Thompson", "date_of_birth": datetime.date(2015, 3, 27),
        "nhs_number": "9990001235"})
    assert subject(person) == subject(cast.maya)


def test_every_link_is_in_the_ledger(linked):
    events = AccessEvent.objects.filter(object_type="linkage.link", person=linked.gp_record)
    assert events.count() == 1 and events.get().detail["method"] == LinkMethod.NHS_NUMBER


def test_the_same_nhs_number_on_clearly_different_people_goes_to_review_not_a_link(cast, linked):
    stranger = record_at(cast.hillside, given="Oliver", family="Thompson", dob=datetime.date(2009, 1, 2),
                         nhs_number="9990001235")
    assert subject(stranger) != subject(cast.maya)
    review = MatchReview.objects.get(status=ReviewStatus.OPEN)
    assert review.reason == ReviewReason.NHS_CONFLICT
    assert {review.left, review.right} & {stranger}


def test_a_record_with_no_match_gets_a_subject_of_its_own(cast):
    person = record_at(cast.hillside, given="Ada", family="Lovelace")
    link = Link.objects.current().get(person=person)
    assert link.method == LinkMethod.FIRST


def test_organisation_kinds_not_taking_part_are_left_unlinked(cast):
    settings = LinkageSettings.current()
    settings.organisation_kinds = [OrganisationKind.GP_PRACTICE]
    settings.save()
    person = record_at(cast.hillside, given="Ada", family="Lovelace")
    assert subject(person) is None


# Reviews ---------------------------------------------------------------------------------------


def test_confirming_a_review_brings_the_whole_subject_together(cast, linked):
    other = record_at(cast.hillside, given="Maya", family="Tompson", nhs_number="")
    review = review_between(other, linked.gp_record)
    actions.do_confirm_review(acting=actor_for(cast.dan, cast.social_care), review=review, reason="Same GP and school")
    assert subject(other) == subject(cast.maya) == subject(linked.social_care_record)
    moved = Link.objects.current().get(person=other)
    assert moved.method == LinkMethod.MANUAL and moved.review_id == review.pk
    assert MatchReview.objects.get(pk=review.pk).decided_by == cast.dan


def test_a_review_cannot_be_decided_twice(cast, linked):
    other = record_at(cast.hillside, given="Maya", family="Tompson")
    review = review_between(other, linked.gp_record)
    dan = actor_for(cast.dan, cast.social_care)
    actions.do_reject_review(acting=dan, review=review, reason="Different child")
    with pytest.raises(actions.AlreadyDecided):
        actions.do_confirm_review(acting=dan, review=review, reason="Changed my mind")


def test_a_decision_needs_reasons(cast, linked):
    review = review_between(record_at(cast.hillside, given="Maya", family="Tompson"), linked.gp_record)
    with pytest.raises(ValidationError) as refused:
        actions.do_confirm_review(acting=actor_for(cast.dan, cast.social_care), review=review, reason="  ")
    assert "reason" in refused.value.message_dict
    assert MatchReview.objects.get(pk=review.pk).status == ReviewStatus.OPEN


def test_a_rejected_pair_is_never_put_back_in_the_queue(cast, linked):
    other = record_at(cast.hillside, given="Maya", family="Tompson")
    review = review_between(other, linked.gp_record)
    actions.do_reject_review(acting=actor_for(cast.dan, cast.social_care), review=review, reason="Different")
    assert actions._open_review(other, linked.gp_record, ReviewReason.PROBABLE) is None


def test_rejecting_a_linked_pair_separates_them_and_keeps_the_history(cast, linked):
    review = review_between(linked.gp_record, linked.social_care_record, reason=ReviewReason.CHANGED)
    actions.do_reject_review(acting=actor_for(cast.dan, cast.social_care), review=review, reason="Not her")
    right = review.right
    assert subject(right) != subject(review.left)
    history = Link.objects.filter(person=right).order_by("linked_at", "pk")
    assert [link.method for link in history] == [LinkMethod.NHS_NUMBER, LinkMethod.SPLIT]
    assert history[0].ended_at is not None and history[0].end_reason == "Not her"


def test_a_decided_review_cannot_be_changed_in_the_database(cast, linked):
    review = review_between(record_at(cast.hillside, given="Maya", family="Tompson"), linked.gp_record)
    actions.do_reject_review(acting=actor_for(cast.dan, cast.social_care), review=review, reason="Different")
    with pytest.raises(DatabaseError), transaction.atomic():
        MatchReview.objects.filter(pk=review.pk).update(status=ReviewStatus.CONFIRMED)


# Unlink and split --------------------------------------------------------------------------------


def test_unlinking_keeps_the_old_link_and_remembers_the_records_differ(cast, linked):
    alice = actor_for(cast.alice)
    actions.do_unlink(acting=alice, person=cast.maya, reason="Wrong child: different mother")
    assert subject(cast.maya) != subject(linked.gp_record)
    assert subject(linked.gp_record) == subject(linked.social_care_record)
    ended = Link.objects.get(person=cast.maya, ended_at__isnull=False)
    assert ended.end_reason == "Wrong child: different mother"
    assert Link.objects.current().get(person=cast.maya).method == LinkMethod.SPLIT
    assert actions.decided_different(cast.maya, linked.gp_record)
    actions.resolve(cast.maya)  # a later save does not put them back together
    assert subject(cast.maya) != subject(linked.gp_record)


def test_a_record_alone_cannot_be_unlinked(cast):
    person = record_at(cast.hillside, given="Ada", family="Lovelace")
    with pytest.raises(ValidationError):
        actions.do_unlink(acting=actor_for(cast.carol), person=person, reason="Why not")


def test_a_split_moves_the_chosen_records_together(cast, linked):
    actions.do_split(acting=actor_for(cast.dan, cast.social_care), subject_id=subject(cast.maya),
                     people=[linked.gp_record, linked.social_care_record], reason="These two are her cousin")
    assert subject(linked.gp_record) == subject(linked.social_care_record) != subject(cast.maya)


def test_links_cannot_be_rewritten_or_deleted(linked):
    link = Link.objects.current().get(person=linked.gp_record)
    with pytest.raises(DatabaseError), transaction.atomic():
        Link.objects.filter(pk=link.pk).update(method=LinkMethod.MANUAL)
    with pytest.raises(DatabaseError), transaction.atomic():
        Link.objects.filter(pk=link.pk).delete()


# Concurrency -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def truncatable():
    with pgtrigger.ignore(*UNTRUNCATABLE):
        yield


@pytest.mark.django_db(transaction=True)
def test_two_people_confirming_one_review_at_the_same_moment_cannot_both_succeed(truncatable, cast, linked):
    manager = make_user("tm@westbridge.test", "Tia Manager", [(cast.social_care, Role.TEAM_MANAGER)])
    review = review_between(record_at(cast.hillside, given="Maya", family="Tompson"), linked.gp_record)
    start, results = threading.Barrier(2), []

    def confirm(user):
        try:
            start.wait(timeout=10)
            actions.do_confirm_review(acting=actor_for(user, cast.social_care), review=review, reason="Same child")
            results.append("confirmed")
        except actions.AlreadyDecided:
            results.append("too late")
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(user,)) for user in (cast.dan, manager)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["confirmed", "too late"]
    assert AccessEvent.objects.filter(object_type="linkage.matchreview", action="update").count() == 1


def test_unlinking_withdraws_the_pairs_open_review_in_the_ledger(cast, linked):
    review = review_between(cast.maya, linked.gp_record)
    actions.do_unlink(acting=actor_for(cast.alice), person=cast.maya, reason="Wrong child")
    assert MatchReview.objects.get(pk=review.pk).status == ReviewStatus.WITHDRAWN
    event = AccessEvent.objects.filter(object_type="linkage.matchreview", object_id=str(review.pk), action="update")
    assert event.get().detail == {"status": ReviewStatus.WITHDRAWN}


def test_the_navigation_count_is_a_read_through_access(cast, linked):
    from jigsaw.linkage import access

    review_between(cast.maya, record_at(linked.gp, given="Mia"))
    assert access.open_review_count(actor_for(cast.alice)) == 1
    assert access.open_review_count(actor_for(cast.carol)) == 0
    assert access.open_review_count(actor_for(cast.bob)) == 0
