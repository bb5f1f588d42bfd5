"""No personal data in the log: one unusual client goes through every use case the log can see.

The command line (init, import-coa, list, export, pdf, demo, keys, sync push, import, and errors
forced on purpose: a refusal, a failed write, a fault), then the GUI (an intake answer saved by the
autosave, a background task that fails). Afterwards the log folders hold tracebacks and command names,
and none of the client's name, V-nummer, BSN or answer.
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from app.cli import main
from app.services.logs import LEVEL_ENV, LOG_FOLDER, configure_logging, stop_logging
from app.services.profile import open_profile
from app.ui.intake import open_intake
from app.ui.tasks import run_in_background, runner

FAMILY = "Qarxanzibo"
GIVEN = "Ŋelwytha"  # not ASCII: an ASCII-only stdout cannot print it, which forces a real fault
ORIGINAL = "ቀርሓንዚቦ"
V_NUMMER = "3141592653"
BSN = "271828109"
ANSWER = "Sterrenwacht-Asmara-7319"
HOUSEHOLD = "Huishouden-Zwemvogel"
SECRETS = [FAMILY, GIVEN, ORIGINAL, V_NUMMER, BSN, ANSWER, HOUSEHOLD]


@pytest.fixture(autouse=True)
def detailed_log(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The support level (commands and refusals too), so every kind of record is checked."""
    monkeypatch.setenv(LEVEL_ENV, "INFO")
    yield
    stop_logging()


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def log_texts(*profiles: Path) -> dict[Path, str]:
    found: dict[Path, str] = {}
    for profile in profiles:
        for path in sorted((profile / LOG_FOLDER).iterdir()):
            found[path] = path.read_text(encoding="utf-8")
    return found


