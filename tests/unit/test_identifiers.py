"""BSN (elfproef) and V-nummer checks."""

from __future__ import annotations

import pytest

from app.domain.identifiers import is_valid_bsn, is_valid_v_nummer, normalise_identifier


def elfproef_sum(value: str) -> int:
    digits = [int(c) for c in value]
    return sum(w * d for w, d in zip(range(9, 1, -1), digits[:8], strict=True)) - digits[8]


@pytest.mark.parametrize("bsn", ["111222333", "123456782", "999999990", "010000008", "100000009"])
def test_valid_bsn(bsn: str) -> None:
    assert elfproef_sum(bsn) % 11 == 0  # the examples themselves are right
    assert is_valid_bsn(bsn)


@pytest.mark.parametrize(
    "bsn",
    [
        "123456789",  # sum 147: not divisible by 11
        "111222334",
        "111222332",
        "000000000",  # passes the arithmetic, but is no number
        "12345678",  # eight digits
        "1234567820",  # ten digits
        "",
        "12345678a",
        "１２３４５６７８２",  # full-width digits are not the digits 0-9
        "١٢٣٤٥٦٧٨٢",  # Arabic-Indic digits likewise
        " 123456782",
        "123456782\n",
        "123-456-782",  # not normalised: the caller must normalise first
    ],
)
def test_invalid_bsn(bsn: str) -> None:
    assert not is_valid_bsn(bsn)


def test_every_single_digit_error_is_caught() -> None:
    # The point of the elfproef: one mistyped digit always fails it.
    good = "123456782"
    for position in range(9):
        for digit in "0123456789":
            if digit == good[position]:
                continue
            typo = good[:position] + digit + good[position + 1 :]
            assert not is_valid_bsn(typo), typo


def test_normalised_bsn_with_spaces_dots_and_dashes() -> None:
    for typed in ["1234 56 782", "123.456.782", "123-456-782", " 123456782 ", "123\t456\u00a0782"]:
        assert normalise_identifier(typed) == "123456782", typed
        assert is_valid_bsn(normalise_identifier(typed))


@pytest.mark.parametrize("v_nummer", ["1234567890", "0000000001", "9999999999"])
def test_valid_v_nummer(v_nummer: str) -> None:
    assert is_valid_v_nummer(v_nummer)


@pytest.mark.parametrize(
    "v_nummer",
    [
        "123456789",
        "12345678901",
        "",
        "V123456789",
        "12345 67890",
        "12345678.9",
        "１２３４５６７８９０",
        "1234567890\n",
    ],
)
def test_invalid_v_nummer(v_nummer: str) -> None:
    assert not is_valid_v_nummer(v_nummer)


def test_normalised_v_nummer() -> None:
    assert normalise_identifier("12 3456 7890") == "1234567890"
    assert normalise_identifier("123-456-7890") == "1234567890"
    assert is_valid_v_nummer(normalise_identifier(" 12.34.56.78.90 "))
    # Letters are kept, so they still fail the check instead of vanishing.
    assert not is_valid_v_nummer(normalise_identifier("V 123456789"))
