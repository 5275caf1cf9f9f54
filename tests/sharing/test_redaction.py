"""Golden rule 5 by example: what redaction takes out of outgoing text, what it leaves, and why.

The pure functions in jigsaw/sharing/redaction.py first, then snapshots.build, which applies them
to everything a recipient gets.
"""

import json
from types import SimpleNamespace

import pytest
from django.urls import reverse

from jigsaw.people.models import Person
from jigsaw.sharing import snapshots
from jigsaw.sharing.redaction import PROTECTED_REASON, REDACTED, redact, terms_for_manual, terms_for_person
from tests.chronology.conftest import log
from tests.sharing.conftest import share

R = REDACTED


def protected(given="Ann", family="Smith", other_names="", address="", postcode=""):
    return SimpleNamespace(given_name=given, family_name=family, other_names=other_names, address=address,
                           postcode=postcode)


def redacted(text: str, person=None, manual=()) -> str:
    terms = terms_for_person(person or protected()) + terms_for_manual(manual)
    return redact(text, terms).text


# Names ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("Ann Smith rang the school.", f"{R} rang the school."),
    ("Ann rang the school.", f"{R} rang the school."),
    ("Mrs Smith rang the school.", f"Mrs {R} rang the school."),
    ("Ann  Smith,\nafter lunch", f"{R},\nafter lunch"),
    ("ANN SMITH and ann smith", f"{R} and {R}"),
    ("aNn sMiTh", R),
])
def test_the_full_name_and_each_name_alone_are_removed_in_any_case(text, expected):
    assert redacted(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Ann's car was outside.", f"{R} car was outside."),
    ("Ann’s car was outside.", f"{R} car was outside."),
    ("The Smiths' car was outside.", f"The {R} car was outside."),
    ("The Smiths were at home.", f"The {R} were at home."),
    ("Mr Smith's dog", f"Mr {R} dog"),
])
def test_possessives_and_plurals_are_removed_whole(text, expected):
    assert redacted(text) == expected


def test_a_hyphenated_name_loses_the_protected_part():
    assert redacted("Ann-Marie waited by the gate.") == f"{R}-Marie waited by the gate."


@pytest.mark.parametrize("text, expected", [
    ("Write to ann.smith@example.org today", f"Write to {R}@example.org today"),
    ("Her handle is AnnSmith", f"Her handle is {R}"),
    ("@annsmith99 posted it", f"@{R}99 posted it"),
    ("#ann_smith", f"#{R}"),
    ("ann2 and 2ann", f"{R}2 and 2{R}"),
])
def test_a_name_run_together_in_an_address_or_handle_is_removed(text, expected):
    assert redacted(text) == expected


def test_a_protected_zoe_with_an_accent_is_found_written_without_one():
    assert redacted("Zoe said ZOE and zoë", protected("Zoë", "Quennell")) == f"{R} said {R} and {R}"


def test_a_protected_zoe_without_an_accent_is_found_written_with_one():
    assert redacted("Zoë came; ZOË left", protected("Zoe", "Quennell")) == f"{R} came; {R} left"


def test_a_sharp_s_is_found_in_capitals():
    assert redacted("STRAUSS and Strauss", protected("Eva", "Strauß")) == f"{R} and {R}"


def test_other_names_and_nicknames_are_removed():
    person = protected(other_names="Annie, Nan; Ann Jones")
    assert redacted("Annie and Nan came with Ann Jones and Mrs Jones.", person) == (
        f"{R} and {R} came with {R} and Mrs {R}.")


def test_names_inside_longer_words_are_left_readable():
    """A single name is matched as a word (see the module docstring of redaction.py): protecting
    "Ann" must not turn "Annual" or "Joanna" into nonsense, which would make records unreadable and
    teach senders to distrust the preview. A whole name run together is the exception: it is caught
    anywhere, because "annsmith" inside a longer string is still Ann Smith."""
    person = protected("Ann", "Smith")
    assert redacted("Annual review with Joanna at Annsbury Road", person) == (
        "Annual review with Joanna at Annsbury Road")
    assert redacted("xxannsmithyy", person) == f"xx{R}yy"


