import datetime
from dataclasses import dataclass

import pytest

from jigsaw.accounts.models import Organisation, OrganisationKind
from jigsaw.linkage import actions
from jigsaw.linkage.models import MatchReview, ReviewReason
from jigsaw.people.models import Person, Sex


def record_at(organisation, given="Maya", family="Thompson", dob=datetime.date(2015, 3, 27), **fields) -> Person:
    """A Person at another organisation, resolved as the real save does."""
    fields.setdefault("nhs_number", "")
    if not fields["nhs_number"]:
        fields.setdefault("nhs_number_absent_reason", "Not known")
    person = Person.objects.create(
        organisation=organisation, given_name=given, family_name=family, date_of_birth=dob, **fields
    )
    actions.resolve(person)
    return person


def review_between(a: Person, b: Person, reason=ReviewReason.PROBABLE, probability=0.83) -> MatchReview:
    left, right = (a, b) if a.pk < b.pk else (b, a)
    return MatchReview.objects.create(
        left=left, right=right, reason=reason, match_probability=probability, match_weight=2.3,
        evidence=[
            {"field": "given_name", "label": "Exact match", "match_weight": 4.1},
            {"field": "date_of_birth", "label": "Day and month swapped", "match_weight": 1.2},
            {"field": "postcode", "label": "Different", "match_weight": -3.0},
        ],
    )


@dataclass
class Linked:
    """Maya as Riverside, the GP and children's social care know her: one Subject by NHS number."""

    gp: Organisation
    school_record: Person
    gp_record: Person
    social_care_record: Person


@pytest.fixture
def linked(cast) -> Linked:
    gp = Organisation.objects.create(
        name="Mill Lane Surgery", kind=OrganisationKind.GP_PRACTICE, local_authority=cast.westbridge
    )
    actions.resolve(cast.maya)
    gp_record = record_at(gp, nhs_number="9990001235", sex=Sex.FEMALE, postcode="PL4 8AA")
    social_care_record = record_at(cast.social_care, nhs_number="9990001235", sex=Sex.FEMALE)
    return Linked(gp=gp, school_record=cast.maya, gp_record=gp_record, social_care_record=social_care_record)
