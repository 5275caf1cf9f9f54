"""Who holds whom, and how each organisation's record differs from the truth.

`plan()` is pure: the same families, records and relationships on every machine, in the
same order. `digest()` summarises it, so determinism can be tested without a database.
"""

import datetime
import hashlib
import json
import random
from dataclasses import asdict, dataclass
from functools import cache

from jigsaw.demo import REFERENCE_DATE, seeded
from jigsaw.demo import names as N
from jigsaw.demo.children import (
    RECEPTION_BORN_FROM,
    Family,
    Individual,
    Member,
    generate,
    school_year,
)
from jigsaw.demo.partnership import BY_KEY, ORGANISATIONS


@dataclass(frozen=True)
class Record:
    """One organisation's Person row for one real individual."""

    org: str
    individual: str
    given_name: str
    family_name: str
    other_names: str
    date_of_birth: datetime.date | None
    sex: str
    nhs_number: str
    nhs_number_absent_reason: str
    upn: str
    address: str
    postcode: str
    school: str
    protected_identity_reason: str
    created_at: datetime.datetime


@dataclass(frozen=True)
class Link:
    """`relative` is the `kind` of `person`, both as held by `org`."""

    org: str
    person: str
    relative: str
    kind: str
    lives_with: bool
    note: str = ""


@dataclass(frozen=True)
class Profile:
    """How carefully one kind of organisation records identity."""

    nickname: float = 0.03  # uses a nickname the child is not usually known by
    known_as: float = 0.5  # uses the name the child goes by, when they have one
    spelling: float = 0.02
    typo: float = 0.015
    dob_swap: float = 0.01
    stale_address: float = 0.2  # still has the old address after a move
    child_nhs_missing: float = 0.0
    adult_nhs_missing: float = 0.1
    adult_dob_known: float = 1.0
    school_known: float = 0.5
    upn_known: float = 0.0
    missing_reason: str = "Not known at first contact; tracing requested"


SCHOOL = Profile(
    nickname=0.02,
    known_as=0.8,
    stale_address=0.35,
    child_nhs_missing=0.12,
    adult_nhs_missing=1.0,
    adult_dob_known=0.35,
    school_known=0.8,
    upn_known=1.0,
    missing_reason="Not provided by the parent on admission",
)
PROFILES = {
    "school": SCHOOL,
    "nursery": Profile(**{**asdict(SCHOOL), "child_nhs_missing": 0.08, "upn_known": 0.0}),
    "gp_practice": Profile(
        nickname=0.0,
        known_as=0.05,
        spelling=0.01,
        typo=0.01,
        dob_swap=0.003,
        stale_address=0.15,
        adult_nhs_missing=0.0,
    ),
    "nhs_trust": Profile(nickname=0.01, known_as=0.1, dob_swap=0.005, child_nhs_missing=0.01, adult_nhs_missing=0.05),
    "nhs_unscheduled_care": Profile(
        nickname=0.05,
        known_as=0.5,
        spelling=0.04,
        typo=0.03,
        dob_swap=0.02,
        stale_address=0.25,
        child_nhs_missing=0.08,
        adult_nhs_missing=0.4,
        adult_dob_known=0.5,
        school_known=0.4,
        missing_reason="Not known at attendance; tracing requested through the Personal Demographics Service",
    ),
    "childrens_social_care": Profile(
        known_as=0.3,
        spelling=0.03,
        stale_address=0.1,
        child_nhs_missing=0.06,
        adult_nhs_missing=0.3,
        school_known=0.97,
        upn_known=0.7,
    ),
    "mash": Profile(
        nickname=0.05,
        known_as=0.6,
        spelling=0.04,
        typo=0.04,
        dob_swap=0.02,
        child_nhs_missing=0.15,
        adult_nhs_missing=0.5,
        adult_dob_known=0.8,
        school_known=0.9,
    ),
    "police_force": Profile(
        nickname=0.06,
        known_as=0.6,
        spelling=0.05,
        typo=0.03,
        dob_swap=0.02,
        stale_address=0.25,
        child_nhs_missing=0.45,
        adult_nhs_missing=0.6,
        school_known=0.7,
        missing_reason="Not recorded on police systems",
    ),
    "early_help": Profile(
        nickname=0.05,
        known_as=0.7,
        spelling=0.03,
        stale_address=0.15,
        child_nhs_missing=0.2,
        adult_nhs_missing=0.6,
        school_known=0.95,
        upn_known=0.3,
        missing_reason="Not provided by the family; consent to trace awaited",
    ),
}
NO_NHS_NUMBER_ISSUED = "No NHS number issued yet: the child is not registered with a GP"
ADULT_AT_SCHOOL_REASON = "Parent or carer contact: their NHS number is not held here"
FAMILY_AGENCIES = (("csc", 0.09), ("early-help", 0.06), ("mash", 0.04), ("police", 0.03))
THOMPSON_AGENCIES = ("riverside", "academy", "nursery", "gp", "csc", "police", "trust")
ORG_ORDER = {spec.key: index for index, spec in enumerate(ORGANISATIONS)}


