"""The decision record: laid out by golden rule, open to case and governance roles, never showing entry content."""

import pytest
from django.urls import reverse

from jigsaw.accounts.middleware import ACTIVE_MEMBERSHIP
from jigsaw.audit.models import AccessEvent, Action
from jigsaw.guidance.sharing import ConsentStatus, Outcome
from jigsaw.sharing import access, actions
from tests.chronology.conftest import actor_for
from tests.sharing.conftest import decision_data, share

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(cast, three_entries):
    return share(cast.alice, cast.maya, three_entries, recipient=cast.social_care,
                 consent=ConsentStatus.REFUSED_OVERRIDDEN, objections="Maya's mother said no",
                 objections_weighed="Her refusal would leave Maya at risk", emergency=True)


@pytest.fixture
def erin(cast, signed_in):
    client = signed_in(cast.erin)
    session = client.session
    session[ACTIVE_MEMBERSHIP] = cast.erin.memberships.get(organisation=cast.riverside).pk
    session.save()
    return client


def test_the_decision_is_laid_out_by_golden_rule(cast, signed_in, sent):
    page = signed_in(cast.alice).get(reverse("decision", args=[sent.decision.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    headings = ["1. The child", "2. Who was told", "3. Consent", "4. Advice", "7. The reasons"]
    positions = [text.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert "Maya&#x27;s mother said no" in text and "Her refusal would leave Maya at risk" in text
    assert "Maya may be at risk of significant harm" in text
    assert "6(1)(e) Public task" in text and "Emergency" in text
    assert reverse("disclosure", args=[sent.disclosure.pk]) in text
    assert AccessEvent.objects.filter(action=Action.VIEW, object_type="sharing.decision",
                                      object_id=str(sent.decision.pk)).exists()


def test_erin_reads_decisions_and_reasons_but_no_entry_content(cast, erin, sent):
    page = erin.get(reverse("decision", args=[sent.decision.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Maya may be at risk of significant harm" in text
    for entry_text in ("hungry", "Bruise seen", "looking after her brother"):
        assert entry_text not in text
    assert reverse("disclosure", args=[sent.disclosure.pk]) not in text
    assert erin.get(reverse("disclosure", args=[sent.disclosure.pk])).status_code == 404
    assert erin.get(reverse("disclosure_pdf", args=[sent.disclosure.pk])).status_code == 404
    listed = erin.get(reverse("decisions"))
    assert [d.pk for d in listed.context["page"]] == [sent.decision.pk]


def test_carol_and_dan_cannot_open_alices_decision(cast, signed_in, sent):
    for user in (cast.carol, cast.dan):
        assert signed_in(user).get(reverse("decision", args=[sent.decision.pk])).status_code == 404
        listed = signed_in(user).get(reverse("decisions"))
        assert sent.decision.pk not in [d.pk for d in listed.context["page"]]


def test_staff_cannot_see_decisions(cast, signed_in, sent):
    client = signed_in(cast.bob)
    assert client.get(reverse("decisions")).status_code == 404
    assert client.get(reverse("decision", args=[sent.decision.pk])).status_code == 404


def test_a_decision_not_to_share_is_recorded_with_its_reasons(cast, signed_in, three_entries):
    withheld = share(cast.alice, cast.maya, three_entries, recipient=cast.hillside, outcome=Outcome.WITHHOLD,
                     lawful_basis="", rationale="Hillside has no role with Maya now")
    text = signed_in(cast.alice).get(reverse("decision", args=[withheld.decision.pk])).content.decode()
    assert "Decision not to share with Hillside School" in text
    assert "Hillside has no role with Maya now" in text
    assert "Not needed: nothing was shared" in text


def test_the_list_filters_by_outcome(cast, signed_in, sent, three_entries):
    withheld = share(cast.alice, cast.maya, three_entries, recipient=cast.hillside, outcome=Outcome.WITHHOLD,
                     lawful_basis="")
    client = signed_in(cast.alice)
    everything = client.get(reverse("decisions"))
    assert [d.pk for d in everything.context["page"]] == [withheld.decision.pk, sent.decision.pk]
    only = client.get(reverse("decisions"), {"outcome": "withhold"})
    assert [d.pk for d in only.context["page"]] == [withheld.decision.pk]


@pytest.mark.parametrize("count", [2, 20])
def test_the_list_costs_the_same_number_of_queries_however_many_decisions(cast, signed_in, three_entries, count,
                                                                          django_assert_max_num_queries):
    for number in range(count):
        share(cast.alice, cast.maya, three_entries[:1], recipient=cast.social_care if number % 2 else cast.hillside)
    client = signed_in(cast.alice)
    with django_assert_max_num_queries(17):
        response = client.get(reverse("decisions"))
    assert len(response.context["page"]) == count


def test_reconsidered_decisions_link_both_ways(cast, signed_in, three_entries):
    asked = actions.do_request(acting=actor_for(cast.dan), data=actions.RequestData(
        holder=cast.riverside, given_name="Maya", family_name="Thompson", reason="Assessment",
        information_wanted="Any concerns"))
    alice = actor_for(cast.alice)
    first_draft = actions.do_start_answer(acting=alice, request=asked, person=cast.maya)
    first = actions.do_decide(acting=alice, draft=first_draft, shareable=access.shareable_entries(alice, cast.maya),
                              data=decision_data(recipient=cast.social_care, outcome=Outcome.WITHHOLD,
                                                 lawful_basis=""))
    asked.refresh_from_db()
    actions.do_add_information(acting=actor_for(cast.dan), request=asked, text="Maya disclosed to police")
    second_draft = actions.do_start_answer(acting=alice, request=asked, person=cast.maya)
    actions.do_update_draft(acting=alice, draft=second_draft, entry_ids=[three_entries[0].pk])
    second = actions.do_decide(acting=alice, draft=second_draft, data=decision_data(recipient=cast.social_care),
                               shareable=access.shareable_entries(alice, cast.maya))
    client = signed_in(cast.alice)
    earlier = client.get(reverse("decision", args=[first.decision.pk])).content.decode()
    assert reverse("decision", args=[second.decision.pk]) in earlier and "Reconsidered since" in earlier
    later = client.get(reverse("decision", args=[second.decision.pk])).content.decode()
    assert reverse("decision", args=[first.decision.pk]) in later and "In answer to a request" in later
