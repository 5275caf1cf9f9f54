import datetime

from django.http import Http404
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field, field_validator, model_validator

from jigsaw.guidance.identifiers import (
    checked_nhs_number,
    is_valid_postcode,
    is_valid_upn,
    normalise_postcode,
    normalise_upn,
)
from jigsaw.people import access, actions
from jigsaw.people.models import Sex
from jigsaw.people.search import Terms, search

router = Router(tags=["people"])


class PersonOut(Schema):
    id: int
    given_name: str
    family_name: str
    other_names: str
    date_of_birth: datetime.date | None
    sex: str
    nhs_number: str
    upn: str
    postcode: str
    protected_identity: bool


class PersonIn(Schema):
    given_name: str = Field(min_length=1, max_length=100)
    family_name: str = Field(min_length=1, max_length=100)
    other_names: str = Field("", max_length=300)
    date_of_birth: datetime.date | None = None
    sex: Sex = Sex.NOT_KNOWN
    nhs_number: str = Field("", max_length=14)
    nhs_number_absent_reason: str = Field("", max_length=500)
    upn: str = Field("", max_length=15)
    address: str = Field("", max_length=300)
    postcode: str = Field("", max_length=10)

    @field_validator("nhs_number")
    @classmethod
    def check_nhs_number(cls, value: str) -> str:
        return checked_nhs_number(value)

    @field_validator("upn")
    @classmethod
    def check_upn(cls, value: str) -> str:
        value = normalise_upn(value)
        if value and not is_valid_upn(value):
            raise ValueError("not a valid unique pupil number")
        return value

    @field_validator("postcode")
    @classmethod
    def check_postcode(cls, value: str) -> str:
        if value and not is_valid_postcode(value):
            raise ValueError("not a valid UK postcode")
        return normalise_postcode(value) if value else ""

    @field_validator("date_of_birth")
    @classmethod
    def check_date_of_birth(cls, value):
        if value and value > datetime.date.today():
            raise ValueError("date of birth is in the future")
        return value

    @model_validator(mode="after")
    def nhs_number_or_reason(self):
        if not self.nhs_number and not self.nhs_number_absent_reason.strip():
            raise ValueError("give nhs_number, or nhs_number_absent_reason saying why it is absent")
        return self


class SearchIn(Schema):
    name: str = Field("", max_length=100)
    date_of_birth: datetime.date | None = None
    nhs_number: str = Field("", max_length=14)
    upn: str = Field("", max_length=15)


@router.get("", response=list[PersonOut], summary="Search people of the key's organisation")
def search_people(request, filters: Query[SearchIn]):
    access.require(request.actor, access.VIEW)
    terms = Terms(**filters.dict())
    if terms.is_empty():
        raise HttpError(422, "Give at least one of name, date_of_birth, nhs_number, upn")
    found = list(search(access.visible_to(request.actor), terms)[:50])
    actions.do_record_search(acting=request.actor, terms=terms.as_dict(), results=len(found))
    return found


@router.get("/{int:person_id}", response=PersonOut, summary="Read one person")
def read_person(request, person_id: int):
    person = _person_or_404(request, person_id, access.VIEW)
    actions.do_record_view(acting=request.actor, person=person, what="api")
    return person


@router.post("", response={201: PersonOut}, summary="Add a person")
def create_person(request, payload: PersonIn):
    access.require(request.actor, access.CREATE)
    person = actions.do_create_person(acting=request.actor, data=payload.dict())
    return Status(201, person)


def _person_or_404(request, person_id, action):
    try:
        return access.get_person_for(request.actor, person_id, action)
    except Http404:
        raise HttpError(404, "Not found") from None
