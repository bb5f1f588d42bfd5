"""The supervisor's decisions on a signed PIP: the day of adoption, lateness, the reasons given.

Pure rules over plain values (app/services/supervisor applies them). Every refusal is a `PipRefused`
with one Dutch sentence saying what is wrong and what to do.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

from app.domain.deadlines import DEFAULT_SETTINGS, DeadlineSettings, pip_due_date, term_start
from app.domain.pip_lifecycle import PipRefused
from app.domain.wording import has_words
from app.i18n import N_, _

REASON_MAX = 2000


class DecisionKind(enum.StrEnum):
    """What the supervisor decided; stored in `supervisor_decision.kind`."""

    VASTGESTELD = "vastgesteld"
    TERUGGESTUURD = "teruggestuurd"
    INGETROKKEN = "ingetrokken"
    TOEGEWEZEN = "toegewezen"


DECISION_LABELS: dict[DecisionKind, str] = {
    DecisionKind.VASTGESTELD: N_("vastgesteld"),
    DecisionKind.TERUGGESTUURD: N_("teruggestuurd naar de klantmanager"),
    DecisionKind.INGETROKKEN: N_("ingetrokken"),
    DecisionKind.TOEGEWEZEN: N_("toegewezen aan een ander apparaat"),
}


def check_adoption_date(on: dt.date, today: dt.date, signatures: Iterable[dt.date | None]) -> None:
    """A decision taken earlier may be recorded, never one in the future or before the signatures."""
    if on > today:
        raise PipRefused(
            _(
                "De datum van vaststellen ({date}) ligt in de toekomst; kies vandaag of een eerdere dag."
            ).format(date=on.isoformat())
        )
    signed = [day for day in signatures if day is not None]
    if signed and on < max(signed):
        raise PipRefused(
            _(
                "De datum van vaststellen ({date}) ligt vóór de laatste handtekening ({signed}); "
                "kies de dag van het besluit, op of na die handtekening."
            ).format(date=on.isoformat(), signed=max(signed).isoformat())
        )


def check_reason(reason: str, what: str) -> str:
    """A send-back or withdrawal always says why; the text is kept, trimmed, never logged."""
    text = " ".join(reason.split())
    if not has_words(text):
        raise PipRefused(_("Schrijf de reden op voor {what}; de klantmanager leest die.").format(what=what))
    if len(text) > REASON_MAX:
        raise PipRefused(_("De reden is te lang; gebruik hoogstens {count} tekens.").format(count=REASON_MAX))
    return text


def adoption_due(housing: dt.date | None, settings: DeadlineSettings = DEFAULT_SETTINGS) -> dt.date | None:
    """The last day to adopt: 10 weeks after housing (None while still in the AZC)."""
    return pip_due_date(housing, settings)


def days_over(due: dt.date | None, on: dt.date) -> int:
    """Days an adoption on `on` came after its deadline (0 when on time or without a deadline)."""
    if due is None:
        return 0
    return max(0, (on - due).days)


def days_left_words(days_left: int | None) -> str:
    """The deadline in words, not only colour: "nog 12 dagen", "vandaag", "12 dagen te laat"."""
    if days_left is None:
        return _("nog geen termijn (nog in het AZC)")
    if days_left < 0:
        late = -days_left
        return _("1 dag te laat") if late == 1 else _("{days} dagen te laat").format(days=late)
    if days_left == 0:
        return _("vandaag de laatste dag")
    return _("nog 1 dag") if days_left == 1 else _("nog {days} dagen").format(days=days_left)


def term_starts(on: dt.date) -> dt.date:
    """The inburgeringstermijn starts the day after the first adoption."""
    return term_start(on)
