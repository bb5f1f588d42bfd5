"""Progress during the term as records (issue 13): what the PIP editor's progress panel, the
export and the PDF read, and the four things a klantmanager records. The rules are
app/domain/progress.py's; the journal listener writes the audit entry of every record (who, which
fields), as it does for every synced record.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.deadlines import term_end, term_start
from app.domain.enums import Leerroute, Role, TargetGroup
from app.domain.pip_lifecycle import PipRefused, PipState, pip_in_force
from app.domain.progress import (
    ExamAttempt,
    ExamLevel,
    ExamOutcome,
    ExamSubject,
    HoursKind,
    HoursTotal,
    MeetingOutcome,
    ModuleKind,
    exam_problems,
    hours_problems,
    hours_totals,
    meeting_overdue,
    meeting_problems,
    module_problems,
    next_attempt,
    next_meeting_due,
)
from app.i18n import _
from app.models.pip import Pip, PipVersion
from app.models.progress import ExamResult, ModuleProgress, ProgressMeeting, RouteHours
from app.services.client_records import refuse_if_moved
from app.services.pip.records import PipSettings, as_route, deadline_facts, get_pip, load_client
from app.services.pip.work import PipWork
from app.services.visibility import session_visibility


@dataclass(frozen=True)
class MeetingRecord:
    held_on: dt.date
    held_by: str
    outcome: MeetingOutcome | None
    next_on: dt.date | None
    note: str


@dataclass(frozen=True)
class ModuleRecord:
    module: ModuleKind
    started_on: dt.date | None
    completed_on: dt.date | None


@dataclass(frozen=True)
class ProgressSnapshot:
    """A client's progress as the panel shows it."""

    client_id: uuid.UUID
    adopted: bool
    route: str | None
    asylum: bool
    interval_months: int
    next_meeting_due: dt.date | None
    meeting_overdue: bool
    meetings: tuple[MeetingRecord, ...]
    modules: tuple[ModuleRecord, ...]
    exams: tuple[ExamAttempt, ...]
    hours: tuple[HoursTotal, ...]


def _version_in_force(pip: Pip) -> PipVersion | None:
    number = pip_in_force((v.number, v.state) for v in pip.versions)
    return next((v for v in pip.versions if v.number == number), None)


def attempts_of(pip: Pip) -> tuple[ExamAttempt, ...]:
    return tuple(
        ExamAttempt(
            ExamSubject(e.part),
            e.attempt,
            e.taken_on,
            ExamOutcome(e.outcome),
            ExamLevel(e.level) if e.level else None,
        )
        for e in pip.exams
    )


def progress_snapshot(
    session: Session, client_id: uuid.UUID, today: dt.date, settings: PipSettings
) -> ProgressSnapshot:
    client = load_client(session, client_id)
    pip = get_pip(session, client_id)
    asylum = client.target_group == TargetGroup.ASIEL.value
    if pip is None:
        interval = settings.deadlines.progress_interval_months
        return ProgressSnapshot(client_id, False, None, asylum, interval, None, False, (), (), (), ())
    version = _version_in_force(pip)
    interval = (
        version.progress_interval_months if version else None
    ) or settings.deadlines.progress_interval_months
    last = max((m.held_on for m in pip.meetings), default=None)
    adopted = pip.first_adopted_on if version is not None else None
    start = term_start(pip.first_adopted_on) if pip.first_adopted_on else None
    facts = deadline_facts(pip, client.case, client.target_group)
    end = (
        term_end(pip.first_adopted_on, facts.extensions, settings.deadlines) if pip.first_adopted_on else None
    )
    route = version.leerroute if version else None
    sees_notes = session_visibility(session).sees_column("progress_meeting", "note")
    return ProgressSnapshot(
        client_id=client_id,
        adopted=version is not None,
        route=route,
        asylum=asylum,
        interval_months=interval,
        next_meeting_due=next_meeting_due(last, adopted, interval),
        meeting_overdue=meeting_overdue(last, adopted, interval, today),
        meetings=tuple(
            MeetingRecord(
                m.held_on,
                m.held_by,
                MeetingOutcome(m.outcome) if m.outcome in {o.value for o in MeetingOutcome} else None,
                m.next_on,
                m.note if sees_notes else "",
            )
            for m in pip.meetings
        ),
        modules=tuple(
            ModuleRecord(ModuleKind(m.module), m.started_on, m.completed_on)
            for m in sorted(pip.modules, key=lambda m: m.module)
        ),
        exams=attempts_of(pip),
        hours=hours_totals(((HoursKind(h.kind), h.hours) for h in pip.hours), asylum, start, end, today)
        if as_route(route) is Leerroute.Z
        else (),
    )


