"""Loading the demo partnership: one transaction, and only what is missing."""

from dataclasses import asdict, dataclass

from django.db import transaction

from jigsaw.audit import ledger
from jigsaw.demo import ACTOR_LABEL, GSS_CODE
from jigsaw.demo.cast import ensure_email_addresses, ensure_memberships, ensure_users
from jigsaw.demo.chronology import ensure_chronology
from jigsaw.demo.linkage import ensure_linkage
from jigsaw.demo.mfa import ensure_authenticators
from jigsaw.demo.partnership import ensure_local_authority, ensure_organisations
from jigsaw.demo.people import ensure_people
from jigsaw.demo.records import digest, plan
from jigsaw.demo.sharing import ensure_sharing


@dataclass
class Summary:
    first_load: bool = False
    organisations: int = 0
    users: int = 0
    memberships: int = 0
    email_addresses: int = 0
    authenticators: int = 0
    people: int = 0
    relationships: int = 0
    entries: int = 0
    concerns: int = 0
    agreements: int = 0
    decisions: int = 0
    disclosures: int = 0
    requests: int = 0
    prompt_responses: int = 0
    links: int = 0
    match_reviews: int = 0

    @property
    def added_anything(self) -> bool:
        return self.first_load or any(value for key, value in asdict(self).items() if key != "first_load")


def load_demo() -> Summary:
    """Load the demo partnership, or add whatever part of it is missing."""
    the_plan = plan()
    with transaction.atomic():
        # A concurrent loader waits on the authority's unique GSS code, then finds it.
        la, created = ensure_local_authority()
        summary = Summary(first_load=created)
        orgs, summary.organisations = ensure_organisations(la)
        users, summary.users = ensure_users()
        summary.memberships = ensure_memberships(users, orgs)
        summary.email_addresses = ensure_email_addresses(users)
        summary.authenticators = ensure_authenticators(list(users.values()))
        summary.people, summary.relationships = ensure_people(the_plan, orgs)
        written = ensure_chronology(orgs, users)
        summary.entries, summary.concerns = written.entries, written.concerns
        for name, added in asdict(ensure_sharing(orgs, users)).items():
            setattr(summary, name, getattr(summary, name) + added)
    # Linking comes after the partnership is committed, each record in its own transaction as a save
    # would be: ten thousand savepoints inside one transaction make PostgreSQL look up every row's
    # subtransaction, and the first load took five minutes instead of one. A load stopped part way
    # links the rest next time (ensure_linkage only links what is not yet linked).
    summary.links, summary.match_reviews = ensure_linkage()
    if summary.added_anything:
        _record(summary)
    return summary


def _record(summary: Summary) -> None:
    detail = {
        "demo": "Westbridge",
        "local_authority": GSS_CODE,
        "plan_digest": digest(),
        **{key: value for key, value in asdict(summary).items() if key != "first_load"},
    }
    if not summary.first_load:
        detail["completed_an_earlier_load"] = True
    ledger.append(
        action="create",
        actor_label=ACTOR_LABEL,
        object_type="demo_partnership",
        object_id=GSS_CODE,
        detail=detail,
    )
