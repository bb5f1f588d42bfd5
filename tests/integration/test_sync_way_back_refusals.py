"""Bad decision packages on a device: tampered, truncated, for another device, replayed, signed by
anyone but the trusted supervisor, naming an unknown record, changing an adopted version. Each is
refused with its reason (a Dutch sentence and a code), quarantined with a note, and the device's store
stays exactly as it was; a good package beside it is applied."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sync_helpers import snapshot
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

from app.domain.pip_lifecycle import PipAction
from app.models.pip import PipVersion
from app.services.profile import Profile
from app.services.sync import device_keys
from app.sync.decisions import DECISION_KIND, device_inbox
from app.sync.envelope import package_name, seal_package
from app.sync.keys import read_public_keys
from app.sync.records import serialise


@pytest.fixture
def team(tmp_path: Path, make_profile: Any) -> Iterator[Team]:
    share = tmp_path / "share"
    share.mkdir()
    made = make_team(tmp_path, str(share), make_profile)
    # km1 has a client with an adopted PIP, already pulled: the store the bad packages must not touch.
    _client_id, version_id = signed_pip(made.km1, "1234567890")
    push(made, made.km1)
    import_all(made)
    supervisor(made.sup).act(version_id, PipAction.VASTSTELLEN, ADOPTED)
    supervisor_push(made)
    pull(made, made.km1)
    made.folder.joinpath("version_id").write_text(str(version_id))
    yield made


def _inbox(team: Team, device: Profile) -> Path:
    return Path(team.target) / device_inbox(device_keys(device).device_id)


def _seal(
    team: Team, payload: dict[str, Any], sequence: int, signer: Profile | None = None, to: str = "km1"
) -> bytes:
    keys = device_keys(signer or team.sup)
    recipient = read_public_keys(team.folder / f"{to}.json")
    body = {"schema": 1, "kind": DECISION_KIND, "recipient_device": recipient.device_id, "watermark": 0}
    body.update(payload)
    return seal_package(
        body, keys=keys, recipient=recipient, sequence=sequence, created_at=dt.datetime.now(dt.UTC)
    )


def _version_record(team: Team, **changes: Any) -> dict[str, Any]:
    version_id = uuid.UUID(team.folder.joinpath("version_id").read_text())
    with team.km1.store().session() as session:
        version = session.get(PipVersion, version_id)
        assert version is not None
        data = serialise(version)
    data.update(changes, version=data["version"] + 1)
    return {
        "table": "pip_version", "id": str(version_id), "version": data["version"],
        "base_version": data["version"] - 1, "deleted": False, "data": data,
    }  # fmt: skip


def _genuine(team: Team) -> bytes:
    """A fresh real decision package for km1 (withdrawn on the supervisor, pushed), taken from km1's inbox."""
    version_id = uuid.UUID(team.folder.joinpath("version_id").read_text())
    supervisor(team.sup).act(version_id, PipAction.INTREKKEN, ADOPTED + dt.timedelta(days=1))
    supervisor_push(team)
    (path,) = list(_inbox(team, team.km1).iterdir())
    data = path.read_bytes()
    path.unlink()
    return data


def _tampered(team: Team) -> bytes:
    data = bytearray(_genuine(team))
    data[len(data) // 2] ^= 0x01
    return bytes(data)


def _truncated(team: Team) -> bytes:
    return _genuine(team)[:-100]


def _for_another_device(team: Team) -> bytes:
    return _seal(team, {"records": []}, 900, to="km2")


def _other_device_named_inside(team: Team) -> bytes:
    return _seal(team, {"records": [], "recipient_device": device_keys(team.km2).device_id}, 901)


def _replayed(team: Team) -> bytes:
    # The number of the package km1 already applied, with other content, properly signed.
    return _seal(team, {"records": [_version_record(team, taalschool="Elders")]}, 1)


def _signed_by_a_klantmanager(team: Team) -> bytes:
    return _seal(team, {"records": []}, 902, signer=team.km2)


def _unknown_record(team: Team) -> bytes:
    record = _version_record(team)
    record["id"] = record["data"]["id"] = str(uuid.uuid4())
    return _seal(team, {"records": [record]}, 903)


def _adopted_changed(team: Team) -> bytes:
    return _seal(team, {"records": [_version_record(team, taalschool="Elders")]}, 904)


def _not_a_package(team: Team) -> bytes:
    return b"dit is geen pakket"


CASES: dict[str, tuple[Callable[[Team], bytes], str]] = {
    "tampered": (_tampered, "tampered"),
    "truncated": (_truncated, "truncated"),
    "for_another_device": (_for_another_device, "wrong_device"),
    "other_device_named_inside": (_other_device_named_inside, "wrong_device"),
    "replayed": (_replayed, "replayed"),
    "signed_by_a_klantmanager": (_signed_by_a_klantmanager, "untrusted_sender"),
    "unknown_record": (_unknown_record, "unknown_record"),
    "adopted_changed": (_adopted_changed, "adopted_changed"),
    "not_a_package": (_not_a_package, "not_a_package"),
}


def _without_settings(state: dict[str, Any]) -> dict[str, Any]:
    return {table: rows for table, rows in state.items() if table != "sync_setting"}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_decision_package_is_refused_and_changes_nothing(team: Team, case: str) -> None:
    build, reason = CASES[case]
    data = build(team)
    before = snapshot(team.km1)
    inbox = _inbox(team, team.km1)
    (inbox / package_name("bad", 1)).write_bytes(data)
    result = pull(team, team.km1)
    (refused,) = result.packages
    assert refused.status == "refused" and refused.reason == reason
    assert refused.message and refused.message.endswith(".") and " " in refused.message
    assert _without_settings(snapshot(team.km1)) == _without_settings(before)
    assert refused.quarantined is not None
    note = Path(refused.quarantined + ".reden.txt").read_text(encoding="utf-8")
    assert note.splitlines()[0] == reason
    assert not any(inbox.iterdir())


def test_the_rest_go_on_after_a_refused_one(team: Team) -> None:
    good = _genuine(team)
    inbox = _inbox(team, team.km1)
    (inbox / package_name("0000", 1)).write_bytes(_unknown_record(team))
    (inbox / package_name("zzzz", 2)).write_bytes(good)
    statuses = sorted(p.status for p in pull(team, team.km1).packages)
    assert statuses == ["applied", "refused"]


def test_the_same_package_twice_is_a_duplicate(team: Team) -> None:
    good = _genuine(team)
    inbox = _inbox(team, team.km1)
    (inbox / package_name("a", 1)).write_bytes(good)
    assert [p.status for p in pull(team, team.km1).packages] == ["applied"]
    before = snapshot(team.km1)
    (inbox / package_name("a", 1)).write_bytes(good)
    assert [p.status for p in pull(team, team.km1).packages] == ["duplicate"]
    assert _without_settings(snapshot(team.km1)) == _without_settings(before)