def test_an_initial_and_surname_run_together_is_removed():
    assert redacted("E-mail asmith@example.org", protected("Ann", "Smith")) == f"E-mail {R}@example.org"


# Addresses ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("She moved to 12 Mill Lane last week.", f"She moved to {R} last week."),
    ("She moved to 12, Mill Lane.", f"She moved to {R}."),
    ("Seen on Mill Lane", f"Seen on {R}"),
    ("Postcode PL4 8AA", f"Postcode {R}"),
    ("postcode pl48aa", f"postcode {R}"),
    ("postcode PL4  8AA.", f"postcode {R}."),
])
def test_the_first_line_of_the_address_and_the_postcode_are_removed(text, expected):
    person = protected(address="12 Mill Lane, Westbridge", postcode="PL4 8AA")
    assert redacted(text, person) == expected


def test_the_town_is_left():
    person = protected(address="12 Mill Lane, Westbridge", postcode="PL4 8AA")
    assert redacted("Westbridge Children's Social Care", person) == "Westbridge Children's Social Care"


def test_the_street_of_a_flat_is_removed():
    person = protected(address="Flat 3, 12 Mill Lane, Westbridge", postcode="PL4 8AA")
    assert redacted("She lives at 12 Mill Lane now", person) == f"She lives at {R} now"


# Hand-marked phrases ----------------------------------------------------------------------------


def test_a_hand_marked_phrase_is_removed_with_its_reason():
    manual = [{"phrase": "the red car", "reason": "Would identify the neighbour who reported it"}]
    result = redact("She got into The Red  Car outside.", terms_for_manual(manual))
    assert result.text == f"She got into {R} outside."
    assert result.removed == {("manual", "Would identify the neighbour who reported it"): 1}


def test_a_hand_marked_phrase_goes_before_names_inside_it():
    manual = [{"phrase": "Ann's brother Tom", "reason": "Identifies the family"}]
    result = redact("Ann's brother Tom and Ann", terms_for_person(protected()) + terms_for_manual(manual))
    assert result.text == f"{R} and {R}"
    assert result.removed == {("manual", "Identifies the family"): 1, ("protected", PROTECTED_REASON): 1}


def test_redaction_counts_each_place_and_keeps_no_text():
    result = redact("Ann Smith, Ann and Smith", terms_for_person(protected()))
    assert result.count == 3 and result.removed == {("protected", PROTECTED_REASON): 3}
    assert "Ann" not in str(result.removed) and "Smith" not in str(result.removed)


# What a recipient gets: snapshots.build ---------------------------------------------------------


@pytest.fixture
def informant(cast):
    return Person.objects.create(
        organisation=cast.riverside, given_name="Zoë", family_name="Quennell", other_names="Zo",
        nhs_number="", nhs_number_absent_reason="Adult informant", address="7 Heron Close, Westbridge",
        postcode="PL4 9ZZ", protected_identity=True, protected_identity_reason="Informant: fears reprisal",
    )


@pytest.fixture
def entry_naming_her(cast, informant):
    from decimal import Decimal

    from jigsaw.chronology.actions import Mark

    return log(
        cast.bob, cast.maya, "Zoë Quennell of 7 Heron Close rang about shouting.",
        childs_words="Zoe next door heard it", present="Mrs Quennell, Bob Brown", location="Heron Close",
        actions_taken="Rang Zo back on zoe.quennell@example.org", involvements=[(informant, "witness")],
        marks=[Mark("front", "head-face", Decimal("50"), Decimal("8"), "Quennell said it was a fall")],
    ).first_entry


def built(cast, entries, manual=()):
    return snapshots.build(organisation=cast.riverside, subject=cast.maya, entries=entries, manual=list(manual),
                           purpose="Assessment", recipient_label="Westbridge Children's Social Care")


