"""The one background runner (app/ui/tasks.py) and the one error reporter (app/ui/errors.py), with
real thread pools unless a test asks for the synchronous one, and the intake autosave on the worker."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from builders import add_client_with_case
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QThreadPool
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from app.domain.enums import Role
from app.domain.errors import WegwijsError
from app.services.intake import IntakeService
from app.services.logs import LEVEL_ENV, configure_logging, log_folder, stop_logging
from app.services.profile import Profile
from app.ui import errors
from app.ui.intake import IntakeScreen, open_intake
from app.ui.tasks import POOL_SIZES, SynchronousPool, TaskProgress, runner

SECRET = "Qarxanzibo"  # an unusual name: it must never reach the log


@pytest.fixture
def threads() -> Iterator[None]:
    """The real thread pools (as in the app), drained after the test."""
    runner.use_pools(None)
    yield
    assert runner.wait_for_all()


@pytest.fixture
def profile(profile: Profile) -> Iterator[Profile]:
    """The default profile (tests/conftest.py); background work ends before it closes."""
    yield profile
    runner.wait_for_all()


@pytest.fixture
def client_id(profile: Profile) -> uuid.UUID:
    with profile.store().session(actor="coa-import") as session:
        client = add_client_with_case(
            session, "1234567890", family_name=SECRET, name_original=None, birth_date="1994-05",
            document_language=None, huisvestingsdatum=None, coa_location="AZC Utrecht",
        )  # fmt: skip
        return client.id


@pytest.fixture
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv(LEVEL_ENV, "INFO")  # refusals too, not only faults
    configure_logging(tmp_path / "logprofiel")
    yield log_folder(tmp_path / "logprofiel")
    stop_logging()


def block_database_worker() -> threading.Event:
    """Occupy the single database thread until the returned event is set (a slow load)."""
    release = threading.Event()
    runner.run("database", lambda: release.wait(10), lambda _r: None, owner=None)
    return release


def log_text(folder: Path) -> str:
    return "".join(path.read_text(encoding="utf-8") for path in sorted(folder.iterdir()))


def test_each_kind_of_work_has_its_pool_size(threads: None) -> None:
    for kind, size in POOL_SIZES.items():
        pool = runner.pool(kind)
        assert isinstance(pool, QThreadPool) and pool.maxThreadCount() == size
    assert POOL_SIZES["database"] == 1 and POOL_SIZES["pdf"] == 1  # store work and rendering in order
    with pytest.raises(ValueError):
        runner.pool("elders")


def test_work_runs_on_a_worker_and_the_result_arrives_on_the_gui_thread(qtbot: QtBot, threads: None) -> None:
    owner = QObject()
    seen: dict[str, Any] = {}

    def work() -> int:
        seen["worker"] = threading.get_ident()
        return 42

    def done(result: int) -> None:
        seen["result"], seen["gui"] = result, threading.get_ident()

    runner.run("database", work, done, owner=owner)
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
    assert seen["result"] == 42
    assert seen["gui"] == threading.get_ident() != seen["worker"]


def test_tasks_no_one_keeps_a_reference_to_are_all_delivered(qtbot: QtBot, threads: None) -> None:
    owner = QObject()
    results: list[int] = []
    for number in range(300):
        runner.run("network", lambda n=number: n, results.append, owner=owner)  # the task is dropped here
    qtbot.waitUntil(lambda: len(results) == 300, timeout=20000)
    qtbot.wait(20)  # the runner lets go of the delivered tasks on the next turn of the event loop
    assert sorted(results) == list(range(300))


def test_a_result_for_an_owner_that_is_gone_is_dropped(qtbot: QtBot, threads: None) -> None:
    widget = QWidget()
    delivered: list[Any] = []
    release = block_database_worker()
    task = runner.run(
        "database", lambda: "geladen", delivered.append, owner=widget, on_error=delivered.append
    )
    shiboken6.delete(widget)  # the window is closed and deleted while the work waits
    with qtbot.captureExceptions() as exceptions:
        release.set()
        assert runner.wait_for_all()
        qtbot.waitUntil(lambda: task.delivered, timeout=5000)
    assert delivered == [] and exceptions == []


def test_closing_an_intake_window_before_it_loaded_raises_nothing(
    qtbot: QtBot, profile: Profile, client_id: uuid.UUID, threads: None
) -> None:
    """Fault 4 of issue 16: the load came back to a deleted window ('Internal C++ object already
    deleted')."""
    release = block_database_worker()
    screen = open_intake(profile, client_id)
    assert screen.snapshot is None  # still loading
    with qtbot.captureExceptions() as exceptions:
        screen.close()  # WA_DeleteOnClose: deleted at the next turn of the event loop
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        assert not shiboken6.isValid(screen)
        release.set()
        assert runner.wait_for_all()
        qtbot.wait(100)  # the queued delivery of the load
    assert exceptions == []


def test_the_progress_indicator_waits_for_work_that_lasts(qtbot: QtBot, threads: None) -> None:
    owner = QObject()
    due: list[str] = []
    release = threading.Event()
    slow = runner.run_with_progress(
        "network",
        lambda _progress: release.wait(10),
        lambda _r: None,
        owner=owner,
        on_progress_due=lambda: due.append("traag"),
        progress_delay_ms=50,
    )
    quick = runner.run_with_progress(
        "network",
        lambda _progress: 1,
        lambda _r: None,
        owner=owner,
        on_progress_due=lambda: due.append("snel"),
    )
    qtbot.waitUntil(lambda: due == ["traag"], timeout=5000)
    release.set()
    qtbot.waitUntil(lambda: slow.delivered and quick.delivered, timeout=5000)
    qtbot.wait(700)  # past the default 600 ms: the quick one, long done, shows nothing
    assert due == ["traag"]


def test_cancel_is_a_flag_the_worker_polls_between_steps(qtbot: QtBot, threads: None) -> None:
    owner = QObject()
    steps: list[tuple[int, int, Any]] = []
    results: list[int] = []
    go_on = threading.Event()

    def work(progress: TaskProgress) -> int:
        done = 0
        while not progress.cancelled() and done < 1000:
            done += 1
            progress.step(done, 1000, f"stap {done}")
            go_on.wait(5)
        return done

    task = runner.run_with_progress(
        "pdf", work, results.append, owner=owner, on_step=lambda *a: steps.append(a)
    )
    qtbot.waitUntil(lambda: bool(steps), timeout=5000)  # steps arrive on the GUI thread while it runs
    task.cancel()
    go_on.set()
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert task.is_cancelled() and 1 <= results[0] <= 2
    assert steps[0] == (1, 1000, "stap 1")


def test_the_synchronous_pool_runs_at_once(synchronous_tasks: None) -> None:
    owner = QObject()
    results: list[int] = []
    task = runner.run("database", lambda: 7, results.append, owner=owner)
    assert results == [7] and task.delivered and isinstance(runner.pool("database"), SynchronousPool)


def test_a_fault_without_a_handler_is_shown_with_the_log_place_and_logged_without_personal_data(
    qtbot: QtBot, log_dir: Path, synchronous_tasks: None
) -> None:
    window = QWidget()
    qtbot.addWidget(window)

    def work() -> None:
        raise RuntimeError(f"kan {SECRET} niet verwerken")

    runner.run("database", work, lambda _r: None, owner=window)
    boxes = [b for b in window.findChildren(QMessageBox) if b.objectName() == "errorReport"]
    assert len(boxes) == 1
    text = boxes[0].text()
    assert text.startswith("Er ging iets mis") and str(log_dir) in text and SECRET not in text
    logged = log_text(log_dir)
    assert "Traceback" in logged and "builtins.RuntimeError" in logged and "in work" in logged
    assert SECRET not in logged


def test_a_refusal_shows_its_own_sentence_and_logs_only_its_kind(log_dir: Path) -> None:
    refusal = WegwijsError(f"Cliënt {SECRET} heeft al een PIP.")
    assert errors.message(refusal) == f"Cliënt {SECRET} heeft al een PIP."
    errors.log_failure(refusal)
    logged = log_text(log_dir)
    assert "refused: WegwijsError" in logged and SECRET not in logged


def test_the_log_folder_and_files_are_private(log_dir: Path) -> None:
    errors.log_failure(RuntimeError("iets"))  # the folder and file are made by the first record
    assert log_dir.stat().st_mode & 0o777 == 0o700
    files = list(log_dir.iterdir())
    assert files and all(f.stat().st_mode & 0o777 == 0o600 for f in files)


def test_a_symlink_instead_of_the_log_folder_is_not_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    (tmp_path / "profiel").mkdir()
    (tmp_path / "profiel" / "logs").symlink_to(elsewhere)
    try:
        assert configure_logging(tmp_path / "profiel") is None  # runs without a log rather than there
        errors.log_failure(RuntimeError("iets"))
    finally:
        stop_logging()
    assert list(elsewhere.iterdir()) == []


def test_a_command_that_is_only_refused_leaves_no_log(tmp_path: Path) -> None:
    assert configure_logging(tmp_path / "profiel") == tmp_path / "profiel" / "logs" / "wegwijs.log"
    try:
        errors.log_failure(WegwijsError("Er is geen profiel."))
    finally:
        stop_logging()
    assert not (tmp_path / "profiel").exists()  # faults only by default; nothing made for a refusal


# -- the intake autosave on the database worker ------------------------------------------------------


def loaded_screen(qtbot: QtBot, profile: Profile, client_id: uuid.UUID) -> IntakeScreen:
    screen = IntakeScreen(IntakeService(profile.store(), profile.actor, Role.KLANTMANAGER), client_id)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: screen.snapshot is not None, timeout=10000)
    screen.jump_to("ambities", "ambitie")
    return screen


