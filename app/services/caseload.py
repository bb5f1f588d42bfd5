"""The caseload: one line per client, composed from what the intake and the PIP each know.

`client_statuses` asks the intake (app/services/intake) and the PIP (app/services/pip) for their typed
part and merges them by one rule, written out in `merge_status`: a client's PIP, once there is one,
says their status, route and deadline facts; before that the intake does; before that the case.

`computed_caseload_rows` is the one computation of a line. `caseload_rows` lists the caseload from
what is stored (table caseload_state, app/services/caseload_state.py; a line that turned is taken
from the lines ahead, table caseload_ahead, app/services/caseload_ahead.py, when one is right for
the day) and recomputes, with `computed_caseload_rows`, only the lines that are still missing or not
right for the day, and stores them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from sqlalchemy import Date, bindparam, delete, literal_column, or_, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.domain.deadlines import ClientDeadlineFacts, DeadlineStatus, next_deadline, ontzorgen_applies_to
from app.domain.eligibility import AGE_UNCERTAIN, age_uncertain, group_is_obliged, is_minor, is_obliged
from app.domain.enums import TargetGroup
from app.i18n import N_
from app.models.caseload_state import CaseloadState
from app.models.client import Case, Client
from app.models.store import StoreLike
from app.services.caseload_row import CaseloadFlags, CaseloadRow, Msg
from app.services.caseload_state import (
    COLUMNS,
    pack_deadline,
    pack_exemption,
    pack_flags,
    stored_line_valid_until,
    stored_lines,
)
from app.services.intake.export import IntakeCaseloadStatus
from app.services.intake.export import caseload_status as intake_caseload_status
from app.services.pip.caseload import PipCaseloadStatus, caseload_flags
from app.services.pip.caseload import caseload_status as pip_caseload_status
from app.services.profile import Profile
from app.services.visibility import session_visibility

STATUS_IN_AZC = N_("in AZC")
STATUS_HOUSED = N_("gehuisvest")
STATUS_MINOR = N_("gezinslid (minderjarig)")
STATUS_NOT_OBLIGED = N_("niet inburgeringsplichtig (leeftijd)")
STATUS_TEMPORARY_PROTECTION = N_("tijdelijke bescherming (niet inburgeringsplichtig)")
STATUS_MOVED = N_("verhuisd naar {municipality} op {date}")
# A layout of two messages, not a text of its own: "<status> (leeftijd onzeker)".
WITH_AGE_UNCERTAIN = "{status} ({uncertain})"

__all__ = [
    "CaseloadFlags",
    "CaseloadRow",
]  # CaseloadRow lives in app/services/caseload_row.py (no SQLAlchemy)


@dataclass(frozen=True)
class ClientStatus:
    """What the use cases know of a client beyond the case: shown in the caseload and the detail pane."""

    status: str | None = None  # None: nothing but the case (in AZC / gehuisvest)
    leerroute: str = ""  # short label
    pip_state: str | None = None  # the current PIP version's state; None: no PIP yet
    facts: ClientDeadlineFacts | None = None  # None: the deadlines follow from the case alone
    pip_in_force: int | None = None  # the number of the version in force (pip_in_force())
    # `status` and `leerroute` as message ids (the stored caseload is translated when shown).
    status_text: Msg | None = field(default=None, compare=False)
    leerroute_msgid: str = field(default="", compare=False)


def merge_status(intake: IntakeCaseloadStatus | None, pip: PipCaseloadStatus | None) -> ClientStatus:
    """The precedence rule: the PIP follows the intake, so once a client has a PIP, the PIP's status,
    route and deadline facts are the ones that count (even a PIP without a route yet: its route says
    "none chosen"); without a PIP the intake's status and chosen route; without either, nothing."""
    if pip is not None:
        return ClientStatus(
            pip.status,
            pip.leerroute,
            pip.pip_state,
            pip.facts,
            pip.in_force,
            pip.status_text,
            pip.leerroute_msgid,
        )
    if intake is not None:
        return ClientStatus(
            intake.status,
            intake.leerroute,
            status_text=intake.status_text,
            leerroute_msgid=intake.leerroute_msgid,
        )
    return ClientStatus()


def client_statuses(session: Session, client_ids: list[uuid.UUID]) -> dict[uuid.UUID, ClientStatus]:
    """Every client of `client_ids` that the intake or the PIP knows about, merged by `merge_status`."""
    intakes = intake_caseload_status(session, client_ids)
    pips = pip_caseload_status(session, client_ids)
    return {
        client_id: merge_status(intakes.get(client_id), pips.get(client_id))
        for client_id in intakes.keys() | pips.keys()
    }


