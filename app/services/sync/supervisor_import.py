"""The supervisor side: import packages from files, folders and targets, write signed receipts, and
keep refused packages in quarantine with a note of the reason. One bad package never stops the rest.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.domain.enums import Role
from app.i18n import _
from app.models.base import utcnow
from app.services.profile import Profile
from app.services.sync.keys import device_keys
from app.services.sync.records import quarantine_dir, receipts_dir
from app.services.sync.target import SyncTargetService, is_web_address, web_transport
from app.sync.atomic import atomic_write_bytes, is_temporary_name
from app.sync.envelope import MAX_PACKAGE_FILE, TrustedDevice
from app.sync.errors import (
    FileTooLarge,
    PackageRefused,
    RefusalReason,
    SyncError,
    TargetUnreachable,
    reason_message,
)
from app.sync.importer import OUTCOME_REFUSED, apply_package, trusted_devices
from app.sync.keys import DeviceKeys
from app.sync.receipts import make_receipt, receipt_name
from app.sync.transport import INBOX, RECEIPTS, FolderTransport, Transport


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
WriteReceipt = Callable[[str, bytes], None]


def _quarantine(
    profile: Profile, source: Path | None, name: str, data: bytes | None, refusal: PackageRefused
) -> Path:
    """Move (or copy) a refused file to quarantine with a note; data None: too large, note only."""
    folder = quarantine_dir(profile)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    destination = folder / f"{stamp}-{name}"
    if source is not None:
        shutil.move(str(source), destination)
    elif data is not None:
        atomic_write_bytes(destination, data)
    note = f"{refusal.reason.value}\n{reason_message(refusal.reason)}\n{refusal.detail}\n"
    atomic_write_bytes(destination.with_name(destination.name + ".reden.txt"), note.encode("utf-8"))
    return destination


def _refuse(
    profile: Profile, source: Path | None, name: str, data: bytes | None, refusal: PackageRefused
) -> ImportOutcome:
    moved = _quarantine(profile, source, name, data, refusal)
    return ImportOutcome(
        name, OUTCOME_REFUSED, reason=refusal.reason.value, message=str(refusal), quarantined=str(moved)
    )


def _oversize(size: int | None) -> PackageRefused:
    # Refused by its size alone: a file this large is never read into memory.
    shown = "over the limit" if size is None else f"{size} bytes"
    return PackageRefused(RefusalReason.OVERSIZE, f"file of {shown}, limit {MAX_PACKAGE_FILE}")


def _files_to_import(paths: Iterable[Path]) -> list[tuple[Path, Path]]:
    """(file, receipts folder) pairs; a folder with the target layout gets its receipts back there."""
    found: list[tuple[Path, Path]] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            receipts = path / RECEIPTS
            for child in sorted(path.iterdir()):
                if (
                    child.is_file()
                    and not is_temporary_name(child.name)
                    and not child.name.endswith(".receipt")
                ):
                    found.append((child, receipts))
        elif path.is_file():
            # A package picked from a target's inbox gets its receipt in that target's receipts folder.
            in_inbox = path.parent.name == INBOX and (path.parent.parent / RECEIPTS).is_dir()
            found.append((path, path.parent.parent / RECEIPTS if in_inbox else path.parent / RECEIPTS))
        else:
            raise SyncError(_("{path} bestaat niet; controleer de naam.").format(path=path))
    return found


class SupervisorImportService:
    """Imports for a supervisor profile; each package is applied in its own transaction."""

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
        """Import package files, folders and WebDAV targets (http/https addresses); a refused package
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
        devices = self._devices()
        own_receipts = receipts_dir(self._profile)
        for index, (path, receipts) in enumerate(files):
            if cancelled is not None and cancelled():
                break

            def write_receipt(name: str, data: bytes, receipts: Path = receipts) -> None:
                atomic_write_bytes(own_receipts / name, data, durable=False)
                try:
                    atomic_write_bytes(receipts / name, data, durable=False)
                except OSError:
                    pass  # read-only medium: the copy in the profile folder can be carried back

            outcome = self._import_file(keys, path, write_receipt, devices)
            outcomes.append(outcome)
            if progress is not None:
                progress(index + 1, len(files), outcome)
        return ImportSummary(outcomes)

    def _import_file(
        self, keys: DeviceKeys, path: Path, write_receipt: WriteReceipt, devices: dict[str, TrustedDevice]
    ) -> ImportOutcome:
        try:
            with path.open("rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                # read(n) allocates n bytes up front: ask for what the size says, plus one.
                data = handle.read(size + 1) if size <= MAX_PACKAGE_FILE else None
        except OSError:
            return ImportOutcome(
                path.name,
                OUTCOME_REFUSED,
                reason="unreadable",
                message=_("Het bestand kan niet worden gelezen."),
            )
        if data is None or len(data) > MAX_PACKAGE_FILE:
            return _refuse(self._profile, path, path.name, None, _oversize(size))
        return self._import_one(keys, path.name, data, path, write_receipt, devices)

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
        sizes = transport.list(INBOX)
        names = sorted(sizes)
        devices = self._devices()
        outcomes: list[ImportOutcome] = []
        for index, name in enumerate(names):
            if cancelled is not None and cancelled():
                break
            outcome = self._import_from_inbox(keys, transport, name, sizes[name], devices)
            # Receipt first, then the package goes: a crash in between only means a duplicate later.
            transport.delete(INBOX, name)
            outcomes.append(outcome)
            if progress is not None:
                progress(index + 1, len(names), outcome)
        return ImportSummary(outcomes)

    def _import_from_inbox(
        self, keys: DeviceKeys, transport: Transport, name: str, size: int, devices: dict[str, TrustedDevice]
    ) -> ImportOutcome:
        # A folder target's file is moved to quarantine as it is; from a server only the note.
        source = transport.root / INBOX / name if isinstance(transport, FolderTransport) else None
        if size > MAX_PACKAGE_FILE:
            return _refuse(self._profile, source, name, None, _oversize(size))
        try:
            data = transport.read(INBOX, name, limit=MAX_PACKAGE_FILE)
        except FileTooLarge as error:  # it grew after the listing
            return _refuse(self._profile, source, name, None, _oversize(error.size))

        def write_receipt(receipt: str, blob: bytes) -> None:
            transport.write(RECEIPTS, receipt, blob)

        return self._import_one(keys, name, data, None, write_receipt, devices)

    def _import_one(
        self,
        keys: DeviceKeys,
        name: str,
        data: bytes,
        source: Path | None,
        write_receipt: WriteReceipt,
        devices: dict[str, TrustedDevice],
    ) -> ImportOutcome:
        try:
            applied = apply_package(self._profile.store(), data, keys, lookup_device=devices.get)
        except PackageRefused as refusal:
            return _refuse(self._profile, source, name, data, refusal)
        receipt = make_receipt(
            keys, applied.device_id, applied.sequence, applied.content_hash, applied.outcome, utcnow()
        )
        write_receipt(receipt_name(applied.device_id, applied.sequence), receipt)
        return ImportOutcome(
            name,
            applied.outcome,
            applied.device_id,
            applied.sequence,
            applied.records,
            applied.conflicts,
            superseded=applied.superseded,
        )
