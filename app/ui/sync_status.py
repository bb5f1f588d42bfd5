"""Pushing (and pulling the supervisor's decisions) by itself when the sync target is reachable, and
the status-bar part that shows it.

SyncController watches QNetworkInformation (where the platform has a backend) and probes the target
itself, because "online" says nothing about a WebDAV server or a USB stick. Pushes run on the
"network" thread pool; failures back off exponentially; the GUI thread only receives results.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtNetwork import QNetworkInformation
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from app.domain.enums import Role
from app.i18n import _, ngettext
from app.services import sync as sync_service
from app.services.profile import Profile
from app.services.sync import PullService, PushService, SyncKeysService, SyncStatusService, SyncTargetService
from app.ui import errors
from app.ui.tasks import run_in_background
from app.ui.text_question import ask_text

UNREACHABLE = "unreachable"
NOT_CONFIGURED = "not_configured"


@dataclass(frozen=True)
class AttemptOutcome:
    """What one background attempt found; `result` is None when nothing was pushed."""

    state: str  # "pushed", UNREACHABLE, NOT_CONFIGURED, "failed"
    status: sync_service.SyncStatus | None
    result: sync_service.PushResult | None = None
    message: str = ""
    # The supervisor's decisions fetched in the same attempt (the way back), when the push went.
    pulled: sync_service.PullResult | None = None
    restore_notice: str = ""  # said once, after the laptop was restored from a backup

    @property
    def decisions_applied(self) -> int:
        return 0 if self.pulled is None else self.pulled.count("applied")


def _attempt(profile: Profile) -> AttemptOutcome:
    """Runs on a worker thread: probe the target, push when it answers."""
    try:
        transport = SyncTargetService.for_profile(profile).transport()
    except sync_service.SyncError as error:
        return AttemptOutcome(
            NOT_CONFIGURED, SyncStatusService.for_profile(profile).status(), message=str(error)
        )
    # Seal pending changes into the outbox even offline: they are then ready to travel as they are.
    try:
        PushService.for_profile(profile).package_changes()
    except sync_service.SyncError:
        pass
    if not transport.probe():
        return AttemptOutcome(
            UNREACHABLE,
            SyncStatusService.for_profile(profile).status(),
            message=_("Het synchronisatiedoel is niet bereikbaar; de wijzigingen blijven bewaard."),
        )
    pusher = PushService.for_profile(profile)
    result = pusher.push(transport=transport)
    state = "pushed" if result.ok else "failed"
    pulled: sync_service.PullResult | None = None
    message = result.error or ""
    if result.ok:
        # The way back, as it pushes: the supervisor's decisions for this device.
        pulled = PullService.for_profile(profile).pull(transport=transport)
        message = pulled.error or ""
        if pulled.error:
            state = "failed"
    notice = pusher.restore_notice or (pulled.restore_notice if pulled else None)
    if notice:
        message = f"{notice} {message}".strip()
    status = SyncStatusService.for_profile(profile).status()
    return AttemptOutcome(state, status, result, message, pulled, notice or "")


class SyncController(QObject):
    """Automatic and manual pushes for a klantmanager profile. Never blocks the GUI thread."""

    statusChanged = Signal(object)  # sync_service.SyncStatus
    attemptFinished = Signal(object)  # AttemptOutcome
    # The supervisor's decisions changed records here: windows showing them refresh.
    decisionsApplied = Signal(int)
    busyChanged = Signal(bool)

    def __init__(
        self,
        profile: Profile,
        parent: QObject | None = None,
        *,
        interval_s: float = 120.0,
        backoff_start_s: float = 5.0,
        backoff_max_s: float = 600.0,
        debounce_s: float = 3.0,
    ) -> None:
        super().__init__(parent)
        self.profile = profile
        self.interval_s = interval_s
        self.backoff_start_s = backoff_start_s
        self.backoff_max_s = backoff_max_s
        self.failures = 0
        self.busy = False
        self.last_outcome: AttemptOutcome | None = None
        self.status: sync_service.SyncStatus | None = None
        self._again = False
        self._running = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.attempt)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(int(debounce_s * 1000))
        self._debounce.timeout.connect(self.attempt)
        self._network: QNetworkInformation | None = None

    @property
    def enabled(self) -> bool:
        return self.profile.role is Role.KLANTMANAGER

    def start(self) -> None:
        """Begin watching; the first attempt follows at once (in the background)."""
        if not self.enabled:
            return
        self._running = True
        self._watch_network()
        self.attempt()

    def stop(self) -> None:
        self._running = False
        self._timer.stop()
        self._debounce.stop()

    def sync_now(self) -> None:
        """ "Nu synchroniseren": try at once, forgetting the backoff."""
        self.failures = 0
        self.attempt()

    def changes_made(self) -> None:
        """Call after a save: push a moment later, so a burst of edits travels together."""
        if self._running:
            self._debounce.start()

    def next_attempt_in_ms(self) -> int:
        return self._timer.remainingTime() if self._timer.isActive() else -1

    def _watch_network(self) -> None:
        try:
            loaded = QNetworkInformation.loadBackendByFeatures(QNetworkInformation.Feature.Reachability)
        except (AttributeError, RuntimeError):
            loaded = False
        instance = QNetworkInformation.instance() if loaded else None
        if instance is not None:
            self._network = instance
            instance.reachabilityChanged.connect(self._reachability_changed)

    def _reachability_changed(self, reachability: QNetworkInformation.Reachability) -> None:
        if reachability in (
            QNetworkInformation.Reachability.Online,
            QNetworkInformation.Reachability.Site,
            QNetworkInformation.Reachability.Local,
        ):
            self.failures = 0
            self._debounce.start()

    def attempt(self) -> None:
        if not self.enabled:
            return
        self._debounce.stop()
        if self.busy:
            self._again = True
            return
        self.busy = True
        self.busyChanged.emit(True)
        profile = self.profile
        run_in_background(
            "network", lambda: _attempt(profile), self._finished, owner=self, on_error=self._failed
        )

    def _finished(self, outcome: AttemptOutcome) -> None:
        self.busy = False
        self.busyChanged.emit(False)
        self.last_outcome = outcome
        if outcome.status is not None:
            self.status = outcome.status
            self.statusChanged.emit(outcome.status)
        if outcome.state == "pushed":
            self.failures = 0
            delay = self.interval_s
        elif outcome.state == NOT_CONFIGURED:
            delay = self.backoff_max_s
        else:
            self.failures += 1
            delay = min(self.backoff_start_s * 2 ** (self.failures - 1), self.backoff_max_s)
        self.attemptFinished.emit(outcome)
        if outcome.decisions_applied:
            self.decisionsApplied.emit(outcome.decisions_applied)
        if self._again:
            self._again = False
            self.attempt()
        elif self._running:
            self._timer.start(int(delay * 1000))

    def _failed(self, error: BaseException) -> None:
        # The runner logged it; the tooltip says it in a sentence fit for the user.
        self._finished(AttemptOutcome("failed", self.status, message=errors.message(error)))


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return _("nog nooit")
    local = moment.astimezone()
    if local.date() == dt.datetime.now().astimezone().date():
        return local.strftime("%H:%M")
    return local.strftime("%d-%m-%Y %H:%M")


NO_SUPERVISOR_KEY = "no_supervisor_key"
NO_TARGET = "no_target"


def missing_setup(status: sync_service.SyncStatus | None) -> str | None:
    """Why nothing can travel, before any attempt: no supervisor key trusted, or no target."""
    if status is None:
        return None
    if not status.supervisor_fingerprint:
        return NO_SUPERVISOR_KEY
    if not status.target:
        return NO_TARGET
    return None


def status_text(status: sync_service.SyncStatus | None, outcome: AttemptOutcome | None = None) -> str:
    if status is None:
        return _("Synchronisatie: bezig met laden…")
    waiting = status.unacknowledged_records
    parts = [
        ngettext("{n} wijziging wacht", "{n} wijzigingen wachten", waiting).format(n=waiting)
        if waiting
        else _("alles verstuurd"),
        _("verstuurd: {when}").format(when=_when(status.last_push)),
        _("ontvangstbewijs: {when}").format(when=_when(status.last_receipt)),
    ]
    # The reason in the window itself, not "offline" with the reason in a tooltip (issue 16, fault 7).
    missing = missing_setup(status)
    if missing == NO_SUPERVISOR_KEY:
        parts.insert(0, _("niet gesynchroniseerd: er is nog geen supervisorsleutel vertrouwd"))
    elif missing == NO_TARGET:
        parts.insert(0, _("niet gesynchroniseerd: er is nog geen synchronisatiedoel ingesteld"))
    elif outcome is not None and outcome.state in (UNREACHABLE, "failed"):
        parts.insert(0, _("offline"))
    return " · ".join(parts)


def _trust_supervisor(profile: Profile, path: Path) -> str:
    return SyncKeysService.for_profile(profile).trust_supervisor(path).fingerprint


class SyncStatusWidget(QWidget):
    """Status-bar part: pending changes, last push and receipt, "Nu synchroniseren", and while the
    set-up is incomplete a button that fixes it (the supervisor's key, the target)."""

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.label = QLabel(status_text(None))
        self.label.setObjectName("syncStatus")
        self.fix_button = QPushButton()
        self.fix_button.setObjectName("syncFix")
        self.fix_button.setAccessibleName(_("Synchronisatie instellen"))  # its text comes with the status
        self.fix_button.clicked.connect(self.fix)
        self.fix_button.hide()
        self.button = QPushButton(_("Nu synchroniseren"))
        self.button.setObjectName("syncNow")
        self.button.clicked.connect(self.sync_now)
        self.message_box: QWidget | None = None  # the last dialog opened (for tests too)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.fix_button)
        layout.addWidget(self.button)
        controller.statusChanged.connect(self._show)
        controller.attemptFinished.connect(self._outcome)
        controller.busyChanged.connect(self._busy)

    def sync_now(self) -> None:
        """Without a supervisor key or a target, say so and offer to set it, instead of nothing."""
        if missing_setup(self.controller.status) is not None:
            self.fix()
            return
        self.controller.sync_now()

    def fix(self) -> None:
        missing = missing_setup(self.controller.status)
        if missing == NO_SUPERVISOR_KEY:
            self._choose_supervisor_key()
        elif missing == NO_TARGET:
            current = self.controller.status.target if self.controller.status else None
            ask_sync_target(self, self.controller.profile, lambda _saved: self.controller.sync_now(), current)

    def _choose_supervisor_key(self) -> None:
        dialog = QFileDialog(self, _("Sleutelbestand van de supervisor kiezen"))
        dialog.setObjectName("supervisorKeyDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilter(_("Sleutelbestanden (*.json)"))
        dialog.fileSelected.connect(self._trust)
        self.message_box = dialog
        dialog.open()

    def _trust(self, path: str) -> None:
        profile = self.controller.profile
        run_in_background(
            "database",
            lambda: _trust_supervisor(profile, Path(path)),
            lambda _fingerprint: self.controller.sync_now(),
            owner=self,
            on_error=lambda error: errors.report(self, error, _("Supervisorsleutel")),
        )

    def _show(self, status: sync_service.SyncStatus) -> None:
        self.label.setText(status_text(status, self.controller.last_outcome))
        self._show_fix()

    def _outcome(self, outcome: AttemptOutcome) -> None:
        text = status_text(self.controller.status, outcome)
        # The restore notice stays in the window until the next attempt, not only in a tooltip.
        self.label.setText(f"{outcome.restore_notice} · {text}" if outcome.restore_notice else text)
        self.label.setToolTip(outcome.message)
        self._show_fix()

    def _show_fix(self) -> None:
        missing = missing_setup(self.controller.status)
        self.fix_button.setVisible(missing is not None)
        if missing == NO_SUPERVISOR_KEY:
            self.fix_button.setText(_("Supervisorsleutel kiezen…"))
            self.fix_button.setToolTip(_("Het sleutelbestand dat de supervisor u gaf (.json)"))
        elif missing == NO_TARGET:
            self.fix_button.setText(_("Synchronisatiedoel instellen…"))
            self.fix_button.setToolTip(_("Een map of een WebDAV-adres"))

    def _busy(self, busy: bool) -> None:
        self.button.setEnabled(not busy)
        self.button.setText(_("Bezig met synchroniseren…") if busy else _("Nu synchroniseren"))

    def retranslate(self) -> None:
        self._busy(self.controller.busy)
        self.label.setText(status_text(self.controller.status, self.controller.last_outcome))
        self._show_fix()


def ask_sync_target(
    parent: QWidget,
    profile: Profile,
    done: Callable[[str], None] | None = None,
    current: str | None = None,
) -> None:
    """Ask for the sync target (a folder or a WebDAV address), showing the current one, and remember
    it in the background."""
    if current is None:
        current = SyncTargetService.for_profile(profile).configured()
    prompt = _("Map of WebDAV-adres (bijvoorbeeld https://naam@server/remote.php/dav/files/naam/wegwijs/):")
    prompt = (
        _("Nu ingesteld: {target}").format(target=current) + "\n\n" + prompt
        if current
        else _("Er is nog geen synchronisatiedoel ingesteld.") + "\n\n" + prompt
    )
    text, ok = ask_text(
        parent,
        _("Synchronisatiedoel"),
        prompt,
        _(
            "Een map als volledig pad, of een WebDAV-adres dat met https:// begint; het huidige doel staat er al."
        ),
        current or "",
    )
    if not ok or not text.strip():
        return
    target = text.strip()

    run_in_background(
        "database",
        lambda: SyncTargetService.for_profile(profile).configure(target),
        lambda saved: done(saved) if done is not None else None,
        owner=parent,
        on_error=lambda error: errors.report(parent, error, _("Synchronisatiedoel")),
    )
