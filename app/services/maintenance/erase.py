"""Erasing one client (AVG, `wegwijs erase --client ID --reason TEXT`; issue 14).

In one unit of work: every record about the person (intake conversations, intakes, PIP versions with
their reviewed translations, the PIP, the case, the client; the household too when nobody else is in
it), the supervisor's conflicts about those records (both sides hold the data) and where they came
from. Each deleted synced record gets its tombstone in the change journal in the same flush
(app/models/journal.py), so the next push carries the erasure to the supervisor, whose import
deletes the same records. The audit log keeps that an erasure happened: by whom, in which role, why
and how many records, never a name, number or answer; the reason is refused when it names the
person. After the commit the printed PIPs the app knows of (its PDF folder, the files named after
the V-nummer) are removed. Backups expire by age (app/services/maintenance/backup.py).

Refused while an objection or appeal against an adopted PIP runs: the file is needed for it.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.domain.errors import WegwijsError
from app.domain.retention import objection_running
from app.i18n import _
from app.models.client import Client, Household
from app.models.journal import record_audit
from app.models.pip import Pip
from app.models.store import StoreLike
from app.models.sync_state import RecordOrigin, SyncConflict
from app.services.client_records import find_client, records_of_client
from app.services.pdf_files import pdf_folder_of, printed_pips
from app.services.profile import Profile

ACTION_ERASE = "gewist"  # audit action code (app/models/journal.py keeps codes, never free text)
MAX_REASON = 300


class ErasureRefused(WegwijsError):
    pass


@dataclass(frozen=True)
class ErasureReport:
    client_id: uuid.UUID
    records: int  # synced records deleted; each travels as a tombstone with the next push
    conflicts: int  # the supervisor's conflicts about them, removed
    household_removed: bool
    documents: tuple[str, ...] = ()  # printed PIPs removed (paths)


def check_reason(reason: str, client: Client) -> str:
    """The reason goes into the audit log, which holds no personal data: it must not name the person."""
    text = " ".join(reason.split())
    if not text:
        raise ErasureRefused(
            _("Geef met --reason op waarom de gegevens worden gewist (bijvoorbeeld 'verzoek AVG').")
        )
    if len(text) > MAX_REASON:
        raise ErasureRefused(
            _("De reden is te lang; gebruik hoogstens {count} tekens.").format(count=MAX_REASON)
        )
    folded = text.casefold()
    personal = [
        client.v_nummer,
        client.bsn or "",
        client.family_name,
        client.given_names,
        client.name_original or "",
    ]
    if any(len(item) >= 3 and item.casefold() in folded for item in personal):
        raise ErasureRefused(
            _(
                "De reden noemt de cliënt (naam, V-nummer of BSN); het auditlogboek bewaart de reden maar geen "
                "persoonsgegevens: schrijf de reden zonder die gegevens."
            )
        )
    return text


def check_erasable(session: Session, client: Client) -> None:
    pip = session.scalars(select(Pip).where(Pip.client_id == client.id)).first()
    if pip is not None and objection_running(pip.objections):
        raise ErasureRefused(
            _(
                "Tegen het vastgestelde PIP van deze cliënt loopt nog bezwaar of beroep; de gegevens kunnen pas "
                "worden gewist als dat is afgelopen (leg eerst de beslissing vast)."
            )
        )


def erase_client(session: Session, client: Client, reason: str) -> ErasureReport:
    """Delete everything about `client` in the caller's unit of work (the journal makes the tombstones)."""
    check_erasable(session, client)
    reason = check_reason(reason, client)
    records = records_of_client(session, client)
    ids = [record.id for record in records]
    household: Household | None = client.household
    alone = household is not None and all(member.id == client.id for member in household.members)
    # Children first, each kind flushed before its parent, so no foreign key is ever set to NULL.
    for record in records:
        session.delete(record)
        session.flush()
    if household is not None and alone:
        session.delete(household)
        ids.append(household.id)
        session.flush()
    conflicts = len(session.scalars(select(SyncConflict.id).where(SyncConflict.entity_id.in_(ids))).all())
    session.execute(delete(SyncConflict).where(SyncConflict.entity_id.in_(ids)))
    session.execute(delete(RecordOrigin).where(RecordOrigin.entity_id.in_(ids)))
    count = len(records) + (1 if alone else 0)
    record_audit(session, ACTION_ERASE, "client", client.id, f"reden: {reason}; {count} records")
    return ErasureReport(client.id, count, conflicts, alone)


class ErasureService:
    """Erasing clients for one profile; each call one unit of work on the store."""

    def __init__(self, store: StoreLike, actor: str, role: str, pdf_folder: Path | None = None) -> None:
        self._store = store
        self._actor = actor
        self._role = role
        self._pdf_folder = pdf_folder

    @classmethod
    def for_profile(cls, profile: Profile) -> ErasureService:
        folder = pdf_folder_of(profile.data_dir, profile.settings.options)
        return cls(profile.store(), profile.actor, profile.settings.role, folder)

    def erase(self, reference: str, reason: str) -> ErasureReport:
        with self._store.session(self._actor, self._role) as session:
            client = find_client(session, reference)
            v_nummer = client.v_nummer
            report = erase_client(session, client, reason)
        return self._remove_documents(report, v_nummer)

    def erase_ids(self, client_ids: list[uuid.UUID], reason: str) -> list[ErasureReport]:
        """Several clients (retention): each in its own unit of work, so one refusal stops no other."""
        reports = []
        for client_id in client_ids:
            with self._store.session(self._actor, self._role) as session:
                client = session.get(Client, client_id)
                if client is None:
                    continue
                v_nummer = client.v_nummer
                report = erase_client(session, client, reason)
            reports.append(self._remove_documents(report, v_nummer))
        return reports

    def _remove_documents(self, report: ErasureReport, v_nummer: str) -> ErasureReport:
        removed = []
        if self._pdf_folder is not None:
            for path in printed_pips(self._pdf_folder, v_nummer):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                    removed.append(str(path))
        return ErasureReport(report.client_id, report.records, report.conflicts, report.household_removed,
                             tuple(removed))  # fmt: skip
