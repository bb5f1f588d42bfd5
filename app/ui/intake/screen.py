"""The intake screen: sections with their state on the left, the fields of one section on the right.

Autosave: an edit marks its field pending; within a second (at once on focus-out, section change or
close) the pending answers are queued on the single database worker, which stores them in order;
"Opgeslagen om …" shows once committed, and closing waits for them (docs/intake.md says why).
"""

from __future__ import annotations

import datetime as dt
import uuid
import weakref
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import RetryLater
from app.forms import check_answer, field_visible
from app.i18n import N_, _, on_ui_language_changed
from app.services.intake import IntakeRefused, IntakeService, IntakeSnapshot, SessionInput, readable_intake
from app.ui import errors
from app.ui.fit import fit_to_screen, remember_geometry, scrolling, size_by_current_page
from app.ui.intake.editors import FieldEditor, GroupEditor, focus_chain
from app.ui.intake.panels import ConclusionPage, OverviewPage, SessionsPage, conclusion_checks, outcome_text
from app.ui.intake.section_page import FieldRow, LoadingPage, SectionPage
from app.ui.intake.states import CONCLUSION_KEY, OVERVIEW_KEY, SESSIONS_KEY, SPECIAL_KEYS, show_section_states
from app.ui.intake.undo import AnswerUndo
from app.ui.tasks import Task, run_in_background

AUTOSAVE_MS = 1000
CLOSE_WAIT_MS = 15_000  # closing waits this long for queued saves (a busy store takes up to 5 s each)


SECTION_LIST_DESCRIPTION = N_(
    "Elke sectie met zijn stand in woorden; pijltjestoetsen kiezen, de sectie verschijnt ernaast."
)


