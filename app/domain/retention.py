"""AVG rules for erasing a client: when the duty ended, how long data is kept after it, and whether a
legal remedy still runs (then nothing may be erased)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from app.domain.deadlines import TermExtension, add_months, term_end
from app.domain.decisions import duty_exempted_on, remedy_pending


def objection_running(objections: Iterable[Mapping[str, Any]]) -> bool:
    """An objection (bezwaar) against an adopted PIP runs until it is decided; an appeal (beroep)
    filed against the decision runs until the court's ruling (uitspraak) is recorded: erasing before
    then would destroy the file the court needs."""
    return any(remedy_pending(entry) for entry in objections)


def duty_end(
    first_adoption: dt.date | None,
    extensions: Iterable[TermExtension] = (),
    exemptions: list[dict[str, object]] | None = None,
) -> dt.date | None:
    """The day the integration duty ended as far as the store knows: the end of the term (three
    years after the first adoption, plus extensions), or earlier the decision that exempted the whole
    duty (or its last part). None while no PIP was ever adopted: the duty has not run, nothing can be counted from it."""
    if first_adoption is None:
        return None
    end = term_end(first_adoption, tuple(extensions))
    # The whole duty exempted: one exemption naming no parts, or parts that together cover all.
    exempted = duty_exempted_on(exemptions or [])
    return exempted if exempted is not None and exempted < end else end


def retention_ends(end_of_duty: dt.date, years: int) -> dt.date:
    """The last day the client's data is kept: `years` after the duty ended."""
    return add_months(end_of_duty, 12 * years)


def past_retention(end_of_duty: dt.date | None, years: int, today: dt.date) -> bool:
    return end_of_duty is not None and retention_ends(end_of_duty, years) < today
