"""The fixed cast every test can use (DESIGN §8).

Alice is the DSL at Riverside School, Bob a member of staff there, Carol the DSL
at Hillside School (the outsider), Dan a social worker at Westbridge children's
social care, Erin the data protection officer (Riverside, and children's social
care), Pat the partnership administrator, and Nina a new member of staff at
Riverside who has not set up two-factor authentication yet.
"""

import datetime
import time
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, hotp_value

from jigsaw.accounts.models import LocalAuthority, Membership, Organisation, OrganisationKind, User
from jigsaw.accounts.roles import Role
from jigsaw.people.models import Person, Relationship, RelationshipKind, Sex

PASSWORD = "Riverside-test-password-1"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def current_totp(secret: str = TOTP_SECRET, offset: int = 0) -> str:
    from allauth.mfa import app_settings

    counter = int(time.time()) // app_settings.TOTP_PERIOD + offset
    return format(hotp_value(secret, counter), f"0{app_settings.TOTP_DIGITS}d")


@dataclass
class Cast:
    westbridge: LocalAuthority
    riverside: Organisation
    hillside: Organisation
    social_care: Organisation
    partnership: Organisation
    alice: User
    bob: User
    carol: User
    dan: User
    erin: User
    pat: User
    nina: User
    maya: Person
    sam: Person
    mum: Person
    leo: Person


def make_user(email: str, name: str, memberships, *, mfa: bool = True) -> User:
    user = User.objects.create_user(email=email, full_name=name, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    for organisation, role in memberships:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    if mfa:
        TOTP.activate(user, TOTP_SECRET)
    return user


def make_cast() -> Cast:
    westbridge = LocalAuthority.objects.create(
        gss_code="E06000999", dfe_number="998", name="Westbridge Council",
        office_hours_phone="01632 960000", emergency_duty_phone="01632 960999",
    )
    riverside = Organisation.objects.create(name="Riverside School", kind=OrganisationKind.SCHOOL,
                                            local_authority=westbridge, urn="100001")
    hillside = Organisation.objects.create(name="Hillside School", kind=OrganisationKind.SCHOOL,
                                           local_authority=westbridge, urn="100002")
    social_care = Organisation.objects.create(
        name="Westbridge Children's Social Care", kind=OrganisationKind.CHILDRENS_SOCIAL_CARE,
        local_authority=westbridge,
    )
    partnership = Organisation.objects.create(
        name="Westbridge Safeguarding Partnership", kind=OrganisationKind.PARTNERSHIP,
        local_authority=westbridge,
    )
    maya = Person.objects.create(
        organisation=riverside, given_name="Maya", family_name="Thompson",
        date_of_birth=datetime.date(2015, 3, 27), sex=Sex.FEMALE, nhs_number="9990001235",
        address="1 Mill Lane, Westbridge", postcode="PL4 8AA", school=riverside,
    )
    return Cast(
        westbridge=westbridge, riverside=riverside, hillside=hillside, social_care=social_care,
        partnership=partnership,
        alice=make_user("alice@riverside.test", "Alice Adeyemi", [(riverside, Role.DSL)]),
        bob=make_user("bob@riverside.test", "Bob Brown", [(riverside, Role.STAFF)]),
        carol=make_user("carol@hillside.test", "Carol Chen", [(hillside, Role.DSL)]),
        dan=make_user("dan@westbridge.test", "Dan Davies", [(social_care, Role.SOCIAL_WORKER)]),
        erin=make_user("erin@westbridge.test", "Erin Evans",
                       [(riverside, Role.DPO), (social_care, Role.DPO)]),
        pat=make_user("pat@partnership.test", "Pat Patel", [(partnership, Role.PARTNERSHIP_ADMIN)]),
        nina=make_user("nina@riverside.test", "Nina Novak", [(riverside, Role.STAFF)], mfa=False),
        maya=maya,
        sam=_person(riverside, "Sam", "Thompson", datetime.date(2012, 7, 1), maya, RelationshipKind.SIBLING),
        mum=_person(riverside, "Jo", "Thompson", datetime.date(1988, 1, 9), maya, RelationshipKind.PARENT),
        leo=Person.objects.create(
            organisation=hillside, given_name="Leo", family_name="Hill", date_of_birth=datetime.date(2014, 5, 5),
            nhs_number="", nhs_number_absent_reason="Not known at first contact", school=hillside,
        ),
    )


def _person(organisation, given, family, dob, child, kind) -> Person:
    person = Person.objects.create(
        organisation=organisation, given_name=given, family_name=family, date_of_birth=dob,
        nhs_number="", nhs_number_absent_reason="Not given", address="1 Mill Lane, Westbridge",
        postcode="PL4 8AA",
    )
    Relationship.objects.create(person=child, relative=person, kind=kind, lives_with=True)
    return person


def sign_in(client, user: User) -> None:
    """Sign in as if through the full password + TOTP journey (which tests/accounts covers)."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    now = time.time()
    session["account_authentication_methods_user"] = str(user.pk)
    session["account_authentication_methods"] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": Authenticator.Type.TOTP},
    ]
    session.save()
