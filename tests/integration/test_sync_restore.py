"""A restored laptop is not locked out: snapshot a profile, push, restore the snapshot, make new
changes, push: they import (nothing refused as replayed, nothing dropped as superseded), what the
supervisor already had from after the snapshot stays, and the user is told in Dutch."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sync_helpers import add_client
from way_back_helpers import Team, make_team, pull

from app.models.client import Client
from app.models.sync_state import SyncConflict
from app.services.maintenance.backup import BackupService
from app.services.maintenance.restore import RestoreService
from app.services.profile import Profile
from app.services.sync import (
    ConflictDecision,
    ConflictService,
    DecisionPushService,
    PushService,
    SupervisorImportService,
)


@pytest.fixture
def team(tmp_path: Path, make_profile: Any) -> Iterator[Team]:
    share = tmp_path / "share"
    share.mkdir()
    yield make_team(tmp_path, str(share), make_profile)


def _rename(profile: Profile, client_id: uuid.UUID, name: str) -> None:
    with profile.store().session(actor=profile.actor) as session:
        client = session.get(Client, client_id)
        assert client is not None
        client.family_name = name


def _push_and_import(team: Team) -> tuple[PushService, list[Any]]:
    service = PushService.for_profile(team.km1)
    result = service.push(team.target)
    assert result.ok, result.error
    summary = SupervisorImportService.for_profile(team.sup).import_paths([team.target])
    return service, summary.outcomes


def _name_on_supervisor(team: Team, client_id: uuid.UUID) -> str | None:
    with team.sup.store().session() as session:
        client = session.get(Client, client_id)
        return None if client is None else client.family_name


def test_new_changes_after_a_restore_import(team: Team, tmp_path: Path) -> None:
    touched = add_client(team.km1, "1111111111", "Voor").id  # edited after the snapshot as well
    quiet = add_client(team.km1, "2222222222", "Rustig").id  # only edited after the restore
    _push_and_import(team)
    snapshot = BackupService.for_profile(team.km1).backup(tmp_path / "stand.bak")

    # After the snapshot: more work, pushed and imported.
    _rename(team.km1, touched, "Na-snapshot")
    later = add_client(team.km1, "3333333333", "Later").id
    _service, outcomes = _push_and_import(team)
    assert {o.status for o in outcomes} == {"imported"}

    RestoreService.for_profile(team.km1).restore(Path(snapshot.path))
    # New changes on the restored laptop.
    _rename(team.km1, quiet, "Na-herstel")
    _rename(team.km1, touched, "Ook-na-herstel")
    fresh = add_client(team.km1, "4444444444", "Nieuw").id
    service, outcomes = _push_and_import(team)

    assert service.restore_notice is not None and "teruggezet uit een reservekopie" in service.restore_notice
    assert "refused" not in {o.status for o in outcomes}, outcomes
    assert _name_on_supervisor(team, quiet) == "Na-herstel"
    assert _name_on_supervisor(team, fresh) == "Nieuw"
    # Made after the snapshot and already at the supervisor: not lost.
    assert _name_on_supervisor(team, later) == "Later"
    # Edited both after the snapshot (already imported) and after the restore: both kept.
    assert _name_on_supervisor(team, touched) == "Na-snapshot"
    with team.sup.store().session() as session:
        kept = session.scalars(select(SyncConflict).where(SyncConflict.entity_id == touched)).all()
        assert [c.incoming_data["family_name"] for c in kept] == ["Ook-na-herstel"]

    # The supervisor keeps its version: the decision travels back and the laptop has it too.
    conflict_id = str(kept[0].id)
    ConflictService.for_profile(team.sup).resolve(conflict_id, ConflictDecision.KEEP_LOCAL)
    assert DecisionPushService.for_profile(team.sup).push(team.target).error is None
    assert [p.status for p in pull(team, team.km1).packages] == ["applied"]
    with team.km1.store().session() as session:
        client = session.get(Client, touched)
        assert client is not None and client.family_name == "Na-snapshot"

    # The pull above asked for everything again: what the laptop made after the snapshot and lost
    # in the restore comes back from the supervisor.
    with team.km1.store().session() as session:
        assert session.get(Client, later) is None
    assert DecisionPushService.for_profile(team.sup).push(team.target).error is None
    assert [p.status for p in pull(team, team.km1).packages] == ["applied"]
    with team.km1.store().session() as session:
        back = session.get(Client, later)
        assert back is not None and back.family_name == "Later"
        client = session.get(Client, quiet)
        assert client is not None and client.family_name == "Na-herstel"

    # Told once; and the next change travels as usual (not dropped as superseded).
    _rename(team.km1, quiet, "Weer-later")
    service, outcomes = _push_and_import(team)
    assert service.restore_notice is None
    assert [o.status for o in outcomes if o.records] == ["imported"]
    assert _name_on_supervisor(team, quiet) == "Weer-later"


def test_pull_after_a_restore_tells_it_too(team: Team, tmp_path: Path) -> None:
    add_client(team.km1, "1111111111", "Voor")
    _push_and_import(team)
    snapshot = BackupService.for_profile(team.km1).backup(tmp_path / "stand.bak")
    RestoreService.for_profile(team.km1).restore(Path(snapshot.path))
    result = pull(team, team.km1)
    assert result.restore_notice is not None and "nieuwe pakketnummers" in result.restore_notice
    assert pull(team, team.km1).restore_notice is None
