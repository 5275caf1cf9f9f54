"""The daily reminder: overdue acknowledgements and requests are chased, with no personal detail."""

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from jigsaw.sharing import actions
from tests.chronology.conftest import actor_for
from tests.sharing.conftest import share

pytestmark = pytest.mark.django_db


def test_overdue_disclosures_and_requests_are_chased_without_personal_detail(cast, three_entries,
                                                                              django_capture_on_commit_callbacks):
    share(cast.alice, cast.maya, three_entries, recipient=cast.social_care)
    actions.do_request(acting=actor_for(cast.dan), data=actions.RequestData(
        holder=cast.riverside, given_name="Maya", family_name="Thompson", reason="Assessment",
        information_wanted="Attendance", urgency="urgent"))
    mail.outbox.clear()
    with time_machine.travel(datetime.timedelta(days=10)), django_capture_on_commit_callbacks(execute=True):
        call_command("send_sharing_reminders", stdout=io.StringIO())
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == [
        "Information shared with you is waiting to be acknowledged",
        "Information you shared has not been acknowledged",
        "Requests for information are overdue",
    ]
    for message in mail.outbox:
        assert "Maya" not in message.body and "Thompson" not in message.body


def test_nothing_is_sent_when_nothing_is_overdue(cast, three_entries, django_capture_on_commit_callbacks):
    sent = share(cast.alice, cast.maya, three_entries, recipient=cast.social_care)
    actions.do_acknowledge(acting=actor_for(cast.dan), disclosure=sent.disclosure, action_taken="Read and filed")
    mail.outbox.clear()
    with time_machine.travel(datetime.timedelta(days=10)), django_capture_on_commit_callbacks(execute=True):
        counts = actions.do_send_reminders(acting=actor_for(cast.alice))
    assert counts == {"disclosures": 0, "requests": 0}
    assert mail.outbox == []
