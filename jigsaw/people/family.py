"""A person's family and household, read from relationships in both directions."""

from dataclasses import dataclass

from jigsaw.people.access import relationships_of
from jigsaw.people.models import INVERSE_LABEL, Person


@dataclass
class Relative:
    person: Person
    label: str
    lives_with: bool
    note: str


def family_of(person: Person) -> list[Relative]:
    outgoing, incoming = relationships_of(person)
    relatives = [Relative(r.relative, r.get_kind_display(), r.lives_with, r.note) for r in outgoing]
    relatives += [Relative(r.person, INVERSE_LABEL[r.kind], r.lives_with, r.note) for r in incoming]
    return sorted(relatives, key=lambda r: (not r.lives_with, r.label, r.person.given_name))
