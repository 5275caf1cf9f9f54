"""What was decided and sent cannot be rewritten: the database itself refuses (django-pgtrigger).

Decisions, snapshots, the items sent, reviews, requesters' updates and reasons for not sharing
are never changed or deleted. A disclosure's content is fixed; only its receipt, acknowledgement
and chasing move. Agreements, requests and disclosures are never deleted. Each is tried through
the ORM and through raw SQL, as someone with database access might.
"""

import datetime

import pytest
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction
from django.utils import timezone

from jigsaw.chronology import actions as chronology_actions
from jigsaw.guidance.sharing import Outcome
from jigsaw.sharing import actions
from jigsaw.sharing.models import (
    Agreement,
    Decision,
    Disclosure,
    DisclosureItem,
    PromptResponse,
    Request,
    RequestUpdate,
    Review,
    Snapshot,
)
from tests.chronology.conftest import actor_for, log
from tests.sharing.conftest import share

pytestmark = pytest.mark.django_db

REFUSED = (InternalError, ProgrammingError, IntegrityError)


@pytest.fixture
def record(cast, three_entries):
    """One of everything: a share, its review, a request with new information, a reason for not sharing."""
    sent = share(cast.alice, cast.maya, three_entries, recipient=cast.social_care)
    review = actions.do_review(acting=actor_for(cast.erin, cast.riverside), decision=sent.decision,
                               finding="sound", notes="Proportionate and well reasoned.")
    dan = actor_for(cast.dan)
    request = actions.do_request(acting=dan, data=actions.RequestData(
        holder=cast.riverside, given_name="Maya", family_name="Thompson", reason="Assessment",
        information_wanted="Attendance this term"))
    update = actions.do_add_information(acting=dan, request=request, text="Maya has disclosed at home.")
    triage = chronology_actions.do_triage(acting=actor_for(cast.alice), concern=log(cast.bob, cast.maya),
                                          outcome="refer_csc", rationale="Significant harm likely")
    prompt = actions.do_respond_to_prompt(acting=actor_for(cast.alice), source=triage,
                                          reason="Social care already know: strategy discussion today.")
    agreement = actions.do_save_agreement(
        acting=actor_for(cast.pat), parties=[cast.riverside, cast.social_care],
        values={"title": "Westbridge safeguarding", "purposes": "Safeguarding", "data_items": "Concerns",
                "lawful_basis": "public_task", "retention": "Until 25", "rights_contact": "dpo@westbridge.test",
                "starts_on": datetime.date(2026, 1, 1), "review_date": datetime.date(2027, 1, 1)})
    return {
        Decision: sent.decision, Disclosure: sent.disclosure, Snapshot: sent.disclosure.snapshot,
        DisclosureItem: sent.disclosure.items.first(), Review: review, Request: request, RequestUpdate: update,
        PromptResponse: prompt, Agreement: agreement,
    }


# A text column of each immutable table, and a value to try to write into it.
IMMUTABLE = [
    (Decision, "rationale", "Rewritten after the event"),
    (Snapshot, "sha256", "0" * 64),
    (DisclosureItem, "position", 99),
    (Review, "notes", "Rewritten"),
    (RequestUpdate, "text", "Rewritten"),
    (PromptResponse, "reason", "Rewritten"),
]


def raw(sql: str, *params) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def table(model) -> str:
    return model._meta.db_table


@pytest.mark.parametrize("model, field, value", IMMUTABLE, ids=lambda x: getattr(x, "__name__", None))
def test_an_orm_update_is_refused(record, model, field, value):
    obj = record[model]
    before = getattr(obj, field)
    with pytest.raises(REFUSED), transaction.atomic():
        model.objects.filter(pk=obj.pk).update(**{field: value})
    obj.refresh_from_db()
    assert getattr(obj, field) == before


@pytest.mark.parametrize("model, field, value", IMMUTABLE, ids=lambda x: getattr(x, "__name__", None))
def test_a_raw_update_is_refused(record, model, field, value):
    obj = record[model]
    before = getattr(obj, field)
    with pytest.raises(REFUSED):
        raw(f"UPDATE {table(model)} SET {field} = %s WHERE id = %s", value, obj.pk)
    obj.refresh_from_db()
    assert getattr(obj, field) == before


