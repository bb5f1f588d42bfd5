"""Export for a remote interpreter and the acceptance of what comes back.

The import dialog lists every change (where, Dutch, old and new translation, approved or not) with a
check box; only the checked ones are stored, in the name of the interpreter filled in below the list.
"""

from __future__ import annotations

import uuid
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
from app.services.review import TranslationReviewService
from app.services.review_exchange import PipImport, apply_import, export_po, read_import
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


def export_for_interpreter(
    service: TranslationReviewService, client_id: uuid.UUID, parent: QWidget | None
) -> Path | None:
    """Ask where, write the `.po` file; returns its path (errors raise WegwijsError)."""
    folder = QFileDialog.getExistingDirectory(parent, _("Map voor het vertaalbestand"))
    if not folder:
        return None
    return export_po(service, client_id, Path(folder))


def import_from_interpreter(
    service: TranslationReviewService, client_id: uuid.UUID, parent: QWidget | None, path: Path | None = None
) -> int | None:
    """Read a returned file, show the changes, store the accepted ones; returns how many (None: cancelled)."""
    if path is None:
        chosen, _filter = QFileDialog.getOpenFileName(
            parent, _("Vertaalbestand van de tolk"), "", _("Vertaalbestanden (*.po)")
        )
        if not chosen:
            return None
        path = Path(chosen)
    imported = read_import(service, client_id, path.read_bytes())
    dialog = ImportDialog(imported, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.reviewer is None:
        return None
    return apply_import(service, imported, dialog.reviewer, dialog.accepted_parts())


__all__ = ["SLEUTELPERSOON", "ImportDialog", "export_for_interpreter", "import_from_interpreter"]
