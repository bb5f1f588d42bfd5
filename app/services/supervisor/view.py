"""The signed PIP as the device sent it, side by side (Dutch and the translation), with the part of
the intake the supervisor may see (the form's own role rules decide which sections)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import Role
from app.domain.pip_lifecycle import STATE_LABELS, PipState, route_label
from app.i18n import _
from app.models.intake import Intake, IntakeStatus
from app.models.journal import ACTION_READ, record_audit
from app.models.pip import TEXT_PART_LABELS, PipVersion, TextPart
from app.services.client_records import get_client
from app.services.intake.export import ReadableSection, readable_intake
from app.services.intake.records import snapshot as intake_snapshot
from app.services.pip.records import get_pip, latest_version


@dataclass(frozen=True)
class SideBySideText:
    part: str
    label: str
    dutch: str
    translation: str  # "" when the device sent none
    language: str | None
    review: str  # the interpreter's review state, e.g. "goedgekeurd"


@dataclass(frozen=True)
class PipReview:
    client_id: uuid.UUID
    client_name: str
    v_nummer: str
    number: int
    state: PipState
    state_label: str
    route: str
    period_months: int | None
    drafted_by: str
    signatures: tuple[tuple[str, dt.date | None], ...]
    texts: tuple[SideBySideText, ...]
    intake: tuple[ReadableSection, ...]


def _version_for(session: Session, client_id: uuid.UUID) -> PipVersion | None:
    pip = get_pip(session, client_id)
    if pip is None or not pip.versions:
        return None
    signed = [v for v in pip.versions if v.state == PipState.ONDERTEKEND.value]
    return signed[-1] if signed else latest_version(pip)


def pip_review(session: Session, client_id: uuid.UUID, role: Role) -> PipReview | None:
    """What the supervisor reads before deciding; opening it is audited as a read."""
    client = get_client(session, client_id)
    version = _version_for(session, client_id)
    if version is None:
        return None
    texts = []
    for part in TextPart:
        entry = version.texts.get(part.value) or {}
        dutch = str(entry.get("nl", "")).strip()
        if not dutch:
            continue
        review = entry.get("review") or {}
        texts.append(
            SideBySideText(
                part.value,
                _(TEXT_PART_LABELS[part]),
                dutch,
                str(entry.get("translation", "")),
                entry.get("lang") or client.document_language,
                str(review.get("status", "")) if isinstance(review, dict) else "",
            )
        )
    intakes = session.scalars(select(Intake).where(Intake.client_id == client_id)).all()
    sections: list[ReadableSection] = []
    if intakes:
        latest = max(
            intakes, key=lambda i: (i.status == IntakeStatus.CONCLUDED.value, i.started_on, i.created_at)
        )
        sections = readable_intake(intake_snapshot(session, latest, role))
        record_audit(session, ACTION_READ, "intake", latest.id, "supervisor")
    record_audit(session, ACTION_READ, "pip_version", version.id, "supervisor")
    state = PipState(version.state)
    return PipReview(
        client_id=client.id,
        client_name=client.display_name,
        v_nummer=client.v_nummer,
        number=version.number,
        state=state,
        state_label=_(STATE_LABELS[state]),
        route=route_label(version.leerroute),
        period_months=version.period_months,
        drafted_by=version.created_by,
        signatures=(
            (_("inburgeraar"), version.signed_by_client_on),
            (_("klantmanager"), version.signed_by_klantmanager_on),
            (_("tolk"), version.signed_by_interpreter_on),
        ),
        texts=tuple(texts),
        intake=tuple(sections),
    )
