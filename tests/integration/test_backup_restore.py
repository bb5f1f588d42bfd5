"""`wegwijs backup` and `wegwijs restore` (issue 14): encrypted, consistent while another
connection writes, private, expired by age and count; a restore is checked before anything is
replaced, keeps the current store and tells the sync state."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import threading
from pathlib import Path

import pytest
from maintenance_helpers import client_count, flip_bytes_in_the_middle
from store_helpers import (
    connect_with_key,
    copy_profile,
    load_profile,
    make_profile,
    one_dutch_refusal,
    run_wegwijs,
    snapshot,
    store_key,
)

from app.models.store import SQLITE_MAGIC, STORE_FILE
from app.services.maintenance.backup import BACKUP_DIR, BackupService
from app.services.maintenance.integrity import check_file
from app.services.maintenance.restore import RESTORE_SETTING


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = make_profile(tmp_path_factory.mktemp("backup") / "profiel")
    result = run_wegwijs(folder, "demo", "--clients", "6", "--seed", "3")
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture
def profile_dir(template: Path, tmp_path: Path) -> Path:
    return copy_profile(template, tmp_path / "profiel")


def test_a_backup_is_encrypted_private_and_complete(profile_dir: Path, tmp_path: Path) -> None:
    result = run_wegwijs(profile_dir, "backup")
    assert result.returncode == 0, result.stderr
    (backup,) = (profile_dir / BACKUP_DIR).iterdir()
    assert str(backup) in result.stdout
    assert (profile_dir / BACKUP_DIR).stat().st_mode & 0o777 == 0o700
    assert backup.stat().st_mode & 0o777 == 0o600
    data = backup.read_bytes()
    assert data[:16] != SQLITE_MAGIC
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(backup).execute("SELECT count(*) FROM sqlite_master").fetchone()
    key = store_key(profile_dir)
    assert check_file(backup, key).ok
    assert client_count(profile_dir, backup) == client_count(profile_dir) == 6
    # One self-contained file: no -wal or -journal beside it.
    assert sorted(p.name for p in backup.parent.iterdir()) == [backup.name]

    out = tmp_path / "elders" / "kopie.bak"
    out.parent.mkdir()
    result = run_wegwijs(profile_dir, "backup", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.stat().st_mode & 0o777 == 0o600
    assert client_count(profile_dir, out) == 6


def test_a_backup_while_another_connection_writes_is_a_consistent_snapshot(profile_dir: Path) -> None:
    """A writer commits rows in a loop and also holds an uncommitted row while the backup is made:
    the copy passes every check, has whole transactions only, and never the uncommitted row."""
    key = store_key(profile_dir)
    writer = connect_with_key(profile_dir / STORE_FILE, key, check_same_thread=False, timeout=10)
    writer.execute("PRAGMA journal_mode = WAL")
    stop = threading.Event()
    written = [0]

    def write() -> None:
        while not stop.is_set():
            number = written[0]
            writer.execute("BEGIN")
            # Two rows per transaction: a snapshot has both or neither.
            writer.execute("INSERT INTO sync_setting VALUES (?, 'a')", (f"test-{number}-a",))
            writer.execute("INSERT INTO sync_setting VALUES (?, 'b')", (f"test-{number}-b",))
            writer.execute("COMMIT")
            written[0] += 1

    thread = threading.Thread(target=write)
    thread.start()
    profile = load_profile(profile_dir)
    try:
        infos = [BackupService.for_profile(profile).backup() for _ in range(3)]
    finally:
        stop.set()
        thread.join()
        profile.close()
    writer.execute("BEGIN")
    writer.execute("INSERT INTO sync_setting VALUES ('uncommitted', 'x')")
    profile = load_profile(profile_dir)
    try:
        infos.append(BackupService.for_profile(profile).backup())
    finally:
        profile.close()
        writer.execute("ROLLBACK")
        writer.close()
    assert written[0] > 0
    for info in infos:
        backup = Path(info.path)
        assert check_file(backup, key).ok
        connection = connect_with_key(backup, key)
        names = [
            row[0] for row in connection.execute("SELECT name FROM sync_setting WHERE name LIKE 'test-%'")
        ]
        uncommitted = connection.execute(
            "SELECT count(*) FROM sync_setting WHERE name = 'uncommitted'"
        ).fetchone()
        connection.close()
        assert len(names) % 2 == 0, "a transaction was copied halfway"
        assert uncommitted == (0,)
    assert len(names) == 2 * written[0]  # the last one was made after the writer stopped


def test_automatic_backups_keep_the_last_n_and_expire_by_age(profile_dir: Path) -> None:
    profile = load_profile(profile_dir)
    profile.settings.options.update({"backup_keep": 3, "backup_max_age_days": 10})
    profile.save_settings()
    service = BackupService.for_profile(load_profile(profile_dir))
    try:
        made = [service.automatic("afsluiten") for _ in range(5)]
        kept = service.backups()
        assert [info.path for info in kept] == [info.path for info in reversed(made[-3:])]
        # Backups older than the age limit go too, even below the count; the newest always stays.
        now = dt.datetime.now(dt.UTC)
        assert service.prune(now + dt.timedelta(days=11)) == [info.path for info in kept[1:]]
        assert [info.path for info in service.backups()] == [kept[0].path]
    finally:
        profile.close()


def test_init_makes_a_first_backup_and_says_to_print_the_recovery_sheet(tmp_path: Path) -> None:
    folder = tmp_path / "nieuw"
    result = run_wegwijs(folder, "init", "--role", "klantmanager", "--municipality", "Testdorp")
    assert result.returncode == 0, result.stderr
    assert "wegwijs keys recovery-sheet" in result.stdout
    (backup,) = (folder / BACKUP_DIR).iterdir()
    assert "inrichting" in backup.name
    assert check_file(backup, store_key(folder)).ok


def restore_record(folder: Path) -> dict:
    connection = connect_with_key(folder / STORE_FILE, store_key(folder))
    try:
        (value,) = connection.execute(
            "SELECT value FROM sync_setting WHERE name = ?", (RESTORE_SETTING,)
        ).fetchone()
    finally:
        connection.close()
    return json.loads(value)


def test_restore_puts_the_backup_back_keeps_the_current_store_and_tells_sync(
    profile_dir: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "zes.bak"
    assert run_wegwijs(profile_dir, "backup", "--out", str(backup)).returncode == 0
    result = run_wegwijs(profile_dir, "demo", "--clients", "2", "--seed", "9")
    assert result.returncode == 0, result.stderr
    assert client_count(profile_dir) == 8

    result = run_wegwijs(profile_dir, "restore", str(backup))
    assert result.returncode == 0, result.stderr
    assert client_count(profile_dir) == 6
    (kept,) = profile_dir.glob(f"{STORE_FILE}.*.voor-herstel")
    assert str(kept) in result.stdout
    assert kept.stat().st_mode & 0o777 == 0o600
    assert client_count(profile_dir, kept) == 8  # nothing of the replaced store is lost
    record = restore_record(profile_dir)
    assert record["backup_file"] == "zes.bak"
    assert dt.datetime.fromisoformat(record["restored_at"]) <= dt.datetime.now(dt.UTC)
    assert record["revisions_in_backup"]
    assert run_wegwijs(profile_dir, "check").returncode == 0


def _refused_unchanged(profile_dir: Path, backup: Path) -> str:
    before = snapshot(profile_dir)
    message = one_dutch_refusal(run_wegwijs(profile_dir, "restore", str(backup)))
    assert snapshot(profile_dir) == before
    assert not list(profile_dir.glob("*.voor-herstel"))
    return message


def test_a_backup_of_another_profile_is_refused(profile_dir: Path, tmp_path: Path) -> None:
    other = make_profile(tmp_path / "ander")
    backup = tmp_path / "ander.bak"
    assert run_wegwijs(other, "backup", "--out", str(backup)).returncode == 0
    assert "past niet bij de sleutel van dit profiel" in _refused_unchanged(profile_dir, backup)


def test_a_damaged_backup_is_refused(profile_dir: Path, tmp_path: Path) -> None:
    backup = tmp_path / "kapot.bak"
    assert run_wegwijs(profile_dir, "backup", "--out", str(backup)).returncode == 0
    flip_bytes_in_the_middle(backup)
    assert "beschadigd" in _refused_unchanged(profile_dir, backup)


def test_a_backup_from_a_newer_version_is_refused(profile_dir: Path, tmp_path: Path) -> None:
    backup = tmp_path / "nieuwer.bak"
    assert run_wegwijs(profile_dir, "backup", "--out", str(backup)).returncode == 0
    connection = connect_with_key(backup, store_key(profile_dir))
    connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.commit()
    connection.close()
    assert "nieuwere versie" in _refused_unchanged(profile_dir, backup)


@pytest.mark.parametrize("kind", ["plain sqlite", "truncated", "symlink", "missing"])
def test_files_that_are_no_backup_are_refused(profile_dir: Path, tmp_path: Path, kind: str) -> None:
    backup = tmp_path / "geen.bak"
    if kind == "plain sqlite":
        sqlite3.connect(backup).execute("CREATE TABLE t (x)").connection.commit()
    elif kind == "truncated":
        assert run_wegwijs(profile_dir, "backup", "--out", str(backup)).returncode == 0
        os.truncate(backup, backup.stat().st_size - 100)
    elif kind == "symlink":
        backup.symlink_to(profile_dir / STORE_FILE)
    _refused_unchanged(profile_dir, backup)


def test_restore_is_refused_while_the_store_is_open_elsewhere(profile_dir: Path, tmp_path: Path) -> None:
    backup = tmp_path / "b.bak"
    assert run_wegwijs(profile_dir, "backup", "--out", str(backup)).returncode == 0
    profile = load_profile(profile_dir)
    profile.store()  # this test process holds it open, as a running GUI would
    try:
        message = one_dutch_refusal(run_wegwijs(profile_dir, "restore", str(backup)))
    finally:
        profile.close()
    assert "nog open" in message
    assert not list(profile_dir.glob("*.voor-herstel"))


def test_closing_the_gui_makes_a_backup_and_closes_the_store(profile_dir: Path) -> None:
    from app.ui.application import close_with_backup

    profile = load_profile(profile_dir)
    profile.store()
    close_with_backup(profile)
    (backup,) = (profile_dir / BACKUP_DIR).iterdir()
    assert "afsluiten" in backup.name
    assert check_file(backup, store_key(profile_dir)).ok
    assert not list(profile_dir.glob(f"{STORE_FILE}.open-*")), "the store was closed"


def test_an_upgrade_is_followed_by_a_backup_of_the_upgraded_store(profile_dir: Path) -> None:
    from alembic import command

    from app.models.store import alembic_config, head_revisions

    profile = load_profile(profile_dir)
    store = profile.store()
    config = alembic_config()
    with store.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
        connection.commit()
        with connection.begin():
            config.attributes["connection"] = connection
            command.downgrade(config, "-1")
    profile.close()
    assert not (profile_dir / BACKUP_DIR).exists()

    profile = load_profile(profile_dir)
    try:
        assert profile.store().upgraded_from is not None
    finally:
        profile.close()
    (backup,) = (profile_dir / BACKUP_DIR).iterdir()
    assert "upgrade" in backup.name
    connection = connect_with_key(backup, store_key(profile_dir))
    revisions = {row[0] for row in connection.execute("SELECT version_num FROM alembic_version")}
    connection.close()
    assert revisions == head_revisions()
