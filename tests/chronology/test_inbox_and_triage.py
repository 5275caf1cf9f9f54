import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from jigsaw.accounts.roles import Role
from jigsaw.audit.models import AccessEvent, Action
from jigsaw.chronology import actions
from jigsaw.chronology.models import ActionItem, Concern, Entry, EntryKind, KeyEvent
from tests.cast import make_user
from tests.chronology.conftest import actor_for, log

GMT = datetime.UTC  # London in November


def decide(outcome="refer_csc", rationale="Bruising with a disclosure: threshold for a referral is met.", **extra):
    data = {"outcome": outcome, "rationale": rationale, "actions-TOTAL_FORMS": "2", "actions-INITIAL_FORMS": "0"}
    data.update(extra)
    return data


def test_a_new_concern_is_in_the_leads_inbox(signed_in, cast, concern):
    html = signed_in(cast.alice).get("/inbox/").content.decode()
    assert "Maya Thompson" in html and "Bob Brown" in html and "Not read yet" in html


def test_opening_it_marks_it_read_for_the_author(signed_in, cast, concern):
    signed_in(cast.alice).get(f"/concerns/{concern.pk}/triage/")
    concern.refresh_from_db()
    assert concern.status == "read" and concern.read_by == cast.alice and concern.read_at


def test_the_decision_is_an_entry_with_its_rationale_and_actions(signed_in, cast, concern):
    response = signed_in(cast.alice).post(f"/concerns/{concern.pk}/triage/", decide(**{
        "actions-0-description": "Ring the MASH", "actions-0-owner": str(cast.alice.pk),
        "actions-0-due_day": "3", "actions-0-due_month": "11", "actions-0-due_year": "2026",
    }))
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.status == "triaged" and concern.outcome == "refer_csc"
    decision = Entry.objects.get(kind=EntryKind.TRIAGE)
    assert decision.triage_outcome == "refer_csc" and "threshold" in decision.what_happened
    item = ActionItem.objects.get()
    assert item.description == "Ring the MASH" and item.owner == cast.alice and item.entry == decision
    assert KeyEvent.objects.filter(thread=decision.thread).exists()


def test_a_decision_needs_a_rationale(signed_in, cast, concern):
    response = signed_in(cast.alice).post(f"/concerns/{concern.pk}/triage/", decide(rationale=""))
    assert response.status_code == 400
    assert "Enter the reasons for your decision" in response.content.decode()


def test_an_action_owner_from_another_school_is_refused(signed_in, cast, concern):
    response = signed_in(cast.alice).post(f"/concerns/{concern.pk}/triage/", decide(**{
        "actions-0-description": "Ring", "actions-0-owner": str(cast.carol.pk),
    }))
    assert response.status_code == 400
    assert not ActionItem.objects.exists()


def test_two_decisions_cannot_both_succeed(signed_in, cast, concern):
    actions.do_triage(acting=actor_for(cast.alice), concern=concern, outcome="monitor", rationale="Watch")
    response = signed_in(cast.alice).post(f"/concerns/{concern.pk}/triage/", decide())
    assert response.status_code == 400
    assert Entry.objects.filter(kind=EntryKind.TRIAGE).count() == 1
    with pytest.raises(actions.AlreadyDecided):
        actions.do_triage(acting=actor_for(cast.alice), concern=concern, outcome="monitor", rationale="Again")


def test_staff_and_outsiders_cannot_triage(signed_in, cast, concern):
    assert signed_in(cast.bob).get(f"/concerns/{concern.pk}/triage/").status_code == 404
    assert signed_in(cast.carol).get(f"/concerns/{concern.pk}/triage/").status_code == 404
    assert signed_in(cast.dan).get(f"/concerns/{concern.pk}/triage/").status_code == 404
    assert signed_in(cast.bob).get("/inbox/").status_code == 404


def test_the_inbox_shows_only_my_organisations_concerns(signed_in, cast, concern):
    assert "Maya Thompson" not in signed_in(cast.carol).get("/inbox/").content.decode()


def test_an_unread_concern_past_the_limit_is_highlighted(signed_in, cast):
    with time_machine.travel(datetime.datetime(2026, 11, 20, 9, 0, tzinfo=GMT), tick=False):
        log(cast.bob, cast.maya)  # a Friday
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 30, tzinfo=GMT), tick=False):
        html = signed_in(cast.alice).get("/inbox/").content.decode()
    assert "Overdue" in html


def test_a_weekend_does_not_count_as_a_working_day(signed_in, cast):
    with time_machine.travel(datetime.datetime(2026, 11, 20, 9, 0, tzinfo=GMT), tick=False):
        log(cast.bob, cast.maya)
    with time_machine.travel(datetime.datetime(2026, 11, 22, 18, 0, tzinfo=GMT), tick=False):
        html = signed_in(cast.alice).get("/inbox/").content.decode()
    assert "Overdue" not in html


def test_overdue_concerns_escalate_to_the_deputy_once(cast, django_capture_on_commit_callbacks):
    deputy = make_user("dee@riverside.test", "Dee Deputy", [(cast.riverside, Role.DEPUTY_DSL)])
    with time_machine.travel(datetime.datetime(2026, 11, 20, 9, 0, tzinfo=GMT), tick=False):
        concern = log(cast.bob, cast.maya)
    mail.outbox.clear()
    with (
        time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0, tzinfo=GMT), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("escalate_concerns")
        call_command("escalate_concerns")
    concern.refresh_from_db()
    assert concern.escalated_at is not None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [deputy.email]
    assert "Maya" not in mail.outbox[0].body
    assert AccessEvent.objects.filter(actor_label="Jigsaw (escalation)").count() == 1


def test_a_read_concern_never_escalates(cast):
    with time_machine.travel(datetime.datetime(2026, 11, 20, 9, 0, tzinfo=GMT), tick=False):
        concern = log(cast.bob, cast.maya)
        actions.do_mark_read(acting=actor_for(cast.alice), concern=concern)
    with time_machine.travel(datetime.datetime(2026, 11, 25, 9, 0, tzinfo=GMT), tick=False):
        call_command("escalate_concerns")
    assert Concern.objects.get().escalated_at is None


def test_reading_the_triage_page_is_in_the_ledger(signed_in, cast, concern):
    signed_in(cast.alice).get(f"/concerns/{concern.pk}/triage/")
    assert AccessEvent.objects.filter(action=Action.VIEW, person=cast.maya, user=cast.alice).exists()
