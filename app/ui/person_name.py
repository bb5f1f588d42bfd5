"""The klantmanager's own name (issue 19): printed in the PIP, never the computer's login.

`wegwijs init --name` and the first-run dialog ask it; a profile made before that is asked once, at
start-up (`ask_person_name_once`). Cancelling is allowed: the PIP then leaves the name empty (to be
written by hand), and the question comes again at the next start.
"""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from app.domain.errors import WegwijsError
from app.i18n import _
from app.services.profile import Profile


def ask_person_name_once(profile: Profile, parent: QWidget | None = None) -> bool:
    """Ask for the name when the profile has none; True when a name is (now) known."""
    if profile.person_name:
        return True
    name, accepted = QInputDialog.getText(
        parent,
        _("Uw naam"),
        _("Uw naam komt als klantmanager in het PIP te staan. Hoe heet u?"),
        QLineEdit.EchoMode.Normal,
        "",
    )
    if not accepted or not name.strip():
        return False
    try:
        profile.set_person_name(name)
    except WegwijsError as error:
        QMessageBox.warning(parent, "Wegwijs", str(error))
        return False
    return True
