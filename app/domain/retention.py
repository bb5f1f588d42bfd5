"""AVG rules for erasing a client: when the duty ended, how long data is kept after it, and whether a
legal remedy still runs (then nothing may be erased)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from app.domain.deadlines import TermExtension, add_months, term_end
from app.domain.decisions import exempt_parts


def objection_running(objections: Iterable[Mapping[str, Any]]) -> bool:
    """An objection (bezwaar) against an adopted PIP runs until it is decided; an appeal (beroep)
    filed against the decision runs until... the app records no end of an appeal, so it runs for as
    long as it is recorded: erasing would destroy the file the court needs."""
    return any(not entry.get("outcome") or entry.get("appeal_filed_on") for entry in objections)


def duty_end(
    first_adoption: dt.date | None,
    extensions: Iterable[TermExtension] = (),
    exemptions: list[dict[str, object]] | None = None,
) -> dt.date | None:
    """The day the integration duty ended as far as the store knows: the end of the term (three
    years after the first adoption, plus extensions), or earlier the decision exempting the whole
    duty. None while no PIP was ever adopted: the duty has not run, nothing can be counted from it."""
    if first_adoption is None:
        return None
    end = term_end(first_adoption, tuple(extensions))
    for entry in exemptions or []:
        decided = dt.date.fromisoformat(str(entry["decided_on"]))
        whole, _parts = exempt_parts([entry], decided)
        if whole and decided < end:
            end = decided
    return end


def retention_ends(end_of_duty: dt.date, years: int) -> dt.date:
    """The last day the client's data is kept: `years` after the duty ended."""
    return add_months(end_of_duty, 12 * years)


def past_retention(end_of_duty: dt.date | None, years: int, today: dt.date) -> bool:
    return end_of_duty is not None and retention_ends(end_of_duty, years) < today
