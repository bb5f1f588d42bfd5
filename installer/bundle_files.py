"""The data files the bundle carries: everything the app reads from `resources/` and `app/`.

Shared by the PyInstaller spec (what goes in) and tests/bundle (what must be there), so that a file
added to `resources/` or an Alembic revision added to `app/models/migrations/` is bundled without
anyone editing the spec.
"""

from __future__ import annotations

from pathlib import Path

# Files in the source tree that the app never reads at run time.
_SKIP_SUFFIXES = {".pyc", ".pyo", ".po~", ".mo"}  # .mo files are compiled into the bundle afterwards
_SKIP_NAMES = {"__pycache__", ".DS_Store"}


def _wanted(path: Path) -> bool:
    return path.is_file() and path.suffix not in _SKIP_SUFFIXES and not (_SKIP_NAMES & set(path.parts))


def data_files(repo: Path) -> list[Path]:
    """Paths (relative to the repository) of the data files, in a stable order."""
    found: list[Path] = []
    # All of resources/: catalogs, fonts, the language list, the form definitions, demo names.
    found += [p for p in (repo / "resources").rglob("*") if _wanted(p)]
    # From app/: the package data setuptools ships (json, ini, mako, toml) ...
    found += [
        p for p in (repo / "app").rglob("*") if _wanted(p) and p.suffix in {".json", ".ini", ".mako", ".toml"}
    ]
    # ... and the Alembic scripts, which Alembic reads as files, not as imported modules.
    found += [p for p in (repo / "app" / "models" / "migrations").rglob("*.py") if _wanted(p)]
    return sorted({p.relative_to(repo) for p in found})


def bundle_datas(repo: Path) -> list[tuple[str, str]]:
    """(source file, destination folder) pairs for PyInstaller's Analysis(datas=...)."""
    return [(str(repo / rel), str(rel.parent)) for rel in data_files(repo)]


def default_bundle(repo: Path) -> Path:
    """Where installer/build-linux.sh puts the bundle (build/ is ignored by git)."""
    return repo / "build" / "installer" / "dist" / "wegwijs"


def bundle_internal(bundle: Path) -> Path:
    """PyInstaller >= 6 keeps everything but the programs in _internal/ (sys._MEIPASS)."""
    return bundle / "_internal"
