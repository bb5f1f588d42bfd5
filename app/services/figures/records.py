"""Reading the facts the figures need from the store: plain columns, a few queries for the whole team.

Internal to app/services (functions take the caller's session); `FiguresService` calls them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.eligibility import group_is_obliged, is_obliged
from app.models.client import Case, Client
from app.models.intake import Intake, IntakeStatus
from app.models.pip import Pip, PipVersion
from app.services.figures.compute import version_in_force
from app.services.figures.model import ClientFacts, VersionFacts
from app.services.intake.advice import advice_for
from app.services.intake.records import IntakeSettings

_CHUNK = 500  # ids per IN (...) list: well below SQLite's limit on bound parameters


def _chunks(ids: Sequence[uuid.UUID]) -> Iterator[Sequence[uuid.UUID]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _versions(session: Session) -> dict[uuid.UUID, list[VersionFacts]]:
    rows = session.execute(
        select(
            Pip.client_id,
            PipVersion.number,
            PipVersion.state,
            PipVersion.reason,
            PipVersion.leerroute,
            PipVersion.drafted_on,
            PipVersion.created_at,
            PipVersion.adopted_on,
            PipVersion.afschalen,
            PipVersion.learnability_outcome,
        ).join(Pip, Pip.id == PipVersion.pip_id)
    ).all()
    versions: dict[uuid.UUID, list[VersionFacts]] = defaultdict(list)
    for r in rows:
        versions[r.client_id].append(
            VersionFacts(
                number=r.number,
                state=r.state,
                reason=r.reason,
                route=r.leerroute,
                # Versions drafted before the draft day was kept: the day the record was made.
                drafted_on=r.drafted_on or (r.created_at.date() if r.created_at else None),
                adopted_on=r.adopted_on,
                afschalen=bool(r.afschalen),
                test_outcome=r.learnability_outcome or None,
            )
        )
    return versions


def _intake_outcomes(
    session: Session, client_ids: Sequence[uuid.UUID], today: dt.date
) -> dict[uuid.UUID, str]:
    """The leerbaarheidstoets result of each client's brede intake (a concluded one first, then the
    latest), as the PIP takes it over when it is drafted."""
    outcomes: dict[uuid.UUID, str] = {}
    settings = IntakeSettings()
    for chunk in _chunks(client_ids):
        # Held here so advice_for finds each client in the session instead of reading it again.
        held = session.scalars(select(Client).where(Client.id.in_(chunk))).all()
        chosen: dict[uuid.UUID, Intake] = {}
        for intake in session.scalars(select(Intake).where(Intake.client_id.in_(chunk))):
            key = (intake.status == IntakeStatus.CONCLUDED.value, intake.started_on, intake.created_at)
            best = chosen.get(intake.client_id)
            if best is None or key > (
                best.status == IntakeStatus.CONCLUDED.value,
                best.started_on,
                best.created_at,
            ):
                chosen[intake.client_id] = intake
        for client_id, intake in chosen.items():
            try:
                outcomes[client_id] = advice_for(session, intake, settings, today)[1].outcome.value
            except (ValueError, KeyError):  # a form this version cannot read: no result to count
                continue
        del held
    return outcomes


def client_facts(session: Session, today: dt.date) -> list[ClientFacts]:
    """Every client with the integration duty today (target group and age), with their case dates,
    PIP versions and, where the PIP in force recorded no test result, the intake's."""
    rows = session.execute(
        select(
            Client.id,
            Client.birth_date,
            Client.target_group,
            Case.klantmanager,
            Case.koppeldatum,
            Case.huisvestingsdatum,
            Case.melddatum,
        ).join(Case, Case.client_id == Client.id, isouter=True)
    ).all()
    versions = _versions(session)
    facts = [
        ClientFacts(
            client_id=r.id,
            klantmanager=(r.klantmanager or "").strip(),
            koppeldatum=r.koppeldatum,
            housing=r.huisvestingsdatum,
            versions=tuple(sorted(versions.get(r.id, ()), key=lambda v: v.number)),
        )
        for r in rows
        if group_is_obliged(r.target_group) and is_obliged(r.birth_date, today, melddatum=r.melddatum)
    ]
    needing = [
        f.client_id for f in facts if (v := version_in_force(f.versions)) is not None and not v.test_outcome
    ]
    outcomes = _intake_outcomes(session, needing, today)
    return [replace(f, intake_outcome=outcomes[f.client_id]) if f.client_id in outcomes else f for f in facts]
