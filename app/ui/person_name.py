"""The klantmanager's own name (issue 19): printed in the PIP, never the computer's login.

`wegwijs init --name` and the first-run dialog ask it; a profile made before that is asked once, at
start-up, by a question over the main window (`ask_person_name_once`): it does not hold up the
window, and cancelling is allowed. The PIP then leaves the name empty (to be written by hand), and
the question comes again at the next start.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from app.domain.errors import WegwijsError
from app.i18n import _
from app.services.profile import Profile
from app.ui.text_question import text_question


def ask_person_name_once(profile: Profile, parent: QWidget | None = None) -> QInputDialog | None:
    """Open the question when the profile has no name yet (None: it has one). Non-blocking."""
    if profile.person_name:
        return None
    dialog = text_question(
        parent,
        _("Uw naam"),
        _("Uw naam komt als klantmanager in het PIP te staan. Hoe heet u?"),
        _("Uw voor- en achternaam op één regel, zoals collega's en inburgeraars u kennen."),
    )
    dialog.setObjectName("personNameQuestion")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)

    def chosen(name: str) -> None:
        if not name.strip():
            return
        try:
            profile.set_person_name(name)
        except WegwijsError as error:
            QMessageBox.warning(parent, "Wegwijs", str(error))

    dialog.textValueSelected.connect(chosen)
    dialog.open()
    return dialog
