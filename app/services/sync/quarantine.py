"""The supervisor's quarantine: what an import refused, with a note why; private, bounded, no doubles.

Each refused item becomes `<code>-<name>` (the bytes as they were read, 0600, in a 0700 folder) and
`<code>-<name>.reden.txt` (reason code, the Dutch sentence, the technical detail without personal
data). The code is the start of the SHA-256 of the contents, so the same file refused twice (it came
back, or two devices sent the same bytes) is kept once. What was never read (too large, a link, a
file without read rights, a name the target cannot use) gets the note only, coded by its name, size
and reason. The folder is bounded by age and total size (the municipal options `quarantine_days` and
`quarantine_mb`); after each import the oldest entries go first. Nothing is ever read through a link:
the bytes are those the importer read with O_NOFOLLOW, written here anew.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from app.models.base import utcnow
from app.services.profile import Profile
from app.services.sync.records import quarantine_dir
from app.sync.errors import RefusalReason, reason_message

NOTE_SUFFIX = ".reden.txt"
DAYS_OPTION = "quarantine_days"
MEGABYTES_OPTION = "quarantine_mb"
DEFAULT_DAYS = 30
DEFAULT_MEGABYTES = 200
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_CODE_LENGTH = 16
_NAME_LENGTH = 100


@dataclass(frozen=True)
class QuarantineLimits:
    max_age_seconds: float
    max_bytes: int

    @classmethod
    def of(cls, profile: Profile) -> QuarantineLimits:
        options = profile.settings.options
        days = options.get(DAYS_OPTION, DEFAULT_DAYS)
        megabytes = options.get(MEGABYTES_OPTION, DEFAULT_MEGABYTES)
        days = days if isinstance(days, int) and not isinstance(days, bool) and days > 0 else DEFAULT_DAYS
        if not isinstance(megabytes, int) or isinstance(megabytes, bool) or megabytes <= 0:
            megabytes = DEFAULT_MEGABYTES
        return cls(days * 86400.0, megabytes * 1024 * 1024)


def safe_name(name: str) -> str:
    """A file name that means nothing to any file system: no separators, no dot first, not too long."""
    cleaned = _UNSAFE.sub("_", name).lstrip(".") or "bestand"
    return cleaned[-_NAME_LENGTH:]


def _private_folder(folder: Path) -> None:
    if folder.is_symlink():
        raise OSError(f"{folder.name} is a symbolic link")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name != "nt":
        os.chmod(folder, 0o700)


def _write_private(path: Path, data: bytes) -> None:
    """Atomically, 0600, and never through a link that someone put in the place of the file."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.part")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    with contextlib.suppress(FileNotFoundError):
        temp.unlink()
    fd = os.open(temp, flags, 0o600)
    try:
        with open(fd, "wb", closefd=True) as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


class Quarantine:
    """The quarantine folder of one supervisor profile."""

    def __init__(self, profile: Profile) -> None:
        self.folder = quarantine_dir(profile)
        self.limits = QuarantineLimits.of(profile)

    def keep(
        self, name: str, data: bytes | None, reason: RefusalReason, detail: str, size: int | None = None
    ) -> Path:
        """Keep a refused item (its bytes, or None: the note only); returns the entry's path (the
        note is that path plus NOTE_SUFFIX). The same contents already here are not written again."""
        _private_folder(self.folder)
        kept = data is not None and len(data) <= self.limits.max_bytes
        if data is not None and kept:
            code = hashlib.sha256(data).hexdigest()[:_CODE_LENGTH]
        else:
            shown = size if data is None else len(data)
            code = (
                "n"
                + hashlib.sha256(f"{name}\0{shown}\0{reason.value}".encode()).hexdigest()[: _CODE_LENGTH - 1]
            )
        entry = self.folder / f"{code}-{safe_name(name)}"
        existing = sorted(p for p in self.folder.glob(f"{code}-*") if not p.name.endswith(NOTE_SUFFIX))
        if existing and data is not None and kept:
            entry = existing[0]  # these bytes are here already: one copy
        elif data is not None and kept:
            _write_private(entry, data)
        if not kept and data is not None:
            detail = f"{detail}; not kept: larger than the quarantine limit".lstrip("; ")
        note = (
            f"{reason.value}\n{reason_message(reason)}\n{detail}\n{utcnow().isoformat(timespec='seconds')}\n"
        )
        _write_private(entry.with_name(entry.name + NOTE_SUFFIX), note.encode("utf-8"))
        return entry

    def prune(self, now: float | None = None) -> int:
        """Remove entries past the age limit, then the oldest until the folder fits its size limit;
        returns how many entries went."""
        if not self.folder.is_dir() or self.folder.is_symlink():
            return 0
        now = time.time() if now is None else now
        groups: dict[str, list[tuple[Path, os.stat_result]]] = {}
        with os.scandir(self.folder) as entries:
            for entry in entries:
                with contextlib.suppress(FileNotFoundError):
                    status = entry.stat(follow_symlinks=False)
                    if stat.S_ISDIR(status.st_mode):
                        continue
                    key = entry.name.removesuffix(NOTE_SUFFIX)
                    groups.setdefault(key, []).append((Path(entry.path), status))
        # Oldest first, by the newest file of each entry (a note is rewritten when the item comes back).
        ordered = sorted(groups.values(), key=lambda files: max(s.st_mtime for _p, s in files))
        total = sum(s.st_size for files in ordered for _p, s in files)
        removed = 0
        for files in ordered:
            newest = max(s.st_mtime for _p, s in files)
            if now - newest <= self.limits.max_age_seconds and total <= self.limits.max_bytes:
                break
            for path, status in files:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                total -= status.st_size
            removed += 1
        return removed
