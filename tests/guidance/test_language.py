"""Recording-quality checks from DOMAIN.md, "Recording well"."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jigsaw.guidance.language import ACRONYMS, VAGUE_PHRASES, Finding, check

TODAY = datetime.date(2026, 11, 20)
CLEAN = (
    "At 10:15 in the dinner hall Maya Patel cried and said her stepdad had shouted at her this morning. "
    "She had a red mark on her left cheek, about 2cm across."
)
ACTION = "Told Alice Smith (DSL) in person at 10:40 and recorded this concern."


def findings(what_happened="", **fields):
    fields.setdefault("actions_taken", ACTION)
    fields.setdefault("event_date", TODAY)
    return check(what_happened=what_happened, **fields)


def rules(found):
    return [finding.rule for finding in found]


def phrases(found, rule):
    return [finding.phrase for finding in found if finding.rule == rule]


def test_it_finds_nothing_in_a_clear_factual_record():
    assert findings(CLEAN, childs_words="He shouted at me", present="Maya Patel, Bob Jones (TA)") == []


def test_it_flags_seemed_upset_and_asks_what_was_seen():
    [finding] = findings("Maya seemed upset at break.")
    assert finding == Finding(
        "vague_phrase",
        "what_happened",
        "seemed upset",
        'You wrote "seemed upset". Describe what you saw or heard that made you think so: their words, their '
        "face, what they did.",
    )


@pytest.mark.parametrize(
    ("text", "phrase", "asks_for"),
    [
        ("The situation has deteriorated since June.", "situation has deteriorated", "what has changed"),
        ("Improvements seen this term.", "Improvements seen", "what has improved"),
        ("Concerns raised by the class teacher.", "Concerns raised", "who raised them"),
        ("She seemed upset at break.", "seemed upset", "what you saw or heard"),
        ("He appeared fine at lunch.", "appeared fine", "how they looked"),
        ("There are some concerns about lunch.", "some concerns", "what each concern is"),
        ("Mum is not engaging with the school.", "not engaging", "what was offered or asked"),
        ("He was not his usual self.", "usual self", "Not everyone reading knows this child"),
        ("Everything is going well.", "going well", "how you know"),
        ("There are issues at home.", "issues at home", "what the issues are"),
        ("Inappropriate behaviour in class.", "Inappropriate behaviour", "exactly what was said or done"),
        ("He had a bad day.", "bad day", "what happened during the day"),
    ],
)
def test_it_flags_each_vague_phrase_with_its_own_prompt(text, phrase, asks_for):
    [finding] = findings(text)
    assert (finding.rule, finding.field, finding.phrase) == ("vague_phrase", "what_happened", phrase)
    assert f'"{phrase}"' in finding.prompt
    assert asks_for in finding.prompt


def test_every_vague_phrase_in_domain_md_has_a_prompt_of_its_own():
    assert len({vague.prompt for vague in VAGUE_PHRASES}) == len(VAGUE_PHRASES) == 12
    for vague in VAGUE_PHRASES:
        assert phrases(findings(f"Note: {vague.phrase}."), "vague_phrase") == [vague.phrase]


@pytest.mark.parametrize(
    "variant",
    [
        "seems upset",
        "seemed very upset",
        "SEEMED UPSET",
        "looked a bit upset",
        "appears fine",
        "seemed to be fine",
        "appeared OK",
        "inappropriate behavior",
        "behaved inappropriately",
        "isn't engaging",
        "isn’t engaging",
        "wasn't engaged",
        "disengaged",
        "situation is deteriorating",
        "situation has worsened",
        "improvement has been noted",
        "concerns have been raised",
        "raised a concern",
        "some minor concerns",
        "normal self",
        "went really well",
        "problems at home",
        "rough day",
    ],
)
def test_it_recognises_simple_variants_of_vague_phrases_and_reports_the_words_used(variant):
    assert phrases(findings(f"Maya {variant} today."), "vague_phrase") == [variant]


def test_it_reports_each_occurrence_of_a_vague_phrase():
    found = findings("Seemed upset in maths. Seems upset again in PE.")
    assert phrases(found, "vague_phrase") == ["Seemed upset", "Seems upset"]


def test_it_checks_actions_taken_for_vague_phrases():
    [finding] = findings(CLEAN, actions_taken="Spoke to mum about issues at home.")
    assert (finding.field, finding.phrase) == ("actions_taken", "issues at home")


def test_it_never_checks_the_childs_own_words():
    words = "I had a bad day. JS said I seemed upset. I think it's obviously going well. There are issues at home."
    assert findings(CLEAN, childs_words=words) == []


def test_it_leaves_words_quoted_in_what_happened_alone():
    text = 'Maya said "I had a bad day, JS hit me" and cried. She shouted “I think I am fine”.'
    assert findings(text) == []


def test_it_flags_initials_and_asks_for_the_full_name():
    [finding] = findings("JS pushed Maya against the wall.")
    assert (finding.rule, finding.field, finding.phrase) == ("initials", "what_happened", "JS")
    assert '"JS"' in finding.prompt
    assert "full name" in finding.prompt


@pytest.mark.parametrize("initials", ["JS", "JSM", "J.S.", "J. S.", "J.S.M.", "J.S", "J S", "J S M"])
def test_it_flags_initials_written_in_different_ways(initials):
    assert phrases(findings(f"Maya was with {initials} at the gate."), "initials") == [initials]


@pytest.mark.parametrize("field", ["present", "actions_taken"])
def test_it_flags_initials_in_who_was_present_and_actions(field):
    [finding] = findings(CLEAN, **{field: "Spoke to AB and Carol Jones."})
    assert (finding.rule, finding.field, finding.phrase) == ("initials", field, "AB")


@pytest.mark.parametrize(
    "acronym",
    ["DSL", "GP", "PE", "PSHE", "SEN", "SENCO", "SENDCO", "TA", "CSC", "MASH", "NHS", "ED", "A&E", "ICT", "IT",
     "UK", "CP", "CIN", "LADO", "EHCP", "CAMHS", "PCSO", "DV", "DA", "ASB", "OK", "TV", "PC", "ID", "RE", "DT",
     "MFL", "G.P."],
)
def test_it_does_not_mistake_common_acronyms_for_initials(acronym):
    assert phrases(findings(f"Maya told the {acronym} about it.", present=f"Bob Jones ({acronym})"), "initials") == []


def test_every_acronym_in_the_allow_list_is_left_alone():
    text = " ".join(sorted(ACRONYMS))
    assert phrases(findings(CLEAN, present=text), "initials") == []


@pytest.mark.parametrize(
    "text",
    [
        "I saw the mark and I spoke to Alice Smith.",
        "Plan B I agreed with Alice Smith.",
        "She shouted NO and ran out.",
        "Moved to KS2 and Y7 sets; seen in A&E and by CP-IS.",
        "Mixed-case names such as DfE and SENCo.",
    ],
)
def test_it_does_not_mistake_the_pronoun_emphasis_or_codes_for_initials(text):
    assert phrases(findings(text), "initials") == []


def test_it_asks_for_an_action_when_none_is_recorded():
    found = findings(CLEAN, actions_taken="  \n ")
    assert found == [Finding("no_action", "actions_taken", "", found[0].prompt)]
    assert "No action is recorded" in found[0].prompt
    assert "who you told" in found[0].prompt


def test_it_does_not_ask_for_an_action_when_none_is_required():
    assert findings(CLEAN, actions_taken="", require_action=False) == []


def test_it_asks_for_the_date_of_the_event_when_it_is_missing():
    [finding] = findings(CLEAN, event_date=None)
    assert (finding.rule, finding.field, finding.phrase) == ("no_event_date", "event_date", "")
    assert "date of the event is missing" in finding.prompt


@pytest.mark.parametrize(
    "marker",
    ["I think", "I feel", "I believe", "in my opinion", "obviously", "clearly", "I'm sure", "I’m sure", "I am sure",
     "probably", "it seems"],
)
def test_it_flags_an_opinion_given_without_evidence(marker):
    [finding] = findings(f"Maya is frightened of her stepdad, {marker}.")
    assert (finding.rule, finding.field, finding.phrase) == ("opinion_without_evidence", "what_happened", marker)
    assert f'"{marker}"' in finding.prompt
    assert "no evidence" in finding.prompt


@pytest.mark.parametrize(
    "evidence",
    ["because she flinched", "as I saw her flinch", "I saw her flinch", "I heard him shout", "she said so",
     "she told me", "I observed her flinch", "I noticed her flinch", "due to what she drew"],
)
def test_it_accepts_an_opinion_with_evidence_in_the_same_sentence(evidence):
    assert findings(f"I think Maya is frightened of her stepdad {evidence}.") == []


def test_it_looks_for_evidence_sentence_by_sentence():
    found = findings("I saw a bruise on her arm. I think she is being hurt. Mrs. Jones said she is probably fine")
    assert [(finding.rule, finding.phrase) for finding in found] == [("opinion_without_evidence", "I think")]


def test_it_checks_actions_taken_for_opinions():
    [finding] = findings(CLEAN, actions_taken="Phoned mum. Clearly she did not care.")
    assert (finding.rule, finding.field, finding.phrase) == ("opinion_without_evidence", "actions_taken", "Clearly")


def test_it_lists_findings_in_field_order_and_in_the_order_they_were_written():
    found = check(
        what_happened="Bad day for JS. She seemed upset.",
        present="CD",
        actions_taken="",
        event_date=None,
    )
    assert [(finding.rule, finding.field, finding.phrase) for finding in found] == [
        ("vague_phrase", "what_happened", "Bad day"),
        ("initials", "what_happened", "JS"),
        ("vague_phrase", "what_happened", "seemed upset"),
        ("initials", "present", "CD"),
        ("no_action", "actions_taken", ""),
        ("no_event_date", "event_date", ""),
    ]


def test_a_finding_becomes_a_plain_dict_for_json():
    [finding] = findings("She seemed upset.")
    assert finding.as_dict() == {
        "rule": "vague_phrase",
        "field": "what_happened",
        "phrase": "seemed upset",
        "prompt": finding.prompt,
    }


def test_it_treats_missing_text_as_empty():
    assert rules(check(what_happened=None, present=None, actions_taken=None, event_date=TODAY)) == ["no_action"]


FIELDS = ("what_happened", "childs_words", "present", "actions_taken")


@given(st.fixed_dictionaries({field: st.text() for field in FIELDS}), st.booleans())
def test_check_never_raises_and_every_phrase_is_in_the_text_it_came_from(texts, require_action):
    for finding in check(**texts, event_date=TODAY, require_action=require_action):
        assert finding.field in {"what_happened", "present", "actions_taken"}
        assert finding.phrase in texts[finding.field]
        assert finding.prompt


@given(st.text(alphabet=st.sampled_from("AJSIE .&-\"“”abc\n!?"), max_size=40))
def test_check_never_raises_on_text_made_of_awkward_characters(text):
    for finding in check(what_happened=text, present=text, actions_taken=text, event_date=TODAY):
        assert finding.phrase in text
