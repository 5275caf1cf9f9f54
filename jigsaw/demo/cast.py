"""The people who use Jigsaw in the demo: every role, in every kind of organisation."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from jigsaw.accounts.models import Membership, Organisation, User
from jigsaw.accounts.roles import Role
from jigsaw.demo import DEMO_PASSWORD, SET_UP_AT


@dataclass(frozen=True)
class Account:
    email: str
    full_name: str
    memberships: tuple[tuple[str, str], ...]  # (organisation key, role)


R = Role
CAST = (
    Account("admin@partnership.example.org", "Priya Shah", (("partnership", R.PARTNERSHIP_ADMIN),)),
    Account("alice@riverside.example.org", "Alice Adeyemi", (("riverside", R.DSL),)),
    Account("bob@riverside.example.org", "Bob Fletcher", (("riverside", R.STAFF),)),
    Account("carol@hillside.example.org", "Carol Hughes", (("hillside", R.DSL),)),
    Account("dan@westbridge.example.org", "Dan Mensah", (("csc", R.SOCIAL_WORKER),)),
    Account("erin@westbridge.example.org", "Erin Walsh", (("riverside", R.DPO), ("csc", R.DPO))),
    Account("frank@riverside.example.org", "Frank Osei", (("riverside", R.DEPUTY_DSL),)),
    Account("grace@riverside.example.org", "Grace Lin", (("riverside", R.STAFF),)),
    Account("will@riverside.example.org", "William Hart", (("riverside", R.STAFF),)),
    Account("hassan@hillside.example.org", "Hassan Malik", (("hillside", R.DEPUTY_DSL),)),
    Account("ivy@hillside.example.org", "Ivy Nolan", (("hillside", R.STAFF),)),
    Account("jo@stannes.example.org", "Joanne Price", (("st-annes", R.DSL),)),
    Account("kieran@stannes.example.org", "Kieran Walsh", (("st-annes", R.STAFF),)),
    Account("leila@brookfield.example.org", "Leila Rahman", (("brookfield", R.DSL),)),
    Account("marcus@brookfield.example.org", "Marcus Bell", (("brookfield", R.STAFF),)),
    Account("nadia@westbridgeacademy.example.org", "Nadia Kowalczyk", (("academy", R.DSL),)),
    Account("owen@westbridgeacademy.example.org", "Owen Pritchard", (("academy", R.DEPUTY_DSL),)),
    Account("paula@westbridgeacademy.example.org", "Paula Greene", (("academy", R.STAFF),)),
    Account("quentin@oakfieldhouse.example.org", "Quentin Ashby", (("oakfield", R.DSL),)),
    Account("rosa@oakfieldhouse.example.org", "Rosa Martins", (("oakfield", R.STAFF),)),
    Account("sana@littleacorns.example.org", "Sana Iqbal", (("nursery", R.DSL),)),
    Account("toby@littleacorns.example.org", "Toby Reid", (("nursery", R.STAFF),)),
    Account("fiona@westbridge.example.org", "Fiona Grant", (("csc", R.TEAM_MANAGER),)),
    Account("gareth@westbridge.example.org", "Gareth Lloyd", (("csc", R.SOCIAL_WORKER),)),
    Account("wendy@westbridge.example.org", "Wendy Ford", (("csc", R.CALDICOTT_GUARDIAN),)),
    Account("helen@westbridge.example.org", "Helen Carter", (("mash", R.MASH_OFFICER),)),
    Account("imran@westbridge.example.org", "Imran Hussain", (("mash", R.TEAM_MANAGER),)),
    Account("jasmine@westbridge.example.org", "Jasmine Okoro", (("early-help", R.TEAM_MANAGER),)),
    Account("kyle@westbridge.example.org", "Kyle Bennett", (("early-help", R.STAFF),)),
    Account(
        "lorna@westbridgehospitals.example.org",
        "Lorna Fraser",
        (("trust", R.CALDICOTT_GUARDIAN), ("ed", R.CALDICOTT_GUARDIAN)),
    ),
    Account("martin@westbridgehospitals.example.org", "Martin Doyle", (("trust", R.DPO),)),
    Account("nkechi@westbridgehospitals.example.org", "Nkechi Eze", (("trust", R.DSL),)),
    Account("omar@westbridgehospitals.example.org", "Omar Farouk", (("ed", R.CLINICIAN),)),
    Account("penny@westbridgehospitals.example.org", "Penny Shaw", (("ed", R.CLINICIAN),)),
    Account("rachel@riverbanksurgery.example.org", "Rachel Stone", (("gp", R.CLINICIAN),)),
    Account("samir@riverbanksurgery.example.org", "Samir Patel", (("gp", R.DSL),)),
    Account("tom@westbridge-police.example.org", "Tom Harding", (("police", R.POLICE_OFFICER),)),
    Account(
        "uma@westbridge-police.example.org",
        "Uma Sharma",
        (("police", R.POLICE_OFFICER), ("mash", R.MASH_OFFICER)),
    ),
    Account("victor@westbridge-police.example.org", "Victor Lane", (("police", R.DPO),)),
    Account("yusuf@westbridge.example.org", "Yusuf Ahmed", (("csc", R.SOCIAL_WORKER),)),
)
EMAILS = frozenset(account.email for account in CAST)


def is_demo_email(email: str) -> bool:
    return (email or "").strip().lower() in EMAILS


def ensure_users() -> tuple[dict[str, User], int]:
    """The demo users by e-mail, creating any that are missing. Existing ones are left alone."""
    users = {user.email: user for user in User.objects.filter(email__in=EMAILS)}
    missing = [account for account in CAST if account.email not in users]
    if missing:
        password = make_password(DEMO_PASSWORD)  # hashed once: Argon2 is slow on purpose
        created = User.objects.bulk_create(
            User(email=a.email, full_name=a.full_name, password=password, date_joined=SET_UP_AT) for a in missing
        )
        users.update((user.email, user) for user in created)
    return users, len(missing)


def ensure_memberships(users: dict[str, User], orgs: dict[str, Organisation]) -> int:
    """Add each demo membership the user has never had (an ended one is not revived)."""
    had = set(Membership.objects.filter(user__in=users.values()).values_list("user_id", "organisation_id"))
    missing = [
        Membership(user=users[a.email], organisation=orgs[key], role=role, started_at=SET_UP_AT)
        for a in CAST
        for key, role in a.memberships
        if (users[a.email].pk, orgs[key].pk) not in had
    ]
    Membership.objects.bulk_create(missing)
    return len(missing)


def ensure_email_addresses(users: dict[str, User]) -> int:
    have = set(EmailAddress.objects.filter(user__in=users.values()).values_list("user_id", flat=True))
    missing = [
        EmailAddress(user=user, email=user.email, verified=True, primary=True)
        for user in users.values()
        if user.pk not in have
    ]
    EmailAddress.objects.bulk_create(missing)
    return len(missing)


def sign_in_rows() -> list[tuple[str, str, str, str]]:
    """(e-mail, name, role, organisation) of each active demo membership, in cast order."""
    memberships = Membership.objects.filter(user__email__in=EMAILS, ended_at__isnull=True).select_related(
        "user", "organisation"
    )
    by_email: dict[str, list[Membership]] = {}
    for membership in memberships:
        by_email.setdefault(membership.user.email, []).append(membership)
    return [
        (m.user.email, m.user.full_name, m.get_role_display(), m.organisation.name)
        for account in CAST
        for m in by_email.get(account.email, [])
    ]
