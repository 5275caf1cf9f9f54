"""The sharing actions at their core: a decision, a disclosure and its snapshot, all or nothing."""

import pytest
from django.core.exceptions import ValidationError

from jigsaw.audit.models import AccessEvent, Action
from jigsaw.chronology.models import Entry, EntryKind
from jigsaw.guidance.sharing import Outcome
from jigsaw.sharing.models import Decision, Disclosure, DisclosureItem, Snapshot
from tests.chronology.conftest import log
from tests.sharing.conftest import share

pytestmark = pytest.mark.django_db


def test_sharing_sends_a_redacted_snapshot_and_records_why(cast, three_entries):
    cast.mum.protected_identity, cast.mum.protected_identity_reason = True, "Fled domestic abuse"
    cast.mum.save()
    entry = log(cast.bob, cast.maya, "Jo Thompson's new address was mentioned by Maya.").first_entry
    sent = share(cast.alice, cast.maya, [*three_entries, entry], recipient=cast.social_care)
    disclosure = sent.disclosure
    assert disclosure.recipient == cast.social_care and disclosure.sender == cast.riverside
    assert disclosure.items.count() == 4
    content = disclosure.snapshot.content
    assert "Thompson's" not in content["items"][3]["what_happened"]
    assert "[redacted]" in content["items"][3]["what_happened"]
    assert content["child"]["address"] == "[redacted]"  # Maya lives with her protected mother
    assert content["notice"]
    assert AccessEvent.objects.filter(action=Action.SHARE, object_id=str(disclosure.pk)).exists()
    assert Entry.objects.filter(person=cast.maya, kind=EntryKind.SHARE).count() == 1


def test_a_withhold_without_reasons_is_refused_and_leaves_nothing(cast, three_entries):
    with pytest.raises(ValidationError) as error:
        share(cast.alice, cast.maya, three_entries, recipient=cast.social_care, outcome=Outcome.WITHHOLD,
              rationale=" ")
    assert "rationale" in error.value.message_dict
    assert not Decision.objects.exists()


def test_a_share_without_a_lawful_basis_is_refused(cast, three_entries):
    with pytest.raises(ValidationError) as error:
        share(cast.alice, cast.maya, three_entries, recipient=cast.social_care, lawful_basis="")
    assert "lawful_basis" in error.value.message_dict


def test_a_crash_while_sending_leaves_nothing_half_sent(cast, three_entries, monkeypatch):
    def explode(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Snapshot.objects, "create", explode)
    with pytest.raises(RuntimeError):
        share(cast.alice, cast.maya, three_entries, recipient=cast.social_care)
    assert not Decision.objects.exists()
    assert not Disclosure.objects.exists()
    assert not DisclosureItem.objects.exists()
    assert not Entry.objects.filter(kind=EntryKind.SHARE).exists()


def test_another_schools_entry_ids_are_never_sent(cast, three_entries):
    leos = log(cast.carol, cast.leo, "Hillside's own concern").first_entry
    sent = share(cast.alice, cast.maya, [three_entries[0], leos], recipient=cast.social_care)
    assert list(sent.disclosure.items.values_list("entry_id", flat=True)) == [three_entries[0].pk]
