"""The sync target: unknown address schemes are refused; a new target is kept only when it worked."""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_helpers import Pair, add_client

from app.cli import main
from app.services.sync import PushService, SyncTargetService
from app.sync.errors import SyncError


@pytest.mark.parametrize("target", ["ftp://x", "smb://server/share", "file:///tmp/x"])
def test_an_unknown_scheme_is_refused_and_not_saved(pair: Pair, target: str) -> None:
    add_client(pair.device, "1234567890", "Haddad")
    with pytest.raises(SyncError, match="http:// of https://"):
        PushService.for_profile(pair.device).push(target)
    with pytest.raises(SyncError, match="http:// of https://"):
        SyncTargetService.for_profile(pair.device).configure(target)
    assert SyncTargetService.for_profile(pair.device).configured() is None


def test_a_failed_push_keeps_the_configured_target(pair: Pair, tmp_path: Path) -> None:
    add_client(pair.device, "1234567890", "Haddad")
    assert PushService.for_profile(pair.device).push(str(pair.target)).ok
    assert SyncTargetService.for_profile(pair.device).configured() == str(pair.target.resolve())
    typo = tmp_path / "shaer"
    result = PushService.for_profile(pair.device).push(str(typo))
    assert not result.ok and result.error
    assert SyncTargetService.for_profile(pair.device).configured() == str(pair.target.resolve())
    # A new target that works is kept.
    other = tmp_path / "stick"
    other.mkdir()
    assert PushService.for_profile(pair.device).push(str(other)).ok
    assert SyncTargetService.for_profile(pair.device).configured() == str(other.resolve())


def test_cli_refuses_an_unknown_scheme_with_exit_1(pair: Pair, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--data-dir", str(pair.device.data_dir), "sync", "push", "--target", "ftp://x"])
    err = capsys.readouterr().err
    assert code == 1
    assert "ftp://x" in err and "http:// of https://" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert SyncTargetService.for_profile(pair.device).configured() is None
