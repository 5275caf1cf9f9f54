"""`jigsaw demo`: the Westbridge demo partnership loads once, the same everywhere, and is usable.

The demo is loaded once for this module inside a transaction that is rolled back at the end.
"""

import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import validate_totp_code
from allauth.mfa.utils import decrypt
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse

from jigsaw.accounts.models import LocalAuthority, Membership, Organisation, OrganisationKind, User
from jigsaw.accounts.roles import Role
from jigsaw.audit import ledger
from jigsaw.audit.models import AccessEvent
from jigsaw.demo import DEMO_PASSWORD, GSS_CODE, KNOWN_RIVERSIDE_CHILD
from jigsaw.demo.cast import CAST
from jigsaw.demo.children import school_year
from jigsaw.demo.load import load_demo
from jigsaw.demo.mfa import NotADemoAccount, current_code, recovery_codes
from jigsaw.demo.partnership import BY_KEY, DemoConflict
from jigsaw.demo.people import known_riverside_child
from jigsaw.demo.records import digest, plan
from jigsaw.guidance.identifiers import is_valid_nhs_number, is_valid_postcode, is_valid_upn
from jigsaw.people.models import Person, Relationship, RelationshipKind
from tests.database import delete_people

pytestmark = pytest.mark.django_db
MODELS = (
    LocalAuthority,
    Organisation,
    User,
    Membership,
    EmailAddress,
    Authenticator,
    Person,
    Relationship,
    AccessEvent,
)


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        summary = load_demo()
        yield summary
        transaction.set_rollback(True)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def children():
    return Person.objects.filter(date_of_birth__gt="2008-11-01")


# Loading


def test_it_loads_the_partnership_on_the_first_run(demo):
    assert demo.first_load
    la = LocalAuthority.objects.get(gss_code=GSS_CODE)
    assert (la.dfe_number, la.name) == ("999", "Westbridge Council")
    assert la.office_hours_phone.startswith("01632 960")
    assert la.emergency_duty_phone.startswith("01632 960")
    assert demo.users == 40
    assert demo.people > 9000


def test_it_has_every_kind_of_organisation_the_partnership_needs():
    orgs = Organisation.objects.filter(local_authority__gss_code=GSS_CODE)
    kinds = Counter(orgs.values_list("kind", flat=True))
    assert kinds[OrganisationKind.SCHOOL] == 6
    for kind in (
        OrganisationKind.PARTNERSHIP,
        OrganisationKind.CHILDRENS_SOCIAL_CARE,
        OrganisationKind.MASH,
        OrganisationKind.NURSERY,
        OrganisationKind.NHS_TRUST,
        OrganisationKind.NHS_UNSCHEDULED_CARE,
        OrganisationKind.GP_PRACTICE,
        OrganisationKind.POLICE_FORCE,
        OrganisationKind.EARLY_HELP,
    ):
        assert kinds[kind] == 1, kind
    names = set(orgs.values_list("name", flat=True))
    assert {"Riverside School", "Hillside School"} <= names
    for org in orgs:
        assert org.safeguarding_phone.startswith("01632 960"), org
        assert org.safeguarding_email.endswith("example.org"), org
        if org.kind == OrganisationKind.SCHOOL:
            assert re.fullmatch(r"\d{6}", org.urn), org
        if org.kind in (
            OrganisationKind.NHS_TRUST,
            OrganisationKind.NHS_UNSCHEDULED_CARE,
            OrganisationKind.GP_PRACTICE,
        ):
            assert org.ods_code, org


def test_a_second_run_changes_nothing():
    before = counts()
    summary = load_demo()
    assert not summary.first_load
    assert not summary.added_anything
    assert counts() == before


def test_the_load_is_recorded_once_in_an_intact_ledger():
    load_demo()
    events = AccessEvent.objects.filter(actor_label="jigsaw demo")
    assert events.count() == 1
    event = events.get()
    assert event.action == "create"
    assert event.detail["plan_digest"] == digest()
    assert ledger.verify().ok


def test_it_only_adds_what_is_missing():
    Authenticator.objects.filter(user__email="bob@riverside.example.org").delete()
    delete_people(Person.objects.filter(organisation__name="Westbridge Police"))
    summary = load_demo()
    assert summary.authenticators == 2
    assert summary.people == sum(1 for r in plan().records if r.org == "police")
    assert (summary.users, summary.memberships, summary.organisations) == (0, 0, 0)


