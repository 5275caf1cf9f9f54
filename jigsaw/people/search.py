"""Searching people an actor may see: tolerant of case and accents."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from jigsaw.guidance.identifiers import normalise_nhs_number, normalise_upn


@dataclass
class Terms:
    name: str = ""
    date_of_birth: date | None = None
    nhs_number: str = ""
    upn: str = ""

    def is_empty(self) -> bool:
        return not (self.name or self.date_of_birth or self.nhs_number or self.upn)

    def as_dict(self) -> dict:
        return {
            key: value.isoformat() if isinstance(value, date) else value
            for key, value in vars(self).items()
            if value
        }


def search(people: QuerySet, terms: Terms) -> QuerySet:
    for word in terms.name.split()[:6]:
        people = people.filter(
            Q(given_name__unaccent__icontains=word)
            | Q(family_name__unaccent__icontains=word)
            | Q(other_names__unaccent__icontains=word)
        )
    if terms.date_of_birth:
        people = people.filter(date_of_birth=terms.date_of_birth)
    if terms.nhs_number:
        people = people.filter(nhs_number=normalise_nhs_number(terms.nhs_number))
    if terms.upn:
        people = people.filter(upn=normalise_upn(terms.upn))
    return people.order_by("family_name", "given_name", "date_of_birth")
