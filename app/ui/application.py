"""Starting the GUI: the profile (first run or unlock), the store, then the caseload window."""

from __future__ import annotations

import linecache
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox

from app import STARTED_AT
from app.domain.errors import WegwijsError
from app.i18n import _, set_ui_language
from app.services.logs import configure_logging
from app.services.policy import load_policy
from app.services.profile import (
    PASSPHRASE_VARIABLE,
    PassphraseRefused,
    Profile,
    open_profile,
    passphrase_in_environment,
    profile_exists,
    resolve_data_dir,
)
from app.services.quick_start import load_gui_services
from app.ui import errors
from app.ui.colours import use_readable_selection
from app.ui.main_window import MainWindow
from app.ui.text_question import ask_text

if TYPE_CHECKING:
    from app.services.quick_start import QuickStart
    from app.ui.client_detail import ClientAction


def gui_passphrase(new: bool) -> str:
    """Without an OS keyring the store key is wrapped with a passphrase: asked here, never stored."""
    value = passphrase_in_environment()
    if value:
        return value
    prompt = (
        _("Er is geen sleutelbos beschikbaar. Kies een wachtwoord (minstens 8 tekens) voor deze installatie:")
        if new
        else _("Wachtwoord van deze Wegwijs-installatie:")
    )
    description = (
        _("Minstens 8 tekens; u typt het bij elke start van Wegwijs. Het wordt niet getoond.")
        if new
        else _("Het wachtwoord wordt niet getoond; Enter ontgrendelt.")
    )
    text, ok = ask_text(
        None, _("Wegwijs ontgrendelen"), prompt, description, echo=QLineEdit.EchoMode.Password
    )
    if not ok:
        raise PassphraseRefused(_("Er is geen wachtwoord opgegeven; Wegwijs is niet geopend."))
    return text


def unattended_passphrase(_new: bool) -> str:
    """--exit-when-ready asks nobody: the passphrase comes from the environment or the start fails."""
    value = passphrase_in_environment()
    if not value:
        raise PassphraseRefused(
            _("Er is geen sleutelbos beschikbaar; geef het wachtwoord op in {name}.").format(
                name=PASSPHRASE_VARIABLE
            )
        )
    return value


def client_actions(profile: Profile, window_holder: list[MainWindow]) -> list[ClientAction]:
    """The screens a client can be opened in; each use case adds its own entry here."""

    def window() -> MainWindow | None:
        return window_holder[0] if window_holder else None

    def changed() -> None:
        # A save elsewhere: the caseload shows the new status and the change travels soon.
        if window_holder:
            window_holder[0].changes_made()

    from app.ui.intake import intake_action
    from app.ui.pip import pip_client_action
    from app.ui.pip.term_records import term_records_action
    from app.ui.print_pip import print_actions
    from app.ui.review import interpreter_mode_action, review_client_action
    from app.ui.transfer import transfer_action

    return [
        intake_action(profile, window, on_change=changed),
        pip_client_action(profile, window, on_change=changed),
        term_records_action(profile, window, on_change=changed),
        *print_actions(window),
        review_client_action(profile, window),
        transfer_action(profile, window, on_change=changed),
        interpreter_mode_action(profile, lambda: window_holder[0].session_lock if window_holder else None),
    ]


def close_with_backup(profile: Profile) -> None:
    """On closing the GUI: an automatic backup (the last N are kept), then the store is closed."""
    from app.services.maintenance.backup import REASON_CLOSE, BackupService

    try:
        BackupService.for_profile(profile).automatic(REASON_CLOSE)
    except WegwijsError as error:
        # Closing must not fail; the sentence says why there is no new backup this time.
        print(str(error), file=sys.stderr, flush=True)
    finally:
        profile.close()


def open_main_window(profile: Profile) -> MainWindow:
    use_readable_selection()
    holder: list[MainWindow] = []
    window = MainWindow(profile, client_actions(profile, holder))
    holder.append(window)
    return window


