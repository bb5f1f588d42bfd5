"""The PIP's part of the caseload: its status per client, the flags the views filter on, the counts.

`caseload_status` reads plain columns (no ORM objects): it runs for the whole caseload on refresh.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.deadlines import (
    DEFAULT_SETTINGS,
    ClientDeadlineFacts,
    DeadlineSettings,
    DeadlineState,
    DeadlineStatus,
    ontzorgen_end,
)
from app.domain.decisions import part_names
from app.domain.pip_lifecycle import STATE_LABELS, PipState, pip_draft, pip_in_force, route_short_label
from app.domain.progress import meeting_overdue
from app.i18n import N_, _
from app.models.client import Case, Client
from app.models.pip import Pip, PipVersion
from app.models.sealed import unless_empty_list
from app.services.pip.progress import intervals_in_force, last_meetings
from app.services.pip.records import facts_from_columns


@dataclass(frozen=True)
class PipCaseloadStatus:
    """The PIP's part of a client's line in the caseload (app/services/caseload.py merges it)."""

    status: str  # "PIP vastgesteld (versie 2)"
    pip_state: str  # the current version's PipState value
    leerroute: str  # short label of the current version's route, "" when none is chosen yet
    facts: ClientDeadlineFacts  # the deadline facts, with the PIP's adoption, extensions and meetings
    # The version in force (pip_in_force(): latest adopted, not withdrawn) and the draft, if any.
    in_force: int | None = None
    draft: int | None = None


def version_states(session: Session, client_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[tuple[int, str]]]:
    """(number, state) of every PIP version per client, in plain columns: what pip_in_force() and
    pip_draft() are asked with."""
    query = select(Pip.client_id, PipVersion.number, PipVersion.state).join(Pip, Pip.id == PipVersion.pip_id)
    if len(client_ids) <= 500:
        query = query.where(Pip.client_id.in_(client_ids))
    result: dict[uuid.UUID, list[tuple[int, str]]] = {}
    session.flush()  # then plain rows on the connection
    for client_id, number, state in session.connection().execute(query):
        result.setdefault(client_id, []).append((number, state))
    return result


def caseload_status(session: Session, client_ids: list[uuid.UUID]) -> dict[uuid.UUID, PipCaseloadStatus]:
    """Status, leerroute and deadline facts per client that has a PIP."""
    if not client_ids:
        return {}
    # Plain columns, no ORM objects: this runs for the whole caseload (10,000 clients) on refresh.
    query = (
        select(
            Pip.client_id,
            Pip.current_state,
            Pip.current_number,
            Pip.current_route,
            Pip.first_adopted_on,
            # Opened only where they hold something (in the team store each is sealed, issue 18).
            unless_empty_list(Pip.extensions).label("extensions"),
            Pip.switched,
            unless_empty_list(Pip.exemptions).label("exemptions"),
            Case.huisvestingsdatum,
            Case.benefit,
            Case.benefit_start,
            Client.target_group,
        )
        .join(Client, Client.id == Pip.client_id)
        .join(Case, Case.client_id == Pip.client_id, isouter=True)
    )
    if len(client_ids) <= 500:
        # The detail pane asks for one client: read one row, not the whole table.
        query = query.where(Pip.client_id.in_(client_ids))
    # On the connection: plain rows, without the ORM's row processing (issue 18).
    session.flush()
    rows = session.connection().execute(query).all()
    versions = version_states(session, client_ids)
    last_held = last_meetings(session, client_ids)
    intervals = intervals_in_force(session, client_ids)
    wanted = set(client_ids)
    labels: dict[tuple[str, int, int | None], str] = {}
    routes: dict[str | None, str] = {}
    result: dict[uuid.UUID, PipCaseloadStatus] = {}
    for r in rows:
        if r.client_id not in wanted:
            continue
        states = versions.get(r.client_id, [])
        in_force, draft = pip_in_force(states), pip_draft(states)
        key = (r.current_state, r.current_number, in_force)
        if key not in labels:
            labels[key] = _status_label(r.current_state, r.current_number, in_force)
        if r.current_route not in routes:
            routes[r.current_route] = route_short_label(r.current_route)
        facts = facts_from_columns(
            r.huisvestingsdatum,
            r.target_group,
            r.first_adopted_on,
            in_force,
            r.extensions,
            last_held.get(r.client_id),
            r.switched,
            r.exemptions,
            intervals.get((r.client_id, in_force)) if in_force is not None else None,
            r.benefit,
            r.benefit_start,
        )
        status = labels[key]
        if facts.exempted_on is not None:
            status = _("ontheffing (DUO)")
        elif facts.exempt_parts:
            status = _("{status}; ontheffing voor {parts}").format(
                status=status, parts=part_names(facts.exempt_parts)
            )
        result[r.client_id] = PipCaseloadStatus(
            status=status,
            pip_state=r.current_state,
            leerroute=routes[r.current_route],
            facts=facts,
            in_force=in_force,
            draft=draft,
        )
    return result


def _status_label(state: str, number: int, in_force: int | None) -> str:
    """The legal state first: with version 1 in force and version 2 discussed, the PIP in force is
    named and the draft beside it (issue 16, fault 2)."""
    state_label = _(STATE_LABELS[PipState(state)])
    if in_force is not None and in_force != number:
        return _("PIP vastgesteld (versie {in_force}); versie {number} {state}").format(
            in_force=in_force, number=number, state=state_label
        )
    if number == 1:
        return _("PIP {state}").format(state=state_label)
    return _("PIP {state} (versie {number})").format(state=state_label, number=number)


# -- caseload views and counts -------------------------------------------------------------------

ONTZORGEN_ENDING_DAYS = 30  # a month to arrange paying the fixed costs themselves


class CaseloadView(enum.StrEnum):
    ALLE = "alle"
    MIJN = "mijn"
    TE_LAAT = "te_laat"
    BINNEN_TWEE_WEKEN = "binnen_twee_weken"
    AZC_ZONDER_PIP = "azc_zonder_pip"
    ONTZORGEN_LOOPT_AF = "ontzorgen_loopt_af"
    GESPREK_TE_LAAT = "voortgangsgesprek_te_laat"


CASELOAD_VIEW_LABELS: dict[CaseloadView, str] = {
    CaseloadView.ALLE: N_("Alle cliënten"),
    CaseloadView.MIJN: N_("Mijn cliënten"),
    CaseloadView.TE_LAAT: N_("Te laat"),
    CaseloadView.BINNEN_TWEE_WEKEN: N_("Binnen twee weken"),
    CaseloadView.AZC_ZONDER_PIP: N_("In AZC zonder PIP"),
    CaseloadView.ONTZORGEN_LOOPT_AF: N_("Ontzorgen loopt af"),
    CaseloadView.GESPREK_TE_LAAT: N_("Voortgangsgesprek te laat"),
}


@dataclass(frozen=True)
class CaseloadFlags:
    """What the caseload filters and counts look at, per client."""

    late: bool = False
    due_soon: bool = False
    # Not housed yet (or housing still ahead) and no PIP in force: a concept does not count.
    azc_without_pip: bool = False
    # Asylum statushouder whose six months of ontzorgen end within ONTZORGEN_ENDING_DAYS.
    ontzorgen_ending: bool = False
    # "Voortgangsgesprek te laat": the PIP in force's interval passed since the last meeting (or
    # the adoption) without one (app/domain/progress.py).
    meeting_late: bool = False


def caseload_flags(
    *,
    obliged: bool,
    housing: dt.date | None,
    asylum: bool,
    pip_in_force: int | None,
    next_deadline: DeadlineStatus | None,
    today: dt.date,
    settings: DeadlineSettings = DEFAULT_SETTINGS,
    exempted: bool = False,
    facts: ClientDeadlineFacts | None = None,
) -> CaseloadFlags:
    """`exempted`: DUO exempted the whole duty, so no PIP is missing any more (its deadlines are
    gone already, app/domain/deadlines.py); ontzorgen still ends as it would."""
    if not obliged:
        return CaseloadFlags()
    state = next_deadline.state if next_deadline else None
    end = ontzorgen_end(housing, settings) if asylum else None
    return CaseloadFlags(
        late=state is DeadlineState.TE_LAAT,
        due_soon=state is DeadlineState.BINNENKORT,
        # No PIP in force (pip_in_force()): a concept, or a new draft over an adopted version, is
        # not "without a PIP" when an adopted version is still in force; a draft alone is.
        azc_without_pip=(housing is None or housing > today) and pip_in_force is None and not exempted,
        ontzorgen_ending=end is not None and 0 <= (end - today).days <= ONTZORGEN_ENDING_DAYS,
        meeting_late=facts is not None
        and facts.pip_in_force
        and meeting_overdue(
            facts.last_progress_meeting,
            facts.first_adoption,
            facts.progress_interval_months or settings.progress_interval_months,
            today,
        ),
    )


def matches_view(view: CaseloadView, flags: CaseloadFlags, klantmanager: str, user: str) -> bool:
    if view is CaseloadView.MIJN:
        return bool(klantmanager) and klantmanager.casefold() == user.casefold()
    if view is CaseloadView.TE_LAAT:
        return flags.late
    if view is CaseloadView.BINNEN_TWEE_WEKEN:
        return flags.due_soon
    if view is CaseloadView.AZC_ZONDER_PIP:
        return flags.azc_without_pip
    if view is CaseloadView.ONTZORGEN_LOOPT_AF:
        return flags.ontzorgen_ending
    if view is CaseloadView.GESPREK_TE_LAAT:
        return flags.meeting_late
    return True


@dataclass(frozen=True)
class CaseloadCounts:
    late: int = 0
    due_soon: int = 0
    azc_without_pip: int = 0
    ontzorgen_ending: int = 0
    meeting_late: int = 0

    def summary(self) -> str:
        """The line at the top of the caseload, in words and numbers (not only colour)."""
        return _(
            "⚠ {late} te laat · ⏳ {soon} binnen twee weken · {azc} in AZC zonder PIP · {ontz} ontzorgen loopt af"
            " · {meeting} voortgangsgesprek te laat"
        ).format(
            late=self.late,
            soon=self.due_soon,
            azc=self.azc_without_pip,
            ontz=self.ontzorgen_ending,
            meeting=self.meeting_late,
        )


def counts_json(counts: CaseloadCounts) -> dict[str, int]:
    """The counts for `wegwijs list --json`."""
    return {
        "te_laat": counts.late,
        "binnen_twee_weken": counts.due_soon,
        "in_azc_zonder_pip": counts.azc_without_pip,
        "ontzorgen_loopt_af": counts.ontzorgen_ending,
        "voortgangsgesprek_te_laat": counts.meeting_late,
    }


def count_flags(flags: Iterable[CaseloadFlags]) -> CaseloadCounts:
    late = soon = azc = ontz = meeting = 0
    for f in flags:
        late += f.late
        soon += f.due_soon
        azc += f.azc_without_pip
        ontz += f.ontzorgen_ending
        meeting += f.meeting_late
    return CaseloadCounts(late, soon, azc, ontz, meeting)
