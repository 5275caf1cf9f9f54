"""Identifiers used across agencies, as pure functions (DOMAIN.md, "Identifiers")."""

import re

NHS_WEIGHTS = range(10, 1, -1)


def normalise_nhs_number(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


def nhs_check_digit(first_nine: str) -> int | None:
    """The modulus-11 check digit for nine digits, or None when no digit can be valid."""
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, NHS_WEIGHTS, strict=True))
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_ascii_digits(value: str) -> bool:
    """str.isdigit() also accepts other scripts' digits (e.g. full-width); identifiers must not."""
    return value.isascii() and value.isdigit()


def is_valid_nhs_number(value: str) -> bool:
    digits = normalise_nhs_number(value)
    if not re.fullmatch(r"[0-9]{10}", digits):
        return False
    return nhs_check_digit(digits[:9]) == int(digits[9])


def format_nhs_number(value: str) -> str:
    digits = normalise_nhs_number(value)
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == 10 else value


# Unique pupil number (DfE Common Basic Data Set): the check letter is the sum of
# characters 2–13 weighted 2..13, modulo 23, mapped to this alphabet (no I, O or S).
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def _upn_value(character: str) -> int:
    return int(character) if character in "0123456789" else UPN_LETTERS.index(character)


def upn_check_letter(last_twelve: str) -> str:
    total = sum(_upn_value(ch) * weight for ch, weight in zip(last_twelve, range(2, 14), strict=True))
    return UPN_LETTERS[total % 23]


def normalise_upn(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def is_valid_upn(value: str) -> bool:
    upn = normalise_upn(value)
    if not re.fullmatch(rf"[{UPN_LETTERS}][0-9]{{11}}[0-9{UPN_LETTERS}]", upn):
        return False
    return upn[0] == upn_check_letter(upn[1:])


POSTCODE = re.compile(
    r"^(GIR0AA|[A-PR-UWYZ](\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRV-Y])"
    r"\d[ABD-HJLNP-UW-Z]{2})$",
    re.ASCII,  # \d would otherwise accept other scripts' digits, such as full-width ones
)


def normalise_postcode(value: str) -> str:
    """'pl4 8aa' → 'PL4 8AA'; the inward code is always the last three characters."""
    compact = re.sub(r"\s", "", value or "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def is_valid_postcode(value: str) -> bool:
    return bool(POSTCODE.match(re.sub(r"\s", "", value or "").upper()))


def checked_nhs_number(value: str) -> str:
    """For API schemas: the normalised number, or ValueError with a message that says what is wrong."""
    value = normalise_nhs_number(value)
    if value and not is_valid_nhs_number(value):
        raise ValueError("not a valid NHS number (10 digits with a modulus-11 check digit)")
    return value
