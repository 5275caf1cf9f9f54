"""The sharing wizard through the web, as Alice: choose entries, decide, preview, check, send."""

import datetime

import pytest
from django.urls import reverse

from jigsaw.chronology import actions as chronology_actions
from jigsaw.guidance.sharing import ConsentStatus, LawfulBasis, Outcome, SpecialCondition
from jigsaw.sharing import access
from jigsaw.sharing.models import Decision, Disclosure, ShareDraft
from tests.chronology.conftest import actor_for, log

pytestmark = pytest.mark.django_db


def decision_post(recipient=None, **overrides) -> dict:
    values = {
        "outcome": Outcome.SHARE,
        "recipient": recipient.pk if recipient is not None else "",
        "purpose": "So that children's social care can assess Maya's safety at home",
        "consent": ConsentStatus.NOT_SOUGHT_RISK,
        "not_told_reason": "Telling her mother could increase the risk to Maya",
        "lawful_basis": LawfulBasis.PUBLIC_TASK,
        "special_condition": SpecialCondition.SAFEGUARDING,
        "rationale": "Maya may be at risk of significant harm; sharing is necessary and proportionate.",
    }
    values.update(overrides)
    return {name: value for name, value in values.items() if value is not None}


def start(client, person, entries, **extra) -> ShareDraft:
    response = client.post(reverse("share_choose", args=[person.pk]), {"entries": [e.pk for e in entries], **extra})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ShareDraft.objects.get(pk=response.url.split("/")[2])


def decide(client, draft, data):
    return client.post(reverse("share_decision", args=[draft.pk]), data)


@pytest.fixture
def protected_mum(cast):
    cast.mum.protected_identity, cast.mum.protected_identity_reason = True, "Fled domestic abuse"
    cast.mum.save()
    return cast.mum


def test_alice_shares_three_entries_with_a_protected_name_and_a_hand_redaction(cast, signed_in, three_entries,
                                                                               protected_mum):
    client = signed_in(cast.alice)
    moved = log(cast.bob, cast.maya, "Maya said Jo Thompson has moved to a flat on Oak Road.").first_entry
    chosen = [three_entries[0], three_entries[1], moved]

    page = client.get(reverse("share_choose", args=[cast.maya.pk]))
    assert page.status_code == 200
    assert "Select everything (you will need to justify this)" in page.content.decode()
    draft = start(client, cast.maya, chosen)

    response = decide(client, draft, decision_post(cast.social_care))
    assert response.status_code == 302 and response.url == reverse("share_preview", args=[draft.pk])

    preview = client.get(response.url)
    assert preview.status_code == 200
    assert "Jo Thompson" not in str(preview.context["content"])
    assert preview.context["counts"]["automatic"] >= 1
    added = client.post(response.url, {"phrase": "Oak Road", "reason": "It would show where Jo now lives"})
    assert added.status_code == 302
    preview = client.get(response.url)
    assert "Oak Road" not in str(preview.context["content"])
    assert preview.context["counts"]["by_hand"] == 1

    check = client.get(reverse("share_check", args=[draft.pk]))
    assert check.status_code == 200
    assert "Send to Westbridge Children" in check.content.decode()
    sent = client.post(reverse("share_check", args=[draft.pk]), follow=True)
    assert sent.status_code == 200
    disclosure = Disclosure.objects.get()
    assert sent.redirect_chain[-1][0] == reverse("disclosure", args=[disclosure.pk])
    assert "Sent to Westbridge Children" in sent.content.decode()

    received = access.received_by(actor_for(cast.dan)).get()
    assert received == disclosure and disclosure.items.count() == 3
    content = str(received.snapshot.content)
    assert "Jo Thompson" not in content and "Oak Road" not in content
    assert not ShareDraft.objects.exists()


