"""Sync use cases shared by the GUI and the command line: keys, trust, push, status, import.

The device side (klantmanager) packages its change journal and pushes to the target; the supervisor
side imports packages, writes signed receipts and keeps refused packages in quarantine.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import func, select

from app.domain.enums import Role
from app.i18n import _
from app.models.base import utcnow
from app.models.sync_state import (
    PEER_DEVICE,
    PEER_SUPERVISOR,
    ImportedPackage,
    OutboxPackage,
    SyncConflict,
    SyncPeer,
)
from app.services.profile import Profile
from app.sync import review
from app.sync.atomic import atomic_write_bytes, is_temporary_name
from app.sync.envelope import MAX_PACKAGE_FILE, TrustedDevice, recipient_id
from app.sync.errors import (  # noqa: F401  (SyncError is re-exported for the GUI)
    FileTooLarge,
    PackageRefused,
    RefusalReason,
    SyncError,
    TargetUnreachable,
    TransportError,
    reason_message,
)
from app.sync.importer import OUTCOME_REFUSED, apply_package, trusted_devices
from app.sync.keys import DeviceKeys, PublicKeys, read_public_keys, write_public_keys
from app.sync.outbox import (
    LAST_PUSH,
    LAST_RECEIPT,
    PushResult,
    collect_receipts,
    get_setting,
    package_pending,
    pending_change_count,
    requeue_for_new_recipient,
    send_undelivered,
    set_setting,
)
from app.sync.receipts import make_receipt, receipt_name
from app.sync.review import (  # noqa: F401  (re-exported for the GUI and the CLI)
    KEEP_INCOMING,
    KEEP_LOCAL,
    Arrival,
    ConflictView,
    entity_label,
    field_label,
)
from app.sync.transport import INBOX, RECEIPTS, FolderTransport, Transport, make_transport

OUTBOX_DIR = "outbox"
QUARANTINE_DIR = "quarantine"
RECEIPTS_DIR = "receipts"
TARGET_SETTING = "target"
TARGET_USER_SETTING = "target_user"
TARGET_PASSWORD_SECRET = "sync-target-password"


# -- keys and trust -------------------------------------------------------------------------------
def device_keys(profile: Profile) -> DeviceKeys:
    """This installation's keys; created on first use (wegwijs init calls this too)."""
    return DeviceKeys.load_or_create(profile.secrets)


def _public_of(profile: Profile) -> PublicKeys:
    keys = device_keys(profile)
    return keys.public(profile.settings.role, profile.settings.user_name, profile.settings.municipality)


@dataclass(frozen=True)
class KeyInfo:
    device_id: str
    fingerprint: str
    role: str
    supervisor: PublicKeys | None
    devices: list[tuple[PublicKeys, bool]]


def show_keys(profile: Profile) -> KeyInfo:
    keys = device_keys(profile)
    with profile.store().session() as session:
        supervisor = _trusted_supervisor(session)
        devices = [
            (_peer_keys(peer), peer.revoked_at is not None)
            for peer in session.scalars(select(SyncPeer).where(SyncPeer.kind == PEER_DEVICE))
        ]
    return KeyInfo(keys.device_id, keys.fingerprint, profile.settings.role, supervisor, devices)


def export_public_keys(profile: Profile, path: Path) -> PublicKeys:
    keys = device_keys(profile)
    settings = profile.settings
    try:
        write_public_keys(path, keys, settings.role, settings.user_name, settings.municipality)
    except OSError as error:
        raise SyncError(
            _("Het sleutelbestand kon niet worden geschreven naar {path}; kies een andere plek.").format(
                path=path
            )
        ) from error
    return _public_of(profile)


def _peer_keys(peer: SyncPeer) -> PublicKeys:
    return PublicKeys(peer.verify_key, peer.public_key, peer.role, peer.name, peer.municipality)


