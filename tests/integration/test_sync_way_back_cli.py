"""`sync push` in the supervisor role and `sync pull` on a device, through the real command line; and
the supervisor's reviewed standard texts reaching the device's reviewed catalog layer."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from way_back_helpers import (
    ADOPTED,
    Team,
    import_all,
    make_team,
    pull,
    push,
    signed_pip,
    supervisor,
    supervisor_push,
)

from app.cli import main
from app.domain.pip_lifecycle import PipAction
from app.i18n.layers import clear_layers
from app.i18n.review_layer import Reviewer, ReviewLayer
from app.services.sync import device_keys
from app.sync.decisions import device_inbox


@pytest.fixture
def team(tmp_path: Path, make_profile: Any) -> Iterator[Team]:
    share = tmp_path / "share"
    share.mkdir()
    yield make_team(tmp_path, str(share), make_profile)
    clear_layers()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_supervisor_push_and_device_pull_on_the_command_line(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    _client_id, version_id = signed_pip(team.km1, "1234567890")
    push(team, team.km1)
    import_all(team)
    supervisor(team.sup).act(version_id, PipAction.VASTSTELLEN, ADOPTED)
    inbox = Path(team.target) / device_inbox(device_keys(team.km1).device_id)
    sup, km = str(team.sup.data_dir), str(team.km1.data_dir)
    team.sup.close()
    team.km1.close()

    code, out, err = run(capsys, "--data-dir", sup, "sync", "push", "--target", team.target)
    assert code == 0, err
    assert "1 nieuw beslissingenpakket gemaakt." in out
    code, out, err = run(capsys, "--data-dir", km, "sync", "pull", "--target", team.target, "--json")
    assert code == 0, err
    document = json.loads(out)
    assert [p["status"] for p in document["packages"]] == ["applied"]
    assert document["packages"][0]["records"] >= 2  # the version and the PIP

    code, out, _err = run(capsys, "--data-dir", km, "sync", "pull")
    assert code == 0 and "geen nieuwe beslissingen" in out
    code, out, _err = run(capsys, "--data-dir", km, "sync", "status", "--json")
    assert code == 0 and json.loads(out)["last_pull"] is not None

    (inbox / "rommel.wgw").write_bytes(b"geen pakket")
    code, out, err = run(capsys, "--data-dir", km, "sync", "pull")
    assert code == 1
    assert "geen Wegwijs-pakket van de supervisor" in out
    assert len(err.strip().splitlines()) == 1 and "quarantainemap" in err
    code, _out, err = run(capsys, "--data-dir", km, "sync", "pull", "--json")
    assert code == 0  # the refused one is in quarantine now; nothing new
    code, _out, err = run(capsys, "--data-dir", sup, "sync", "pull")
    assert code == 1 and "klantmanager" in err


def test_reviewed_standard_texts_reach_the_devices(team: Team) -> None:
    layer = ReviewLayer(team.sup.data_dir)
    text = next(t for t in layer.standard_texts("pip", "ar") if not t.msgid_plural and "{" not in t.msgid)
    layer.approve(text, ("نص تمت مراجعته",), Reviewer("Fatima", "123456"), dt.datetime.now(dt.UTC))
    supervisor_push(team)
    for device in (team.km1, team.km2):
        result = pull(team, device)
        assert [p.catalogs for p in result.packages] == [1]
        reviewed = ReviewLayer(device.data_dir).catalog("pip", "ar").get(text.msgid, context=text.context)
        assert reviewed is not None and reviewed.string == "نص تمت مراجعته"
    # Sent once: the next push has nothing new for them.
    supervisor_push(team)
    assert pull(team, team.km1).packages == []
