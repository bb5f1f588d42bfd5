"""The objection window under the Algemene termijnenwet (Atw): Awb art. 6:7 (six weeks) and 6:8 (from
the day after the decision was made known), and Atw art. 1 lid 1 (a term that ends on a Saturday,
Sunday or public holiday runs to the next working day) with the holidays of Atw art. 3 lid 1 and
lid 2 (Goede Vrijdag). Each case names the rule it checks."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.decisions import objection_deadline, objection_is_late
from app.domain.termijnenwet import extended_to_working_day, is_working_day, koningsdag, public_holidays

D = dt.date


@pytest.mark.parametrize(
    ("made_known", "last_day", "source"),
    [
        (D(2025, 3, 3), D(2025, 4, 14), "Awb 6:7/6:8: Monday + 6 weeks is a Monday, a working day"),
        (D(2025, 3, 1), D(2025, 4, 14), "Atw art. 1: ends on Saturday 12 April, runs to Monday"),
        (D(2025, 3, 2), D(2025, 4, 14), "Atw art. 1: ends on Sunday 13 April, runs to Monday"),
        (D(2025, 3, 7), D(2025, 4, 22), "Atw art. 3 lid 2 and lid 1: Goede Vrijdag, weekend, Tweede Paasdag"),
        (D(2026, 3, 16), D(2026, 4, 28), "Atw art. 3 lid 1: Koningsdag, Monday 27 April 2026"),
        (D(2025, 3, 15), D(2025, 4, 28), "Atw art. 3 lid 1: Koningsdag on Saturday 26 April 2025"),
        (D(2026, 3, 24), D(2026, 5, 6), "Atw art. 3 lid 1: de vijfde mei, a Tuesday in 2026"),
        (D(2025, 4, 17), D(2025, 5, 30), "Atw art. 3 lid 1: Hemelvaartsdag 29 May 2025"),
        (D(2025, 4, 28), D(2025, 6, 10), "Atw art. 3 lid 1: Tweede Pinksterdag 9 June 2025"),
        (D(2026, 11, 13), D(2026, 12, 28), "Atw art. 3 lid 1: both Christmas days, Sunday"),
        (D(2026, 11, 20), D(2027, 1, 4), "Atw art. 3 lid 1: Nieuwjaarsdag 2027, weekend"),
        (D(2025, 11, 19), D(2025, 12, 31), "Awb 6:7: ends on 31 December, a Wednesday: stays"),
        (D(2024, 12, 31), D(2025, 2, 11), "Awb 6:8: made known on 31 December, counted over New Year"),
        (D(2024, 1, 18), D(2024, 2, 29), "Awb 6:7: ends on 29 February in a leap year"),
        (D(2024, 2, 29), D(2024, 4, 11), "Awb 6:8: made known on 29 February"),
        (D(2023, 1, 18), D(2023, 3, 1), "Awb 6:7: no 29 February in 2023, so 1 March"),
    ],
)
def test_objection_window_and_late_flag(made_known: dt.date, last_day: dt.date, source: str) -> None:
    assert objection_deadline(made_known) == last_day, source
    assert not objection_is_late(made_known, last_day), source
    assert objection_is_late(made_known, last_day + dt.timedelta(days=1)), source


@pytest.mark.parametrize(
    ("year", "expected", "source"),
    [
        (2014, D(2014, 4, 26), "Koningsdag: 27 April 2014 was a Sunday"),
        (2025, D(2025, 4, 26), "Koningsdag: 27 April 2025 is a Sunday"),
        (2026, D(2026, 4, 27), "Koningsdag: 27 April"),
        (2013, D(2013, 4, 30), "Koninginnedag: 30 April until 2013"),
        (2006, D(2006, 4, 29), "Koninginnedag: 30 April 2006 was a Sunday"),
    ],
)
def test_koningsdag(year: int, expected: dt.date, source: str) -> None:
    assert koningsdag(year) == expected, source


@pytest.mark.parametrize(
    ("year", "holidays"),
    [
        # Easter 31 March 2024 (a leap year): Goede Vrijdag 29 March, Tweede Paasdag 1 April.
        (2024, {D(2024, 1, 1), D(2024, 3, 29), D(2024, 4, 1), D(2024, 4, 27), D(2024, 5, 5),
                D(2024, 5, 9), D(2024, 5, 20), D(2024, 12, 25), D(2024, 12, 26)}),
        # Easter 5 April 2026.
        (2026, {D(2026, 1, 1), D(2026, 4, 3), D(2026, 4, 6), D(2026, 4, 27), D(2026, 5, 5),
                D(2026, 5, 14), D(2026, 5, 25), D(2026, 12, 25), D(2026, 12, 26)}),
    ],
)  # fmt: skip
def test_the_holidays_of_atw_article_3(year: int, holidays: set[dt.date]) -> None:
    """Atw art. 3 lid 1 and 2 exactly: the first Easter and Whit days are Sundays and not listed."""
    assert public_holidays(year) == holidays


def test_working_days() -> None:
    assert is_working_day(D(2025, 12, 31))  # Oudejaarsdag is no holiday
    assert not is_working_day(D(2024, 12, 31) + dt.timedelta(days=1))  # Nieuwjaarsdag 2025
    assert is_working_day(D(2024, 2, 29))
    assert not is_working_day(D(2025, 4, 20))  # Eerste Paasdag: a Sunday
    assert extended_to_working_day(D(2025, 12, 25)) == D(2025, 12, 29)  # Thursday, Friday, weekend
    assert extended_to_working_day(D(2025, 12, 31)) == D(2025, 12, 31)