def client_status(session: Session, client_id: uuid.UUID) -> ClientStatus:
    return client_statuses(session, [client_id]).get(client_id, ClientStatus())


class ComputedLine(NamedTuple):
    """A line as computed, with what is stored of it: its texts as message ids, its flags for every
    role (the row's are the session's role's), and the last day it is right."""

    row: CaseloadRow
    status_text: Msg
    leerroute_msgid: str
    flags: CaseloadFlags
    valid_until: dt.date | None
    position: int  # SQLite: the client's rowid, the order the caseload is listed in; PostgreSQL: 0


def computed_caseload_rows(
    session: Session, today: dt.date | None = None, client_ids: list[uuid.UUID] | None = None
) -> list[CaseloadRow]:
    """The caseload as computed from the records (all clients, or those of `client_ids`)."""
    return [line.row for line in computed_lines(session, today or dt.date.today(), client_ids)]


def computed_lines(
    session: Session, today: dt.date, client_ids: list[uuid.UUID] | None = None
) -> list[ComputedLine]:
    query = select(
        Client.id,
        Client.v_nummer,
        Client.given_names,
        Client.family_name,
        Client.name_original,
        Client.birth_date,
        Client.target_group,
        Case.coa_location,
        Case.klantmanager,
        Case.huisvestingsdatum,
        Case.melddatum,
        Case.moved_to,
        Case.moved_on,
        Case.benefit,
        Case.benefit_start,
        literal_column("client.rowid" if _sqlite(session) else "0").label("position"),
    ).join(Case, Case.client_id == Client.id, isouter=True)
    if client_ids is not None and len(client_ids) <= 500:
        query = query.where(Client.id.in_(client_ids))
    # On the connection: plain rows, without the ORM's row processing (10,000 rows at start-up, issue 15).
    session.flush()
    records = session.connection().execute(query).all()
    if client_ids is not None and len(client_ids) > 500:
        wanted = set(client_ids)
        records = [r for r in records if r.id in wanted]
    statuses = client_statuses(session, [r.id for r in records])
    # A role that may not see the ontzorgen (finance) gets no flag derived from it either.
    sees_ontzorgen = session_visibility(session).sees_column("pip_version", "ontzorgen")
    lines = []
    # Many clients share the same deadline facts (the same housing day, no PIP yet): each distinct
    # question is answered once per listing (20,000 clients, issue 18). The answers are frozen.
    deadlines: dict[ClientDeadlineFacts, DeadlineStatus | None] = {}
    flags_for: dict[tuple[Any, ...], CaseloadFlags] = {}
    texts: dict[Msg, str] = {}
    nothing_known, no_exemption = ClientStatus(), ClientDeadlineFacts()
    for r in records:
        obliged = group_is_obliged(r.target_group) and is_obliged(r.birth_date, today, melddatum=r.melddatum)
        known = statuses.get(r.id, nothing_known)
        asylum = r.target_group == TargetGroup.ASIEL.value
        facts = known.facts or ClientDeadlineFacts(
            housing=r.huisvestingsdatum,
            asylum=ontzorgen_applies_to(r.target_group, r.benefit),
            benefit_start=r.benefit_start,
        )
        status: Msg
        if r.moved_on is not None:
            # Verhuisd: the case is closed here; the new municipality keeps the deadlines.
            status = Msg(
                STATUS_MOVED,
                (("municipality", r.moved_to or ""), ("date", r.moved_on.strftime("%d-%m-%Y"))),
            )
            deadline = None
        elif not obliged:
            if not group_is_obliged(r.target_group):
                status = Msg(STATUS_TEMPORARY_PROTECTION)
            elif is_minor(r.birth_date, today):
                status = Msg(STATUS_MINOR)
            else:
                status = Msg(STATUS_NOT_OBLIGED)
            deadline = None
        else:
            housed = r.huisvestingsdatum is not None and r.huisvestingsdatum <= today
            status = (known.status_text if known.status else None) or Msg(
                STATUS_HOUSED if housed else STATUS_IN_AZC
            )
            if age_uncertain(r.birth_date, today, r.melddatum):
                # The duty is kept, and the klantmanager is asked for the full birth date.
                status = Msg(
                    WITH_AGE_UNCERTAIN, (("status", status), ("uncertain", Msg(AGE_UNCERTAIN))), False
                )
            if facts not in deadlines:
                deadlines[facts] = next_deadline(facts, today)
            deadline = deadlines[facts]
        if status not in texts:
            texts[status] = status.render()
        exemption = known.facts or no_exemption
        flags = (
            CaseloadFlags()
            if r.moved_on is not None
            else _flags(
                flags_for,
                obliged=obliged,
                housing=r.huisvestingsdatum,
                asylum=asylum,
                pip_in_force=known.pip_in_force,
                next_deadline=deadline,
                today=today,
                exempted=exemption.exempted_on is not None,
                facts=known.facts if obliged else None,
            )
        )
        row = CaseloadRow(
            client_id=r.id,
            v_nummer=r.v_nummer,
            name=f"{r.given_names} {r.family_name}".strip(),
            name_original=r.name_original or "",
            birth_date=r.birth_date,
            coa_location=r.coa_location or "",
            klantmanager=r.klantmanager or "",
            housing_date=r.huisvestingsdatum,
            status=texts[status],
            leerroute=known.leerroute,
            next_deadline=deadline,
            obliged=obliged,
            pip_state=known.pip_state,
            flags=flags
            if sees_ontzorgen or not flags.ontzorgen_ending
            else replace(flags, ontzorgen_ending=False),
            exempted_on=exemption.exempted_on,
            exempt_parts=tuple(sorted(exemption.exempt_parts)),
        )
        valid_until = stored_line_valid_until(
            birth_date=r.birth_date,
            housing=r.huisvestingsdatum,
            deadline_facts=facts,
            ontzorgen_asylum=asylum,
            meeting_facts=known.facts,
            today=today,
        )
        lines.append(ComputedLine(row, status, known.leerroute_msgid, flags, valid_until, r.position))
    return lines


