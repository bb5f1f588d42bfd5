"""DUO's exemptions (ontheffing) and the legal remedies against a PIP (bezwaar, beroep).

Pure rules over dates (DOMAIN.md "The PIP in force, and who decides" and "More rules"):

* An exemption is decided by DUO: on demonstrable efforts (AGI, after failed exam attempts per part)
  or through the leerbaarheidstoets route for people who cannot learn to read. It ends the whole
  duty or only the named parts, from its date.
* An objection is due within 6 weeks from the day after the PIP was made known (Awb art. 6:7/6:8):
  the last day is the day with the same weekday 6 weeks after the day it was made known, moved on to
  the next working day when that is a Saturday, Sunday or public holiday (Algemene termijnenwet
  art. 1, app/domain/termijnenwet.py). A later one is registered and flagged late (Awb 6:11 lets the
  municipality still hear it when the delay is excusable). Its outcome is ongegrond or gegrond (then
  a new PIP version); one appeal (beroep) follows, and the court's ruling (uitspraak) ends it.
  None of them moves the inburgeringstermijn.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping

from app.domain.pip_lifecycle import PipRefused
from app.domain.termijnenwet import extended_to_working_day
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
EXEMPTION_PART_LABELS: dict[str, str] = {
    "lezen": N_("lezen"),
    "luisteren": N_("luisteren"),
    "schrijven": N_("schrijven"),
    "spreken": N_("spreken"),
    "knm": N_("KNM"),
}


def part_name_msgids(parts: frozenset[str] | tuple[str, ...]) -> list[tuple[str, bool]]:
    """The exempted parts in their order: (message id, True) for a known part, (the part as
    recorded, False) for another."""
    order = {p: i for i, p in enumerate(EXEMPTION_PARTS)}
    ordered = sorted(parts, key=lambda p: (order.get(p, len(order)), p))
    return [(EXEMPTION_PART_LABELS[p], True) if p in EXEMPTION_PART_LABELS else (p, False) for p in ordered]


def part_names(parts: frozenset[str] | tuple[str, ...]) -> str:
    """'lezen, KNM': exempted parts in their order, as people name them."""
    return ", ".join(_(text) if known else text for text, known in part_name_msgids(parts))


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


def exemption_date(exemption: Mapping[str, object]) -> dt.date | None:
    """The date of an exemption as stored; None when it lacks one or it is unreadable (an entry from
    elsewhere, synced): such an entry ends nothing rather than stopping the whole caseload."""
    try:
        return dt.date.fromisoformat(str(exemption.get("decided_on") or ""))
    except ValueError:
        return None


def exempt_parts(exemptions: list[dict[str, object]], on: dt.date) -> tuple[bool, frozenset[str]]:
    """(whole duty ended, parts ended) by the exemptions decided on or before `on`."""
    whole = False
    parts: set[str] = set()
    for e in exemptions:
        day = exemption_date(e)
        if day is None or day > on:
            continue
        named = [str(p) for p in e.get("parts") or []]  # type: ignore[attr-defined]
        if named:
            parts.update(named)
        else:
            whole = True
    return whole or parts >= set(EXEMPTION_PARTS), frozenset(parts)


def duty_exempted_on(exemptions: list[dict[str, object]]) -> dt.date | None:
    """The day the whole duty ended by exemption: an exemption naming no parts, or the day the
    exempted parts came to cover every part; None while some part is still due."""
    days = sorted({day for day in map(exemption_date, exemptions) if day is not None})
    for day in days:
        if exempt_parts(exemptions, day)[0]:
            return day
    return None


def objection_deadline(made_known: dt.date) -> dt.date:
    """Last day to object: 6 weeks starting the day after the decision was made known (Awb 6:7,
    6:8), on to the next working day when that is a weekend day or public holiday (Atw art. 1)."""
    return extended_to_working_day(made_known + dt.timedelta(weeks=OBJECTION_WEEKS))


def objection_is_late(made_known: dt.date, received: dt.date) -> bool:
    return received > objection_deadline(made_known)


def check_objection_dates(made_known: dt.date, received: dt.date, today: dt.date) -> None:
    if received > today or made_known > today:
        raise PipRefused(_("Een bezwaar met een datum in de toekomst kan niet; kies de datum van ontvangst."))
    if received < made_known:
        raise PipRefused(
            _("Het bezwaar is ontvangen vóór het PIP bekend werd gemaakt; controleer beide datums.")
        )


def check_appeal(entry: dict[str, object], filed_on: dt.date, today: dt.date) -> None:
    """One appeal per decision on objection, filed on or after that decision, not in the future."""
    if not entry.get("decided_on"):
        raise PipRefused(_("Beroep volgt op de beslissing op bezwaar; leg eerst die beslissing vast."))
    if entry.get("appeal_filed_on"):
        raise PipRefused(
            _(
                "Tegen deze beslissing op bezwaar is al beroep ingesteld; leg de uitspraak van de rechter vast "
                "in plaats van een tweede beroep."
            )
        )
    if filed_on > today or filed_on < dt.date.fromisoformat(str(entry["decided_on"])):
        raise PipRefused(_("De datum van het beroep ligt in de toekomst of vóór de beslissing op bezwaar."))


def check_appeal_ruling(entry: dict[str, object], ruled_on: dt.date, today: dt.date) -> None:
    """The court's ruling ends a pending appeal: once, on or after the day the appeal was filed."""
    filed = entry.get("appeal_filed_on")
    if not filed:
        raise PipRefused(_("Er is geen beroep ingesteld tegen deze beslissing; leg eerst het beroep vast."))
    if entry.get("appeal_ruled_on"):
        raise PipRefused(_("De uitspraak in dit beroep is al vastgelegd; een uitspraak verandert niet meer."))
    if ruled_on > today:
        raise PipRefused(_("De datum van de uitspraak ligt in de toekomst; kies de datum van de uitspraak."))
    if ruled_on < dt.date.fromisoformat(str(filed)):
        raise PipRefused(
            _("De uitspraak ligt vóór de datum van het beroep; controleer de datum van de uitspraak.")
        )


def remedy_pending(entry: Mapping[str, object]) -> bool:
    """An objection still undecided, or an appeal without the court's ruling yet."""
    return not entry.get("outcome") or (
        bool(entry.get("appeal_filed_on")) and not entry.get("appeal_ruled_on")
    )
