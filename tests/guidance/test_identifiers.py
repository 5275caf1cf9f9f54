"""Identifier rules from DOMAIN.md, "Identifiers"."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jigsaw.guidance.identifiers import (
    UPN_LETTERS,
    format_nhs_number,
    is_valid_nhs_number,
    is_valid_postcode,
    is_valid_upn,
    nhs_check_digit,
    normalise_postcode,
    upn_check_letter,
)


@pytest.mark.parametrize("number", ["943 476 5919", "9434765919", "999-000-1235", "4010232137"])
def test_it_accepts_nhs_numbers_with_a_correct_check_digit(number):
    assert is_valid_nhs_number(number)


@pytest.mark.parametrize("number", ["9434765918", "943476591", "94347659190", "abcdefghij", ""])
def test_it_rejects_bad_nhs_numbers(number):
    assert not is_valid_nhs_number(number)


def test_a_remainder_of_ten_makes_every_check_digit_invalid():
    # 10 - 2*... : weights 10..2 over 000000001 sum to 2; 11 - 2 = 9 (valid); find a sum ≡ 1 (mod 11)
    nine = next(f"{n:09d}" for n in range(10**8, 10**9) if nhs_check_digit(f"{n:09d}") is None)
    assert not any(is_valid_nhs_number(nine + str(d)) for d in range(10))


@given(st.integers(min_value=0, max_value=10**9 - 1))
def test_every_nhs_number_with_its_check_digit_is_valid(n):
    nine = f"{n:09d}"
    check = nhs_check_digit(nine)
    if check is not None:
        assert is_valid_nhs_number(nine + str(check))
        assert not is_valid_nhs_number(nine + str((check + 1) % 10))


def test_it_formats_nhs_numbers_in_threes():
    assert format_nhs_number("9434765919") == "943 476 5919"


def test_the_dfe_example_upn_is_valid():
    assert upn_check_letter("801200001001") == "H"
    assert is_valid_upn("H801200001001")
    assert not is_valid_upn("A801200001001")


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_every_upn_with_its_check_letter_is_valid(rest):
    assert is_valid_upn(upn_check_letter(rest) + rest)


def test_upn_check_letters_skip_i_o_and_s():
    assert not set("IOS") & set(UPN_LETTERS)
    assert len(UPN_LETTERS) == 23


@pytest.mark.parametrize("postcode", ["PL4 8AA", "sw1a 1aa", "EC1A1BB", "W1A 0AX", "M1 1AE", "B33 8TH", "DN55 1PT"])
def test_it_accepts_uk_postcodes(postcode):
    assert is_valid_postcode(postcode)


@pytest.mark.parametrize("postcode", ["12345", "PL4", "QQ1 1AA", "PL4 8CI", "", "SW1A 1AAA"])
def test_it_rejects_what_is_not_a_uk_postcode(postcode):
    assert not is_valid_postcode(postcode)


def test_it_normalises_postcodes():
    assert normalise_postcode(" pl48aa ") == "PL4 8AA"


def test_digits_from_other_scripts_are_not_identifiers():
    # str.isdigit() and a plain \d accept full-width and other scripts' digits.
    assert not is_valid_nhs_number("９９９０００１２３５")
    assert not is_valid_upn("H８０１２０００01001")
    assert not is_valid_postcode("PL４ 8AA")
