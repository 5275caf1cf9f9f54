"""The rules of a single save (DESIGN §5), with the real model and with scores set by hand."""

import datetime

import pytest

from jigsaw.accounts.models import Organisation, OrganisationKind
from jigsaw.linkage import actions, scoring
from jigsaw.linkage.models import (
    Link,
    LinkageSettings,
    LinkMethod,
    MatchReview,
    ModelVersion,
    ReviewReason,
    ReviewStatus,
)
from jigsaw.people.models import Person, Sex
from tests.linkage.conftest import record_at


@pytest.fixture(scope="session")
def trained():
    """A model trained on the demo partnership's records (pure data, no database): a few seconds, once."""
    from jigsaw.demo.records import plan
    from jigsaw.linkage import model

    records = [
        {"unique_id": str(index), "organisation": r.org, "given_name": r.given_name, "family_name": r.family_name,
         "other_names": r.other_names, "date_of_birth": r.date_of_birth, "sex": r.sex, "postcode": r.postcode,
         "address": r.address, "school": r.school, "nhs_number": r.nhs_number}
        for index, r in enumerate(plan().records)
    ]
    return model.train(model.prepare(records))


@pytest.fixture
def active_model(trained):
    scoring._trained.cache_clear()
    return ModelVersion.objects.create(
        version=trained.version, model_json=trained.model_json, tf_tables=trained.tf_tables,
        metrics=trained.metrics, trained_by="tests", is_active=True,
    )


@pytest.fixture
def gp(cast):
    return Organisation.objects.create(name="Mill Lane Surgery", kind=OrganisationKind.GP_PRACTICE,
                                       local_authority=cast.westbridge)


@pytest.fixture
def police(cast):
    return Organisation.objects.create(name="Westbridge Police", kind=OrganisationKind.POLICE_FORCE,
                                       local_authority=cast.westbridge)


def at(organisation, given, family="Okafor", dob=datetime.date(2016, 2, 11), **fields):
    fields = {"sex": Sex.FEMALE, "address": "14 Quarry Road, Westbridge", "postcode": "PL5 3QR", **fields}
    return record_at(organisation, given=given, family=family, dob=dob, **fields)


def same(a, b) -> bool:
    return actions.subject_id_of(a) == actions.subject_id_of(b)


# With the real model ---------------------------------------------------------------------------


def test_a_duplicate_with_a_typo_and_a_nickname_is_linked_at_once(cast, gp, active_model):
    school = at(cast.riverside, "Elizabeth")
    doctor = at(gp, "Liz", family="Okafour")
    assert same(school, doctor)
    link = Link.objects.current().get(person=doctor)
    assert link.method == LinkMethod.PROBABILISTIC and link.match_probability >= 0.99
    assert link.model_version == active_model and link.matched_with == school


def test_twins_are_never_linked(cast, gp, active_model):
    amara = at(cast.riverside, "Amara")
    chidi = at(gp, "Chidi", sex=Sex.MALE)
    adaeze = at(gp, "Adaeze")
    assert not same(amara, chidi) and not same(amara, adaeze)
    for review in MatchReview.objects.filter(status=ReviewStatus.OPEN):
        assert review.reason in (ReviewReason.TWIN_LIKE, ReviewReason.PROBABLE)


def test_a_record_under_a_short_name_does_not_bridge_twins(cast, gp, police, active_model):
    """'Alex Okafor' at the surgery is a short form of both twins' names; whichever twin comes later must
    not join the other's child through it."""
    alexandra = at(cast.riverside, "Alexandra")
    alex = at(gp, "Alex", sex=Sex.NOT_KNOWN)
    assert same(alexandra, alex)
    alexander = at(police, "Alexander", sex=Sex.MALE)
    assert not same(alexander, alexandra)
    reasons = {review.reason for review in MatchReview.objects.filter(status=ReviewStatus.OPEN)}
    assert reasons and reasons <= {ReviewReason.TWIN_LIKE, ReviewReason.TWIN_OF_MEMBER, ReviewReason.WOULD_JOIN}
    held = MatchReview.objects.get(left=min(alex, alexander, key=lambda p: p.pk),
                                   right=max(alex, alexander, key=lambda p: p.pk))
    assert held.reason == ReviewReason.TWIN_OF_MEMBER  # the page says why: Alexandra, not Alex, looks like a twin


