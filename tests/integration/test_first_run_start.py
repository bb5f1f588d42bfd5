"""Issue 16: the real start without a profile runs the first-run wizard and then opens the caseload
with the profile it made, in a process of its own (run_gui sets up logging and Qt for the process).
The wizard is filled in by a driver in that process, through the widgets, as in the GUI tests; the
new profile is then opened from this test with the passphrase chosen in the wizard."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.services.profile import open_profile
from app.services.sync import SyncTargetService

PASSPHRASE = "een lang wachtwoord"

DRIVER = r"""
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

app = QApplication([])
from app.ui.application import run_gui
from app.ui.first_run import FirstRunWizard
from app.ui.main_window import MainWindow

folder, passphrase = Path(sys.argv[1]), sys.argv[2]


def visible(kind):
    return next((w for w in app.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)


def drive():
    wizard = visible(FirstRunWizard)
    if wizard is None:
        window = visible(MainWindow)
        if window is not None:
            print("caseload:", window.windowTitle(), flush=True)
            QTimer.singleShot(300, window.close)
        else:
            QTimer.singleShot(100, drive)
        return
    page = wizard.currentPage()
    if page.is_busy():
        QTimer.singleShot(100, drive)
        return
    current = wizard.currentId()
    if current == 0:
        wizard.about.municipality.setText("Utrecht")
        wizard.about.person_name.setText("Anna de Vries")
    elif current == 1:
        wizard.key.passphrase.setText(passphrase)
        wizard.key.repeat.setText(passphrase)
    elif current == 2 and wizard.sheet.sheet is None:
        wizard.sheet.path.setText(str(folder / "herstelblad.pdf"))
        wizard.sheet.make.click()
        QTimer.singleShot(100, drive)
        return
    elif current == 5:
        wizard.target_page.address.setText(str(folder / "doel"))
    print("page", current, flush=True)
    wizard.accept() if current == 6 else wizard.next()
    QTimer.singleShot(100, drive)


QTimer.singleShot(200, drive)
sys.exit(run_gui(str(folder / "profiel")))
"""


def test_a_start_without_a_profile_sets_up_and_opens_wegwijs(tmp_path: Path) -> None:
    (tmp_path / "doel").mkdir()
    environment = dict(
        os.environ, QT_QPA_PLATFORM="offscreen", PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring"
    )
    environment.pop("WEGWIJS_PASSPHRASE", None)  # the wizard's own passphrase, nothing else
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(tmp_path), PASSPHRASE],
        env=environment, capture_output=True, text=True, timeout=240, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    pages = [line for line in done.stdout.splitlines() if line.startswith("page ")]
    assert pages == ["page 0", "page 1", "page 2", "page 3", "page 5", "page 6"], done.stdout
    assert "caseload: Wegwijs — caseload van Anna de Vries (Utrecht)" in done.stdout
    assert (tmp_path / "herstelblad.pdf").read_bytes().startswith(b"%PDF")
    profile = open_profile(tmp_path / "profiel", lambda _new: PASSPHRASE)
    try:
        profile.store()
        assert profile.settings.person_name == "Anna de Vries"
        assert SyncTargetService.for_profile(profile).configured() == str(tmp_path / "doel")
    finally:
        profile.close()
