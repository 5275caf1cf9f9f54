"""The child's household across organisations, for the single view.

Each organisation records its own relationships (a school knows the mother, social care the mother's
partner). One relative recorded by two organisations, whose records are linked to one Subject,
shows once with both organisations. Someone whose identity another organisation protects is shown
only as that: the viewer learns the person exists, never who they are.
"""

from dataclasses import dataclass, field

from jigsaw.people.models import INVERSE_LABEL, Person, RelationshipKind

PROTECTED = "A person whose identity is protected"
CARERS = frozenset({RelationshipKind.PARENT, RelationshipKind.CARER, RelationshipKind.PARTNER_OF_PARENT})


@dataclass
class Member:
    name: str
    own_record: Person | None  # the viewer's organisation's record, to link to
    relationships: list[str] = field(default_factory=list)
    lives_with: bool = False
    known_to: list[str] = field(default_factory=list)
    order: int = 0

    def add(self, relationship: str, lives_with: bool, organisation: str) -> None:
        if relationship not in self.relationships:
            self.relationships.append(relationship)
        if organisation not in self.known_to:
            self.known_to.append(organisation)
        self.lives_with = self.lives_with or lives_with


def _order(kind: str, outgoing: bool) -> int:
    if kind == RelationshipKind.SIBLING:
        return 0
    if kind in CARERS and outgoing:
        return 1
    return 2


def _relative_side(relationship, record_ids: set[int]):
    """(the relative, their subject, how they relate to the child, is the relationship outgoing)."""
    if relationship.person_id in record_ids:
        return relationship.relative, relationship.relative_subject, relationship.get_kind_display(), True
    return relationship.person, relationship.person_subject, INVERSE_LABEL[relationship.kind], False


def household_of(relationships, record_ids: set[int], viewer_organisation_id: int) -> list[Member]:
    members: dict[tuple, Member] = {}
    for relationship in relationships:
        if relationship.person_id in record_ids and relationship.relative_id in record_ids:
            continue  # two records of the child themselves
        relative, subject, label, outgoing = _relative_side(relationship, record_ids)
        key = ("subject", subject) if subject is not None else ("person", relative.pk)
        member = members.setdefault(key, Member(name="", own_record=None, order=_order(relationship.kind, outgoing)))
        member.order = min(member.order, _order(relationship.kind, outgoing))
        member.add(label, relationship.lives_with, relative.organisation.name)
        _name(member, relative, viewer_organisation_id)
    return sorted(members.values(), key=lambda m: (m.order, not m.lives_with, m.name == PROTECTED, m.name))


def _name(member: Member, relative: Person, viewer_organisation_id: int) -> None:
    """The viewer's own record names the person; otherwise any protection by another organisation wins."""
    if relative.organisation_id == viewer_organisation_id:
        member.own_record, member.name = relative, relative.full_name
    elif member.own_record is None and (relative.protected_identity or member.name == PROTECTED):
        member.name = PROTECTED
    elif member.own_record is None and not member.name:
        member.name = relative.full_name
