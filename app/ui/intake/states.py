"""The intake's section list: the pages' keys and each section's state mark, colour and words."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QListWidget

from app.forms import SectionState, form_text, section_progress, section_visible
from app.i18n import _
from app.services.intake import IntakeSnapshot

SESSIONS_KEY = "__gesprekken__"
CONCLUSION_KEY = "__afronden__"
OVERVIEW_KEY = "__overzicht__"
SPECIAL_KEYS = (SESSIONS_KEY, CONCLUSION_KEY, OVERVIEW_KEY)

STATE_MARK = {
    SectionState.NOT_STARTED: "○",
    SectionState.IN_PROGRESS: "◐",
    SectionState.COMPLETE: "✓",
    SectionState.HAS_PROBLEMS: "!",
}
STATE_COLOUR = {
    SectionState.NOT_STARTED: "#555555",
    SectionState.IN_PROGRESS: "#1d5fa8",
    SectionState.COMPLETE: "#1b5e20",
    SectionState.HAS_PROBLEMS: "#b00020",
}


def state_label(state: SectionState) -> str:
    return {
        SectionState.NOT_STARTED: _("niet begonnen"),
        SectionState.IN_PROGRESS: _("bezig"),
        SectionState.COMPLETE: _("compleet"),
        SectionState.HAS_PROBLEMS: _("heeft problemen"),
    }[state]


def show_section_states(
    nav: QListWidget, keys: list[str], snap: IntakeSnapshot, answers: dict[str, Any], today: dt.date
) -> str:
    """Mark each entry of `nav` (one per key) with its section's state, from the answers on screen
    (saved or pending); hide sections whose conditions are not met. Returns the summary line."""
    complete = 0
    shown = 0
    for row, key in enumerate(keys):
        item = nav.item(row)
        if key == SESSIONS_KEY:
            count = len(snap.sessions)
            mark = "✓" if count and snap.privacy_explained else "○"
            item.setText(f"{mark}  {_('Gesprekken en privacy')}")
            continue
        if key == CONCLUSION_KEY:
            item.setText(f"{'✓' if not snap.editable else '→'}  {_('Afronden en leerroute')}")
            continue
        if key == OVERVIEW_KEY:
            overview = _("Overzicht")
            item.setText(f"≡  {overview}")
            continue
        section = snap.definition.section(key)
        assert section is not None
        visible = section_visible(section, answers)
        item.setHidden(not visible)
        if not visible:
            continue
        shown += 1
        progress = section_progress(snap.definition, section, answers, key in snap.completed_sections, today)
        complete += progress.state is SectionState.COMPLETE
        item.setText(f"{STATE_MARK[progress.state]}  {form_text(section.title)}")
        item.setForeground(QColor(STATE_COLOUR[progress.state]))
        item.setToolTip(state_label(progress.state))
        item.setData(
            Qt.ItemDataRole.AccessibleTextRole,
            f"{form_text(section.title)}: {state_label(progress.state)}",
        )
        item.setData(Qt.ItemDataRole.UserRole + 1, progress.state.value)
    status = _("afgerond") if not snap.editable else _("open")
    return _("{complete} van {shown} secties compleet · formulierversie {version} · {status}").format(
        complete=complete, shown=shown, version=snap.definition.version, status=status
    )
