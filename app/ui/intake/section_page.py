"""One section of the intake as a page: a row per field with label, help, editor and inline problem."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLayout, QScrollArea, QVBoxLayout, QWidget

from app.forms import Field, Section, form_text
from app.forms.describe import describe_field
from app.i18n import _
from app.ui.intake.editors import FieldEditor, make_editor


class LoadingPage(QLabel):
    """What the window shows until the intake is loaded (issue 16: never a blank window), and the
    reason when it cannot be loaded."""

    def __init__(self) -> None:
        super().__init__(_("De intake wordt geladen…"))
        self.setObjectName("intakeLoading")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setStyleSheet("font-size: 13pt;")
        self.setAccessibleName(_("Bezig met laden"))

    def failed(self, text: str) -> None:
        self.setText(_("De intake kon niet worden geladen. {reason}").format(reason=text))
        self.setAccessibleName(self.text())


class FieldRow(QWidget):
    """One field: label (with * when required), help, editor, and the inline problem text."""

    def __init__(self, item: Field, editor: FieldEditor) -> None:
        super().__init__()
        self.item = item
        self.editor = editor
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.setSpacing(2)
        self.label = QLabel(form_text(item.label) + (" *" if item.required else ""))
        self.label.setStyleSheet("font-weight: 600;")
        self.label.setWordWrap(True)
        self.label.setBuddy(editor.focus_widget())
        layout.addWidget(self.label)
        if item.help:
            help_label = QLabel(form_text(item.help))
            help_label.setWordWrap(True)
            help_label.setStyleSheet("color: #555555;")
            layout.addWidget(help_label)
        layout.addWidget(editor)
        self.problem = QLabel()
        self.problem.setObjectName(f"problem_{item.id}")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.hide()
        layout.addWidget(self.problem)
        editor.set_accessible(form_text(item.label), describe_field(item))

    def show_problem(self, text: str | None) -> None:
        self.problem.setText(text or "")
        self.problem.setVisible(bool(text))
        target = self.editor.focus_widget()
        base = describe_field(self.item)
        error_word = _("Fout")
        target.setAccessibleDescription(f"{error_word}: {text}. {base}" if text else base)


class SectionPage(QScrollArea):
    def __init__(
        self,
        section: Section,
        answers: Mapping[str, Any],
        on_edited: Callable[[str], None],
        on_left: Callable[[], None],
    ) -> None:
        super().__init__()
        self.section = section
        self.setWidgetResizable(True)
        self.setObjectName(f"page_{section.id}")
        # A focus stop of its own (it scrolls): named after the section, described by its help.
        self.setAccessibleName(form_text(section.title))
        self.setAccessibleDescription(
            form_text(section.help)
            or _("De vragen van deze sectie; pijltjestoetsen scrollen, Tab gaat naar de vragen.")
        )
        body = QWidget()
        layout = QVBoxLayout(body)
        title = QLabel(form_text(section.title))
        title.setStyleSheet("font-size: 14pt; font-weight: 600;")
        layout.addWidget(title)
        if section.help:
            help_label = QLabel(form_text(section.help))
            help_label.setWordWrap(True)
            help_label.setStyleSheet("color: #555555;")
            layout.addWidget(help_label)
        self.rows: dict[str, FieldRow] = {}
        for item in section.fields:
            editor = make_editor(item)
            editor.set_raw(answers.get(item.id))
            editor.edited.connect(lambda f=item.id: on_edited(f))
            editor.left.connect(on_left)
            row = FieldRow(item, editor)
            self.rows[item.id] = row
            layout.addWidget(row)
        layout.addStretch(1)
        # The page grows with its contents (problem texts, group entries) instead of squeezing the fields.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.setWidget(body)
