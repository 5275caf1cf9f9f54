import datetime

import pytest

from jigsaw.accounts.actor import Actor
from jigsaw.chronology import actions


def actor_for(user, organisation=None) -> Actor:
    memberships = user.memberships.filter(ended_at__isnull=True)
    if organisation is not None:
        memberships = memberships.filter(organisation=organisation)
    return Actor.for_membership(memberships.first())


def log(user, person, text="Maya said her dad hit her with a belt.", **fields):
    """Log a concern through the real action, as `user`."""
    uploads = fields.pop("uploads", ())
    data = actions.EntryData(what_happened=text, event_date=fields.pop("event_date", datetime.date(2026, 11, 2)),
                             actions_taken=fields.pop("actions_taken", "Told Alice Adeyemi at 10:15."), **fields)
    return actions.do_record_concern(acting=actor_for(user), person=person, data=data, uploads=uploads)


@pytest.fixture
def concern(cast):
    return log(cast.bob, cast.maya, categories=["physical-abuse"])
