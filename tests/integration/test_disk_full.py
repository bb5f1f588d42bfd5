"""A full disk during a save (issue 14): "de schijf is vol", one Dutch sentence, nothing lost, no
traceback, and never the advice to restore a backup. Run on a small tmpfs mounted for the test."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from maintenance_helpers import client_count
from store_helpers import copy_profile, make_profile, one_dutch_refusal, run_wegwijs, store_key

from app.models.store import STORE_FILE
from app.services.maintenance.integrity import check_file

TMPFS_SIZE = "4m"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "klein"
    mount_point.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root and mount(8)")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={TMPFS_SIZE},mode=0700", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"this machine does not allow mounting a tmpfs: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(folder: Path) -> Path:
    """Write a filler file until the file system says ENOSPC."""
    filler = folder / "vulling"
    with filler.open("wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError as error:
            assert error.errno == errno.ENOSPC
    return filler


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = make_profile(tmp_path_factory.mktemp("vol") / "profiel")
    assert run_wegwijs(folder, "demo", "--clients", "3", "--seed", "1").returncode == 0
    return folder


def test_a_save_on_a_full_disk_says_so_and_loses_nothing(template: Path, small_disk: Path) -> None:
    folder = copy_profile(template, small_disk / "profiel")
    assert run_wegwijs(folder, "list").returncode == 0  # -wal and -shm exist now
    filler = fill(small_disk)

    message = one_dutch_refusal(run_wegwijs(folder, "demo", "--clients", "40", "--seed", "2"))
    assert message.startswith("De schijf is vol"), message
    assert "reservekopie" not in message and "beschadigd" not in message

    # Reading still works or says the same; it never calls the store damaged.
    listing = run_wegwijs(folder, "list")
    assert listing.returncode == 0 or one_dutch_refusal(listing).startswith("De schijf is vol")

    filler.unlink()
    assert client_count(folder) == 3  # the failed save left nothing half written
    assert check_file(folder / STORE_FILE, store_key(folder)).ok
    again = run_wegwijs(folder, "demo", "--clients", "2", "--seed", "3")
    assert again.returncode == 0, again.stderr
    assert client_count(folder) == 5


def test_a_backup_on_a_full_disk_says_so_and_leaves_no_half_file(template: Path, small_disk: Path) -> None:
    folder = copy_profile(template, small_disk / "profiel")
    assert run_wegwijs(folder, "list").returncode == 0
    filler = fill(small_disk)
    message = one_dutch_refusal(run_wegwijs(folder, "backup"))
    assert message.startswith("De schijf is vol"), message
    backups = folder / "backups"
    assert not backups.exists() or list(backups.iterdir()) == []
    filler.unlink()
    assert check_file(folder / STORE_FILE, store_key(folder)).ok