def test_a_linked_record_edited_to_look_like_a_twin_goes_to_review(cast, gp, active_model):
    from jigsaw.people.actions import do_update_person
    from tests.chronology.conftest import actor_for

    alexandra = at(cast.riverside, "Alexandra")
    alex = at(gp, "Alex", sex=Sex.NOT_KNOWN)
    assert same(alexandra, alex)
    do_update_person(acting=actor_for(_member(gp), gp), person=alex, data={"given_name": "Alexander", "sex": Sex.MALE})
    review = MatchReview.objects.get(status=ReviewStatus.OPEN)
    assert review.reason == ReviewReason.CHANGED and {review.left, review.right} == {alexandra, alex}


def test_the_app_holds_back_twins_even_under_a_model_that_saw_no_families(cast, gp, trained):
    scoring._trained.cache_clear()
    metrics = {**trained.metrics, "households": {"records": 10_000, "sibling_pairs": 0, "seen": False}}
    ModelVersion.objects.create(
        version="no-families", model_json=trained.model_json, tf_tables=trained.tf_tables, metrics=metrics,
        trained_by="tests", is_active=True,
    )
    amara = at(cast.riverside, "Amara")
    adaeze = at(gp, "Adaeze")
    assert not same(amara, adaeze)
    review = MatchReview.objects.get(status=ReviewStatus.OPEN)
    assert review.reason == ReviewReason.TWIN_LIKE
    assert review.match_probability < 0.99


def test_a_clearly_different_child_is_left_alone(cast, gp, active_model):
    school = at(cast.riverside, "Amara")
    other = at(gp, "Tobias", family="Lindqvist", dob=datetime.date(2011, 9, 30), postcode="PL1 1AA",
               address="2 Harbour View")
    assert not same(school, other)
    assert not MatchReview.objects.exists()


def test_editing_a_record_scores_it_again_inside_the_save(cast, gp, active_model):
    from jigsaw.people.actions import do_update_person
    from tests.chronology.conftest import actor_for

    school = at(cast.riverside, "Elizabeth")
    doctor = at(gp, "Priya", family="Sharma", dob=datetime.date(2010, 1, 1), postcode="PL1 1AA")
    assert not same(school, doctor)
    user = _member(gp)
    do_update_person(acting=actor_for(user, gp), person=doctor, data={
        "given_name": "Elizabeth", "family_name": "Okafor", "date_of_birth": datetime.date(2016, 2, 11),
        "postcode": "PL5 3QR"})
    assert same(school, Person.objects.get(pk=doctor.pk))


def _member(organisation):
    from jigsaw.accounts.roles import Role
    from tests.cast import make_user

    return make_user(f"lead@{organisation.pk}.test", "Lee Lead", [(organisation, Role.DSL)])


# The guards, with scores set by hand -------------------------------------------------------------


@pytest.fixture
def scores(monkeypatch, active_model):
    """Decide every pair's probability by hand: {frozenset({a.pk, b.pk}): probability}."""
    table: dict[frozenset, float] = {}

    def score(version, person, others):
        found = [scoring.Scored(other=o, probability=table.get(frozenset({person.pk, o.pk}), 0.0), weight=0.0,
                                evidence=[], twin_like=False) for o in others]
        return sorted(found, key=lambda s: (-s.probability, s.other.pk))

    def candidates(person, keys, kinds):
        ids = [next(iter(pair - {person.pk})) for pair in table if person.pk in pair]
        return list(Person.objects.filter(pk__in=ids).select_related("organisation"))

    monkeypatch.setattr(scoring, "score", score)
    monkeypatch.setattr(scoring, "candidates_for", candidates)
    return table


def _bare(organisation, given):
    return Person.objects.create(organisation=organisation, given_name=given, family_name="Chain",
                                 nhs_number_absent_reason="Not known")


