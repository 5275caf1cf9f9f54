"""The demo's sharing: agreements, disclosures in every state, requests, advice, reviews and prompts.

The demo is loaded once for this module inside a transaction that is rolled back at the end
(it takes about a minute: every entry and every share goes through the actions and the ledger).
"""

import datetime
import json

import pytest
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse

from jigsaw.accounts.actor import Actor
from jigsaw.accounts.middleware import ACTIVE_MEMBERSHIP
from jigsaw.accounts.models import Membership, Organisation
from jigsaw.accounts.roles import Role
from jigsaw.audit import ledger
from jigsaw.chronology.models import Entry, EntryKind
from jigsaw.demo import REFERENCE_DATE
from jigsaw.demo.load import load_demo
from jigsaw.demo.people import known_riverside_child
from jigsaw.demo.sharing import INFORMANT_REASON, MAIN, old_prompts
from jigsaw.guidance.sharing import ConsentStatus, LawfulBasis, Outcome, SpecialCondition, Urgency
from jigsaw.people.models import Person
from jigsaw.sharing import access
from jigsaw.sharing.models import (
    AdviceRequest,
    Agreement,
    Decision,
    Disclosure,
    ExternalLink,
    PromptResponse,
    Request,
    RequestStatus,
    RequestUpdate,
    Review,
    Snapshot,
)
from tests.cast import sign_in
from tests.database import delete_people

pytestmark = pytest.mark.django_db
MODELS = (Agreement, Decision, Disclosure, Snapshot, ExternalLink, Request, RequestUpdate, AdviceRequest, Review,
          PromptResponse, Entry)
REFERENCE_MOMENT = datetime.datetime.combine(REFERENCE_DATE, datetime.time(8, 0), datetime.UTC)


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        summary = load_demo()
        # Nothing is e-mailed inside the transaction; notifications would wait for the commit.
        summary.emails = len(mail.outbox) + len(connection.run_on_commit)
        yield summary
        transaction.set_rollback(True)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def actor(email: str, organisation: str) -> Actor:
    return Actor.for_membership(Membership.objects.get(user__email=email, organisation__name=organisation))


def mayas_disclosure() -> Disclosure:
    return Disclosure.objects.get(person=known_riverside_child(), recipient__name="Westbridge Children's Social Care")


# Loading


def test_the_load_reports_what_it_shared(demo):
    assert (demo.agreements, demo.decisions, demo.disclosures, demo.requests) == (
        Agreement.objects.count(), Decision.objects.count(), Disclosure.objects.count(), Request.objects.count())
    assert demo.prompt_responses == PromptResponse.objects.count() > 20
    assert demo.entries == Entry.objects.count()


def test_a_second_load_adds_nothing():
    before = counts()
    summary = load_demo()
    assert not summary.added_anything
    assert counts() == before


def test_no_emails_were_sent(demo):
    assert demo.emails == 0


def test_the_ledger_still_verifies():
    assert ledger.verify().ok


def test_everything_happened_before_the_reference_date():
    moments = [
        *Decision.objects.values_list("decided_at", flat=True),
        *Disclosure.objects.values_list("sent_at", flat=True),
        *Disclosure.objects.exclude(opened_at=None).values_list("opened_at", flat=True),
        *Disclosure.objects.exclude(acknowledged_at=None).values_list("acknowledged_at", flat=True),
        *Disclosure.objects.exclude(last_chased_at=None).values_list("last_chased_at", flat=True),
        *Request.objects.values_list("asked_at", flat=True),
        *RequestUpdate.objects.values_list("added_at", flat=True),
        *AdviceRequest.objects.values_list("asked_at", flat=True),
        *Review.objects.values_list("reviewed_at", flat=True),
        *PromptResponse.objects.values_list("responded_at", flat=True),
    ]
    assert moments and max(moments) < REFERENCE_MOMENT


def test_the_police_records_can_still_be_reloaded():
    """The demo's own tests remove the police's people and load them again: nothing of sharing may hold on to them."""
    with transaction.atomic():
        delete_people(Person.objects.filter(organisation__name="Westbridge Police"))
        transaction.set_rollback(True)


# Agreements


def test_the_partnership_administrator_made_three_agreements():
    admin = Membership.objects.get(role=Role.PARTNERSHIP_ADMIN).user
    assert Agreement.objects.filter(created_by=admin).count() == 3
    main = Agreement.objects.get(title=MAIN)
    partners = Organisation.objects.exclude(name="Westbridge Safeguarding Children Partnership")
    assert set(main.parties.all()) == set(partners)
    assert main.review_date > REFERENCE_DATE + datetime.timedelta(days=60)


def test_one_agreement_is_due_for_review_soon_and_one_is_overdue():
    encompass = Agreement.objects.get(title="Operation Encompass notifications")
    assert REFERENCE_DATE < encompass.review_date <= REFERENCE_DATE + datetime.timedelta(days=60)
    assert {org.kind for org in encompass.parties.all()} == {"police_force", "school", "nursery"}
    assert Agreement.objects.filter(review_date__lt=REFERENCE_DATE).count() == 1


