"""Private by default: the profile folder 0700, every file in it 0600, temporary files inside it.

The command line and the GUI also set the process umask to 077 (app/cli.py), so files that libraries
create (SQLite's -wal and -shm, ReportLab's PDFs) are private from the start; the helpers here make
the folders explicitly and bring a profile made by an older version into line.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

PRIVATE_UMASK = 0o077
DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Make (or tighten) a folder only its owner can enter; a symlink in its place is refused."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise NotADirectoryError(str(path))
    if stat.S_IMODE(info.st_mode) != DIR_MODE and _own(info):
        os.chmod(path, DIR_MODE)
    return path


def _own(info: os.stat_result) -> bool:
    """Only the owner can change a mode; a folder someone else shares with us is left as it is."""
    return os.name == "nt" or info.st_uid == os.geteuid()


def create_private_file(path: Path) -> int:
    """A new, empty file that only its owner can read, never through a symlink; returns the fd."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    return os.open(path, flags, FILE_MODE)


def tighten(data_dir: Path) -> None:
    """Profiles from before: folders 0700 and files 0600, without following a symlink anywhere."""
    if os.name == "nt":
        return  # Windows keeps the profile private through the ACL of the user's own folder.
    try:
        if stat.S_IMODE(data_dir.lstat().st_mode) == DIR_MODE:
            return  # made (or already tightened) by this version: the umask keeps it so; no walk
        private_dir(data_dir)
    except OSError:
        pass
    for root, dirs, files in os.walk(data_dir, followlinks=False):
        for name in dirs + files:
            path = Path(root) / name
            with contextlib.suppress(OSError):
                info = path.lstat()
                if stat.S_ISLNK(info.st_mode) or not _own(info):
                    continue
                wanted = DIR_MODE if stat.S_ISDIR(info.st_mode) else FILE_MODE
                if stat.S_IMODE(info.st_mode) & ~wanted:
                    os.chmod(path, wanted)  # lstat above: never a symlink


def use_private_temp(data_dir: Path) -> Path:
    """Temporary files of this process (Python's tempfile, so the libraries that use it) go into the
    private profile folder itself, never into a shared /tmp; SQLite keeps its own in memory
    (app/models/store.py) and would otherwise use SQLITE_TMPDIR."""
    tempfile.tempdir = str(data_dir)
    os.environ["SQLITE_TMPDIR"] = str(data_dir)
    return data_dir
