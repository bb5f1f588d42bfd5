"""The words of the "Ontheffing en bezwaar" dialog (app/ui/pip/term_records.py): how an exemption and
an objection read in its lists, and what its fields are for (their accessible descriptions)."""

from __future__ import annotations

import datetime as dt

from app.domain.decisions import EXEMPTION_LABELS, ExemptionKind, ObjectionOutcome, part_names
from app.i18n import N_, _
from app.services.pip import ExemptionEntry, ObjectionEntry

OUTCOME_LABELS: dict[ObjectionOutcome, str] = {
    ObjectionOutcome.ONGEGROND: N_("ongegrond"),
    ObjectionOutcome.GEGROND: N_("gegrond"),
}

DESCRIPTIONS: dict[str, str] = {
    "exemptionList": N_("De ontheffingen die DUO besliste, met datum en onderdelen; alleen om te lezen."),
    "exemptionKind": N_(
        "Het soort ontheffing: na aantoonbare inspanningen (AGI) of via de leerbaarheidstoets; kies met "
        "de pijltjestoetsen."
    ),
    "exemptionDate": N_("De datum van het besluit van DUO, als dag-maand-jaar, bijvoorbeeld 12-03-2026."),
    "exemptionPart": N_(
        "Aanvinken met de spatiebalk als DUO dit onderdeel ontheft; niets aangevinkt is ontheffing van de "
        "hele plicht."
    ),
    "objectionList": N_(
        "De bezwaren tegen het geldende PIP, met termijn, beslissing, beroep en uitspraak; kies er een met "
        "de pijltjestoetsen om de beslissing, het beroep of de uitspraak vast te leggen."
    ),
    "madeKnown": N_(
        "De dag waarop het PIP aan de inburgeraar bekend is gemaakt, als dag-maand-jaar; de termijn van zes "
        "weken begint de dag erna."
    ),
    "received": N_("De dag waarop het bezwaarschrift binnenkwam, als dag-maand-jaar."),
    "stepOutcome": N_(
        "Ongegrond of gegrond: geldt voor de beslissing op bezwaar en voor de uitspraak in beroep."
    ),
    "stepDate": N_(
        "De datum van de beslissing op bezwaar, van het beroep of van de uitspraak, als dag-maand-jaar."
    ),
    "stepExplanation": N_(
        "Alleen bij gegrond: wat er in het PIP verandert; er komt een nieuwe versie. Tab gaat naar de knoppen."
    ),
}


def describe(name: str) -> str:
    return _(DESCRIPTIONS[name])


def day(value: dt.date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else "?"


def exemption_line(entry: ExemptionEntry) -> str:
    kind = _(EXEMPTION_LABELS[ExemptionKind(entry.kind)]) if entry.kind in set(ExemptionKind) else entry.kind
    if entry.parts:
        covered = _("onderdelen: {parts}").format(parts=part_names(entry.parts))
    else:
        covered = _("de hele inburgeringsplicht")
    return f"{day(entry.decided_on)} · {kind} · {covered}"


def objection_line(number: int, entry: ObjectionEntry) -> str:
    """One objection with everything that followed it, in the order it happened."""
    parts = [
        _(
            "Bezwaar {n} tegen versie {version}: bekendgemaakt {known}, ontvangen {received}, termijn tot en "
            "met {end}"
        ).format(
            n=number,
            version=entry.version,
            known=day(entry.made_known_on),
            received=day(entry.received_on),
            end=day(entry.window_end),
        )
        + (_(" — te laat") if entry.late else "")
    ]
    if entry.outcome is None:
        parts.append(_("nog geen beslissing op bezwaar"))
    else:
        parts.append(
            _("beslissing: {outcome} op {date}").format(
                outcome=_(OUTCOME_LABELS[entry.outcome]), date=day(entry.decided_on)
            )
        )
    if entry.appeal_filed_on is not None:
        parts.append(_("beroep ingesteld op {date}").format(date=day(entry.appeal_filed_on)))
        if entry.appeal_outcome is None:
            parts.append(_("nog geen uitspraak"))
        else:
            parts.append(
                _("uitspraak: {outcome} op {date}").format(
                    outcome=_(OUTCOME_LABELS[entry.appeal_outcome]), date=day(entry.appeal_ruled_on)
                )
            )
    return "; ".join(parts)
