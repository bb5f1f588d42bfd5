"""The supervisor side: verify, decrypt, validate and apply one package in one transaction.

Everything that can refuse a package is checked before the first write, and the writes happen in
one transaction with foreign keys checked at commit, so a package is applied entirely or not at all.
A record edited from an older version than the one here is never overwritten: both versions are
kept in sync_conflict with the differences field by field.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select, tuple_
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from app.collector import collections_paused
from app.models.base import Base, utcnow
from app.models.sync_state import PEER_DEVICE, ImportedPackage, SyncPeer
from app.sync.apply_writes import (
    _APPLIED,
    _CONFLICT,
    _SUPERSEDED,
    OUTCOME_CONFLICT,
    OUTCOME_DUPLICATE,
    OUTCOME_IMPORTED,
    OUTCOME_REFUSED,
    ApplyResult,
    _apply_record,
    _imported_row,
    _lock_streams,
    _previous_query,
    _write,
    _Writes,
    insert_many,
    result_for,
)
from app.sync.envelope import OpenedPackage, PackageHeader, TrustedDevice, open_package
from app.sync.errors import PackageRefused, RefusalReason
from app.sync.incoming import (
    SUPPORTED_SCHEMAS,
    IncomingRecord,
    Key,
    hold_back,
    prefetch,
    rows_where_in,
    validate_payload,
)
from app.sync.keys import DeviceKeys, PublicKeys

__all__ = [
    "OUTCOME_CONFLICT",
    "OUTCOME_DUPLICATE",
    "OUTCOME_IMPORTED",
    "OUTCOME_REFUSED",
    "SUPPORTED_SCHEMAS",
    "ApplyResult",
    "IncomingRecord",
    "Key",
    "validate_payload",
]

_log = logging.getLogger(__name__)
# A device's clock may run somewhat ahead; a package made later than this after our "now" is refused.
FUTURE_TOLERANCE = dt.timedelta(hours=24)


class SessionSource(Protocol):
    def session(self, actor: str = ..., role: str = ...) -> Any: ...


def device_lookup(session: Session) -> Any:
    def lookup(device_id: str) -> TrustedDevice | None:
        peer = session.get(SyncPeer, device_id)
        if peer is None or peer.kind != PEER_DEVICE:
            return None
        keys = PublicKeys(peer.verify_key, peer.public_key, peer.role, peer.name, peer.municipality)
        return TrustedDevice(keys, revoked=peer.revoked_at is not None)

    return lookup


def trusted_devices(session: Session) -> dict[str, TrustedDevice]:
    """Every registered device, read once for a whole import run (a Core query: plain rows)."""
    peers = Base.metadata.tables[SyncPeer.__tablename__].c
    query = select(
        peers.device_id,
        peers.verify_key,
        peers.public_key,
        peers.role,
        peers.name,
        peers.municipality,
        peers.revoked_at,
    ).where(peers.kind == PEER_DEVICE)
    return {
        row.device_id: TrustedDevice(
            PublicKeys(row.verify_key, row.public_key, row.role, row.name, row.municipality),
            revoked=row.revoked_at is not None,
        )
        for row in session.connection().execute(query)
    }


def apply_package(
    store: SessionSource,
    data: bytes,
    keys: DeviceKeys,
    now: dt.datetime | None = None,
    lookup_device: Callable[[str], TrustedDevice | None] | None = None,
) -> ApplyResult:
    """Verify and apply one package in one transaction; raises PackageRefused (nothing applied).

    When the store refuses the package as a whole (a unique rule), it is applied once more with
    the records that collide held back as conflicts, so one clash never blocks a whole package.
    """
    now = now or utcnow()
    try:
        return _apply_package(store, data, keys, now, lookup_device, careful=False)
    except IntegrityError:
        pass
    try:
        return _apply_package(store, data, keys, now, lookup_device, careful=True)
    except IntegrityError as error:
        raise PackageRefused(RefusalReason.MISSING_REFERENCE, type(error.orig).__name__) from error


@dataclass(frozen=True)
class _Prepared:
    """A package opened and checked once for a batch: its header, and its records or why not."""

    header: PackageHeader
    records: list[IncomingRecord] | None
    refusal: PackageRefused | None  # the payload's refusal: given after the duplicate check


# Records per group applied together: the lookups' IN lists stay far within SQLite's parameter limit.
TOGETHER_RECORDS = 4000


def apply_packages(
    store: SessionSource,
    packages: Sequence[bytes],
    keys: DeviceKeys,
    now: dt.datetime | None = None,
    lookup_device: Callable[[str], TrustedDevice | None] | None = None,
    together_records: int = TOGETHER_RECORDS,
) -> list[ApplyResult | PackageRefused]:
    """Apply several packages in one transaction, each still all or nothing: a refused one leaves
    nothing behind and the others go in, and the batch costs one commit instead of one per package.
    The result for each package, in order: what it applied, or why it was refused. Nothing is
    committed until all are done, so the caller writes receipts only after this returns.

    The common case, packages whose records are all new here, goes in together: the lookups for the
    whole batch in three queries and one multi-row INSERT per table, inside one SAVEPOINT. If the
    store refuses that (a unique rule, a missing parent), or for every other package, each package is
    applied in its own SAVEPOINT as before. `together_records`: the most records of one such group."""
    now = now or utcnow()
    # Opening, checking and writing a batch allocates some hundred thousand short-lived objects: the
    # cycle collector's passes over them (and over the whole heap) were a tenth of the import.
    with collections_paused(), store.session(actor="synchronisatie", role="supervisor") as session:
        session.info["journal"] = False
        lookup = lookup_device or device_lookup(session)
        durable = _durable_commit(session, True)
        _begin(session)
        prepared = [_prepare(data, keys, lookup) for data in packages]
        together = _apply_together(session, prepared, now, together_records)
        results: list[ApplyResult | PackageRefused] = []
        for index, data in enumerate(packages):
            ready = prepared[index]
            if index in together:
                results.append(together[index])
            elif isinstance(ready, PackageRefused):
                results.append(ready)
            else:
                results.append(_apply_in_savepoint(session, data, keys, now, lookup, ready))
        if durable:
            session.commit()
            _durable_commit(session, False)
    return results


def _durable_commit(session: Session, on: bool) -> bool:
    """Receipts and the emptied inbox follow this commit, so on SQLite (WAL, NORMAL: a power cut may
    lose the last commit) it syncs the log, one fsync per batch; PostgreSQL's commit is durable."""
    if (connection := session.connection()).dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA synchronous = {'FULL' if on else 'NORMAL'}")
    return connection.dialect.name == "sqlite"


