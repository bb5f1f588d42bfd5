"""Finding a client in the store: helpers for the use cases in app/services (they take the caller's
session and are never called from app/ui or app/commands)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.domain.errors import WegwijsError
from app.i18n import N_, _
from app.models.base import SyncedAggregate
from app.models.client import Case, Client
from app.models.intake import Intake, IntakeSession
from app.models.pip import Pip, PipVersion

NO_SUCH_REFERENCE = N_(
    "Er is geen cliënt met id of V-nummer '{reference}'; controleer het nummer met 'wegwijs list'."
)
NO_LONGER_STORED = N_("Deze cliënt bestaat niet meer in de database; ververs de lijst.")


class ClientNotFound(WegwijsError):
    pass


class CaseClosed(WegwijsError):
    """The client moved to another municipality: the case here is closed (verhuizing)."""


def moved_sentence(municipality: str, on: dt.date) -> str:
    return _(
        "Deze cliënt is verhuisd naar {municipality} op {date}; het dossier is gesloten en kan hier "
        "niet meer worden gewijzigd."
    ).format(municipality=municipality, date=on.strftime("%d-%m-%Y"))


def refuse_if_moved(session: Session, client_id: uuid.UUID) -> None:
    """Refuse a change to a moved client's intake or PIP: the new municipality carries the case."""
    moved = session.execute(
        select(Case.moved_to, Case.moved_on).where(Case.client_id == client_id, Case.moved_on.is_not(None))
    ).first()
    if moved is not None:
        raise CaseClosed(moved_sentence(moved.moved_to or "", moved.moved_on))


def intake_unless_moved(session: Session, intake_id: uuid.UUID) -> Intake | None:
    """The intake (None when there is none), refused like `refuse_if_moved` when its client moved;
    one statement for both, as every autosave asks them."""
    row = session.execute(
        select(Intake, Case.moved_to, Case.moved_on)
        .outerjoin(Case, Case.client_id == Intake.client_id)
        .where(Intake.id == intake_id)
    ).first()
    if row is None:
        return None
    intake, moved_to, moved_on = row
    if moved_on is not None:
        raise CaseClosed(moved_sentence(moved_to or "", moved_on))
    return intake


def find_client(session: Session, reference: str) -> Client:
    """A client by internal id or by V-nummer, as `--client` accepts."""
    reference = reference.strip()
    conditions = [Client.v_nummer == reference]
    try:
        conditions.append(Client.id == uuid.UUID(reference))
    except ValueError:
        pass
    client = session.scalars(select(Client).where(or_(*conditions))).first()
    if client is None:
        raise ClientNotFound(_(NO_SUCH_REFERENCE).format(reference=reference))
    return client


def get_client(session: Session, client_id: uuid.UUID) -> Client:
    """A client chosen in a list; refused when it was removed meanwhile."""
    client = session.get(Client, client_id)
    if client is None:
        raise ClientNotFound(_(NO_LONGER_STORED))
    return client


def records_of_client(session: Session, client: Client) -> list[SyncedAggregate]:
    """Every synced record that is about this one person, children before their parents: intake
    conversations, intakes, PIP versions, the progress records, the PIP, the case, the client. The household is shared
    with others and is not listed (the client's membership is a column of the client)."""
    intakes = list(session.scalars(select(Intake).where(Intake.client_id == client.id)))
    conversations = list(
        session.scalars(select(IntakeSession).where(IntakeSession.intake_id.in_([i.id for i in intakes])))
    )
    pip = session.scalars(select(Pip).where(Pip.client_id == client.id)).first()
    versions = list(session.scalars(select(PipVersion).where(PipVersion.pip_id == pip.id))) if pip else []
    records: list[SyncedAggregate] = [*conversations, *intakes, *versions]
    if pip is not None:
        records.extend([*pip.meetings, *pip.modules, *pip.exams, *pip.hours, pip])
    if client.case is not None:
        records.append(client.case)
    records.append(client)
    return records


def client_record_ids(session: Session, client: Client) -> list[uuid.UUID]:
    return [record.id for record in records_of_client(session, client)]