def last_meetings(session: Session, client_ids: list[uuid.UUID]) -> dict[uuid.UUID, dt.date]:
    """The last voortgangsgesprek per client, for the caseload (one grouped query)."""
    query = (
        select(Pip.client_id, func.max(ProgressMeeting.held_on))
        .join(Pip, Pip.id == ProgressMeeting.pip_id)
        .group_by(Pip.client_id)
    )
    if len(client_ids) <= 500:
        query = query.where(Pip.client_id.in_(client_ids))
    # Plain rows on the connection (the caseload's status query flushed the session already).
    return {client_id: held_on for client_id, held_on in session.connection().execute(query)}


def export_progress(session: Session, pip: Pip) -> dict[str, Any]:
    """The progress records of `wegwijs export --client` (AVG right of access), cut to the role."""
    sees_notes = session_visibility(session).sees_column("progress_meeting", "note")
    return {
        "voortgangsgesprekken": [
            {
                "id": str(m.id),
                "datum": m.held_on.isoformat(),
                "door": m.held_by,
                "uitkomst": m.outcome,
                "volgende_gesprek": m.next_on.isoformat() if m.next_on else None,
                "notitie": m.note if sees_notes else "",
            }
            for m in pip.meetings
        ],
        "modules": [
            {
                "id": str(m.id),
                "module": m.module,
                "gestart_op": m.started_on.isoformat() if m.started_on else None,
                "afgerond_op": m.completed_on.isoformat() if m.completed_on else None,
                "vastgelegd_door": m.recorded_by,
            }
            for m in pip.modules
        ],
        "examens": [
            {
                "id": str(e.id),
                "onderdeel": e.part,
                "niveau": e.level,
                "poging": e.attempt,
                "datum": e.taken_on.isoformat(),
                "uitslag": e.outcome,
                "vastgelegd_door": e.recorded_by,
            }
            for e in pip.exams
        ],
        "uren": [
            {
                "id": str(h.id),
                "soort": h.kind,
                "van": h.period_start.isoformat(),
                "tot_en_met": h.period_end.isoformat(),
                "uren": h.hours,
                "vastgelegd_door": h.recorded_by,
            }
            for h in pip.hours
        ],
    }


def add_meeting(
    session: Session,
    client_id: uuid.UUID,
    on: dt.date,
    actor: str,
    today: dt.date,
    outcome: MeetingOutcome | None = None,
    next_on: dt.date | None = None,
    note: str = "",
) -> None:
    pip = get_pip(session, client_id)
    problems = meeting_problems(on, next_on, pip.first_adopted_on if pip else None, today)
    if problems:
        raise PipRefused(" ".join(problems))
    assert pip is not None
    pip.meetings.append(
        ProgressMeeting(
            held_on=on,
            held_by=actor,
            outcome=outcome.value if outcome else None,
            next_on=next_on,
            note=note.strip(),
        )
    )
    session.flush()


def _adopted_pip(session: Session, client_id: uuid.UUID) -> tuple[Pip, PipVersion]:
    pip = get_pip(session, client_id)
    version = _version_in_force(pip) if pip else None
    if pip is None or version is None:
        raise PipRefused(_("Voortgang hoort bij een vastgesteld PIP; stel eerst het PIP vast."))
    return pip, version


