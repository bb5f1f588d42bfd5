"""Issue 14: the copies the app makes beside the store (before an upgrade, before a restore, the vault
before a recovery) expire by age like the backups, so an erased client does not live on in them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.services.maintenance.backup import BackupService
from app.services.profile import Profile

COPIES = (
    "wegwijs.db.voor-0008_target_groups.bak",
    "wegwijs.db.20260101T000000.voor-herstel",
    "wegwijs.db.20260101T000000.voor-herstel-wal",
    "secrets.vault.20260101T000000.voor-herstel",
)


def test_copies_beside_the_store_expire_after_the_backup_age(profile: Profile, tmp_path: Path) -> None:
    folder = profile.data_dir
    for name in COPIES:
        (folder / name).write_bytes(b"an old copy")
    outside = tmp_path / "elders.txt"
    outside.write_bytes(b"not the app's")
    (folder / "link.voor-herstel").symlink_to(outside)  # never followed, never removed
    (folder / "notities.bak").write_bytes(b"the user's own file")
    service = BackupService.for_profile(profile)
    assert service.max_age_days == 30  # the municipal setting's default (backup_max_age_days)

    now = dt.datetime.now(dt.UTC)
    service.backup()  # a backup prunes: nothing is old yet
    assert all((folder / name).exists() for name in COPIES)

    removed = service.prune(now + dt.timedelta(days=31))
    assert sorted(Path(p).name for p in removed if Path(p).parent == folder) == sorted(COPIES)
    assert not any((folder / name).exists() for name in COPIES)
    assert (folder / "link.voor-herstel").is_symlink() and outside.exists()
    assert (folder / "notities.bak").exists() and (folder / "wegwijs.db").exists()
    assert service.backups()  # the newest backup always stays


def test_the_age_is_a_setting(profile: Profile) -> None:
    (profile.data_dir / COPIES[0]).write_bytes(b"an old copy")
    profile.settings.options["backup_max_age_days"] = 365
    service = BackupService.for_profile(profile)
    assert service.expire_copies(dt.datetime.now(dt.UTC) + dt.timedelta(days=31)) == []
    assert service.expire_copies(dt.datetime.now(dt.UTC) + dt.timedelta(days=366)) != []
