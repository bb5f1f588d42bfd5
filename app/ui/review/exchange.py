"""The dialogs of the exchange with a remote interpreter: where to write, which file to read, and
which returned changes to accept (the reading and storing runs on the worker, app/ui/review/__init__.py).

The import dialog lists every change (where, Dutch, old and new translation, approved or not) with a
check box; only the checked ones are stored, in the name of the interpreter filled in below the list.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import WegwijsError
from app.i18n import _
from app.i18n.review_layer import SLEUTELPERSOON, Reviewer
from app.services.review_exchange import PipImport
from app.ui.review.screen import font_for


class ImportDialog(QDialog):
    """The changes in a returned `.po` file, for the klantmanager to accept one by one."""

    def __init__(self, imported: PipImport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.imported = imported
        self.setWindowTitle(_("Vertaling van de tolk overnemen"))
        self.resize(980, 520)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "Vink aan welke vertalingen u overneemt. Vertalingen die de tolk als gecontroleerd stuurde, tellen als beoordeeld."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(imported.changes), 5)
        self.table.setObjectName("importChanges")
        self.table.setAccessibleName(_("Vertalingen uit het bestand van de tolk"))
        self.table.setAccessibleDescription(
            _(
                "Per tekst: overnemen of niet, waar hij staat, het Nederlands, de nieuwe vertaling en of hij beoordeeld is."
            )
        )
        self.table.setHorizontalHeaderLabels(
            [_("Overnemen"), _("Waar"), _("Nederlands"), _("Nieuwe vertaling"), _("Beoordeeld")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        language = imported.review_set.language
        rtl = imported.review_set.is_rtl
        self.checks: list[QCheckBox] = []
        for row, change in enumerate(imported.changes):
            check = QCheckBox()
            check.setChecked(True)
            check.setAccessibleName(_("Overnemen: {part}").format(part=change.context))
            check.setAccessibleDescription(
                _("Aangevinkt: deze nieuwe vertaling wordt overgenomen; spatiebalk om het uit te zetten.")
            )
            self.checks.append(check)
            self.table.setCellWidget(row, 0, check)
            self.table.setItem(row, 1, QTableWidgetItem(change.context))
            self.table.setItem(row, 2, QTableWidgetItem(change.dutch))
            new = QTableWidgetItem(change.new)
            new.setFont(font_for(language, 10.5))
            if rtl:
                new.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            new.setToolTip(_("Was: {old}").format(old=change.old or _("(geen vertaling)")))
            self.table.setItem(row, 3, new)
            self.table.setItem(row, 4, QTableWidgetItem(_("ja") if change.approved else _("nee")))
        layout.addWidget(self.table, 1)
        notes = []
        if not imported.changes:
            notes.append(_("Het bestand bevat geen nieuwe of gewijzigde vertalingen."))
        if imported.changed_source:
            notes.append(
                _("Niet overgenomen, omdat de Nederlandse tekst sinds de export veranderde: {parts}.").format(
                    parts=", ".join(imported.changed_source)
                )
            )
        notes.extend(imported.warnings)
        self.notes = QLabel("\n".join(notes))
        self.notes.setObjectName("importNotes")
        self.notes.setWordWrap(True)
        layout.addWidget(self.notes)
        who = QHBoxLayout()
        name, _sep, register = imported.last_translator.partition("(")
        self.reviewer_name = QLineEdit(name.strip())
        self.reviewer_name.setObjectName("importReviewerName")
        self.reviewer_name.setPlaceholderText(_("Naam van de tolk"))
        self.reviewer_register = QLineEdit(register.rstrip(")").strip())
        self.reviewer_register.setObjectName("importReviewerRegister")
        self.reviewer_register.setPlaceholderText(_("Registratienummer (Rbtv) of 'sleutelpersoon'"))
        who.addWidget(QLabel(_("Tolk:")))
        who.addWidget(self.reviewer_name, 2)
        who.addWidget(self.reviewer_register, 1)
        layout.addLayout(who)
        self.message = QLabel()
        self.message.setObjectName("importMessage")
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.accept_button = buttons.addButton(
            _("Aangevinkte overnemen"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.accept_button.setObjectName("importAccept")
        self.accept_button.setEnabled(bool(imported.changes))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reviewer: Reviewer | None = None

    def accepted_parts(self) -> list[str]:
        return [
            c.part for c, check in zip(self.imported.changes, self.checks, strict=True) if check.isChecked()
        ]

    def _accept(self) -> None:
        register = self.reviewer_register.text().strip() or ""
        try:
            self.reviewer = Reviewer(self.reviewer_name.text(), register)
        except WegwijsError as error:
            self.message.setText(str(error))
            return
        self.accept()


def choose_folder(parent: QWidget | None, title: str) -> Path | None:
    folder = QFileDialog.getExistingDirectory(parent, title)
    return Path(folder) if folder else None


def choose_po_file(parent: QWidget | None, title: str) -> Path | None:
    chosen, _filter = QFileDialog.getOpenFileName(parent, title, "", _("Vertaalbestanden (*.po)"))
    return Path(chosen) if chosen else None


def ask_which_changes(imported: PipImport, parent: QWidget | None) -> tuple[Reviewer, list[str]] | None:
    """Show the changes of a returned file; the interpreter and the accepted parts (None: cancelled)."""
    dialog = ImportDialog(imported, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.reviewer is None:
        return None
    return dialog.reviewer, dialog.accepted_parts()


__all__ = ["SLEUTELPERSOON", "ImportDialog", "ask_which_changes", "choose_folder", "choose_po_file"]
