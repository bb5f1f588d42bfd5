"""The Algemene termijnenwet (Atw): a legal term that ends on a Saturday, a Sunday or a public
holiday runs on to the next day that is none of these (art. 1 lid 1).

The holidays are those of art. 3: lid 1 Nieuwjaarsdag, the Christian second Easter and Whit days
(Tweede Paasdag, Tweede Pinksterdag; the first ones are Sundays anyway), both Christmas days,
Hemelvaartsdag, the day the King's birthday is celebrated (Koningsdag) and 5 May; lid 2 puts Goede
Vrijdag on a par with them. Days that lid 3 lets the government add for a few years at a time (a
Royal Decree in the Staatscourant, such as the Friday after Hemelvaartsdag) are not in this list: they
are not known in advance, so a late flag close to such a day is worth a look by hand (docs/pip.md).

Easter comes from python-dateutil (the Western, Gregorian computus).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from dateutil.easter import EASTER_WESTERN, easter

SATURDAY = 5


def koningsdag(year: int) -> dt.date:
    """The day the monarch's birthday is celebrated: 27 April from 2014 on (26 April when the 27th
    is a Sunday); before that Koninginnedag, 30 April (29 April when the 30th is a Sunday)."""
    day = dt.date(year, 4, 27) if year >= 2014 else dt.date(year, 4, 30)
    return day - dt.timedelta(days=1) if day.weekday() == 6 else day


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[dt.date]:
    """The algemeen erkende feestdagen of Atw art. 3 lid 1 and 2 in `year`."""
    sunday = easter(year, EASTER_WESTERN)
    return frozenset(
        {
            dt.date(year, 1, 1),  # Nieuwjaarsdag
            sunday - dt.timedelta(days=2),  # Goede Vrijdag (lid 2)
            sunday + dt.timedelta(days=1),  # Tweede Paasdag
            koningsdag(year),
            dt.date(year, 5, 5),  # de vijfde mei
            sunday + dt.timedelta(days=39),  # Hemelvaartsdag
            sunday + dt.timedelta(days=50),  # Tweede Pinksterdag
            dt.date(year, 12, 25),  # Eerste Kerstdag
            dt.date(year, 12, 26),  # Tweede Kerstdag
        }
    )


def is_working_day(day: dt.date) -> bool:
    """Not a Saturday, a Sunday or a holiday of Atw art. 3."""
    return day.weekday() < SATURDAY and day not in public_holidays(day.year)


def extended_to_working_day(last_day: dt.date) -> dt.date:
    """Atw art. 1 lid 1: the last day of a term, moved on past weekends and holidays."""
    day = last_day
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day
