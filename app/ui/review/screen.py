"""The review screen: the Dutch source beside the translation, one text at a time, by keyboard.

Top: the client's name, the language and who reviews (name and register number, or
"sleutelpersoon"). Middle: the list of texts with where each appears and its state, filtered by
state and kind, searchable in both columns. Bottom: the Dutch text and the translation side by side;
the translation editor takes the language's direction from the language registry.

Keys: Ctrl+Enter approves and goes to the next text, F2 edits the translation, Ctrl+PgDown skips,
Ctrl+PgUp goes back, Ctrl+F searches. Refusals and warnings appear in one line under the editor
(app/ui/errors.py says them); there are no pop-ups.

Loading and approving run on the database worker of the one runner (app/ui/tasks.py, owner = this
screen); an approval that comes back after the klantmanager moved on updates that text's row and
leaves the place where it is.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QKeySequence, QShortcut, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import WegwijsError
from app.i18n import _
from app.i18n.languages import get_language, is_known_language
from app.i18n.review_layer import SLEUTELPERSOON, STATUS_LABELS, Reviewer, ReviewStatus
from app.resources import resources_dir
from app.services.review import FREE_TEXT, STANDARD_TEXT, ReviewItem, ReviewSet, TranslationReviewService
from app.ui import errors
from app.ui.names import language_name
from app.ui.tasks import Task, run_in_background

ALL = "alle"
STATUS_MARKS = {
    ReviewStatus.NOT_TRANSLATED: "○",
    ReviewStatus.NOT_REVIEWED: "◐",
    ReviewStatus.REVIEWED: "✓",
    ReviewStatus.OUTDATED: "!",
}
_fonts_loaded = False


def load_bundled_fonts() -> None:
    """The Noto fonts the PDF uses, for Qt as well: Ethiopic and Arabic need no system font."""
    global _fonts_loaded
    if _fonts_loaded:
        return
    for path in sorted((resources_dir() / "fonts").glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(path))
    _fonts_loaded = True


def font_for(language: str | None, size: float = 12.0) -> QFont:
    families = ["Noto Sans"]
    if language and is_known_language(language):
        script = get_language(language).script
        if script == "Arab":
            families = ["Noto Naskh Arabic", "Noto Sans"]
        elif script == "Ethi":
            families = ["Noto Sans Ethiopic", "Noto Sans"]
    font = QFont()
    font.setFamilies(families)
    font.setPointSizeF(size)
    return font


class ReviewScreen(QWidget):
    """Review the texts of one client; `service` decides the role (interpreter mode or not)."""

    approved = Signal(str)  # the key of the approved text

    def __init__(
        self, service: TranslationReviewService, client_id: object, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        load_bundled_fonts()
        self.service = service
        self.client_id = client_id
        self.review_set: ReviewSet | None = None
        self.items: list[ReviewItem] = []
        self.visible: list[int] = []  # indexes into self.items, in table order
        self.current: int | None = None
        self.editors: list[QPlainTextEdit] = []
        self._build()
        self._shortcuts()
        self.reload()

    # -- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.client_label = QLabel()
        self.client_label.setObjectName("reviewClient")
        self.client_label.setStyleSheet("font-size: 14pt; font-weight: 600;")
        self.client_label.setTextFormat(Qt.TextFormat.PlainText)
        self.language_label = QLabel()
        self.language_label.setObjectName("reviewLanguage")
        layout.addWidget(self.client_label)
        layout.addWidget(self.language_label)

        who = QHBoxLayout()
        self.reviewer_name = QLineEdit()
        self.reviewer_name.setObjectName("reviewerName")
        self.reviewer_name.setPlaceholderText(_("Naam van de tolk"))
        self.reviewer_name.setAccessibleName(_("Naam van de tolk"))
        self.reviewer_name.setAccessibleDescription(
            _(
                "Voor- en achternaam van de tolk die de vertalingen beoordeelt; komt bij elke beoordeling te staan."
            )
        )
        self.reviewer_register = QLineEdit()
        self.reviewer_register.setObjectName("reviewerRegister")
        self.reviewer_register.setPlaceholderText(_("Registratienummer (Rbtv)"))
        self.reviewer_register.setAccessibleName(_("Registratienummer (Rbtv)"))
        self.reviewer_register.setAccessibleDescription(
            _(
                "Het nummer van de tolk in het Register beëdigde tolken en vertalers; leeg bij een sleutelpersoon."
            )
        )
        self.key_person = QCheckBox(_("Sleutelpersoon (geen registratienummer)"))
        self.key_person.setObjectName("reviewerKeyPerson")
        self.key_person.setAccessibleDescription(
            _(
                "Aanvinken met de spatiebalk als een sleutelpersoon beoordeelt; dan is geen registratienummer nodig."
            )
        )
        self.key_person.toggled.connect(self._key_person_toggled)
        who.addWidget(QLabel(_("Beoordeeld door:")))
        who.addWidget(self.reviewer_name, 2)
        who.addWidget(self.reviewer_register, 1)
        who.addWidget(self.key_person)
        layout.addLayout(who)

        filters = QHBoxLayout()
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("reviewStatusFilter")
        self.status_filter.setAccessibleName(_("Toon"))
        self.status_filter.setAccessibleDescription(
            _("Welke teksten de lijst toont: alle, of alleen die met één stand van beoordeling.")
        )
        self.status_filter.addItem(_("Alle teksten"), ALL)
        for status in ReviewStatus:
            self.status_filter.addItem(_(STATUS_LABELS[status]).capitalize(), status.value)
        self.kind_filter = QComboBox()
        self.kind_filter.setObjectName("reviewKindFilter")
        self.kind_filter.setAccessibleName(_("Soort tekst"))
        self.kind_filter.setAccessibleDescription(
            _("De vrije teksten van dit PIP, de standaardteksten van Wegwijs, of beide.")
        )
        self.kind_filter.addItem(_("Vrije teksten en standaardteksten"), ALL)
        self.kind_filter.addItem(_("Vrije teksten van het PIP"), FREE_TEXT)
        self.kind_filter.addItem(_("Standaardteksten"), STANDARD_TEXT)
        self.search = QLineEdit()
        self.search.setObjectName("reviewSearch")
        self.search.setPlaceholderText(_("Zoeken in Nederlands en vertaling (Ctrl+F)"))
        self.search.setAccessibleName(_("Zoeken"))
        self.search.setAccessibleDescription(
            _("Typ een woord uit de Nederlandse tekst of de vertaling; de lijst toont alleen wat het bevat.")
        )
        self.search.setClearButtonEnabled(True)
        self.counts = QLabel()
        self.counts.setObjectName("reviewCounts")
        filters.addWidget(self.status_filter)
        filters.addWidget(self.kind_filter)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.counts)
        layout.addLayout(filters)
        self.status_filter.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.kind_filter.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.search.textChanged.connect(lambda _t: self._apply_filter())

        splitter = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("reviewTable")
        self.table.setAccessibleName(_("Teksten om te beoordelen"))
        self.table.setAccessibleDescription(
            _(
                "Per tekst: waar hij staat, het Nederlands, de vertaling en de stand; pijltjestoetsen kiezen een tekst."
            )
        )
        self.table.setHorizontalHeaderLabels([_("Waar"), _("Nederlands"), _("Vertaling"), _("Status")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.table.currentCellChanged.connect(lambda row, _c, _pr, _pc: self._row_changed(row))
        splitter.addWidget(self.table)

        detail = QWidget()
        grid = QGridLayout(detail)
        self.context_label = QLabel()
        self.context_label.setObjectName("reviewContext")
        self.context_label.setStyleSheet("font-weight: 600;")
        self.context_label.setTextFormat(Qt.TextFormat.PlainText)
        grid.addWidget(self.context_label, 0, 0, 1, 2)
        grid.addWidget(QLabel(_("Nederlands (brontekst)")), 1, 0)
        self.translation_title = QLabel()
        grid.addWidget(self.translation_title, 1, 1)
        self.source = QPlainTextEdit()
        self.source.setObjectName("reviewSource")
        self.source.setReadOnly(True)
        self.source.setAccessibleName(_("Nederlandse tekst"))
        self.source.setAccessibleDescription(
            _("De Nederlandse brontekst van de gekozen tekst; alleen om te lezen.")
        )
        self.source.setFont(font_for("nl"))
        self.source.setTabChangesFocus(True)
        grid.addWidget(self.source, 2, 0)
        self.editor_box = QWidget()
        self.editor_layout = QVBoxLayout(self.editor_box)
        self.editor_layout.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.editor_box, 2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.message = QLabel()
        self.message.setObjectName("reviewMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        grid.addWidget(self.message, 3, 0, 1, 2)
        buttons = QHBoxLayout()
        self.approve_button = QPushButton(_("Goedkeuren en volgende (Ctrl+Enter)"))
        self.approve_button.setObjectName("reviewApprove")
        self.edit_button = QPushButton(_("Bewerken (F2)"))
        self.edit_button.setObjectName("reviewEdit")
        self.skip_button = QPushButton(_("Overslaan (Ctrl+PgDown)"))
        self.skip_button.setObjectName("reviewSkip")
        self.approve_button.clicked.connect(self.approve_and_next)
        self.edit_button.clicked.connect(self.edit)
        self.skip_button.clicked.connect(self.skip)
        for button in (self.approve_button, self.edit_button, self.skip_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        grid.addLayout(buttons, 4, 0, 1, 2)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([430, 300])
        layout.addWidget(splitter, 1)

    def _shortcuts(self) -> None:
        def bind(keys: list[QKeySequence | str], slot: Callable[[], object]) -> None:
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(slot)

        bind(["Ctrl+Return", "Ctrl+Enter"], self.approve_and_next)
        bind(["F2"], self.edit)
        bind(["Ctrl+PgDown"], self.skip)
        bind(["Ctrl+PgUp"], self.previous)
        bind(["Ctrl+F"], self._focus_search)
        bind(["Escape"], self._stop_editing)

    # -- data --------------------------------------------------------------------------------

    def reload(self) -> Task:
        """Read the client's texts again on the database worker; the place in the list stays."""
        service, client_id = self.service, self.client_id
        return run_in_background(
            "database",
            lambda: service.review_set(client_id),  # type: ignore[arg-type]
            self._loaded,
            owner=self,
            on_error=self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        self.show_message(errors.message(error), error=True)

    def _loaded(self, review_set: ReviewSet) -> None:
        current = self.current_item()
        keep = current.key if current is not None else None
        self.review_set = review_set
        self.items = list(review_set.items)
        name = review_set.client_name
        if review_set.client_original_name:
            name = f"{name}  ·  {review_set.client_original_name}"
        self.client_label.setText(name)
        language = review_set.language
        if language and is_known_language(language) and language != "nl":
            info = get_language(language)
            text = _("Taal: {name} ({native})").format(name=language_name(info.code), native=info.native_name)
            if review_set.version_number is not None:
                text += "  ·  " + _("PIP versie {number}").format(number=review_set.version_number)
                if not review_set.version_editable:
                    text += "  ·  " + _("vastgesteld: vrije teksten zijn alleen te lezen")
            self.language_label.setText(text)
            self.translation_title.setText(_("Vertaling ({name})").format(name=info.native_name))
        else:
            self.language_label.setText(_("Voor deze cliënt is geen documenttaal gekozen."))
            self.translation_title.setText(_("Vertaling"))
        self._apply_filter(keep)

    def _status_filter(self) -> str:
        return str(self.status_filter.currentData())

    def _matches(self, item: ReviewItem) -> bool:
        status = self._status_filter()
        if status != ALL and item.status.value != status:
            return False
        kind = str(self.kind_filter.currentData())
        if kind != ALL and item.kind != kind:
            return False
        needle = self.search.text().strip().casefold()
        if needle:
            haystack = " ".join((item.source, item.source_plural or "", *item.translation, item.context))
            return needle in haystack.casefold()
        return True

    def _apply_filter(self, keep: str | None = None) -> None:
        if keep is None and self.current is not None and self.current < len(self.items):
            keep = self.items[self.current].key
        self.visible = [index for index, item in enumerate(self.items) if self._matches(item)]
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.visible))
        for row, index in enumerate(self.visible):
            self._fill_row(row, self.items[index])
        self.table.blockSignals(False)
        self._show_counts()
        target = next((r for r, i in enumerate(self.visible) if self.items[i].key == keep), 0)
        if self.visible:
            self.table.setCurrentCell(target, 1)
            self._row_changed(target)
        else:
            self.current = None
            self._show_item(None)

    def _fill_row(self, row: int, item: ReviewItem) -> None:
        rtl = bool(self.review_set and self.review_set.is_rtl)
        language = self.review_set.language if self.review_set else None
        cells = [
            item.context,
            item.source,
            " | ".join(t for t in item.translation if t),
            f"{STATUS_MARKS[item.status]} {_(STATUS_LABELS[item.status])}",
        ]
        for column, text in enumerate(cells):
            text = text.replace("\n", " ")
            if column == 2 and rtl and text:
                # A right-to-left mark first: a translation that starts with "B1" or a name still
                # reads right to left (Qt takes the direction from the first strong letter).
                text = "\u200f" + text
            cell = QTableWidgetItem(text)
            if column == 2:
                cell.setFont(font_for(language, 10.5))
                if rtl:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, cell)

    def _show_counts(self) -> None:
        counts = self.review_set.counts() if self.review_set else {}
        self.counts.setText(
            "  ".join(f"{STATUS_MARKS[s]} {counts.get(s, 0)}" for s in ReviewStatus)
            + "  ·  "
            + _("{shown} getoond").format(shown=len(self.visible))
        )
        self.counts.setToolTip(
            "\n".join(f"{STATUS_MARKS[s]} {_(STATUS_LABELS[s])}: {counts.get(s, 0)}" for s in ReviewStatus)
        )

    def _row_changed(self, row: int) -> None:
        if 0 <= row < len(self.visible):
            self.current = self.visible[row]
            self._show_item(self.items[self.current])

    # -- the detail --------------------------------------------------------------------------

    def _show_item(self, item: ReviewItem | None) -> None:
        for editor in self.editors:
            editor.deleteLater()
        self.editors = []
        while self.editor_layout.count():
            child = self.editor_layout.takeAt(0)
            widget = child.widget() if child is not None else None
            if widget is not None:
                widget.deleteLater()
        self.show_message("")
        if item is None:
            self.context_label.setText(_("Geen teksten die aan het filter voldoen."))
            self.source.setPlainText("")
            return
        self.context_label.setText(item.context)
        source = item.source
        if item.source_plural:
            source += "\n\n" + _("Meervoud:") + "\n" + item.source_plural
        self.source.setPlainText(source)
        language = self.review_set.language if self.review_set else None
        forms = item.translation or ("",)
        for number, text in enumerate(forms, 1):
            if len(forms) > 1:
                label = QLabel(_("Vorm {number}").format(number=number))
                self.editor_layout.addWidget(label)
                label.setVisible(self.editor_box.isVisible())
            editor = self._translation_editor(language)
            editor.setPlainText(text)
            editor.setObjectName(f"reviewTranslation{number}")
            self.editor_layout.addWidget(editor)
            # A layout shows a new child only on the next event loop turn; F2 must focus it at once.
            editor.setVisible(self.editor_box.isVisible())
            self.editors.append(editor)
        editable = item.kind == STANDARD_TEXT or bool(self.review_set and self.review_set.version_editable)
        self.approve_button.setEnabled(editable)
        self.edit_button.setEnabled(editable)
        if item.reviewed_by:
            self.show_message(_("Beoordeeld door {who}.").format(who=item.reviewed_by))

    def _translation_editor(self, language: str | None) -> QPlainTextEdit:
        editor = QPlainTextEdit()
        editor.setReadOnly(True)
        editor.setTabChangesFocus(True)
        editor.setAccessibleName(_("Vertaling"))
        editor.setAccessibleDescription(
            _(
                "De vertaling van de gekozen tekst; F2 begint met bewerken, daarna typt u de verbeterde vertaling."
            )
        )
        editor.setFont(font_for(language))
        rtl = bool(language and is_known_language(language) and get_language(language).is_rtl)
        direction = Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
        # The registry decides: the widget and the text both run in the language's direction.
        editor.setLayoutDirection(direction)
        option = editor.document().defaultTextOption()
        option.setTextDirection(direction)
        option.setAlignment(Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft)
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        editor.document().setDefaultTextOption(option)
        return editor

    def show_message(self, text: str, error: bool = False, warning: bool = False) -> None:
        color = "#b00020" if error else ("#8a5300" if warning else "#333")
        self.message.setStyleSheet(f"color: {color};")
        self.message.setText(text)

    # -- the flow ------------------------------------------------------------------------------

    def current_item(self) -> ReviewItem | None:
        if self.current is None or not 0 <= self.current < len(self.items):
            return None
        return self.items[self.current]

    def edit(self) -> None:
        if not self.editors or not self.edit_button.isEnabled():
            return
        for editor in self.editors:
            editor.setReadOnly(False)
        self.editors[0].setFocus()
        self.editors[0].moveCursor(self.editors[0].textCursor().MoveOperation.End)

    def _stop_editing(self) -> None:
        for editor in self.editors:
            editor.setReadOnly(True)
        self.table.setFocus()

    def reviewer(self) -> Reviewer:
        register = SLEUTELPERSOON if self.key_person.isChecked() else self.reviewer_register.text()
        return Reviewer(self.reviewer_name.text(), register)

    def _key_person_toggled(self, checked: bool) -> None:
        self.reviewer_register.setEnabled(not checked)

    def approve_and_next(self) -> None:
        item = self.current_item()
        if item is None or self.review_set is None or not self.approve_button.isEnabled():
            return
        forms = tuple(editor.toPlainText() for editor in self.editors)
        try:
            reviewer = self.reviewer()
        except WegwijsError as error:
            self.show_message(errors.message(error), error=True)
            return
        service, review_set = self.service, self.review_set
        run_in_background(
            "database",
            lambda: service.approve(review_set, item, forms, reviewer),
            lambda result: self._approved(*result),
            owner=self,
            on_error=self._failed,
        )

    def _approved(self, updated: ReviewItem, warnings: list[str]) -> None:
        index = next((i for i, item in enumerate(self.items) if item.key == updated.key), None)
        if index is None:
            return  # the list was read again meanwhile without this text
        current = self.current_item()
        still_here = current is not None and current.key == updated.key
        self.items[index] = updated
        if self.review_set is not None:
            self.review_set.items[:] = self.items
        self.approved.emit(updated.key)
        if not still_here:
            # The klantmanager moved on: update that row, leave the place and the editor as they are.
            if index in self.visible:
                self._fill_row(self.visible.index(index), updated)
            self._show_counts()
            return
        position = self.visible.index(index) if index in self.visible else -1
        self._apply_filter(self._key_after(position, updated.key))
        if warnings:
            self.show_message(" ".join(warnings), warning=True)
        self.table.setFocus()

    def _key_after(self, position: int, key: str) -> str | None:
        """The next text after an approval: the one below, or the same text when it stays in view."""
        following = [self.items[i].key for i in self.visible[position + 1 :]] if position >= 0 else []
        return following[0] if following else key

    def skip(self) -> None:
        self._step(1)

    def previous(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        row = self.table.currentRow()
        target = row + delta
        if 0 <= target < self.table.rowCount():
            self.table.setCurrentCell(target, 1)
        self.table.setFocus()

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
