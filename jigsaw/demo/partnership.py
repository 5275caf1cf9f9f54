"""Westbridge Council and the fifteen organisations of its safeguarding partnership."""

from dataclasses import dataclass

from jigsaw.accounts.models import LocalAuthority, Organisation, OrganisationKind
from jigsaw.demo import DFE_NUMBER, GSS_CODE, SET_UP_AT

LA_NAME = "Westbridge Council"
OFFICE_HOURS_PHONE = "01632 960100"
EMERGENCY_DUTY_PHONE = "01632 960999"


class DemoConflict(Exception):
    """The database already holds something the demo would have to take over."""


@dataclass(frozen=True)
class OrgSpec:
    key: str
    name: str
    kind: str
    phone: str
    email: str
    urn: str = ""
    ods_code: str = ""
    independent: bool = False
    # Schools: the DfE establishment number (the 4 digits after the LA number in a UPN)
    # and the school years taught (0 is Reception).
    establishment: str = ""
    years: tuple[int, int] | None = None


K = OrganisationKind
ORGANISATIONS = (
    OrgSpec(
        "partnership",
        "Westbridge Safeguarding Children Partnership",
        K.PARTNERSHIP,
        "01632 960110",
        "partnership@partnership.example.org",
    ),
    OrgSpec(
        "csc",
        "Westbridge Children's Social Care",
        K.CHILDRENS_SOCIAL_CARE,
        OFFICE_HOURS_PHONE,
        "childrens.services@westbridge.example.org",
    ),
    OrgSpec("mash", "Westbridge MASH", K.MASH, "01632 960120", "mash@westbridge.example.org"),
    OrgSpec(
        "riverside",
        "Riverside School",
        K.SCHOOL,
        "01632 960201",
        "safeguarding@riverside.example.org",
        urn="990201",
        establishment="2001",
        years=(0, 6),
    ),
    OrgSpec(
        "hillside",
        "Hillside School",
        K.SCHOOL,
        "01632 960202",
        "safeguarding@hillside.example.org",
        urn="990202",
        establishment="2002",
        years=(0, 6),
    ),
    OrgSpec(
        "st-annes",
        "St Anne's Church of England Primary School",
        K.SCHOOL,
        "01632 960203",
        "safeguarding@stannes.example.org",
        urn="990203",
        establishment="3301",
        years=(0, 6),
    ),
    OrgSpec(
        "brookfield",
        "Brookfield Primary School",
        K.SCHOOL,
        "01632 960204",
        "safeguarding@brookfield.example.org",
        urn="990204",
        establishment="2003",
        years=(0, 6),
    ),
    OrgSpec(
        "academy",
        "Westbridge Academy",
        K.SCHOOL,
        "01632 960205",
        "safeguarding@westbridgeacademy.example.org",
        urn="990205",
        establishment="4001",
        years=(7, 13),
    ),
    OrgSpec(
        "oakfield",
        "Oakfield House School",
        K.SCHOOL,
        "01632 960206",
        "safeguarding@oakfieldhouse.example.org",
        urn="990206",
        establishment="6001",
        independent=True,
        years=(7, 13),
    ),
    OrgSpec(
        "nursery",
        "Little Acorns Nursery",
        K.NURSERY,
        "01632 960207",
        "safeguarding@littleacorns.example.org",
        urn="990207",
        independent=True,
    ),
    OrgSpec(
        "trust",
        "Westbridge Hospitals NHS Foundation Trust",
        K.NHS_TRUST,
        "01632 960300",
        "safeguarding@westbridgehospitals.example.org",
        ods_code="R9W",
    ),
    OrgSpec(
        "ed",
        "Westbridge General Hospital Emergency Department",
        K.NHS_UNSCHEDULED_CARE,
        "01632 960301",
        "ed.safeguarding@westbridgehospitals.example.org",
        ods_code="R9W01",
    ),
    OrgSpec(
        "gp",
        "Riverbank Surgery",
        K.GP_PRACTICE,
        "01632 960310",
        "safeguarding@riverbanksurgery.example.org",
        ods_code="W99901",
    ),
    OrgSpec(
        "police",
        "Westbridge Police",
        K.POLICE_FORCE,
        "01632 960400",
        "public.protection@westbridge-police.example.org",
    ),
    OrgSpec(
        "early-help",
        "Westbridge Early Help Service",
        K.EARLY_HELP,
        "01632 960130",
        "early.help@westbridge.example.org",
    ),
)
BY_KEY = {spec.key: spec for spec in ORGANISATIONS}
PRIMARIES = ("riverside", "hillside", "st-annes", "brookfield")
SECONDARIES = ("academy", "oakfield")


def ensure_local_authority() -> tuple[LocalAuthority, bool]:
    return LocalAuthority.objects.get_or_create(
        gss_code=GSS_CODE,
        defaults={
            "dfe_number": DFE_NUMBER,
            "name": LA_NAME,
            "office_hours_phone": OFFICE_HOURS_PHONE,
            "emergency_duty_phone": EMERGENCY_DUTY_PHONE,
        },
    )


def ensure_organisations(la: LocalAuthority) -> tuple[dict[str, Organisation], int]:
    """The demo organisations by key, creating any that are missing; and how many were."""
    existing = {org.name: org for org in Organisation.objects.filter(name__in=names())}
    strangers = sorted(name for name, org in existing.items() if org.local_authority_id != la.pk)
    if strangers:
        listed = ", ".join(strangers)
        raise DemoConflict(f"Cannot load the demo: these already exist outside {la.name}: {listed}")
    missing = [_organisation(spec, la) for spec in ORGANISATIONS if spec.name not in existing]
    for org in Organisation.objects.bulk_create(missing):
        existing[org.name] = org
    return {spec.key: existing[spec.name] for spec in ORGANISATIONS}, len(missing)


def names() -> list[str]:
    return [spec.name for spec in ORGANISATIONS]


def _organisation(spec: OrgSpec, la: LocalAuthority) -> Organisation:
    return Organisation(
        name=spec.name,
        kind=spec.kind,
        local_authority=la,
        urn=spec.urn,
        ods_code=spec.ods_code,
        independent=spec.independent,
        safeguarding_phone=spec.phone,
        safeguarding_email=spec.email,
        created_at=SET_UP_AT,
    )