def _trusted_supervisor(session: Any) -> PublicKeys | None:
    peer = session.scalar(
        select(SyncPeer)
        .where(SyncPeer.kind == PEER_SUPERVISOR, SyncPeer.revoked_at.is_(None))
        .order_by(SyncPeer.registered_at.desc())
        .limit(1)
    )
    return None if peer is None else _peer_keys(peer)


def _save_peer(profile: Profile, keys: PublicKeys, kind: str) -> None:
    with profile.store().session(actor=profile.actor, role=profile.settings.role) as session:
        if kind == PEER_SUPERVISOR:
            # One supervisor at a time: trusting a new one retires the previous key.
            for old in session.scalars(select(SyncPeer).where(SyncPeer.kind == PEER_SUPERVISOR)):
                if old.device_id != keys.device_id and old.revoked_at is None:
                    old.revoked_at = utcnow()
        peer = session.get(SyncPeer, keys.device_id)
        if peer is None:
            peer = SyncPeer(device_id=keys.device_id, kind=kind)
            session.add(peer)
        peer.kind = kind
        peer.role, peer.name, peer.municipality = keys.role, keys.name, keys.municipality
        peer.verify_key, peer.public_key, peer.fingerprint = (
            keys.verify_key,
            keys.public_key,
            keys.fingerprint,
        )
        peer.registered_at = utcnow()
        peer.revoked_at = None


def trust_supervisor(profile: Profile, path: Path) -> PublicKeys:
    if profile.role is not Role.KLANTMANAGER:
        raise SyncError(_("Alleen een klantmanager-installatie vertrouwt een supervisorsleutel."))
    keys = read_public_keys(path)
    if keys.role != Role.SUPERVISOR.value:
        raise SyncError(
            _("Dit sleutelbestand is niet van een supervisor; vraag de supervisor om zijn bestand.")
        )
    if keys.device_id == device_keys(profile).device_id:
        raise SyncError(_("Dit is de sleutel van deze installatie zelf; kies het bestand van de supervisor."))
    _save_peer(profile, keys, PEER_SUPERVISOR)
    with profile.store().session(actor=profile.actor, role=profile.settings.role) as session:
        requeue_for_new_recipient(session, recipient_id(keys.public_key), outbox_dir(profile))
    return keys


def register_device(profile: Profile, path: Path) -> PublicKeys:
    if profile.role is not Role.SUPERVISOR:
        raise SyncError(_("Alleen een supervisor-installatie registreert apparaten."))
    keys = read_public_keys(path)
    if keys.role != Role.KLANTMANAGER.value:
        raise SyncError(
            _("Dit sleutelbestand is niet van een klantmanager-apparaat; vraag het apparaat om zijn bestand.")
        )
    _save_peer(profile, keys, PEER_DEVICE)
    return keys


def revoke_device(profile: Profile, device_id: str) -> None:
    with profile.store().session(actor=profile.actor, role=profile.settings.role) as session:
        peer = session.get(SyncPeer, device_id)
        if peer is None or peer.kind != PEER_DEVICE:
            raise SyncError(_("Dit apparaat is hier niet geregistreerd; controleer de apparaatcode."))
        peer.revoked_at = utcnow()


# -- target ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Target:
    address: str  # a resolved folder path or an http(s) URL without credentials
    user: str | None = None
    password: str | None = None


def _parse_target(target: str) -> _Target:
    """Check and normalise a target; an address with another scheme would silently become a folder."""
    if target.startswith(("http://", "https://")):
        parts = urlsplit(target)
        if not parts.username:
            return _Target(target)
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host
        bare = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
        return _Target(bare, parts.username, parts.password)
    if "://" in target:
        scheme, rest = target.split("://", 1)
        shown = f"{scheme}://{rest.rsplit('@', 1)[-1]}"  # never repeat a password typed into it
        raise SyncError(
            _(
                "Het synchronisatiedoel {target} wordt niet ondersteund; geef een map op of een adres "
                "dat begint met http:// of https://."
            ).format(target=shown)
        )
    return _Target(str(Path(target).expanduser().resolve()))


