"""Recording-quality checks, as data and pure functions (DOMAIN.md, "Recording well").

They run while someone writes and again on save. A finding is a prompt for specifics, never a
reason to refuse a save. A child's own words are never checked: they are recorded as said.
Words inside double quotation marks are treated as someone's own words and are not checked either.
"""

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import NamedTuple


@dataclass(frozen=True)
class Finding:
    rule: str
    field: str
    phrase: str
    prompt: str

    def as_dict(self) -> dict:
        return asdict(self)


class VaguePhrase(NamedTuple):
    phrase: str  # as DOMAIN.md words it
    pattern: str  # case-insensitive regex for it and its simple variants
    prompt: str  # "{phrase}" is replaced by what the writer actually wrote


_APOSTROPHE = "['’]"
_SOME = r"(?:(?:very|really|quite|rather|so|slightly|extremely|visibly|a\s+(?:little\s+)?bit|a\s+little)\s+){0,2}"
_LINKING = r"(?:seem|appear|look)(?:s|ed|ing)?\s+"
_BEEN = r"(?:(?:has|have|had)\s+been\s+|(?:is|are|was|were)\s+(?:being\s+)?)?"

VAGUE_PHRASES = (
    VaguePhrase(
        "situation has deteriorated",
        r"situation\s+(?:(?:has|had|is|was)\s+)?(?:deteriorat(?:ed|ing|es)|worsen(?:ed|ing|s)|got\s+worse)",
        'You wrote "{phrase}". Say what has changed and when: what you saw or heard before, and what you '
        "see or hear now.",
    ),
    VaguePhrase(
        "improvements seen",
        rf"improvements?\s+{_BEEN}(?:seen|noted|noticed|made|observed)",
        'You wrote "{phrase}". Say what has improved, who noticed it and what they saw or heard, with dates '
        "if you can.",
    ),
    VaguePhrase(
        "concerns raised",
        rf"concerns?\s+{_BEEN}raised|raised\s+(?:a\s+|some\s+)?concerns?",
        'You wrote "{phrase}". Say who raised them, when, and exactly what they said they had seen or heard.',
    ),
    VaguePhrase(
        "seemed upset",
        rf"{_LINKING}{_SOME}upset",
        'You wrote "{phrase}". Describe what you saw or heard that made you think so: their words, their '
        "face, what they did.",
    ),
    VaguePhrase(
        "appeared fine",
        rf"{_LINKING}(?:to\s+be\s+)?{_SOME}(?:fine|ok|okay|alright|all\s+right)",
        'You wrote "{phrase}". Describe what you saw or heard instead: how they looked, what they said and '
        "what they did.",
    ),
    VaguePhrase(
        "some concerns",
        r"some\s+(?:(?:minor|slight|further|ongoing|initial|possible|low[\s-]level)\s+)?concerns?",
        'You wrote "{phrase}". Say what each concern is and what it is based on: what was seen, heard or '
        "said, and by whom.",
    ),
    VaguePhrase(
        "not engaging",
        rf"(?:not|never|(?:is|was|are|were)n{_APOSTROPHE}t)\s+(?:been\s+)?(?:really\s+|fully\s+)?"
        r"engag(?:ing|ed)|disengag(?:ed|ing)|non[\s-]?engagement",
        'You wrote "{phrase}". Say what was offered or asked, and what the person actually did or said in '
        "response.",
    ),
    VaguePhrase(
        "usual self",
        r"(?:usual|normal)\s+sel(?:f|ves)",
        'You wrote "{phrase}". Not everyone reading knows this child: describe what you saw or heard, such '
        "as how they spoke, played or ate.",
    ),
    VaguePhrase(
        "going well",
        r"(?:going|goes|went|gone)\s+(?:very\s+|really\s+|quite\s+)?well",
        'You wrote "{phrase}". Say what is going well and how you know: what you saw, heard or were told, '
        "and by whom.",
    ),
    VaguePhrase(
        "issues at home",
        r"(?:issues?|problems?|difficult(?:y|ies)|troubles?)\s+(?:at|in\s+the)\s+home",
        'You wrote "{phrase}". Say what the issues are, who is involved, and who told you or how you know.',
    ),
    VaguePhrase(
        "inappropriate behaviour",
        r"inappropriate\s+(?:sexual\s+)?(?:behaviou?rs?|conduct|comments?|language|touching)"
        r"|(?:behav|act)(?:ed|ing|es|s)?\s+inappropriately",
        'You wrote "{phrase}". Describe exactly what was said or done, by whom and to whom, using the words '
        "that were used.",
    ),
    VaguePhrase(
        "bad day",
        r"(?:bad|rough|tough|difficult|off)\s+day",
        'You wrote "{phrase}". Describe what happened during the day and what you saw or heard that made it '
        "hard for them.",
    ),
)

