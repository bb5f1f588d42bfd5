"""Starting, resuming and filling in an intake: answers (autosave), sections, conversations, consent."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import Role
from app.domain.errors import WegwijsError
from app.domain.intake_rules import (
    DEFAULT_CESUUR,
    RouteSettings,
)
from app.forms import (
    DEFAULT_FORM_ID,
    FieldType,
    FormDefinition,
    FormRegistry,
    SectionProgress,
    default_registry,
    form_text,
    is_empty,
    missing_required,
    section_progress,
)
from app.forms.answers import MOTHER_TONGUE, NATIONALITY, format_answer
from app.forms.progress import Missing
from app.i18n import _
from app.i18n.countries import is_country_code, language_name
from app.models.client import Client
from app.models.intake import Intake, IntakeSession, IntakeStatus, InterpreterKind, Place
from app.services.intake.client_facts import apply_to_client
from app.services.visibility import visibility_for

CESUUR_OPTION = "leerbaarheid_cesuur"
ONDERWIJS_MAX_AGE_OPTION = "onderwijsroute_max_leeftijd"


class IntakeRefused(WegwijsError):
    """A refusal in one Dutch sentence; `missing` lists required answers to jump to, if that is why."""

    def __init__(self, message: str, missing: list[Missing] | None = None) -> None:
        super().__init__(message)
        self.missing = missing or []


@dataclass(frozen=True)
class IntakeSettings:
    route: RouteSettings = field(default_factory=RouteSettings)

    @property
    def cesuur(self) -> int:
        return self.route.cesuur

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> IntakeSettings:
        """From the profile's municipal options (ProfileSettings.options)."""
        cesuur = int(options.get(CESUUR_OPTION, DEFAULT_CESUUR))
        if not 0 <= cesuur <= 40:
            raise IntakeRefused(
                _("De cesuur van de leerbaarheidstoets moet tussen 0 en 40 liggen; pas de instelling aan.")
            )
        max_age = int(options.get(ONDERWIJS_MAX_AGE_OPTION, RouteSettings.onderwijs_max_age))
        return cls(RouteSettings(cesuur=cesuur, onderwijs_max_age=max_age))


@dataclass(frozen=True)
class SessionInfo:
    id: uuid.UUID
    held_on: dt.date
    place: Place
    participants: tuple[str, ...]
    interpreter_kind: InterpreterKind
    interpreter_language: str | None
    interpreter_name: str | None
    interpreter_register: str | None
    notes: str


@dataclass(frozen=True)
class IntakeSnapshot:
    """What the screen shows of one intake; answers of sections the role may not see are left out."""

    id: uuid.UUID
    client_id: uuid.UUID
    client_name: str
    client_name_original: str
    status: IntakeStatus
    definition: FormDefinition
    answers: dict[str, Any]  # field id -> raw value as typed
    answer_versions: dict[str, int]  # field id -> form version the answer was given in
    completed_sections: frozenset[str]
    last_field_id: str | None
    cesuur: int
    sessions: tuple[SessionInfo, ...]
    privacy_explained: bool
    privacy_language: str | None
    privacy_interpreter_kind: InterpreterKind
    privacy_interpreter_name: str | None
    advised_route: str | None
    chosen_route: str | None
    route_justification: str | None
    role: Role
    started_on: dt.date
    concluded_on: dt.date | None
    version: int

    @property
    def editable(self) -> bool:
        return self.status is IntakeStatus.OPEN

    def progress(self, today: dt.date | None = None) -> list[SectionProgress]:
        return [
            section_progress(self.definition, s, self.answers, s.id in self.completed_sections, today)
            for s in self.definition.sections_for(self.role)
        ]

    def missing(self) -> list[Missing]:
        return missing_required(self.definition, self.answers, self.role)

    def removed_answers(self, registry: FormRegistry | None = None) -> list[tuple[str, str, int]]:
        """(label, answer, form version) for answers to fields the current definition no longer has."""
        registry = registry or default_registry()
        result = []
        for field_id, raw in self.answers.items():
            if self.definition.field(field_id) is not None:
                continue
            old = registry.field_in_any_version(self.definition.form_id, field_id)
            label = form_text(old.label) if old else field_id
            value = format_answer(old, raw) if old else str(raw)
            result.append((label, value, self.answer_versions.get(field_id, 0)))
        return result


