"""Where a printed PIP goes: a new, private file each time, complete or not at all (issue 19).

- Every print writes a new file: `PIP_<v-nummer>_v<versie>_<taal>_<datum>.pdf`, and when that name
  is taken ` (2)`, ` (3)`, …; an earlier print is never overwritten.
- Private: the file is 0600; a folder made here is 0700.
- Atomic: each PDF is rendered (and signed) as a hidden temporary file inside the target folder and
  only then given its name, without replacing anything (a hard link, which fails when the name
  exists). A set ("alle acht talen") is published only when every language is done: a cancelled or
  failed set leaves nothing behind, so it never mixes with the files of an earlier print.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import stat
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

FILE_MODE = 0o600
FOLDER_MODE = 0o700
MAX_COPIES = 10_000


def base_name(v_nummer: str, version: int, language: str, day: dt.date) -> str:
    return f"PIP_{v_nummer}_v{version}_{language}_{day.isoformat()}"


PDF_FOLDER_OPTION = "pdf_folder"  # profile option; default: the "afdrukken" folder in the profile


def pdf_folder_of(data_dir: Path, options: Mapping[str, Any]) -> Path:
    """Where the app prints PIPs: the municipal option, else `afdrukken` in the profile."""
    configured = options.get(PDF_FOLDER_OPTION)
    return Path(configured) if isinstance(configured, str) and configured else data_dir / "afdrukken"


def printed_pips(folder: Path, v_nummer: str) -> list[Path]:
    """The PIPs printed into `folder` for one client (named after the V-nummer, see base_name);
    regular files only, no symlink followed."""
    if not v_nummer.isdigit() or not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f"PIP_{v_nummer}_v*.pdf"):
        with contextlib.suppress(OSError):
            if stat.S_ISREG(path.lstat().st_mode):
                found.append(path)
    return sorted(found)


def candidates(folder: Path, base: str) -> Iterator[Path]:
    yield folder / f"{base}.pdf"
    for number in range(2, MAX_COPIES):
        yield folder / f"{base} ({number}).pdf"


def make_folder(folder: Path) -> None:
    """Make `folder` (and missing parents) private; an existing folder is left as the user set it."""
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        current = current.parent
    folder.mkdir(parents=True, exist_ok=True)
    for made in missing:
        os.chmod(made, FOLDER_MODE)


def temporary_pdf(folder: Path) -> Path:
    """A new, empty, private temporary file inside `folder` (same file system: the rename is atomic)."""
    handle, name = tempfile.mkstemp(dir=folder, prefix=".wegwijs-", suffix=".pdf.tmp")
    os.close(handle)
    os.chmod(name, FILE_MODE)
    return Path(name)


def publish(temporary: Path, folder: Path, base: str) -> Path:
    """Give the finished temporary file the first free name; never replaces an existing file."""
    os.chmod(temporary, FILE_MODE)
    for candidate in candidates(folder, base):
        try:
            os.link(temporary, candidate)
        except FileExistsError:
            continue
        except OSError:
            # A file system without hard links (some network shares): check, then rename.
            if candidate.exists():
                continue
            os.replace(temporary, candidate)
            return candidate
        temporary.unlink(missing_ok=True)
        return candidate
    raise FileExistsError(folder / f"{base}.pdf")


@contextmanager
def staged(folder: Path) -> Iterator[list[Path]]:
    """Temporary files made during the block are removed afterwards, whatever happens."""
    made: list[Path] = []
    try:
        yield made
    finally:
        for path in made:
            path.unlink(missing_ok=True)
