"""The one error reporter of the GUI.

A `WegwijsError` is a refusal meant for the user: its Dutch sentence is shown as it is. Anything else
is a fault: the user sees a short apology and where the log file is, and the traceback goes to the
log (app/services/logs.py writes tracebacks without exception messages, so no personal data).
"""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.domain.errors import WegwijsError
from app.i18n import _
from app.services.logs import current_log_file

log = logging.getLogger("app.ui")


def message(error: BaseException) -> str:
    """The sentence to show for `error`: a refusal's own, or the apology with the log's place."""
    if isinstance(error, WegwijsError):
        return str(error)
    path = current_log_file()
    if path is None:
        return _("Er ging iets mis; er is niets half opgeslagen. Probeer het opnieuw.")
    return _(
        "Er ging iets mis; er is niets half opgeslagen. Probeer het opnieuw. "
        "De details staan in het logbestand {path}."
    ).format(path=path)


def log_failure(error: BaseException) -> None:
    """Faults go to the log with their traceback; refusals only by their kind (their sentence may
    name a client)."""
    if isinstance(error, WegwijsError):
        log.info("refused: %s", type(error).__name__)
    else:
        log.error("background task failed", exc_info=(type(error), error, error.__traceback__))


def report(parent: QObject | None, error: BaseException, title: str | None = None) -> str:
    """Show `error` in a warning box over `parent` (not waiting for it); returns the sentence shown.
    The failure is logged by whoever caught it (the task runner does this for background work)."""
    text = message(error)
    box = QMessageBox(parent if isinstance(parent, QWidget) else None)
    box.setObjectName("errorReport")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title or _("Wegwijs"))
    box.setTextFormat(Qt.TextFormat.PlainText)  # a sentence may quote user text: never markup
    box.setText(text)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return text


def report_caught(parent: QObject | None, error: BaseException, title: str | None = None) -> str:
    """For an error caught on the GUI thread (not by the runner): log it, then `report` it."""
    log_failure(error)
    return report(parent, error, title)


def install_excepthook() -> None:
    """An exception no one caught on the GUI thread (a slot that raised) goes to the log as well."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        log.error("uncaught exception", exc_info=(kind, value, tb))
        previous(kind, value, tb)

    sys.excepthook = hook
