"""Pattern alerts over a child's chronology, as data and pure functions.

A rule is a threshold: `count` entries within `days` days. The window is anchored on the date of the
entry just saved and includes that day, so "3 in 30 days" looks at that day and the 29 before it.
Entries dated after the new entry are outside every window.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from jigsaw.guidance.categories import NATIONAL


@dataclass(frozen=True)
class Fact:
    """One current chronology entry as the rules see it."""

    entry_id: int
    person_id: int
    date: datetime.date
    categories: frozenset[str]
    is_concern: bool  # a concern or disclosure, not an action, triage decision or note


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    count: int
    days: int  # 0 where the rule has no window
    enabled: bool = True


@dataclass(frozen=True)
class Firing:
    rule: str
    title: str
    explanation: str
    entry_ids: tuple[int, ...]


DEFAULT_RULES = {
    rule.code: rule
    for rule in (
        Rule("frequent_concerns", "Frequent concerns", count=3, days=30),
        Rule("neglect_accumulating", "Signs of neglect accumulating", count=4, days=90),
        Rule("first_serious", "First serious concern", count=1, days=0),
        Rule("absence_repeated", "Repeated absence", count=3, days=60),
        Rule("siblings", "Concerns about more than one child in a household", count=2, days=90),
    )
}
SETTINGS = {"count": "count", "days": "number of days", "enabled": "on or off setting"}
CATEGORY_NAMES = {category.code: category.name for category in NATIONAL}
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


def rules_with(overrides: dict | None) -> dict[str, Rule]:
    """DEFAULT_RULES with a partnership's overrides applied, e.g. {"siblings": {"enabled": False}}."""
    rules = dict(DEFAULT_RULES)
    for code, changes in (overrides or {}).items():
        rules[code] = _overridden(code, changes)
    return rules


def _overridden(code: str, changes: dict) -> Rule:
    rule = DEFAULT_RULES.get(code)
    if rule is None:
        raise ValueError(f'There is no pattern rule called "{code}".')
    if not isinstance(changes, dict):
        raise ValueError(f'The settings for "{rule.title}" must be given by name: count, days or enabled.')
    for setting, value in changes.items():
        _check_setting(rule, setting, value)
    return replace(rule, **changes)


def _check_setting(rule: Rule, setting: str, value) -> None:
    if setting not in SETTINGS:
        raise ValueError(f'"{rule.title}" has no setting called "{setting}"; it has count, days and enabled.')
    if setting == "enabled":
        if not isinstance(value, bool):
            raise ValueError(f'"{rule.title}" must be turned on or off (true or false), not {value!r}.')
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f'The {SETTINGS[setting]} for "{rule.title}" must be a whole number, not {value!r}.')
    if rule.days == 0 and value != getattr(rule, setting):
        raise ValueError(f'"{rule.title}" has no count or days to change; it can only be turned on or off.')
    if rule.days and value < 1:
        raise ValueError(f'The {SETTINGS[setting]} for "{rule.title}" must be at least 1.')


def evaluate(
    new: Fact,
    history: Sequence[Fact],
    *,
    child_name: str,
    rules: dict[str, Rule],
    serious: frozenset[str],
    neglect: frozenset[str],
    absence: frozenset[str],
    household: Sequence[Fact] = (),
    earlier_categories: frozenset[str] = frozenset(),
) -> list[Firing]:
    """The rules that the new entry makes fire, in the order of DEFAULT_RULES."""
    others = [fact for fact in history if fact.entry_id != new.entry_id]
    firings = (
        _frequent_concerns(_active(rules, "frequent_concerns"), new, others, child_name),
        _accumulating(_active(rules, "neglect_accumulating"), new, others, child_name, neglect, "neglect"),
        _first_serious(_active(rules, "first_serious"), new, others, child_name, serious, earlier_categories),
        _accumulating(_active(rules, "absence_repeated"), new, others, child_name, absence, "absence"),
        _siblings(_active(rules, "siblings"), new, household, child_name),
    )
    return [firing for firing in firings if firing is not None]


def _active(rules: dict[str, Rule], code: str) -> Rule | None:
    rule = rules.get(code)
    return rule if rule is not None and rule.enabled else None


