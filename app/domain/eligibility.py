"""Who has the integration duty (DOMAIN.md "Groups"): from the minimum age up to the AOW age.

Without the duty there is no PIP and no PIP document; the refusal says so in one sentence, written
here once for drafting and printing alike.
"""

from __future__ import annotations

import datetime as dt

from app.domain.dates import InvalidDate, PartialDate
from app.domain.pip_lifecycle import PipRefused
from app.i18n import N_, _

# Ages of the integration duty: settings, these are the defaults.
DEFAULT_MINIMUM_AGE = 18
DEFAULT_AOW_AGE = 67

NOT_OBLIGED_REFUSAL = N_(
    "Deze cliënt is niet inburgeringsplichtig (jonger dan {minimum} of ouder dan de AOW-leeftijd); "
    "een PIP is niet nodig."
)


def is_obliged(
    birth_date: str,
    today: dt.date,
    minimum_age: int = DEFAULT_MINIMUM_AGE,
    maximum_age: int = DEFAULT_AOW_AGE,
) -> bool:
    """Integration duty from the minimum age up to the AOW age; with an unknown birth day, the
    youngest reading (an unreadable birth date counts as obliged: the klantmanager decides)."""
    try:
        age = PartialDate.parse(birth_date).age_on(today)
    except InvalidDate:
        return True
    return minimum_age <= age < maximum_age


def is_minor(birth_date: str, today: dt.date, minimum_age: int = DEFAULT_MINIMUM_AGE) -> bool:
    """Younger than the minimum age (a household member who is a child); unreadable: not a minor."""
    try:
        return PartialDate.parse(birth_date).age_on(today) < minimum_age
    except InvalidDate:
        return False


def check_obliged(birth_date: str, today: dt.date, minimum_age: int = DEFAULT_MINIMUM_AGE) -> None:
    """Refuse a PIP (drafting or printing) for someone without the integration duty."""
    if not is_obliged(birth_date, today, minimum_age):
        raise PipRefused(_(NOT_OBLIGED_REFUSAL).format(minimum=minimum_age))