def _flags(known: dict[tuple[Any, ...], CaseloadFlags], **facts: Any) -> CaseloadFlags:
    """`known`: the flags already worked out in this listing, by their facts (flags are frozen).
    For every role: the caller hides the ontzorgen flag from a role that may not see it."""
    key = tuple(facts.values())
    if key not in known:
        known[key] = caseload_flags(**facts)
    return known[key]


def caseload_rows(session: Session, today: dt.date | None = None) -> list[CaseloadRow]:
    """The caseload, one query when what is stored is right for `today`; the lines that are missing
    or out of date are computed (`computed_lines`) and stored for the next listing."""
    today = today or dt.date.today()
    session.flush()
    sees_ontzorgen = session_visibility(session).sees_column("pip_version", "ontzorgen")
    connection = session.connection()
    lines = stored_lines(connection.connection.driver_connection, today, sees_ontzorgen=sees_ontzorgen)
    assert lines is not None
    missing = [line for line in lines if isinstance(line, uuid.UUID)]
    if not missing:
        return lines  # type: ignore[return-value]
    try:
        with session.begin_nested():
            hold_off_writers(session, today)
    except OperationalError as error:
        if not _locked(error):
            raise
        # Another program holds the store's write lock past the busy timeout: the listing is read
        # as before the lines were stored (WAL lets a reader through), and stores them next time.
        computed = computed_lines(session, today, missing)
    else:
        computed = computed_lines(session, today, missing)
        store_lines(session, computed, today)
    by_id = {line.row.client_id: line.row for line in computed}
    # A client erased since the stored lines were read is left out; one added since is listed next time.
    return [
        by_id[line] if isinstance(line, uuid.UUID) else line
        for line in lines
        if not isinstance(line, uuid.UUID) or line in by_id
    ]


def hold_off_writers(session: Session, today: dt.date) -> None:
    """While lines are recomputed, no other writer may change what they are computed from, or a
    line computed from what was read before that change would be stored after its trigger ran.
    PostgreSQL: the triggers' DELETE waits for this lock (a writer already under way commits first,
    and is then read). SQLite: the first write of the transaction takes the store's one write lock.
    Then the lines ahead that are right for `today` become the stored lines (`promote_lines_ahead`),
    and the stored lines not right for it are dropped."""
    if not _sqlite(session):
        session.execute(text("LOCK TABLE caseload_state IN SHARE ROW EXCLUSIVE MODE"))
    promote_lines_ahead(session, today)
    state = CaseloadState
    session.connection().execute(
        delete(state).where(or_(state.valid_from > today, state.valid_until < today))
    )


_PROMOTE = (
    "INSERT INTO caseload_state ({columns}) SELECT {columns} FROM caseload_ahead"
    " WHERE valid_from <= :today AND (valid_until IS NULL OR valid_until >= :today)"
    " ON CONFLICT (client_id) DO UPDATE SET {updates}"
)


def promote_lines_ahead(session: Session, today: dt.date) -> None:
    """The lines ahead right for `today` replace the clients' stored lines; those that began on or
    before `today` are then dropped (promoted, or over). Every line ahead is as current as the
    stored line: the same triggers delete both (migration 0014)."""
    columns = ", ".join(COLUMNS)
    updates = ", ".join(f"{name} = excluded.{name}" for name in COLUMNS if name != "client_id")
    day = bindparam("today", today, type_=Date)
    connection = session.connection()
    connection.execute(text(_PROMOTE.format(columns=columns, updates=updates)).bindparams(day))
    connection.execute(text("DELETE FROM caseload_ahead WHERE valid_from <= :today").bindparams(day))


