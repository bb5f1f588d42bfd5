"""Finding a client in the store: helpers for the use cases in app/services (they take the caller's
session and are never called from app/ui or app/commands)."""

from __future__ import annotations

import uuid

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.domain.errors import WegwijsError
from app.i18n import N_, _
from app.models.client import Client

NO_SUCH_REFERENCE = N_(
    "Er is geen cliënt met id of V-nummer '{reference}'; controleer het nummer met 'wegwijs list'."
)
NO_LONGER_STORED = N_("Deze cliënt bestaat niet meer in de database; ververs de lijst.")


class ClientNotFound(WegwijsError):
    pass


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