class ProgressService(PipWork):
    """What the progress panel calls; every method is one unit of work."""

    def _may_change(self, client_id: uuid.UUID) -> None:
        if self.role is Role.INTERPRETER:
            raise PipRefused(_("Een tolk kan de voortgang niet vastleggen; vraag de klantmanager."))
        with self._session() as session:  # a moved client's case is closed here (verhuizing)
            refuse_if_moved(session, client_id)

    def current(self, client_id: uuid.UUID, today: dt.date | None = None) -> ProgressSnapshot:
        with self._session() as session:
            return progress_snapshot(session, client_id, today or dt.date.today(), self.settings)

    def record_meeting(
        self,
        client_id: uuid.UUID,
        on: dt.date,
        outcome: MeetingOutcome | None = None,
        next_on: dt.date | None = None,
        note: str = "",
        today: dt.date | None = None,
    ) -> ProgressSnapshot:
        self._may_change(client_id)
        today = today or dt.date.today()
        with self._session() as session:
            add_meeting(session, client_id, on, self.actor, today, outcome, next_on, note)
            return progress_snapshot(session, client_id, today, self.settings)

    def record_module(
        self,
        client_id: uuid.UUID,
        module: ModuleKind,
        started_on: dt.date | None,
        completed_on: dt.date | None,
        today: dt.date | None = None,
    ) -> ProgressSnapshot:
        """The MAP's or the PVT's start and completion; a later call corrects the dates."""
        self._may_change(client_id)
        today = today or dt.date.today()
        problems = module_problems(started_on, completed_on, today)
        if problems:
            raise PipRefused(" ".join(problems))
        with self._session() as session:
            pip, _version = _adopted_pip(session, client_id)
            record = next((m for m in pip.modules if m.module == module.value), None)
            if record is None:
                record = ModuleProgress(module=module.value)
                pip.modules.append(record)
            record.started_on, record.completed_on, record.recorded_by = started_on, completed_on, self.actor
            session.flush()
            return progress_snapshot(session, client_id, today, self.settings)

    def record_exam(
        self,
        client_id: uuid.UUID,
        part: ExamSubject,
        level: ExamLevel | None,
        taken_on: dt.date,
        outcome: ExamOutcome,
        attempt: int | None = None,
        today: dt.date | None = None,
    ) -> ProgressSnapshot:
        """An exam result; without a number it is the part's next attempt."""
        self._may_change(client_id)
        today = today or dt.date.today()
        with self._session() as session:
            pip, version = _adopted_pip(session, client_id)
            earlier = attempts_of(pip)
            number = attempt if attempt is not None else next_attempt(earlier, part)
            new = ExamAttempt(part, number, taken_on, outcome, level)
            afgeschaald = version.afschalen_parts if version.afschalen else []
            problems = exam_problems(new, earlier, as_route(version.leerroute), afgeschaald, today)
            if problems:
                raise PipRefused(" ".join(problems))
            pip.exams.append(
                ExamResult(
                    part=part.value,
                    level=level.value if level else None,
                    attempt=number,
                    taken_on=taken_on,
                    outcome=outcome.value,
                    recorded_by=self.actor,
                )
            )
            session.flush()
            return progress_snapshot(session, client_id, today, self.settings)

    def record_hours(
        self,
        client_id: uuid.UUID,
        kind: HoursKind,
        period_start: dt.date,
        period_end: dt.date,
        hours: int,
        today: dt.date | None = None,
    ) -> ProgressSnapshot:
        """Hours followed in the Z-route over a period (from the language school's report)."""
        self._may_change(client_id)
        today = today or dt.date.today()
        with self._session() as session:
            pip, version = _adopted_pip(session, client_id)
            client = load_client(session, client_id)
            asylum = client.target_group == TargetGroup.ASIEL.value
            route = as_route(version.leerroute)
            problems = hours_problems(kind, hours, period_start, period_end, route, asylum, today)
            if problems:
                raise PipRefused(" ".join(problems))
            pip.hours.append(
                RouteHours(
                    kind=kind.value,
                    period_start=period_start,
                    period_end=period_end,
                    hours=hours,
                    recorded_by=self.actor,
                )
            )
            session.flush()
            return progress_snapshot(session, client_id, today, self.settings)


def intervals_in_force(
    session: Session, client_ids: list[uuid.UUID]
) -> dict[tuple[uuid.UUID, int], int | None]:
    """(client, version number) -> the meeting interval of each adopted version, for the caseload."""
    query = (
        select(Pip.client_id, PipVersion.number, PipVersion.progress_interval_months)
        .join(Pip, Pip.id == PipVersion.pip_id)
        .where(PipVersion.state == PipState.VASTGESTELD.value)
    )
    if len(client_ids) <= 500:
        query = query.where(Pip.client_id.in_(client_ids))
    return {(client_id, number): interval for client_id, number, interval in session.execute(query)}
