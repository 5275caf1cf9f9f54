"""Helpers for sharing tests: a decision's usual answers, and a share from Alice to Dan's team."""

import pytest

from jigsaw.guidance.sharing import ConsentStatus, LawfulBasis, Outcome
from jigsaw.sharing import access, actions
from tests.chronology.conftest import actor_for, log


def decision_data(**overrides) -> actions.DecisionData:
    values = {
        "outcome": Outcome.SHARE,
        "purpose": "So that children's social care can assess Maya's safety at home",
        "rationale": "Maya may be at risk of significant harm; sharing is necessary and proportionate.",
        "consent": ConsentStatus.NOT_SOUGHT_RISK,
        "lawful_basis": LawfulBasis.PUBLIC_TASK,
        "not_told_reason": "Telling her mother could increase the risk to Maya",
    }
    values.update(overrides)
    return actions.DecisionData(**values)


def share(user, person, entries, *, recipient=None, kind="share", manual=(), everything=False, **overrides):
    """Send `entries` about `person` from `user`'s organisation through the real actions."""
    actor = actor_for(user)
    draft = actions.do_start_draft(acting=actor, person=person, kind=kind, entry_ids=[e.pk for e in entries])
    if manual or everything:
        actions.do_update_draft(acting=actor, draft=draft, manual_redactions=list(manual), everything=everything)
    data = decision_data(recipient=recipient, **overrides)
    return actions.do_decide(acting=actor, draft=draft, data=data,
                             shareable=access.shareable_entries(actor, person))


@pytest.fixture
def three_entries(cast):
    return [log(cast.bob, cast.maya, text).first_entry for text in (
        "Maya said she was hungry and had not eaten since Friday.",
        "Bruise seen on Maya's left forearm during PE.",
        "Maya arrived late and tired; said she had been looking after her brother.",
    )]
