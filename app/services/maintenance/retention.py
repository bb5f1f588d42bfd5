"""The retention period (AVG; `wegwijs retention [--apply] [--json]`; issue 14).

A client's data is kept for the municipal setting `retention_years` after the integration duty
ended (app/domain/retention.py: the end of the term, or an earlier exemption from the whole duty).
`due` lists the clients past it; `apply` erases them one by one through the erasure service (each
in its own unit of work, so one that is refused, say for a running objection, stops no other).
Clients whose duty never ran (no adopted PIP) are not listed: nothing can be counted from it, and
the municipality decides about them itself. The GUI reminds a supervisor once a month
(`reminder`), when there is something to do.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from app.domain.deadlines import TermExtension
from app.domain.errors import WegwijsError
from app.domain.retention import duty_end, objection_running, retention_ends
from app.i18n import N_, _, ngettext
from app.models.client import Client
from app.models.pip import Pip
from app.models.store import StoreLike
from app.services.maintenance.erase import ErasureReport, ErasureService
from app.services.policy import option_value
from app.services.profile import Profile

RETENTION_OPTION = "retention_years"
APPLY_REASON = N_("bewaartermijn verstreken")


@dataclass(frozen=True)
class RetentionLine:
    client_id: uuid.UUID
    v_nummer: str
    duty_ended: dt.date
    kept_until: dt.date
    blocked: str = ""  # why it cannot be erased now ("" : it can)


@dataclass(frozen=True)
class RetentionOutcome:
    erased: tuple[ErasureReport, ...]
    refused: tuple[tuple[RetentionLine, str], ...]


@dataclass(frozen=True)
class RetentionReminder:
    month: str  # 'YYYY-MM': the GUI reminds once per month
    count: int
    text: str


class RetentionService:
    def __init__(self, store: StoreLike, actor: str, role: str, years: int, erasure: ErasureService) -> None:
        self._store = store
        self._actor = actor
        self._role = role
        self.years = years
        self._erasure = erasure

    @classmethod
    def for_profile(cls, profile: Profile) -> RetentionService:
        years = option_value(profile.settings.options, RETENTION_OPTION)
        return cls(
            profile.store(),
            profile.actor,
            profile.settings.role,
            int(years),
            ErasureService.for_profile(profile),
        )

    def due(self, today: dt.date | None = None) -> list[RetentionLine]:
        """The clients whose retention period has passed, the longest past first."""
        today = today or dt.date.today()
        query = select(Client.id, Client.v_nummer, Pip.first_adopted_on, Pip.extensions, Pip.exemptions,
                       Pip.objections).join(Pip, Pip.client_id == Client.id)  # fmt: skip
        lines = []
        with self._store.session(self._actor, self._role) as session:
            for client_id, v_nummer, adopted, extensions, exemptions, objections in session.execute(query):
                terms = [
                    TermExtension(int(e.get("months", 0)), int(e.get("days", 0))) for e in extensions or []
                ]
                ended = duty_end(adopted, terms, exemptions)
                if ended is None or retention_ends(ended, self.years) >= today:
                    continue
                blocked = _("bezwaar of beroep loopt") if objection_running(objections or []) else ""
                lines.append(
                    RetentionLine(client_id, v_nummer, ended, retention_ends(ended, self.years), blocked)
                )
        return sorted(lines, key=lambda line: (line.kept_until, line.v_nummer))

    def apply(self, today: dt.date | None = None) -> RetentionOutcome:
        erased: list[ErasureReport] = []
        refused: list[tuple[RetentionLine, str]] = []
        for line in self.due(today):
            try:
                erased.extend(self._erasure.erase_ids([line.client_id], _(APPLY_REASON)))
            except WegwijsError as error:
                refused.append((line, str(error)))
        return RetentionOutcome(tuple(erased), tuple(refused))

    def reminder(self, last_month: str | None, today: dt.date | None = None) -> RetentionReminder | None:
        """A supervisor's monthly notice: None for a klantmanager, when this month was reminded
        already, or when no client is past the retention period."""
        today = today or dt.date.today()
        month = today.strftime("%Y-%m")
        if self._role != "supervisor" or last_month == month:
            return None
        count = len(self.due(today))
        if not count:
            return None
        text = ngettext(
            "{n} cliënt is langer bewaard dan de bewaartermijn; wis de gegevens met 'wegwijs retention --apply'.",
            "{n} cliënten zijn langer bewaard dan de bewaartermijn; wis de gegevens met 'wegwijs retention --apply'.",
            count,
        ).format(n=count)
        return RetentionReminder(month, count, text)


def line_json(line: RetentionLine) -> dict[str, object]:
    """One client of `wegwijs retention --json`."""
    return {
        "id": str(line.client_id),
        "v_nummer": line.v_nummer,
        "einde_inburgeringsplicht": line.duty_ended.isoformat(),
        "bewaren_tot": line.kept_until.isoformat(),
        "geblokkeerd": line.blocked or None,
    }