def ambition_box(screen: IntakeScreen) -> QPlainTextEdit:
    editor = screen.editor("ambitie")
    assert editor is not None
    box = editor.focus_widget()
    assert isinstance(box, QPlainTextEdit)
    return box


def test_a_save_shown_as_saved_is_on_disk_and_closing_waits_for_queued_saves(
    qtbot: QtBot, profile: Profile, client_id: uuid.UUID, threads: None
) -> None:
    screen = loaded_screen(qtbot, profile, client_id)
    service = IntakeService(profile.store(), profile.actor, Role.KLANTMANAGER)
    assert screen.snapshot is not None
    intake_id = screen.snapshot.id
    on_disk_when_shown: list[Any] = []
    screen.saved.connect(
        lambda: on_disk_when_shown.append(
            (screen.save_state.text()[:10], service.reload(intake_id).answers.get("ambitie"))
        )
    )
    ambition_box(screen).setPlainText("verpleegkundige worden")
    screen.flush()
    assert screen.save_state.text() == "Niet opgeslagen wijzigingen…"  # queued, not yet stored
    qtbot.waitUntil(lambda: bool(on_disk_when_shown), timeout=10000)
    assert on_disk_when_shown == [("Opgeslagen", "verpleegkundige worden")]

    release = block_database_worker()  # the worker is busy with something else (a sync, say)
    ambition_box(screen).setPlainText("verpleegkundige worden in Utrecht")
    threading.Timer(0.3, release.set).start()
    assert screen.close()  # waits for the queued save instead of leaving it behind
    assert service.reload(intake_id).answers["ambitie"] == "verpleegkundige worden in Utrecht"