def _begin(session: Session) -> None:
    """An explicit BEGIN: the driver opens a transaction only before a write, and a SAVEPOINT outside
    a transaction would commit on its RELEASE (one commit per package after all)."""
    connection = session.connection()
    driver = connection.connection.driver_connection
    if driver is not None and not getattr(driver, "in_transaction", True):
        connection.exec_driver_sql("BEGIN")


def _prepare(
    data: bytes, keys: DeviceKeys, lookup: Callable[[str], TrustedDevice | None]
) -> _Prepared | PackageRefused:
    """Open, date-check and validate one package, inside its own boundary."""
    try:
        header = _opened_header(opened := open_package(data, keys=keys, lookup_device=lookup))
        try:
            return _Prepared(header, validate_payload(opened.payload), None)
        except PackageRefused as refusal:
            return _Prepared(header, None, refusal)
    except PackageRefused as refusal:
        return refusal
    except (DBAPIError, MemoryError):
        raise
    except Exception as error:  # the boundary: this package is refused, the batch goes on
        _log.exception("import: a package could not be opened (%s)", type(error).__name__)
        return PackageRefused(RefusalReason.UNEXPECTED, type(error).__name__)


def _opened_header(opened: OpenedPackage) -> PackageHeader:
    # The wall clock, not `now` (which callers may set to record an import time of their own).
    if opened.header.created_at > utcnow() + FUTURE_TOLERANCE:
        raise PackageRefused(RefusalReason.FROM_THE_FUTURE, f"created {opened.header.created_at.isoformat()}")
    return opened.header


