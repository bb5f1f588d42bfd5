"""The supervisor side: import packages from files, folders and targets, write signed receipts, and
keep refused items in quarantine with a note of the reason. One bad item never stops the rest.

Every inbox entry has its own error boundary: whatever goes wrong with one (a link, a file without
read rights, a name the target cannot use, a package the importer refuses or cannot even parse) is
refused with its reason, quarantined, logged, and the next one goes on. Only what concerns the whole
run stops it: the target going away, or the store failing (a full disk), with nothing lost.

Packages are applied in batches (app/sync/importer.py `apply_packages`: one transaction, a
savepoint per package); receipts are written, refused items quarantined and the inbox emptied only
after the batch is committed, so a receipt never precedes its package's commit. A device whose
packages say it reads batch receipts gets one per batch (app/sync/receipts.py), any other one
receipt per package.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import functools
import logging
import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.collector import collections_paused
from app.domain.enums import Role
from app.i18n import _
from app.models.base import utcnow
from app.services.profile import Profile
from app.services.sync.keys import device_keys
from app.services.sync.quarantine import Quarantine
from app.services.sync.records import receipts_dir
from app.services.sync.target import SyncTargetService, is_web_address, web_transport
from app.services.transfer.receive import TransferOutcome, is_transfer, receive_transfer, transfer_note
from app.sync.atomic import atomic_write_many, is_temporary_name
from app.sync.envelope import MAX_PACKAGE_FILE, TrustedDevice
from app.sync.errors import (
    FileTooLarge,
    PackageRefused,
    RefusalReason,
    SyncError,
    TargetUnreachable,
    UnusableFile,
)
from app.sync.importer import OUTCOME_REFUSED, ApplyResult, apply_packages, trusted_devices
from app.sync.keys import DeviceKeys
from app.sync.receipts import (
    BATCH_RECEIPT,
    Delivered,
    batch_receipt_name,
    make_batch_receipt,
    make_receipt,
    receipt_name,
)
from app.sync.transport import INBOX, RECEIPTS, FolderTransport, Transport, read_regular_file

_log = logging.getLogger(__name__)
# Packages applied per transaction: large enough that commits do not dominate (each batch's commit
# syncs the log to disk, some 5 ms: a sixth of 64 packages' import, issue 15), small enough that memory
# stays bounded (a batch holds its packages' bytes) and progress moves (a batch takes about 0.1 s).
BATCH_PACKAGES = 256
BATCH_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class ImportOutcome:
    name: str
    status: str
    device_id: str | None = None
    sequence: int | None = None
    records: int = 0
    conflicts: int = 0
    reason: str | None = None
    message: str | None = None
    quarantined: str | None = None
    # Records already here from a newer package of the same device (it arrived late).
    superseded: int = 0

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class ImportSummary:
    outcomes: list[ImportOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)


ProgressCallback = Callable[[int, int, ImportOutcome], None]
# Writes a batch's receipts (name, signed bytes) in one go; items that share one write them together.
WriteReceipts = Callable[[list[tuple[str, bytes]]], None]


@dataclass
class _Item:
    """One inbox entry or loose file on its way: its bytes, or why it was refused before applying."""

    name: str
    write_receipts: WriteReceipts
    remove: Callable[[], None]  # takes the entry away once its outcome is recorded
    data: bytes | None = None
    refusal: PackageRefused | None = None
    size: int | None = None
    keep_source: bool = False  # e.g. a file without read rights: nothing was read, nothing is taken
    # An inbox is emptied; a loose file that was imported stays where the user keeps it.
    remove_when_imported: bool = True


def _oversize(size: int | None) -> PackageRefused:
    # Refused by its size alone: a file this large is never read into memory.
    shown = "over the limit" if size is None else f"{size} bytes"
    return PackageRefused(RefusalReason.OVERSIZE, f"file of {shown}, limit {MAX_PACKAGE_FILE}")


def _is_store_failure(error: BaseException) -> bool:
    """A fault of the store or the disk, not of one item: it stops the run (nothing is lost)."""
    from sqlalchemy.exc import DBAPIError, IntegrityError

    from app.models.store import StoreError

    if isinstance(error, StoreError | MemoryError):
        return True
    if isinstance(error, DBAPIError) and not isinstance(error, IntegrityError):
        return True
    return isinstance(error, OSError) and error.errno in (
        errno.ENOSPC,
        getattr(errno, "EDQUOT", errno.ENOSPC),
    )


def _read_item(item: _Item, read: Callable[[], bytes]) -> _Item:
    """Read one entry inside its own boundary; a refusal is recorded on the item, never raised."""
    try:
        item.data = read()
    except FileTooLarge as error:
        item.refusal = _oversize(error.size if error.size is not None else item.size)
    except UnusableFile as error:
        item.refusal = PackageRefused(error.reason, error.detail)
        item.keep_source = error.reason is RefusalReason.UNREADABLE  # nothing read: nothing taken
    except TargetUnreachable:
        raise
    except Exception as error:  # the boundary: this entry is refused, the next one goes on
        if _is_store_failure(error):
            raise
        _log.exception("import: an entry could not be read (%s)", type(error).__name__)
        item.refusal = PackageRefused(RefusalReason.UNEXPECTED, type(error).__name__)
        item.keep_source = True
    return item


def _loose_entries(path: Path) -> list[Path]:
    """The entries of a picked folder by lstat: files and whatever else is no folder (to be refused);
    a link is never followed into another folder."""
    found = []
    with os.scandir(path) as entries:
        for entry in entries:
            if is_temporary_name(entry.name) or entry.name.endswith(".receipt"):
                continue
            with contextlib.suppress(FileNotFoundError):
                if not stat.S_ISDIR(entry.stat(follow_symlinks=False).st_mode):
                    found.append(Path(entry.path))
    return sorted(found)


def _files_to_import(paths: Iterable[Path]) -> list[tuple[Path, Path]]:
    """(file, receipts folder) pairs; a folder with the target layout gets its receipts back there."""
    found: list[tuple[Path, Path]] = []
    for path in paths:
        path = Path(path)
        if path.is_dir() and not path.is_symlink():
            receipts = path / RECEIPTS
            found += [(child, receipts) for child in _loose_entries(path)]
        elif path.is_file() or path.is_symlink():
            # A package picked from a target's inbox gets its receipt in that target's receipts folder.
            in_inbox = path.parent.name == INBOX and (path.parent.parent / RECEIPTS).is_dir()
            found.append((path, path.parent.parent / RECEIPTS if in_inbox else path.parent / RECEIPTS))
        else:
            raise SyncError(_("{path} bestaat niet; controleer de naam.").format(path=path))
    return found


class SupervisorImportService:
    """Imports for a supervisor profile; packages go in per batch, each still all or nothing."""

    def __init__(self, profile: Profile) -> None:
        self._profile = profile

    @classmethod
    def for_profile(cls, profile: Profile) -> SupervisorImportService:
        return cls(profile)

    def _require_supervisor(self) -> DeviceKeys:
        if self._profile.role is not Role.SUPERVISOR:
            raise SyncError(_("Alleen een supervisor-installatie importeert synchronisatiepakketten."))
        return device_keys(self._profile)

    def _devices(self) -> dict[str, TrustedDevice]:
        with self._profile.store().session() as session:
            return trusted_devices(session)

    def import_paths(
        self,
        paths: Iterable[Path | str],
        progress: ProgressCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportSummary:
        """Import package files, folders and WebDAV targets (http/https addresses); a refused item
        goes to quarantine and the rest go on."""
        keys = self._require_supervisor()
        outcomes: list[ImportOutcome] = []
        given = [str(path) for path in paths]
        for url in [g for g in given if is_web_address(g)]:
            outcomes += self.import_from_target(web_transport(url), progress, cancelled).outcomes
        local = [Path(g) for g in given if not is_web_address(g)]
        # A folder with the target layout is a sync target: import it as one (receipts back, inbox emptied).
        for path in [p for p in local if (p / INBOX).is_dir()]:
            outcomes += self.import_from_target(FolderTransport(path), progress, cancelled).outcomes
        files = _files_to_import(p for p in local if not (p / INBOX).is_dir())
        own_receipts = receipts_dir(self._profile)
        writers: dict[Path, WriteReceipts] = {}

        def writer(receipts: Path) -> WriteReceipts:
            def write_receipts(files: list[tuple[str, bytes]]) -> None:
                atomic_write_many(own_receipts, files, durable=False)
                try:
                    atomic_write_many(receipts, files, durable=False)
                except OSError:
                    pass  # read-only medium: the copy in the profile folder can be carried back

            return writers.setdefault(receipts, write_receipts)

        def loose(path: Path, receipts: Path) -> _Item:
            write_receipts = writer(receipts)

            def remove() -> None:
                with contextlib.suppress(OSError):  # a read-only medium keeps its file
                    path.unlink()  # a link goes, never what it points to

            item = _Item(path.name, write_receipts, remove, remove_when_imported=False)
            return _read_item(item, lambda: read_regular_file(path, MAX_PACKAGE_FILE))

        readers: list[Callable[[], _Item]] = [functools.partial(loose, p, r) for p, r in files]
        outcomes += self._run(keys, readers, progress, cancelled)
        return ImportSummary(outcomes)

    def import_from_target(
        self,
        transport: Transport | None = None,
        progress: ProgressCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportSummary:
        """Import everything in the target's inbox; receipts go to its receipts folder."""
        keys = self._require_supervisor()
        transport = transport or SyncTargetService.for_profile(self._profile).transport()
        try:
            return self._import_inbox(keys, transport, progress, cancelled)
        except TargetUnreachable as error:
            # The transport's own sentence speaks to a device ("the changes are kept"); this is an import.
            raise TargetUnreachable(
                _(
                    "Het synchronisatiedoel {target} is niet bereikbaar; controleer de verbinding en "
                    "importeer later opnieuw (wat al is geïmporteerd, blijft staan)."
                ).format(target=transport.description)
            ) from error

    def _import_inbox(
        self,
        keys: DeviceKeys,
        transport: Transport,
        progress: ProgressCallback | None,
        cancelled: Callable[[], bool] | None,
    ) -> ImportSummary:
        transport.prepare()
        sizes = transport.list_entries(INBOX)

        def write_receipts(files: list[tuple[str, bytes]]) -> None:
            transport.write_many(RECEIPTS, files)

        def entry(name: str) -> _Item:
            size = sizes[name]
            item = _Item(name, write_receipts, lambda: transport.delete(INBOX, name), size=size)
            if size > MAX_PACKAGE_FILE:
                item.refusal = _oversize(size)
                return item
            return _read_item(item, lambda: transport.read(INBOX, name, limit=MAX_PACKAGE_FILE))

        readers: list[Callable[[], _Item]] = [functools.partial(entry, name) for name in sorted(sizes)]
        return ImportSummary(self._run(keys, readers, progress, cancelled))

    def _run(
        self,
        keys: DeviceKeys,
        readers: list[Callable[[], _Item]],
        progress: ProgressCallback | None,
        cancelled: Callable[[], bool] | None,
    ) -> list[ImportOutcome]:
        """Read, apply per batch, then record: receipts, quarantine, the inbox emptied."""
        devices = self._devices()
        quarantine = Quarantine(self._profile)
        outcomes: list[ImportOutcome] = []
        total = len(readers)
        position = 0
        try:
            while position < total:
                batch: list[_Item] = []
                held = 0
                # Read, applied and recorded without the cycle collector's passes (app/collector.py).
                with collections_paused():
                    while position < total and len(batch) < BATCH_PACKAGES and held < BATCH_BYTES:
                        if cancelled is not None and cancelled():
                            total = position
                            break
                        item = readers[position]()
                        position += 1
                        batch.append(item)
                        held += len(item.data or b"")
                    done = self._apply_batch(keys, batch, devices, quarantine)
                for outcome in done:
                    outcomes.append(outcome)
                    if progress is not None:
                        progress(len(outcomes), len(readers), outcome)
        finally:
            with contextlib.suppress(OSError):  # tidying up never stops an import
                quarantine.prune()
        return outcomes

    def _transfer(self, keys: DeviceKeys, data: bytes | None) -> TransferOutcome | PackageRefused:
        profile = self._profile
        return receive_transfer(
            profile.store(), data or b"", keys, profile.settings.municipality, profile.actor
        )

    def _apply_batch(
        self, keys: DeviceKeys, batch: list[_Item], devices: dict[str, TrustedDevice], quarantine: Quarantine
    ) -> list[ImportOutcome]:
        ready = [item for item in batch if item.refusal is None and item.data is not None]
        # A hand-over from another municipality (verhuizing) names its own sender: app/services/transfer.
        transfers = {
            id(item): self._transfer(keys, item.data) for item in ready if is_transfer(item.data or b"")
        }
        ready = [item for item in ready if id(item) not in transfers]
        results = apply_packages(
            self._profile.store(),
            [item.data for item in ready if item.data is not None],
            keys,
            lookup_device=devices.get,
        )
        applied = dict(zip((id(item) for item in ready), results, strict=True))
        now = utcnow()
        outcomes: list[ImportOutcome] = []
        answered: dict[int, tuple[WriteReceipts, list[ApplyResult]]] = {}
        imported: list[_Item] = []
        for item in batch:
            moved = transfers.get(id(item))
            if isinstance(moved, TransferOutcome):
                outcomes.append(
                    ImportOutcome(
                        item.name,
                        moved.status,
                        moved.device_id,
                        moved.sequence,
                        moved.records,
                        message=transfer_note(moved),
                    )
                )
                continue
            result: ApplyResult | PackageRefused | None = moved or applied.get(id(item), item.refusal)
            if isinstance(result, ApplyResult):
                answered.setdefault(id(item.write_receipts), (item.write_receipts, []))[1].append(result)
                outcomes.append(
                    ImportOutcome(
                        item.name,
                        result.outcome,
                        result.device_id,
                        result.sequence,
                        result.records,
                        result.conflicts,
                        superseded=result.superseded,
                    )
                )
                if item.remove_when_imported:
                    imported.append(item)
                continue
            refusal = result if result is not None else PackageRefused(RefusalReason.UNEXPECTED, "no result")
            _log.warning("import: refused (%s)", refusal.reason.value)
            kept = quarantine.keep(item.name, item.data, refusal.reason, refusal.detail, item.size)
            if not item.keep_source:
                with contextlib.suppress(UnusableFile):  # a name the target cannot address stays
                    item.remove()
            outcomes.append(
                ImportOutcome(
                    item.name,
                    OUTCOME_REFUSED,
                    reason=refusal.reason.value,
                    message=str(refusal),
                    quarantined=str(kept),
                )
            )
        # The batch is committed (durably); its receipts are written and synced together, and only
        # then do its packages leave the inbox: a crash in between only means a duplicate later.
        for write_receipts, answers in answered.values():
            write_receipts(_receipt_files(keys, answers, now))
        for item in imported:
            item.remove()
        return outcomes


