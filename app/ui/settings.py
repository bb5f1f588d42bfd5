"""The municipal options of this profile (profile.json): klantmanager may adopt, progress interval,
PDF folder, logo. What the municipality's policy file fixes is shown greyed, with the reason."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app.domain.errors import WegwijsError
from app.i18n import _
from app.services.municipal_options import MunicipalOptions, MunicipalOptionsService
from app.services.profile import Profile


class SettingsDialog(QDialog):
    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Instellingen van de gemeente"))
        self._service = MunicipalOptionsService.for_profile(profile)
        state = self._service.current()
        layout = QFormLayout(self)
        if state.policy_problem:
            problem = QLabel(state.policy_problem)
            problem.setWordWrap(True)
            layout.addRow(problem)

        self.may_adopt = QCheckBox(_("De klantmanager mag een PIP zelf vaststellen"))
        self.may_adopt.setChecked(bool(state.get("klantmanager_may_adopt").value))
        self.interval = QSpinBox()
        self.interval.setRange(1, 12)
        self.interval.setSuffix(_(" maanden"))
        self.interval.setValue(int(state.get("progress_interval_months").value))
        # Issue 14: privacy settings.
        self.idle_lock = self._spin(0, 240, _(" minuten"), int(state.get("idle_lock_minutes").value))
        self.idle_lock.setSpecialValueText(_("nooit"))
        self.retention = self._spin(1, 30, _(" jaar"), int(state.get("retention_years").value))
        self.backup_age = self._spin(1, 3650, _(" dagen"), int(state.get("backup_max_age_days").value))
        self.pdf_folder = QLineEdit(str(state.get("pdf_folder").value))
        self.logo = QLineEdit(str(state.get("municipality_logo").value))
        for path_field in (self.pdf_folder, self.logo):
            path_field.setMinimumWidth(320)  # a path and its hint stay readable
        self.pdf_folder.setPlaceholderText(_("standaard: de map afdrukken in het profiel"))
        self.logo.setPlaceholderText(_("geen logo"))
        # The labels sit beside a row (field and "Kiezen…"), so they are no buddies: name the fields.
        self.pdf_folder.setAccessibleName(_("Map voor PDF's"))
        self.logo.setAccessibleName(_("Logo van de gemeente"))
        self.interval.setAccessibleName(_("Voortgangsgesprek elke"))
        self._descriptions: dict[QWidget, str] = {
            self.may_adopt: _(
                "Aangevinkt: een klantmanager stelt een PIP zelf vast; anders doet de supervisor dat."
            ),
            self.interval: _("Om de hoeveel maanden een voortgangsgesprek komt, van 1 tot en met 12."),
            self.pdf_folder: _(
                "De map waarin afgedrukte PIP's komen, als volledig pad; leeg is de standaardmap."
            ),
            self.logo: _(
                "Een PNG- of JPG-bestand met het logo boven op het PIP, als volledig pad; leeg is geen logo."
            ),
            self.idle_lock: _(
                "Na hoeveel minuten zonder gebruik Wegwijs vergrendelt, tot en met 240; 0 is nooit."
            ),
            self.retention: _(
                "Hoeveel jaar na het einde van de inburgeringsplicht de gegevens blijven, van 1 tot en met 30."
            ),
            self.backup_age: _("Hoeveel dagen een reservekopie bewaard blijft voordat hij wordt opgeruimd."),
        }
        for widget, description in self._descriptions.items():
            widget.setAccessibleDescription(description)

        layout.addRow(self.may_adopt)
        layout.addRow(_("Voortgangsgesprek elke"), self.interval)
        layout.addRow(_("Map voor PDF's"), self._with_browse(self.pdf_folder, folder=True))
        layout.addRow(_("Logo van de gemeente"), self._with_browse(self.logo, folder=False))
        layout.addRow(_("Vergrendelen na"), self.idle_lock)
        layout.addRow(_("Bewaren na het einde van de inburgeringsplicht"), self.retention)
        layout.addRow(_("Reservekopieën bewaren"), self.backup_age)
        # The reason is said in words too, not only in the tooltips of the greyed fields.
        self.fixed_note = QLabel()
        self.fixed_note.setWordWrap(True)
        layout.addRow(self.fixed_note)
        self._apply_fixed(state)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        # Named in the interface language whether or not Qt's own translations are installed.
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Opslaan"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Annuleren"))
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    @staticmethod
    def _spin(low: int, high: int, suffix: str, value: int) -> QSpinBox:
        box = QSpinBox()
        box.setRange(low, high)
        box.setSuffix(suffix)
        box.setValue(value)
        return box

    def _with_browse(self, field: QLineEdit, folder: bool) -> QWidget:
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(field)
        browse = QPushButton(_("Kiezen…"))
        field.setProperty("browse", browse)

        def choose() -> None:
            if folder:
                chosen = QFileDialog.getExistingDirectory(self, _("Map voor PDF's"), field.text())
            else:
                chosen, _filter = QFileDialog.getOpenFileName(
                    self, _("Logo van de gemeente"), field.text(), _("Afbeeldingen (*.png *.jpg *.jpeg)")
                )
            if chosen:
                field.setText(chosen)

        browse.clicked.connect(choose)
        box.addWidget(browse)
        return row

    def _widgets(self) -> dict[str, list[QWidget]]:
        def with_button(field: QLineEdit) -> list[QWidget]:
            return [field, field.property("browse")]

        return {
            "klantmanager_may_adopt": [self.may_adopt],
            "progress_interval_months": [self.interval],
            "pdf_folder": with_button(self.pdf_folder),
            "municipality_logo": with_button(self.logo),
            "idle_lock_minutes": [self.idle_lock],
            "retention_years": [self.retention],
            "backup_max_age_days": [self.backup_age],
        }

    def _apply_fixed(self, state: MunicipalOptions) -> None:
        reasons = {option.fixed_reason for option in state.options if option.fixed_reason}
        self.fixed_note.setText(
            " ".join(sorted(_("Grijze instellingen: {reason}").format(reason=r) for r in reasons))
        )
        self.fixed_note.setVisible(bool(reasons))
        for name, widgets in self._widgets().items():
            reason = state.get(name).fixed_reason
            for widget in widgets:
                widget.setEnabled(reason is None)
                widget.setToolTip(reason or "")
            if reason is not None:
                widgets[0].setAccessibleDescription(f"{reason} {self._descriptions[widgets[0]]}")

    def values(self) -> dict[str, object]:
        return {
            "klantmanager_may_adopt": self.may_adopt.isChecked(),
            "progress_interval_months": self.interval.value(),
            "pdf_folder": self.pdf_folder.text().strip(),
            "municipality_logo": self.logo.text().strip(),
            "idle_lock_minutes": self.idle_lock.value(),
            "retention_years": self.retention.value(),
            "backup_max_age_days": self.backup_age.value(),
        }

    def _save(self) -> None:
        # Only what may change is sent: a greyed (fixed) field is the policy's value anyway.
        changes = {
            name: value for name, value in self.values().items() if self._widgets()[name][0].isEnabled()
        }
        try:
            self._service.save(changes)
        except WegwijsError as error:
            QMessageBox.warning(self, _("Instellingen van de gemeente"), str(error))
            return
        self.accept()