@pytest.mark.django_db
def test_a_protected_persons_name_is_nowhere_in_the_content(cast, entry_naming_her):
    result = built(cast, [entry_naming_her])
    text = json.dumps(result.content, ensure_ascii=False).casefold()
    for word in ("zoë", "zoe", "quennell", "heron", "pl4 9zz", "zo "):
        assert word not in text, word
    item = result.content["items"][0]
    assert item["others"] == [{"name": R, "part": "Witness"}]
    assert item["body_map"][0]["note"] == f"{R} said it was a fall"
    assert result.content["redacted"] is True and result.content["notice"] == snapshots.REDACTION_NOTICE


@pytest.mark.django_db
def test_the_childs_own_address_is_hidden_when_they_live_with_a_protected_person(cast, three_entries):
    assert built(cast, three_entries).content["child"]["address"] == "1 Mill Lane, Westbridge"
    cast.mum.protected_identity, cast.mum.protected_identity_reason = True, "Fled domestic abuse"
    cast.mum.save()
    child = built(cast, three_entries).content["child"]
    assert child["address"] == R and child["postcode"] == R
    assert child["given_name"] == "Maya" and child["family_name"] == "Thompson"


@pytest.mark.django_db
def test_redaction_records_say_where_how_many_and_why_never_what(cast, entry_naming_her):
    manual = [{"phrase": "shouting", "reason": "Would identify the caller"}]
    result = built(cast, [entry_naming_her], manual)
    assert result.redaction_count == sum(each["count"] for each in result.redactions) >= 8
    for each in result.redactions:
        assert set(each) == {"item", "field", "kind", "reason", "count"}
    reasons = {each["reason"] for each in result.redactions}
    assert reasons == {PROTECTED_REASON, "Would identify the caller"}
    assert {"what_happened", "childs_words", "present", "location", "actions_taken", "others", "body_map"} <= {
        each["field"] for each in result.redactions}
    stored = json.dumps(result.redactions, ensure_ascii=False).casefold()
    assert "quennell" not in stored and "zo" not in stored.replace("zone", "") and "shouting" not in stored


@pytest.mark.django_db
def test_nothing_is_redacted_when_no_one_is_protected(cast, three_entries):
    result = built(cast, three_entries)
    assert result.redactions == [] and result.content["redacted"] is False and result.content["notice"] == ""


@pytest.mark.django_db
def test_a_protected_name_typed_into_the_purpose_is_redacted_too(cast, entry_naming_her):
    sent = share(cast.alice, cast.maya, [entry_naming_her], recipient=cast.social_care,
                 purpose="To check what Zoë Quennell reported")
    assert "Quennell" not in json.dumps(sent.disclosure.snapshot.content, ensure_ascii=False)


# Every page a recipient reads shows the purpose as sent, redacted ----------------------------------


PURPOSE_NAMING_HER = "To check what Zoë Quennell reported"


@pytest.mark.django_db
def test_the_recipients_page_shows_the_purpose_redacted(cast, entry_naming_her, signed_in):
    sent = share(cast.alice, cast.maya, [entry_naming_her], recipient=cast.social_care, purpose=PURPOSE_NAMING_HER)
    page = signed_in(cast.dan).get(reverse("received_disclosure", args=[sent.disclosure.pk]))
    assert page.status_code == 200
    assert "Quennell" not in page.content.decode()


@pytest.mark.django_db
def test_an_external_recipients_page_shows_the_purpose_redacted(cast, entry_naming_her, client):
    sent = share(cast.alice, cast.maya, [entry_naming_her], purpose=PURPOSE_NAMING_HER, external_name="Sam Coach",
                 external_role="Welfare officer", external_email="welfare@juniors.test", external_phone="01632 960123",
                 external_reason="Runs the club Maya attends")
    page = client.post(reverse("external_disclosure", args=[sent.link_token]), {"code": sent.link_code}, follow=True)
    assert page.status_code == 200 and "Purpose" in page.content.decode()
    assert "Quennell" not in page.content.decode()
