"""DUO's exemptions (ontheffing) and the legal remedies against a PIP (bezwaar, beroep).

Pure rules over dates (DOMAIN.md "The PIP in force, and who decides" and "More rules"):

* An exemption is decided by DUO: on demonstrable efforts (AGI, after failed exam attempts per part)
  or through the leerbaarheidstoets route for people who cannot learn to read. It ends the whole
  duty or only the named parts, from its date.
* An objection is due within 6 weeks from the day after the PIP was made known (Awb art. 6:7/6:8):
  the last day is the day with the same weekday 6 weeks after the day it was made known. A later one
  is registered and flagged late. Its outcome is ongegrond or gegrond (then a new PIP version);
  an appeal follows. Neither moves the inburgeringstermijn.
"""

from __future__ import annotations

import datetime as dt
import enum

from app.domain.pip_lifecycle import PipRefused
from app.i18n import N_, _

OBJECTION_WEEKS = 6


class ExemptionKind(enum.StrEnum):
    AGI = "agi"  # aantoonbaar geleverde inspanningen: failed attempts per part
    LEERBAARHEID = "leerbaarheid"  # the leerbaarheidstoets route (cannot learn to read)
    OVERIG = "overig"


EXEMPTION_LABELS: dict[ExemptionKind, str] = {
    ExemptionKind.AGI: N_("ontheffing na aantoonbare inspanningen (AGI)"),
    ExemptionKind.LEERBAARHEID: N_("ontheffing via de leerbaarheidstoets"),
    ExemptionKind.OVERIG: N_("ontheffing (overig)"),
}

# The parts an exemption can cover (the exam parts and KNM); none named: the whole duty.
EXEMPTION_PARTS = ("lezen", "luisteren", "schrijven", "spreken", "knm")


class ObjectionOutcome(enum.StrEnum):
    ONGEGROND = "ongegrond"
    GEGROND = "gegrond"


def check_exemption(kind: str, decided_on: dt.date, parts: list[str], today: dt.date) -> None:
    if kind not in {k.value for k in ExemptionKind}:
        raise PipRefused(_("Kies het soort ontheffing dat DUO besliste."))
    if decided_on > today:
        raise PipRefused(
            _("De datum van de ontheffing ligt in de toekomst; kies de datum van het besluit van DUO.")
        )
    unknown = [p for p in parts if p not in EXEMPTION_PARTS]
    if unknown:
        raise PipRefused(
            _("Onbekend onderdeel {parts}; kies uit lezen, luisteren, schrijven, spreken en KNM.").format(
                parts=", ".join(unknown)
            )
        )


def exempt_parts(exemptions: list[dict[str, object]], on: dt.date) -> tuple[bool, frozenset[str]]:
    """(whole duty ended, parts ended) by the exemptions decided on or before `on`."""
    whole = False
    parts: set[str] = set()
    for e in exemptions:
        if dt.date.fromisoformat(str(e["decided_on"])) > on:
            continue
        named = [str(p) for p in e.get("parts") or []]  # type: ignore[attr-defined]
        if named:
            parts.update(named)
        else:
            whole = True
    return whole or parts >= set(EXEMPTION_PARTS), frozenset(parts)


def objection_deadline(made_known: dt.date) -> dt.date:
    """Last day to object: 6 weeks starting the day after the decision was made known."""
    return made_known + dt.timedelta(weeks=OBJECTION_WEEKS)


def objection_is_late(made_known: dt.date, received: dt.date) -> bool:
    return received > objection_deadline(made_known)


def check_objection_dates(made_known: dt.date, received: dt.date, today: dt.date) -> None:
    if received > today or made_known > today:
        raise PipRefused(_("Een bezwaar met een datum in de toekomst kan niet; kies de datum van ontvangst."))
    if received < made_known:
        raise PipRefused(
            _("Het bezwaar is ontvangen vóór het PIP bekend werd gemaakt; controleer beide datums.")
        )