# -- reading ------------------------------------------------------------------------------------


def _definition_for(intake: Intake, registry: FormRegistry) -> FormDefinition:
    """An open intake follows the newest definition; a concluded one keeps the version it was filled in."""
    if intake.status == IntakeStatus.CONCLUDED.value:
        found = registry.get(intake.form_id, intake.form_version)
        if found is not None:
            return found
    return registry.latest(intake.form_id)


def _get(session: Session, intake_id: uuid.UUID) -> Intake:
    intake = session.get(Intake, intake_id)
    if intake is None:
        raise IntakeRefused(_("Deze intake bestaat niet (meer); open de cliënt opnieuw."))
    return intake


def snapshot(
    session: Session, intake: Intake, role: Role, registry: FormRegistry | None = None
) -> IntakeSnapshot:
    registry = registry or default_registry()
    definition = _definition_for(intake, registry)
    # Every version's rule: an answer given under an older form keeps the strictest one.
    seen = visibility_for(role)
    hidden = definition.hidden_field_ids(role) | seen.hidden_fields
    answers = {k: v.get("value") for k, v in intake.answers.items() if k not in hidden}
    client = session.get(Client, intake.client_id)
    return IntakeSnapshot(
        id=intake.id,
        client_id=intake.client_id,
        client_name=client.display_name if client else "",
        client_name_original=(client.name_original or "") if client else "",
        status=IntakeStatus(intake.status),
        definition=definition,
        answers=answers,
        answer_versions={
            k: int(v.get("form_version", 0)) for k, v in intake.answers.items() if k not in hidden
        },
        completed_sections=frozenset(intake.completed_sections),
        last_field_id=intake.last_field_id if intake.last_field_id not in hidden else None,
        cesuur=intake.cesuur,
        sessions=tuple(
            _session_info(s, seen.sees_column("intake_session", "notes")) for s in intake.sessions
        ),
        privacy_explained=intake.privacy_explained,
        privacy_language=intake.privacy_language,
        privacy_interpreter_kind=InterpreterKind(intake.privacy_interpreter_kind),
        privacy_interpreter_name=intake.privacy_interpreter_name,
        advised_route=intake.advised_route,
        chosen_route=intake.chosen_route,
        route_justification=intake.route_justification,
        role=role,
        started_on=intake.started_on,
        concluded_on=intake.concluded_on,
        version=intake.version,
    )


def _session_info(s: IntakeSession, with_notes: bool = True) -> SessionInfo:
    return SessionInfo(
        s.id,
        s.held_on,
        Place(s.place),
        tuple(s.participants),
        InterpreterKind(s.interpreter_kind),
        s.interpreter_language,
        s.interpreter_name,
        s.interpreter_register,
        (s.notes or "") if with_notes else "",
    )


def intakes_of(session: Session, client_id: uuid.UUID) -> list[Intake]:
    return list(
        session.scalars(select(Intake).where(Intake.client_id == client_id).order_by(Intake.started_on))
    )


def current_intake(session: Session, client_id: uuid.UUID) -> Intake | None:
    """The open intake, else the most recently concluded one."""
    intakes = intakes_of(session, client_id)
    open_ones = [i for i in intakes if i.status == IntakeStatus.OPEN.value]
    chosen = open_ones or intakes
    return chosen[-1] if chosen else None


# -- changing -----------------------------------------------------------------------------------