def _frequent_concerns(rule: Rule | None, new: Fact, others: list[Fact], child_name: str) -> Firing | None:
    if rule is None or not new.is_concern:
        return None
    counted = _window([new, *(fact for fact in others if fact.is_concern)], new.date, rule.days)
    if len(counted) < rule.count:
        return None
    concerns = _plural(len(counted), "concern")
    return Firing(
        rule.code,
        f"{concerns} in {_plural(rule.days, 'day')}",
        f"{child_name} has had {concerns} {_when(counted)}; the threshold is {_threshold(rule)}.",
        _ids(counted),
    )


def _accumulating(
    rule: Rule | None, new: Fact, others: list[Fact], child_name: str, codes: frozenset[str], topic: str
) -> Firing | None:
    """Neglect indicators or absences adding up, whether logged as concerns or not."""
    if rule is None or not new.categories & codes:
        return None
    counted = _window([new, *(fact for fact in others if fact.categories & codes)], new.date, rule.days)
    if len(counted) < rule.count:
        return None
    entries = f"{_plural(len(counted), 'entry', 'entries')} about {topic}"
    return Firing(
        rule.code,
        f"{entries} in {_plural(rule.days, 'day')}",
        f"{child_name} has had {entries} {_when(counted)}; the threshold is {_threshold(rule)}.",
        _ids(counted),
    )


def _first_serious(
    rule: Rule | None, new: Fact, others: list[Fact], child_name: str, serious: frozenset[str],
    earlier_categories: frozenset[str],
) -> Firing | None:
    """Any history counts here, whatever its date: the category has been seen before."""
    if rule is None:
        return None
    seen = frozenset(earlier_categories).union(*(fact.categories for fact in others))
    first = sorted(category_name(code) for code in (new.categories & serious) - seen)
    if not first:
        return None
    about = _joined([name[0].lower() + name[1:] for name in first])
    return Firing(
        rule.code,
        f"First concern about {about}",
        f"This is the first time {about} has been recorded for {child_name}, on {format_date(new.date)}; "
        "a first concern in a serious category is always flagged.",
        (new.entry_id,),
    )


def _siblings(rule: Rule | None, new: Fact, household: Sequence[Fact], child_name: str) -> Firing | None:
    if rule is None or not new.is_concern:
        return None
    concerns = (fact for fact in household if fact.is_concern and fact.entry_id != new.entry_id)
    counted = _window([new, *concerns], new.date, rule.days)
    children = len({fact.person_id for fact in counted})
    if children < rule.count:
        return None
    others = children - 1
    return Firing(
        rule.code,
        f"Concerns about {children} children in one household within {_plural(rule.days, 'day')}",
        f"{child_name} and {_plural(others, 'other child', 'other children')} in the same household have had "
        f"concerns {_when(counted)}; the threshold is {rule.count} children in {_plural(rule.days, 'day')}.",
        _ids(counted),
    )


def _window(facts: Iterable[Fact], end: datetime.date, days: int) -> list[Fact]:
    """The facts dated within `days` days up to and including `end`, oldest first."""
    start = end - datetime.timedelta(days=days - 1)
    return sorted((fact for fact in facts if start <= fact.date <= end), key=lambda fact: (fact.date, fact.entry_id))


def _ids(facts: list[Fact]) -> tuple[int, ...]:
    return tuple(fact.entry_id for fact in facts)


def _threshold(rule: Rule) -> str:
    return f"{rule.count} in {_plural(rule.days, 'day')}"


def _when(facts: list[Fact]) -> str:
    first, last = facts[0].date, facts[-1].date
    if first == last:
        return f"on {format_date(first)}"
    return f"between {format_date_range(first, last)}"


def _plural(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def _joined(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def category_name(code: str) -> str:
    return CATEGORY_NAMES.get(code, code)


def format_date(day: datetime.date) -> str:
    """21 November 2026, without a leading zero and whatever the locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_date_range(first: datetime.date, last: datetime.date) -> str:
    """'2 and 20 November 2026', '28 October and 3 November 2026' or both dates in full."""
    if first.year != last.year:
        return f"{format_date(first)} and {format_date(last)}"
    if first.month != last.month:
        return f"{first.day} {MONTHS[first.month - 1]} and {format_date(last)}"
    return f"{first.day} and {format_date(last)}"