# Upper-case words that are not someone's initials. Words of four or more letters are never
# mistaken for initials; they are listed so that the list reads as the whole vocabulary.
ACRONYMS = frozenset({
    "A&E", "ABH", "ADHD", "AM", "AP", "ASAP", "ASB", "ASC", "ASD", "BBC", "BSL", "CAF", "CAMHS", "CCE",
    "CCTV", "CEOP", "CIC", "CIN", "CLA", "CP", "CPC", "CPP", "CPS", "CSC", "CSE", "DA", "DBS", "DC", "DDSL",
    "DfE", "DHT", "DI", "DNA", "DOB", "DPO", "DR", "DS", "DSL", "DT", "DV", "EAL", "ED", "EHA", "EHCP", "EP",
    "EWO", "EWS", "FGM", "FSM", "FSW", "FYI", "GBH", "GCSE", "GP", "HR", "HT", "HV", "ICO", "ICPC", "ICT",
    "ID", "IDVA", "IEP", "II", "III", "IRO", "ISVA", "IT", "IV", "KS", "LA", "LAC", "LADO", "LEA", "MARAC",
    "MASH", "MAT", "MFL", "MP", "MR", "MRS", "MS", "MX", "NB", "NEET", "NFA", "NHS", "NI", "NSPCC", "OCD",
    "OK", "OT", "PC", "PCSO", "PE", "PEP", "PM", "PP", "PPE", "PRU", "PS", "PSHE", "PTSD", "RCPC", "RE",
    "RSE", "RSHE", "SALT", "SAR", "SARC", "SEMH", "SEN", "SEND", "SENCO", "SENDCO", "SLT", "SMS", "SN",
    "SRE", "SW", "TA", "TAC", "TAF", "TV", "UK", "UPN", "USB", "VI", "VII", "WC", "YJS", "YOT",
})

# Short English words that people write in capitals for emphasis ("she said NO").
SHOUTED_WORDS = frozenset({
    "ALL", "AM", "AN", "AND", "ARE", "AT", "BE", "BUT", "BY", "CAN", "DAD", "DID", "DO", "FOR", "GET", "GO",
    "GOT", "HAD", "HAS", "HE", "HER", "HIM", "HIS", "HIT", "HOW", "IF", "IN", "IS", "ME", "MUM", "MY", "NO",
    "NOT", "NOW", "OF", "OFF", "ON", "OR", "OUT", "SAW", "SHE", "SO", "THE", "TO", "UP", "US", "WAS", "WE",
    "WHO", "WHY", "YES", "YOU",
})

INITIALS = re.compile(
    r"""
    (?<![\w&./-])
    (?:
        [A-Z]\.\ ?[A-Z]\.(?:\ ?[A-Z]\.)?    # J.S.  J. S.  J.S.M.
      | [A-Z]\.[A-Z](?:\.[A-Z])?            # J.S
      | [A-Z]\ [A-Z](?:\ [A-Z])?            # J S  J S M
      | [A-Z]{2,3}                          # JS  JSM
    )
    (?![\w&/-])
    """,
    re.VERBOSE,
)

OPINION_MARKERS = (
    "I think", "I thought", "I feel", "I believe", "in my opinion", "in my view", "obviously", "clearly",
    "I'm sure", "I am sure", "probably", "it seems", "it seemed",
)
# "saw", "heard" and "told" also cover "I saw", "as I saw", "I heard" and "told me".
EVIDENCE_MARKERS = ("because", "due to", "said", "says", "told", "saw", "heard", "observed", "noticed")

INITIALS_PROMPT = (
    'You wrote "{phrase}". Initials can be misread or mistaken for someone else: write the person\'s full '
    "name, and their role or relationship to the child if it helps."
)
NO_ACTION_PROMPT = (
    "No action is recorded. Say what you did, who you told and when, even if that was passing this to the "
    "designated safeguarding lead."
)
NO_EVENT_DATE_PROMPT = (
    "The date of the event is missing. Add the date it happened (or, if you do not know, the date you found "
    "out) so that it sits in the right place in the chronology."
)
OPINION_PROMPT = (
    'You wrote "{phrase}" but this sentence gives no evidence. Add what you saw or heard that led you to '
    'this view (for example "because she said…" or "I saw…"), so that fact and opinion stay separate.'
)