# Maya Thompson


def test_alice_shared_mayas_bruising_words_and_referral_with_social_care_under_the_agreement():
    disclosure = mayas_disclosure()
    decision = disclosure.decision
    kinds = [item.entry.kind for item in disclosure.items.all()]
    assert kinds == [EntryKind.CONCERN, EntryKind.CONTACT, EntryKind.DISCLOSURE, EntryKind.REFERRAL]
    assert decision.decided_by.email == "alice@riverside.example.org"
    assert decision.agreement.title == MAIN
    assert (decision.lawful_basis, decision.special_condition) == (LawfulBasis.PUBLIC_TASK,
                                                                    SpecialCondition.SAFEGUARDING)
    assert decision.consent == ConsentStatus.NOT_SOUGHT_RISK
    assert decision.child_told and not decision.carers_told and "Craig Wilson" in decision.not_told_reason


def test_the_protected_informant_is_redacted_from_mayas_disclosure():
    informant = Person.objects.get(protected_identity_reason=INFORMANT_REASON)
    assert informant.protected_identity and informant.organisation.name == "Riverside School"
    source = Entry.objects.get(pk=mayas_disclosure().items.get(position=2).entry_id)
    assert informant.full_name in source.what_happened
    snapshot = mayas_disclosure().snapshot
    assert snapshot.redaction_count >= 1 and snapshot.content["notice"]
    sent = json.dumps(snapshot.content, ensure_ascii=False).lower()
    assert informant.given_name.lower() not in sent
    assert informant.family_name.lower() not in sent


def test_dan_opened_and_acknowledged_it():
    disclosure = mayas_disclosure()
    assert disclosure.opened_by.email == disclosure.acknowledged_by.email == "dan@westbridge.example.org"
    assert disclosure.opened_at < disclosure.acknowledged_at <= disclosure.due_at
    assert "section 47" in disclosure.action_taken


def test_alice_asked_erin_for_advice_before_sending():
    advice = AdviceRequest.objects.get(decision=mayas_disclosure().decision)
    assert advice.adviser.email == "erin@westbridge.example.org"
    assert advice.asked_at < advice.answered_at < mayas_disclosure().sent_at
    assert advice.briefing["preview"]["items"] and advice.briefing["summary"]
    assert advice.decision.advice_given == advice.answer


def test_social_care_sent_riverside_something_still_unread_on_the_reference_date():
    disclosure = Disclosure.objects.get(sender__name="Westbridge Children's Social Care", person__given_name="Maya")
    assert disclosure.recipient.name == "Riverside School"
    assert disclosure.status == "sent" and not disclosure.is_overdue(now=REFERENCE_MOMENT)


# Disclosures in every state


def test_every_disclosure_state_exists():
    disclosures = list(Disclosure.objects.all())
    assert {d.status for d in disclosures} == {"sent", "opened", "acknowledged"}
    assert any(d.last_chased_at and d.chase_count and d.opened_at is None for d in disclosures)
    assert any(d.updates_id and d.snapshot.content["items"][0]["corrected"] for d in disclosures)
    assert any(d.status == "opened" and d.is_overdue(now=REFERENCE_MOMENT) for d in disclosures)


def test_an_unread_disclosure_is_overdue_without_a_chase():
    overdue = [d for d in Disclosure.objects.filter(opened_at=None, last_chased_at=None)
               if d.is_overdue(now=REFERENCE_MOMENT)]
    assert overdue


def test_one_went_outside_the_partnership_by_a_link():
    link = ExternalLink.objects.select_related("disclosure__decision").get()
    decision = link.disclosure.decision
    assert decision.is_external and decision.external_role and decision.external_reason
    assert link.disclosure.recipient is None and link.downloads == 0


def test_the_update_was_sent_after_a_correction_at_the_source():
    update = Disclosure.objects.exclude(updates=None).get()
    original = update.updates
    corrected = Entry.objects.filter(disclosed_in__disclosure=original, superseded_by__isnull=False)
    assert corrected.count() == 1
    assert update.items.get().entry.supersedes_id == corrected.get().pk
    assert original.status == "acknowledged" and update.decision_id == original.decision_id


def test_every_decision_is_recorded_in_the_senders_chronology():
    for decision in Decision.objects.all():
        entry = Entry.objects.get(source=f"Sharing decision {decision.pk}")
        assert (entry.organisation_id, entry.person_id, entry.kind) == (decision.organisation_id,
                                                                        decision.person_id, EntryKind.SHARE)


# Requests for information


