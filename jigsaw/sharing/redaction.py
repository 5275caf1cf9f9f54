"""Golden rule 5: take protected identities, and anything the sender marks, out of outgoing text.

Names are matched without regard to case or accents, either way round ("Zoë" and "Zoe",
"Strauß" and "STRAUSS"), across any spacing or punctuation between their words
("Ann  Smith", "ann.smith@…", "AnnSmith"), with English possessives and plurals ("Ann's",
"the Smiths'"). A single name is matched as a word: not where it is only part of a longer
word, so protecting "Ann" keeps "Annual" and "Joanna" readable, while "Ann-Marie", "#ann"
and "ann2" are still caught because digits and punctuation end a word.
A whole name written as one run of letters is caught wherever it appears, and an initial run
together with the family name ("asmith@…", "smith.a") where it stands alone. Every line of a
protected person's address but the town, and their postcode, are removed too.

Matching runs on a folded copy of the text (case-folded, accents and compatibility forms
removed) whose every character remembers where it came from, so what is removed is the
original text, and every term is matched against the text as written, never against a
marker put in by another.

Pure functions: no database, so the property tests can run them over any text.
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

REDACTED = "[redacted]"
PROTECTED_REASON = "Protected identity (golden rule 5)"
LETTER = r"[^\W\d_]"
NOT_LETTER_BEFORE = rf"(?<!{LETTER})"
NOT_LETTER_AFTER = rf"(?!{LETTER})"
POSSESSIVE_OR_PLURAL = r"(?:['’`]s|s['’`]?|es|['’`])?"
BETWEEN_WORDS = r"[\W_]*"
WORD_SPLIT = re.compile(r"[\s\-–—_.,;:/'’`]+")
PIECES = re.compile(r"[,;/\n]+|\band\b", re.IGNORECASE)
POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$", re.IGNORECASE)


def normal(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


# Letters that carry their mark in themselves rather than as a separate accent.
UNMARKED = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ŧ": "t", "ı": "i", "æ": "ae", "œ": "oe",
                          "ð": "d", "þ": "th"})


@cache
def fold_char(char: str) -> str:
    """How one character is compared: case-folded, without accents (ß → ss, Ł → l, ﬁ → fi)."""
    decomposed = unicodedata.normalize("NFKD", char.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(UNMARKED)


def fold(text: str) -> str:
    return "".join(fold_char(char) for char in text)


def _folded_with_origin(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the index of the character it came from."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    pieces = list(map(fold_char, text))
    folded = "".join(pieces)
    if len(folded) == len(text) and "" not in pieces:  # one for one, as nearly always
        return folded, list(range(len(text)))
    origin = [index for index, piece in enumerate(pieces) for _ in piece]
    return folded, origin


def _letters_pattern(word: str) -> str:
    """A word as it is compared: folded, so it matches with or without its accents (Zoë, Zoe)."""
    return re.escape(fold(word))


@dataclass(frozen=True)
class Term:
    pattern: re.Pattern
    kind: str  # "protected" or "manual"
    reason: str
    length: int
    needle: str = ""  # folded letters every match contains: a term whose needle is absent is not tried


def _words(name: str) -> list[str]:
    return [w for w in WORD_SPLIT.split(normal(name).strip()) if w]


def name_term(name: str, reason: str = PROTECTED_REASON, kind: str = "protected") -> Term | None:
    words = _words(name)
    if not words or sum(len(w) for w in words) < 2:
        return None
    body = BETWEEN_WORDS.join(_letters_pattern(w) for w in words)
    if len(words) > 1:
        # Several words: also caught run together or inside a longer string (e-mail addresses, handles).
        pattern = rf"{body}{POSSESSIVE_OR_PLURAL}"
    else:
        pattern = rf"{NOT_LETTER_BEFORE}{body}{POSSESSIVE_OR_PLURAL}{NOT_LETTER_AFTER}"
    return Term(re.compile(pattern, re.IGNORECASE), kind, reason, len("".join(words)), fold(words[0]))


def initial_terms(given: str, family: str) -> list[Term]:
    """An initial run together with the family name, as in e-mail addresses: asmith, a.smith, smitha."""
    initial, family_words = fold(given.strip())[:1], _words(family)
    if not initial.isalpha() or not family_words or sum(len(w) for w in family_words) < 3:
        return []
    surname = BETWEEN_WORDS.join(_letters_pattern(w) for w in family_words)
    return [
        Term(re.compile(rf"{NOT_LETTER_BEFORE}{pattern}{POSSESSIVE_OR_PLURAL}{NOT_LETTER_AFTER}", re.IGNORECASE),
             "protected", PROTECTED_REASON, len(initial) + len("".join(family_words)), fold(family_words[0]))
        for pattern in (rf"{re.escape(initial)}[._\-]?{surname}", rf"{surname}[._\-]?{re.escape(initial)}")
    ]


def phrase_term(phrase: str, reason: str) -> Term | None:
    """Something the sender marked by hand: matched as written, whatever the case and spacing."""
    words = [w for w in re.split(r"\s+", fold(normal(phrase)).strip()) if w]
    if not words or len("".join(words)) < 2:
        return None
    body = r"\s+".join(re.escape(w) for w in words)
    before = NOT_LETTER_BEFORE if re.match(LETTER, words[0]) else ""
    after = NOT_LETTER_AFTER if re.match(rf".*{LETTER}$", words[-1]) else ""
    return Term(re.compile(f"{before}{body}{after}", re.IGNORECASE), "manual", reason, len("".join(words)),
                words[0])


def address_terms(address: str, postcode: str) -> list[Term]:
    """Each line but the last, which is the town ("Flat 3, 12 Mill Lane, Westbridge"), and the postcode."""
    terms: list[Term] = []
    lines = [line.strip() for line in fold(normal(address)).split(",") if line.strip()]
    for line in lines[:-1] or lines:
        words = line.split()
        for candidate in (words, words[1:] if words and any(c.isdigit() for c in words[0]) else []):
            if len(candidate) >= 2:
                body = r"[\s,.]+".join(re.escape(w) for w in candidate)
                terms.append(Term(re.compile(rf"{NOT_LETTER_BEFORE}{body}{NOT_LETTER_AFTER}", re.IGNORECASE),
                                  "protected", PROTECTED_REASON, len("".join(candidate)), candidate[0]))
    match = POSTCODE.match(fold(postcode.strip()))
    if match:
        body = rf"{re.escape(match[1])}\s*{re.escape(match[2])}"
        terms.append(Term(re.compile(rf"(?<![A-Za-z0-9]){body}(?![A-Za-z0-9])", re.IGNORECASE),
                          "protected", PROTECTED_REASON, len(match[1] + match[2]), match[1]))
    return terms


def terms_for_person(person) -> list[Term]:
    """Every way a protected person might be written: full name, each name, other names, address."""
    names = {f"{person.given_name} {person.family_name}", person.given_name, person.family_name}
    for piece in PIECES.split(person.other_names or ""):
        piece = piece.strip()
        if piece:
            names.add(piece)
            names.update(_words(piece))
            names.add(f"{piece} {person.family_name}")
    terms = [term for name in names if (term := name_term(name))]
    terms += initial_terms(person.given_name, person.family_name)
    terms += address_terms(person.address or "", person.postcode or "")
    return terms


def terms_for_manual(redactions: Iterable[dict]) -> list[Term]:
    return [term for each in redactions if (term := phrase_term(each["phrase"], each["reason"]))]


@dataclass
class Redacted:
    text: str
    removed: Counter  # (kind, reason) -> how many

    @property
    def count(self) -> int:
        return sum(self.removed.values())


def redact(text: str, terms: list[Term]) -> Redacted:
    """Hand-marked phrases first (they may contain a name), then protected identities, longest first.

    Each term is matched against the folded text in which what earlier terms found is blanked out:
    the blank ends a word, as the marker would, and no term can match inside a marker.
    """
    text = normal(text or "")
    if not text:
        return Redacted(text, Counter())
    folded, origin = _folded_with_origin(text)
    spans: list[tuple[int, int, tuple[str, str]]] = []  # in the text, disjoint, in the order found
    for term in sorted(terms, key=lambda t: (t.kind != "manual", -t.length)):
        if term.needle not in folded:
            continue
        found = [match.span() for match in term.pattern.finditer(folded) if match.end() > match.start()]
        for start, end in found:
            spans = _claim(spans, *_in_text(text, origin, start, end), (term.kind, term.reason))
            folded = folded[:start] + BLANK * (end - start) + folded[end:]
    for start, end, _ in sorted(spans, reverse=True):
        text = text[:start] + REDACTED + text[end:]
    return Redacted(text, Counter(key for _, _, key in spans))


BLANK = "\ue000"  # a private-use character: not a letter, and never the start of a name


def _in_text(text: str, origin: list[int], start: int, end: int) -> tuple[int, int]:
    first, last = origin[start], origin[end - 1] + 1
    while last < len(text) and unicodedata.combining(text[last]):
        last += 1  # an accent left over after normalising belongs to the letter before it
    return first, last


def _claim(spans, start: int, end: int, key):
    """Add a place to remove; one that overlaps places already found joins them, counted once."""
    overlapping = [span for span in spans if span[0] < end and start < span[1]]
    if not overlapping:
        return [*spans, (start, end, key)]
    joined = (min(start, *(s[0] for s in overlapping)), max(end, *(s[1] for s in overlapping)), overlapping[0][2])
    kept = [span for span in spans if span not in overlapping]
    return [*kept, joined]
