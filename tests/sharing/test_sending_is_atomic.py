"""Sending is all or nothing: a failure at any step leaves no trace of a half-sent disclosure.

Each step of do_decide is made to fail in turn: the snapshot, the items, the external link, the
sender's chronology entry and the ledger. Afterwards there is no decision, disclosure, snapshot,
item, link or chronology entry, the ledger and its chain head are as they were, the draft is
still there to try again, and no e-mail has gone. E-mails go only once the transaction commits,
and hold no personal detail.
"""

import pytest
from django.core import mail

from jigsaw.audit import ledger
from jigsaw.audit.models import AccessEvent, Action, ChainHead
from jigsaw.chronology.models import Entry, EntryKind
from jigsaw.guidance.sharing import Outcome
from jigsaw.sharing import access, actions
from jigsaw.sharing.models import (
    Decision,
    Disclosure,
    DisclosureItem,
    ExternalLink,
    RequestStatus,
    ShareDraft,
    Snapshot,
)
from tests.chronology.conftest import actor_for
from tests.sharing.conftest import decision_data

pytestmark = pytest.mark.django_db

EXTERNAL = {"external_name": "Sam Coach", "external_role": "Welfare officer",
            "external_organisation": "Westbridge Juniors FC", "external_email": "welfare@juniors.test",
            "external_phone": "01632 960123", "external_reason": "Runs the club Maya attends"}


class Crash(Exception):
    pass


def explode(*args, **kwargs):
    raise Crash("the disk is full")


def fail_on_share(real):
    def append(**kwargs):
        if kwargs["action"] == Action.SHARE:
            raise Crash("the ledger is unavailable")
        return real(**kwargs)

    return append


STEPS = {
    "snapshot": lambda mp: mp.setattr(Snapshot.objects, "create", explode),
    "items": lambda mp: mp.setattr(DisclosureItem.objects, "bulk_create", explode),
    "external link": lambda mp: mp.setattr(ExternalLink.objects, "create", explode),
    "chronology entry": lambda mp: mp.setattr(actions.chronology_actions, "do_record_entry", explode),
    "ledger": lambda mp: mp.setattr(ledger, "append", fail_on_share(ledger.append)),
}


def draft_for(cast, entries, **kwargs):
    actor = actor_for(cast.alice)
    return actor, actions.do_start_draft(acting=actor, person=cast.maya, entry_ids=[e.pk for e in entries], **kwargs)


def decide(actor, draft, cast, **overrides):
    data = decision_data(**({"recipient": cast.social_care} | overrides))
    return actions.do_decide(acting=actor, draft=draft, data=data,
                             shareable=access.shareable_entries(actor, cast.maya))


def nothing_was_sent() -> None:
    assert not Decision.objects.exists()
    assert not Disclosure.objects.exists()
    assert not Snapshot.objects.exists()
    assert not DisclosureItem.objects.exists()
    assert not ExternalLink.objects.exists()
    assert not Entry.objects.filter(kind=EntryKind.SHARE).exists()
    assert not AccessEvent.objects.filter(action=Action.SHARE).exists()


@pytest.mark.parametrize("step", STEPS)
def test_a_failure_at_any_step_leaves_nothing_half_sent(cast, three_entries, monkeypatch, step,
                                                        django_capture_on_commit_callbacks):
    actor, draft = draft_for(cast, three_entries)
    events, head = AccessEvent.objects.count(), ChainHead.objects.values_list("seq", "hash").first()
    external = step == "external link"
    STEPS[step](monkeypatch)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Crash):
        decide(actor, draft, cast, **(({"recipient": None} | EXTERNAL) if external else {}))
    nothing_was_sent()
    assert callbacks == [] and mail.outbox == []
    assert AccessEvent.objects.count() == events
    assert ChainHead.objects.values_list("seq", "hash").first() == head
    assert ShareDraft.objects.filter(pk=draft.pk).exists()  # still there, to send again


def test_a_failure_while_answering_a_request_leaves_it_open(cast, three_entries, monkeypatch,
                                                             django_capture_on_commit_callbacks):
    request = actions.do_request(acting=actor_for(cast.dan), data=actions.RequestData(
        holder=cast.riverside, given_name="Maya", family_name="Thompson", reason="Assessment",
        information_wanted="Concerns this term"))
    actor = actor_for(cast.alice)
    draft = actions.do_start_answer(acting=actor, request=request, person=cast.maya)
    actions.do_update_draft(acting=actor, draft=draft, entry_ids=[e.pk for e in three_entries])
    STEPS["chronology entry"](monkeypatch)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Crash):
        decide(actor, draft, cast, recipient=cast.social_care)
    nothing_was_sent()
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN and request.answered_at is None and request.holder_person is None
    assert mail.outbox == []


def test_a_withhold_that_fails_leaves_no_decision(cast, three_entries, monkeypatch):
    actor, draft = draft_for(cast, three_entries)
    STEPS["chronology entry"](monkeypatch)
    with pytest.raises(Crash):
        decide(actor, draft, cast, outcome=Outcome.WITHHOLD)
    nothing_was_sent()


# When it succeeds ------------------------------------------------------------------------------


def personal_details(cast, entries) -> list[str]:
    return ["Maya", "Thompson", "2015", "999 000 1235", "Mill Lane", *(e.what_happened[:20] for e in entries)]


def test_the_recipients_email_goes_only_once_the_share_is_committed(cast, three_entries,
                                                                    django_capture_on_commit_callbacks):
    actor, draft = draft_for(cast, three_entries)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sent = decide(actor, draft, cast)
    assert mail.outbox == [] and callbacks  # waiting for the commit
    for callback in callbacks:
        callback()
    (email,) = mail.outbox
    assert cast.dan.email in email.to
    assert "Riverside School" in email.body and "/sharing/inbox/" in email.body
    for detail in [*personal_details(cast, three_entries), sent.decision.purpose, sent.decision.rationale]:
        assert detail not in email.subject + email.body, detail


def test_an_external_recipient_gets_a_link_by_email_and_never_the_code_or_content(cast, three_entries,
                                                                                  django_capture_on_commit_callbacks):
    actor, draft = draft_for(cast, three_entries)
    with django_capture_on_commit_callbacks(execute=True):
        sent = decide(actor, draft, cast, recipient=None, **EXTERNAL)
    (email,) = mail.outbox
    assert email.to == ["welfare@juniors.test"] and not email.attachments
    assert sent.link_token in email.body and sent.link_code not in email.body
    for detail in personal_details(cast, three_entries):
        assert detail not in email.subject + email.body, detail


def test_a_crash_after_an_earlier_share_leaves_that_one_alone(cast, three_entries, monkeypatch,
                                                              django_capture_on_commit_callbacks):
    actor, draft = draft_for(cast, three_entries)
    with django_capture_on_commit_callbacks(execute=True):
        first = decide(actor, draft, cast)
    mail.outbox.clear()
    actor, second_draft = draft_for(cast, three_entries[:1])
    STEPS["snapshot"](monkeypatch)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Crash):
        decide(actor, second_draft, cast)
    assert list(Disclosure.objects.values_list("pk", flat=True)) == [first.disclosure.pk]
    assert Snapshot.objects.count() == 1 and DisclosureItem.objects.count() == 3
    assert mail.outbox == []
