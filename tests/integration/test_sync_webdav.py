"""The WebDAV transport against a real wsgidav server on loopback, including one that dies mid-upload."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_helpers import WEBDAV_PASSWORD, WEBDAV_USER, Pair, WebDavServer, add_client

from app.services.sync import PushService, SupervisorImportService, SyncStatusService
from app.sync.errors import TransportError
from app.sync.transport import INBOX, RECEIPTS, WebDavTransport


@pytest.fixture
def server(tmp_path: Path) -> Iterator[WebDavServer]:
    running = WebDavServer(tmp_path / "webdav-root").start()
    yield running
    running.stop()


def test_transport_operations(server: WebDavServer) -> None:
    transport = WebDavTransport(server.url, WEBDAV_USER, WEBDAV_PASSWORD)
    assert transport.probe()
    transport.prepare()
    transport.prepare()  # existing folders are fine
    assert transport.list(INBOX) == {}
    transport.write(INBOX, "a.wgw", b"x" * 1000)
    transport.write(RECEIPTS, "a.receipt", b"signed")
    assert transport.list(INBOX) == {"a.wgw": 1000}
    assert transport.read(INBOX, "a.wgw") == b"x" * 1000
    assert (server.root / "inbox" / "a.wgw").read_bytes() == b"x" * 1000
    # No temporary upload names are left behind.
    assert sorted(p.name for p in (server.root / "inbox").iterdir()) == ["a.wgw"]
    transport.delete(INBOX, "a.wgw")
    transport.delete(INBOX, "a.wgw")  # already gone is fine
    assert transport.list(INBOX) == {}


def test_prepare_removes_temporary_uploads_older_than_a_day(server: WebDavServer) -> None:
    transport = WebDavTransport(server.url, WEBDAV_USER, WEBDAV_PASSWORD)
    transport.prepare()
    old = time.time() - 2 * 24 * 3600
    stale = server.root / INBOX / ".a.wgw.1234abcd.part"  # an upload that broke off long ago
    fresh = server.root / INBOX / ".b.wgw.5678.part"
    for path in (stale, fresh):
        path.write_bytes(b"half")
    os.utime(stale, (old, old))
    transport.prepare()
    assert not stale.exists() and fresh.exists()


def test_wrong_password_is_a_clear_refusal(server: WebDavServer) -> None:
    transport = WebDavTransport(server.url, WEBDAV_USER, "fout")
    assert not transport.probe()
    with pytest.raises(TransportError, match="gebruikersnaam en wachtwoord"):
        transport.prepare()


def test_unreachable_server(tmp_path: Path) -> None:
    transport = WebDavTransport(WebDavServer(tmp_path).url, timeout=2)
    assert not transport.probe()
    with pytest.raises(TransportError, match="niet bereikbaar"):
        transport.list(INBOX)


def test_supervisor_import_from_an_unreachable_server_says_what_to_do(pair: Pair, tmp_path: Path) -> None:
    url = WebDavServer(tmp_path / "nergens").url  # nothing listens on this port
    with pytest.raises(TransportError) as caught:
        SupervisorImportService.for_profile(pair.supervisor).import_paths([url])
    message = str(caught.value)
    assert "niet bereikbaar" in message and "importeer" in message
    assert "wijzigingen blijven bewaard" not in message  # that is the device's sentence


def test_server_dies_mid_upload_and_the_package_is_sent_again(pair: Pair, tmp_path: Path) -> None:
    for index in range(30):
        add_client(pair.device, f"55555555{index:02d}", f"Naam{index}")
    root = tmp_path / "webdav-root"
    dying = WebDavServer(root).start(die_after_bytes=300)
    url = dying.url.replace("http://", f"http://{WEBDAV_USER}:{WEBDAV_PASSWORD}@")
    try:
        first = PushService.for_profile(pair.device).push(url)
        assert dying.wait_exit() == 3  # it really went away in the middle of the upload
    finally:
        dying.stop()
    assert not first.ok and first.error and "niet bereikbaar" in first.error
    assert first.pending == 1 and first.sent == []
    # Only a temporary upload name may exist: never a half package under its real name.
    assert [p.name for p in (root / "inbox").iterdir() if not p.name.startswith(".")] == []
    again = WebDavServer(root, dying.port).start()
    try:
        second = PushService.for_profile(
            pair.device
        ).push()  # the configured target, password from the secret store
        assert second.ok and len(second.sent) == 1
        # The supervisor imports straight from the WebDAV address (as `wegwijs import URL` does).
        address = again.url.replace("http://", f"http://{WEBDAV_USER}:{WEBDAV_PASSWORD}@")
        summary = SupervisorImportService.for_profile(pair.supervisor).import_paths([address])
        assert [(o.status, o.records) for o in summary.outcomes] == [("imported", 90)]
        third = PushService.for_profile(pair.device).push()
        assert third.delivered == [1] and third.pending == 0
        assert SyncStatusService.for_profile(pair.device).status().target == again.url
    finally:
        again.stop()
