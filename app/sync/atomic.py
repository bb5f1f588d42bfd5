"""Write files so that no reader ever sees half of one: temporary name, fsync, rename."""

from __future__ import annotations

import contextlib
import os
import secrets
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