def _receipt_files(keys: DeviceKeys, results: list[ApplyResult], now: dt.datetime) -> list[tuple[str, bytes]]:
    """The receipts for one batch's applied packages that share a destination: one batch receipt per
    device that reads them (its packages say so) and sent more than one; otherwise one per package."""
    files: list[tuple[str, bytes]] = []
    batched: dict[str, list[ApplyResult]] = {}
    entered: set[tuple[str, int]] = set()
    for result in results:
        if BATCH_RECEIPT in result.receipt_versions:
            if (result.device_id, result.sequence) not in entered:  # two copies of one package: one entry
                entered.add((result.device_id, result.sequence))
                batched.setdefault(result.device_id, []).append(result)
        else:
            files.append(_single_receipt(keys, result, now))
    for device_id, group in batched.items():
        if len(group) == 1:
            files.append(_single_receipt(keys, group[0], now))
            continue
        packages = [Delivered(r.sequence, r.content_hash, r.outcome) for r in group]
        receipt = make_batch_receipt(keys, device_id, packages, now)
        files.append((batch_receipt_name(device_id, packages, receipt), receipt))
    return files


def _single_receipt(keys: DeviceKeys, result: ApplyResult, now: dt.datetime) -> tuple[str, bytes]:
    receipt = make_receipt(keys, result.device_id, result.sequence, result.content_hash, result.outcome, now)
    return receipt_name(result.device_id, result.sequence), receipt
