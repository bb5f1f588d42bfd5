"""Demo data tells one story per client: a PIP only after a concluded brede intake, with its route."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.domain.enums import Role
from app.models.intake import Intake, IntakeStatus
from app.models.pip import Pip, PipVersion
from app.services.demo import add_demo_clients
from app.services.profile import init_profile


def test_every_demo_pip_follows_a_concluded_intake_with_the_same_route(
    tmp_path: Path, passphrase_env: str
) -> None:
    profile = init_profile(tmp_path / "p", Role.KLANTMANAGER, "Voorbeeldstad", user_name="km")
    try:
        with profile.store().session("km", "klantmanager") as session:
            add_demo_clients(session, 120, seed=5, municipality="Voorbeeldstad", klantmanager="km")
        with profile.store().session() as session:
            pips = session.scalars(select(Pip)).all()
            assert len(pips) >= 20, "the demo should show many PIPs"
            for pip in pips:
                intake = session.scalars(
                    select(Intake).where(
                        Intake.client_id == pip.client_id, Intake.status == IntakeStatus.CONCLUDED.value
                    )
                ).first()
                assert intake is not None, "a PIP without a concluded intake"
                first = session.scalars(
                    select(PipVersion).where(PipVersion.pip_id == pip.id, PipVersion.number == 1)
                ).one()
                assert first.leerroute == intake.chosen_route
                assert first.advised_route == (intake.advised_route or intake.chosen_route)
    finally:
        profile.close()


def test_demo_records_are_journaled_and_audited_like_any_new_record(
    tmp_path: Path, passphrase_env: str
) -> None:
    """The demo writes plain rows (issue 15); sync and the audit trail must still see every record:
    one pending 'insert' journal entry and one 'aangemaakt' audit line each, version 1, by the actor."""
    from collections import Counter

    from sqlalchemy import func

    from app.models.journal import ACTION_CREATE, AuditEntry, ChangeJournalEntry
    from app.sync.records import synced_models

    profile = init_profile(tmp_path / "p", Role.KLANTMANAGER, "Voorbeeldstad", user_name="km")
    try:
        with profile.store().session("km", "klantmanager") as session:
            add_demo_clients(session, 60, seed=5, municipality="Voorbeeldstad", klantmanager="km")
        with profile.store().session() as session:
            stored: Counter[str] = Counter()
            for table, model in synced_models().items():
                versions = session.execute(select(model.version, model.created_at, model.updated_at)).all()
                assert all(
                    v == 1 and made is not None and changed is not None for v, made, changed in versions
                )
                if versions:
                    stored[table] = len(versions)
            assert {"client", "client_case", "intake", "pip", "pip_version"} <= set(stored)
            journal = session.execute(
                select(ChangeJournalEntry.entity_type, ChangeJournalEntry.operation, ChangeJournalEntry.actor)
            ).all()
            assert Counter(entity for entity, _op, _actor in journal) == stored
            assert {(op, actor) for _entity, op, actor in journal} == {("insert", "km")}
            pending = session.scalar(select(func.count()).where(ChangeJournalEntry.sync_state == "pending"))
            assert pending == len(journal)
            audit = session.execute(select(AuditEntry.entity_type, AuditEntry.action, AuditEntry.role)).all()
            assert Counter(entity for entity, _action, _role in audit) == stored
            assert {(action, role) for _entity, action, role in audit} == {(ACTION_CREATE, "klantmanager")}
    finally:
        profile.close()