def start_or_resume(
    session: Session,
    client_id: uuid.UUID,
    settings: IntakeSettings,
    today: dt.date,
    registry: FormRegistry | None = None,
) -> Intake:
    """The client's open intake, or a new one on the newest form with today's cesuur setting."""
    client = session.get(Client, client_id)
    if client is None:
        raise IntakeRefused(_("Deze cliënt bestaat niet (meer); kies een cliënt uit de lijst."))
    existing = current_intake(session, client_id)
    if existing is not None:
        if existing.status == IntakeStatus.OPEN.value:
            latest = (registry or default_registry()).latest(existing.form_id).version
            if existing.form_version != latest:
                existing.form_version = latest
        return existing
    definition = (registry or default_registry()).latest(DEFAULT_FORM_ID)
    intake = Intake(
        client_id=client_id,
        form_id=definition.form_id,
        form_version=definition.version,
        started_on=today,
        status=IntakeStatus.OPEN.value,
        cesuur=settings.cesuur,
        answers=prefill_from_client(definition, client, today),
        completed_sections=[],
        advice_reasons=[],
    )
    session.add(intake)
    session.flush()
    return intake


def prefill_from_client(definition: FormDefinition, client: Client, today: dt.date) -> dict[str, Any]:
    """What the COA hand-over already told us, as answers the klantmanager checks with the inburgeraar.

    Only for fields the definition has (a municipality may have removed some).
    """
    case = client.case
    known: dict[str, Any] = {
        "naam_latijns": client.display_name,
        "naam_origineel": client.name_original,
        "geboortedatum": client.birth_date,
        "v_nummer": client.v_nummer,
        "bsn": client.bsn,
        "doelgroep": client.target_group,
        "documenttaal": client.document_language,
    }
    # Issue 16: the nationality (an alpha-3 code the country list knows) and the first language,
    # named in the interface language, as the COA gave them.
    nationality = definition.field_with_meaning(NATIONALITY)
    if nationality is not None and client.nationality and is_country_code(client.nationality):
        known[nationality.id] = client.nationality.upper()
    mother_tongue = definition.field_with_meaning(MOTHER_TONGUE)
    if mother_tongue is not None and client.languages:
        known[mother_tongue.id] = language_name(client.languages[0])
    if case is not None:
        in_azc = case.huisvestingsdatum is None or case.huisvestingsdatum > today
        known |= {"woont_in_azc": in_azc, "coa_locatie": case.coa_location if in_azc else None}
        if case.huisvestingsdatum is not None:
            known["huisvestingsdatum"] = case.huisvestingsdatum.isoformat()
        if case.melddatum is not None:
            known["datum_verblijf"] = case.melddatum.isoformat()
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    answers = {}
    for field_id, value in known.items():
        item = definition.field(field_id)
        if item is None or is_empty(value):
            continue
        if item.type is FieldType.CHOICE and item.option(str(value)) is None:
            continue
        answers[field_id] = {"value": value, "form_version": definition.version, "saved_at": stamp}
    return answers


def _editable(intake: Intake) -> None:
    if intake.status != IntakeStatus.OPEN.value:
        raise IntakeRefused(
            _("Deze intake is afgerond en kan niet meer worden gewijzigd; begin zo nodig een nieuwe.")
        )