def _apply_together(
    session: Session, prepared: Sequence[_Prepared | PackageRefused], now: dt.datetime, limit: int
) -> dict[int, ApplyResult]:
    """The packages of a batch that only bring new records, applied in one go (see apply_packages);
    {} when there are none or the store refused them together.

    In groups of at most `limit` records, in the batch's order: a group is a run of
    packages, the next group starts where the limit was reached. A package with a record that an
    earlier package of the batch also brings goes one by one, and so does every later package with
    one of its records (their order stays the batch's order)."""
    results: dict[int, ApplyResult] = {}
    claimed: set[Key] = set()  # records of packages chosen so far, or held out for one by one
    sequences: set[tuple[str, int]] = set()
    candidates = [
        index
        for index, ready in enumerate(prepared)
        if isinstance(ready, _Prepared) and ready.records is not None
    ]
    while candidates:
        group: dict[int, _Prepared] = {}
        count = 0
        later: list[int] = []
        for position, index in enumerate(candidates):
            ready = prepared[index]
            assert isinstance(ready, _Prepared)
            own = {(r.table, r.id) for r in ready.records or []}
            number = (ready.header.device_id, ready.header.sequence)
            if own & claimed or number in sequences:
                claimed |= own  # it and whatever else brings these records go one by one, in order
                continue
            if group and count + len(own) > limit:
                later = candidates[position:]  # the next group starts here
                break
            group[index] = ready
            claimed |= own
            sequences.add(number)
            count += len(own)
        results |= _apply_group(session, group, now)
        candidates = later
    return results


def _apply_group(session: Session, chosen: dict[int, _Prepared], now: dt.datetime) -> dict[int, ApplyResult]:
    """One group of `_apply_together`, in one SAVEPOINT; {} when the store refused it (then each of
    its packages goes one by one)."""
    if not chosen:
        return {}
    sequences = {(ready.header.device_id, ready.header.sequence) for ready in chosen.values()}
    table = Base.metadata.tables[ImportedPackage.__tablename__]
    connection = session.connection()
    found: Sequence[Any] | None = rows_where_in(
        connection, table.name, ("device_id", "sequence"), ("device_id", "sequence"), sorted(sequences)
    )
    if found is None:
        found = connection.execute(
            select(table.c.device_id, table.c.sequence).where(
                tuple_(table.c.device_id, table.c.sequence).in_(sorted(sequences))
            )
        ).all()
    seen_before = {(device_id, sequence) for device_id, sequence in found}
    chosen = {i: r for i, r in chosen.items() if (r.header.device_id, r.header.sequence) not in seen_before}
    records = [record for ready in chosen.values() for record in ready.records or []]
    known = prefetch(session, records)
    for index, ready in list(chosen.items()):
        if not (known.records or known.origins or known.assigned):
            break  # nothing of the group is here yet (a first import)
        device = ready.header.device_id
        for record in ready.records or []:
            key = (record.table, record.id)
            assigned = known.assigned.get(key)
            if key in known.records or key in known.origins or (assigned is not None and assigned != device):
                del chosen[index]  # something of it is here already: weighed one by one
                break
    if not chosen:
        return {}
    writes = _Writes()
    imported: list[dict[str, Any]] = []
    results: dict[int, ApplyResult] = {}
    try:
        with session.begin_nested(), session.no_autoflush:
            # Asked for again inside: the SAVEPOINT is emitted when the nested transaction first
            # takes the connection (a connection taken before would run outside the savepoint).
            connection = session.connection()
            _lock_streams(connection, [ready.header.device_id for ready in chosen.values()])
            for index, ready in chosen.items():
                header, brought = ready.header, ready.records or []
                for record in brought:
                    _apply_record(session, known, writes, record, header.device_id, header.sequence, now)
                imported.append(_imported_row(header, now, OUTCOME_IMPORTED, len(brought), 0))
                results[index] = result_for(header, OUTCOME_IMPORTED, len(brought))
            _write(connection, writes)
            insert_many(connection, ImportedPackage.__tablename__, imported)
    except IntegrityError:
        return {}  # rolled back to the savepoint: each package goes on its own
    return results


