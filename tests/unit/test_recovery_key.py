"""The recovery key as a person reads and types it: ten groups of four, base32, a checksum."""

from __future__ import annotations

import re

import nacl.utils
import pytest

from app.services.maintenance.recovery import (
    KEY_BYTES,
    RecoveryError,
    format_recovery_key,
    parse_recovery_key,
)


def test_the_key_is_ten_groups_of_four_and_reads_back() -> None:
    key = nacl.utils.random(KEY_BYTES)
    text = format_recovery_key(key)
    assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){9}", text), text
    assert parse_recovery_key(text) == key
    # As typed from paper: lower case, spaces instead of dashes, a line break between the rows.
    groups = text.split("-")
    typed = " ".join(groups[:5]).lower() + "\n" + "  ".join(groups[5:])
    assert parse_recovery_key(typed) == key


def test_zero_one_and_eight_are_read_as_the_letters_they_look_like() -> None:
    for _attempt in range(200):
        key = nacl.utils.random(KEY_BYTES)
        text = format_recovery_key(key)
        if any(letter in text for letter in "OIB"):
            break
    typed = text.replace("O", "0").replace("I", "1").replace("B", "8")
    assert typed != text
    assert parse_recovery_key(typed) == key


def test_one_mistyped_character_is_caught_by_the_checksum() -> None:
    key = nacl.utils.random(KEY_BYTES)
    text = format_recovery_key(key)
    for position in (0, 17, 31):  # in the key part of the groups
        wrong = "A" if text[position] != "A" else "C"
        mistyped = text[:position] + wrong + text[position + 1 :]
        with pytest.raises(RecoveryError, match="niet goed overgetikt"):
            parse_recovery_key(mistyped)


@pytest.mark.parametrize(
    ("typed", "says"),
    [("ABCD-EFGH", "tien groepen van vier"), ("A" * 39 + "!", "alleen A-Z en 2-7"), ("", "tien groepen")],
)
def test_a_key_of_the_wrong_shape_is_refused_in_dutch(typed: str, says: str) -> None:
    with pytest.raises(RecoveryError, match=says):
        parse_recovery_key(typed)
