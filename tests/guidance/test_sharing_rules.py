"""The sharing rules as data: lawful bases, timescales and the seven golden rules (DOMAIN.md)."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from jigsaw.guidance.sharing import (
    ACKNOWLEDGE_WITHIN_WORKING_DAYS,
    DEFAULT_SPECIAL_CONDITION,
    GOLDEN_RULES,
    OBJECTION_STATUSES,
    WITHOUT_CONSENT,
    ConsentStatus,
    DisclosureKind,
    LawfulBasis,
    SpecialCondition,
    Urgency,
    acknowledgement_due,
    default_lawful_basis,
    request_due,
    rule,
)

LONDON = ZoneInfo("Europe/London")


def at(year, month, day, hour=10, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def organisation(kind: str, independent: bool = False):
    return SimpleNamespace(kind=kind, independent=independent)


# Lawful bases ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["school", "college", "childrens_social_care", "mash", "nhs_trust",
                                  "nhs_unscheduled_care", "gp_practice", "police_force", "early_help"])
def test_public_bodies_and_state_schools_default_to_public_task(kind):
    """DOMAIN.md, "Lawful bases": public bodies and state schools → Art 6(1)(e) public task."""
    assert default_lawful_basis(organisation(kind)) == LawfulBasis.PUBLIC_TASK


@pytest.mark.parametrize("kind, independent", [("school", True), ("college", True), ("nursery", False),
                                               ("voluntary_sector", False), ("nursery", True)])
def test_independent_settings_nurseries_and_charities_default_to_legitimate_interests(kind, independent):
    """DOMAIN.md, "Lawful bases": independent schools, nurseries, charities → Art 6(1)(f) legitimate
    interests (ICO education guidance 2025)."""
    assert default_lawful_basis(organisation(kind, independent)) == LawfulBasis.LEGITIMATE_INTERESTS


def test_the_six_article_6_bases_are_offered_in_order():
    """DOMAIN.md, "Lawful bases": UK GDPR Art 6(1)(a) to (f)."""
    assert [label[:7] for label in LawfulBasis.labels] == [f"6(1)({letter})" for letter in "abcdef"]


def test_special_category_data_defaults_to_the_safeguarding_condition():
    """DOMAIN.md, "Lawful bases": normally 9(2)(g) with DPA 2018 Sch 1 Pt 2 para 18; alternatives 9(2)(c), 9(2)(h)."""
    assert DEFAULT_SPECIAL_CONDITION == SpecialCondition.SAFEGUARDING
    assert "para 18" in SpecialCondition.SAFEGUARDING.label
    assert {"9(2)(c)", "9(2)(h)"} <= {label[:7] for label in SpecialCondition.labels}


def test_the_five_consent_statuses_and_which_need_objections_recorded():
    """DOMAIN.md, golden rule 3: not sought (risk), not sought (other), given, refused and overridden,
    withdrawn; objections and how they were weighed are recorded where the child or carers objected."""
    assert set(ConsentStatus.values) == {"not_sought_risk", "not_sought_other", "given", "refused_overridden",
                                         "withdrawn"}
    assert set(OBJECTION_STATUSES) == {ConsentStatus.REFUSED_OVERRIDDEN, ConsentStatus.WITHDRAWN}
    assert ConsentStatus.GIVEN not in WITHOUT_CONSENT and len(WITHOUT_CONSENT) == 4


# Requests for information ---------------------------------------------------------------------


def test_an_urgent_request_on_a_friday_evening_is_due_that_same_evening():
    """DOMAIN.md, "Timescales": response to a request for information, urgent → the same (working) day."""
    due = request_due(Urgency.URGENT, at(2026, 11, 20, 18, 45))  # a Friday
    assert due == at(2026, 11, 20, 23, 59)


def test_an_urgent_request_on_a_bank_holiday_is_due_by_the_end_of_the_next_working_day():
    """DOMAIN.md, "Timescales": working days are Mon–Fri excluding England and Wales bank holidays.
    Christmas Day 2026 is a Friday and Boxing Day's holiday moves to Monday 28th."""
    assert request_due(Urgency.URGENT, at(2026, 12, 25, 9, 0)) == at(2026, 12, 29, 23, 59)


def test_an_urgent_request_at_the_weekend_is_due_on_monday():
    """DOMAIN.md, "Timescales": urgent same (working) day; Saturday is not one."""
    assert request_due(Urgency.URGENT, at(2026, 11, 21, 11, 0)) == at(2026, 11, 23, 23, 59)