def _install_qt_translations(app: QApplication) -> None:
    """Qt's own dialogs (buttons, file choosers) in Dutch as well."""
    translator = QTranslator(app)
    if translator.load(
        QLocale(QLocale.Language.Dutch),
        "qtbase",
        "_",
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
    ):
        app.installTranslator(translator)


def _no_screen() -> bool:
    """On Linux, Qt aborts the whole process without a display; say so in Dutch instead."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def process_age_ms() -> int:
    """Milliseconds since this process started (the kernel's start time, so interpreter start-up
    counts too); elsewhere than Linux, since the command line was loaded."""
    try:
        ticks = os.sysconf("SC_CLK_TCK")
        # Field 22 of /proc/self/stat, counted after the command name (which may hold spaces).
        started = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19]) / ticks
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return max(0, round((uptime - started) * 1000))
    except (OSError, ValueError, IndexError, AttributeError):
        return round((time.perf_counter() - STARTED_AT) * 1000)


def _report_ready_and_quit(app: QApplication, window: MainWindow) -> None:
    """--exit-when-ready: the rows are in the model; paint them now, then say how long it took."""
    window.repaint()
    app.processEvents()
    print(f"ready_ms={process_age_ms()}", flush=True)
    window.close()
    app.exit(0)


def _report_failure_and_quit(app: QApplication, window: MainWindow, error: BaseException) -> None:
    """--exit-when-ready: the caseload could not be loaded; say why on stderr and exit 1 (no dialog)."""
    errors.log_failure(error)
    print(
        errors.message(error),
        file=sys.stderr,
        flush=True,
    )
    window.close()
    app.exit(1)


def activate_reviewed_layer(profile: Profile) -> None:
    from app.services.review import activate_reviewed_layer as activate

    activate(profile)


def _say_refusal(error: BaseException, unattended: bool) -> None:
    errors.log_failure(error)
    message = errors.message(error)
    # stderr first: a start without a screen (or a script) must see the reason too.
    print(message, file=sys.stderr, flush=True)
    if not unattended:  # unattended: nobody would close the message box
        QMessageBox.critical(None, "Wegwijs", message)


def _start(app: QApplication, profile: Profile, window: MainWindow, exit_when_ready: bool) -> None:
    """The complete window shows: load the caseload (and for --exit-when-ready report when painted)."""
    from app.ui.lock import ensure_unlock_passphrase
    from app.ui.person_name import ask_person_name_once

    if exit_when_ready:
        window.refresh(
            then=lambda: _report_ready_and_quit(app, window),
            on_error=lambda error: _report_failure_and_quit(app, window, error),
        )
    else:
        ask_person_name_once(profile, window)  # issue 19: an older profile has no name yet
        ensure_unlock_passphrase(profile, window)  # issue 14: a keyring profile chooses one once
        window.refresh()
        window.start_background_work()
        fill_lines_ahead(profile, window)


def fill_lines_ahead(profile: Profile, window: MainWindow) -> None:
    """After the caseload is loaded: the lines for the days ahead (app/services/caseload_ahead.py),
    so tomorrow's first start paints from stored lines too. One day's turns per task on the database
    worker, queued behind the listing; the next step is queued when one is done, so the
    klantmanager's own work waits for one step at most. A failure is only logged (by the runner):
    the lines ahead are derived, and the next start computes what it needs."""
    from app.services.caseload_ahead import CaseloadAheadService
    from app.ui.tasks import run_in_background

    def step() -> int:
        return CaseloadAheadService.for_profile(profile).fill_step()

    def done(stored: int) -> None:
        if stored:
            run_in_background("database", step, done, owner=window, on_error=_ignore)

    run_in_background("database", step, done, owner=window, on_error=_ignore)


def _ignore(_error: BaseException) -> None:
    """A step of the lines ahead failed (logged by the runner): nothing to show."""


def _complete_start(app: QApplication, profile: Profile, window: MainWindow) -> None:
    """The stored caseload shows: now the store through SQLAlchemy and the rest of the window."""
    try:
        load_gui_services()
        # Qt's import hook read the source of each module loaded after it (to look for PySide6 in
        # it) and left it in linecache: some 20 MiB that nothing needs (tracebacks read it again).
        linecache.clearcache()
        profile.store()
        activate_reviewed_layer(profile)
    except Exception as error:  # the file was checked a moment ago; still, a refusal is said
        _say_refusal(error, unattended=False)
        window.close()
        app.exit(1)
        return
    holder = [window]
    window.complete(client_actions(profile, holder))
    _start(app, profile, window, exit_when_ready=False)


def run_gui(
    data_dir_argument: str | None, exit_when_ready: bool = False, quick: QuickStart | None = None
) -> int:
    """`quick`: the profile and its stored caseload, prepared before Qt (app/services/quick_start.py)."""
    if _no_screen():
        print(
            "Er is geen beeldscherm beschikbaar (DISPLAY is leeg); start Wegwijs op een bureaublad, "
            "of gebruik QT_QPA_PLATFORM=offscreen of een opdracht van de opdrachtregel (wegwijs --help).",
            file=sys.stderr,
        )
        return 1
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Wegwijs")
    app.setApplicationDisplayName("Wegwijs")
    app.setDesktopFileName("wegwijs")
    use_readable_selection()
    _install_qt_translations(app)
    data_dir = resolve_data_dir(data_dir_argument)
    configure_logging(data_dir)
    errors.install_excepthook()
    loaded = load_policy()
    if loaded.problem:  # a refused policy file is said, and Wegwijs starts without it
        print(loaded.problem, file=sys.stderr, flush=True)
        if not exit_when_ready:  # a smoke test answers no dialog
            QMessageBox.warning(None, "Wegwijs", loaded.problem)
    if exit_when_ready and not profile_exists(data_dir):
        # A smoke test cannot answer the first-run dialog: say what is missing instead of waiting.
        print(
            _("Er is nog geen Wegwijs-profiel in {folder}; richt het eerst in met wegwijs init.").format(
                folder=data_dir
            ),
            file=sys.stderr,
        )
        return 1
    rows = quick.rows if quick is not None else None
    try:
        if quick is not None:
            profile = quick.profile
        elif profile_exists(data_dir):
            profile = open_profile(data_dir, unattended_passphrase if exit_when_ready else gui_passphrase)
        else:
            # The wizard (issue 16) makes the profile as `wegwijs init` does; imported only here, as a
            # start with a profile never needs it.
            from app.ui.first_run import run_first_run

            made = run_first_run(data_dir, loaded.policy, gui_passphrase)
            if made is None:
                return 1
            profile = made
        set_ui_language(profile.settings.ui_language)
        if rows is None:
            load_gui_services()  # loaded before Qt already, unless this start asked for a passphrase
            profile.store()  # unlock and verify before the window shows: a refusal is said at once
            activate_reviewed_layer(profile)
    except Exception as error:  # a refusal says its sentence; a fault the apology, its traceback logged
        _say_refusal(error, exit_when_ready)
        return 1
    if rows is None:
        window = open_main_window(profile)
        window.show()
        _start(app, profile, window, exit_when_ready)
    else:
        window = MainWindow(profile, complete=False)
        window.show_rows(rows)
        window.show()
        if exit_when_ready:
            # Ready: the caseload is filled and painted; the rest of the window is not needed.
            QTimer.singleShot(0, lambda: _report_ready_and_quit(app, window))
        else:
            # After this paint: the services, the store through SQLAlchemy, then the rest of the window.
            QTimer.singleShot(0, lambda: _complete_start(app, profile, window))
    code = app.exec()
    close_with_backup(profile)
    return int(code)
