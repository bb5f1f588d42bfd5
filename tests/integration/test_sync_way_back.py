"""The way back with three real profiles (two klantmanagers, one supervisor) over a real folder and a
real WebDAV target on loopback: draft, sign, push, import, adopt, supervisor push, device pull; the
device shows the PIP vastgesteld with the term from the day after adoption; withdraw; reassign; a
conflicting device edit after adoption is refused and kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sync_helpers import WEBDAV_PASSWORD, WEBDAV_USER, WebDavServer
from way_back_helpers import (
    ADOPTED,
    Team,
    import_all,
    klantmanager,
    make_team,
    pull,
    push,
    signed_pip,
    supervisor,
    supervisor_push,
)

from app.domain.deadlines import DeadlineKind, term_start
from app.domain.pip_lifecycle import PipAction, PipRefused, PipState
from app.models.client import Client
from app.models.journal import ChangeJournalEntry
from app.models.pip import PipVersion
from app.models.sync_state import OutboxPackage, SyncConflict
from app.services.sync import DecisionPushService, SyncKeysService
from app.sync.decisions import reassign_client, recipient_device_for


@pytest.fixture(params=["folder", "webdav"])
def team(request: Any, tmp_path: Path, make_profile: Any) -> Iterator[Team]:
    if request.param == "folder":
        share = tmp_path / "share"
        share.mkdir()
        yield make_team(tmp_path, str(share), make_profile)
        return
    server = WebDavServer(tmp_path / "nextcloud").start()
    url = server.url.replace("http://", f"http://{WEBDAV_USER}:{WEBDAV_PASSWORD}@")
    try:
        yield make_team(tmp_path, url, make_profile)
    finally:
        server.stop()


def _adopt_on_supervisor(team: Team) -> tuple[Any, Any]:
    client_id, version_id = signed_pip(team.km1, "1234567890")
    push(team, team.km1)
    import_all(team)
    supervisor(team.sup).act(version_id, PipAction.VASTSTELLEN, ADOPTED)
    return client_id, version_id


def test_adoption_travels_back_and_the_term_starts_the_day_after(team: Team) -> None:
    client_id, version_id = _adopt_on_supervisor(team)
    with team.sup.store().session() as session:
        assert (
            recipient_device_for(session, client_id) == SyncKeysService.for_profile(team.km1).show().device_id
        )
    supervisor_push(team)
    result = pull(team, team.km1)
    assert [p.status for p in result.packages] == ["applied"]
    shown = klantmanager(team.km1).current(client_id, ADOPTED)
    assert shown is not None
    assert shown.state is PipState.VASTGESTELD and shown.adopted_on == ADOPTED
    assert shown.first_adopted_on == ADOPTED
    term = [d for d in shown.deadlines if d.kind is DeadlineKind.TERM_END]
    assert term and term_start(ADOPTED) == ADOPTED + dt.timedelta(days=1)
    # The adopted version never changes on the device afterwards.
    with pytest.raises(PipRefused):
        klantmanager(team.km1).save(version_id, {"taalschool": "Een andere school"}, ADOPTED)
    # The other klantmanager got nothing; the receipt came back to the supervisor.
    assert pull(team, team.km2).packages == []
    supervisor_push(team)
    with team.sup.store().session() as session:
        assert all(p.delivered_at is not None for p in session.scalars(select(OutboxPackage)))
    # Pulling again changes nothing: the package is gone from the inbox after its receipt.
    assert pull(team, team.km1).packages == []


def test_withdrawal_travels_back(team: Team) -> None:
    client_id, version_id = _adopt_on_supervisor(team)
    supervisor_push(team)
    pull(team, team.km1)
    supervisor(team.sup).act(version_id, PipAction.INTREKKEN, ADOPTED + dt.timedelta(days=3))
    supervisor_push(team)
    assert [p.status for p in pull(team, team.km1).packages] == ["applied"]
    shown = klantmanager(team.km1).current(client_id, ADOPTED + dt.timedelta(days=3))
    assert shown is not None and shown.state is PipState.INGETROKKEN
    # Withdrawn, the term start stays where the first adoption put it.
    assert shown.first_adopted_on == ADOPTED


def test_conflicting_device_edit_after_adoption_is_refused_and_kept(team: Team) -> None:
    client_id, version_id = _adopt_on_supervisor(team)
    # Before it hears of the adoption, the device puts its copy back to concept and edits it.
    device = klantmanager(team.km1)
    device.act(version_id, PipAction.HEROPENEN, ADOPTED)
    device.save(version_id, {"taalschool": "Een andere school"}, ADOPTED)
    push(team, team.km1)
    import_all(team)
    with team.sup.store().session() as session:
        version = session.get(PipVersion, version_id)
        assert version is not None and version.state == PipState.VASTGESTELD.value
        assert version.taalschool != "Een andere school"
        kept = session.scalars(select(SyncConflict).where(SyncConflict.entity_id == version_id)).all()
        assert kept and kept[0].incoming_data["taalschool"] == "Een andere school"
    # The decision reaches the device: the adopted version wins there too.
    supervisor_push(team)
    pull(team, team.km1)
    shown = klantmanager(team.km1).current(client_id, ADOPTED)
    assert shown is not None and shown.state is PipState.VASTGESTELD


def test_reassignment_gives_the_whole_record_and_the_other_drops_it(team: Team) -> None:
    client_id, _version_id = _adopt_on_supervisor(team)
    supervisor_push(team)
    pull(team, team.km1)
    push(team, team.km1)  # the receipts of the pull; nothing pending on km1 for this client
    km2_id = SyncKeysService.for_profile(team.km2).show().device_id
    with team.sup.store().session(actor="Sam", role="supervisor") as session:
        reassign_client(session, client_id, km2_id)
        assert recipient_device_for(session, client_id) == km2_id
    supervisor_push(team)
    assert [p.status for p in pull(team, team.km2).packages] == ["applied"]
    shown = klantmanager(team.km2).current(client_id, ADOPTED)
    assert shown is not None and shown.state is PipState.VASTGESTELD
    assert [p.status for p in pull(team, team.km1).packages] == ["applied"]
    with team.km1.store().session() as session:
        assert session.get(Client, client_id) is None
    # The new device edits the client and pushes: the supervisor takes it as an update.
    with team.km2.store().session(actor="Kees") as session:
        client = session.get(Client, client_id)
        assert client is not None
        client.nationality = "SYR"
    push(team, team.km2)
    import_all(team)
    with team.sup.store().session() as session:
        client = session.get(Client, client_id)
        assert client is not None and client.nationality == "SYR"


def test_a_second_supervisor_push_packages_and_sends_nothing_again(team: Team) -> None:
    _adopt_on_supervisor(team)
    first = DecisionPushService.for_profile(team.sup).push(team.target)
    again = DecisionPushService.for_profile(team.sup).push(team.target)
    assert first.packaged == 1 and again.packaged == 0 and again.sent == []
    with team.sup.store().session() as session:
        states = set(session.scalars(select(ChangeJournalEntry.sync_state)))
        assert "pending" not in states


def test_a_send_back_travels_and_the_device_can_edit_again(team: Team) -> None:
    # Sent back: the supervisor puts the signed version back to concept (the supervisor workspace's
    # "terugsturen" writes the same record change, with its reason).
    client_id, version_id = signed_pip(team.km1, "1234567890")
    push(team, team.km1)
    import_all(team)
    supervisor(team.sup).act(version_id, PipAction.HEROPENEN, ADOPTED)
    supervisor_push(team)
    assert [p.status for p in pull(team, team.km1).packages] == ["applied"]
    shown = klantmanager(team.km1).current(client_id, ADOPTED)
    assert shown is not None and shown.state is PipState.CONCEPT
    klantmanager(team.km1).save(version_id, {"taalschool": "Taalhuis Zeist"}, ADOPTED)
    push(team, team.km1)
    import_all(team)
    with team.sup.store().session() as session:
        version = session.get(PipVersion, version_id)
        assert version is not None and version.taalschool == "Taalhuis Zeist"
        assert not session.scalars(select(SyncConflict)).all()


def test_the_supervisors_workspace_decisions_travel_back(team: Team) -> None:
    """The same chain through the supervisor's own workspace (app/services/supervisor): adopt with
    four-eyes, send back with a reason, reassign to the other klantmanager's device."""
    from app.services.supervisor import SupervisorService

    desk = SupervisorService.for_profile(team.sup)
    sent_back_id, _sent_back_version = signed_pip(team.km1, "2345678901")
    adopted_id, _version_id = signed_pip(team.km1, "1234567890")
    push(team, team.km1)
    import_all(team)
    desk.adopt("1234567890", today=ADOPTED)
    desk.send_back("2345678901", "De randvoorwaarden ontbreken nog.", today=ADOPTED)
    supervisor_push(team)
    assert {p.status for p in pull(team, team.km1).packages} == {"applied"}
    adopted = klantmanager(team.km1).current(adopted_id, ADOPTED)
    assert adopted is not None and adopted.state is PipState.VASTGESTELD
    sent_back = klantmanager(team.km1).current(sent_back_id, ADOPTED)
    assert sent_back is not None and sent_back.state is PipState.CONCEPT
    push(team, team.km1)  # the receipts; nothing of these clients is pending on km1

    km2_id = SyncKeysService.for_profile(team.km2).show().device_id
    desk.reassign("1234567890", km2_id, today=ADOPTED)
    with team.sup.store().session() as session:
        assert recipient_device_for(session, adopted_id) == km2_id
    supervisor_push(team)
    assert {p.status for p in pull(team, team.km2).packages} == {"applied"}
    moved = klantmanager(team.km2).current(adopted_id, ADOPTED)
    assert moved is not None and moved.state is PipState.VASTGESTELD
    pull(team, team.km1)
    with team.km1.store().session() as session:
        assert session.get(Client, adopted_id) is None
        assert session.get(Client, sent_back_id) is not None
