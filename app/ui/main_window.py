"""The main window: the klantmanager's caseload with a filter, a detail pane and a status bar."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelection, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.domain.enums import Role
from app.i18n import _, ngettext, on_ui_language_changed, set_ui_language, ui_language
from app.services.caseload_row import CaseloadRow
from app.services.caseload_views import CASELOAD_VIEW_LABELS, CaseloadView, count_flags
from app.ui import errors
from app.ui.caseload import (
    CLIENT_ID_ROLE,
    COL_BIRTH,
    COL_DAYS,
    COL_LOCATION,
    COL_NAME,
    COL_ORIGINAL,
    COL_ROUTE,
    COL_V_NUMMER,
    CaseloadFilter,
    CaseloadModel,
)
from app.ui.caseload_bar import CaseloadViewBar
from app.ui.fit import fit_to_screen, remember_geometry
from app.ui.shortcuts import LANGUAGE_SHORTCUTS, VIEW_SHORTCUT, WINDOW_SHORTCUTS, with_shortcut
from app.ui.tasks import run_in_background, wait_for_all

if TYPE_CHECKING:
    # The rest of the window (detail pane, sync, lock, menus) needs the services, SQLAlchemy and the
    # store: `complete()` imports them, so a start can paint the stored caseload first (issue 15).
    from app.services.clients import ClientDetail
    from app.services.profile import Profile
    from app.ui.client_detail import ClientAction, ClientDetailPane
    from app.ui.lock import SessionLock
    from app.ui.sync_import import SupervisorImportWidget
    from app.ui.sync_status import SyncController, SyncStatusWidget

FILTER_DELAY_MS = 120
COLUMN_WIDTHS = (100, 180, 170, 95, 150, 160, 80, 230, 110)
# Which columns give way first when the table is narrow (issue 16: deadline and days stay visible).
GIVE_WAY_ORDER = (COL_ORIGINAL, COL_LOCATION, COL_BIRTH, COL_ROUTE, COL_V_NUMMER)


class MainWindow(QMainWindow):
    def __init__(
        self, profile: Profile, actions: list[ClientAction] | None = None, *, complete: bool = True
    ) -> None:
        """`complete=False`: only the caseload (table, search, views, counts) is built, and the
        caller calls `complete()` once the stored rows are painted (app/ui/application.py)."""
        super().__init__()
        self.profile = profile
        self.completed = False
        self.setObjectName("mainWindow")
        fit_to_screen(self, "main", 1280, 700)
        self.model = CaseloadModel()
        self.proxy = CaseloadFilter()
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit()
        self.search.setObjectName("caseloadSearch")
        self.search.setClearButtonEnabled(True)
        # Debounced: a fast typist triggers one filter pass, not one per key.
        self._filter_timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.search.textChanged.connect(lambda _text: self._filter_timer.start())
        # Saves in other windows come in bursts (autosave); the caseload reloads once after them.
        self._refresh_timer = QTimer(self, singleShot=True, interval=1500)
        self._refresh_timer.timeout.connect(lambda: self.refresh())

        self.table = QTableView()
        self.table.setObjectName("caseloadTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        # Most urgent first: the klantmanager opens the app to see what is due.
        self.table.sortByColumn(COL_DAYS, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)  # rows by the arrows; Tab goes on to the client's details
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(False)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        self.table.viewport().installEventFilter(self)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        # Enter or a double-click opens the client (the first action: the intake); Down in the search
        # field moves into the results.
        self._actions: list[ClientAction] = []
        self.table.activated.connect(lambda _index: self.open_selected())
        self.search.installEventFilter(self)

        self.count_label = QLabel()
        self.count_label.setObjectName("caseloadCount")

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search)
        # Views (mijn cliënten, te laat, ...) and the counts of late and due-soon PIPs at the top.
        self.view_bar = CaseloadViewBar()
        self.view_bar.view_changed.connect(lambda _view: self._apply_filter())
        left_layout.addWidget(self.view_bar)
        left_layout.addWidget(self.count_label)
        left_layout.addWidget(self.table, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        # The detail pane's place, kept until `complete()` puts the pane there.
        self.splitter.addWidget(QWidget())
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.import_screen: SupervisorImportWidget | None = None
        self.setCentralWidget(self.splitter)

        self.store_label = QLabel()
        self.store_label.setObjectName("storeStatus")
        self.statusBar().addPermanentWidget(self.store_label)
        # The menus' titles from the start (the window does not move when `complete()` fills them);
        # greyed until then, as nothing in them can act yet.
        self.file_menu = self.menuBar().addMenu("")
        self.client_menu = self.menuBar().addMenu("")
        self.view_menu = self.menuBar().addMenu("")
        self.help_menu = self.menuBar().addMenu("")
        for menu in (self.file_menu, self.client_menu, self.view_menu, self.help_menu):
            menu.setEnabled(False)
        self._retranslate_caseload()
        stop_listening = on_ui_language_changed(lambda _code: self._language_changed())
        self.destroyed.connect(lambda *_args: stop_listening())
        self.search.setFocus()
        if complete:
            self.complete(actions)

    def complete(self, actions: list[ClientAction] | None = None) -> None:
        """The rest of the window: the detail pane and the client's actions, the supervisor's
        screens, sync, the lock and the menus. Imports the services (and so SQLAlchemy) now."""
        from app.ui.client_detail import ClientDetailPane
        from app.ui.lock import SessionLock
        from app.ui.sync_status import SyncController, SyncStatusWidget

        profile = self.profile
        self._actions = actions or []
        self.detail: ClientDetailPane = ClientDetailPane(actions)
        placeholder = self.splitter.replaceWidget(1, self.detail)
        if placeholder is not None:
            placeholder.deleteLater()
        if profile.role is Role.SUPERVISOR:
            self._add_supervisor_screens()
        self.sync: SyncController = SyncController(profile, self)
        self.sync.decisionsApplied.connect(lambda _count: self.refresh())  # an adoption came back
        self.sync_widget: SyncStatusWidget = SyncStatusWidget(self.sync)
        self.sync_widget.setVisible(self.sync.enabled)
        self.statusBar().addPermanentWidget(self.sync_widget)
        self._build_menus()
        for menu in (self.file_menu, self.client_menu, self.view_menu, self.help_menu):
            menu.setEnabled(True)
        # Issue 14: interpreter mode and idle minutes lock the app (app/ui/lock.py).
        self.session_lock: SessionLock = SessionLock(profile, self, self.drop_data, lambda: self.refresh())
        self.completed = True
        self.retranslate()
        if self.selected_client_id() is not None:  # chosen while the rest was being built
            self._selection_changed(QItemSelection(), QItemSelection())

    def _add_supervisor_screens(self) -> None:
        """The supervisor's one place where the team's synced work lands, beside the caseload."""
        from app.ui.supervisor import AdoptionQueueWidget
        from app.ui.supervisor.send_decisions import SHOWN_MS, DecisionSender
        from app.ui.sync_import import SupervisorImportWidget

        profile = self.profile
        self.tabs = QTabWidget()
        self.tabs.setObjectName("supervisorTabs")
        self.takeCentralWidget()  # the splitter, kept alive by the tab it moves into
        self.tabs.addTab(self.splitter, "")
        self.import_screen = SupervisorImportWidget(profile)
        self.import_screen.importFinished.connect(lambda _summary: self.refresh())
        self.import_screen.importFinished.connect(lambda _summary: self._refresh_figures())
        self.tabs.addTab(self.import_screen, "")
        # What waits for the supervisor's decision (issue 12): signed PIPs and their deadlines.
        self.adoption_screen = AdoptionQueueWidget(profile)
        self.adoption_screen.decided.connect(lambda _outcome: self.refresh())
        # The way back: each decision, and each import (its receipts, conflict decisions), sends
        # the decision packages to the devices by itself (app/ui/supervisor/send_decisions.py).
        self.decision_sender = DecisionSender(profile, self)
        self.decision_sender.said.connect(lambda text: self.statusBar().showMessage(text, SHOWN_MS))
        self.adoption_screen.decided.connect(lambda _outcome: self.decision_sender.send())
        self.import_screen.importFinished.connect(lambda _summary: self.decision_sender.send())
        self.import_screen.importFinished.connect(lambda _summary: self.adoption_screen.refresh())
        self.tabs.addTab(self.adoption_screen, "")
        self.tabs.currentChanged.connect(
            lambda index: (
                self.adoption_screen.refresh() if self.tabs.widget(index) is self.adoption_screen else None
            )
        )
        self.setCentralWidget(self.tabs)

    def column_widths(self) -> list[int]:
        """Each column's width: its usual one, or wider when its header needs it ("Leerroute" is
        "Learning route" in English)."""
        header = self.table.horizontalHeader()
        return [max(width, header.sectionSizeHint(c)) for c, width in enumerate(COLUMN_WIDTHS)]

    def fit_columns(self) -> None:
        """The deadline and the days always show; lesser columns give way on a narrow screen (they
        stay searchable, and the detail pane shows them)."""
        available = self.table.viewport().width()
        widths = self.column_widths()
        hidden: set[int] = set()
        needed = sum(widths)
        for column in GIVE_WAY_ORDER:
            if needed <= available:
                break
            hidden.add(column)
            needed -= widths[column]
        for column, width in enumerate(widths):
            self.table.setColumnHidden(column, column in hidden)
            # What is left over goes to the name, so the list ends at the window's edge.
            if column not in hidden:
                extra = max(0, available - needed) if column == COL_NAME else 0
                self.table.setColumnWidth(column, width + extra)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.fit_columns()
            return False
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and self.proxy.rowCount()
        ):
            self.table.setFocus()
            if self.selected_client_id() is None:
                self.table.selectRow(0)
            return True
        return super().eventFilter(watched, event)

    def open_selected(self) -> None:
        """Open the selected row's client, by the selection's id (never the pane's previous client)."""
        client_id = self.selected_client_id()
        if client_id is not None and self._actions:
            self._actions[0].open(client_id)

    # -- menus and texts ------------------------------------------------------------------------
    def _build_menus(self) -> None:
        self.refresh_action = QAction(self)
        self.refresh_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.refresh_action.triggered.connect(self.refresh)
        self.find_action = QAction(self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self._focus_search)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.sync_target_action = QAction(self)
        self.sync_target_action.triggered.connect(self._ask_sync_target)
        self.standard_texts_action = QAction(self)
        self.standard_texts_action.triggered.connect(self._import_standard_texts)
        self.settings_action = QAction(self)
        self.settings_action.triggered.connect(self._open_settings)
        self.sync_now_action = QAction(self)
        self.sync_now_action.triggered.connect(self.sync_widget.sync_now)
        self.sync_now_action.setVisible(self.sync.enabled)
        self.file_menu.addActions(
            [
                self.refresh_action,
                self.find_action,
                self.sync_now_action,
                self.sync_target_action,
                self.standard_texts_action,
                self.settings_action,
            ]
        )
        self._grey_what_the_policy_fixes()
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        # The detail pane's actions, with their shortcuts, for the selected client (issue 16).
        self.client_menu.addActions(self.detail.menu_actions)
        self.view_actions: list[QAction] = []
        for number, view in enumerate(CaseloadView, 1):
            action = QAction(self)
            action.setShortcut(QKeySequence(VIEW_SHORTCUT.format(n=number)))
            action.triggered.connect(lambda _checked=False, v=view: self.view_bar.set_view(v))
            self.view_menu.addAction(action)
            self.view_actions.append(action)
        self.view_menu.addSeparator()
        self.language_menu = self.view_menu.addMenu("")
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, label in (("nl", "Nederlands"), ("en", "English")):
            action = QAction(label, self, checkable=True)
            action.setShortcut(QKeySequence(LANGUAGE_SHORTCUTS[code]))
            action.setChecked(code == ui_language())
            action.triggered.connect(lambda _checked=False, c=code: self.change_language(c))
            group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action
        # The team figures: the supervisor's (every imported client), opened in a window of their own.
        self.figures_action: QAction | None = None
        if self.profile.role is Role.SUPERVISOR:
            self.figures_action = QAction(self)
            self.figures_action.setObjectName("figuresAction")
            self.figures_action.triggered.connect(self.open_figures)
            self.view_menu.addAction(self.figures_action)
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self._about)
        self.help_menu.addAction(self.about_action)
        for name, keys in WINDOW_SHORTCUTS.items():
            getattr(self, name).setShortcut(QKeySequence(keys))

    def _ask_sync_target(self) -> None:
        from app.ui.sync_status import ask_sync_target

        ask_sync_target(self, self.profile)

    def open_figures(self) -> None:
        from app.ui.figures import open_figures  # QtCharts loads only when the figures are asked for

        window = getattr(self, "figures_window", None)
        if window is None:
            self.figures_window = open_figures(self.profile, self)
            return
        window.show()  # one figures window: a closed one comes back, computed again
        window.raise_()
        window.activateWindow()
        window.refresh()

    def _refresh_figures(self) -> None:
        """Newly imported work changes the team figures: an open figures window computes them again."""
        window = getattr(self, "figures_window", None)
        if window is not None and window.isVisible():
            window.refresh()

    def _open_settings(self) -> None:
        from app.ui.settings import SettingsDialog

        SettingsDialog(self.profile, self).exec()

    def _grey_what_the_policy_fixes(self) -> None:
        """A sync target named by the municipality's policy file is not changed here."""
        from app.services.policy import SYNC_TARGET, current_policy

        policy = current_policy()
        if policy is not None and policy.fixes(SYNC_TARGET):
            self.sync_target_action.setEnabled(False)
            self.sync_target_action.setToolTip(policy.reason())
            self.file_menu.setToolTipsVisible(True)

    def _import_standard_texts(self) -> None:
        """A supervisor distributes the interpreters' reviewed standard texts as a .po file."""
        from app.ui.review import import_standard_texts

        import_standard_texts(self.profile, self, then=lambda text: self.statusBar().showMessage(text, 10000))

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _retranslate_caseload(self) -> None:
        """The texts of what the window has before `complete()`: title, search, table, views, counts."""
        self.setWindowTitle(
            _("Wegwijs — caseload van {name} ({municipality})").format(
                name=self.profile.settings.user_name, municipality=self.profile.settings.municipality
            )
        )
        self.search.setPlaceholderText(_("Zoek op naam (beide schriften), V-nummer of COA-locatie…"))
        self.search.setAccessibleName(_("Zoeken in de caseload"))
        self.table.setAccessibleName(_("Caseload"))
        self.search.setAccessibleDescription(
            _(
                "Typ een naam in een van beide schriften, een V-nummer of een COA-locatie; hoofdletters en "
                "accenten tellen niet. Pijl omlaag gaat naar de gevonden cliënten."
            )
        )
        self.table.setAccessibleDescription(
            _("Pijltjes kiezen een cliënt, Enter opent de brede intake, Tab gaat naar de gegevens.")
        )
        self.view_bar.combo.setAccessibleDescription(
            _(
                "Welke cliënten de lijst toont, zoals te laat of binnen twee weken; Ctrl+1 tot Ctrl+{n} kiezen een weergave."
            ).format(n=len(CaseloadView))
        )
        self.file_menu.setTitle(_("&Bestand"))
        self.client_menu.setTitle(_("&Cliënt"))
        self.view_menu.setTitle(_("&Beeld"))
        self.help_menu.setTitle(_("&Help"))
        self.model.retranslate()
        self.view_bar.retranslate()
        self._update_count()
        self._update_store_label()

    def retranslate(self) -> None:
        self._retranslate_caseload()
        if not self.completed:
            return
        self.refresh_action.setText(_("&Verversen"))
        self.find_action.setText(_("&Zoeken"))
        self.quit_action.setText(_("&Afsluiten"))
        self.language_menu.setTitle(_("&Taal van de app"))
        if self.figures_action is not None:
            self.figures_action.setText(_("Team&cijfers…"))
        self.about_action.setText(_("&Over Wegwijs"))
        self.sync_target_action.setText(_("&Synchronisatiedoel instellen…"))
        self.standard_texts_action.setText(_("Beoordeelde &standaardteksten importeren…"))
        self.settings_action.setText(_("&Instellingen van de gemeente…"))
        self.sync_now_action.setText(_("Nu s&ynchroniseren"))
        for action, view in zip(self.view_actions, CaseloadView, strict=True):
            action.setText(_(CASELOAD_VIEW_LABELS[view]))
        self.sync_widget.button.setToolTip(
            with_shortcut(_("Nu synchroniseren"), self.sync_now_action.shortcut())
        )
        self.search.setToolTip(with_shortcut(_("Zoeken"), self.find_action.shortcut()))
        self.sync_widget.retranslate()
        if self.import_screen is not None:
            self.tabs.setTabText(0, _("Caseload (alle apparaten)"))
            self.tabs.setTabText(1, _("Importeren"))
            self.tabs.setTabText(2, _("Wacht op vaststelling"))
        self.detail.retranslate()

    def _language_changed(self) -> None:
        """The rows and the detail carry texts made by the services in the old language (status,
        deadlines, household): load them again, so nothing stays Dutch (issue 16, fault 5)."""
        self.retranslate()
        self.fit_columns()  # the headers' widths changed with their language
        if self.model.rowCount():
            self.refresh()
        if self.selected_client_id() is not None:
            self._selection_changed(QItemSelection(), QItemSelection())

    def change_language(self, code: str) -> None:
        set_ui_language(code)
        self.profile.settings.ui_language = code
        self.profile.save_settings()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            _("Over Wegwijs"),
            _("Wegwijs {version}: brede intake en PIP onder de Wet inburgering 2021.").format(
                version=__version__
            ),
        )

    def _update_store_label(self) -> None:
        # The folder and file name fit the status bar; the whole path is in the tooltip.
        path = self.profile.store_path
        self.store_label.setText(
            _("Database: {path} (versleuteld) · rol: {role}").format(
                path=f"…/{path.parent.name}/{path.name}", role=self.profile.settings.role
            )
        )
        self.store_label.setToolTip(str(path))

    def _update_count(self) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        if shown == total:
            text = ngettext("{n} cliënt", "{n} cliënten", total).format(n=total)
        else:
            text = _("{shown} van {total} cliënten").format(shown=shown, total=total)
        self.count_label.setText(text)

    # -- data ---------------------------------------------------------------------------------
    def refresh(
        self,
        then: Callable[[], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        profile = self.profile
        self.statusBar().showMessage(_("Caseload laden…"))

        def load() -> list[CaseloadRow]:
            from app.services.caseload import CaseloadService

            return CaseloadService.for_profile(profile).rows()

        def done(rows: list[CaseloadRow]) -> None:
            self.show_rows(rows)
            self.statusBar().showMessage(_("Caseload geladen."), 3000)
            if then:
                then()

        run_in_background("database", load, done, owner=self, on_error=on_error or self.show_error)

    def show_rows(self, rows: list[CaseloadRow]) -> None:
        """The caseload shows `rows`; the selected client stays selected."""
        selected = self.selected_client_id()
        self.model.set_rows(rows)
        self.view_bar.set_counts(count_flags(row.flags for row in rows))
        self.proxy.resort()
        self._update_count()
        if selected:
            self.select_client(selected)

    def _apply_filter(self) -> None:
        self.proxy.set_view(self.view_bar.view, self.profile.settings.user_name)
        self.proxy.set_search_text(self.search.text())
        self._update_count()

    def selected_client_id(self) -> str | None:
        indexes = self.table.selectionModel().selectedRows()
        return str(indexes[0].data(CLIENT_ID_ROLE)) if indexes else None

    def select_client(self, client_id: str) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(CLIENT_ID_ROLE) == client_id:
                self.table.selectRow(row)
                self.table.scrollTo(index)
                return True
        return False

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        client_id = self.selected_client_id()
        if not self.completed:
            return  # `complete()` shows the selected client once the pane is there
        if client_id is None:
            self.detail.show_empty()
            return
        # At once, before the load: the buttons never act on the client shown before (issue 16, 1).
        self.detail.show_loading()
        profile = self.profile

        def load() -> ClientDetail:
            from app.services.clients import ClientService

            return ClientService.for_profile(profile).detail(uuid.UUID(client_id))

        def done(detail: ClientDetail) -> None:
            if self.selected_client_id() == str(detail.client_id):
                self.detail.show_detail(detail)

        run_in_background("database", load, done, owner=self, on_error=self.show_error)

    def show_error(self, error: BaseException) -> None:
        """A background load failed (the runner logged it): the status bar and a warning say so."""
        self.statusBar().showMessage(errors.message(error), 10000)
        errors.report(self, error)

    def start_background_work(self) -> None:
        """Automatic sync and the idle lock start once the window shows; tests of the caseload leave
        them off. A supervisor is reminded once a month of clients past the retention period."""
        from app.ui.retention_notice import remind_retention

        self.sync.start()
        self.session_lock.start()
        remind_retention(self, self.profile)

    def drop_data(self) -> None:
        """Forget every client shown (locking, interpreter mode); `refresh` loads them again."""
        self.search.clear()
        self.table.clearSelection()
        self.model.set_rows([])
        self.proxy.resort()
        if self.completed:
            self.detail.show_empty()
        self._update_count()
        self.statusBar().clearMessage()

    def changes_made(self) -> None:
        """Screens call this after they saved, so the change travels soon and the list is current."""
        if self.completed:
            self.sync.changes_made()
        self._refresh_timer.start()

    def closeEvent(self, event: QCloseEvent) -> None:
        remember_geometry(self, "main")
        if self.completed:
            self.session_lock.stop()
            self.sync.stop()
        wait_for_all()
        event.accept()