def test_a_chain_of_links_does_not_join_a_child_who_is_clearly_different(cast, gp, police, scores):
    a, b, c = _bare(cast.riverside, "A"), _bare(gp, "B"), _bare(police, "C")
    scores[frozenset({a.pk, b.pk})] = 0.995
    scores[frozenset({b.pk, c.pk})] = 0.995
    scores[frozenset({a.pk, c.pk})] = 0.01
    for person in (a, b, c):
        actions.resolve(person)
    assert same(a, b) and not same(b, c)
    review = MatchReview.objects.get(status=ReviewStatus.OPEN)
    assert review.reason == ReviewReason.WOULD_JOIN and {review.left, review.right} == {b, c}


def test_a_second_record_at_the_same_organisation_waits_for_a_person(cast, gp, scores):
    a, b = _bare(cast.riverside, "A"), _bare(cast.riverside, "B")
    scores[frozenset({a.pk, b.pk})] = 0.999
    actions.resolve(a)
    actions.resolve(b)
    assert not same(a, b)
    assert MatchReview.objects.get().reason == ReviewReason.SAME_ORGANISATION


def test_between_the_thresholds_a_pair_goes_to_review_and_below_it_nothing_happens(cast, gp, police, scores):
    a, b, c = _bare(cast.riverside, "A"), _bare(gp, "B"), _bare(police, "C")
    scores[frozenset({a.pk, b.pk})] = 0.7
    scores[frozenset({a.pk, c.pk})] = 0.3
    for person in (a, b, c):
        actions.resolve(person)
    assert not same(a, b) and not same(a, c)
    review = MatchReview.objects.get()
    assert review.reason == ReviewReason.PROBABLE and {review.left, review.right} == {a, b}
    assert review.match_probability == 0.7


def test_two_children_already_linked_elsewhere_are_not_joined_automatically(cast, gp, police, scores):
    a, b = _bare(cast.riverside, "A"), _bare(gp, "B")
    c, d = _bare(police, "C"), _bare(cast.social_care, "D")
    scores[frozenset({a.pk, b.pk})] = 0.999
    scores[frozenset({c.pk, d.pk})] = 0.999
    for person in (a, b, c, d):
        actions.resolve(person)
    scores[frozenset({b.pk, c.pk})] = 0.999  # later, b is edited and now looks like c
    actions.resolve(b)
    assert same(a, b) and same(c, d) and not same(a, c)


def test_one_childs_records_in_two_subjects_are_joined_when_every_pair_agrees(cast, gp, police, scores):
    a, b = _bare(cast.riverside, "A"), _bare(gp, "B")
    c, d = _bare(police, "C"), _bare(cast.social_care, "D")
    for pair in ({a.pk, b.pk}, {c.pk, d.pk}):
        scores[frozenset(pair)] = 0.999
    for person in (a, b, c, d):
        actions.resolve(person)
    assert same(a, b) and same(c, d) and not same(a, c)
    for pair in ({a.pk, c.pk}, {a.pk, d.pk}, {b.pk, c.pk}, {b.pk, d.pk}):
        scores[frozenset(pair)] = 0.999
    settings, version = LinkageSettings.current(), ModelVersion.objects.get(is_active=True)
    actions._probabilistically(b, settings, version, [], actions.Resolution(), actions.JIGSAW)
    assert same(a, c) and same(b, d)
    assert not MatchReview.objects.filter(status=ReviewStatus.OPEN).exists()


def test_a_whole_run_gives_each_record_the_keys_a_single_save_would(cast, gp, active_model):
    people = [at(cast.riverside, "Elizabeth"), at(gp, "Liz", family="Okafour"), _bare(gp, "Nobody")]
    one_by_one = {person.pk: sorted(scoring.refresh_keys(person)) for person in people}
    scoring.refresh_all_keys(people)
    from jigsaw.linkage.models import BlockingKey

    for person in people:
        stored = sorted(BlockingKey.objects.filter(person=person).values_list("key", flat=True))
        assert stored == one_by_one[person.pk]