@dataclass
class Plan:
    families: list[Family]
    records: list[Record]
    links: list[Link]

    def twins(self) -> list[tuple[str, str]]:
        return [pair for family in self.families for pair in family.twins]


@cache
def plan() -> Plan:
    families = generate()
    rng = seeded("records")
    records: list[Record] = []
    links: list[Link] = []
    for family in families:
        for org, members, since in holdings(family, rng):
            records += [record(org, person, since, family, rng) for person in members]
            links += family_links(org, family, members)
    return Plan(families, records, links)


def digest() -> str:
    """SHA-256 of everything the plan would load."""
    data = [asdict(r) for r in plan().records] + [asdict(link) for link in plan().links]
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def holdings(family: Family, rng: random.Random):
    """(organisation key, the family members it holds, when it first knew them), in order."""
    resident = family.children + [m.person for m in family.adults if m.lives_with]
    everyone = family.people
    held: dict[str, list[Individual]] = {}
    settings = [c.school for c in family.children if c.school]
    for school in settings:
        held[school] = everyone
    if family.key == "F0000":
        agencies = list(THOMPSON_AGENCIES)
    else:
        agencies = ["gp"] if rng.random() < 0.78 else []
        agencies += [key for key, chance in FAMILY_AGENCIES if rng.random() < chance]
    for key in agencies:
        if key == "gp":  # registered patients have NHS numbers
            held[key] = [person for person in resident if person.nhs_number]
        elif key in ("early-help", "mash"):
            held[key] = resident
        else:
            held[key] = everyone
    next_of_kin = [m.person for m in family.adults if m.lives_with and m.kind != "sibling"][:1]
    for key, chance in (("trust", 0.22), ("ed", 0.05)):
        patients = [c for c in family.children if _sees(key, c, chance, family, rng)]
        if patients:
            held[key] = patients + next_of_kin
    for key in sorted(held, key=ORG_ORDER.__getitem__):
        if held[key]:
            yield key, held[key], _first_contact(key, held[key], rng)


def _sees(key: str, child: Individual, chance: float, family: Family, rng: random.Random) -> bool:
    if family.key == "F0000":
        return key == "trust" and child.given_name == "Isla"  # health visiting
    if key == "trust" and child.date_of_birth > datetime.date(2024, 11, 1):
        chance = 0.6  # health visiting for the under-twos
    return rng.random() < chance


def _first_contact(org: str, members: list[Individual], rng: random.Random) -> datetime.datetime:
    spec = BY_KEY[org]
    pupils = [m for m in members if m.school == org]
    if spec.years is not None and pupils:
        day = min(_admitted(p, spec.years[0]) for p in pupils)
    else:
        born = max(m.date_of_birth for m in members if m.date_of_birth)
        start = max(born, datetime.date(2018, 1, 1))
        day = start + datetime.timedelta(days=rng.randrange(max(1, (REFERENCE_DATE - start).days)))
    moment = datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=datetime.UTC)
    return moment + datetime.timedelta(minutes=rng.randrange(8 * 60))


def _admitted(pupil: Individual, first_year: int) -> datetime.date:
    entry = RECEPTION_BORN_FROM + 5 - school_year(pupil.date_of_birth) + first_year
    return datetime.date(max(entry, 2015), 9, 4)