def test_a_standard_request_is_due_in_five_working_days():
    """DOMAIN.md, "Timescales": standard → 5 working days (local)."""
    assert request_due(Urgency.STANDARD, at(2026, 11, 16, 14, 30)) == at(2026, 11, 23, 14, 30)  # Mon → Mon


def test_a_standard_request_skips_bank_holidays():
    """DOMAIN.md, "Timescales": 5 working days from Wednesday 23 December 2026 are the 24th, 29th, 30th,
    31st and 4 January, passing Christmas Day, the weekend, Boxing Day's observed holiday (28th) and
    New Year's Day (1 January 2027)."""
    assert request_due(Urgency.STANDARD, at(2026, 12, 23, 10, 0)) == at(2027, 1, 4, 10, 0)


def test_an_organisation_may_set_its_own_standard_time():
    """DOMAIN.md, "Timescales": the standard 5 working days is marked (local)."""
    assert request_due(Urgency.STANDARD, at(2026, 11, 16, 9, 0), standard_days=3) == at(2026, 11, 19, 9, 0)


def test_an_urgent_request_just_after_midnight_in_summer_is_due_at_the_end_of_that_day():
    """DOMAIN.md, "Timescales": urgent → the same working day, in England's time. The actions pass
    timezone.now(), which is UTC: 00:30 on Friday 19 June 2026 in London is 23:30 on Thursday in UTC."""
    asked = at(2026, 6, 19, 0, 30).astimezone(datetime.UTC)
    assert request_due(Urgency.URGENT, asked) == at(2026, 6, 19, 23, 59)


# Acknowledging disclosures --------------------------------------------------------------------


@pytest.mark.parametrize("kind, due", [
    (DisclosureKind.SHARE, at(2026, 11, 23)),  # 1 working day: Friday → Monday
    (DisclosureKind.RESPONSE, at(2026, 11, 23)),
    (DisclosureKind.REFERRAL, at(2026, 11, 23)),  # Working Together 2023: 1 working day
    (DisclosureKind.FILE_TRANSFER, at(2026, 11, 27)),  # KCSIE: 5 (school) days
    (DisclosureKind.MINUTES, at(2026, 12, 4)),  # seed 000: minutes chased after 10 working days (local)
])
def test_each_kind_of_disclosure_has_its_own_time_to_acknowledge(kind, due):
    """DOMAIN.md, "Timescales": referral 1 working day; file transfer receipt 5 school days; minutes
    10 working days (local). Sent at 10:00 on Friday 20 November 2026."""
    assert acknowledgement_due(kind, at(2026, 11, 20)) == due


def test_every_kind_of_disclosure_has_a_time_to_acknowledge():
    """DOMAIN.md, "Timescales": every outward flow is followed up, so every kind has a due date."""
    assert set(ACKNOWLEDGE_WITHIN_WORKING_DAYS) == set(DisclosureKind.values)


def test_an_organisation_may_override_the_time_for_a_kind():
    """DOMAIN.md, "Timescales": the (local) rows are each organisation's to change."""
    overrides = {DisclosureKind.SHARE: 3}
    assert acknowledgement_due(DisclosureKind.SHARE, at(2026, 11, 20), overrides) == at(2026, 11, 25)
    assert acknowledgement_due(DisclosureKind.MINUTES, at(2026, 11, 20), overrides) == at(2026, 12, 4)


def test_acknowledging_over_christmas_counts_working_days_only():
    """DOMAIN.md, "Timescales": Mon–Fri excluding England and Wales bank holidays."""
    assert acknowledgement_due(DisclosureKind.SHARE, at(2026, 12, 24, 16, 0)) == at(2026, 12, 29, 16, 0)


# The seven golden rules -------------------------------------------------------------------------


def test_there_are_seven_golden_rules_in_order():
    """DOMAIN.md, "Seven golden rules" (DfE, Information sharing advice, May 2024), in their order."""
    assert [each.number for each in GOLDEN_RULES] == [1, 2, 3, 4, 5, 6, 7]
    keywords = ["protection", "engage", "consent", "advice", "identities", "relevant", "reasons"]
    for each, keyword in zip(GOLDEN_RULES, keywords, strict=True):
        assert keyword in each.title.lower(), each.title
        assert each.guidance.strip()


def test_a_rule_is_found_by_its_number():
    """DOMAIN.md, "Seven golden rules": forms and pages cite the rules by number."""
    assert rule(5) is GOLDEN_RULES[4] and rule(1).number == 1 and rule(7).number == 7
