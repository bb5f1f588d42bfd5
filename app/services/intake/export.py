"""The intake as others read it: the right-of-access export, a readable overview, the caseload state."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.pip_lifecycle import route_short_msgid
from app.forms import FormRegistry, check_answer, default_registry, field_visible, form_text, is_empty
from app.forms.answers import format_answer
from app.i18n import N_, _
from app.models.client import Client
from app.models.intake import Intake, IntakeStatus
from app.services.caseload_row import Msg
from app.services.intake.records import IntakeSnapshot, _definition_for, intakes_of
from app.services.visibility import session_visibility


def export_intakes(session: Session, client: Client) -> list[dict[str, Any]]:
    """Every intake of a client as JSON-able dicts, each answer with its form version (right of access)."""
    registry = default_registry()
    seen = session_visibility(session)  # only what the role of this unit of work may see
    result = []
    for intake in intakes_of(session, client.id):
        definition = _definition_for(intake, registry)
        answers = {}
        for field_id, stored in sorted(seen.visible_answers(intake.answers).items()):
            assert isinstance(stored, dict)
            item = definition.field(field_id) or registry.field_in_any_version(intake.form_id, field_id)
            answers[field_id] = {
                "vraag": form_text(item.label, "nl") if item else field_id,
                "antwoord": stored.get("value"),
                "weergave": format_answer(item, stored.get("value"), "nl")
                if item
                else str(stored.get("value")),
                "formulierversie": stored.get("form_version"),
                "opgeslagen": stored.get("saved_at"),
                "vervallen_vraag": definition.field(field_id) is None,
            }
        result.append(
            {
                "id": str(intake.id),
                "versie": intake.version,
                "formulier": intake.form_id,
                "formulierversie": intake.form_version,
                "status": intake.status,
                "begonnen": intake.started_on.isoformat(),
                "afgerond": _iso(intake.concluded_on),
                "afgerond_door": intake.concluded_by,
                "cesuur_leerbaarheidstoets": intake.cesuur,
                "afgeronde_secties": list(intake.completed_sections),
                "privacyverklaring": {
                    "uitgelegd": intake.privacy_explained,
                    "datum": _iso(intake.privacy_explained_on),
                    "taal": intake.privacy_language,
                    "tolk": intake.privacy_interpreter_kind,
                    "tolk_naam": intake.privacy_interpreter_name,
                    "tolk_registratienummer": intake.privacy_interpreter_register,
                },
                "geadviseerde_leerroute": intake.advised_route,
                "advies_redenen": list(intake.advice_reasons)
                if seen.sees_column("intake", "advice_reasons")
                else None,
                "gekozen_leerroute": intake.chosen_route,
                "onderbouwing": intake.route_justification,
                "gesprekken": [
                    {
                        "id": str(s.id),
                        "datum": s.held_on.isoformat(),
                        "plaats": s.place,
                        "deelnemers": list(s.participants),
                        "tolk": s.interpreter_kind,
                        "tolk_taal": s.interpreter_language,
                        "tolk_naam": s.interpreter_name,
                        "tolk_registratienummer": s.interpreter_register,
                        "notities": s.notes if seen.sees_column("intake_session", "notes") else None,
                    }
                    for s in intake.sessions
                ],
                "antwoorden": answers,
            }
        )
    return result


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


STATUS_RUNNING = N_("intake loopt")
STATUS_CONCLUDED = N_("intake afgerond")


@dataclass(frozen=True)
class IntakeCaseloadStatus:
    """The intake's part of a client's line in the caseload (app/services/caseload.py merges it)."""

    status: str  # "intake loopt" or "intake afgerond"
    leerroute: str  # short label of the route chosen at the conclusion, "" while open
    # The same as message ids (the stored caseload is translated when shown).
    status_text: Msg = field(default=Msg(""), compare=False)
    leerroute_msgid: str = field(default="", compare=False)


def caseload_status(session: Session, client_ids: list[uuid.UUID]) -> dict[uuid.UUID, IntakeCaseloadStatus]:
    """Per client with an intake: "intake loopt" (an open intake wins over an older concluded one)
    or "intake afgerond" with the chosen route."""
    if not client_ids:
        return {}
    query = select(Intake.client_id, Intake.status, Intake.chosen_route)
    if len(client_ids) <= 500:
        query = query.where(Intake.client_id.in_(client_ids))  # the detail pane asks for one client
    wanted = set(client_ids)
    result: dict[uuid.UUID, IntakeCaseloadStatus] = {}
    running = IntakeCaseloadStatus(_(STATUS_RUNNING), "", Msg(STATUS_RUNNING))
    concluded: dict[str, IntakeCaseloadStatus] = {}  # by the route's msgid (they are frozen)
    session.flush()  # then plain rows on the connection, without the ORM's row processing (issue 18)
    for client_id, status, route in session.connection().execute(query).all():
        if client_id not in wanted:
            continue
        if status == IntakeStatus.OPEN.value:
            result[client_id] = running
        elif client_id not in result or result[client_id] is not running:
            # A later concluded intake without a route keeps the route an earlier one chose.
            earlier = result.get(client_id)
            msgid = route_short_msgid(route) if route else (earlier.leerroute_msgid if earlier else "")
            if msgid not in concluded:
                concluded[msgid] = IntakeCaseloadStatus(
                    _(STATUS_CONCLUDED), _(msgid) if msgid else "", Msg(STATUS_CONCLUDED), msgid
                )
            result[client_id] = concluded[msgid]
    return result


@dataclass(frozen=True)
class ReadableAnswer:
    label: str
    text: str
    form_version: int
    problem: str | None = None


@dataclass(frozen=True)
class ReadableSection:
    title: str
    answers: tuple[ReadableAnswer, ...]


def readable_intake(
    snap: IntakeSnapshot,
    language: str | None = None,
    registry: FormRegistry | None = None,
    today: dt.date | None = None,
) -> list[ReadableSection]:
    """The answers as a reader sees them, per section in form order, for an overview or a print-out.

    Only what the snapshot's role may see; answers to questions a later form version removed come last,
    under "Vervallen vragen", with the version they were given in.
    """
    definition = snap.definition
    result = []
    for section in definition.sections_for(snap.role):
        answers = []
        for item in section.fields:
            raw = snap.answers.get(item.id)
            if is_empty(raw) or not field_visible(definition, item, snap.answers):
                continue
            answers.append(
                ReadableAnswer(
                    form_text(item.label, language), format_answer(item, raw, language),
                    snap.answer_versions.get(item.id, definition.version), check_answer(item, raw, today).problem,
                )
            )  # fmt: skip
        if answers:
            result.append(ReadableSection(form_text(section.title, language), tuple(answers)))
    removed = snap.removed_answers(registry)
    if removed:
        result.append(
            ReadableSection(
                _("Vervallen vragen"),
                tuple(ReadableAnswer(label, text, version) for label, text, version in removed),
            )
        )
    return result
