"""The start of the GUI before Qt and the services load: the caseload first, the rest after it.

Issue 15: a klantmanager opens Wegwijs to see what is due, and importing SQLAlchemy, the models and
every service took longer than painting the list. When the store can be read as it is (a local file,
the key fits, the schema at the newest revision, closed cleanly last time), its stored caseload
lines (app/services/caseload_state.py) are read with sqlcipher3 alone; a line that turned since it
was stored (a day passed) is read from the line ahead stored for today when there is one
(app/services/caseload_ahead.py, filled after the window is complete). When some line is still out
of date (a record changed, or the lines ahead are over after a long absence), the store opens
through SQLAlchemy and the caseload recomputes exactly those lines. Either way the lines are painted first and the rest of the window
follows (app/ui/application.py). Anything else (a supervisor, a passphrase to ask, an upgrade due,
an unclean shutdown, a refusal) goes the usual way, which asks, checks and upgrades as it always did.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app import __version__
from app.domain.enums import Role
from app.domain.errors import WegwijsError
from app.i18n import set_ui_language
from app.models.secrets import BACKEND_VAULT, PassphraseProvider
from app.models.store import MIGRATIONS_DIR, open_checked, plain_heads, unclean_markers
from app.services.caseload_row import CaseloadRow
from app.services.profile import Profile, open_profile, passphrase_in_environment, profile_exists

if TYPE_CHECKING:
    import sqlcipher3.dbapi2 as sqlcipher

log = logging.getLogger(__name__)

# What the rest of the window uses from the layers below. Loaded before Qt whenever the start goes
# the usual way: once PySide6 is loaded, its import hook reads the source of every module imported
# after it (to look for PySide6 in it), which made these imports about a fifth slower and 20 MiB
# larger. A start that paints the stored caseload first loads them after the paint. A module missing
# here is merely loaded later.
GUI_SERVICES = (
    "app.services.caseload",
    "app.services.clients",
    "app.services.intake",
    "app.services.pip",
    "app.services.review",
    "app.services.review_exchange",
    "app.services.sync",
    "app.services.signing",
    "app.services.municipal_options",
    "app.services.maintenance.backup",
    "app.forms.progress",
)


def load_gui_services() -> None:
    for module in GUI_SERVICES:
        importlib.import_module(module)


@dataclass
class QuickStart:
    """An opened profile (its key read) and the caseload as stored, before Qt is loaded."""

    profile: Profile
    rows: list[CaseloadRow]


def prepare(
    data_dir: Path, passphrase_provider: PassphraseProvider, today: dt.date | None = None
) -> QuickStart | None:
    """Before Qt: the profile and its caseload, when no question has to be asked for them (the key
    in the OS keyring, or the passphrase in the environment). None: the usual start, which asks,
    refuses in a message box, upgrades and checks as it always does."""
    if not profile_exists(data_dir):
        return None
    try:
        profile = open_profile(data_dir, passphrase_provider)
        if profile.settings.secret_backend == BACKEND_VAULT and not passphrase_in_environment():
            return None  # the passphrase is asked in a dialog, so Qt comes first
        connection = connection_as_is(profile)
        if connection is None:
            return None
        set_ui_language(profile.settings.ui_language)  # the lines' texts are translated as they are read
        try:
            from app.services.caseload_state import read_stored_caseload

            day = today or dt.date.today()
            sees = sees_ontzorgen(connection, profile.settings.role)
            rows = read_stored_caseload(connection, day, sees_ontzorgen=sees)
        finally:
            connection.close()
        if rows is None:
            # Some lines turned since they were stored (a deadline came near, a day passed) with no
            # line ahead for today, or were changed: the store opens through SQLAlchemy now and the caseload recomputes exactly
            # those lines (and stores them); the rest of the services still load after the paint.
            log.info("caseload lines out of date: recomputed before the first paint")
            from app.services.caseload import CaseloadService

            rows = CaseloadService.for_profile(profile).rows(day)
    except WegwijsError:
        return None  # the usual start meets the same refusal and says it
    except Exception:  # noqa: BLE001 (a fault here must not keep the usual start from saying it)
        log.info("the quick start failed; the usual start follows", exc_info=True)
        return None
    return QuickStart(profile, rows)


def connection_as_is(profile: Profile) -> sqlcipher.Connection | None:
    """A plain sqlcipher3 connection to the profile's store, when it can be read as it is: a
    klantmanager's local file at the newest revision, closed cleanly last time. Otherwise None.

    A wrong key or a damaged file raises the same refusal (StoreError) as opening the store would."""
    if profile.uses_team_store or profile.role is not Role.KLANTMANAGER:
        return None  # the supervisor's window holds more than the caseload; it starts the usual way
    path = profile.store_path
    if unclean_markers(path):
        return None  # the usual start checks the store's integrity first
    connection, revisions = open_checked(path, profile.store_key(), profile.settings.key_check)
    if revisions != plain_heads(MIGRATIONS_DIR):
        connection.close()
        return None  # an upgrade is due (with its backup), or a revision file Alembic must read
    return connection


# Whether a role may see the ontzorgen follows from the form definitions this version ships, which
# take a tenth of a second to load: the answer is kept in the store per role and version.
SEES_ONTZORGEN_SETTING = "caseload.ontzorgen_zichtbaar.{role}.{version}"


def sees_ontzorgen(connection: sqlcipher.Connection, role: str) -> bool:
    """`role_sees_ontzorgen(role)`, remembered in the store's settings for this version of Wegwijs."""
    name = SEES_ONTZORGEN_SETTING.format(role=role, version=__version__)
    row = connection.execute("SELECT value FROM sync_setting WHERE name = ?", (name,)).fetchone()
    if row is not None:
        return bool(row[0] == "1")
    from app.services.caseload_state import role_sees_ontzorgen

    sees = role_sees_ontzorgen(role)
    with connection:
        connection.execute(
            "INSERT OR REPLACE INTO sync_setting (name, value) VALUES (?, ?)", (name, "1" if sees else "0")
        )
    return sees
