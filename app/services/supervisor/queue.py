"""What waits for the supervisor ("wacht op vaststelling"): signed PIPs oldest first, each with its
10-week deadline and the days left, and the sync conflicts to resolve; per klantmanager too."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.adoption import adoption_due, days_left_words
from app.domain.deadlines import DEFAULT_SETTINGS, DeadlineSettings
from app.domain.pip_lifecycle import PipState
from app.models.client import Case, Client
from app.models.pip import Pip, PipVersion
from app.models.supervisor import ClientAssignment
from app.models.sync_state import RecordOrigin
from app.services.supervisor.assignment import device_names
from app.sync.conflicts import open_conflicts


@dataclass(frozen=True)
class WaitingPip:
    """A signed PIP version that waits for adoption."""

    client_id: uuid.UUID
    v_nummer: str
    name: str
    klantmanager: str
    device_id: str
    version_id: uuid.UUID
    number: int
    drafted_by: str
    signed_on: dt.date | None  # the last signature: since then it waits
    housing: dt.date | None
    due: dt.date | None  # 10 weeks after housing; None while still in the AZC
    days_left: int | None  # negative: late

    @property
    def late(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def days_left_text(self) -> str:
        return days_left_words(self.days_left)


@dataclass(frozen=True)
class WaitingConflict:
    id: str
    entity_type: str
    label: str
    klantmanager: str
    device_id: str
    detected_at: dt.datetime
    # Why "keep incoming" cannot be chosen (an adopted version), in Dutch; None when it can.
    keep_incoming_refused: str | None


@dataclass(frozen=True)
class KlantmanagerQueue:
    klantmanager: str
    pips: tuple[WaitingPip, ...]
    conflicts: tuple[WaitingConflict, ...]


@dataclass(frozen=True)
class ReviewQueue:
    pips: tuple[WaitingPip, ...]  # oldest first
    conflicts: tuple[WaitingConflict, ...]
    per_klantmanager: tuple[KlantmanagerQueue, ...]


def _last_signature(version: Any) -> dt.date | None:
    days = [
        d
        for d in (
            version.signed_by_client_on,
            version.signed_by_klantmanager_on,
            version.signed_by_interpreter_on,
        )
        if d is not None
    ]
    return max(days) if days else None


def waiting_pips(
    session: Session, today: dt.date, settings: DeadlineSettings = DEFAULT_SETTINGS
) -> list[WaitingPip]:
    rows = session.execute(
        select(PipVersion, Client.id, Client.v_nummer, Client.given_names, Client.family_name)
        .add_columns(Case.huisvestingsdatum, Case.klantmanager)
        .join(Pip, Pip.id == PipVersion.pip_id)
        .join(Client, Client.id == Pip.client_id)
        .join(Case, Case.client_id == Client.id, isouter=True)
        # A moved client's case is closed here: the new municipality adopts a PIP of its own.
        .where(PipVersion.state == PipState.ONDERTEKEND.value, Case.moved_on.is_(None))
    ).all()
    client_ids = [r[1] for r in rows]
    assigned = {
        a.client_id: a.device_id
        for a in session.scalars(select(ClientAssignment).where(ClientAssignment.client_id.in_(client_ids)))
    }
    origins = {
        o.entity_id: o.device_id
        for o in session.scalars(
            select(RecordOrigin).where(
                RecordOrigin.entity_type == "client", RecordOrigin.entity_id.in_(client_ids)
            )
        )
    }
    names = device_names(session)
    result = []
    for version, client_id, v_nummer, given, family, housing, case_klantmanager in rows:
        device = assigned.get(client_id) or origins.get(client_id) or ""
        due = adoption_due(housing, settings)
        result.append(
            WaitingPip(
                client_id=client_id,
                v_nummer=v_nummer,
                name=f"{given} {family}".strip(),
                klantmanager=names.get(device) or case_klantmanager or version.created_by,
                device_id=device,
                version_id=version.id,
                number=version.number,
                drafted_by=version.created_by,
                signed_on=_last_signature(version),
                housing=housing,
                due=due,
                days_left=(due - today).days if due is not None else None,
            )
        )
    far = dt.date.max
    result.sort(key=lambda p: (p.signed_on or far, p.due or far, p.name, str(p.client_id)))
    return result


@dataclass(frozen=True)
class AdoptedPip:
    """A version in force here (adopted, not withdrawn): what the supervisor may withdraw."""

    client_id: uuid.UUID
    v_nummer: str
    name: str
    number: int
    adopted_on: dt.date | None
    adopted_by: str


def adopted_pips(session: Session, limit: int = 500) -> list[AdoptedPip]:
    """The adopted versions, most recently adopted first."""
    rows = session.execute(
        select(
            Client.id,
            Client.v_nummer,
            Client.given_names,
            Client.family_name,
            PipVersion.number,
            PipVersion.adopted_on,
            PipVersion.adopted_by,
        )
        .join(Pip, Pip.id == PipVersion.pip_id)
        .join(Client, Client.id == Pip.client_id)
        .join(Case, Case.client_id == Client.id, isouter=True)
        .where(PipVersion.state == PipState.VASTGESTELD.value, Case.moved_on.is_(None))
        .order_by(PipVersion.adopted_on.desc(), Client.family_name)
        .limit(limit)
    ).all()
    return [AdoptedPip(r[0], r[1], f"{r[2]} {r[3]}".strip(), r[4], r[5], r[6] or "") for r in rows]


def review_queue(
    session: Session, today: dt.date, settings: DeadlineSettings = DEFAULT_SETTINGS
) -> ReviewQueue:
    pips = waiting_pips(session, today, settings)
    conflicts = [
        WaitingConflict(
            c.id, c.entity_type, c.label, c.device_name, c.device_id, c.detected_at, c.keep_incoming_refused
        )
        for c in open_conflicts(session)
    ]
    people = sorted({p.klantmanager for p in pips} | {c.klantmanager for c in conflicts}, key=str.casefold)
    groups = tuple(
        KlantmanagerQueue(
            person,
            tuple(p for p in pips if p.klantmanager == person),
            tuple(c for c in conflicts if c.klantmanager == person),
        )
        for person in people
    )
    return ReviewQueue(tuple(pips), tuple(conflicts), groups)


def queue_json(queue: ReviewQueue) -> dict[str, Any]:
    """`wegwijs review list --json`: one document, oldest first, per klantmanager."""

    def pip(p: WaitingPip) -> dict[str, Any]:
        return {
            "id": str(p.client_id),
            "v_nummer": p.v_nummer,
            "naam": p.name,
            "klantmanager": p.klantmanager,
            "apparaat": p.device_id or None,
            "versie": p.number,
            "opgesteld_door": p.drafted_by,
            "ondertekend_op": p.signed_on.isoformat() if p.signed_on else None,
            "huisvestingsdatum": p.housing.isoformat() if p.housing else None,
            "termijn": p.due.isoformat() if p.due else None,
            "dagen_over": p.days_left,
            "te_laat": p.late,
            "omschrijving": p.days_left_text,
        }

    def conflict(c: WaitingConflict) -> dict[str, Any]:
        return {
            "id": c.id,
            "soort": c.entity_type,
            "naam": c.label,
            "klantmanager": c.klantmanager,
            "apparaat": c.device_id or None,
            "gevonden_op": c.detected_at.isoformat(),
            "binnengekomen_overnemen_kan": c.keep_incoming_refused is None,
            "reden": c.keep_incoming_refused,
        }

    return {
        "vast_te_stellen": [pip(p) for p in queue.pips],
        "conflicten": [conflict(c) for c in queue.conflicts],
        "per_klantmanager": [
            {
                "klantmanager": group.klantmanager,
                "vast_te_stellen": [pip(p) for p in group.pips],
                "conflicten": [conflict(c) for c in group.conflicts],
            }
            for group in queue.per_klantmanager
        ],
    }
