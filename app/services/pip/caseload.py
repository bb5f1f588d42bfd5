"""The PIP's part of the caseload: its status per client, the flags the views filter on, the counts.

`caseload_status` reads plain columns (no ORM objects): it runs for the whole caseload on refresh.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

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
from app.domain.decisions import part_name_msgids
from app.domain.pip_lifecycle import STATE_LABELS, PipState, pip_draft, pip_in_force, route_short_msgid
from app.domain.progress import meeting_overdue
from app.i18n import N_, _
from app.models.client import Case, Client
from app.models.pip import Pip, PipVersion
from app.models.sealed import unless_empty_list
from app.services.caseload_row import ONTZORGEN_ENDING_DAYS, CaseloadFlags, Msg
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
    # `status` and `leerroute` as message ids (the stored caseload is translated when shown).
    status_text: Msg = field(default=Msg(""), compare=False)
    leerroute_msgid: str = field(default="", compare=False)


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
    labels: dict[tuple[str, int, int | None], Msg] = {}
    texts: dict[Msg, str] = {}
    routes: dict[str | None, tuple[str, str]] = {}
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
            msgid = route_short_msgid(r.current_route)
            routes[r.current_route] = (msgid, _(msgid) if msgid else "")
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
            status = Msg(N_("ontheffing (DUO)"))
        elif facts.exempt_parts:
            status = Msg(
                N_("{status}; ontheffing voor {parts}"),
                (
                    ("status", status),
                    (
                        "parts",
                        tuple(Msg(p) if known else p for p, known in part_name_msgids(facts.exempt_parts)),
                    ),
                ),
            )
        if status not in texts:
            texts[status] = status.render()
        route_msgid, route_text = routes[r.current_route]
        result[r.client_id] = PipCaseloadStatus(
            status=texts[status],
            pip_state=r.current_state,
            leerroute=route_text,
            facts=facts,
            in_force=in_force,
            draft=draft,
            status_text=status,
            leerroute_msgid=route_msgid,
        )
    return result


def _status_label(state: str, number: int, in_force: int | None) -> Msg:
    """The legal state first: with version 1 in force and version 2 discussed, the PIP in force is
    named and the draft beside it (issue 16, fault 2)."""
    state_label = Msg(STATE_LABELS[PipState(state)])
    if in_force is not None and in_force != number:
        return Msg(
            N_("PIP vastgesteld (versie {in_force}); versie {number} {state}"),
            (("in_force", str(in_force)), ("number", str(number)), ("state", state_label)),
        )
    if number == 1:
        return Msg(N_("PIP {state}"), (("state", state_label),))
    return Msg(N_("PIP {state} (versie {number})"), (("state", state_label), ("number", str(number))))


# -- caseload views and counts -------------------------------------------------------------------


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
