"""Screenshots of every main window at 1366×768 (100 %) and at 1920×1080 (150 %), into artifacts/.

    .venv/bin/python scripts/screenshots.py [--out artifacts/screenshots]

Each scale runs in its own process (Qt reads QT_SCALE_FACTOR once). The windows are sized to the
screen a klantmanager has, less a 40-pixel taskbar: 1366×728 at 100 %, and 1920×1040 physical at
150 %, that is 1280×693 logical. A window whose minimum size is larger cannot fit; sizes.txt says so.
Demo data only, in a temporary profile; no keyring (the store key is wrapped with a passphrase).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SCALES = {"100": (1.0, 1366, 728), "150": (1.5, 1280, 693)}
REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=REPO / "artifacts" / "screenshots")
    parser.add_argument("--scale", choices=sorted(SCALES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scale:
        return shoot(args.out, args.scale)
    for scale, (factor, _w, _h) in SCALES.items():
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR=str(factor))
        env.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
        env.setdefault("WEGWIJS_PASSPHRASE", "schermafbeeldingen-demo")
        command = [sys.executable, __file__, "--out", str(args.out), "--scale", scale]
        result = subprocess.run(command, env=env, check=False)
        if result.returncode:
            return result.returncode
    print(f"screenshots: {args.out}")
    return 0


def shoot(out: Path, scale: str) -> int:
    from PySide6.QtWidgets import QApplication, QWidget

    from app.domain.enums import Role
    from app.i18n import set_ui_language
    from app.services.demo import add_demo_clients
    from app.services.profile import init_profile
    from app.ui.application import open_main_window
    from app.ui.figures import open_figures
    from app.ui.intake import open_intake
    from app.ui.intake.states import CONCLUSION_KEY
    from app.ui.pip import open_pip_editor
    from app.ui.review import open_review
    from app.ui.settings import SettingsDialog
    from app.ui.tasks import wait_for_all

    app = QApplication.instance() or QApplication(sys.argv)
    _factor, width, height = SCALES[scale]
    out.mkdir(parents=True, exist_ok=True)
    sizes: list[str] = []

    def grab(widget: QWidget, name: str, full: bool = True) -> None:
        if full:
            widget.resize(min(width, widget.maximumWidth()), min(height, widget.maximumHeight()))
        for _round in range(30):
            app.processEvents()
            wait_for_all(200)
        minimum = widget.minimumSizeHint().expandedTo(widget.minimumSize())
        fits = minimum.width() <= width and minimum.height() <= height
        sizes.append(
            f"{name}: {widget.width()}×{widget.height()} (minimum {minimum.width()}×{minimum.height()})"
            + ("" if fits else " — PAST NIET")
        )
        widget.grab().save(str(out / f"{name}-{scale}.png"))

    set_ui_language("nl")
    with tempfile.TemporaryDirectory() as folder:
        shoot_first_run(app, Path(folder), grab)
        profile = init_profile(Path(folder) / "profiel", Role.KLANTMANAGER, "Voorbeeldstad", "klantmanager1")
        with profile.store().session(profile.actor, profile.settings.role) as session:
            add_demo_clients(session, 60, seed=3, municipality="Voorbeeldstad", klantmanager="klantmanager1")
        window = open_main_window(profile)
        window.show()
        window.refresh()
        window.sync.attempt()  # the sync status as the klantmanager sees it (no supervisor key yet)
        wait_for_all()
        app.processEvents()
        window.table.selectRow(1)
        grab(window, "caseload")
        client_id = window.selected_client_id()
        assert client_id is not None
        intake = open_intake(profile, client_id, window)
        grab(intake, "intake")
        intake.jump_to("identiteit", "nationaliteit")
        grab(intake, "intake-identiteit")
        intake.show_key(CONCLUSION_KEY)
        grab(intake, "intake-afronden")
        intake.close()
        editor = open_pip_editor(profile, client_id, window)
        grab(editor, "pip")
        editor.close()
        review = open_review(profile, client_id, window)
        grab(review, "vertalingen")
        review.close()
        settings = SettingsDialog(profile, window)
        settings.show()
        grab(settings, "instellingen", full=False)
        settings.close()
        window.change_language("en")
        grab(window, "caseload-en")
        window.close()
        wait_for_all()
        profile.close()
        set_ui_language("nl")
        # The supervisor's figures screen over two klantmanagers' demo clients.
        team = init_profile(Path(folder) / "supervisor-team", Role.SUPERVISOR, "Voorbeeldstad", "teamleider")
        with team.store().session(team.actor, team.settings.role) as session:
            for name, seed in (("klantmanager1", 3), ("klantmanager2", 4)):
                add_demo_clients(session, 150, seed=seed, municipality="Voorbeeldstad", klantmanager=name)
        figures = open_figures(team)
        for index, name in enumerate(("teamcijfers", "teamcijfers-10-weken", "teamcijfers-aandelen")):
            figures.tabs.setCurrentIndex(index)
            grab(figures, name)
        figures.close()
        wait_for_all()
        team.close()
        # The supervisor's "Wacht op vaststelling" (issue 12), on the same demo team, in Dutch again.
        set_ui_language("nl")
        supervisor = init_profile(
            Path(folder) / "supervisor-wachtrij", Role.SUPERVISOR, "Voorbeeldstad", "teamleider"
        )
        with supervisor.store().session(supervisor.actor, supervisor.settings.role) as session:
            add_demo_clients(session, 60, seed=3, municipality="Voorbeeldstad", klantmanager="klantmanager1")
        window = open_main_window(supervisor)
        window.show()
        window.tabs.setCurrentIndex(2)
        wait_for_all()
        app.processEvents()
        queue = window.adoption_screen
        queue.waiting_view.selectRow(0)
        grab(window, "wacht-op-vaststelling")
        window.close()
        wait_for_all()
        supervisor.close()
    (out / f"sizes-{scale}.txt").write_text("\n".join(sizes) + "\n", encoding="utf-8")
    print("\n".join(sizes))
    return 0


def shoot_first_run(app, folder: Path, grab) -> None:  # type: ignore[no-untyped-def]
    """The first-run wizard's pages, filled in as a klantmanager would, with a real supervisor key."""
    from app.domain.enums import Role
    from app.services.profile import init_profile
    from app.services.sync import SyncKeysService
    from app.ui.first_run import FirstRunWizard
    from app.ui.tasks import wait_for_all

    supervisor = init_profile(folder / "supervisor", Role.SUPERVISOR, "Voorbeeldstad", "Sam de Supervisor")
    SyncKeysService.for_profile(supervisor).export_public(folder / "supervisor.json")
    supervisor.close()
    wizard = FirstRunWizard(folder / "nieuw", None, lambda _new: "schermafbeeldingen-demo")
    # Its own size, as on the klantmanager's screen: the offscreen screen (800×800 physical) would
    # shrink it at 150 % to less than the 1280×693 a 1920×1080 screen gives.
    wizard.resize(760, 560)
    wizard.show()

    def settle() -> None:
        for _round in range(20):
            app.processEvents()
            wait_for_all(200)

    def forward() -> None:
        page = wizard.currentId()
        wizard.next()
        for _round in range(200):
            settle()
            if wizard.currentId() != page:
                return

    wizard.about.municipality.setText("Voorbeeldstad")
    wizard.about.person_name.setText("Anna de Vries")
    grab(wizard, "eerste-start-1-over-u", full=False)
    forward()
    wizard.key.passphrase.setText("schermafbeeldingen-demo")
    wizard.key.repeat.setText("schermafbeeldingen-demo")
    grab(wizard, "eerste-start-2-sleutel", full=False)
    forward()
    wizard.sheet.path.setText(str(folder / "Wegwijs-herstelblad.pdf"))
    wizard.sheet.make.click()
    settle()
    grab(wizard, "eerste-start-3-herstelblad", full=False)
    forward()
    wizard.supervisor_key.path.setText(str(folder / "supervisor.json"))
    wizard.supervisor_key.path.editingFinished.emit()
    settle()
    grab(wizard, "eerste-start-4-supervisor", full=False)
    wizard.supervisor_key.same.setChecked(True)
    forward()
    (folder / "sync").mkdir()
    wizard.target_page.address.setText(str(folder / "sync"))
    wizard.target_page.test.click()
    settle()
    grab(wizard, "eerste-start-5-synchronisatie", full=False)
    forward()
    grab(wizard, "eerste-start-6-klaar", full=False)
    wizard.close()
    if wizard.created is not None:
        wizard.created.profile.close()


if __name__ == "__main__":
    sys.exit(main())
