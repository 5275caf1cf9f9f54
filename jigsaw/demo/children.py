"""The people of Westbridge as they really are: children, their families and households.

Pure functions of fixed seeds (no database). `records.py` then decides which organisations
hold whom, and how each one's record differs from the truth.
"""

import datetime
import random
from dataclasses import dataclass, field

from jigsaw.demo import DFE_NUMBER, REFERENCE_DATE, seeded
from jigsaw.demo import names as N
from jigsaw.demo.partnership import BY_KEY, PRIMARIES, SECONDARIES
from jigsaw.guidance.identifiers import nhs_check_digit, upn_check_letter

TARGET_CHILDREN = 2000
OLDEST_CHILD = datetime.date(2008, 11, 2)  # 17 on the reference date
YOUNGEST_CHILD = datetime.date(2026, 10, 1)
RECEPTION_BORN_FROM = 2021  # born Sept 2021 to Aug 2022: Reception in 2026/27
PROTECTED_REASONS = (
    "Family moved to a refuge after domestic abuse; address and school must not be disclosed",
    "Subject to a non-molestation order: the respondent is trying to find the family",
    "Adopted: the birth family must not learn the child's name, address or school",
    "Police witness-protection arrangement",
)


@dataclass
class Individual:
    key: str
    given_name: str
    family_name: str
    sex: str
    date_of_birth: datetime.date
    nhs_number: str
    address: str
    postcode: str
    is_child: bool
    previous_address: str = ""
    previous_postcode: str = ""
    known_as: str = ""  # a nickname used day to day (children)
    other_names: str = ""  # a previous name (adults)
    upn: str = ""
    school: str = ""  # organisation key of the current school or nursery
    protected_reason: str = ""


@dataclass
class Member:
    """An adult tied to the family's children: `kind` is what they are to each child."""

    person: Individual
    kind: str
    lives_with: bool
    note: str = ""


@dataclass
class Family:
    key: str
    children: list[Individual]
    adults: list[Member] = field(default_factory=list)
    twins: list[tuple[str, str]] = field(default_factory=list)

    @property
    def people(self) -> list[Individual]:
        return self.children + [m.person for m in self.adults]


def school_year(dob: datetime.date) -> int:
    """The national curriculum year on the reference date (0 is Reception, negative: pre-school)."""
    born_in_school_year = dob.year if dob.month >= 9 else dob.year - 1
    return RECEPTION_BORN_FROM - born_in_school_year


