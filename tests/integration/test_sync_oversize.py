"""A file over the package size limit is refused by its size, before it is read into memory.

The big files are sparse (made with truncate), so they take no real disk space.
"""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

from sync_helpers import WEBDAV_PASSWORD, WEBDAV_USER, Pair, WebDavServer, add_client

from app.services.sync import ImportSummary, PushService, SupervisorImportService
from app.sync.envelope import MAX_PACKAGE_FILE

# Reading the file would allocate over MAX_PACKAGE_FILE; everything else stays far below this.
PEAK_LIMIT = 64 * 1024 * 1024


def _sparse(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.truncate(MAX_PACKAGE_FILE + 1)
    return path


def _import_measured(pair: Pair, paths: list[str | Path]) -> tuple[ImportSummary, int]:
    tracemalloc.start()
    try:
        summary = SupervisorImportService.for_profile(pair.supervisor).import_paths(paths)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return summary, peak


def _check(summary: ImportSummary, peak: int) -> None:
    outcomes = {o.name: o for o in summary.outcomes}
    big = outcomes.pop("groot.wgw")
    assert (big.status, big.reason) == ("refused", "oversize")
    assert big.quarantined and Path(big.quarantined + ".reden.txt").is_file()
    assert [o.status for o in outcomes.values()] == ["imported"]  # the import went on
    assert peak < PEAK_LIMIT


def test_loose_files(pair: Pair) -> None:
    add_client(pair.device, "1234567890", "Haddad")
    PushService.for_profile(pair.device).push(str(pair.target))
    folder = pair.folder / "stick"
    folder.mkdir()
    for package in (pair.target / "inbox").iterdir():
        package.rename(folder / package.name)
    _sparse(folder / "groot.wgw")
    summary, peak = _import_measured(pair, [folder])
    _check(summary, peak)
    assert not (folder / "groot.wgw").exists()  # moved to quarantine (a rename: still sparse)


def test_target_folder(pair: Pair) -> None:
    add_client(pair.device, "1234567890", "Haddad")
    PushService.for_profile(pair.device).push(str(pair.target))
    _sparse(pair.target / "inbox" / "groot.wgw")
    summary, peak = _import_measured(pair, [pair.target])
    _check(summary, peak)
    assert [p.name for p in (pair.target / "inbox").iterdir()] == []


def test_webdav(pair: Pair, tmp_path: Path) -> None:
    add_client(pair.device, "1234567890", "Haddad")
    root = tmp_path / "webdav-root"
    server = WebDavServer(root).start()
    try:
        url = server.url.replace("http://", f"http://{WEBDAV_USER}:{WEBDAV_PASSWORD}@")
        assert PushService.for_profile(pair.device).push(url).ok
        _sparse(root / "inbox" / "groot.wgw")
        summary, peak = _import_measured(pair, [url])
        _check(summary, peak)
        assert sorted(os.listdir(root / "inbox")) == []
    finally:
        server.stop()
