"""The only place that decides who may see or do what with decisions, disclosures and requests.

DESIGN §4:
- the safeguarding roles of the sending organisation decide, send, and see what they sent;
- the safeguarding roles of the receiving organisation see the disclosure's snapshot, never
  the sender's records;
- the DPO and Caldicott guardian see their organisation's decisions and the metadata of its
  disclosures for governance review, and entry content only inside advice they were asked for;
- the partnership administrator manages agreements and sees no case content.
Missing and forbidden both answer 404; every refusal is written to the ledger.
"""

import uuid

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from jigsaw.accounts.access import can_administer
from jigsaw.accounts.actor import Actor
from jigsaw.accounts.models import ApiKeyScope, Membership, Organisation, OrganisationKind
from jigsaw.accounts.roles import CASE_ROLES, GOVERNANCE_ROLES, Role
from jigsaw.audit.events import record_denial
from jigsaw.chronology import access as chronology_access
from jigsaw.chronology.models import Alert, AlertStatus, Entry, EntryKind, TriageOutcome
from jigsaw.guidance.sharing import WITHOUT_CONSENT, Outcome
from jigsaw.ids import as_id
from jigsaw.people.models import Person
from jigsaw.sharing.models import (
    AdviceRequest,
    Agreement,
    Decision,
    Disclosure,
    ExternalLink,
    PromptResponse,
    Request,
    RequestStatus,
    Review,
    ShareDraft,
)

SHARE = "share"  # decide, send, see what was sent
RECEIVE = "receive"  # the inbox: read snapshots, acknowledge, save to the chronology
REQUEST = "request"  # ask another organisation; answer what was asked
GOVERN = "govern"  # review decisions; see disclosure metadata
VIEW_DECISIONS = "view_decisions"

ADVISER_ROLES = frozenset(
    {Role.DSL, Role.DEPUTY_DSL, Role.TEAM_MANAGER, Role.DPO, Role.CALDICOTT_GUARDIAN}
)

ROLES_FOR = {
    SHARE: CASE_ROLES,
    RECEIVE: CASE_ROLES,
    REQUEST: CASE_ROLES,
    GOVERN: GOVERNANCE_ROLES,
    VIEW_DECISIONS: CASE_ROLES | GOVERNANCE_ROLES,
}

SCOPE_FOR = {
    RECEIVE: ApiKeyScope.SHARING_READ,
    REQUEST: ApiKeyScope.REQUESTS_WRITE,
}

# Triage outcomes that say a child may be in need or at risk of significant harm (don't assume).
PROMPTING_OUTCOMES = (TriageOutcome.REFER_CSC, TriageOutcome.REFER_POLICE, TriageOutcome.SHARE)
PROMPTING_ALERT_RULES = ("first_serious", "siblings")


def can(actor: Actor, action: str) -> bool:
    if actor.api_key is not None:
        return action in SCOPE_FOR and actor.api_key.has_scope(SCOPE_FOR[action])
    return actor.has_role(ROLES_FOR[action])


def require(actor: Actor, action: str) -> None:
    if not can(actor, action):
        record_denial(actor, "page", f"sharing:{action}", action)
        raise Http404


def _deny(actor: Actor, object_type: str, object_id, wanted: str):
    record_denial(actor, object_type, object_id, wanted)
    return Http404()


def is_sender(actor: Actor, disclosure: Disclosure) -> bool:
    return can(actor, SHARE) and disclosure.sender_id == actor.organisation.pk


def is_recipient(actor: Actor, disclosure: Disclosure) -> bool:
    return can(actor, RECEIVE) and disclosure.recipient_id == actor.organisation.pk


# Preparing a share ---------------------------------------------------------------------------


def get_child_for(actor: Actor, person_id) -> Person:
    """A child of the actor's organisation whose file the actor may share from."""
    if not can(actor, SHARE):
        raise _deny(actor, "people.person", person_id, SHARE)
    return chronology_access.get_child_for(actor, person_id, chronology_access.VIEW_CHRONOLOGY)


def shareable_entries(actor: Actor, person: Person):
    """The child's current entries the actor may choose from (never another organisation's)."""
    if not can(actor, SHARE):
        return Entry.objects.none()
    return chronology_access.with_details(chronology_access.chronology_of(actor, person))


def recipients_for(actor: Actor):
    """The partnership directory: organisations with a role in safeguarding, other than one's own."""
    return Organisation.objects.exclude(pk=actor.organisation.pk).exclude(kind=OrganisationKind.PARTNERSHIP)


