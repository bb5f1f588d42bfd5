"""The way back: the supervisor's decision packages (`sync push` in the supervisor role) and the
device's `sync pull`, with receipts both ways, quarantine and the once-per-restore steps.

Protocol and layout: app/sync/decisions.py (supervisor side), app/sync/decision_apply.py (device
side), app/sync/restore_guard.py (after a restore); docs/sync.md says it for people.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.domain.enums import Role
from app.domain.errors import WegwijsError
from app.i18n import _
from app.i18n.review_layer import LAYER_FOLDER, LayerImport, ReviewLayer
from app.models.base import utcnow
from app.models.sync_state import PEER_DEVICE, OutboxPackage, SyncPeer, SyncSetting
from app.services.profile import Profile
from app.services.sync.keys import device_keys
from app.services.sync.records import LAST_PULL, outbox_dir, peer_keys, quarantine_dir, trusted_supervisor
from app.services.sync.target import SyncTargetService, parse_target
from app.sync.atomic import atomic_write_bytes, is_temporary_name
from app.sync.decision_apply import (
    WATERMARK,
    DecisionReason,
    DecisionRefused,
    DecisionResult,
    apply_decision,
    decision_message,
    header_of,
    release_clients,
)
from app.sync.decisions import (
    RESTORE_OUTCOME,
    RESYNC_PREFIX,
    DeviceBatch,
    collect_device_receipts,
    decision_batches,
    device_inbox,
    device_receipts,
    reassignments,
    resyncs,
    seal_batches,
    send_decisions,
    settle_nowhere,
)
from app.sync.envelope import MAX_PACKAGE_FILE
from app.sync.errors import FileTooLarge, SyncError, TransportError
from app.sync.keys import PublicKeys
from app.sync.outbox import get_setting, set_setting
from app.sync.receipts import make_receipt, receipt_name
from app.sync.restore_guard import NOTICE_SETTING, RESTORE_REQUEST, RestoreNotice, handle_restore
from app.sync.transport import Transport

DECISIONS_DIR = "decisions"  # the supervisor's outbox of decision packages, one folder per device
CATALOGS_PREFIX = "catalogs:"
RELEASES_WAITING = "releases_waiting"
# Refusals of a package whose signature held: the supervisor gets a receipt saying "refused".
_SAYS_SO = frozenset(
    {DecisionReason.UNKNOWN_RECORD, DecisionReason.ADOPTED_CHANGED, DecisionReason.INVALID_PAYLOAD}
)


@dataclass(frozen=True)
class PulledPackage:
    name: str
    status: str  # applied / duplicate / refused
    sequence: int | None = None
    records: int = 0
    kept: int = 0
    released: int = 0
    catalogs: int = 0
    reason: str | None = None
    message: str | None = None
    quarantined: str | None = None

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class PullResult:
    packages: list[PulledPackage] = field(default_factory=list)
    restore_notice: str | None = None
    error: str | None = None

    def count(self, status: str) -> int:
        return sum(1 for package in self.packages if package.status == status)

    def to_json(self) -> dict[str, Any]:
        return {
            "packages": [package.to_json() for package in self.packages],
            "restore_notice": self.restore_notice,
            "error": self.error,
        }


@dataclass(frozen=True)
class DecisionPushResult:
    packaged: int = 0
    sent: list[str] = field(default_factory=list)
    delivered: list[int] = field(default_factory=list)
    pending: int = 0
    error: str | None = None


def check_restore(profile: Profile) -> RestoreNotice | None:
    """The once-per-restore steps, when the store was restored since the last push or pull."""
    keys = device_keys(profile)
    with profile.store().session(actor="synchronisatie", role=profile.settings.role) as session:
        return handle_restore(session, keys, trusted_supervisor(session), outbox_dir(profile))


# -- the supervisor's reviewed standard texts ----------------------------------------------------------


def _layer_files(profile: Profile) -> dict[str, bytes]:
    folder = profile.data_dir / LAYER_FOLDER
    if not folder.is_dir():
        return {}
    return {f"{path.parent.name}/{path.name}": path.read_bytes() for path in sorted(folder.glob("*/*.po"))}


def _short_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def _catalogs_for(session: Any, files: dict[str, bytes], device_id: str) -> tuple[list[dict[str, str]], str]:
    """The layer files this device has not had in this form; and the setting value once sent."""
    name = CATALOGS_PREFIX + device_id
    try:
        sent = json.loads(get_setting(session, name) or "{}")
    except ValueError:
        sent = {}
    changed = [
        {"file": key, "po": data.decode("utf-8")}
        for key, data in files.items()
        if sent.get(key) != _short_hash(data)
    ]
    now = {key: _short_hash(data) for key, data in files.items()}
    return changed, json.dumps(now, sort_keys=True)


def _read_catalogs(layer: ReviewLayer, catalogs: list[Any]) -> list[LayerImport]:
    """Every layer file of a package read and checked before the store changes (refused whole)."""
    imports: list[LayerImport] = []
    for entry in catalogs:
        if not isinstance(entry, dict) or not isinstance(entry.get("po"), str):
            raise DecisionRefused(DecisionReason.INVALID_PAYLOAD, "catalog entry")
        try:
            imports.append(layer.read_import(entry["po"].encode("utf-8")))
        except (WegwijsError, ValueError) as error:
            raise DecisionRefused(DecisionReason.INVALID_PAYLOAD, "catalog unreadable") from error
    return imports


# -- supervisor: sync push ---------------------------------------------------------------------------


class DecisionPushService:
    """`sync push` in the supervisor role: decision packages per device, their receipts, sending."""

    def __init__(self, profile: Profile) -> None:
        self._profile = profile

    @classmethod
    def for_profile(cls, profile: Profile) -> DecisionPushService:
        return cls(profile)

    def _devices(self, session: Any) -> dict[str, PublicKeys]:
        return {
            peer.device_id: peer_keys(peer)
            for peer in session.scalars(
                select(SyncPeer).where(SyncPeer.kind == PEER_DEVICE, SyncPeer.revoked_at.is_(None))
            )
        }

    def package_decisions(self) -> int:
        """Seal the supervisor's pending record changes (and changed reviewed texts) per device."""
        profile = self._profile
        keys = device_keys(profile)
        files = _layer_files(profile)
        with profile.store().session(actor=profile.actor, role=profile.settings.role) as session:
            devices = self._devices(session)
            batches, nowhere = decision_batches(session)
            done = reassignments(session, batches) + resyncs(session, batches)
            catalog_settings: dict[str, str] = {}
            for device_id in devices:
                changed, value = _catalogs_for(session, files, device_id)
                if changed:
                    batches.setdefault(device_id, DeviceBatch(device_id)).extra["catalogs"] = changed
                    catalog_settings[device_id] = value
            packages = seal_batches(session, keys, devices, batches, profile.data_dir / DECISIONS_DIR)
            settle_nowhere(session, nowhere)
            for device_id, value in catalog_settings.items():
                set_setting(session, CATALOGS_PREFIX + device_id, value)
            for name in done:
                row = session.get(SyncSetting, name)
                if row is not None:
                    session.delete(row)
            return len(packages)

    def push(self, target: str | None = None, transport: Transport | None = None) -> DecisionPushResult:
        profile = self._profile
        if profile.role is not Role.SUPERVISOR:
            raise SyncError(_("Alleen een supervisor-installatie verstuurt beslissingen naar de apparaten."))
        given = parse_target(target) if target else None
        packaged = self.package_decisions()
        targets = SyncTargetService.for_profile(profile)
        transport = transport or targets.transport(target)
        keys = device_keys(profile)
        folder = profile.data_dir / DECISIONS_DIR
        delivered: list[int] = []
        sent: list[str] = []
        error: str | None = None
        try:
            transport.prepare()
            if given is not None:
                targets.save(given)
            with profile.store().session(actor=profile.actor) as session:
                delivered = collect_device_receipts(session, transport, keys, self._devices(session), folder)
                asked = session.scalar(
                    select(SyncSetting.name).where(SyncSetting.name.startswith(RESYNC_PREFIX))
                )
            if asked:
                packaged += self.package_decisions()  # a restored device waits for nothing
            with profile.store().session(actor=profile.actor) as session:
                sent = send_decisions(session, transport, folder)
        except TransportError as refusal:
            error = str(refusal)
        with profile.store().session() as session:
            pending = int(
                session.scalar(select(func.count()).where(OutboxPackage.delivered_at.is_(None))) or 0
            )
        return DecisionPushResult(packaged, sent, delivered, pending, error)


