"""Two records side by side, field by field, with what the model made of each field (the review page).

The evidence is the model's, kept on the review when the pair was scored: each item names a field,
says in words how the two values compare and gives the match weight (positive points towards the
same child, negative away). A protected identity held by another organisation is withheld here as in
everything shared outside that organisation: its address, postcode and school, and what the model
found when comparing them, since "same address" would give the address away.
"""

from dataclasses import dataclass, field

from jigsaw.linkage.models import MatchReview, ReviewReason
from jigsaw.people.models import Person
from jigsaw.web.templatetags.govuk import govuk_date

WITHHELD = "Withheld: protected identity"
PROTECTED_FIELDS = frozenset({"address", "postcode", "school"})

AGREES, PARTLY, DISAGREES, NOT_COMPARED = "agrees", "partly", "disagrees", "not_compared"
VERDICT_TEXT = {
    AGREES: "Agrees",
    PARTLY: "Partly agrees",
    DISAGREES: "Disagrees",
    NOT_COMPARED: "Not compared: missing on one record",
}
# Older evidence (and the tests' hand-made reviews) may carry only a label, not the level's code.
CODE_FOR_LABEL = {"same": "exact", "exact match": "exact", "different": "different",
                  "missing on one record": "missing"}

REASON_TEXT = {
    ReviewReason.PROBABLE: "The linkage model thinks these may be the same child, but it is not sure enough to link "
                           "them without a person checking.",
    ReviewReason.NHS_CONFLICT: "Both records have the same NHS number, but other details are clearly different: one "
                               "NHS number may have been recorded wrongly.",
    ReviewReason.TWIN_LIKE: "The records share a family name and a home (address, postcode or school) but not a "
                            "first name, or one is a boy and the other a girl: they may be twins or siblings.",
    ReviewReason.TWIN_OF_MEMBER: "These records match closely, but a record already linked with the other one looks "
                                 "like a twin or sibling of this child. Linking them could merge two children: check "
                                 "which child this record is.",
    ReviewReason.SAME_ORGANISATION: "Both records are held by one organisation: they may be a duplicate, or two "
                                    "different children.",
    ReviewReason.WOULD_JOIN: "Linking these records would join two groups of records that are each linked already, "
                             "or one of the linked records clearly differs: check they are all the same child.",
    ReviewReason.CHANGED: "One of these records changed after they were linked and no longer matches the other well.",
    ReviewReason.SEPARATED: "A person separated these records.",
}


@dataclass(frozen=True)
class Evidence:
    label: str
    weight: float | None
    verdict: str

    @property
    def verdict_text(self) -> str:
        return VERDICT_TEXT[self.verdict]


@dataclass
class Row:
    title: str
    values: tuple[str, str]
    evidence: Evidence | None = None
    withheld: bool = False


@dataclass
class Comparison:
    records: tuple[Person, Person]
    rows: list[Row] = field(default_factory=list)


def verdict_of(item: dict) -> str:
    weight = item.get("match_weight")
    code = item.get("code") or CODE_FOR_LABEL.get(str(item.get("label", "")).strip().casefold())
    if code == "missing":
        return NOT_COMPARED
    if code == "exact":
        return AGREES
    if code == "different" or (code is None and weight is not None and weight < 0):
        return DISAGREES
    return PARTLY


def _evidence(item: dict | None) -> Evidence | None:
    if item is None:
        return None
    return Evidence(label=str(item.get("label", "")), weight=item.get("match_weight"), verdict=verdict_of(item))


def _is_withheld(person: Person, viewer_organisation_id: int) -> bool:
    return person.protected_identity and person.organisation_id != viewer_organisation_id


def _values(person: Person) -> dict[str, str]:
    return {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "other_names": person.other_names or "None recorded",
        "date_of_birth": govuk_date(person.date_of_birth) or "Not known",
        "sex": person.get_sex_display(),
        "nhs_number": person.nhs_number_display or "Not recorded",
        "address": person.address or "Not known",
        "postcode": person.postcode or "Not known",
        "school": person.school.name if person.school_id else "None recorded",
        "organisation": f"{person.organisation.name} ({person.organisation.get_kind_display()})",
        "created_at": govuk_date(person.created_at),
    }


ROWS = (
    ("given_name", "First name"),
    ("family_name", "Last name"),
    ("other_names", "Other names"),
    ("date_of_birth", "Date of birth"),
    ("sex", "Sex"),
    ("nhs_number", "NHS number"),
    ("address", "Address"),
    ("postcode", "Postcode"),
    ("school", "School"),
    ("organisation", "Organisation"),
    ("created_at", "Record created"),
)


def compare(review: MatchReview, viewer_organisation_id: int) -> Comparison:
    """The viewer's own record first, when they hold one of the two."""
    first, second = review.left, review.right
    if second.organisation_id == viewer_organisation_id and first.organisation_id != viewer_organisation_id:
        first, second = second, first
    evidence = {item.get("field"): item for item in review.evidence or [] if isinstance(item, dict)}
    values = (_values(first), _values(second))
    withheld = (_is_withheld(first, viewer_organisation_id), _is_withheld(second, viewer_organisation_id))
    comparison = Comparison(records=(first, second))
    for name, title in ROWS:
        item = evidence.pop(name, None)
        hidden = name in PROTECTED_FIELDS and any(withheld)
        shown = tuple(WITHHELD if hidden and withheld[side] else values[side][name] for side in (0, 1))
        comparison.rows.append(Row(title, shown, None if hidden else _evidence(item), hidden))
    for name, item in evidence.items():  # fields this page does not know: the model's word for them
        title = str(item.get("title") or name).replace("_", " ").capitalize()
        comparison.rows.append(Row(title, ("", ""), _evidence(item)))
    return comparison