def _save_target(profile: Profile, target: _Target) -> str:
    """Remember the sync target; a password in a WebDAV address goes to the secret store."""
    if target.password:
        profile.secrets.set(TARGET_PASSWORD_SECRET, target.password.encode("utf-8"))
    with profile.store().session(actor=profile.actor) as session:
        set_setting(session, TARGET_SETTING, target.address)
        if target.user is not None:
            set_setting(session, TARGET_USER_SETTING, target.user)
    return target.address


def configure_target(profile: Profile, target: str) -> str:
    """Remember the sync target (refused when the address is not a folder or http(s))."""
    return _save_target(profile, _parse_target(target))


def configured_target(profile: Profile) -> str | None:
    with profile.store().session() as session:
        return get_setting(session, TARGET_SETTING)


def target_transport(profile: Profile, target: str | None = None) -> Transport:
    """The transport for a given target (not saved: see push) or for the configured one."""
    if target:
        given = _parse_target(target)
        return make_transport(given.address, given.user, given.password)
    address = configured_target(profile)
    if not address:
        raise SyncError(
            _("Er is nog geen synchronisatiedoel ingesteld; geef een map of WebDAV-adres op met --target.")
        )
    with profile.store().session() as session:
        user = get_setting(session, TARGET_USER_SETTING)
    password = profile.secrets.get(TARGET_PASSWORD_SECRET) if user else None
    return make_transport(address, user, password.decode("utf-8") if password else None)


# -- device side ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class SyncStatus:
    role: str
    pending_changes: int
    undelivered_packages: int
    last_push: dt.datetime | None
    last_receipt: dt.datetime | None
    target: str | None
    supervisor_fingerprint: str | None
    imported_packages: int = 0
    open_conflicts: int = 0
    # Changed records not yet acknowledged: still in the journal or in a package without receipt.
    unacknowledged_records: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "pending_changes": self.pending_changes,
            "pending_packages": self.undelivered_packages,
            "unacknowledged_records": self.unacknowledged_records,
            "last_push": self.last_push.isoformat() if self.last_push else None,
            "last_receipt": self.last_receipt.isoformat() if self.last_receipt else None,
            "target": self.target,
            "supervisor_fingerprint": self.supervisor_fingerprint,
            "imported_packages": self.imported_packages,
            "open_conflicts": self.open_conflicts,
        }


