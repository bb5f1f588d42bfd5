"""What the caseload shows per client, stored when it was worked out (issue 15, issue 18).

Not a record of its own: a copy of what app/services/caseload.py computes from the client, the case,
the intake, the PIP and its meetings, kept so listing the caseload is one query. It is never synced,
journaled or exported; the store may drop any row at any time (the next listing recomputes it).

Freshness: migration 0013 puts triggers on every table the listing reads from; any insert, update or
delete there deletes the client's row here, whoever writes (the ORM, raw Core, executemany, restore,
the supervisor's importer). A row also holds the days it is right for (`valid_from` ..
`valid_until`): what it shows that depends on the date (age, housing day, deadline states, flags)
can only turn after `valid_until` (app/services/caseload_state.py). Texts are message ids, so the
row is the same in every language.

The lines ahead (`CaseloadAhead`, migration 0014): for a client whose line turns within the next days,
the line(s) that will be right from each turn on, computed the same way for that later day, so the
first start of a day finds today's line stored. The same triggers delete them with the client's line.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base

# Tables that only hold what can be worked out again from the others: not copied, synced or exported.
DERIVED_TABLES = frozenset({"caseload_state", "caseload_ahead"})


class _CaseloadLine:
    """The columns of a stored line beside its key (the key differs: one line per client here, one per
    client and first day ahead)."""

    # The client's place in the caseload as computed (SQLite: the client's rowid), so the stored
    # caseload lists in the same order.
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    valid_until: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # None: no end
    v_nummer: Mapped[str] = mapped_column(String(10), nullable=False)
    name: Mapped[str] = mapped_column(String(1001), nullable=False)
    name_original: Mapped[str] = mapped_column(String(1000), nullable=False)
    birth_date: Mapped[str] = mapped_column(String(10), nullable=False)
    coa_location: Mapped[str] = mapped_column(String(200), nullable=False)
    klantmanager: Mapped[str] = mapped_column(String(200), nullable=False)
    housing_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(Text, nullable=False)  # a Msg as JSON
    leerroute: Mapped[str] = mapped_column(String(100), nullable=False)  # a msgid, "" without a route
    pip_state: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # OBLIGED | LATE | ... (app/services/caseload_state.py): the flags for every role; the ontzorgen flag is shown only to a role
    # that may see the ontzorgen (read time).
    flags: Mapped[int] = mapped_column(Integer, nullable=False)
    # "<kind> <due ISO date> <1: can be late, 0: not>", NULL without a deadline.
    deadline: Mapped[str | None] = mapped_column(String(60), nullable=True)
    # JSON [exempted_on ISO date or null, [parts]], NULL without an exemption.
    exemption: Mapped[str | None] = mapped_column(String(250), nullable=True)


class CaseloadState(_CaseloadLine, Base):
    """One line as the caseload shows it: the whole line, so listing is one table read (the few
    columns that are not plain values are packed, see app/services/caseload_state.py)."""

    __tablename__ = "caseload_state"

    client_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("client.id", ondelete="CASCADE"), primary_key=True
    )
    valid_from: Mapped[dt.date] = mapped_column(Date, nullable=False)


class CaseloadAhead(_CaseloadLine, Base):
    """A later generation of a client's line: what the caseload will show from `valid_from` (a day
    on which the line turns) through `valid_until`, computed from the same records for that day.
    The columns are those of `CaseloadState`; the key is (client, first day)."""

    __tablename__ = "caseload_ahead"

    client_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("client.id", ondelete="CASCADE"), primary_key=True
    )
    valid_from: Mapped[dt.date] = mapped_column(Date, primary_key=True)
