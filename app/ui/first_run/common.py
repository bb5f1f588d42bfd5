"""What the first-run pages share: a page whose step runs in the background with its state shown in
words on the page (no pop-ups), and the fingerprint shown in groups to read aloud."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import shiboken6
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget, QWizardPage

from app.i18n import _
from app.ui import errors
from app.ui.tasks import run_in_background

if TYPE_CHECKING:
    from app.ui.first_run.wizard import FirstRunWizard


class StepPage(QWizardPage):
    """A page with a status line; `run_step` does its work in the background and goes on to the next
    page when the work was started by "Volgende" (validatePage)."""

    def __init__(self, title: str, subtitle: str) -> None:
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.status = QLabel()
        self.status.setObjectName("firstRunStatus")
        self.status.setWordWrap(True)
        self.status.setAccessibleName(_("Melding"))
        self._validating = False
        self._busy = False

    def first_run(self) -> FirstRunWizard:
        # Only the type checker reads the wizard's module: it imports the pages (no cycle).
        return cast("FirstRunWizard", self.wizard())

    def say(self, text: str, problem: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #a1260d; font-weight: bold;" if problem else "")
        self.status.setAccessibleDescription(text)

    def problem(self, text: str) -> bool:
        """Show a refusal on the page; returns False for validatePage."""
        self.say(text, problem=True)
        return False

    def is_busy(self) -> bool:
        return self._busy

    def run_step(
        self,
        busy_text: str,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        advance: bool,
    ) -> None:
        """`work` in the database pool; `done` with its result on the GUI thread; a refusal said on
        the page. With `advance` (started from validatePage) the wizard moves on afterwards."""
        self._busy = True
        self.say(busy_text)
        focused = QApplication.focusWidget()
        self.setEnabled(False)  # that takes the keyboard focus away: it is given back afterwards
        self.completeChanged.emit()

        def give_focus_back() -> None:
            self.setEnabled(True)
            if focused is not None and shiboken6.isValid(focused) and focused.isVisible():
                focused.setFocus()

        def finished(result: Any) -> None:
            self._busy = False
            give_focus_back()
            done(result)
            self.completeChanged.emit()
            if advance and not self._validating:
                self.first_run().next()

        def failed(error: BaseException) -> None:
            self._busy = False
            give_focus_back()
            self.problem(errors.message(error))
            self.completeChanged.emit()

        run_in_background("database", work, finished, owner=self, on_error=failed)

    def validate_with(self, step: Callable[[], bool]) -> bool:
        """validatePage around `step`: True when the step finished at once (synchronous pools) or
        needed no work; a step still running moves the wizard on itself when it ends."""
        if self._busy:
            return False
        self._validating = True
        try:
            return step()
        finally:
            self._validating = False

    def isComplete(self) -> bool:  # noqa: N802 (Qt naming)
        return not self._busy and super().isComplete()


def fingerprint_groups(fingerprint: str) -> list[str]:
    return fingerprint.split()


class FingerprintView(QWidget):
    """A fingerprint in two rows of four numbered groups, large and fixed-width, to read aloud."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setObjectName("fingerprint")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.6)
        font.setWeight(QFont.Weight.DemiBold)
        self.label.setFont(font)
        self.label.setAccessibleName(_("Vingerafdruk"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        self.show_fingerprint("")

    def show_fingerprint(self, fingerprint: str) -> None:
        groups = fingerprint_groups(fingerprint)
        rows = ["   ".join(groups[:4]), "   ".join(groups[4:])] if groups else []
        self.label.setText("\n".join(rows))
        # A screen reader reads each group with its number, as it is read aloud on the phone.
        self.label.setAccessibleDescription(
            ", ".join(
                _("groep {n}: {digits}").format(n=n, digits=" ".join(group))
                for n, group in enumerate(groups, 1)
            )
        )
        self.setVisible(bool(groups))

    def text(self) -> str:
        return self.label.text()
