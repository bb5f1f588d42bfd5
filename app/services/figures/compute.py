"""The team figures from plain per-client facts: pure rules, no store (definitions: docs/cijfers.md).

Every figure asks for the PIP in force (`pip_in_force`: the latest adopted version that was not
withdrawn), never for the latest version: a concept version 2 over an adopted version 1 still counts
as a PIP in force, and a withdrawn PIP is no PIP.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from app.domain.deadlines import DEFAULT_SETTINGS, DeadlineSettings, pip_due_date
from app.domain.enums import Leerroute
from app.domain.pip_lifecycle import ChangeReason, PipState, pip_in_force
from app.services.figures.model import (
    ClientFacts,
    FiguresReport,
    GroupFigures,
    OutcomeColumn,
    Period,
    RouteTestRow,
    Share,
    TenWeeks,
    TenWeeksMonth,
    VersionFacts,
)

# Adopted and not withdrawn: the version was (or is) in force.
_ADOPTED_STATES = frozenset({PipState.VASTGESTELD.value, PipState.VERVANGEN.value})


def version_in_force(versions: Sequence[VersionFacts]) -> VersionFacts | None:
    number = pip_in_force((v.number, v.state) for v in versions)
    return next((v for v in versions if v.number == number), None) if number is not None else None


def outcome_column(client: ClientFacts, in_force: VersionFacts) -> OutcomeColumn:
    """The result the PIP in force recorded when it was drafted; for a version that recorded none,
    the brede intake's. Anything but haalbaar or niet haalbaar is "geen uitslag"."""
    outcome = in_force.test_outcome or client.intake_outcome
    if outcome == OutcomeColumn.HAALBAAR.value:
        return OutcomeColumn.HAALBAAR
    if outcome == OutcomeColumn.NIET_HAALBAAR.value:
        return OutcomeColumn.NIET_HAALBAAR
    return OutcomeColumn.GEEN_UITSLAG


def housed(client: ClientFacts, today: dt.date) -> bool:
    return client.housing is not None and client.housing <= today


def ten_weeks_state(
    client: ClientFacts, today: dt.date, settings: DeadlineSettings = DEFAULT_SETTINGS
) -> str | None:
    """ "on_time", "late" or "open" for a housed client (None: not housed). On time: a PIP is in force
    and its first adoption (of a version never withdrawn) fell on or before the 10-week deadline."""
    due = pip_due_date(client.housing, settings) if housed(client, today) else None
    if due is None:
        return None
    first_adoption = min(
        (v.adopted_on for v in client.versions if v.state in _ADOPTED_STATES and v.adopted_on), default=None
    )
    if version_in_force(client.versions) is not None and first_adoption is not None:
        return "on_time" if first_adoption <= due else "late"
    return "late" if today > due else "open"


def started_in_azc(client: ClientFacts) -> bool | None:
    """Was the first PIP version drafted while the client still lived in the AZC? None: no PIP."""
    if not client.versions:
        return None
    first = min(client.versions, key=lambda v: v.number)
    if first.drafted_on is None:
        return None
    return client.housing is None or first.drafted_on < client.housing


def switched(client: ClientFacts) -> bool:
    """A route switch (schakelen) was adopted and not withdrawn."""
    return any(
        v.reason == ChangeReason.SCHAKELEN.value and v.state in _ADOPTED_STATES for v in client.versions
    )


def group_figures(
    klantmanager: str | None,
    clients: Iterable[ClientFacts],
    today: dt.date,
    settings: DeadlineSettings = DEFAULT_SETTINGS,
) -> GroupFigures:
    table: dict[str, dict[OutcomeColumn, int]] = {r.value: dict.fromkeys(OutcomeColumn, 0) for r in Leerroute}
    ten = {"on_time": 0, "late": 0, "open": 0}
    by_month: dict[str, dict[str, int]] = defaultdict(lambda: {"on_time": 0, "late": 0, "open": 0})
    count = with_pip = in_force_count = in_azc = azc_without = started = started_known = 0
    switches = afschalen = 0
    for client in clients:
        count += 1
        in_force = version_in_force(client.versions)
        if client.versions:
            with_pip += 1
        if in_force is not None:
            in_force_count += 1
            if in_force.route in table:
                table[in_force.route][outcome_column(client, in_force)] += 1
            switches += switched(client)
            afschalen += in_force.afschalen
        state = ten_weeks_state(client, today, settings)
        if state is not None and client.housing is not None:
            ten[state] += 1
            by_month[client.housing.strftime("%Y-%m")][state] += 1
        if not housed(client, today):
            in_azc += 1
            azc_without += in_force is None
        in_azc_start = started_in_azc(client)
        if in_azc_start is not None:
            started_known += 1
            started += in_azc_start
    return GroupFigures(
        klantmanager=klantmanager,
        clients=count,
        with_pip=with_pip,
        with_pip_in_force=in_force_count,
        route_test=tuple(
            RouteTestRow(
                route.value,
                haalbaar=table[route.value][OutcomeColumn.HAALBAAR],
                niet_haalbaar=table[route.value][OutcomeColumn.NIET_HAALBAAR],
                geen_uitslag=table[route.value][OutcomeColumn.GEEN_UITSLAG],
            )
            for route in Leerroute
        ),
        ten_weeks=TenWeeks(**ten),
        ten_weeks_by_month=tuple(
            TenWeeksMonth(month, TenWeeks(**by_month[month])) for month in sorted(by_month)
        ),
        azc_without_pip=Share(azc_without, in_azc),
        started_in_azc=Share(started, started_known),
        switched=Share(switches, in_force_count),
        afschalen=Share(afschalen, in_force_count),
    )


def team_report(
    clients: Sequence[ClientFacts],
    period: Period,
    today: dt.date,
    settings: DeadlineSettings = DEFAULT_SETTINGS,
) -> FiguresReport:
    """The team's figures and each klantmanager's, over the clients whose koppeldatum is in the period."""
    chosen = [c for c in clients if period.contains(c.koppeldatum)]
    groups: dict[str, list[ClientFacts]] = defaultdict(list)
    for client in chosen:
        groups[client.klantmanager].append(client)
    return FiguresReport(
        today=today,
        period=period,
        team=group_figures(None, chosen, today, settings),
        per_klantmanager=tuple(
            group_figures(name, groups[name], today, settings) for name in sorted(groups, key=str.casefold)
        ),
        without_koppeldatum=sum(1 for c in clients if c.koppeldatum is None) if period.bounded else 0,
    )
