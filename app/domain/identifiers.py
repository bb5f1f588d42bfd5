"""Checks for the identifiers a klantmanager meets: BSN and V-nummer."""

from __future__ import annotations

import re

_NINE_DIGITS = re.compile(r"\d{9}", re.ASCII)  # \d alone also takes Arabic-Indic digits
_TEN_DIGITS = re.compile(r"\d{10}", re.ASCII)


def is_valid_bsn(value: str) -> bool:
    """The elfproef: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 divisible by 11, not all zeros."""
    if not _NINE_DIGITS.fullmatch(value) or value == "000000000":
        return False
    digits = [int(c) for c in value]
    total = sum(weight * digit for weight, digit in zip(range(9, 1, -1), digits[:8], strict=True))
    total -= digits[8]
    return total % 11 == 0


def is_valid_v_nummer(value: str) -> bool:
    """A V-nummer is ten digits assigned by the IND; no check digit is published."""
    return bool(_TEN_DIGITS.fullmatch(value))


def normalise_identifier(value: str) -> str:
    """Remove the spaces, dots and dashes people type inside numbers."""
    return re.sub(r"[\s.\-]", "", value)