def age_on_reference_date(dob: datetime.date) -> int:
    day = REFERENCE_DATE
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class Town:
    """Hands out unique addresses, NHS numbers and UPNs, all from one random stream."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used_addresses: set[str] = set()
        self.used_nhs: set[str] = set()
        self.upn_serials: dict[tuple[str, str], int] = {}
        self.postcodes = self._postcodes()

    def _postcodes(self) -> dict[tuple[str, int], str]:
        codes = {}
        for street in N.STREETS:
            district = self.rng.randint(1, 8)
            sector = self.rng.randint(1, 9)
            for block in range(3):
                unit = "".join(self.rng.choice(N.INWARD_LETTERS) for _ in range(2))
                codes[(street, block)] = f"WB{district} {sector}{unit}"
        return codes

    def address(self) -> tuple[str, str]:
        while True:
            street = self.rng.choice(N.STREETS)
            number = self.rng.randint(1, 90)
            line = f"Flat {number}, {street}" if street in N.BLOCKS else f"{number} {street}"
            line += ", Westbridge"
            if line not in self.used_addresses:
                self.used_addresses.add(line)
                return line, self.postcodes[(street, number // 31)]

    def claim_address(self, line: str, postcode: str) -> tuple[str, str]:
        self.used_addresses.add(line)
        return line, postcode

    def nhs_number(self) -> str:
        while True:
            first_nine = f"999{self.rng.randrange(10**6):06d}"
            check = nhs_check_digit(first_nine)
            number = f"{first_nine}{check}"
            if check is not None and number not in self.used_nhs:
                self.used_nhs.add(number)
                return number

    def claim_nhs_number(self, number: str) -> str:
        self.used_nhs.add(number)
        return number

    def upn(self, school: str, entry_year: int) -> str:
        establishment = BY_KEY[school].establishment
        year = f"{entry_year % 100:02d}"
        serial = self.upn_serials.get((establishment, year), 0) + 1
        self.upn_serials[(establishment, year)] = serial
        last_twelve = f"{DFE_NUMBER}{establishment}{year}{serial:03d}"
        return upn_check_letter(last_twelve) + last_twelve

    def date_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randrange((end - start).days + 1))


def generate() -> list[Family]:
    """Every family of the demo, the fixed Thompson family first."""
    town = Town(seeded("families"))
    families = [thompson_family(town)]
    count = len(families[0].children)
    while count < TARGET_CHILDREN:
        family = random_family(town, f"F{len(families):04d}", TARGET_CHILDREN - count)
        families.append(family)
        count += len(family.children)
    protect_a_few(families, seeded("protected"))
    return families


def thompson_family(town: Town) -> Family:
    """The known Riverside child's family (see jigsaw.demo's docstring). Never randomised."""
    home = town.claim_address("14 Willow Crescent, Westbridge", "WB2 4HT")
    away = town.claim_address("3 Ferry Lane, Westbridge", "WB5 2RA")

    def person(key, given, family, sex, dob, nhs, where=home, child=True, **extra):
        return Individual(
            key,
            given,
            family,
            sex,
            dob,
            town.claim_nhs_number(nhs),
            *where,
            is_child=child,
            **extra,
        )

    maya = person(
        "F0000-C1",
        "Maya",
        "Thompson",
        "female",
        datetime.date(2017, 3, 14),
        "9990001006",
        school="riverside",
    )
    leo = person(
        "F0000-C2",
        "Leo",
        "Thompson",
        "male",
        datetime.date(2012, 6, 2),
        "9990001014",
        school="academy",
    )
    isla = person(
        "F0000-C3",
        "Isla",
        "Thompson",
        "female",
        datetime.date(2023, 5, 20),
        "9990001022",
        school="nursery",
    )
    maya.upn = town.upn("riverside", 2021)
    leo.upn = town.upn("riverside", 2016)
    sarah = person(
        "F0000-A1",
        "Sarah",
        "Thompson",
        "female",
        datetime.date(1989, 8, 9),
        "9990001030",
        child=False,
        other_names="Sarah Kelly",
    )
    craig = person("F0000-A2", "Craig", "Wilson", "male", datetime.date(1986, 1, 23), "9990001049", child=False)
    mark = person(
        "F0000-A3",
        "Mark",
        "Thompson",
        "male",
        datetime.date(1987, 11, 30),
        "9990001057",
        where=away,
        child=False,
    )
    return Family(
        "F0000",
        [maya, leo, isla],
        [
            Member(sarah, "parent", True),
            Member(craig, "partner_of_parent", True),
            Member(
                mark,
                "parent",
                False,
                "Does not live with the children; has parental responsibility",
            ),
        ],
    )


def random_family(town: Town, key: str, room: int) -> Family:
    rng = town.rng
    surname = rng.choice(N.SURNAMES)
    home = town.address()
    moved = town.address() if rng.random() < 0.12 else ("", "")
    wanted = min(room, rng.choices((1, 2, 3, 4, 5), weights=(40, 35, 17, 6, 2))[0])
    primary = rng.choices(PRIMARIES, weights=(36, 24, 20, 20))[0]
    secondary = rng.choices(SECONDARIES, weights=(80, 20))[0]
    dobs = _birth_dates(town, wanted)
    family = Family(key, [])
    for dob in dobs:
        sex = rng.choice(("female", "male"))
        taken = {c.given_name for c in family.children}
        given = rng.choice([n for n in (N.GIRLS if sex == "female" else N.BOYS) if n not in taken])
        child = Individual(
            f"{key}-C{len(family.children) + 1}",
            given,
            N.family_name_for(surname, sex),
            sex,
            dob,
            town.nhs_number() if rng.random() > 0.005 else "",
            *home,
            is_child=True,
            previous_address=moved[0],
            previous_postcode=moved[1],
        )
        if N.NICKNAMES.get(given) and rng.random() < 0.3:
            child.known_as = N.nickname(given, rng) or ""
        _place_in_school(town, child, primary, secondary)
        family.children.append(child)
    family.twins = [
        (a.key, b.key)
        for a, b in zip(family.children, family.children[1:], strict=False)
        if a.date_of_birth == b.date_of_birth
    ]
    _add_adults(town, family, surname, home, moved)
    return family


def _birth_dates(town: Town, wanted: int) -> list[datetime.date]:
    rng = town.rng
    spread = datetime.timedelta(days=600 * (wanted - 1))
    dob = town.date_between(OLDEST_CHILD, YOUNGEST_CHILD - spread)
    dobs = [dob]
    while len(dobs) < wanted:
        if rng.random() < 0.025:
            dobs.append(dobs[-1])  # twins
            continue
        dob = dobs[-1] + datetime.timedelta(days=rng.randint(400, 2200))
        if dob > YOUNGEST_CHILD:
            break
        dobs.append(dob)
    return dobs


def _place_in_school(town: Town, child: Individual, primary: str, secondary: str) -> None:
    rng = town.rng
    year = school_year(child.date_of_birth)
    if year < 0:
        if age_on_reference_date(child.date_of_birth) >= 2 and rng.random() < 0.55:
            child.school = "nursery"
        return
    own_primary = rng.choice(PRIMARIES) if rng.random() < 0.08 else primary
    child.upn = town.upn(own_primary, RECEPTION_BORN_FROM + 5 - year)
    if rng.random() < 0.01:
        return  # electively home educated
    if year <= 6:
        child.school = own_primary
    elif year <= 11 or rng.random() < 0.65:
        child.school = secondary  # otherwise at a further-education college outside the demo


def _add_adults(town: Town, family: Family, surname: str, home, moved) -> None:
    rng = town.rng
    eldest = family.children[0].date_of_birth
    mother_dob = eldest - _days(rng.randint(18 * 366, 40 * 365))
    father_dob = mother_dob + _days(rng.randint(-2500, 400))
    shape = rng.choices(
        ("two parents", "mother", "father", "mother and partner", "kinship"),
        weights=(52, 30, 5, 10, 3),
    )[0]

    def adult(sex, dob, family_name=None, where=home, previous=moved, **extra):
        given = rng.choice(N.WOMEN if sex == "female" else N.MEN)
        name = family_name or N.family_name_for(surname, sex)
        return Individual(
            f"{family.key}-A{len(family.adults) + 1}",
            given,
            name,
            sex,
            dob,
            town.nhs_number(),
            *where,
            is_child=False,
            previous_address=previous[0],
            previous_postcode=previous[1],
            **extra,
        )

    def own_surname():
        return rng.choice(N.SURNAMES)

    def add(person, kind, lives_with, note=""):
        family.adults.append(Member(person, kind, lives_with, note))

    elsewhere = ("", "")
    if shape in ("two parents", "mother", "mother and partner"):
        maiden = own_surname()
        keeps_name = shape == "two parents" and rng.random() < 0.7
        mother = adult("female", mother_dob, None if keeps_name else maiden)
        if keeps_name and maiden != surname:
            mother.other_names = f"{mother.given_name} {maiden}"
        add(mother, "parent", True)
    if shape in ("two parents", "father"):
        add(adult("male", father_dob), "parent", True)
    if shape == "mother and partner":
        partner_dob = mother_dob + _days(rng.randint(-3000, 1500))
        add(adult("male", partner_dob, own_surname()), "partner_of_parent", True)
    if shape in ("mother", "mother and partner") and rng.random() < 0.6:
        father = adult("male", father_dob, where=town.address(), previous=elsewhere)
        add(father, "parent", False, "Does not live with the children; has parental responsibility")
    if shape == "kinship":
        nan_dob = mother_dob - _days(rng.randint(19 * 366, 30 * 365))
        note = "Grandmother; special guardianship order"
        add(adult("female", nan_dob), "carer", True, note)
        if rng.random() < 0.5:
            mother = adult("female", mother_dob, where=town.address(), previous=elsewhere)
            add(mother, "parent", False, "Supervised contact only")
    earliest = max(datetime.date(2003, 1, 1), mother_dob + _days(17 * 366))
    latest = min(OLDEST_CHILD - _days(400), eldest - _days(300))
    if earliest < latest and rng.random() < 0.06:
        big = adult(rng.choice(("female", "male")), town.date_between(earliest, latest))
        add(big, "sibling", True, "Older sibling living at home")


def _days(count: int) -> datetime.timedelta:
    return datetime.timedelta(days=count)


def protect_a_few(families: list[Family], rng: random.Random) -> None:
    """A handful of protected identities (golden rule 5): the children and their carers."""
    chosen = rng.sample(range(1, len(families)), 6)
    for index in sorted(chosen):
        reason = rng.choice(PROTECTED_REASONS)
        family = families[index]
        for child in family.children:
            child.protected_reason = reason
        for member in family.adults:
            if member.lives_with:
                member.person.protected_reason = reason
