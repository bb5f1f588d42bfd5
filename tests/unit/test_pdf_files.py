"""New, private, atomic PDF files (app/services/pdf_files.py, issue 19)."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest

from app.services import pdf_files


def test_publish_never_replaces_an_existing_file(tmp_path: Path) -> None:
    base = pdf_files.base_name("1234567890", 2, "ar", dt.date(2026, 12, 1))
    assert base == "PIP_1234567890_v2_ar_2026-12-01"
    earlier = tmp_path / f"{base}.pdf"
    earlier.write_bytes(b"eerdere afdruk")
    made = []
    for content in (b"tweede", b"derde"):
        temporary = pdf_files.temporary_pdf(tmp_path)
        assert temporary.name.startswith(".") and stat.S_IMODE(temporary.stat().st_mode) == 0o600
        temporary.write_bytes(content)
        made.append(pdf_files.publish(temporary, tmp_path, base))
        assert not temporary.exists()
    assert [p.name for p in made] == [f"{base} (2).pdf", f"{base} (3).pdf"]
    assert earlier.read_bytes() == b"eerdere afdruk"
    assert [p.read_bytes() for p in made] == [b"tweede", b"derde"]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in made)


def test_make_folder_makes_only_new_folders_private(tmp_path: Path) -> None:
    existing = tmp_path / "gedeeld"
    existing.mkdir()
    os.chmod(existing, 0o755)
    pdf_files.make_folder(existing / "a" / "b")
    assert stat.S_IMODE(existing.stat().st_mode) == 0o755
    assert stat.S_IMODE((existing / "a").stat().st_mode) == 0o700
    assert stat.S_IMODE((existing / "a" / "b").stat().st_mode) == 0o700


def test_staged_files_are_removed_on_failure(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), pdf_files.staged(tmp_path) as temporaries:
        temporaries.append(pdf_files.temporary_pdf(tmp_path))
        temporaries[-1].write_bytes(b"half")
        raise RuntimeError("schijf vol")
    assert list(tmp_path.iterdir()) == []
