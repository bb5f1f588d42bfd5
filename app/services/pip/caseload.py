"""The PIP's part of the caseload: its status per client, the flags the views filter on, the counts.

`caseload_status` reads plain columns (no ORM objects): it runs for the whole caseload on refresh.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.deadlines import (
    ClientDeadlineFacts,
)
from app.domain.decisions import part_name_msgids
from app.domain.pip_lifecycle import STATE_LABELS, PipState, pip_draft, pip_in_force, route_short_msgid
from app.i18n import N_, _
from app.models.client import Case, Client
from app.models.pip import Pip, PipVersion
from app.models.sealed import unless_empty_list
from app.services.caseload_row import ONTZORGEN_ENDING_DAYS, CaseloadFlags, Msg  # noqa: F401
from app.services.caseload_views import (  # noqa: F401 (the caseload's views, re-exported)
    CASELOAD_VIEW_LABELS,
    CaseloadCounts,
    CaseloadView,
    caseload_flags,
    count_flags,
    counts_json,
    matches_view,
)
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
