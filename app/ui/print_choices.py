"""The two choices around printing a PIP (issue 16, "Printing"): which language to print beside
Dutch when it is not the client's own ("Andere taal…"), and, after a print, a "Map openen" button in
the status bar that opens the folder the PDF(s) went to, also when the PDF itself was opened."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QComboBox, QInputDialog, QMainWindow, QPushButton, QWidget

from app.i18n import _
from app.i18n.languages import language_codes
from app.ui.names import language_name

OPEN_FOLDER_BUTTON = "openPdfFolder"


def language_question(parent: QWidget | None, chosen: Callable[[str], None]) -> QInputDialog:
    """A window-modal list of the document languages (names in the interface language); `chosen`
    gets the code of the one picked. Dutch alone is in the list too (a Dutch-only PIP)."""
    codes = [code for code in language_codes() if code != "nl"] + ["nl"]
    names = [language_name(code) for code in codes]
    dialog = QInputDialog(parent)
    dialog.setObjectName("printLanguageQuestion")
    dialog.setWindowTitle(_("PIP afdrukken in een andere taal"))
    dialog.setLabelText(_("Taal naast het Nederlands:"))
    dialog.setComboBoxItems(names)
    dialog.setComboBoxEditable(False)
    combo = dialog.findChild(QComboBox)
    if combo is not None:
        combo.setAccessibleName(_("Taal van de vertaling"))
        combo.setAccessibleDescription(
            _("Kies de taal die de inburgeraar leest; het PIP komt in het Nederlands en in die taal.")
        )
    dialog.textValueSelected.connect(lambda name: chosen(codes[names.index(name)]) if name in names else None)
    return dialog


def offer_open_folder(window: QWidget | None, folder: Path, opener: Callable[[QUrl], Any]) -> None:
    """One "Map openen" button in the window's status bar, for the folder of the latest print."""
    if not isinstance(window, QMainWindow):
        return
    button = window.findChild(QPushButton, OPEN_FOLDER_BUTTON)
    if not isinstance(button, QPushButton):
        button = QPushButton(window.statusBar())
        button.setObjectName(OPEN_FOLDER_BUTTON)
        button.setText(_("Map openen"))
        button.clicked.connect(lambda: opener(QUrl.fromLocalFile(str(button.property("folder")))))
        window.statusBar().addPermanentWidget(button)
    button.setProperty("folder", str(folder))
    button.setToolTip(_("Opent de map met de PDF's: {folder}").format(folder=folder))
    button.setAccessibleDescription(_("Opent de map {folder} in de verkenner.").format(folder=folder))
    button.show()