def _time(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def sync_status(profile: Profile) -> SyncStatus:
    with profile.store().session() as session:
        supervisor = _trusted_supervisor(session)
        pending = pending_change_count(session)
        in_outbox = int(
            session.scalar(
                select(func.coalesce(func.sum(OutboxPackage.record_count), 0)).where(
                    OutboxPackage.delivered_at.is_(None)
                )
            )
            or 0
        )
        return SyncStatus(
            role=profile.settings.role,
            pending_changes=pending,
            unacknowledged_records=pending + in_outbox,
            undelivered_packages=int(
                session.scalar(select(func.count()).where(OutboxPackage.delivered_at.is_(None))) or 0
            ),
            last_push=_time(get_setting(session, LAST_PUSH)),
            last_receipt=_time(get_setting(session, LAST_RECEIPT)),
            target=get_setting(session, TARGET_SETTING),
            supervisor_fingerprint=supervisor.fingerprint if supervisor else None,
            imported_packages=int(session.scalar(select(func.count()).select_from(ImportedPackage)) or 0),
            open_conflicts=int(
                session.scalar(select(func.count()).where(SyncConflict.resolved_at.is_(None))) or 0
            ),
        )


def outbox_dir(profile: Profile) -> Path:
    return profile.data_dir / OUTBOX_DIR


def package_changes(profile: Profile) -> int:
    """Write pending changes into outbox packages (works offline); returns how many packages."""
    keys = device_keys(profile)
    with profile.store().session(actor=profile.actor, role=profile.settings.role) as session:
        supervisor = _trusted_supervisor(session)
        if supervisor is None:
            raise SyncError(
                _(
                    "Er is nog geen supervisor vertrouwd; importeer eerst zijn sleutel met 'keys trust-supervisor'."
                )
            )
        return len(package_pending(session, keys, supervisor, outbox_dir(profile)))


def push(profile: Profile, target: str | None = None, transport: Transport | None = None) -> PushResult:
    """Package pending changes, read receipts, send what the target lacks. Never loses a change.

    A target that cannot be reached is not an error for the outbox: the packages stay and the
    result says why (result.error); the next push sends them.
    """
    if profile.role is not Role.KLANTMANAGER:
        raise SyncError(_("Alleen een klantmanager-installatie verstuurt wijzigingen."))
    given = _parse_target(target) if target else None  # refuse a bad address before anything else
    result = PushResult(packaged=package_changes(profile))
    transport = transport or target_transport(profile, target)
    keys = device_keys(profile)
    store = profile.store()
    try:
        transport.prepare()
        if given is not None:
            # Only a target that answered replaces the configured one: a typo must not lose it.
            # One that answers and then breaks off (server gone mid-upload) is kept for the retry.
            _save_target(profile, given)
        with store.session(actor=profile.actor) as session:
            supervisor = _trusted_supervisor(session)
            assert supervisor is not None
            result.delivered = collect_receipts(session, transport, keys, supervisor, outbox_dir(profile))
        with store.session(actor=profile.actor) as session:
            result.sent = send_undelivered(session, transport, outbox_dir(profile))
            set_setting(session, LAST_PUSH, utcnow().isoformat())
    except TransportError as error:
        result.error = str(error)
    with store.session() as session:
        result.pending = int(
            session.scalar(select(func.count()).where(OutboxPackage.delivered_at.is_(None))) or 0
        )
    return result


# -- supervisor side ------------------------------------------------------------------------------
@dataclass
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


@dataclass
class ImportSummary:
    outcomes: list[ImportOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)


ProgressCallback = Callable[[int, int, ImportOutcome], None]


def quarantine_dir(profile: Profile) -> Path:
    return profile.data_dir / QUARANTINE_DIR


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


def _import_one(
    profile: Profile,
    keys: DeviceKeys,
    name: str,
    data: bytes,
    source: Path | None,
    write_receipt: Callable[[str, bytes], None],
    devices: dict[str, TrustedDevice],
) -> ImportOutcome:
    try:
        applied = apply_package(profile.store(), data, keys, lookup_device=devices.get)
    except PackageRefused as refusal:
        return _refuse(profile, source, name, data, refusal)
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


def _devices(profile: Profile) -> dict[str, TrustedDevice]:
    with profile.store().session() as session:
        return trusted_devices(session)


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


def _require_supervisor(profile: Profile) -> None:
    if profile.role is not Role.SUPERVISOR:
        raise SyncError(_("Alleen een supervisor-installatie importeert synchronisatiepakketten."))


def _webdav_from_url(url: str) -> Transport:
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    bare = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return make_transport(bare, parts.username, parts.password)


def import_paths(
    profile: Profile,
    paths: Iterable[Path | str],
    progress: ProgressCallback | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportSummary:
    """Import package files, folders and WebDAV targets (http/https addresses); a refused package goes
    to quarantine and the rest go on."""
    _require_supervisor(profile)
    keys = device_keys(profile)
    summary = ImportSummary()
    given = [str(path) for path in paths]
    for url in [g for g in given if g.startswith(("http://", "https://"))]:
        summary.outcomes += import_from_target(profile, _webdav_from_url(url), progress, cancelled).outcomes
    local = [Path(g) for g in given if not g.startswith(("http://", "https://"))]
    # A folder with the target layout is a sync target: import it as one (receipts back, inbox emptied).
    for path in [p for p in local if (p / INBOX).is_dir()]:
        summary.outcomes += import_from_target(profile, FolderTransport(path), progress, cancelled).outcomes
    files = _files_to_import(p for p in local if not (p / INBOX).is_dir())
    devices = _devices(profile)
    own_receipts = profile.data_dir / RECEIPTS_DIR
    for index, (path, receipts) in enumerate(files):
        if cancelled is not None and cancelled():
            break

        def write_receipt(name: str, data: bytes, receipts: Path = receipts) -> None:
            atomic_write_bytes(own_receipts / name, data, durable=False)
            try:
                atomic_write_bytes(receipts / name, data, durable=False)
            except OSError:
                pass  # read-only medium: the copy in the profile folder can be carried back

        try:
            with path.open("rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                # read(n) allocates n bytes up front: ask for what the size says, plus one.
                data = handle.read(size + 1) if size <= MAX_PACKAGE_FILE else None
        except OSError:
            outcome = ImportOutcome(
                path.name,
                OUTCOME_REFUSED,
                reason="unreadable",
                message=_("Het bestand kan niet worden gelezen."),
            )
        else:
            if data is None or len(data) > MAX_PACKAGE_FILE:
                outcome = _refuse(profile, path, path.name, None, _oversize(size))
            else:
                outcome = _import_one(profile, keys, path.name, data, path, write_receipt, devices)
        summary.outcomes.append(outcome)
        if progress is not None:
            progress(index + 1, len(files), outcome)
    return summary


def import_from_target(
    profile: Profile,
    transport: Transport | None = None,
    progress: ProgressCallback | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportSummary:
    """Import everything in the target's inbox; receipts go to its receipts folder."""
    _require_supervisor(profile)
    keys = device_keys(profile)
    transport = transport or target_transport(profile)
    try:
        return _import_inbox(profile, keys, transport, progress, cancelled)
    except TargetUnreachable as error:
        # The transport's own sentence speaks to a device ("the changes are kept"); this is an import.
        raise TargetUnreachable(
            _(
                "Het synchronisatiedoel {target} is niet bereikbaar; controleer de verbinding en "
                "importeer later opnieuw (wat al is geïmporteerd, blijft staan)."
            ).format(target=transport.description)
        ) from error


def _import_inbox(
    profile: Profile,
    keys: DeviceKeys,
    transport: Transport,
    progress: ProgressCallback | None,
    cancelled: Callable[[], bool] | None,
) -> ImportSummary:
    transport.prepare()
    sizes = transport.list(INBOX)
    names = sorted(sizes)
    devices = _devices(profile)
    summary = ImportSummary()
    for index, name in enumerate(names):
        if cancelled is not None and cancelled():
            break
        try:
            if sizes[name] > MAX_PACKAGE_FILE:
                raise FileTooLarge("", sizes[name])
            data = transport.read(INBOX, name, limit=MAX_PACKAGE_FILE)
        except FileTooLarge as error:
            # A folder target's file is moved to quarantine as it is; from a server only the note.
            source = transport.root / INBOX / name if isinstance(transport, FolderTransport) else None
            outcome = _refuse(profile, source, name, None, _oversize(error.size))
        else:
            outcome = _import_one(
                profile,
                keys,
                name,
                data,
                None,
                lambda receipt, blob: transport.write(RECEIPTS, receipt, blob),
                devices,
            )
        # Receipt first, then the package goes: a crash in between only means a duplicate later.
        transport.delete(INBOX, name)
        summary.outcomes.append(outcome)
        if progress is not None:
            progress(index + 1, len(names), outcome)
    return summary


# -- supervisor views -----------------------------------------------------------------------------
def arrivals(profile: Profile) -> list[Arrival]:
    """Every imported record with the device (klantmanager) it came from and when it arrived."""
    with profile.store().session() as session:
        return review.arrivals(session)


def open_conflicts(profile: Profile) -> list[ConflictView]:
    with profile.store().session() as session:
        return review.open_conflicts(session)


def resolve_conflict(profile: Profile, conflict_id: str, keep: str) -> None:
    """Close a conflict: keep the version here, or take the incoming one (as a new version)."""
    with profile.store().session(actor=profile.actor, role=profile.settings.role) as session:
        review.resolve_conflict(session, conflict_id, keep)