def test_it_refuses_to_take_over_an_organisation_of_another_authority():
    other = LocalAuthority.objects.create(
        gss_code="E06000098",
        dfe_number="998",
        name="Elsewhere Council",
        office_hours_phone="01632 960000",
        emergency_duty_phone="01632 960001",
    )
    Organisation.objects.filter(name="Hillside School").update(local_authority=other)
    with pytest.raises(DemoConflict, match="exist outside Westbridge Council: Hillside School"):
        load_demo()


# Determinism


def test_the_plan_is_the_same_in_fresh_processes():
    program = "import django; django.setup(); from jigsaw.demo.records import digest; print(digest())"
    for hash_seed in ("1", "2"):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "jigsaw.settings", "PYTHONHASHSEED": hash_seed}
        result = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True, check=True)
        assert result.stdout.strip() == digest()


def test_the_database_holds_exactly_the_plan():
    planned = Counter(
        (BY_KEY[r.org].name, r.given_name, r.family_name, r.date_of_birth, r.nhs_number) for r in plan().records
    )
    loaded = Counter(
        Person.objects.values_list("organisation__name", "given_name", "family_name", "date_of_birth", "nhs_number")
    )
    assert loaded == planned
    assert Relationship.objects.count() == len(plan().links)


# Identifiers


def test_every_nhs_number_is_valid_and_from_the_test_range():
    numbers = Person.objects.exclude(nhs_number="").values_list("nhs_number", flat=True)
    assert len(numbers) > 5000
    for number in numbers:
        assert number.startswith("999") and is_valid_nhs_number(number), number


def test_every_missing_nhs_number_has_a_reason():
    assert Person.objects.filter(nhs_number="").count() > 500
    assert not Person.objects.filter(nhs_number="", nhs_number_absent_reason="").exists()


def test_every_upn_is_valid_and_carries_the_demo_la_number():
    upns = Person.objects.exclude(upn="").values_list("upn", flat=True)
    assert len(upns) > 1000
    for upn in upns:
        assert len(upn) == 13 and upn[1:4] == "999" and is_valid_upn(upn), upn


def test_every_postcode_is_valid():
    for postcode in Person.objects.values_list("postcode", flat=True).distinct():
        assert is_valid_postcode(postcode), postcode


# Children, families and households


def test_there_are_about_two_thousand_children():
    truth = [child for family in plan().families for child in family.children]
    assert len(truth) == 2000


def test_riverside_holds_a_good_number_of_its_own_pupils():
    riverside = Organisation.objects.get(name="Riverside School")
    pupils = Person.objects.filter(organisation=riverside, school=riverside)
    assert pupils.count() > 200
    for dob in pupils.values_list("date_of_birth", flat=True):
        assert -1 <= school_year(dob) <= 7  # a transposed day and month can cross a year


def test_the_known_riverside_child_has_a_household_and_siblings_at_other_schools():
    maya = known_riverside_child()
    assert (maya.given_name, maya.family_name, maya.date_of_birth) == KNOWN_RIVERSIDE_CHILD
    assert maya.nhs_number and maya.upn and maya.school == maya.organisation
    ties = Relationship.objects.filter(person=maya).select_related("relative__school")
    household = [t for t in ties if t.lives_with]
    assert len(household) >= 4
    siblings = [t.relative for t in ties if t.kind == RelationshipKind.SIBLING]
    assert {s.school.name for s in siblings} == {"Westbridge Academy", "Little Acorns Nursery"}
    holders = Person.objects.filter(nhs_number=maya.nhs_number).values_list("organisation__name", flat=True)
    assert len(set(holders)) >= 5


def test_children_are_held_by_several_organisations():
    held_by = defaultdict(set)
    for nhs, org in children().exclude(nhs_number="").values_list("nhs_number", "organisation"):
        held_by[nhs].add(org)
    assert sum(1 for orgs in held_by.values() if len(orgs) >= 3) > 500


def test_twins_are_siblings_with_the_same_surname_birthday_and_address():
    assert len(plan().twins()) >= 10
    groups = defaultdict(set)
    rows = children().values_list("organisation", "family_name", "date_of_birth", "address", "given_name")
    for org, family, dob, address, given in rows:
        groups[(org, family, dob, address)].add(given)
    assert sum(1 for given in groups.values() if len(given) >= 2) >= 10