class IntakeScreen(QWidget):
    """The brede intake of one client. Open it with `open_intake()` (app/ui/intake/__init__.py)."""

    saved = Signal()  # after pending answers were stored
    changed = Signal()  # a conversation, the privacy statement or the conclusion was stored
    loaded = Signal()

    def __init__(self, service: IntakeService, client_id: uuid.UUID, today: dt.date | None = None) -> None:
        super().__init__()
        self.setObjectName("intakeScreen")
        self.service = service
        self.client_id = client_id
        self.today = today or dt.date.today()
        self.snapshot: IntakeSnapshot | None = None
        self.answers: dict[str, Any] = {}
        self._pending: dict[str, Any] = {}
        self._pages: dict[str, QWidget] = {}
        self._keys: list[str] = []
        self._condition_sources: set[str] = set()
        self._current_field: str | None = None
        self._wanted_focus: QWidget | None = None
        self._saving: list[Task] = []  # saves queued on the database worker, oldest first
        self.saved_answers: dict[str, Any] = {}  # what the last finished save stored
        self._timer = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._timer.timeout.connect(self._autosave)
        self.undo = AnswerUndo(self)  # Ctrl+Z / Ctrl+Shift+Z over the answers, until the window closes
        self._build()
        fit_to_screen(self, "intake", 1180, 700)
        self.reload()

    # -- layout --------------------------------------------------------------------------------
    def _build(self) -> None:
        self.title = QLabel()
        self.title.setObjectName("intakeTitle")
        self.title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.original_name = QLabel()
        self.original_name.setObjectName("intakeOriginalName")
        self.original_name.setStyleSheet("font-size: 15pt;")
        self.original_name.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.summary = QLabel()
        self.summary.setObjectName("intakeSummary")
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addWidget(self.original_name)
        header.addStretch(1)
        header.addWidget(self.summary)

        self.nav = QListWidget()
        self.nav.setObjectName("sectionList")
        self.nav.setAccessibleName(_("Secties van de intake"))
        self.nav.setAccessibleDescription(_(SECTION_LIST_DESCRIPTION))
        self.nav.setMinimumWidth(250)
        self.nav.setMaximumWidth(330)
        self.nav.currentRowChanged.connect(self._nav_changed)
        self.stack = QStackedWidget()
        size_by_current_page(self.stack)  # a section page scrolls itself: no second scroll bar
        self.loading = LoadingPage()  # shown until the first load came back
        self.stack.addWidget(self.loading)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.nav)
        splitter.addWidget(scrolling(self.stack, "intakePages"))  # fits a laptop screen (app/ui/fit.py)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        self.previous_button = QPushButton(_("Vorige sectie"))
        self.previous_button.setObjectName("previousSection")
        self.previous_button.setToolTip("Ctrl+PgUp")
        self.next_button = QPushButton(_("Volgende sectie"))
        self.next_button.setObjectName("nextSection")
        self.next_button.setToolTip("Ctrl+PgDown")
        self.complete_button = QPushButton(_("Sectie compleet"))
        self.complete_button.setObjectName("markComplete")
        self.complete_button.setToolTip("Ctrl+Enter")
        self.complete_button.setCheckable(True)
        self.save_state = QLabel()
        self.save_state.setObjectName("saveState")
        self.previous_button.clicked.connect(lambda: self.go(-1))
        self.next_button.clicked.connect(lambda: self.go(1))
        self.complete_button.clicked.connect(self.toggle_complete)
        footer = QHBoxLayout()
        footer.addWidget(self.previous_button)
        footer.addWidget(self.next_button)
        footer.addWidget(self.complete_button)
        footer.addStretch(1)
        footer.addWidget(self.save_state)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(splitter, 1)
        layout.addLayout(footer)

        for keys, slot in (
            (QKeySequence("Ctrl+PgDown"), lambda: self.go(1)),
            (QKeySequence("Ctrl+PgUp"), lambda: self.go(-1)),
            (QKeySequence("Ctrl+Return"), self.toggle_complete),
            (QKeySequence("Ctrl+Enter"), self.toggle_complete),
            (QKeySequence("Ctrl+S"), self.flush),
            (QKeySequence("Alt+1"), lambda: self.nav.setFocus()),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

        self._make_panels()
        screen = weakref.ref(self)

        def language_changed(_code: str) -> None:
            alive = screen()
            if alive is not None and shiboken6.isValid(alive):
                alive.retranslate()

        on_ui_language_changed(language_changed)

    def _make_panels(self) -> None:
        self.sessions_page = SessionsPage()
        self.sessions_page.add_requested.connect(self._add_session)
        self.sessions_page.consent_requested.connect(self._record_consent)
        self.conclusion_page = ConclusionPage()
        self.conclusion_page.jump_requested.connect(self.jump_to)
        self.conclusion_page.conclude_requested.connect(self._conclude)
        self.overview_page = OverviewPage()

    def retranslate(self) -> None:
        """The interface language changed: rebuild every text, keep the answers and the place."""
        self.flush()
        self.previous_button.setText(_("Vorige sectie"))
        self.next_button.setText(_("Volgende sectie"))
        self.complete_button.setText(_("Sectie compleet"))
        self.nav.setAccessibleName(_("Secties van de intake"))
        self.nav.setAccessibleDescription(_(SECTION_LIST_DESCRIPTION))
        if self.snapshot is None:
            return
        old_panels = (self.sessions_page, self.conclusion_page, self.overview_page)
        self._make_panels()
        for page in old_panels:
            self.stack.removeWidget(page)
            page.deleteLater()
        self._pages = {k: v for k, v in self._pages.items() if v not in old_panels}
        self.reload()  # rebuilds the pages from the stored answers; the current section stays open

    # -- loading -------------------------------------------------------------------------------
    def reload(self) -> None:
        def work() -> IntakeSnapshot:
            return self.service.open(self.client_id, self.today)

        run_in_background("database", work, self._show, owner=self, on_error=self._failed)

    def _show(self, snap: IntakeSnapshot) -> None:
        first_load = self.snapshot is None
        self.snapshot = snap
        self.answers = dict(snap.answers)
        self.title.setText(_("Brede intake — {name}").format(name=snap.client_name))
        self.original_name.setText(snap.client_name_original)
        self.setWindowTitle(_("Brede intake — {name}").format(name=snap.client_name))
        self._condition_sources = {c.field_id for s in snap.definition.sections for c in s.conditions} | {
            c.field_id for f in snap.definition.fields() for c in f.conditions
        }
        self._build_pages(snap)
        self.sessions_page.show_snapshot(snap, self.today)
        self.refresh_states()
        if first_load:
            self._resume(snap.last_field_id)
        self.loaded.emit()

    def _build_pages(self, snap: IntakeSnapshot) -> None:
        current = self.current_key()
        for page in list(self._pages.values()):
            self.stack.removeWidget(page)
            if page not in (self.sessions_page, self.conclusion_page, self.overview_page):
                page.deleteLater()
        self._pages = {SESSIONS_KEY: self.sessions_page}
        sections = [s.id for s in snap.definition.sections_for(snap.role)]
        self._keys = [SESSIONS_KEY, *sections, CONCLUSION_KEY, OVERVIEW_KEY]
        self._pages[CONCLUSION_KEY] = self.conclusion_page
        self._pages[OVERVIEW_KEY] = self.overview_page
        for page in (self.sessions_page, self.conclusion_page, self.overview_page):
            self.stack.addWidget(page)
        self.nav.blockSignals(True)
        self.nav.clear()
        for key in self._keys:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
        self.nav.blockSignals(False)
        if current in self._keys:
            self.show_key(current)

    def _page(self, key: str) -> QWidget:
        """Section pages are built when first shown: opening stays fast with many sections."""
        if key not in self._pages:
            assert self.snapshot is not None
            section = self.snapshot.definition.section(key)
            assert section is not None
            page = SectionPage(section, self.answers, self.field_edited, self.flush)
            self._pages[key] = page
            self.stack.addWidget(page)
            self._apply_visibility(page)
            for row in page.rows.values():
                row.editor.set_read_only(not self.snapshot.editable)
                if not self._is_empty(row.item.id):
                    self._validate(page, row.item.id)
            self._fix_tab_order(page)
        return self._pages[key]

    def _is_empty(self, field_id: str) -> bool:
        value = self.answers.get(field_id)
        return value is None or value == "" or value == []

    # -- navigation ------------------------------------------------------------------------------
    def current_key(self) -> str | None:
        item = self.nav.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def show_key(self, key: str) -> None:
        row = self._keys.index(key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)
        else:
            self._nav_changed(row)

    def _nav_changed(self, row: int) -> None:
        if row < 0 or row >= len(self._keys) or self.snapshot is None:
            return
        self.flush()
        key = self._keys[row]
        page = self._page(key)
        self.stack.setCurrentWidget(page)
        is_section = key not in SPECIAL_KEYS
        self.complete_button.setEnabled(is_section and self.snapshot.editable)
        self.complete_button.setChecked(is_section and key in self.snapshot.completed_sections)
        if key == CONCLUSION_KEY:
            self._refresh_conclusion()
        elif key == OVERVIEW_KEY:
            self._refresh_overview()

    def go(self, step: int) -> None:
        """Next or previous section that is shown (Ctrl+PgDown / Ctrl+PgUp); focus its first field."""
        row = self.nav.currentRow()
        while 0 <= row + step < len(self._keys):
            row += step
            if not self.nav.item(row).isHidden():
                self.nav.setCurrentRow(row)
                self._focus_first()
                return

    def _focus_first(self) -> None:
        page = self.stack.currentWidget()
        if isinstance(page, SectionPage):
            for row in page.rows.values():
                if not row.isHidden():
                    self._focus(row.editor.focus_widget())
                    return
        elif isinstance(page, SessionsPage | ConclusionPage | OverviewPage):
            self._focus(page.first_focus())

    def jump_to(self, section_id: str, field_id: str) -> None:
        if section_id not in self._keys:
            return
        self.show_key(section_id)
        page = self._page(section_id)
        if isinstance(page, SectionPage) and field_id in page.rows:
            row = page.rows[field_id]
            page.ensureWidgetVisible(row)
            self._focus(row.editor.focus_widget())

    def _focus(self, widget: QWidget) -> None:
        """Focus now, or as soon as the screen is shown (loading may finish before it is visible)."""
        self._wanted_focus = widget
        if self.isVisible():
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        wanted = self._wanted_focus
        if wanted is not None:
            QTimer.singleShot(0, lambda: wanted.setFocus(Qt.FocusReason.OtherFocusReason))

    def _resume(self, field_id: str | None) -> None:
        assert self.snapshot is not None
        section = self.snapshot.definition.section_of(field_id) if field_id else None
        if section is not None and section.id in self._keys:
            self.jump_to(section.id, field_id or "")
        else:
            self.show_key(self._keys[1] if self.snapshot.sessions else SESSIONS_KEY)
            self._focus_first()

    def _fix_tab_order(self, page: SectionPage) -> None:
        chain: list[QWidget] = []
        for row in page.rows.values():
            chain.extend(focus_chain(row.editor))
        chain += [self.previous_button, self.next_button, self.complete_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # -- editing and autosave ------------------------------------------------------------------
    def field_edited(self, field_id: str) -> None:
        page = self.stack.currentWidget()
        if not isinstance(page, SectionPage) or field_id not in page.rows:
            return
        editor = page.rows[field_id].editor
        before, self.answers[field_id] = self.answers.get(field_id), editor.raw()
        self.undo.record(field_id, before, self.answers[field_id])
        self._pending[field_id] = editor.raw()
        self._current_field = field_id
        if isinstance(editor, GroupEditor):
            self._fix_tab_order(page)
        if field_id in self._condition_sources:
            self._apply_visibility(page)
            self.refresh_states()
        self.save_state.setText(_("Niet opgeslagen wijzigingen…"))
        if not self._timer.isActive():
            # Started by the first unsaved edit and not restarted: at most one second of typing is at risk.
            self._timer.start()

    def _autosave(self) -> None:
        if self._saving:
            # The last save has not come back (a busy store): queue no second one behind it yet.
            self._timer.start()
            return
        self.flush()

    def flush(self) -> None:
        """Queue every pending answer on the database worker now (autosave, focus-out, Ctrl+S,
        switching, closing); `saved` follows once they are committed."""
        self._timer.stop()
        if not self._pending or self.snapshot is None:
            return
        pending, self._pending = self._pending, {}
        service, intake_id = self.service, self.snapshot.id
        stored: list[str] = []  # filled on the worker; read on the GUI thread after it finished

        def work() -> None:
            for field_id, raw in pending.items():
                service.save_answer(intake_id, field_id, raw)
                stored.append(field_id)

        task = run_in_background(
            "database",
            work,
            lambda _none: self._saved(pending),
            owner=self,
            on_error=lambda error: self._save_failed(pending, stored, error),
        )
        if not task.delivered:
            self._saving.append(task)

    def _save_finished(self) -> None:
        self._saving = [task for task in self._saving if not task.delivered]

    def _saved(self, pending: dict[str, Any]) -> None:
        self._save_finished()
        self.saved_answers = dict(pending)
        page = self.stack.currentWidget()
        if isinstance(page, SectionPage):
            for field_id in pending:
                if field_id in page.rows:
                    self._validate(page, field_id)
        self.save_state.setStyleSheet("")
        self.save_state.setToolTip("")
        if self._pending:
            self.save_state.setText(_("Niet opgeslagen wijzigingen…"))  # typed while this save ran
        else:
            self.save_state.setText(
                _("Opgeslagen om {time}").format(time=dt.datetime.now().strftime("%H:%M:%S"))
            )
        self.refresh_states()
        self.saved.emit()

    def _save_failed(self, pending: dict[str, Any], stored: list[str], error: BaseException) -> None:
        self._save_finished()
        self.save_state.setStyleSheet("color: #b00020;")
        if isinstance(error, IntakeRefused):
            # A refusal (intake concluded elsewhere, role): retrying will not help.
            self.save_state.setToolTip("")
            self.save_state.setText(str(error))
            return
        # Keep what was not stored, with the newest text on screen: nothing typed is lost.
        for field_id in pending:
            if field_id not in stored and field_id not in self._pending:
                self._pending[field_id] = self.answers.get(field_id, pending[field_id])
        if isinstance(error, RetryLater):
            # The store is busy (another program or a long import holds it): try again in a second.
            self.save_state.setText(_("Nog niet opgeslagen; Wegwijs probeert het over een seconde opnieuw."))
            self.save_state.setToolTip(str(error))
            self._timer.start()
        else:
            # Anything else will not pass by retrying: say it once; the next edit or Ctrl+S tries again.
            self.save_state.setText(_("Nog niet opgeslagen."))
            self.save_state.setToolTip("")
            errors.report(self, error, _("Opslaan"))

    def save_and_wait(self, timeout_ms: int = CLOSE_WAIT_MS) -> bool:
        """Queue what is pending and wait until every queued save came back; True when nothing
        typed is left unsaved (closing needs this)."""
        self.flush()
        for task in list(self._saving):
            if not task.wait(timeout_ms):
                return False
        return not self._pending and not self._saving

    def _validate(self, page: SectionPage, field_id: str) -> None:
        row = page.rows[field_id]
        raw = self.answers.get(field_id)
        if isinstance(row.editor, GroupEditor):
            row.editor.show_entry_problems()
        row.show_problem(check_answer(row.item, raw, self.today).problem)

    def _apply_visibility(self, page: QWidget) -> None:
        if not isinstance(page, SectionPage) or self.snapshot is None:
            return
        for row in page.rows.values():
            row.setVisible(field_visible(self.snapshot.definition, row.item, self.answers))
        self._fix_tab_order(page)

    def refresh_states(self) -> None:
        """Section states and the overall count, from the answers on screen (saved or pending)."""
        if self.snapshot is not None:
            self.summary.setText(
                show_section_states(self.nav, self._keys, self.snapshot, self.answers, self.today)
            )

    def toggle_complete(self) -> None:
        key = self.current_key()
        if self.snapshot is None or key is None or key in SPECIAL_KEYS or not self.snapshot.editable:
            return
        self.flush()
        intake_id, section_id = self.snapshot.id, str(key)
        complete = section_id not in self.snapshot.completed_sections
        self._run(lambda: self.service.mark_section(intake_id, section_id, complete), self._after_change)

    def _after_change(self, snap: IntakeSnapshot) -> None:
        self.snapshot = snap
        self.sessions_page.show_snapshot(snap, self.today)
        key = self.current_key()
        self.complete_button.setChecked(key in snap.completed_sections)
        self.refresh_states()
        if key == CONCLUSION_KEY:
            self._refresh_conclusion()
        if not snap.editable:
            for page in self._pages.values():
                if isinstance(page, SectionPage):
                    for row in page.rows.values():
                        row.editor.set_read_only(True)
            self.complete_button.setEnabled(False)
        self.changed.emit()

    def _run(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        run_in_background("database", work, done, owner=self, on_error=self._failed)

    def _failed(self, error: BaseException) -> None:
        text = errors.message(error)  # the runner logged it
        key = self.current_key()
        if key == CONCLUSION_KEY:
            self.conclusion_page.show_message(text)
        elif key == SESSIONS_KEY:
            self.sessions_page.show_message(text)
        else:
            self.save_state.setStyleSheet("color: #b00020;")
            self.save_state.setText(text)
        if self.snapshot is None:
            self.loading.failed(text)

    # -- conversations, consent, conclusion --------------------------------------------------------
    def _add_session(self, data: SessionInput) -> None:
        assert self.snapshot is not None
        intake_id = self.snapshot.id
        self.sessions_page.show_message("")
        self._run(lambda: self.service.add_session(intake_id, data, self.today), self._after_change)

    def _record_consent(self, values: tuple[dt.date, str, Any, str | None, str | None]) -> None:
        assert self.snapshot is not None
        intake_id = self.snapshot.id
        on, language, kind, name, register = values
        self.sessions_page.show_message("")
        self._run(
            lambda: self.service.record_consent(intake_id, on, language, kind, name, register),
            self._after_change,
        )

    def _refresh_conclusion(self) -> None:
        snap = self.snapshot
        if snap is None:
            return
        self.flush()
        missing, problems = conclusion_checks(snap, self.answers, self._keys, self.today)
        intake_id = snap.id

        def done(result: Any) -> None:
            advice, facts = result
            self.conclusion_page.show_state(
                snap, missing, problems, advice, outcome_text(facts.outcome, facts.score, snap.cesuur)
            )

        self._run(lambda: self.service.advice(intake_id, self.today), done)

    def _refresh_overview(self) -> None:
        if self.snapshot is None:
            return
        self.flush()
        intake_id, today = self.snapshot.id, self.today
        self._run(
            lambda: readable_intake(self.service.reload(intake_id), today=today),
            self.overview_page.show_sections,
        )

    def _conclude(self, route: Any, justification: str) -> None:
        assert self.snapshot is not None
        self.flush()
        intake_id = self.snapshot.id
        self.conclusion_page.show_message("")
        self._run(
            lambda: self.service.conclude(intake_id, route, justification, self.today), self._after_change
        )

    # -- closing -------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if not self.save_and_wait():
            # The store could not take the last answers (busy): stay open rather than lose them.
            event.ignore()
            return
        remember_geometry(self, "intake")
        if self.snapshot is not None and self.snapshot.editable:
            focused: QWidget | None = self.focusWidget()
            field_id = None
            while focused is not None and field_id is None:
                if isinstance(focused, FieldEditor) and self.snapshot.definition.field(focused.item.id):
                    field_id = focused.item.id
                focused = focused.parentWidget()
            service, intake_id, last = self.service, self.snapshot.id, field_id or self._current_field
            # Where to resume next time; queued after the saves, and of no concern to a closed window.
            run_in_background(
                "database",
                lambda: service.set_last_field(intake_id, last),
                lambda _none: None,
                owner=None,
                on_error=lambda _error: None,
            )
        super().closeEvent(event)

    def row(self, field_id: str) -> FieldRow | None:
        for page in self._pages.values():
            if isinstance(page, SectionPage) and field_id in page.rows:
                return page.rows[field_id]
        return None

    def editor(self, field_id: str) -> FieldEditor | None:
        found = self.row(field_id)
        return found.editor if found else None
