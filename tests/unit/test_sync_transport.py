"""The folder transport: atomic writes, listings without temporary files, names that cannot escape."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from app.sync.errors import TransportError
from app.sync.transport import INBOX, RECEIPTS, FolderTransport, make_transport


def test_folder_round_trip_and_listing(tmp_path: Path) -> None:
    transport = FolderTransport(tmp_path)
    assert transport.probe()
    transport.prepare()
    transport.write(INBOX, "a.wgw", b"abc")
    transport.write(RECEIPTS, "a.receipt", b"r")
    (tmp_path / INBOX / ".b.wgw.1234.part").write_bytes(b"half")  # an upload in progress
    assert transport.list(INBOX) == {"a.wgw": 3}
    assert transport.read(INBOX, "a.wgw") == b"abc"
    transport.delete(INBOX, "a.wgw")
    transport.delete(INBOX, "a.wgw")
    assert transport.list(INBOX) == {}


@pytest.mark.parametrize("name", ["../ontsnapt.wgw", "a/b.wgw", "..", "", "a\\b"])
def test_names_cannot_leave_the_target(tmp_path: Path, name: str) -> None:
    transport = FolderTransport(tmp_path / "doel")
    (tmp_path / "doel").mkdir()
    with pytest.raises(TransportError):
        transport.write(INBOX, name, b"x")
    assert not (tmp_path / "ontsnapt.wgw").exists()


def test_missing_folder_is_unreachable_in_dutch(tmp_path: Path) -> None:
    transport = FolderTransport(tmp_path / "stick")
    assert not transport.probe()
    with pytest.raises(TransportError, match="niet bereikbaar"):
        transport.prepare()
    with pytest.raises(TransportError, match="niet bereikbaar"):
        transport.list(INBOX)


def test_make_transport_picks_by_address(tmp_path: Path) -> None:
    assert isinstance(make_transport(str(tmp_path)), FolderTransport)
    webdav = make_transport("https://cloud.example.nl/dav/", "karin", "geheim")
    assert webdav.description == "https://cloud.example.nl/dav/"


def test_prepare_removes_temporary_files_older_than_a_day(tmp_path: Path) -> None:
    transport = FolderTransport(tmp_path)
    transport.prepare()
    old = time.time() - 2 * 24 * 3600
    stale = [tmp_path / INBOX / ".a.wgw.1234abcd.part", tmp_path / RECEIPTS / ".a.receipt.99aa.part"]
    for path in stale:
        path.write_bytes(b"half")
        os.utime(path, (old, old))
    fresh = tmp_path / INBOX / ".b.wgw.5678.part"  # an upload that may still be going on
    fresh.write_bytes(b"half")
    other = tmp_path / INBOX / ".notitie"  # not ours: left alone, however old
    other.write_bytes(b"x")
    os.utime(other, (old, old))
    transport.prepare()
    assert not any(path.exists() for path in stale)
    assert fresh.exists() and other.exists()


def test_write_many_writes_each_whole_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    transport = FolderTransport(tmp_path)
    transport.prepare()
    files = [(f"apparaat-{n:010d}.receipt", bytes([n]) * (n + 1)) for n in range(1, 6)]
    transport.write_many(RECEIPTS, files)
    assert transport.list(RECEIPTS) == {name: len(data) for name, data in files}
    assert sorted(os.listdir(tmp_path / RECEIPTS)) == sorted(name for name, _ in files)
    assert all(transport.read(RECEIPTS, name) == data for name, data in files)


def test_write_many_refuses_a_bad_name_before_writing_any(tmp_path: Path) -> None:
    transport = FolderTransport(tmp_path)
    transport.prepare()
    with pytest.raises(TransportError):
        transport.write_many(RECEIPTS, [("goed.receipt", b"r"), ("../ontsnapt.receipt", b"x")])
    assert os.listdir(tmp_path / RECEIPTS) == []
    assert not (tmp_path / "ontsnapt.receipt").exists()