def test_records_differ_the_way_real_records_do():
    records = plan().records
    truth = {p.key: p for f in plan().families for p in f.people}
    differences = Counter()
    for r in records:
        real = truth[r.individual]
        differences["given name"] += r.given_name != real.given_name
        differences["family name"] += r.family_name != real.family_name
        differences["date of birth"] += r.date_of_birth not in (None, real.date_of_birth)
        differences["address"] += r.postcode != real.postcode
        differences["other names"] += bool(r.other_names)
    for kind, count in differences.items():
        assert count >= 20, kind


def test_a_handful_of_identities_are_protected_with_reasons():
    protected = Person.objects.filter(protected_identity=True)
    assert protected.count() >= 6
    assert not protected.filter(protected_identity_reason="").exists()


# The cast and signing in


@pytest.mark.parametrize(
    ("email", "organisation", "role"),
    [
        ("alice@riverside.example.org", "Riverside School", Role.DSL),
        ("bob@riverside.example.org", "Riverside School", Role.STAFF),
        ("carol@hillside.example.org", "Hillside School", Role.DSL),
        ("dan@westbridge.example.org", "Westbridge Children's Social Care", Role.SOCIAL_WORKER),
        ("erin@westbridge.example.org", "Riverside School", Role.DPO),
        ("erin@westbridge.example.org", "Westbridge Children's Social Care", Role.DPO),
        ("admin@partnership.example.org", "Westbridge Safeguarding Children Partnership", Role.PARTNERSHIP_ADMIN),
    ],
)
def test_the_cast_has_the_right_roles(email, organisation, role):
    assert Membership.objects.filter(
        user__email=email, organisation__name=organisation, role=role, ended_at__isnull=True
    ).exists()


def test_every_role_is_held_by_someone():
    held = set(Membership.objects.values_list("role", flat=True))
    assert held == set(Role.values)


def test_every_demo_account_can_sign_in_with_two_factors():
    users = User.objects.filter(email__in=[a.email for a in CAST])
    assert users.count() == len(CAST) == 40
    for user in users:
        assert EmailAddress.objects.filter(user=user, email=user.email, verified=True, primary=True).exists()
        types = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
        assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    alice = users.get(email="alice@riverside.example.org")
    assert check_password(DEMO_PASSWORD, alice.password)
    assert alice.password.startswith("argon2")


def test_current_code_is_what_allauth_accepts():
    for email in ("alice@riverside.example.org", "erin@westbridge.example.org"):
        totp = Authenticator.objects.get(user__email=email, type=Authenticator.Type.TOTP)
        code = current_code(email)
        assert re.fullmatch(r"\d{6}", code)
        assert validate_totp_code(decrypt(totp.data["secret"]), code)
        assert totp.wrap().validate_code(code)


def test_a_demo_account_signs_in_with_the_password_and_the_current_code(client):
    email = "dan@westbridge.example.org"
    response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(email)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email=email).pk)


def test_the_recovery_codes_are_known_too():
    codes = Authenticator.objects.get(
        user__email="bob@riverside.example.org", type=Authenticator.Type.RECOVERY_CODES
    ).wrap()
    assert codes.validate_code(recovery_codes("bob@riverside.example.org")[0])


def test_current_code_refuses_other_addresses():
    with pytest.raises(NotADemoAccount):
        current_code("alice@riverside.test")


# The command


def test_sign_ins_lists_the_accounts_and_the_password():
    out = StringIO()
    call_command("demo", "sign-ins", stdout=out)
    text = out.getvalue()
    assert "alice@riverside.example.org" in text and "Designated safeguarding lead" in text
    assert DEMO_PASSWORD in text
    assert "jigsaw demo code EMAIL" in text


def test_code_prints_the_current_code():
    out = StringIO()
    call_command("demo", "code", "Alice@Riverside.example.org", stdout=out)
    assert out.getvalue().strip() == current_code("alice@riverside.example.org")


@pytest.mark.parametrize("email", ["nobody@example.org", "alice@riverside.test"])
def test_code_refuses_an_address_that_is_not_a_demo_account(email):
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("demo", "code", email)


def test_the_command_reports_that_nothing_was_missing():
    out = StringIO()
    call_command("demo", stdout=out)
    assert "nothing was missing" in out.getvalue()
