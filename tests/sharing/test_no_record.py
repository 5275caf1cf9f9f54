"""A holder with no record of the child says so at once, so the requester can look elsewhere."""

import pytest

from jigsaw.sharing import actions
from jigsaw.sharing.models import RequestStatus
from tests.chronology.conftest import actor_for
from tests.sharing.test_requests import ask

pytestmark = pytest.mark.django_db


def test_the_holder_says_they_hold_no_record_and_the_requester_sees_it(cast, signed_in):
    asked = ask(cast)
    alice = signed_in(cast.alice)
    page = alice.get(f"/requests/{asked.pk}/answer/")
    assert page.status_code == 200 and "Choose your record of the child" not in page.content.decode()
    assert "Tell them we hold no record" in page.content.decode()
    response = alice.post(f"/requests/{asked.pk}/answer/", {"no_record": "1", "note": "Searched Maya Thomson too"})
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == RequestStatus.NO_RECORD and asked.answer_note == "Searched Maya Thomson too"
    dan = signed_in(cast.dan)
    page = dan.get(f"/requests/{asked.pk}/").content.decode()
    assert "No record held" in page and "Searched Maya Thomson too" in page


def test_no_record_cannot_follow_an_answer(cast):
    asked = ask(cast)
    actions.do_answer_no_record(acting=actor_for(cast.alice), request=asked)
    with pytest.raises(actions.AlreadyAnswered):
        actions.do_answer_no_record(acting=actor_for(cast.alice), request=asked)


def test_only_the_holder_can_say_so(cast, signed_in):
    asked = ask(cast)
    response = signed_in(cast.carol).post(f"/requests/{asked.pk}/answer/", {"no_record": "1"})
    assert response.status_code == 404
    asked.refresh_from_db()
    assert asked.status == RequestStatus.OPEN