# Which rules look at which free-text field. The child's words are deliberately absent.
VAGUE_FIELDS = ("what_happened", "actions_taken")
INITIALS_FIELDS = ("what_happened", "present", "actions_taken")
OPINION_FIELDS = ("what_happened", "actions_taken")


def _words_pattern(words: tuple[str, ...]) -> re.Pattern:
    alternatives = (re.escape(w).replace(r"\ ", r"\s+").replace("'", _APOSTROPHE) for w in words)
    return re.compile(rf"\b(?:{'|'.join(alternatives)})\b", re.IGNORECASE)


_VAGUE = tuple((vague, re.compile(rf"\b(?:{vague.pattern})\b", re.IGNORECASE)) for vague in VAGUE_PHRASES)
_OPINION = _words_pattern(OPINION_MARKERS)
_EVIDENCE = _words_pattern(EVIDENCE_MARKERS)
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”')
# A full stop after a single capital or a title ("J. Smith", "Mrs. Jones") does not end a sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\b[A-Z]\.)(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\bDr\.)\s+|\n+")


def check(
    *,
    what_happened: str,
    childs_words: str = "",
    present: str = "",
    actions_taken: str = "",
    event_date=None,
    require_action: bool = True,
) -> list[Finding]:
    """Findings in field order, each field's in the order they appear in the text.

    childs_words is accepted so that callers can pass the whole form; it is never checked.
    """
    texts = {"what_happened": what_happened or "", "present": present or "", "actions_taken": actions_taken or ""}
    findings = [finding for field, text in texts.items() for finding in _text_findings(field, text)]
    if require_action and not texts["actions_taken"].strip():
        findings.append(Finding("no_action", "actions_taken", "", NO_ACTION_PROMPT))
    if event_date is None:
        findings.append(Finding("no_event_date", "event_date", "", NO_EVENT_DATE_PROMPT))
    return findings


def _text_findings(field: str, text: str) -> list[Finding]:
    unquoted = _QUOTED.sub(lambda match: " " * len(match.group()), text)
    found = []
    if field in VAGUE_FIELDS:
        found += _vague_phrases(field, text, unquoted)
    if field in INITIALS_FIELDS:
        found += _initials(field, text, unquoted)
    if field in OPINION_FIELDS:
        found += _opinions(field, text, unquoted)
    return [finding for _, finding in sorted(found, key=lambda pair: pair[0])]


def _vague_phrases(field: str, text: str, unquoted: str) -> Iterator[tuple[int, Finding]]:
    for vague, pattern in _VAGUE:
        for match in pattern.finditer(unquoted):
            phrase = text[match.start():match.end()]
            yield match.start(), Finding("vague_phrase", field, phrase, vague.prompt.format(phrase=phrase))


def _initials(field: str, text: str, unquoted: str) -> Iterator[tuple[int, Finding]]:
    for match in INITIALS.finditer(unquoted):
        if _looks_like_initials(match.group()):
            yield match.start(), Finding("initials", field, match.group(), INITIALS_PROMPT.format(phrase=match.group()))


def _looks_like_initials(token: str) -> bool:
    letters = token.replace(".", "").replace(" ", "")
    if letters in ACRONYMS:
        return False
    if " " in token and "I" in token.split():  # "Plan B I think": the pronoun, not an initial
        return False
    return not (token.isalpha() and token in SHOUTED_WORDS)


def _opinions(field: str, text: str, unquoted: str) -> Iterator[tuple[int, Finding]]:
    """One finding per sentence that gives an opinion (outside quotation marks) and no evidence."""
    for start, sentence in _sentences(text):
        opinion = _OPINION.search(unquoted, start, start + len(sentence))
        if opinion and not _EVIDENCE.search(sentence):
            yield opinion.start(), Finding("opinion_without_evidence", field, opinion.group(),
                                           OPINION_PROMPT.format(phrase=opinion.group()))


def _sentences(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    for end in _SENTENCE_END.finditer(text):
        yield start, text[start:end.start()]
        start = end.end()
    yield start, text[start:]
