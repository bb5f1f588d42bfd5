"""The change journal (read by sync) and the audit log, both written in the changing transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Integer, String, Uuid, event, insert, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from app.models.base import Base, SyncedAggregate, UtcDateTime, new_id, utcnow

# Audit actions are codes, never free text: the log must not carry personal data.
ACTION_CREATE = "aangemaakt"
ACTION_UPDATE = "gewijzigd"
ACTION_DELETE = "verwijderd"
ACTION_READ = "ingezien"
ACTION_EXPORT = "geëxporteerd"


class ChangeJournalEntry(Base):
    """One committed change to a synced record; sync turns pending entries into packages."""

    __tablename__ = "change_journal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity_type: Mapped[str] = mapped_column(String(64), nullable=False)
    entity_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    operation: Mapped[str] = mapped_column(String(16), nullable=False)  # insert / update / delete
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    base_version: Mapped[int] = mapped_column(Integer, nullable=False)
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)
    actor: Mapped[str] = mapped_column(String(200), nullable=False)
    sync_state: Mapped[str] = mapped_column(String(16), nullable=False, default="pending", index=True)


class AuditEntry(Base):
    """Who did what to which record, when. Field names only, never their values."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)
    actor: Mapped[str] = mapped_column(String(200), nullable=False)
    role: Mapped[str] = mapped_column(String(32), nullable=False)
    action: Mapped[str] = mapped_column(String(32), nullable=False)
    entity_type: Mapped[str] = mapped_column(String(64), nullable=False)
    entity_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, index=True)
    detail: Mapped[str] = mapped_column(String(1000), nullable=False, default="")


def record_audit(
    session: Session, action: str, entity_type: str, entity_id: uuid.UUID | None, detail: str = ""
) -> None:
    """An explicit audit entry, for reads and exports that change nothing."""
    session.add(
        AuditEntry(
            actor=session.info.get("actor", "systeem"),
            role=session.info.get("role", ""),
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            detail=detail[:1000],
        )
    )


def _changed_fields(record: SyncedAggregate) -> list[str]:
    state = inspect(record)
    return sorted(
        attr.key
        for attr in state.attrs
        if attr.key not in {"version", "updated_at"} and attr.history.has_changes()
    )


def _journal_changes(session: Session, flush_context: object, instances: object) -> None:
    if not session.info.get("journal", True):
        return
    actor = session.info.get("actor", "systeem")
    role = session.info.get("role", "")
    now = utcnow()
    # Plain rows, written with one multi-row INSERT per table on the flushing transaction: as ORM
    # objects they were two thirds of what a flush handled (issue 15; demo data, imports, autosave).
    journal: list[dict[str, Any]] = []
    audit: list[dict[str, Any]] = []

    def note(record: SyncedAggregate, operation: str, base: int, action: str, detail: str) -> None:
        table = record.__tablename__  # type: ignore[attr-defined]
        journal.append(
            {
                "entity_type": table,
                "entity_id": record.id,
                "operation": operation,
                "version": record.version,
                "base_version": base,
                "changed_at": now,
                "actor": actor,
            }
        )
        audit.append(
            {
                "at": now,
                "actor": actor,
                "role": role,
                "action": action,
                "entity_type": table,
                "entity_id": record.id,
                "detail": detail[:1000],
            }
        )

    for record in list(session.new):
        if isinstance(record, SyncedAggregate):
            if record.id is None:
                record.id = new_id()
            record.version = 1
            record.created_at = record.created_at or now
            record.updated_at = now
            note(record, "insert", 0, ACTION_CREATE, "")
    for record in list(session.dirty):
        if isinstance(record, SyncedAggregate) and session.is_modified(record, include_collections=False):
            fields = _changed_fields(record)
            if not fields:
                continue
            base = record.version
            record.version = base + 1
            record.updated_at = now
            note(record, "update", base, ACTION_UPDATE, ",".join(fields))
    for record in list(session.deleted):
        if isinstance(record, SyncedAggregate):
            # The deleted row's last version plus one marks the tombstone.
            base = record.version
            record.version = base + 1
            note(record, "delete", base, ACTION_DELETE, "")
    if journal:
        # In the same transaction (or savepoint) as the changes: a failed flush takes them back too.
        connection = session.connection()
        connection.execute(insert(ChangeJournalEntry), journal)
        connection.execute(insert(AuditEntry), audit)


def install_journal(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "before_flush", _journal_changes)