def test_a_fault_while_saving_is_reported_once_and_keeps_the_text(
    qtbot: QtBot,
    profile: Profile,
    client_id: uuid.UUID,
    synchronous_tasks: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen = loaded_screen(qtbot, profile, client_id)
    real_save = screen.service.save_answer

    def broken(*_args: Any) -> None:
        raise RuntimeError("schijf weg")  # forced: not a busy store, so retrying will not help

    monkeypatch.setattr(screen.service, "save_answer", broken)
    ambition_box(screen).setPlainText("kok worden")
    screen.flush()
    assert screen.save_state.text() == "Nog niet opgeslagen."
    reports = [b for b in screen.findChildren(QMessageBox) if b.objectName() == "errorReport"]
    assert len(reports) == 1 and reports[0].text().startswith("Er ging iets mis")
    assert ambition_box(screen).toPlainText() == "kok worden"
    qtbot.wait(1300)
    assert screen.save_state.text() == "Nog niet opgeslagen."  # no retry every second
    assert len([b for b in screen.findChildren(QMessageBox) if b.objectName() == "errorReport"]) == 1

    monkeypatch.setattr(screen.service, "save_answer", real_save)
    screen.flush()  # Ctrl+S, the next edit or closing tries again
    assert screen.save_state.text().startswith("Opgeslagen om")
    assert screen.snapshot is not None
    assert screen.service.reload(screen.snapshot.id).answers["ambitie"] == "kok worden"
    QApplication.processEvents()
