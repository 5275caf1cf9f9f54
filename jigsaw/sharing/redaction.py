"""Golden rule 5: take protected identities, and anything the sender marks, out of outgoing text.

Names are matched without regard to case or accents, across any spacing or punctuation
between their words ("Ann  Smith", "ann.smith@…", "AnnSmith"), with English possessives and
plurals ("Ann's", "the Smiths'"). A single name is matched as a word: not where it is only
part of a longer word, so protecting "Ann" keeps "Annual" and "Joanna" readable, while
"Ann-Marie", "#ann" and "ann2" are still caught because digits and punctuation end a word.
A whole name written as one run of letters is caught wherever it appears. The first line of
a protected person's address and their postcode are removed too.

Pure functions: no database, so the property tests can run them over any text.
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

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


def fold(text: str) -> str:
    """Accents off, one character for one, so a match in the folded text is a match in the original."""
    out = []
    for char in text:
        plain = without_accents(char)
        out.append(plain if len(plain) == 1 else char)
    return "".join(out)


def _letters_pattern(word: str) -> str:
    """A word as written in the folded text: any case, with or without accents, ß or ss (Strauß, STRAUSS)."""
    escaped = re.escape(fold(normal(word)))
    return re.sub(r"ss|ß", "(?:ss|ß)", escaped, flags=re.IGNORECASE)


@dataclass(frozen=True)
class Term:
    pattern: re.Pattern
    kind: str  # "protected" or "manual"
    reason: str
    length: int


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
    return Term(re.compile(pattern, re.IGNORECASE), kind, reason, len("".join(words)))


def initial_term(given_name: str, family_name: str) -> Term:
    """"A. Smith", "A Smith", "asmith@…": an initial and the family name together."""
    initial = _letters_pattern(normal(given_name).strip()[:1])
    body = BETWEEN_WORDS.join(_letters_pattern(w) for w in _words(family_name))
    pattern = rf"{NOT_LETTER_BEFORE}{initial}[\W_]*{body}{POSSESSIVE_OR_PLURAL}{NOT_LETTER_AFTER}"
    return Term(re.compile(pattern, re.IGNORECASE), "protected", PROTECTED_REASON, 1 + len(family_name))


def phrase_term(phrase: str, reason: str) -> Term | None:
    """Something the sender marked by hand: matched as written, whatever the case and spacing."""
    words = [w for w in re.split(r"\s+", normal(phrase).strip()) if w]
    if not words or len("".join(words)) < 2:
        return None
    body = r"\s+".join(_letters_pattern(w) for w in words)
    before = NOT_LETTER_BEFORE if re.match(LETTER, words[0]) else ""
    after = NOT_LETTER_AFTER if re.match(rf".*{LETTER}$", words[-1]) else ""
    return Term(re.compile(f"{before}{body}{after}", re.IGNORECASE), "manual", reason, len("".join(words)))


def address_terms(address: str, postcode: str) -> list[Term]:
    """Every line of the address but the town (a flat, then its street), with and without the number."""
    terms: list[Term] = []
    parts = [part.strip() for part in normal(address).split(",") if part.strip()]
    for line in parts[:-1] if len(parts) > 1 else parts:
        words = line.split()
        without_number = words[1:] if words and any(c.isdigit() for c in words[0]) else []
        for candidate in (words, without_number):
            if len(candidate) >= 2:
                body = r"[\s,.]+".join(_letters_pattern(w) for w in candidate)
                terms.append(Term(re.compile(rf"{NOT_LETTER_BEFORE}{body}{NOT_LETTER_AFTER}", re.IGNORECASE),
                                  "protected", PROTECTED_REASON, len("".join(candidate))))
    match = POSTCODE.match(postcode.strip())
    if match:
        body = rf"{re.escape(match[1])}\s*{re.escape(match[2])}"
        terms.append(Term(re.compile(rf"(?<![A-Za-z0-9]){body}(?![A-Za-z0-9])", re.IGNORECASE),
                          "protected", PROTECTED_REASON, len(match[1] + match[2])))
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
    if person.given_name and person.family_name:
        terms.append(initial_term(person.given_name, person.family_name))
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

    Terms are matched in the folded text (accents off, same length) and cut from the original.
    """
    removed: Counter = Counter()
    text = normal(text or "")
    ordered = sorted(terms, key=lambda t: (t.kind != "manual", -t.length))
    for term in ordered:
        spans = [match.span() for match in term.pattern.finditer(fold(text))]
        if not spans:
            continue
        pieces, last = [], 0
        for start, end in spans:
            pieces += [text[last:start], REDACTED]
            last = end
        text = "".join(pieces) + text[last:]
        removed[(term.kind, term.reason)] += len(spans)
    return Redacted(text, removed)
