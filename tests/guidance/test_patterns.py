"""Pattern alerts over a child's chronology, with thresholds a partnership can change."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jigsaw.guidance.categories import NATIONAL
from jigsaw.guidance.patterns import (
    DEFAULT_RULES,
    Fact,
    Firing,
    Rule,
    evaluate,
    format_date,
    format_date_range,
    rules_with,
)

SERIOUS = frozenset(category.code for category in NATIONAL if category.serious)
NEGLECT = frozenset(category.code for category in NATIONAL if category.neglect_indicator)
ABSENCE = frozenset(category.code for category in NATIONAL if category.absence_indicator)
TODAY = datetime.date(2026, 11, 20)
MAYA, SAM, LEO = 1, 2, 3
NEW_ID = 100


def ago(days):
    return TODAY - datetime.timedelta(days=days)


def fact(entry_id, days_ago, *categories, concern=True, person=MAYA):
    return Fact(entry_id, person, ago(days_ago), frozenset(categories), concern)


def new(*categories, concern=True):
    return fact(NEW_ID, 0, *categories, concern=concern)


def run(new_fact, history=(), rules=None, **extra):
    return evaluate(
        new_fact,
        history,
        child_name="Maya",
        rules=DEFAULT_RULES if rules is None else rules,
        serious=SERIOUS,
        neglect=NEGLECT,
        absence=ABSENCE,
        **extra,
    )


def fired(firings):
    return {firing.rule: firing for firing in firings}


def spread(number, days, *categories, concern=True):
    """`number` earlier entries spaced across the rest of a `days`-day window, the oldest on its first day."""
    if number == 0:
        return []
    offsets = [days - 1 - (i * (days - 1)) // number for i in range(number)]
    return [fact(i + 1, offset, *categories, concern=concern) for i, offset in enumerate(offsets)]


# The new entry and history that each windowed rule counts.
WINDOWED = {
    "frequent_concerns": ((), True),
    "neglect_accumulating": (("neglect",), False),
    "absence_repeated": (("attendance",), False),
}


def scenario(code, total, days):
    categories, history_is_concern = WINDOWED[code]
    return new(*categories), spread(total - 1, days, *categories, concern=history_is_concern)


def test_the_default_thresholds_are_those_agreed():
    assert {code: (rule.count, rule.days, rule.enabled) for code, rule in DEFAULT_RULES.items()} == {
        "frequent_concerns": (3, 30, True),
        "neglect_accumulating": (4, 90, True),
        "first_serious": (1, 0, True),
        "absence_repeated": (3, 60, True),
        "siblings": (2, 90, True),
    }


@pytest.mark.parametrize("code", WINDOWED)
def test_each_windowed_rule_fires_exactly_at_its_default_threshold(code):
    rule = DEFAULT_RULES[code]
    assert code in fired(run(*scenario(code, rule.count, rule.days)))


@pytest.mark.parametrize("code", WINDOWED)
def test_each_windowed_rule_does_not_fire_one_below_its_default_threshold(code):
    rule = DEFAULT_RULES[code]
    assert code not in fired(run(*scenario(code, rule.count - 1, rule.days)))


@pytest.mark.parametrize("code", WINDOWED)
@pytest.mark.parametrize(("count", "days"), [(2, 1), (2, 7), (4, 28), (6, 365)])
def test_each_windowed_rule_respects_an_overridden_threshold(code, count, days):
    rules = rules_with({code: {"count": count, "days": days}})
    assert code in fired(run(*scenario(code, count, days), rules=rules))
    assert code not in fired(run(*scenario(code, count - 1, days), rules=rules))


@pytest.mark.parametrize("code", WINDOWED)
def test_a_count_of_one_fires_on_the_new_entry_alone(code):
    assert fired(run(*scenario(code, 1, 30), rules=rules_with({code: {"count": 1}})))[code].entry_ids == (NEW_ID,)


@pytest.mark.parametrize("code", WINDOWED)
def test_the_window_includes_its_first_day_and_not_the_day_before(code):
    rule = DEFAULT_RULES[code]
    new_fact, history = scenario(code, rule.count, rule.days)
    assert min(entry.date for entry in history) == ago(rule.days - 1)
    assert code in fired(run(new_fact, history))
    one_day_earlier = [fact(entry.entry_id, rule.days, *entry.categories, concern=entry.is_concern)
                       if entry.date == ago(rule.days - 1) else entry for entry in history]
    assert code not in fired(run(new_fact, one_day_earlier))


def test_three_concerns_in_30_days_counts_from_day_1_to_day_30_but_not_day_31():
    on_day_30 = Fact(NEW_ID, MAYA, datetime.date(2026, 11, 30), frozenset(), True)
    on_day_31 = Fact(NEW_ID, MAYA, datetime.date(2026, 12, 1), frozenset(), True)
    history = [Fact(1, MAYA, datetime.date(2026, 11, 1), frozenset(), True),
               Fact(2, MAYA, datetime.date(2026, 11, 15), frozenset(), True)]
    assert "frequent_concerns" in fired(run(on_day_30, history))
    assert "frequent_concerns" not in fired(run(on_day_31, history))


@pytest.mark.parametrize("code", WINDOWED)
def test_entries_dated_after_the_new_one_are_ignored(code):
    rule = DEFAULT_RULES[code]
    new_fact, history = scenario(code, rule.count - 1, rule.days)
    categories, _ = WINDOWED[code]
    later = [fact(50, -1, *categories), fact(51, -30, *categories)]
    assert code not in fired(run(new_fact, history + later))


def test_frequent_concerns_names_the_threshold_and_the_dates():
    history = [fact(7, 18), fact(3, 10)]
    assert fired(run(new(), history))["frequent_concerns"] == Firing(
        "frequent_concerns",
        "3 concerns in 30 days",
        "Maya has had 3 concerns between 2 and 20 November 2026; the threshold is 3 in 30 days.",
        (7, 3, NEW_ID),
    )


def test_frequent_concerns_counts_every_concern_in_the_window_in_date_then_id_order():
    history = [fact(9, 5), fact(4, 5), fact(2, 25), fact(1, 40), fact(8, 0)]
    firing = fired(run(new(), history))["frequent_concerns"]
    assert firing.entry_ids == (2, 4, 9, 8, NEW_ID)
    assert firing.title == "5 concerns in 30 days"


def test_frequent_concerns_does_not_count_actions_or_notes():
    history = [fact(1, 3), fact(2, 2, concern=False), fact(3, 1, concern=False)]
    assert "frequent_concerns" not in fired(run(new(), history))


def test_frequent_concerns_only_fires_when_the_new_entry_is_a_concern():
    assert "frequent_concerns" not in fired(run(new(concern=False), [fact(1, 3), fact(2, 2), fact(3, 1)]))


def test_the_new_entry_is_not_counted_twice_when_history_includes_it():
    assert "frequent_concerns" not in fired(run(new(), [fact(1, 3), new()]))


def test_neglect_counts_entries_of_any_kind_and_explains_itself():
    history = [fact(1, 80, "neglect", concern=False), fact(2, 40, "neglect", "physical-abuse"), fact(3, 5, "neglect")]
    assert fired(run(new("neglect"), history))["neglect_accumulating"] == Firing(
        "neglect_accumulating",
        "4 entries about neglect in 90 days",
        "Maya has had 4 entries about neglect between 1 September and 20 November 2026; the threshold is 4 in 90 days.",
        (1, 2, 3, NEW_ID),
    )


def test_neglect_only_fires_when_the_new_entry_is_about_neglect():
    history = [fact(1, 3, "neglect"), fact(2, 2, "neglect"), fact(3, 1, "neglect"), fact(4, 0, "neglect")]
    assert "neglect_accumulating" not in fired(run(new("emotional-abuse"), history))


def test_neglect_uses_the_partnerships_own_neglect_categories():
    history = [fact(1, 3, "hunger-local"), fact(2, 2, "hunger-local"), fact(3, 1, "neglect")]
    firings = evaluate(new("hunger-local"), history, child_name="Maya", rules=DEFAULT_RULES, serious=SERIOUS,
                       neglect=NEGLECT | {"hunger-local"}, absence=ABSENCE)
    assert fired(firings)["neglect_accumulating"].entry_ids == (1, 2, 3, NEW_ID)


def test_absence_counts_missing_and_attendance_together():
    history = [fact(1, 59, "missing"), fact(2, 30, "attendance", concern=False)]
    firing = fired(run(new("missing"), history))["absence_repeated"]
    assert firing.title == "3 entries about absence in 60 days"
    assert firing.explanation == (
        "Maya has had 3 entries about absence between 22 September and 20 November 2026; the threshold is 3 in 60 days."
    )
    assert firing.entry_ids == (1, 2, NEW_ID)


def test_absence_only_fires_when_the_new_entry_is_about_absence():
    history = [fact(1, 3, "attendance"), fact(2, 2, "attendance"), fact(3, 1, "missing")]
    assert "absence_repeated" not in fired(run(new(), history))


def test_the_first_serious_concern_fires_and_names_the_category():
    assert fired(run(new("sexual-abuse", "neglect")))["first_serious"] == Firing(
        "first_serious",
        "First concern about sexual abuse",
        "This is the first time sexual abuse has been recorded for Maya, on 20 November 2026; "
        "a first concern in a serious category is always flagged.",
        (NEW_ID,),
    )


def test_the_first_serious_concern_names_every_new_serious_category():
    firing = fired(run(new("sexual-abuse", "physical-abuse", "radicalisation", "neglect")))["first_serious"]
    assert firing.title == "First concern about physical abuse, radicalisation (Prevent) and sexual abuse"


def test_the_first_serious_concern_falls_back_to_the_code_of_a_local_category():
    firings = evaluate(new("county-lines-local"), [], child_name="Maya", rules=DEFAULT_RULES,
                       serious=SERIOUS | {"county-lines-local"}, neglect=NEGLECT, absence=ABSENCE)
    assert fired(firings)["first_serious"].title == "First concern about county-lines-local"


def test_a_serious_category_seen_before_is_not_a_first():
    assert "first_serious" not in fired(run(new("sexual-abuse"), [fact(1, 400, "sexual-abuse", concern=False)]))


def test_a_serious_category_seen_in_an_entry_dated_later_is_not_a_first():
    assert "first_serious" not in fired(run(new("sexual-abuse"), [fact(1, -3, "sexual-abuse")]))


def test_a_serious_category_in_the_earlier_categories_is_not_a_first():
    assert "first_serious" not in fired(run(new("sexual-abuse"), earlier_categories=frozenset({"sexual-abuse"})))


def test_only_the_serious_categories_not_seen_before_are_named():
    firing = fired(run(new("sexual-abuse", "self-harm"), [fact(1, 9, "self-harm")]))["first_serious"]
    assert firing.title == "First concern about sexual abuse"


def test_a_category_that_is_not_serious_is_never_a_first_serious_concern():
    assert "first_serious" not in fired(run(new("neglect", "emotional-abuse", "other")))


def test_concerns_about_two_children_in_a_household_fire_and_explain_themselves():
    household = [fact(5, 60, person=SAM), fact(6, 100, person=SAM), fact(7, 10, person=SAM, concern=False)]
    assert fired(run(new(), household=household))["siblings"] == Firing(
        "siblings",
        "Concerns about 2 children in one household within 90 days",
        "Maya and 1 other child in the same household have had concerns between 21 September and "
        "20 November 2026; the threshold is 2 children in 90 days.",
        (5, NEW_ID),
    )


def test_siblings_does_not_fire_without_another_childs_concern_in_the_window():
    assert "siblings" not in fired(run(new(), [fact(1, 3), fact(2, 2)], household=[fact(5, 90, person=SAM)]))
    assert "siblings" in fired(run(new(), household=[fact(5, 89, person=SAM)]))


def test_siblings_ignores_household_concerns_dated_after_the_new_one():
    assert "siblings" not in fired(run(new(), household=[fact(5, -1, person=SAM)]))


def test_siblings_only_fires_when_the_new_entry_is_a_concern():
    assert "siblings" not in fired(run(new(concern=False), household=[fact(5, 1, person=SAM)]))


def test_siblings_counts_distinct_children_not_concerns():
    rules = rules_with({"siblings": {"count": 3}})
    two_children = [fact(5, 1, person=SAM), fact(6, 2, person=SAM), fact(8, 3, person=MAYA)]
    assert "siblings" not in fired(run(new(), rules=rules, household=two_children))
    firing = fired(run(new(), rules=rules, household=[*two_children, fact(7, 3, person=LEO)]))["siblings"]
    assert firing.entry_ids == (7, 8, 6, 5, NEW_ID)
    assert "Maya and 2 other children" in firing.explanation


def busy_day():
    """A new entry that makes every rule fire."""
    history = [fact(1, 2, "neglect", "attendance"), fact(2, 1, "neglect", "attendance"), fact(3, 1, "neglect")]
    return new("neglect", "attendance", "sexual-abuse"), history, [fact(9, 1, person=SAM)]


def test_a_busy_day_fires_every_rule_in_order():
    new_fact, history, household = busy_day()
    assert [firing.rule for firing in run(new_fact, history, household=household)] == list(DEFAULT_RULES)


@pytest.mark.parametrize("code", list(DEFAULT_RULES))
def test_a_disabled_rule_never_fires(code):
    new_fact, history, household = busy_day()
    firings = run(new_fact, history, rules=rules_with({code: {"enabled": False}}), household=household)
    assert [firing.rule for firing in firings] == [other for other in DEFAULT_RULES if other != code]


def test_a_rule_left_out_of_the_rules_never_fires():
    new_fact, history, household = busy_day()
    rules = {code: rule for code, rule in DEFAULT_RULES.items() if code != "siblings"}
    assert "siblings" not in fired(run(new_fact, history, rules=rules, household=household))


def test_overrides_change_only_what_they_name():
    rules = rules_with({"frequent_concerns": {"count": 4, "days": 28}, "siblings": {"enabled": False}})
    assert rules["frequent_concerns"] == Rule("frequent_concerns", "Frequent concerns", 4, 28)
    assert not rules["siblings"].enabled
    assert rules["siblings"].count == 2
    assert rules["neglect_accumulating"] == DEFAULT_RULES["neglect_accumulating"]
    assert DEFAULT_RULES["frequent_concerns"].count == 3


def test_no_overrides_means_the_defaults():
    assert rules_with({}) == DEFAULT_RULES
    assert rules_with(None) == DEFAULT_RULES


def test_an_overridden_threshold_is_named_in_the_explanation():
    rules = rules_with({"frequent_concerns": {"count": 2, "days": 7}})
    firing = fired(run(new(), [fact(1, 6)], rules=rules))["frequent_concerns"]
    assert firing.explanation == (
        "Maya has had 2 concerns between 14 and 20 November 2026; the threshold is 2 in 7 days."
    )


def test_first_serious_can_be_turned_off_and_keeps_its_fixed_threshold():
    rules = rules_with({"first_serious": {"enabled": False, "count": 1, "days": 0}})
    assert rules["first_serious"] == Rule("first_serious", "First serious concern", 1, 0, enabled=False)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"frequent": {"count": 3}}, 'There is no pattern rule called "frequent".'),
        ({"siblings": {"colour": "red"}}, 'has no setting called "colour"'),
        ({"siblings": 2}, "must be given by name"),
        ({"frequent_concerns": {"count": "4"}}, "The count for \"Frequent concerns\" must be a whole number, not '4'."),
        ({"frequent_concerns": {"count": 2.5}}, "must be a whole number"),
        ({"frequent_concerns": {"days": True}}, "The number of days for \"Frequent concerns\" must be a whole number"),
        ({"frequent_concerns": {"count": 0}}, 'The count for "Frequent concerns" must be at least 1.'),
        ({"absence_repeated": {"days": 0}}, 'The number of days for "Repeated absence" must be at least 1.'),
        ({"siblings": {"days": -5}}, "must be at least 1"),
        ({"siblings": {"enabled": "no"}}, "must be turned on or off"),
        ({"first_serious": {"days": 30}}, '"First serious concern" has no count or days to change'),
        ({"first_serious": {"count": 2}}, "can only be turned on or off"),
    ],
)
def test_it_refuses_a_bad_override_in_plain_english(overrides, message):
    with pytest.raises(ValueError) as refused:
        rules_with(overrides)
    assert message in str(refused.value)


@pytest.mark.parametrize(
    ("day", "shown"),
    [(datetime.date(2026, 11, 2), "2 November 2026"), (datetime.date(2027, 1, 31), "31 January 2027")],
)
def test_dates_are_shown_without_a_leading_zero(day, shown):
    assert format_date(day) == shown


@pytest.mark.parametrize(
    ("first", "last", "shown"),
    [
        (datetime.date(2026, 11, 2), datetime.date(2026, 11, 20), "2 and 20 November 2026"),
        (datetime.date(2026, 10, 28), datetime.date(2026, 11, 3), "28 October and 3 November 2026"),
        (datetime.date(2026, 12, 30), datetime.date(2027, 1, 4), "30 December 2026 and 4 January 2027"),
    ],
)
def test_date_ranges_are_shown_without_repeating_the_month_or_year(first, last, shown):
    assert format_date_range(first, last) == shown


def test_entries_on_a_single_day_are_described_as_on_that_day():
    rules = rules_with({"frequent_concerns": {"count": 2}})
    firing = fired(run(new(), [fact(1, 0)], rules=rules))["frequent_concerns"]
    assert "has had 2 concerns on 20 November 2026;" in firing.explanation


@given(
    offsets=st.lists(st.tuples(st.integers(min_value=-40, max_value=120), st.booleans()), max_size=25),
    count=st.integers(min_value=1, max_value=8),
    days=st.integers(min_value=1, max_value=100),
)
def test_frequent_concerns_fires_exactly_when_enough_concerns_fall_in_the_window(offsets, count, days):
    history = [fact(i + 1, offset, concern=is_concern) for i, (offset, is_concern) in enumerate(offsets)]
    in_window = 1 + sum(1 for offset, is_concern in offsets if is_concern and 0 <= offset < days)
    firing = fired(run(new(), history, rules=rules_with({"frequent_concerns": {"count": count, "days": days}})))
    assert ("frequent_concerns" in firing) == (in_window >= count)
    if "frequent_concerns" in firing:
        by_id = {entry.entry_id: entry for entry in [new(), *history]}
        counted = [by_id[entry_id] for entry_id in firing["frequent_concerns"].entry_ids]
        assert len(counted) == in_window >= count
        assert all(entry.is_concern and ago(days - 1) <= entry.date <= TODAY for entry in counted)
        assert counted == sorted(counted, key=lambda entry: (entry.date, entry.entry_id))
