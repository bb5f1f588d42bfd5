"""What the PIP editor shows after a load or a step, read on the database worker in one go, and the
banner text that follows from it (kept apart from app/ui/pip/editor.py so each module stays short)."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.errors import WegwijsError
from app.i18n import _
from app.services.pip import HistoryEntry, PipService, PipSnapshot
from app.services.signing import unreviewed_fixed_texts


@dataclass(frozen=True)
class Shown:
    """What the editor shows after a load or a step, all read on the database worker."""

    snapshot: PipSnapshot
    history: list[HistoryEntry] | None  # None: the history could not be read, keep what is shown
    unreviewed: int  # fixed texts in the document language that no interpreter checked (issue 19)


def read_shown(service: PipService, snap: PipSnapshot) -> Shown:
    """On the worker: the snapshot with its history and the count of unchecked fixed texts."""
    try:
        history: list[HistoryEntry] | None = service.history(snap.client_id)
    except WegwijsError:
        history = None
    return Shown(snap, history, unreviewed_fixed_texts(snap.document_language))


def banner_text(snap: PipSnapshot, is_latest: bool, unreviewed: int, language: str | None) -> str:
    """The line above the form: why this version cannot be changed, and what to do."""
    if not is_latest:
        return _("Dit is een oudere versie; die blijft alleen ter inzage.")
    if snap.state.value in ("besproken", "ondertekend"):
        text = _(
            "Dit PIP is {state}; wijzigen kan na 'Terug naar concept' (handtekeningen vervallen dan)."
        ).format(state=snap.state_label)
        # Issue 19: whoever adopts sees that the translated fixed texts are not checked yet.
        if unreviewed:
            text += " " + _(
                "Let op: de vaste teksten in {language} zijn nog niet door een tolk gecontroleerd; "
                "het PIP vermeldt dat op elke pagina."
            ).format(language=language)
        return text
    if snap.state.value == "vastgesteld":
        return _("Vastgesteld op {date} door {who}; wijzigen kan alleen met een nieuwe versie.").format(
            date=snap.adopted_on.isoformat() if snap.adopted_on else "?", who=snap.adopted_by
        )
    if snap.state.value in ("ingetrokken", "vervangen"):
        return _("Deze versie is {state}; maak zo nodig een nieuwe versie.").format(state=snap.state_label)
    return ""