def test_the_log_never_holds_personal_data(
    qtbot: QtBot,
    tmp_path: Path,
    passphrase_env: str,
    capsys: pytest.CaptureFixture[str],
    wegwijs_command: list[str],
) -> None:
    km, sup, share = tmp_path / "km", tmp_path / "sup", tmp_path / "share"
    share.mkdir()
    k, s = ("--data-dir", str(km)), ("--data-dir", str(sup))
    assert cli(capsys, *k, "init", "--role", "klantmanager", "--municipality", "Utrecht")[0] == 0
    assert cli(capsys, *s, "init", "--role", "supervisor", "--municipality", "Utrecht")[0] == 0
    assert cli(capsys, *s, "keys", "export-public", "--out", str(tmp_path / "sup.json"))[0] == 0
    assert cli(capsys, *k, "keys", "trust-supervisor", str(tmp_path / "sup.json"))[0] == 0
    assert cli(capsys, *k, "keys", "export-public", "--out", str(tmp_path / "km.json"))[0] == 0
    assert cli(capsys, *s, "keys", "register-device", str(tmp_path / "km.json"))[0] == 0

    coa = tmp_path / "coa.csv"
    coa.write_text(
        "v_nummer;achternaam;voornamen;naam_origineel;geboortedatum;bsn;huishouden;coa_locatie\n"
        f"{V_NUMMER};{FAMILY};{GIVEN};{ORIGINAL};1990-03;{BSN};{HOUSEHOLD};AZC Utrecht\n"
        # Refused on purpose (a BSN failing the elfproef): the refusal names the row, not the log.
        f"3141592654;{FAMILY};{GIVEN};;1991;123456789;{HOUSEHOLD};AZC Utrecht\n",
        encoding="utf-8",
    )
    code, out, _err = cli(capsys, *k, "import-coa", str(coa))
    assert code == 1 and "geweigerd" in out and V_NUMMER in out
    code, out, _err = cli(capsys, *k, "list", "--json")
    assert code == 0 and FAMILY in out
    assert cli(capsys, *k, "list")[0] == 0
    code, out, _err = cli(capsys, *k, "export", "--client", V_NUMMER, "--json")
    assert code == 0 and BSN in json.dumps(json.loads(out), ensure_ascii=False)
    code, out, _err = cli(
        capsys, *k, "pdf", "--client", V_NUMMER, "--lang", "all", "--out", str(tmp_path / "pdf")
    )
    assert code == 0 and V_NUMMER in out
    assert cli(capsys, *k, "demo", "--clients", "3", "--seed", "7")[0] == 0

    # Errors on purpose: a refusal naming the client, and a folder that cannot be made, named by V-nummer.
    code, _out, err = cli(capsys, *k, "export", "--client", "3141592650")
    assert code == 1 and "3141592650" in err
    blocker = tmp_path / "geen-map"
    blocker.write_text("een bestand, geen map")
    code, _out, err = cli(
        capsys, *k, "pdf", "--client", V_NUMMER, "--lang", "nl", "--out", str(blocker / V_NUMMER)
    )
    assert code == 1 and V_NUMMER in err  # the sentence names the folder; the log only the refusal
    # A real fault: a terminal that cannot show the name (ASCII only) while listing.
    env = dict(os.environ, PYTHONIOENCODING="ascii:strict")
    listed = subprocess.run(
        [*wegwijs_command, *k, "list"], capture_output=True, text=True, env=env, timeout=120
    )
    assert listed.returncode == 1 and "Er ging iets mis" in listed.stderr and "Traceback" not in listed.stderr

    assert cli(capsys, *k, "sync", "push", "--target", str(share))[0] == 0
    code, out, _err = cli(capsys, *s, "import", str(share), "--json")
    assert code == 0 and "imported" in out

    # The GUI: the start-up's log set-up, an intake answer through the autosave, a task that fails.
    configure_logging(km)
    runner.use_pools(None)
    profile = open_profile(km)
    try:
        client_id = json.loads(cli(capsys, *k, "export", "--client", V_NUMMER, "--json")[1])
        configure_logging(km)  # the command above pointed the log at the same folder; stay there
        screen = open_intake(profile, uuid.UUID(str(find_id(client_id))))
        qtbot.waitUntil(lambda: screen.snapshot is not None, timeout=15000)
        screen.jump_to("ambities", "ambitie")
        editor = screen.editor("ambitie")
        assert editor is not None
        box = editor.focus_widget()
        assert isinstance(box, QPlainTextEdit)
        box.setPlainText(ANSWER)
        with qtbot.waitSignal(screen.saved, timeout=15000):
            screen.flush()
        assert screen.close()

        window = QWidget()
        qtbot.addWidget(window)

        def fails() -> None:
            raise ValueError(f"{FAMILY} {V_NUMMER} {BSN} {ANSWER}")

        task = run_in_background("database", fails, lambda _r: None, owner=window)
        qtbot.waitUntil(lambda: task.delivered, timeout=15000)
        assert any(b.objectName() == "errorReport" for b in window.findChildren(QMessageBox))
    finally:
        assert runner.wait_for_all()
        profile.close()
    stop_logging()

    logs = log_texts(km, sup)
    assert (km / LOG_FOLDER).stat().st_mode & 0o777 == 0o700
    assert all(path.stat().st_mode & 0o777 == 0o600 for path in logs)
    everything = "\n".join(logs.values())
    # The log is really written: commands, refusals and the tracebacks of the faults forced above.
    for expected in (
        "command: import-coa",
        "command: pdf",
        "command: import",
        "refused:",
        "builtins.UnicodeEncodeError",
        "builtins.ValueError",
        "in fails",
    ):
        assert expected in everything, expected
    for secret in SECRETS:
        leaks = [path.name for path, text in logs.items() if secret.casefold() in text.casefold()]
        assert leaks == [], f"{secret!r} in {leaks}"


def find_id(export: object) -> str:
    """The client's internal id from the right-of-access export (wherever the export puts it)."""
    if isinstance(export, dict):
        for key, value in export.items():
            if key == "id" and isinstance(value, str) and len(value) == 36:
                return value
        for value in export.values():
            try:
                return find_id(value)
            except LookupError:
                continue
    if isinstance(export, list):
        for value in export:
            try:
                return find_id(value)
            except LookupError:
                continue
    raise LookupError("no id in the export")


def test_a_traceback_is_logged_without_the_exception_messages(tmp_path: Path) -> None:
    import logging

    path = configure_logging(tmp_path / "profiel")
    assert path is not None
    try:
        try:
            try:
                open(tmp_path / f"PIP_{V_NUMMER}_v1_ar.pdf")  # noqa: SIM115 (fails on purpose)
            except OSError as error:
                raise RuntimeError(f"{FAMILY} niet gevonden") from error
        except RuntimeError:
            logging.getLogger("app.test").error("printing failed", exc_info=True)
    finally:
        stop_logging()
    text = path.read_text(encoding="utf-8")
    assert "printing failed" in text and "builtins.FileNotFoundError (errno ENOENT)" in text
    assert "which led to:" in text and "builtins.RuntimeError" in text
    assert "test_a_traceback_is_logged_without_the_exception_messages" in text  # the stack is there
    assert V_NUMMER not in text and FAMILY not in text