def test_replaying_the_send_does_not_send_twice(cast, signed_in, three_entries):
    client = signed_in(cast.alice)
    draft = start(client, cast.maya, three_entries)
    decide(client, draft, decision_post(cast.social_care))
    url = reverse("share_check", args=[draft.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 404
    assert Disclosure.objects.count() == 1 and Decision.objects.count() == 1


def test_choosing_nothing_is_refused_with_a_clear_error(cast, signed_in, three_entries):
    response = signed_in(cast.alice).post(reverse("share_choose", args=[cast.maya.pk]), {})
    assert response.status_code == 400
    assert "Select the entries to share, or select everything" in response.content.decode()
    assert not ShareDraft.objects.exists()


def test_the_kind_of_disclosure_comes_from_the_link(cast, signed_in, three_entries):
    client = signed_in(cast.alice)
    page = client.get(reverse("share_choose", args=[cast.maya.pk]) + "?kind=referral")
    assert 'name="kind" value="referral"' in page.content.decode()
    draft = start(client, cast.maya, three_entries, kind="referral")
    assert draft.kind == "referral"
    tampered = start(client, cast.maya, three_entries, kind="subject_access")
    assert tampered.kind == "share"


def test_entries_can_be_found_by_date(cast, signed_in, three_entries):
    old = log(cast.bob, cast.maya, "An old concern from last year", event_date=datetime.date(2025, 1, 10))
    url = reverse("share_choose", args=[cast.maya.pk])
    page = signed_in(cast.alice).get(url, {"filter-date_to_day": "1", "filter-date_to_month": "2",
                                           "filter-date_to_year": "2025"})
    assert [e.pk for e in page.context["entries"]] == [old.first_entry.pk]


def test_another_schools_entry_ids_are_never_sent(cast, signed_in, three_entries):
    leos = log(cast.carol, cast.leo, "Hillside's own concern about Leo").first_entry
    client = signed_in(cast.alice)
    draft = start(client, cast.maya, [three_entries[0], leos])
    decide(client, draft, decision_post(cast.social_care))
    preview = client.get(reverse("share_preview", args=[draft.pk]))
    assert "Hillside's own concern" not in str(preview.context["content"])
    client.post(reverse("share_check", args=[draft.pk]))
    sent = Disclosure.objects.get()
    assert list(sent.items.values_list("entry_id", flat=True)) == [three_entries[0].pk]
    assert "Hillside's own concern" not in str(sent.snapshot.content)


def test_bob_cannot_use_the_wizard(cast, signed_in, three_entries):
    client = signed_in(cast.bob)
    assert client.get(reverse("share_choose", args=[cast.maya.pk])).status_code == 404
    assert client.post(reverse("share_choose", args=[cast.maya.pk]),
                       {"entries": [three_entries[0].pk]}).status_code == 404
    assert not ShareDraft.objects.exists()


def test_carol_cannot_open_alices_draft(cast, signed_in, three_entries):
    draft = start(signed_in(cast.alice), cast.maya, three_entries)
    client = signed_in(cast.carol)
    assert client.get(reverse("share_choose", args=[cast.maya.pk])).status_code == 404
    for name in ("share_decision", "share_preview", "share_check"):
        assert client.get(reverse(name, args=[draft.pk])).status_code == 404
    assert client.post(reverse("share_check", args=[draft.pk])).status_code == 404
    assert client.post(reverse("share_discard", args=[draft.pk])).status_code == 404
    assert ShareDraft.objects.filter(pk=draft.pk).exists()


def test_discarding_a_draft_returns_to_the_chronology(cast, signed_in, three_entries):
    client = signed_in(cast.alice)
    draft = start(client, cast.maya, three_entries)
    response = client.post(reverse("share_discard", args=[draft.pk]))
    assert response.status_code == 302 and response.url == reverse("chronology", args=[cast.maya.pk])
    assert not ShareDraft.objects.exists()


def test_a_withhold_skips_the_preview_and_leads_to_the_decision(cast, signed_in, three_entries):
    client = signed_in(cast.alice)
    draft = start(client, cast.maya, three_entries)
    response = decide(client, draft, decision_post(cast.social_care, outcome=Outcome.WITHHOLD, lawful_basis=""))
    assert response.url == reverse("share_check", args=[draft.pk])
    check = client.get(response.url)
    assert "Record decision not to share" in check.content.decode()
    done = client.post(response.url)
    decision = Decision.objects.get()
    assert done.url == reverse("decision", args=[decision.pk])
    assert decision.outcome == Outcome.WITHHOLD and not Disclosure.objects.exists()


def test_an_external_recipient_gets_a_link_and_the_code_is_shown_once(cast, signed_in, three_entries):
    client = signed_in(cast.alice)
    draft = start(client, cast.maya, three_entries)
    decide(client, draft, decision_post(
        external_name="Sam Rivers", external_role="Youth worker", external_organisation="Westbridge Boxing Club",
        external_email="sam@boxing.test", external_phone="07700 900123",
        external_reason="Runs the club Maya attends every evening and can keep an eye on her"))
    response = client.post(reverse("share_check", args=[draft.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    code = response.context["code"]
    assert len(code) == 7 and code in page and "shown only now" in page
    assert "Phone 07700 900123 and read them this code" in page
    assert response["Cache-Control"] == "no-store"
    disclosure = Disclosure.objects.get()
    assert disclosure.recipient is None and disclosure.external_link.max_downloads >= 1
    assert code not in signed_in(cast.alice).get(reverse("disclosure", args=[disclosure.pk])).content.decode()


def test_the_chronology_offers_sharing_to_leads_only(cast, signed_in, three_entries):
    url = reverse("chronology", args=[cast.maya.pk])
    share_url = reverse("share_choose", args=[cast.maya.pk])
    assert share_url in signed_in(cast.alice).get(url).content.decode()
    assert share_url in signed_in(cast.alice).get(reverse("person", args=[cast.maya.pk])).content.decode()


def test_the_chronology_prompts_the_lead_to_share_after_a_referral_decision(cast, signed_in):
    concern = log(cast.bob, cast.maya)
    chronology_actions.do_triage(acting=actor_for(cast.alice), concern=concern, outcome="refer_csc",
                                 rationale="Significant harm")
    page = signed_in(cast.alice).get(reverse("chronology", args=[cast.maya.pk])).content.decode()
    assert "Don&#x27;t assume someone else will share" in page
    assert f'{reverse("share_choose", args=[cast.maya.pk])}?kind=referral' in page
