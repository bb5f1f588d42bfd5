"""The first-run wizard's "Doel testen" (issue 16) through SyncTargetService.test: a real wsgidav server
on loopback and a real folder; a test saves nothing, a wrong password or a missing folder is one Dutch
sentence."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_helpers import WEBDAV_PASSWORD, WEBDAV_USER, WebDavServer

from app.services.profile import Profile
from app.services.sync import SyncTargetService, TransportError
from app.services.sync.target import ParsedTarget


@pytest.fixture
def server(tmp_path: Path) -> Iterator[WebDavServer]:
    running = WebDavServer(tmp_path / "webdav-root").start()
    yield running
    running.stop()


def test_a_webdav_target_is_tested_before_it_is_kept(profile: Profile, server: WebDavServer) -> None:
    service = SyncTargetService.for_profile(profile)
    with pytest.raises(TransportError, match="gebruikersnaam en wachtwoord"):
        service.test(ParsedTarget(server.url, WEBDAV_USER, "fout"))
    described = service.test(ParsedTarget(server.url, WEBDAV_USER, WEBDAV_PASSWORD))
    assert described == server.url and WEBDAV_PASSWORD not in described
    assert (server.root / "inbox").is_dir()  # the layout is there for the first sync
    assert service.configured() is None  # a test keeps nothing
    service.save(ParsedTarget(server.url, WEBDAV_USER, WEBDAV_PASSWORD))
    assert service.configured() == server.url
    service.transport().prepare()  # the kept password works


def test_a_folder_that_is_not_there_is_said(profile: Profile, tmp_path: Path) -> None:
    service = SyncTargetService.for_profile(profile)
    with pytest.raises(TransportError, match="niet bereikbaar"):
        service.test(ParsedTarget(str(tmp_path / "stick")))
    (tmp_path / "stick").mkdir()
    assert service.test(ParsedTarget(str(tmp_path / "stick")))
    assert (tmp_path / "stick" / "inbox").is_dir()
