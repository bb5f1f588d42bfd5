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
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, Date, ForeignKey, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base

# Tables that only hold what can be worked out again from the others: not copied, synced or exported.
DERIVED_TABLES = frozenset({"caseload_state"})


class CaseloadState(Base):
    __tablename__ = "caseload_state"

    client_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("client.id", ondelete="CASCADE"), primary_key=True
    )
    valid_from: Mapped[dt.date] = mapped_column(Date, nullable=False)
    valid_until: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # None: no end
    status: Mapped[str] = mapped_column(Text, nullable=False)  # a Msg as JSON
    leerroute: Mapped[str] = mapped_column(String(100), nullable=False)  # a msgid, "" without a route
    pip_state: Mapped[str | None] = mapped_column(String(32), nullable=True)
    obliged: Mapped[bool] = mapped_column(Boolean, nullable=False)
    deadline_kind: Mapped[str | None] = mapped_column(String(40), nullable=True)
    deadline_due: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    deadline_can_be_late: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    late: Mapped[bool] = mapped_column(Boolean, nullable=False)
    due_soon: Mapped[bool] = mapped_column(Boolean, nullable=False)
    azc_without_pip: Mapped[bool] = mapped_column(Boolean, nullable=False)
    # Stored for every role; only a role that may see the ontzorgen is shown it (read time).
    ontzorgen_ending: Mapped[bool] = mapped_column(Boolean, nullable=False)
    meeting_late: Mapped[bool] = mapped_column(Boolean, nullable=False)
    exempted_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    exempt_parts: Mapped[str] = mapped_column(String(200), nullable=False)  # JSON list
