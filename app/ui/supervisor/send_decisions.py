"""The supervisor's decisions leave by themselves (issue 12, "the way back"): after each decision in
the "Wacht op vaststelling" tab and after each import, the decision packages for the devices are
sealed and sent to the configured sync target on the network worker, as `wegwijs sync push` does in
the supervisor role. Nothing is lost when the target is away: the packages wait in the profile's
outbox and the next attempt (the next decision or import, or "Beslissingen versturen") sends them.
The status bar says what happened, in Dutch."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.i18n import _, ngettext
from app.services.profile import Profile
from app.services.sync import DecisionPushService, SyncTargetService
from app.ui import errors
from app.ui.tasks import run_in_background

SHOWN_MS = 15_000


def send_decisions(profile: Profile) -> str:
    """Runs on the network worker: seal and send; returns the sentence for the status bar."""
    if SyncTargetService.for_profile(profile).configured() is None:
        packaged = DecisionPushService.for_profile(profile).package_decisions()
        if not packaged:
            return ""
        return _(
            "De beslissingen staan klaar voor de apparaten, maar er is geen synchronisatiedoel ingesteld; "
            "stel het doel in op het tabblad Importeren (Doel instellen…), dan gaan ze mee."
        )
    result = DecisionPushService.for_profile(profile).push()
    if result.error:
        return _(
            "De beslissingen zijn bewaard en gaan mee zodra het synchronisatiedoel weer bereikbaar is ({error})."
        ).format(error=result.error)
    if not result.sent:
        return ""
    return ngettext(
        "{count} pakket met beslissingen verstuurd naar de apparaten.",
        "{count} pakketten met beslissingen verstuurd naar de apparaten.",
        len(result.sent),
    ).format(count=len(result.sent))


class DecisionSender(QObject):
    """One send at a time; a request while one runs is done once more afterwards."""

    said = Signal(str)  # the sentence for the status bar ("" when there was nothing to say)
    finished = Signal()

    def __init__(self, profile: Profile, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.busy = False
        self._again = False

    def send(self) -> None:
        if self.busy:
            self._again = True
            return
        self.busy = True
        profile = self.profile
        run_in_background(
            "network", lambda: send_decisions(profile), self._done, owner=self, on_error=self._failed
        )

    def _done(self, sentence: str) -> None:
        self.busy = False
        if sentence:
            self.said.emit(sentence)
        if self._again:
            self._again = False
            self.send()
            return
        self.finished.emit()

    def _failed(self, error: BaseException) -> None:
        self._done(
            _("De beslissingen zijn bewaard maar nog niet verstuurd: {reason}").format(
                reason=errors.message(error)
            )
        )