@pytest.mark.parametrize("model", [Decision, Snapshot, DisclosureItem, Review, RequestUpdate, PromptResponse,
                                   Agreement, Request, Disclosure], ids=lambda m: m.__name__)
def test_a_raw_delete_is_refused(record, model):
    with pytest.raises(REFUSED):
        raw(f"DELETE FROM {table(model)} WHERE id = %s", record[model].pk)
    assert model.objects.filter(pk=record[model].pk).exists()


def test_an_orm_delete_of_a_decision_with_nothing_hanging_on_it_is_refused(cast, three_entries):
    """A withheld decision has no disclosure to protect it: the trigger is what stops the delete."""
    decision = share(cast.alice, cast.maya, three_entries, recipient=cast.social_care,
                     outcome=Outcome.WITHHOLD).decision
    with pytest.raises(REFUSED), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).delete()
    assert Decision.objects.filter(pk=decision.pk).exists()


@pytest.mark.parametrize("model", [Review, RequestUpdate, PromptResponse, Agreement], ids=lambda m: m.__name__)
def test_an_orm_delete_is_refused(record, model):
    with pytest.raises(REFUSED), transaction.atomic():
        model.objects.filter(pk=record[model].pk).delete()
    assert model.objects.filter(pk=record[model].pk).exists()


def test_a_truncate_is_refused(record):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(REFUSED):
        raw(f"TRUNCATE {table(Decision)} CASCADE")
    assert Decision.objects.exists()


# A disclosure: its content is fixed; its state moves -------------------------------------------------


@pytest.mark.parametrize("field, value", [
    ("kind", "referral"),
    ("sent_at", datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)),
    ("due_at", datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC)),
    ("sent_by_label", "Someone else"),
])
def test_a_disclosures_content_cannot_change(record, field, value):
    disclosure = record[Disclosure]
    before = getattr(disclosure, field)
    with pytest.raises(REFUSED, match="content is fixed"), transaction.atomic():
        Disclosure.objects.filter(pk=disclosure.pk).update(**{field: value})
    with pytest.raises(REFUSED, match="content is fixed"):
        raw(f"UPDATE {table(Disclosure)} SET {field} = %s WHERE id = %s", value, disclosure.pk)
    disclosure.refresh_from_db()
    assert getattr(disclosure, field) == before


def test_a_disclosure_cannot_be_pointed_at_another_child_recipient_or_decision(cast, record):
    disclosure = record[Disclosure]
    for field, value in (("person_id", cast.sam.pk), ("recipient_id", cast.hillside.pk),
                         ("sender_id", cast.hillside.pk)):
        with pytest.raises(REFUSED):
            raw(f"UPDATE {table(Disclosure)} SET {field} = %s WHERE id = %s", value, disclosure.pk)
    disclosure.refresh_from_db()
    assert (disclosure.person, disclosure.recipient, disclosure.sender) == (cast.maya, cast.social_care,
                                                                            cast.riverside)


def test_a_disclosures_receipt_acknowledgement_and_chasing_can_move(cast, record):
    disclosure = record[Disclosure]
    now = timezone.now()
    Disclosure.objects.filter(pk=disclosure.pk).update(opened_at=now, opened_by=cast.dan, opened_by_label="Dan")
    raw(f"UPDATE {table(Disclosure)} SET acknowledged_at = %s, acknowledged_by_label = %s, "
        "action_taken = %s, chase_count = chase_count + 1, last_chased_at = %s WHERE id = %s",
        now, "Dan Davies", "Strategy discussion", now, disclosure.pk)
    disclosure.refresh_from_db()
    assert disclosure.status == "acknowledged" and disclosure.chase_count == 1
    disclosure.action_taken = "Strategy discussion held"
    disclosure.save()  # every column written, content unchanged: allowed
    disclosure.refresh_from_db()
    assert disclosure.action_taken == "Strategy discussion held"


def test_requests_and_agreements_keep_moving(record):
    """Their state changes (answered, reviewed): only deleting them is refused."""
    Request.objects.filter(pk=record[Request].pk).update(status="withdrawn")
    Agreement.objects.filter(pk=record[Agreement].pk).update(review_date=datetime.date(2028, 1, 1))
    assert Request.objects.get(pk=record[Request].pk).status == "withdrawn"
