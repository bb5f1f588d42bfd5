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