def _locked(error: OperationalError) -> bool:
    message = str(error.orig).lower()
    return "locked" in message or "busy" in message


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


_UPSERT = "INSERT INTO {table} ({columns}) VALUES ({values}) ON CONFLICT ({key}) DO UPDATE SET {updates}"
_KEYS = {"caseload_state": ("client_id",), "caseload_ahead": ("client_id", "valid_from")}


def store_lines(
    session: Session, lines: list[ComputedLine], today: dt.date, table: str = "caseload_state"
) -> None:
    """Store (or replace) the lines as computed for `today`: one executemany on the DB-API cursor
    (the SQLAlchemy row processing would cost more than the computing, issue 15). `table`
    "caseload_ahead": as lines ahead, right from `today` on (app/services/caseload_ahead.py)."""
    if not lines:
        return
    sqlite = _sqlite(session)
    texts: dict[Msg, str] = {}
    values = []
    for line in lines:
        row = line.row
        if line.status_text not in texts:
            texts[line.status_text] = line.status_text.to_json()
        values.append(
            (
                row.client_id.hex if sqlite else row.client_id,
                line.position,
                today.isoformat() if sqlite else today,
                (line.valid_until.isoformat() if sqlite else line.valid_until) if line.valid_until else None,
                row.v_nummer,
                row.name,
                row.name_original,
                row.birth_date,
                row.coa_location,
                row.klantmanager,
                (row.housing_date.isoformat() if sqlite else row.housing_date) if row.housing_date else None,
                texts[line.status_text],
                line.leerroute_msgid,
                row.pip_state,
                pack_flags(row.obliged, line.flags),
                pack_deadline(row.next_deadline),
                pack_exemption(row.exempted_on, row.exempt_parts),
            )
        )
    statement = _UPSERT.format(
        table=table,
        columns=", ".join(COLUMNS),
        values=", ".join(["?" if sqlite else "%s"] * len(COLUMNS)),
        key=", ".join(_KEYS[table]),
        updates=", ".join(f"{name} = excluded.{name}" for name in COLUMNS if name not in _KEYS[table]),
    )
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(statement, values)
    finally:
        cursor.close()


def caseload_row_json(row: CaseloadRow) -> dict[str, Any]:
    """One line of `wegwijs list --json` (the keys are the CLI contract, shared/CLI.md)."""
    deadline = row.next_deadline
    return {
        "id": str(row.client_id),
        "v_nummer": row.v_nummer,
        "naam": row.name,
        "naam_origineel": row.name_original,
        "geboortedatum": row.birth_date,
        "coa_locatie": row.coa_location,
        "klantmanager": row.klantmanager,
        "status": row.status,
        "leerroute": row.leerroute or None,
        "inburgeringsplichtig": row.obliged,
        "pip_status": row.pip_state,
        "markering": {
            "te_laat": row.flags.late,
            "binnenkort": row.flags.due_soon,
            "in_azc_zonder_pip": row.flags.azc_without_pip,
            "ontzorgen_loopt_af": row.flags.ontzorgen_ending,
            "voortgangsgesprek_te_laat": row.flags.meeting_late,
        },
        # DUO's exemption (ontheffing): null without one; the whole duty or only some exam parts.
        "ontheffing": None
        if row.exempted_on is None and not row.exempt_parts
        else {
            "hele_plicht": row.exempted_on is not None,
            "datum": row.exempted_on.isoformat() if row.exempted_on else None,
            "onderdelen": list(row.exempt_parts),
        },
        "volgende_termijn": None
        if deadline is None
        else {
            "soort": deadline.kind.value,
            "omschrijving": deadline.deadline.label,
            "datum": deadline.due.isoformat(),
            "dagen_over": deadline.days_left,
            "toestand": deadline.state.value,
        },
    }


class CaseloadService:
    """The caseload for one profile; each call one unit of work on the store."""

    def __init__(self, store: StoreLike, actor: str, role: str) -> None:
        self._store = store
        self._actor = actor
        self._role = role

    @classmethod
    def for_profile(cls, profile: Profile) -> CaseloadService:
        return cls(profile.store(), profile.actor, profile.settings.role)

    def rows(self, today: dt.date | None = None) -> list[CaseloadRow]:
        with self._store.session(self._actor, self._role) as session:
            return caseload_rows(session, today)