def agreements_for(actor: Actor):
    """Agreements the actor's organisation is party to and that are in force."""
    today = timezone.localdate()
    return (
        Agreement.objects.filter(parties=actor.organisation, starts_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .distinct()
    )


def drafts_of(actor: Actor):
    if not can(actor, SHARE) or actor.user is None:
        return ShareDraft.objects.none()
    return ShareDraft.objects.filter(organisation=actor.organisation, user=actor.user).select_related("person")


def get_draft_for(actor: Actor, draft_id) -> ShareDraft:
    found = drafts_of(actor).filter(pk=_uuid(draft_id)).first()
    if found is None:
        raise _deny(actor, "sharing.sharedraft", draft_id, SHARE)
    return found


def _uuid(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return uuid.UUID(int=0)


def advisers_for(actor: Actor):
    """Who in the organisation can be asked for advice (golden rule 4): not oneself."""
    if not can(actor, SHARE):
        return Membership.objects.none()
    return (
        Membership.objects.filter(organisation=actor.organisation, role__in=ADVISER_ROLES, ended_at__isnull=True,
                                  user__is_active=True)
        .exclude(user=actor.user)
        .select_related("user")
        .order_by("user__full_name", "role")
    )


# Decisions -----------------------------------------------------------------------------------


def decisions_visible_to(actor: Actor):
    if not can(actor, VIEW_DECISIONS):
        return Decision.objects.none()
    return Decision.objects.filter(organisation=actor.organisation).select_related(
        "person", "recipient", "agreement", "decided_by"
    )


def get_decision_for(actor: Actor, decision_id) -> Decision:
    found = decisions_visible_to(actor).filter(pk=as_id(decision_id)).first()
    if found is None:
        raise _deny(actor, "sharing.decision", decision_id, VIEW_DECISIONS)
    return found


# Disclosures ---------------------------------------------------------------------------------


def _disclosures():
    return Disclosure.objects.select_related("decision", "sender", "recipient", "person", "decision__recipient")


def sent_by(actor: Actor):
    if not (can(actor, SHARE) or can(actor, GOVERN)):
        return Disclosure.objects.none()
    return _disclosures().filter(sender=actor.organisation)


def received_by(actor: Actor):
    if not can(actor, RECEIVE):
        return Disclosure.objects.none()
    return _disclosures().filter(recipient=actor.organisation)


def get_disclosure_for(actor: Actor, disclosure_id, action: str) -> Disclosure:
    """SHARE: as its sender; RECEIVE: as its recipient; GOVERN: the sender's governance roles (metadata)."""
    wanted = {SHARE: sent_by, RECEIVE: received_by, GOVERN: sent_by}[action]
    if not can(actor, action):
        raise _deny(actor, "sharing.disclosure", disclosure_id, action)
    found = wanted(actor).filter(pk=as_id(disclosure_id)).first()
    if found is None:
        raise _deny(actor, "sharing.disclosure", disclosure_id, action)
    return found


def snapshot_of(actor: Actor, disclosure: Disclosure):
    """The content as sent: for the sender's and the recipient's safeguarding roles only."""
    if not (is_sender(actor, disclosure) or is_recipient(actor, disclosure)):
        raise _deny(actor, "sharing.snapshot", disclosure.pk, "snapshot")
    return disclosure.snapshot


def corrected_since_sent(actor: Actor, disclosure: Disclosure):
    """Entries sent in this disclosure that have been corrected at the source since."""
    if not is_sender(actor, disclosure):
        return Entry.objects.none()
    corrected_threads = Entry.objects.filter(disclosed_in__disclosure=disclosure, superseded_by__isnull=False)
    already_sent = Entry.objects.filter(disclosed_in__disclosure__updates=disclosure)
    return corrected_threads.exclude(
        thread__in=already_sent.filter(superseded_by__isnull=True).values("thread")
    )


def later_updates_of(actor: Actor, disclosure: Disclosure):
    if not (is_sender(actor, disclosure) or is_recipient(actor, disclosure)):
        return Disclosure.objects.none()
    return disclosure.later_updates.order_by("sent_at")


def link_for_token(token_hash: str) -> ExternalLink | None:
    """An external recipient's link, found by the hash of its secret (no actor: they have no account)."""
    return (
        ExternalLink.objects.select_related("disclosure", "disclosure__decision", "disclosure__sender",
                                            "disclosure__snapshot")
        .filter(token_hash=token_hash)
        .first()
    )


def own_people_for_saving(actor: Actor):
    """People of the recipient's organisation a received disclosure can be saved against."""
    if not can(actor, RECEIVE) or actor.api_key is not None:
        return Person.objects.none()
    return Person.objects.filter(organisation=actor.organisation)


# Requests for information ----------------------------------------------------------------------


def _requests():
    return Request.objects.select_related("requester", "holder", "holder_person", "requester_person")


def requests_to(actor: Actor):
    if not can(actor, REQUEST):
        return Request.objects.none()
    return _requests().filter(holder=actor.organisation)


def requests_from(actor: Actor):
    if not can(actor, REQUEST):
        return Request.objects.none()
    return _requests().filter(requester=actor.organisation)


ANSWER = "answer"
ADD_INFORMATION = "add_information"
VIEW = "view"


def get_request_for(actor: Actor, request_id, action: str = VIEW) -> Request:
    """VIEW: the requester or the holder; ANSWER: the holder; ADD_INFORMATION: the requester."""
    if not can(actor, REQUEST):
        raise _deny(actor, "sharing.request", request_id, action)
    org = actor.organisation
    scope = {
        VIEW: Q(holder=org) | Q(requester=org),
        ANSWER: Q(holder=org),
        ADD_INFORMATION: Q(requester=org),
    }[action]
    found = _requests().filter(scope, pk=as_id(request_id)).first()
    if found is None:
        raise _deny(actor, "sharing.request", request_id, action)
    return found


def people_matching_request(actor: Actor, request: Request):
    """The holder's own records that may be the child asked about, best first."""
    if not can(actor, REQUEST) or request.holder_id != actor.organisation.pk:
        return Person.objects.none()
    people = Person.objects.filter(organisation=actor.organisation)
    if request.nhs_number:
        by_nhs = people.filter(nhs_number=request.nhs_number)
        if by_nhs.exists():
            return by_nhs
    query = Q(family_name__iexact=request.family_name)
    if request.date_of_birth:
        query |= Q(date_of_birth=request.date_of_birth, given_name__iexact=request.given_name)
    return people.filter(query).order_by("family_name", "given_name")[:20]


def open_request_count(actor: Actor) -> int:
    return requests_to(actor).filter(status__in=(RequestStatus.OPEN, RequestStatus.RECONSIDER)).count()


# Advice (golden rule 4) ----------------------------------------------------------------------


def advice_asked_of(actor: Actor):
    """Advice the actor has been asked for, in the organisation they act for now."""
    if actor.user is None or actor.organisation is None:
        return AdviceRequest.objects.none()
    return AdviceRequest.objects.filter(adviser=actor.user, organisation=actor.organisation).select_related(
        "asked_by", "person"
    )


def advice_asked_by(actor: Actor):
    if actor.user is None or not can(actor, SHARE):
        return AdviceRequest.objects.none()
    return AdviceRequest.objects.filter(asked_by=actor.user, organisation=actor.organisation).select_related(
        "adviser", "person"
    )


def get_advice_for(actor: Actor, advice_id) -> AdviceRequest:
    """The adviser (to answer) or the person who asked (to read the answer)."""
    if actor.user is None or actor.organisation is None:
        raise _deny(actor, "sharing.advicerequest", advice_id, "advice")
    found = (
        AdviceRequest.objects.select_related("asked_by", "adviser", "person")
        .filter(Q(adviser=actor.user) | Q(asked_by=actor.user), organisation=actor.organisation,
                pk=as_id(advice_id))
        .first()
    )
    if found is None:
        raise _deny(actor, "sharing.advicerequest", advice_id, "advice")
    return found


# Governance review ---------------------------------------------------------------------------


REVIEW_FLAGS = {
    "without_consent": "Shared without consent",
    "withheld": "Not shared",
    "emergency": "Emergency",
    "no_agreement": "Outside any agreement",
}


def flag_filter(flag: str) -> Q:
    return {
        "without_consent": Q(outcome=Outcome.SHARE, consent__in=WITHOUT_CONSENT),
        "withheld": Q(outcome=Outcome.WITHHOLD),
        "emergency": Q(emergency=True),
        "no_agreement": Q(outcome=Outcome.SHARE, agreement__isnull=True),
    }[flag]


def for_review(actor: Actor, flags=None):
    """Decisions of the organisation that governance looks at: any of the flags (all four by default)."""
    if not can(actor, GOVERN):
        return Decision.objects.none()
    query = Q()
    for flag in flags or REVIEW_FLAGS:
        query |= flag_filter(flag)
    return decisions_visible_to(actor).filter(query).annotate(
        reviewed=Exists(Review.objects.filter(decision=OuterRef("pk")))
    )


def get_decision_for_review(actor: Actor, decision_id) -> Decision:
    if not can(actor, GOVERN):
        raise _deny(actor, "sharing.decision", decision_id, GOVERN)
    return get_decision_for(actor, decision_id)


def reviews_of(actor: Actor):
    if not can(actor, GOVERN):
        return Review.objects.none()
    return Review.objects.filter(decision__organisation=actor.organisation).select_related("decision", "reviewer")


# Agreements ----------------------------------------------------------------------------------


def agreements_visible_to(actor: Actor):
    """The partnership administrator: every agreement in their area; members: their organisation's."""
    if actor.organisation is None or actor.api_key is not None:
        return Agreement.objects.none()
    if can_administer(actor):
        return Agreement.objects.filter(local_authority=actor.organisation.local_authority_id)
    if can(actor, VIEW_DECISIONS):
        return Agreement.objects.filter(parties=actor.organisation).distinct()
    return Agreement.objects.none()


def get_agreement_for(actor: Actor, agreement_id, *, manage: bool = False) -> Agreement:
    if manage and not can_administer(actor):
        raise _deny(actor, "sharing.agreement", agreement_id, "manage")
    found = agreements_visible_to(actor).filter(pk=as_id(agreement_id)).first()
    if found is None:
        raise _deny(actor, "sharing.agreement", agreement_id, "manage" if manage else VIEW)
    return found


def decision_counts_under(actor: Actor, agreement: Agreement):
    """For the administrator: decisions per organisation under an agreement; numbers only."""
    if not can_administer(actor):
        return Decision.objects.none().values("organisation__name")
    return (
        Decision.objects.filter(agreement=agreement).values("organisation__name")
        .annotate(count=Count("id")).order_by("organisation__name")
    )


def require_agreement_manager(actor: Actor) -> None:
    if not can_administer(actor):
        record_denial(actor, "page", "sharing:agreements", "manage")
        raise Http404


# Don't assume --------------------------------------------------------------------------------


def prompts_for(actor: Actor, *, person: Person | None = None):
    """Triage decisions and alerts suggesting harm, with no share or referral since and no reason recorded.

    Returns (entries, alerts): each needs the lead to share or refer now, or say why not.
    """
    if not can(actor, SHARE) or actor.api_key is not None:
        return Entry.objects.none(), Alert.objects.none()
    org = actor.organisation
    shared_since_entry = Disclosure.objects.filter(sender=org, person=OuterRef("person"),
                                                   sent_at__gte=OuterRef("recorded_at"))
    entries = (
        Entry.objects.filter(organisation=org, kind=EntryKind.TRIAGE, triage_outcome__in=PROMPTING_OUTCOMES,
                             superseded_by__isnull=True)
        .exclude(Exists(shared_since_entry))
        .exclude(Exists(PromptResponse.objects.filter(entry=OuterRef("pk"))))
        .select_related("person")
        .order_by("-recorded_at")
    )
    shared_since_alert = Disclosure.objects.filter(sender=org, person=OuterRef("person"),
                                                   sent_at__gte=OuterRef("fired_at"))
    alerts = (
        Alert.objects.filter(organisation=org, rule__in=PROMPTING_ALERT_RULES, status=AlertStatus.OPEN)
        .exclude(Exists(shared_since_alert))
        .exclude(Exists(PromptResponse.objects.filter(alert=OuterRef("pk"))))
        .select_related("person")
        .order_by("-fired_at")
    )
    if person is not None:
        entries, alerts = entries.filter(person=person), alerts.filter(person=person)
    return entries, alerts


def get_prompt_source_for(actor: Actor, *, entry_id=None, alert_id=None):
    entries, alerts = prompts_for(actor)
    found = (entries.filter(pk=as_id(entry_id)).first() if entry_id
             else alerts.filter(pk=as_id(alert_id)).first())
    if found is None:
        raise _deny(actor, "sharing.prompt", entry_id or alert_id, SHARE)
    return found