# -- device: sync pull ------------------------------------------------------------------------------------


class PullService:
    """`sync pull` and the GUI's pull: the supervisor's packages for this device, each in one
    transaction; a refused one goes to quarantine and the rest go on."""

    def __init__(self, profile: Profile) -> None:
        self._profile = profile

    @classmethod
    def for_profile(cls, profile: Profile) -> PullService:
        return cls(profile)

    def pull(self, target: str | None = None, transport: Transport | None = None) -> PullResult:
        profile = self._profile
        if profile.role is not Role.KLANTMANAGER:
            raise SyncError(_("Alleen een klantmanager-installatie haalt beslissingen van de supervisor op."))
        given = parse_target(target) if target else None
        notice = check_restore(profile)
        targets = SyncTargetService.for_profile(profile)
        transport = transport or targets.transport(target)
        keys = device_keys(profile)
        results: list[PulledPackage] = []
        error: str | None = None
        try:
            transport.prepare()
            if given is not None:
                targets.save(given)
            self._ask_after_restore(transport)
            inbox = device_inbox(keys.device_id)
            sizes = transport.list(inbox)
            for name in sorted(sizes):
                if is_temporary_name(name):
                    continue
                results.append(self._pull_one(transport, inbox, name, sizes[name]))
            self._retry_releases()
            with profile.store().session(actor=profile.actor) as session:
                set_setting(session, LAST_PULL, utcnow().isoformat())
        except TransportError as refusal:
            error = str(refusal)
        return PullResult(results, notice.message() if notice else None, error)

    def _pull_one(self, transport: Transport, inbox: str, name: str, size: int) -> PulledPackage:
        profile = self._profile
        data: bytes | None = None
        try:
            if size > MAX_PACKAGE_FILE:
                raise DecisionRefused(DecisionReason.OVERSIZE, f"file of {size} bytes")
            try:
                data = transport.read(inbox, name, limit=MAX_PACKAGE_FILE)
            except FileTooLarge as error:
                raise DecisionRefused(DecisionReason.OVERSIZE, "grew beyond the limit") from error
            layer = ReviewLayer(profile.data_dir)
            try:
                result = self._apply(layer, data)
            except IntegrityError as error:  # a record whose parent is not here, a unique rule
                raise DecisionRefused(DecisionReason.UNKNOWN_RECORD, type(error.orig).__name__) from error
            imports = result[1]
        except DecisionRefused as refusal:
            return self._refuse(transport, inbox, name, data, refusal)
        applied = result[0]
        self._receipt(transport, applied.sequence, applied.content_hash, applied.outcome)
        transport.delete(inbox, name)
        return PulledPackage(
            name,
            applied.outcome,
            applied.sequence,
            applied.records,
            applied.kept,
            applied.released,
            len(imports),
        )

    def _apply(self, layer: ReviewLayer, data: bytes) -> tuple[DecisionResult, list[LayerImport]]:
        """One package in one transaction; the reviewed texts are laid down after the commit."""
        profile = self._profile
        keys = device_keys(profile)
        with profile.store().session(actor="synchronisatie", role=profile.settings.role) as session:
            supervisor = trusted_supervisor(session)
            result: DecisionResult = apply_decision(session, data, keys, supervisor)
            imports = _read_catalogs(layer, result.catalogs) if result.outcome == "applied" else []
            if result.watermark:
                current = int(get_setting(session, WATERMARK) or "0")
                set_setting(session, WATERMARK, str(max(current, result.watermark)))
            if result.waiting:
                waiting = set((get_setting(session, RELEASES_WAITING) or "").split(",")) - {""}
                set_setting(session, RELEASES_WAITING, ",".join(sorted(waiting | set(result.waiting))))
        for imported in imports:
            layer.apply(imported)  # after the commit: a text file beside the store
        return result, imports

    def _receipt(self, transport: Transport, sequence: int, content_hash: str, outcome: str) -> None:
        keys = device_keys(self._profile)
        with self._profile.store().session() as session:
            supervisor = trusted_supervisor(session)
        if supervisor is None:
            return
        # Signed by this device; `supervisor` in the receipt names the device that received it.
        receipt = make_receipt(keys, supervisor.device_id, sequence, content_hash, outcome, utcnow())
        transport.write(
            device_receipts(keys.device_id), receipt_name(supervisor.device_id, sequence), receipt
        )

    def _refuse(
        self, transport: Transport, inbox: str, name: str, data: bytes | None, refusal: DecisionRefused
    ) -> PulledPackage:
        folder = quarantine_dir(self._profile)
        folder.mkdir(parents=True, exist_ok=True)
        destination = folder / f"{utcnow().strftime('%Y%m%dT%H%M%S%f')}-{name}"
        if data is not None:
            atomic_write_bytes(destination, data)
        note = f"{refusal.reason.value}\n{decision_message(refusal.reason)}\n{refusal.detail}\n"
        atomic_write_bytes(destination.with_name(destination.name + ".reden.txt"), note.encode("utf-8"))
        header = header_of(data) if data is not None else None
        with self._profile.store().session() as session:
            supervisor = trusted_supervisor(session)
        # A genuine package refused for what it says gets a receipt that says so, so the supervisor
        # stops sending it; one that is not the supervisor's own gets none (the hash would not match).
        if (
            refusal.reason in _SAYS_SO
            and header is not None
            and supervisor is not None
            and header.device_id == supervisor.device_id
        ):
            self._receipt(transport, header.sequence, header.content_hash, "refused")
        transport.delete(inbox, name)
        return PulledPackage(
            name,
            "refused",
            header.sequence if header else None,
            reason=refusal.reason.value,
            message=str(refusal),
            quarantined=str(destination),
        )

    def _ask_after_restore(self, transport: Transport) -> None:
        """After a restore: a note signed by this device asks the supervisor for all its clients
        again (what the laptop had fetched after the backup is not in the restored store)."""
        profile = self._profile
        with profile.store().session() as session:
            asked = get_setting(session, RESTORE_REQUEST)
            supervisor = trusted_supervisor(session)
        if not asked or supervisor is None:
            return
        keys = device_keys(profile)
        note = make_receipt(keys, supervisor.device_id, 0, "", RESTORE_OUTCOME, utcnow())
        stamp = utcnow().strftime("%Y%m%dT%H%M%S")
        transport.write(
            device_receipts(keys.device_id), f"{supervisor.device_id}-herstel-{stamp}.receipt", note
        )
        with profile.store().session() as session:
            set_setting(session, RESTORE_REQUEST, "")

    def _retry_releases(self) -> None:
        profile = self._profile
        with profile.store().session(actor="synchronisatie", role=profile.settings.role) as session:
            waiting = [text for text in (get_setting(session, RELEASES_WAITING) or "").split(",") if text]
            if not waiting:
                return
            session.info["journal"] = False
            _dropped, still = release_clients(session, waiting)
            set_setting(session, RELEASES_WAITING, ",".join(still))

    def last_notice(self) -> str | None:
        with self._profile.store().session() as session:
            return get_setting(session, NOTICE_SETTING)


def outbox_path(profile: Profile) -> Path:
    return profile.data_dir / DECISIONS_DIR