def test_requests_are_in_every_state():
    requests = Request.objects.all()
    standard = requests.get(requester__name="Westbridge Children's Social Care", holder__name="Riverside School")
    assert standard.status == RequestStatus.OPEN and not standard.is_overdue(now=REFERENCE_MOMENT)
    urgent = requests.get(urgency=Urgency.URGENT)
    assert (urgent.requester.name, urgent.holder.name) == ("Westbridge Police", "Westbridge Academy")
    assert urgent.is_overdue(now=REFERENCE_MOMENT)
    answered = requests.get(status=RequestStatus.SHARED)
    assert answered.decisions.get().disclosures.get().status == "acknowledged"


def test_carol_declined_with_reasons_and_dan_added_information():
    request = Request.objects.get(holder__name="Hillside School")
    assert request.status == RequestStatus.RECONSIDER
    declined = request.decisions.get()
    assert declined.outcome == Outcome.WITHHOLD and declined.decided_by.email == "carol@hillside.example.org"
    assert "proportionate" in declined.rationale
    update = request.updates.get()
    assert update.added_by.email == "dan@westbridge.example.org" and update.added_at > declined.decided_at


# Advice and governance


def test_one_question_is_still_waiting_for_erin():
    waiting = AdviceRequest.objects.get(answered_at=None)
    assert waiting.adviser.email == "erin@westbridge.example.org" and waiting.draft is not None
    assert waiting.decision is None


def test_decisions_for_governance_include_withheld_emergency_and_without_consent():
    assert Decision.objects.filter(outcome=Outcome.WITHHOLD).count() >= 2
    emergency = Decision.objects.get(emergency=True)
    assert emergency.agreement is None and emergency.outcome == Outcome.SHARE
    assert Decision.objects.filter(consent=ConsentStatus.REFUSED_OVERRIDDEN).exclude(objections_weighed="").exists()
    assert not Decision.objects.filter(rationale="").exists()


@pytest.mark.parametrize("organisation", ["Riverside School", "Westbridge Children's Social Care"])
def test_erin_has_decisions_to_review(organisation):
    queue = access.for_review(actor("erin@westbridge.example.org", organisation))
    assert queue.filter(reviewed=False).exists()


def test_erin_has_already_reviewed_mayas_decision():
    review = Review.objects.get()
    assert review.decision == mayas_disclosure().decision
    assert review.reviewer.email == "erin@westbridge.example.org" and review.reviewer_role == Role.DPO


# Don't assume


def test_alice_is_prompted_about_one_decision_and_an_alert_or_two():
    decisions, alerts = access.prompts_for(actor("alice@riverside.example.org", "Riverside School"))
    assert decisions.count() == 1 and 1 <= alerts.count() <= 2
    assert decisions[0].person != known_riverside_child() and decisions[0].triage_outcome == "refer_csc"
    assert not access.prompts_for(actor("alice@riverside.example.org", "Riverside School"),
                                  person=known_riverside_child())[1].exists()


def test_the_other_old_prompts_are_answered_with_reasons():
    waiting = [old_prompts(org) for org in Organisation.objects.all()]
    assert sum(len(decisions) for decisions, _ in waiting) == 1
    assert sum(len(alerts) for _, alerts in waiting) <= 6
    assert not PromptResponse.objects.filter(reason="").exists()


# What a new user sees


def pages():
    maya = mayas_disclosure()
    return [
        ("alice@riverside.example.org", "Riverside School", reverse("disclosures_sent")),
        ("alice@riverside.example.org", "Riverside School", reverse("disclosure", args=[maya.pk])),
        ("alice@riverside.example.org", "Riverside School", reverse("sharing_inbox")),
        ("alice@riverside.example.org", "Riverside School", reverse("requests_received")),
        ("alice@riverside.example.org", "Riverside School", reverse("decisions")),
        ("alice@riverside.example.org", "Riverside School", reverse("advice_list")),
        ("dan@westbridge.example.org", "Westbridge Children's Social Care", reverse("sharing_inbox")),
        ("dan@westbridge.example.org", "Westbridge Children's Social Care", reverse("received_disclosure",
                                                                                    args=[maya.pk])),
        ("dan@westbridge.example.org", "Westbridge Children's Social Care", reverse("requests_made")),
        ("carol@hillside.example.org", "Hillside School", reverse("requests_received")),
        ("erin@westbridge.example.org", "Riverside School", reverse("governance")),
        ("erin@westbridge.example.org", "Riverside School", reverse("advice_list")),
        ("erin@westbridge.example.org", "Westbridge Children's Social Care", reverse("governance")),
        ("admin@partnership.example.org", "Westbridge Safeguarding Children Partnership", reverse("agreements")),
    ]


def test_the_sharing_pages_show_the_demo(client):
    for email, organisation, url in pages():
        membership = Membership.objects.get(user__email=email, organisation__name=organisation)
        sign_in(client, membership.user)
        session = client.session
        session[ACTIVE_MEMBERSHIP] = membership.pk
        session.save()
        assert client.get(url).status_code == 200, (email, url)