def record(org: str, person: Individual, since, family: Family, rng: random.Random) -> Record:
    kind = BY_KEY[org].kind
    profile = PROFILES[kind]
    fixed = family.key == "F0000"  # the known family is recorded cleanly everywhere
    given, other = _given_name(person, profile, rng, fixed)
    family_name = person.family_name
    if not fixed and rng.random() < profile.spelling:
        family_name = N.spelling(family_name, rng) or family_name
    if not fixed and rng.random() < profile.typo:
        if rng.random() < 0.5:
            given = N.typo(given, rng)
        else:
            family_name = N.typo(family_name, rng)
    address, postcode = person.address, person.postcode
    if person.previous_address and rng.random() < profile.stale_address:
        address, postcode = person.previous_address, person.previous_postcode
    nhs, reason = _nhs(person, org, profile, rng, fixed)
    return Record(
        org=org,
        individual=person.key,
        given_name=given,
        family_name=family_name,
        other_names=other or person.other_names,
        date_of_birth=_dob(person, profile, rng, fixed),
        sex=person.sex,
        nhs_number=nhs,
        nhs_number_absent_reason=reason,
        upn=_upn(person, org, profile, rng),
        address=address,
        postcode=postcode,
        school=_school(person, org, profile, rng),
        protected_identity_reason=person.protected_reason,
        created_at=since,
    )


def _given_name(person: Individual, profile: Profile, rng: random.Random, fixed: bool):
    """(given name as recorded, other names to note)."""
    if fixed:
        return person.given_name, ""
    if person.known_as and rng.random() < profile.known_as:
        noted = person.given_name if rng.random() < 0.5 else ""
        return person.known_as, noted
    if person.is_child and rng.random() < profile.nickname:
        short = N.nickname(person.given_name, rng)
        if short:
            return short, ""
    if person.known_as and rng.random() < 0.3:
        return person.given_name, f"Known as {person.known_as}"
    if rng.random() < profile.spelling:
        return N.spelling(person.given_name, rng) or person.given_name, ""
    return person.given_name, ""


def _dob(person: Individual, profile: Profile, rng: random.Random, fixed: bool):
    dob = person.date_of_birth
    if not person.is_child and rng.random() >= profile.adult_dob_known:
        return None
    if not fixed and dob.day <= 12 and dob.day != dob.month and rng.random() < profile.dob_swap:
        return dob.replace(month=dob.day, day=dob.month)
    return dob


def _nhs(person: Individual, org: str, profile: Profile, rng: random.Random, fixed: bool):
    if not person.nhs_number:
        return "", NO_NHS_NUMBER_ISSUED
    missing = profile.child_nhs_missing if person.is_child else profile.adult_nhs_missing
    if fixed and person.is_child and org != "police":
        missing = 0.0
    if rng.random() < missing:
        at_school = BY_KEY[org].years is not None or org == "nursery"
        reason = ADULT_AT_SCHOOL_REASON if at_school and not person.is_child else None
        return "", reason or profile.missing_reason
    return person.nhs_number, ""


def _upn(person: Individual, org: str, profile: Profile, rng: random.Random) -> str:
    if not person.upn:
        return ""
    if person.school == org:
        return person.upn
    known = profile.upn_known if BY_KEY[org].years is None else 0.0
    return person.upn if rng.random() < known else ""


def _school(person: Individual, org: str, profile: Profile, rng: random.Random) -> str:
    if not person.school or person.school == org:
        return person.school
    return person.school if rng.random() < profile.school_known else ""


def family_links(org: str, family: Family, members: list[Individual]) -> list[Link]:
    held = {person.key for person in members}
    children = [c for c in family.children if c.key in held]
    adults: list[Member] = [m for m in family.adults if m.person.key in held]
    links = []
    for index, child in enumerate(children):
        for member in adults:
            links.append(Link(org, child.key, member.person.key, member.kind, member.lives_with, member.note))
        for sibling in children[index + 1 :]:
            links.append(Link(org, child.key, sibling.key, "sibling", True))
    return links
