"""`wegwijs check` and the check after an unclean shutdown (issue 14): 16 flipped bytes in the middle
of a real store are found, and a damaged store is refused with the last good backup named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from maintenance_helpers import flip_bytes_in_the_middle, kill_while_open, open_markers
from store_helpers import copy_profile, load_profile, make_profile, one_dutch_refusal, run_wegwijs

from app.models.store import STORE_FILE
from app.services.maintenance.backup import BackupService


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = make_profile(tmp_path_factory.mktemp("integrity") / "profiel")
    result = run_wegwijs(folder, "demo", "--clients", "30", "--seed", "5")
    assert result.returncode == 0, result.stderr
    profile = load_profile(folder)
    try:
        BackupService.for_profile(profile).backup()  # a good backup to be named
    finally:
        profile.close()
    return folder


@pytest.fixture
def profile_dir(template: Path, tmp_path: Path) -> Path:
    return copy_profile(template, tmp_path / "profiel")


def backup_path(folder: Path) -> Path:
    (path,) = (folder / "backups").iterdir()
    return path


def test_a_good_store_passes_every_check(profile_dir: Path) -> None:
    result = run_wegwijs(profile_dir, "check", "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["in_orde"] is True
    assert document["sqlcipher"] == document["sqlite"] == document["verwijzingen"] == []


def test_sixteen_flipped_bytes_in_the_middle_are_found(profile_dir: Path) -> None:
    store = profile_dir / STORE_FILE
    assert store.stat().st_size > 20 * 4096  # a real store of many pages, not a toy
    flip_bytes_in_the_middle(store, 16)
    result = run_wegwijs(profile_dir, "check", "--json")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    document = json.loads(result.stdout)
    assert document["in_orde"] is False
    assert any("HMAC" in problem for problem in document["sqlcipher"]), document
    assert document["laatste_goede_reservekopie"] == str(backup_path(profile_dir))
    message = result.stderr.strip()
    assert "beschadigd" in message
    assert f"wegwijs restore {backup_path(profile_dir)}" in message


def test_a_damaged_store_after_an_unclean_shutdown_is_refused_naming_the_last_good_backup(
    profile_dir: Path,
) -> None:
    kill_while_open(profile_dir)
    assert open_markers(profile_dir), "the killed process left its marker"
    flip_bytes_in_the_middle(profile_dir / STORE_FILE, 16)
    message = one_dutch_refusal(run_wegwijs(profile_dir, "list"))
    assert "beschadigd" in message
    assert str(backup_path(profile_dir)) in message
    assert open_markers(profile_dir), "the next start must check again"


def test_a_good_store_after_an_unclean_shutdown_is_checked_and_opens(profile_dir: Path) -> None:
    kill_while_open(profile_dir)
    assert open_markers(profile_dir)
    result = run_wegwijs(profile_dir, "list")
    assert result.returncode == 0, result.stderr
    assert "30 cliënten." in result.stdout
    assert open_markers(profile_dir) == []


def test_a_clean_close_leaves_no_marker_and_an_open_store_has_one(profile_dir: Path) -> None:
    profile = load_profile(profile_dir)
    store = profile.store()
    assert store.unclean_markers == []
    (marker,) = open_markers(profile_dir)
    assert marker.stat().st_mode & 0o777 == 0o600
    profile.close()
    assert open_markers(profile_dir) == []
    # A damaged store is not checked at every start (that is `check`'s work), only after a crash.
    flip_bytes_in_the_middle(profile_dir / STORE_FILE, 16)
    profile = load_profile(profile_dir)
    try:
        assert profile.store().unclean_markers == []
    finally:
        profile.close()
