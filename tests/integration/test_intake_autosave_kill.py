"""Killing the process (kill -9) during autosave: the store stays intact and keeps the last saved answer.

Real subprocesses on a real SQLCipher store: one hammers the autosave use case so the kill lands inside
a write, the other runs the real intake screen (offscreen, saves queued on the real database worker)
with typing, so the loss is measured in seconds of typing, and what the screen reported saved is on
disk.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest
from builders import FAIL_KEYRING, REPO_ROOT, TEST_PASSPHRASE

from app.domain.enums import Role
from app.models.client import Client
from app.services.intake import IntakeService
from app.services.profile import init_profile, open_profile

HAMMER = textwrap.dedent(
    """
    import sys, uuid
    from app.domain.enums import Role
    from app.services.intake import IntakeService
    from app.services.profile import open_profile

    profile = open_profile(__import__("pathlib").Path(sys.argv[1]))
    service = IntakeService(profile.store(), "km", Role.KLANTMANAGER)
    intake_id = uuid.UUID(sys.argv[2])
    number = 0
    while True:
        number += 1
        # A few kilobytes per save, as with a long answer: the write takes long enough to be hit.
        service.save_answer(intake_id, "ambitie", f"versie {number} " + "tekst " * 600)
        print(number, flush=True)
    """
)

TYPIST = textwrap.dedent(
    """
    import sys, time, uuid
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from app.domain.enums import Role
    from app.services.intake import IntakeService
    from app.services.profile import open_profile
    from app.ui.intake import IntakeScreen

    app = QApplication([])
    profile = open_profile(__import__("pathlib").Path(sys.argv[1]))
    # argv[2] is the client: the screen opens (resumes) that client's intake, on the real database worker.
    screen = IntakeScreen(IntakeService(profile.store(), "km", Role.KLANTMANAGER), uuid.UUID(sys.argv[2]))
    screen.show()
    if screen.snapshot is None:
        loop = QEventLoop()
        screen.loaded.connect(loop.quit)
        QTimer.singleShot(30000, loop.quit)
        loop.exec()
    screen.jump_to("ambities", "ambitie")
    if screen.editor("ambitie") is None:
        raise SystemExit(f"intake not loaded: {screen.save_state.text()}")
    box = screen.editor("ambitie").focus_widget()
    # Saves run on the database worker: report what the save stored (typing goes on meanwhile).
    screen.saved.connect(
        lambda: print("SAVED", len(screen.saved_answers.get("ambitie", "")), time.monotonic(), flush=True)
    )

    def type_one():
        QTest.keyClicks(box, "a")
        print("TYPED", len(box.toPlainText()), time.monotonic(), flush=True)

    timer = QTimer(interval=40)  # 25 characters a second: a fast typist
    timer.timeout.connect(type_one)
    timer.start()
    app.exec()
    """
)


@pytest.fixture
def setup(tmp_path: Path, passphrase_env: str) -> tuple[Path, uuid.UUID, dict[str, str], uuid.UUID]:
    data_dir = tmp_path / "profiel"
    profile = init_profile(data_dir, Role.KLANTMANAGER, "Utrecht", "km")
    with profile.store().session(actor="test") as session:
        client = Client(v_nummer="1234567890", family_name="Tesfay", given_names="Yonas", birth_date="1988",
                        languages=["ti"], target_group="asiel")  # fmt: skip
        session.add(client)
        session.flush()
        client_id = client.id
    intake_id = IntakeService(profile.store(), "km", Role.KLANTMANAGER).open(client_id).id
    profile.close()
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), QT_QPA_PLATFORM="offscreen",
               PYTHON_KEYRING_BACKEND=FAIL_KEYRING, WEGWIJS_PASSPHRASE=TEST_PASSPHRASE)  # fmt: skip
    return data_dir, intake_id, env, client_id


def stored_answer(data_dir: Path, intake_id: uuid.UUID) -> str:
    profile = open_profile(data_dir)
    try:
        store = profile.store()
        assert store.integrity_ok(), "PRAGMA integrity_check failed after kill -9"
        return str(IntakeService(store, "km", Role.KLANTMANAGER).reload(intake_id).answers.get("ambitie", ""))
    finally:
        profile.close()


def start(script: str, data_dir: Path, intake_id: uuid.UUID, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, str(data_dir), str(intake_id)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO_ROOT,
    )  # fmt: skip


def read_until(process: subprocess.Popen[str], enough: int, deadline: float) -> list[str]:
    lines: list[str] = []
    assert process.stdout is not None
    while len(lines) < enough:
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"child too slow; stderr: {process.stderr.read() if process.stderr else ''}")
        line = process.stdout.readline()
        if not line:
            raise AssertionError(f"child stopped; stderr: {process.stderr.read() if process.stderr else ''}")
        lines.append(line.strip())
    return lines


@pytest.mark.parametrize("saves_before_kill", [15, 40])
def test_kill_during_autosave_writes_keeps_store_intact(setup, saves_before_kill: int) -> None:
    data_dir, intake_id, env, _client_id = setup
    process = start(HAMMER, data_dir, intake_id, env)
    lines = read_until(process, saves_before_kill, time.monotonic() + 60)
    os.kill(process.pid, signal.SIGKILL)  # the child is inside its next save (it does nothing else)
    process.wait(timeout=10)
    last_acknowledged = int(lines[-1])
    answer = stored_answer(data_dir, intake_id)
    saved_number = int(answer.split()[1])
    # Every save that returned is on disk; the one under way is either fully there or not at all.
    assert saved_number in (last_acknowledged, last_acknowledged + 1) or saved_number > last_acknowledged
    assert answer == f"versie {saved_number} " + "tekst " * 600


def test_kill_while_typing_in_the_screen_loses_at_most_about_a_second(setup) -> None:
    data_dir, intake_id, env, client_id = setup
    process = start(TYPIST, data_dir, client_id, env)
    lines = read_until(process, 1, time.monotonic() + 60)
    while not any(line.startswith("SAVED") for line in lines) or len(lines) < 70:
        lines += read_until(process, 1, time.monotonic() + 30)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    saved = [line.split() for line in lines if line.startswith("SAVED")]
    typed = [line.split() for line in lines if line.startswith("TYPED")]
    assert len(saved) >= 2
    answer = stored_answer(data_dir, intake_id)
    assert answer == "a" * len(answer) and len(answer) >= int(saved[-1][1])
    # What was lost was typed after the last save; the last save was at most about a second ago.
    kill_time = float(typed[-1][2])
    assert kill_time - float(saved[-1][2]) < 1.3
    lost = int(typed[-1][1]) - len(answer)
    assert lost <= 35  # 25 characters a second plus scheduling slack
