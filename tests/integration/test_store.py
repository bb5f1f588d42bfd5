"""The encrypted store refuses what it cannot use, in one Dutch sentence, and leaves the file untouched.

Every refusal is checked through the real command line (`wegwijs --data-dir D list`) in a child
process with no usable keyring and the passphrase in WEGWIJS_PASSPHRASE, like a support session.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import sqlite3
import stat
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy.exc import IntegrityError
from store_helpers import (
    UNPRIVILEGED_UID,
    can_drop_privileges,
    connect_with_key,
    copy_profile,
    finish,
    load_profile,
    make_profile,
    one_dutch_refusal,
    run_side_by_side,
    run_wegwijs,
    sha256,
    snapshot,
    start_wegwijs,
    store_key,
)

from app.domain.errors import WegwijsError
from app.models.client import Case, Client
from app.models.store import PAGE_SIZE, SQLITE_MAGIC, STORE_FILE, Store, StoreError
from app.services.profile import STORE_KEY_NAME

FAMILY_NAME = "Vertrouwelijk-Achternaam"
V_NUMMER = "1029384756"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = make_profile(tmp_path_factory.mktemp("store") / "profiel")
    profile = load_profile(folder)
    with profile.store().session(actor="test") as session:
        client = Client(v_nummer=V_NUMMER, family_name=FAMILY_NAME, given_names="Rania", birth_date="1990-05")
        session.add_all([client, Case(client=client, municipality="Testdorp")])
    profile.close()
    assert sorted(p.name for p in folder.iterdir()) == ["profile.json", "secrets.vault", STORE_FILE]
    return folder


@pytest.fixture
def profile_dir(template: Path, tmp_path: Path) -> Path:
    return copy_profile(template, tmp_path / "profiel")


def refused_unchanged(profile_dir: Path, *args: str, passphrase: str | None = None) -> str:
    """Run `list` (or `args`), expect one Dutch refusal and every file of the profile unchanged."""
    before = snapshot(profile_dir)
    store_hash = sha256(profile_dir / STORE_FILE) if (profile_dir / STORE_FILE).exists() else None
    kwargs = {} if passphrase is None else {"passphrase": passphrase}
    result = run_wegwijs(profile_dir, *(args or ("list",)), **kwargs)
    message = one_dutch_refusal(result)
    if store_hash is not None:
        assert sha256(profile_dir / STORE_FILE) == store_hash, "the store file was changed"
    assert snapshot(profile_dir) == before, "a refused command must not change any file of the profile"
    return message


def test_the_good_profile_opens(profile_dir: Path) -> None:
    # Without this the refusals below could pass for a profile that never worked.
    result = run_wegwijs(profile_dir, "list")
    assert result.returncode == 0, result.stderr
    assert V_NUMMER in result.stdout
    assert FAMILY_NAME in result.stdout


def test_wrong_passphrase(profile_dir: Path) -> None:
    message = refused_unchanged(profile_dir, passphrase="dit is niet het wachtwoord")
    assert "wachtwoord is onjuist" in message


def test_no_passphrase_and_no_terminal(profile_dir: Path) -> None:
    before = snapshot(profile_dir)
    message = one_dutch_refusal(run_wegwijs(profile_dir, "list", passphrase=None))
    assert "WEGWIJS_PASSPHRASE" in message
    assert snapshot(profile_dir) == before


def test_wrong_key_is_told_apart_from_a_damaged_file(profile_dir: Path) -> None:
    profile = load_profile(profile_dir)
    path = profile.store_path
    before = sha256(path)
    with pytest.raises(StoreError, match="sleutel past niet bij deze database"):
        Store.open(path, os.urandom(32), profile.settings.key_check)
    # Without the key check there is no telling a wrong key from a damaged file.
    with pytest.raises(StoreError, match="geen leesbare Wegwijs-database"):
        Store.open(path, os.urandom(32))
    assert sha256(path) == before
    assert sorted(p.name for p in profile_dir.iterdir()) == ["profile.json", "secrets.vault", STORE_FILE]
    # The right key still opens it afterwards.
    store = Store.open(path, store_key(profile_dir), profile.settings.key_check)
    store.close()


def test_wrong_key_in_the_vault(profile_dir: Path) -> None:
    load_profile(profile_dir).secrets.set(STORE_KEY_NAME, os.urandom(32))
    message = refused_unchanged(profile_dir)
    assert "sleutel past niet" in message


def test_deleted_key(profile_dir: Path) -> None:
    secrets = load_profile(profile_dir).secrets
    secrets.delete(STORE_KEY_NAME)
    assert secrets.get(STORE_KEY_NAME) is None
    message = refused_unchanged(profile_dir)
    assert "sleutel" in message and "ontbreekt" in message


def _vault_with(template: Path, **changes: object) -> str:
    vault = json.loads((template / "secrets.vault").read_text(encoding="utf-8"))
    for name, value in changes.items():
        if value is None:
            del vault[name]
        else:
            vault[name] = value
    return json.dumps(vault)


def test_damaged_vault_or_settings(template: Path, tmp_path: Path) -> None:
    damages = {
        "vault not JSON": ("secrets.vault", "nonsense"),
        "vault a list": ("secrets.vault", "[1, 2]"),
        "vault without salt": ("secrets.vault", _vault_with(template, salt=None)),
        "vault with a short salt": ("secrets.vault", _vault_with(template, salt="AAAA")),
        "entry not base64": ("secrets.vault", _vault_with(template, entries={"store-key": "!!x"})),
        "entry cut short": ("secrets.vault", _vault_with(template, entries={"store-key": "AAAA"})),
        "entries a list": ("secrets.vault", _vault_with(template, entries=["AAAA"])),
        "settings not JSON": ("profile.json", "{"),
        "settings incomplete": ("profile.json", '{"format": 1}'),
    }
    through_cli = {"vault without salt", "settings not JSON"}
    folders = {}
    for number, (name, (file_name, content)) in enumerate(damages.items()):
        folder = copy_profile(template, tmp_path / f"profiel-{number}")
        (folder / file_name).write_text(content, encoding="utf-8")
        before = snapshot(folder)
        if name in through_cli:
            folders[name] = (folder, before)
            continue
        # The same path as the CLI takes, in this process (a CLI start costs a second).
        with pytest.raises(WegwijsError, match="is beschadigd; zet een reservekopie terug"):
            load_profile(folder).store()
        assert snapshot(folder) == before, name
    results = run_side_by_side(*((folder, ["list"]) for folder, _ in folders.values()))
    for (name, (folder, before)), result in zip(folders.items(), results, strict=True):
        message = one_dutch_refusal(result)
        assert "is beschadigd; zet een reservekopie terug" in message, (name, message)
        assert snapshot(folder) == before, name


CUTS: dict[str, Callable[[int], int]] = {
    "mid-page": lambda size: size - 1000,
    "page boundary": lambda size: (size // 2) // PAGE_SIZE * PAGE_SIZE,
    "first page only": lambda size: PAGE_SIZE,
    "empty": lambda size: 0,
}


@pytest.mark.parametrize("cut", CUTS, ids=list(CUTS))
def test_truncated_file(profile_dir: Path, cut: str) -> None:
    path = profile_dir / STORE_FILE
    size = path.stat().st_size
    assert size % PAGE_SIZE == 0 and size >= 4 * PAGE_SIZE
    new_size = CUTS[cut](size)
    with path.open("r+b") as handle:
        handle.truncate(new_size)
    assert path.stat().st_size == new_size
    message = refused_unchanged(profile_dir)
    assert "beschadigd" in message and "reservekopie" in message


def test_plain_sqlite_file(profile_dir: Path) -> None:
    path = profile_dir / STORE_FILE
    path.unlink()
    with sqlite3.connect(path) as plain:
        plain.execute("CREATE TABLE client (id TEXT PRIMARY KEY, v_nummer TEXT)")
        plain.execute("INSERT INTO client VALUES ('x', '1234567890')")
    plain.close()
    message = refused_unchanged(profile_dir)
    assert "onversleutelde SQLite-database" in message


def test_random_bytes(profile_dir: Path) -> None:
    (profile_dir / STORE_FILE).write_bytes(os.urandom(3 * PAGE_SIZE))
    message = refused_unchanged(profile_dir)
    assert "geen leesbare Wegwijs-database" in message


def test_missing_store_file_is_not_silently_recreated(profile_dir: Path) -> None:
    (profile_dir / STORE_FILE).unlink()
    message = refused_unchanged(profile_dir)
    assert "geen Wegwijs-database" in message and "reservekopie" in message
    assert "wegwijs init" not in message, "init refuses a folder that has a profile: do not advise it"
    assert not (profile_dir / STORE_FILE).exists()


@pytest.fixture
def holder(profile_dir: Path) -> Iterator[Callable[[bool], sqlcipher.Connection]]:
    """Another program with the right key holding a write lock on the store."""
    connections: list[sqlcipher.Connection] = []

    def hold(exclusive_locking: bool) -> sqlcipher.Connection:
        connection = connect_with_key(profile_dir / STORE_FILE, store_key(profile_dir), isolation_level=None)
        if exclusive_locking:
            # In WAL mode only this keeps readers out too.
            connection.execute("PRAGMA locking_mode = EXCLUSIVE")
        connection.execute("BEGIN EXCLUSIVE")
        connection.execute("UPDATE client SET given_names = given_names || ''")
        connections.append(connection)
        return connection

    yield hold
    for connection in connections:
        connection.execute("ROLLBACK")
        connection.close()


def test_locked_file_is_refused_as_in_use(profile_dir: Path, holder: Callable[[bool], object]) -> None:
    before = sha256(profile_dir / STORE_FILE)
    holder(True)
    result = run_wegwijs(profile_dir, "list")
    message = one_dutch_refusal(result)
    assert "in gebruik" in message
    assert sha256(profile_dir / STORE_FILE) == before


def test_writing_while_another_program_writes(profile_dir: Path, holder: Callable[[bool], object]) -> None:
    """WAL lets a reader through while another program writes; a writer is refused, not crashed."""
    coa = profile_dir.parent / "lijst.csv"
    coa.write_text("v_nummer;achternaam;voornamen;geboortedatum\n5550001112;Haile;Tesfay;1988\n")
    before = sha256(profile_dir / STORE_FILE)
    holder(False)
    # Both wait for the busy timeout; run them side by side.
    writers = [
        start_wegwijs(profile_dir, "import-coa", str(coa)),
        start_wegwijs(profile_dir, "demo", "--clients", "1"),
    ]
    reader = run_wegwijs(profile_dir, "list")
    assert reader.returncode == 0, reader.stderr
    assert V_NUMMER in reader.stdout
    for writer in writers:
        result = finish(writer)
        message = one_dutch_refusal(result)
        assert "in gebruik" in message
    assert sha256(profile_dir / STORE_FILE) == before


def _read_only_copy(profile_dir: Path, folder_writable: bool) -> Path:
    # pytest's tmp_path lies under a 0700 folder of root's; the unprivileged user needs a way in.
    parent = Path(tempfile.mkdtemp(prefix="wegwijs-alleen-lezen-"))
    parent.chmod(0o755)
    copy = Path(shutil.copytree(profile_dir, parent / "profiel"))
    for path in copy.iterdir():
        path.chmod(0o444)
    copy.chmod(0o777 if folder_writable else 0o555)
    return copy


@pytest.mark.parametrize(
    ("folder_writable", "expected"),
    [(False, "De map"), (True, "Het databasebestand")],
    ids=["read-only folder", "read-only file"],
)
def test_read_only(profile_dir: Path, folder_writable: bool, expected: str) -> None:
    if not can_drop_privileges():
        pytest.skip("needs root and setpriv: as root, permission bits do not stop a write")
    copy = _read_only_copy(profile_dir, folder_writable)
    try:
        before = snapshot(copy)
        result = run_wegwijs(copy, "list", as_user=UNPRIVILEGED_UID)
        message = one_dutch_refusal(result)
        assert "alleen-lezen" in message
        assert message.startswith(expected), message
        assert snapshot(copy) == before
    finally:
        copy.chmod(0o755)
        shutil.rmtree(copy.parent)


def test_read_only_check_is_real(profile_dir: Path) -> None:
    """The unprivileged user can open the same profile when it may write: the refusal above is real."""
    if not can_drop_privileges():
        pytest.skip("needs root and setpriv to run as an unprivileged user")
    copy = _read_only_copy(profile_dir, folder_writable=True)
    try:
        for path in copy.iterdir():
            os.chown(path, UNPRIVILEGED_UID, UNPRIVILEGED_UID)
            path.chmod(stat.S_IRUSR | stat.S_IWUSR)
        result = run_wegwijs(copy, "list", as_user=UNPRIVILEGED_UID)
        assert result.returncode == 0, result.stderr
        assert V_NUMMER in result.stdout
    finally:
        copy.chmod(0o755)
        shutil.rmtree(copy.parent)


def test_store_is_encrypted_and_the_key_is_not_on_disk(profile_dir: Path) -> None:
    path = profile_dir / STORE_FILE
    content = path.read_bytes()
    assert content[:16] != SQLITE_MAGIC
    assert FAMILY_NAME.encode() not in content
    assert V_NUMMER.encode() not in content
    with pytest.raises(sqlite3.DatabaseError):
        plain = sqlite3.connect(path)
        try:
            plain.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            plain.close()
    key = store_key(profile_dir)
    for name, data in snapshot(profile_dir).items():
        for form in (key, key.hex().encode(), key.hex().upper().encode(), base64.b64encode(key)):
            assert form not in data, f"the store key lies in plain form in {name}"


def test_wal_mode_and_foreign_keys(profile_dir: Path) -> None:
    profile = load_profile(profile_dir)
    store = profile.store()
    try:
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        with pytest.raises(IntegrityError), store.session() as session:
            session.add(Case(client_id=uuid.uuid4(), municipality="Testdorp"))
        assert store.integrity_ok()
    finally:
        profile.close()
