"""Dates of birth that are only partly known."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.dates import InvalidDate, PartialDate, parse_full_date


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("1990", (1990, None, None)),
        ("1990-07", (1990, 7, None)),
        ("1990-07-15", (1990, 7, 15)),
        ("2024-02-29", (2024, 2, 29)),  # leap year
        ("2000-02-29", (2000, 2, 29)),  # divisible by 400: leap year
        (" 1985-03 ", (1985, 3, None)),
    ],
)
def test_parse(text: str, parts: tuple[int, int | None, int | None]) -> None:
    date = PartialDate.parse(text)
    assert (date.year, date.month, date.day) == parts
    assert date.is_complete == (parts[2] is not None)


@pytest.mark.parametrize(
    "text",
    [
        "2023-02-30",
        "2023-02-29",  # not a leap year
        "1900-02-29",  # divisible by 100, not by 400
        "1990-04-31",
        "1990-13",
        "1990-00",
        "1990-13-01",
        "1990-01-00",
        "1990-01-32",
        "0000",
        "90",
        "1990-7",  # month needs two digits
        "1990-07-5",
        "15-07-1990",
        "1990/07/15",
        "19900715",
        "",
        "onbekend",
        "1990-07-15T00:00",
        "١٩٩٠",  # Arabic-Indic digits
    ],
)
def test_impossible_or_unreadable_dates_are_refused(text: str) -> None:
    with pytest.raises(InvalidDate) as refused:
        PartialDate.parse(text)
    assert str(refused.value)  # a Dutch message for the user, never empty


def test_refusal_messages_are_dutch() -> None:
    with pytest.raises(InvalidDate, match="Dag 30 bestaat niet in maand 2 van 2023"):
        PartialDate.parse("2023-02-30")
    with pytest.raises(InvalidDate, match="Maand 13 bestaat niet"):
        PartialDate.parse("1990-13")
    with pytest.raises(InvalidDate, match="geen datum"):
        PartialDate.parse("15-07-1990")


def test_constructor_checks_too() -> None:
    with pytest.raises(InvalidDate):
        PartialDate(1990, None, 5)  # a day without a month
    with pytest.raises(InvalidDate):
        PartialDate(1990, 2, 30)
    with pytest.raises(InvalidDate):
        PartialDate(0)


@pytest.mark.parametrize("text", ["1990", "1990-07", "1990-07-15", "0850", "2024-02-29", "1975-12"])
def test_str_round_trip(text: str) -> None:
    date = PartialDate.parse(text)
    assert str(date) == text
    assert PartialDate.parse(str(date)) == date


def test_earliest_and_latest() -> None:
    assert PartialDate.parse("1990").earliest() == dt.date(1990, 1, 1)
    assert PartialDate.parse("1990").latest() == dt.date(1990, 12, 31)
    assert PartialDate.parse("2024-02").latest() == dt.date(2024, 2, 29)
    assert PartialDate.parse("2023-02").latest() == dt.date(2023, 2, 28)
    assert PartialDate.parse("1990-04").earliest() == dt.date(1990, 4, 1)
    full = PartialDate.parse("1990-07-15")
    assert full.earliest() == full.latest() == dt.date(1990, 7, 15)


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        ("1990-07-15", dt.date(2008, 7, 14), 17),
        ("1990-07-15", dt.date(2008, 7, 15), 18),  # the birthday itself
        ("1990-07-15", dt.date(2008, 7, 16), 18),
        # Only the year: the person may be born on 31 December, so the youngest age counts.
        ("1990", dt.date(2008, 12, 30), 17),
        ("1990", dt.date(2008, 12, 31), 18),
        ("1990", dt.date(2009, 1, 1), 18),
        # Year and month: the last day of that month.
        ("1990-07", dt.date(2008, 7, 30), 17),
        ("1990-07", dt.date(2008, 7, 31), 18),
        ("2024-02", dt.date(2042, 2, 28), 17),
        ("2024-02", dt.date(2042, 3, 1), 18),
        # Born on 29 February: the birthday in a common year is 1 March.
        ("2004-02-29", dt.date(2022, 2, 28), 17),
        ("2004-02-29", dt.date(2022, 3, 1), 18),
        ("1950", dt.date(2017, 12, 31), 67),
        ("1990-07-15", dt.date(1990, 7, 15), 0),
    ],
)
def test_age_on(born: str, on: dt.date, age: int) -> None:
    assert PartialDate.parse(born).age_on(on) == age


def test_ordering_of_partial_dates() -> None:
    dates = [PartialDate.parse(t) for t in ["1990-07-15", "1989", "1990-07", "1990"]]
    assert [str(d) for d in sorted(dates, key=lambda d: d.earliest())] == [
        "1989",
        "1990",
        "1990-07",
        "1990-07-15",
    ]


def test_parse_full_date() -> None:
    assert parse_full_date("2025-06-01") == dt.date(2025, 6, 1)
    for partial in ["2025", "2025-06"]:
        with pytest.raises(InvalidDate, match="geen volledige datum"):
            parse_full_date(partial)
    with pytest.raises(InvalidDate):
        parse_full_date("2025-06-31")


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("25-07-1997", (1997, 7, 25)),
        ("25-7-1997", (1997, 7, 25)),
        ("5-7-1997", (1997, 7, 5)),
        ("25/07/1997", (1997, 7, 25)),
        ("25.7.1997", (1997, 7, 25)),
        ("07-1997", (1997, 7, None)),
        ("7-1997", (1997, 7, None)),
        ("1997-07-25", (1997, 7, 25)),
        ("1997", (1997, None, None)),
        ("29-02-2024", (2024, 2, 29)),
    ],
)
def test_typed_dates_the_dutch_way_and_iso(text: str, parts: tuple[int, int | None, int | None]) -> None:
    """Issue 16: what a klantmanager types; stored values and files stay strict ISO (parse)."""
    date = PartialDate.parse_typed(text)
    assert (date.year, date.month, date.day) == parts
    assert PartialDate.parse(str(date)) == date


@pytest.mark.parametrize("text", ["31-04-1990", "13-1990", "25-07-90", "2-25-1997", "1990/07/15", "morgen"])
def test_typed_dates_are_checked_as_strictly(text: str) -> None:
    with pytest.raises(InvalidDate) as refused:
        PartialDate.parse_typed(text)
    assert str(refused.value)


@pytest.mark.parametrize(
    ("text", "shown"),
    [("1997-07-25", "25-07-1997"), ("25-7-1997", "25-07-1997"), ("1997-07", "07-1997"), ("1997", "1997")],
)
def test_shown_one_way(text: str, shown: str) -> None:
    assert PartialDate.parse_typed(text).dutch() == shown
    assert PartialDate.parse_typed(shown) == PartialDate.parse_typed(text)  # what is shown types back


def test_a_full_typed_date() -> None:
    assert parse_full_date("25-7-1997", typed=True) == dt.date(1997, 7, 25)
    with pytest.raises(InvalidDate, match="geen volledige datum"):
        parse_full_date("07-1997", typed=True)
    with pytest.raises(InvalidDate):
        parse_full_date("25-07-1997")  # files: ISO only
