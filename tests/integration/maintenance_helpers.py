"""Helpers for the backup, restore, integrity and recovery tests (no tests here)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from store_helpers import FAIL_KEYRING, PASSPHRASE, connect_with_key, store_key

from app.models.store import STORE_FILE


def client_count(folder: Path, store: Path | None = None) -> int:
    connection = connect_with_key(store or folder / STORE_FILE, store_key(folder))
    try:
        return int(connection.execute("SELECT count(*) FROM client").fetchone()[0])
    finally:
        connection.close()


def flip_bytes_in_the_middle(path: Path, count: int = 16) -> None:
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size // 2)
        original = handle.read(count)
        handle.seek(size // 2)
        handle.write(bytes(byte ^ 0xFF for byte in original))


HOLD_OPEN = """
import sys, time
from pathlib import Path
from app.services.profile import open_profile
profile = open_profile(Path(sys.argv[1]), lambda _new: sys.argv[2])
profile.store()
print("open", flush=True)
time.sleep(120)
"""


def kill_while_open(folder: Path) -> None:
    """A process opens the store and is killed (-9) while it has it open: an unclean shutdown."""
    env = dict(os.environ, PYTHON_KEYRING_BACKEND=FAIL_KEYRING)
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(folder), PASSPHRASE],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.strip() == "open", process.stderr.read() if process.stderr else line
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def open_markers(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{STORE_FILE}.open-*"))
