"""The integration duty by age (DOMAIN.md "Groups" and "More rules": the AOW age as dated data by
date of birth, assessed from the day the residence right was made known, a partly known birth date
that makes the duty uncertain is "leeftijd onzeker" and keeps the duty)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.eligibility import Duty, aow_date, duty_on, is_minor, is_obliged

D = dt.date


# Source: resources/law/aow_leeftijd.json (Algemene Ouderdomswet art. 7a; SVB table by birth date).
@pytest.mark.parametrize(
    ("born", "aow"),
    [
        (D(1947, 12, 31), D(2012, 12, 31)),  # 65
        (D(1953, 1, 1), D(2019, 5, 1)),  # 66 + 4 months
        (D(1956, 6, 1), D(2023, 4, 1)),  # 66 + 10 months
        (D(1957, 3, 1), D(2024, 3, 1)),  # 67
        (D(1960, 12, 31), D(2027, 12, 31)),  # 67
        (D(1961, 1, 1), D(2028, 4, 1)),  # 67 + 3 months
        (D(1960, 2, 29), D(2027, 2, 28)),  # born on a leap day, no 29 February at 67
    ],
)
def test_aow_age_by_date_of_birth(born: dt.date, aow: dt.date) -> None:
    assert aow_date(born) == aow


# Source: DOMAIN.md "More rules" (ages) and "Groups" (18 up to the AOW age).
@pytest.mark.parametrize(
    ("birth", "today", "melddatum", "duty"),
    [
        ("1990-05-01", D(2025, 1, 1), None, Duty.OBLIGED),
        # A child turning 18 during the intake: a minor before the birthday, obliged from it.
        ("2007-03-15", D(2025, 3, 14), D(2024, 11, 1), Duty.MINOR),
        ("2007-03-15", D(2025, 3, 15), D(2024, 11, 1), Duty.OBLIGED),
        # A year-only birth date that makes 18 uncertain: "leeftijd onzeker", never withheld.
        ("2007", D(2025, 6, 1), None, Duty.UNCERTAIN),
        ("2007", D(2026, 1, 1), None, Duty.OBLIGED),
        ("2010", D(2025, 6, 1), None, Duty.MINOR),
        ("2007-06", D(2025, 6, 15), None, Duty.UNCERTAIN),
        # AOW age assessed on the melddatum: 67 on 1 March 2024 for someone born 1 March 1957.
        ("1957-03-01", D(2025, 1, 1), D(2024, 2, 29), Duty.OBLIGED),
        ("1957-03-01", D(2025, 1, 1), D(2024, 3, 1), Duty.AOW),
        ("1957", D(2025, 1, 1), D(2024, 6, 1), Duty.UNCERTAIN),
        # Unreadable: the klantmanager decides, the duty is kept.
        ("onbekend", D(2025, 1, 1), None, Duty.OBLIGED),
    ],
)
def test_duty_on(birth: str, today: dt.date, melddatum: dt.date | None, duty: Duty) -> None:
    assert duty_on(birth, today, melddatum) is duty
    assert is_obliged(birth, today, melddatum=melddatum) is (duty in (Duty.OBLIGED, Duty.UNCERTAIN))
    assert is_minor(birth, today) is (duty is Duty.MINOR)
