"""The start of the GUI before the services load: the stored caseload, read with sqlcipher3 alone.

Issue 15: a klantmanager opens Wegwijs to see what is due, and importing SQLAlchemy, the models and
every service took longer than painting the list. When the store can be read as it is (a local file,
the key fits, the schema at the newest revision, closed cleanly last time) and every stored caseload
line is current (app/services/caseload_state.py), those lines are painted first and the rest of the
window follows (app/ui/application.py). Otherwise None, and the start goes the usual way, which
checks, upgrades and repairs as it always does: this module only reads.
"""

from __future__ import annotations

import datetime as dt
import logging

from app.domain.caseload import CaseloadRow
from app.domain.enums import Role
from app.models.store import (
    MIGRATIONS_DIR,
    _check_file_shape,
    _connect_raw,
    _verify,
    plain_heads,
    unclean_markers,
)
from app.services.profile import Profile

log = logging.getLogger(__name__)


def stored_caseload(profile: Profile, today: dt.date | None = None) -> list[CaseloadRow] | None:
    """The caseload lines as stored, or None when the usual start must decide (see the module).

    A wrong key or a damaged file raises the same refusal (StoreError) as opening the store would."""
    if profile.uses_team_store or profile.role is not Role.KLANTMANAGER:
        return None  # the supervisor's window holds more than the caseload; it starts the usual way
    path = profile.store_path
    _check_file_shape(path)
    if unclean_markers(path):
        return None  # the usual start checks the store's integrity first
    key = profile.store_key()
    connection = _connect_raw(path, key)
    try:
        if _verify(connection, path, key, profile.settings.key_check) != plain_heads(MIGRATIONS_DIR):
            return None  # an upgrade is due (with its backup), or a revision file Alembic must read
        from app.services.caseload_state import read_stored_caseload

        rows = read_stored_caseload(connection, today or dt.date.today(), role=profile.settings.role)
    finally:
        connection.close()
    if rows is None:
        log.info("caseload lines not all current: the usual start")
    return rows
