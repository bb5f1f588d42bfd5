"""A shortcut for every action of the caseload window (issue 16), in one table: the menus show them,
and the buttons name them in their tooltips. docs/gebruikershandleiding.md lists them for people."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

# The client actions of the detail pane (by their object name); they act on the selected row.
CLIENT_ACTION_SHORTCUTS = {
    "openIntake": "Ctrl+I",
    "openPip": "Ctrl+O",
    "printPip": "Ctrl+P",
    "printPipAllLanguages": "Ctrl+Shift+P",
    "printPipOtherLanguage": "Ctrl+Alt+P",
    "openReview": "Ctrl+T",
    "openInterpreterMode": "Ctrl+M",
    "openTermRecords": "Ctrl+B",  # B of bezwaar
    "openTransfer": "Ctrl+Shift+V",
}

# The window's own actions (its attribute names). Named keys, not Qt's standard keys: those differ per
# platform, and Quit has none on Windows.
WINDOW_SHORTCUTS = {
    "refresh_action": "F5",
    "find_action": "Ctrl+F",
    "quit_action": "Ctrl+Q",
    "sync_now_action": "Ctrl+Shift+S",
    "sync_target_action": "Ctrl+Shift+D",
    "standard_texts_action": "Ctrl+Shift+T",
    "settings_action": "Ctrl+,",
    "about_action": "F1",
}
LANGUAGE_SHORTCUTS = {"nl": "Ctrl+Shift+N", "en": "Ctrl+Shift+E"}
# The caseload views, in the order of CaseloadView: Ctrl+1 all clients, Ctrl+2 mine, ...
VIEW_SHORTCUT = "Ctrl+{n}"


def with_shortcut(text: str, keys: QKeySequence | str) -> str:
    """A tooltip that names the shortcut: "PIP afdrukken (Ctrl+P)" (a mnemonic's & left out)."""
    sequence = keys if isinstance(keys, QKeySequence) else QKeySequence(keys)
    shown = sequence.toString(QKeySequence.SequenceFormat.NativeText)
    plain = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    return f"{plain} ({shown})" if shown else plain
