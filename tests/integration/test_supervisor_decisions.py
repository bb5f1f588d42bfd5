"""The supervisor's decisions on real profiles: send back, withdraw, reassign (and where decision
packages go), and an adopted PIP version that a conflicting device edit can never replace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from supervisor_helpers import TODAY, Team, device_id, make_team, push_and_import, signed_pip

from app.domain.enums import Role
from app.domain.pip_lifecycle import PipAction, PipRefused
from app.models.client import Client
from app.models.intake import Intake
from app.models.journal import AuditEntry
from app.models.pip import Pip, PipVersion
from app.models.supervisor import SupervisorDecision
from app.services.pip import PipService, PipSettings
from app.services.supervisor import SupervisorRefused, SupervisorService, recipient_device_for
from app.services.sync import ConflictDecision, ConflictService, SyncError

DAY = dt.timedelta(days=1)


@pytest.fixture
def team(tmp_path: Path, passphrase_env: str) -> Iterator[Team]:
    made = make_team(tmp_path)
    yield made
    made.close()


def test_send_back_withdraw_and_reassign(team: Team) -> None:
    client_id = signed_pip(
        team.karin, "1000000001", "Haddad", TODAY - 30 * DAY, TODAY - 9 * DAY, TODAY - 5 * DAY
    )
    assert push_and_import(team, team.karin) == ["imported"]
    service = SupervisorService.for_profile(team.supervisor)

    with pytest.raises(PipRefused, match="reden"):
        service.send_back("1000000001", "   ")
    back = service.send_back("1000000001", "De onderbouwing van de route ontbreekt; vul die aan.")
    assert back.state.value == "concept" and back.device_id == device_id(team.karin)
    with team.supervisor.store().session() as session:
        version = session.scalars(select(PipVersion)).one()
        # Back to the only state that can change; the signatures lapsed.
        assert version.state == "concept" and version.signed_by_client_on is None
    assert service.queue().pips == ()
    with pytest.raises(PipRefused, match="nog niet ondertekend"):
        service.adopt("1000000001")

    with pytest.raises(PipRefused, match="geen vastgesteld PIP"):
        service.withdraw("1000000001", "Vergissing.")

    # A fresh signed PIP: adopt, then withdraw with a reason.
    other = signed_pip(team.kees, "1000000002", "Tesfay", TODAY - 20 * DAY, TODAY - 6 * DAY, TODAY - 2 * DAY)
    assert "imported" in push_and_import(team, team.kees)
    adopted = service.adopt("1000000002")
    assert adopted.term_start == TODAY + DAY and adopted.days_over_deadline == 0
    withdrawn = service.withdraw("1000000002", "Besluit op bezwaar: opnieuw beoordelen.")
    assert withdrawn.state.value == "ingetrokken"
    with team.supervisor.store().session() as session:
        pip = session.scalars(select(Pip).where(Pip.client_id == other)).one()
        assert pip.in_force_number is None and pip.first_adopted_on == TODAY  # the term start stays
        decisions = [
            (d.kind, d.reason)
            for d in session.scalars(select(SupervisorDecision).order_by(SupervisorDecision.id))
        ]
        assert [k for k, _r in decisions] == ["teruggestuurd", "vastgesteld", "ingetrokken"]
        assert decisions[2][1] == "Besluit op bezwaar: opnieuw beoordelen."
        details = [e.detail for e in session.scalars(select(AuditEntry))]
        assert not any("bezwaar" in d or "onderbouwing" in d or "Tesfay" in d for d in details)

    # Reassign Karin's client to Kees's device; decision packages go there from now on.
    with team.supervisor.store().session() as session:
        assert recipient_device_for(session, client_id) == device_id(team.karin)
    with pytest.raises(SupervisorRefused, match="al bij het apparaat"):
        service.reassign("1000000001", device_id(team.karin))
    with pytest.raises(SupervisorRefused, match="niet geregistreerd"):
        service.reassign("1000000001", "onbekend")
    moved = service.reassign("1000000001", device_id(team.kees))
    assert moved.name == "Kees"
    with team.supervisor.store().session() as session:
        assert recipient_device_for(session, client_id) == device_id(team.kees)
        assert session.get(Client, client_id) is not None
    assert {d.name for d in service.devices()} == {"Karin", "Kees"}
    # The klantmanager cannot do the supervisor's part.
    with pytest.raises(SupervisorRefused, match="supervisor"):
        SupervisorService.for_profile(team.karin).queue()


def test_a_conflicting_edit_of_an_adopted_version_is_refused_and_kept(team: Team) -> None:
    signed_pip(team.karin, "1000000001", "Haddad", TODAY - 30 * DAY, TODAY - 9 * DAY, TODAY - 5 * DAY)
    assert push_and_import(team, team.karin) == ["imported"]
    SupervisorService.for_profile(team.supervisor).adopt("1000000001", on=TODAY - DAY)

    # Meanwhile on the device (the adoption has not reached it): back to concept and a change.
    km = PipService(team.karin.store(), "Karin", Role.KLANTMANAGER, PipSettings())
    with team.karin.store().session() as session:
        version_id = session.scalars(select(PipVersion.id)).one()
    km.act(version_id, PipAction.HEROPENEN, TODAY)
    km.save(version_id, {"map_hours": 80}, TODAY)
    assert push_and_import(team, team.karin) == ["conflict"]

    decisions = ConflictService.for_profile(team.supervisor)
    conflicts = {c.entity_type: c for c in decisions.open_conflicts()}
    assert set(conflicts) == {"pip", "pip_version"}
    edit = conflicts["pip_version"]
    fields = {d.field: (d.local, d.incoming) for d in edit.differences}
    assert fields["state"] == ("vastgesteld", "concept") and fields["map_hours"] == (64, 80)
    assert edit.keep_incoming_refused is not None and "vastgesteld" in edit.keep_incoming_refused
    with pytest.raises(SyncError, match="vastgesteld en kan niet meer veranderen"):
        decisions.resolve(edit.id, ConflictDecision.KEEP_INCOMING)
    # Kept for inspection: still open, with both versions; nothing here changed.
    assert edit.id in {c.id for c in decisions.open_conflicts()}
    with team.supervisor.store().session() as session:
        version = session.scalars(select(PipVersion)).one()
        assert version.state == "vastgesteld" and version.map_hours == 64
        assert version.adopted_on == TODAY - DAY

    # The PIP record itself may be taken, but never over the term start or the version in force.
    record = conflicts["pip"]
    assert record.keep_incoming_refused is None
    decisions.resolve(record.id, ConflictDecision.KEEP_INCOMING)
    with team.supervisor.store().session() as session:
        pip = session.scalars(select(Pip)).one()
        assert pip.first_adopted_on == TODAY - DAY and pip.in_force_number == 1
        assert pip.current_state == "vastgesteld"
    queue = SupervisorService.for_profile(team.supervisor).queue()
    assert [c.entity_type for c in queue.conflicts] == ["pip_version"]
    assert queue.per_klantmanager[0].klantmanager == "Karin"
    decisions.resolve(edit.id, ConflictDecision.KEEP_LOCAL)
    assert decisions.open_conflicts() == []


def test_the_pip_side_by_side_with_the_intake_summary(team: Team) -> None:
    import random

    from app.services.intake.demo import fill_demo_intake

    client_id = signed_pip(
        team.karin, "1000000001", "Haddad", TODAY - 30 * DAY, TODAY - 9 * DAY, TODAY - 5 * DAY
    )
    with team.karin.store().session(actor="Karin", role="klantmanager") as session:
        record = session.get(Client, client_id)
        assert record is not None
        for seed in range(50):  # a seed whose demo intake has answers (some draw "no intake yet")
            fill_demo_intake(session, record, random.Random(seed), TODAY - 9 * DAY)
            session.flush()
            if session.scalars(select(Intake)).first() is not None:
                break
    assert push_and_import(team, team.karin) == ["imported"]
    review = SupervisorService.for_profile(team.supervisor).review(client_id)
    assert review is not None and review.number == 1 and review.state.value == "ondertekend"
    goal = next(t for t in review.texts if t.part == "einddoel")
    assert goal.dutch == "Nederlands op B1 en werk in de zorg" and goal.language == "ar"
    assert review.intake and all(section.answers for section in review.intake)
    assert review.drafted_by == "Karin"
    with team.supervisor.store().session() as session:
        reads = session.scalars(select(AuditEntry).where(AuditEntry.action == "ingezien")).all()
        assert {r.entity_type for r in reads} == {"intake", "pip_version"}
        assert all(r.actor == "Sam" and r.role == "supervisor" for r in reads)


def test_an_adopted_versions_own_steps_still_arrive(team: Team) -> None:
    """Where klantmanagers may adopt, a colleague adopts on the device and later withdraws: those are
    the version's own steps and import without a conflict; any other change is kept aside."""
    from app.sync.lifecycle import adopted_change_problem

    signed_pip(team.karin, "1000000001", "Haddad", TODAY - 30 * DAY, TODAY - 9 * DAY, TODAY - 5 * DAY)
    assert push_and_import(team, team.karin) == ["imported"]
    colleague = PipService(
        team.karin.store(), "Kees", Role.KLANTMANAGER, PipSettings(klantmanager_may_adopt=True)
    )
    with team.karin.store().session() as session:
        version_id = session.scalars(select(PipVersion.id)).one()
    colleague.act(version_id, PipAction.VASTSTELLEN, TODAY - DAY)
    assert push_and_import(team, team.karin) == ["imported"]
    colleague.act(version_id, PipAction.INTREKKEN, TODAY)
    assert push_and_import(team, team.karin) == ["imported"]
    with team.supervisor.store().session() as session:
        version = session.scalars(select(PipVersion)).one()
        assert version.state == "ingetrokken" and version.adopted_on == TODAY - DAY
        pip = session.scalars(select(Pip)).one()
        assert pip.first_adopted_on == TODAY - DAY and pip.in_force_number is None
    assert ConflictService.for_profile(team.supervisor).open_conflicts() == []

    adopted = {"state": "vastgesteld", "map_hours": 64, "withdrawn_on": None, "withdrawn_by": ""}
    assert adopted_change_problem("pip_version", adopted, {**adopted, "state": "vervangen"}) is None
    assert adopted_change_problem("pip_version", adopted, {**adopted, "version": 9}) is None
    assert adopted_change_problem("pip_version", adopted, {**adopted, "map_hours": 80}) is not None
    assert adopted_change_problem("pip_version", adopted, {**adopted, "state": "concept"}) is not None
    assert adopted_change_problem("pip_version", adopted, None) is not None
    assert (
        adopted_change_problem("pip_version", {**adopted, "state": "ondertekend"}, {"state": "concept"})
        is None
    )
    term = {"first_adopted_on": "2026-01-05", "current_state": "vastgesteld"}
    assert adopted_change_problem("pip", term, {**term, "first_adopted_on": None}) is not None
    assert adopted_change_problem("pip", term, {**term, "current_state": "concept"}) is None