def _apply_in_savepoint(
    session: Session,
    data: bytes,
    keys: DeviceKeys,
    now: dt.datetime,
    lookup_device: Callable[[str], TrustedDevice | None],
    prepared: _Prepared | None = None,
) -> ApplyResult | PackageRefused:
    for careful in (False, True):
        try:
            with session.begin_nested():
                # Foreign keys are checked per statement here (a deferred check would wait for the
                # batch's commit); records go in parents first, so that is the same rule.
                result = _apply_in(
                    session,
                    data,
                    keys,
                    now,
                    lookup_device,
                    careful,
                    defer_foreign_keys=False,
                    prepared=prepared,
                )
                session.flush()
            return result
        except IntegrityError as error:
            failure = error
        except PackageRefused as refusal:
            return refusal
        except (DBAPIError, MemoryError):
            raise  # the store itself failed (a full disk, a lost connection): the whole batch stops
        except Exception as error:  # the boundary: this package is refused, the batch goes on
            _log.exception("import: a package could not be applied (%s)", type(error).__name__)
            return PackageRefused(RefusalReason.UNEXPECTED, type(error).__name__)
    return PackageRefused(RefusalReason.MISSING_REFERENCE, type(failure.orig).__name__)


def _apply_package(
    store: SessionSource,
    data: bytes,
    keys: DeviceKeys,
    now: dt.datetime,
    lookup_device: Callable[[str], TrustedDevice | None] | None,
    careful: bool,
) -> ApplyResult:
    with store.session(actor="synchronisatie", role="supervisor") as session:
        # The importer sets versions itself: the journal listener must not renumber them, and
        # the supervisor does not send these records on.
        session.info["journal"] = False
        lookup = lookup_device or device_lookup(session)
        return _apply_in(session, data, keys, now, lookup, careful, defer_foreign_keys=True)


def _apply_in(
    session: Session,
    data: bytes,
    keys: DeviceKeys,
    now: dt.datetime,
    lookup_device: Callable[[str], TrustedDevice | None],
    careful: bool,
    defer_foreign_keys: bool,
    prepared: _Prepared | None = None,
) -> ApplyResult:
    opened: OpenedPackage | None = None
    if prepared is None:
        opened = open_package(data, keys=keys, lookup_device=lookup_device)
        header = _opened_header(opened)
    else:
        header = prepared.header
    connection = session.connection()
    _lock_streams(connection, [header.device_id])
    previous = connection.execute(
        _previous_query(), {"device_id": header.device_id, "sequence": header.sequence}
    ).first()
    if previous is not None:
        if previous.content_hash != header.content_hash:
            raise PackageRefused(RefusalReason.REPLAYED, f"sequence {header.sequence}")
        return result_for(header, OUTCOME_DUPLICATE, previous.record_count, previous.conflict_count)
    if prepared is None:
        assert opened is not None
        records = validate_payload(opened.payload)
    elif prepared.records is None:
        raise prepared.refusal or PackageRefused(RefusalReason.INVALID_PAYLOAD)
    else:
        records = prepared.records
    if defer_foreign_keys and connection.dialect.name == "sqlite":
        # Within the package, parents and children may come in any order; check at commit. (In
        # PostgreSQL the new rows are inserted parents first, `_write`, and checked per statement.)
        connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    results: dict[str, int] = {_APPLIED: 0, _CONFLICT: 0, _SUPERSEDED: 0}
    known = prefetch(session, records)
    if careful:
        hold_back(session, records, known)
    writes = _Writes()
    # One flush at the end instead of one per lookup: the lookups were all done above.
    with session.no_autoflush:
        for record in records:
            results[
                _apply_record(session, known, writes, record, header.device_id, header.sequence, now)
            ] += 1
    _write(connection, writes)
    conflicts, superseded = results[_CONFLICT], results[_SUPERSEDED]
    if conflicts:
        outcome = OUTCOME_CONFLICT
    elif records and superseded == len(records):
        outcome = OUTCOME_DUPLICATE  # every record already came here in a newer package
    else:
        outcome = OUTCOME_IMPORTED
    insert_many(
        connection,
        ImportedPackage.__tablename__,
        [_imported_row(header, now, outcome, len(records), conflicts)],
    )
    return result_for(header, outcome, len(records), conflicts, superseded)