def save_answer(
    session: Session,
    intake_id: uuid.UUID,
    field_id: str,
    raw: Any,
    role: Role,
    registry: FormRegistry | None = None,
    saved_at: dt.datetime | None = None,
) -> None:
    """Store one answer exactly as typed (invalid answers too); an empty answer removes it."""
    intake = _get(session, intake_id)
    _editable(intake)
    definition = (registry or default_registry()).latest(intake.form_id)
    section = definition.section_of(field_id)
    if section is None:
        raise IntakeRefused(
            _("Vraag '{id}' staat niet in het formulier; werk het formulier bij.").format(id=field_id)
        )
    if not section.visible_to(role):
        raise IntakeRefused(
            _("Uw rol mag de sectie '{section}' niet invullen.").format(section=form_text(section.title))
        )
    if field_id in definition.hidden_field_ids(role):
        raise IntakeRefused(_("Uw rol mag deze vraag niet invullen."))
    answers = dict(intake.answers)
    if is_empty(raw):
        if field_id not in answers:
            return
        del answers[field_id]
    else:
        previous = answers.get(field_id)
        if previous is not None and previous.get("value") == raw:
            return
        stamp = (saved_at or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
        answers[field_id] = {"value": raw, "form_version": definition.version, "saved_at": stamp}
    intake.answers = answers  # replaced as a whole so the change is seen and journaled
    intake.last_field_id = field_id
    apply_to_client(
        session, intake, definition, field_id, raw, saved_at.date() if saved_at else dt.date.today()
    )


def set_last_field(session: Session, intake_id: uuid.UUID, field_id: str | None) -> None:
    intake = _get(session, intake_id)
    if intake.last_field_id != field_id:
        intake.last_field_id = field_id


def mark_section(session: Session, intake_id: uuid.UUID, section_id: str, complete: bool) -> None:
    intake = _get(session, intake_id)
    _editable(intake)
    sections = [s for s in intake.completed_sections if s != section_id]
    if complete:
        sections.append(section_id)
    intake.completed_sections = sections


@dataclass(frozen=True)
class SessionInput:
    held_on: dt.date
    place: Place
    participants: tuple[str, ...] = ()
    interpreter_kind: InterpreterKind = InterpreterKind.NONE
    interpreter_language: str | None = None
    interpreter_name: str | None = None
    interpreter_register: str | None = None
    notes: str = ""


def _check_interpreter(
    kind: InterpreterKind, language: str | None, name: str | None, register: str | None
) -> None:
    if kind is InterpreterKind.NONE:
        return
    if not language:
        raise IntakeRefused(_("Vul de taal in waarin de tolk tolkte."))
    if not (name or "").strip():
        raise IntakeRefused(_("Vul de naam van de tolk of sleutelpersoon in."))
    if kind is InterpreterKind.TOLK and not (register or "").strip():
        raise IntakeRefused(_("Vul het registratienummer van de tolk in (Rbtv), of kies 'sleutelpersoon'."))


def add_session(session: Session, intake_id: uuid.UUID, data: SessionInput, today: dt.date) -> uuid.UUID:
    """Record one conversation: date, place, who took part, and the interpreter if there was one."""
    intake = _get(session, intake_id)
    _editable(intake)
    if data.held_on > today:
        raise IntakeRefused(
            _("Een gesprek kan niet in de toekomst hebben plaatsgevonden; controleer de datum.")
        )
    _check_interpreter(
        data.interpreter_kind, data.interpreter_language, data.interpreter_name, data.interpreter_register
    )
    record = IntakeSession(
        intake=intake,
        held_on=data.held_on,
        place=data.place.value,
        participants=[p.strip() for p in data.participants if p.strip()],
        interpreter_kind=data.interpreter_kind.value,
        interpreter_language=data.interpreter_language,
        interpreter_name=(data.interpreter_name or "").strip() or None,
        interpreter_register=(data.interpreter_register or "").strip() or None,
        notes=data.notes or None,
    )
    session.add(record)
    session.flush()
    return record.id


def record_consent(
    session: Session,
    intake_id: uuid.UUID,
    on: dt.date,
    language: str,
    interpreter_kind: InterpreterKind = InterpreterKind.NONE,
    interpreter_name: str | None = None,
    interpreter_register: str | None = None,
) -> None:
    """The privacy statement was explained on `on`, in `language`, with this interpreter (or none)."""
    intake = _get(session, intake_id)
    _editable(intake)
    _check_interpreter(interpreter_kind, language, interpreter_name, interpreter_register)
    intake.privacy_explained = True
    intake.privacy_explained_on = on
    intake.privacy_language = language
    intake.privacy_interpreter_kind = interpreter_kind.value
    intake.privacy_interpreter_name = interpreter_name
    intake.privacy_interpreter_register = interpreter_register
