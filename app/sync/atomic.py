"""Write files so that no reader ever sees half of one: temporary name, fsync, rename."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Sequence
from pathlib import Path

# Temporary files start with a dot so importers and folder listings skip them.
TEMP_PREFIX = "."
TEMP_SUFFIX = ".part"


def is_temporary_name(name: str) -> bool:
    return name.startswith(TEMP_PREFIX)


def _fsync_dir(folder: Path) -> None:
    # Directories cannot be opened for fsync on Windows; the rename is still atomic there.
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes, durable: bool = True) -> None:
    """`durable=False` skips the fsyncs where losing the file in a power cut is harmless."""
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    temp = folder / f"{TEMP_PREFIX}{path.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
    try:
        with temp.open("xb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    if durable:
        _fsync_dir(folder)


def atomic_write_many(folder: Path, files: Sequence[tuple[str, bytes]], durable: bool = True) -> None:
    """Several files in one folder, each atomically as `atomic_write_bytes` writes one; with
    `durable`, the fsyncs come after all are written (the file system commits them together) and the
    folder is synced once, instead of one round-trip per file."""
    folder.mkdir(parents=True, exist_ok=True)
    base = os.fspath(folder)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    written: list[str] = []
    for name, data in files:
        final = os.path.join(base, name)
        temp = os.path.join(base, f"{TEMP_PREFIX}{name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
        try:
            fd = os.open(temp, flags, 0o666)  # the umask applies, as with open("xb")
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
            finally:
                os.close(fd)
            os.replace(temp, final)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        written.append(final)
    if durable and written:
        for final in written:
            fd = os.open(final, os.O_RDONLY | getattr(os, "O_BINARY", 0))
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(folder)
