"""The team figures as plain frozen data: what `FiguresService.figures` returns (docs/cijfers.md)."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from dataclasses import dataclass

from app.domain.errors import WegwijsError


class FiguresRefused(WegwijsError, ValueError):
    """A refused request for figures (a bad date, a period the wrong way round, an unknown file type)."""


class OutcomeColumn(enum.StrEnum):
    """The columns of the table of letter 32 824-380: DUO's leerbaarheidstoets result."""

    HAALBAAR = "haalbaar"
    NIET_HAALBAAR = "niet_haalbaar"
    # No result: the test gave none, was not taken (yet), or nothing is recorded.
    GEEN_UITSLAG = "geen_uitslag"


@dataclass(frozen=True)
class Period:
    """The period the figures cover, by each client's koppeldatum; a missing bound is open."""

    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def bounded(self) -> bool:
        return self.start is not None or self.end is not None

    def contains(self, day: dt.date | None) -> bool:
        if not self.bounded:
            return True
        if day is None:
            return False
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Share:
    """`part` of `whole`; the percentage is None when there is nothing to divide by."""

    part: int = 0
    whole: int = 0

    @property
    def percent(self) -> float | None:
        if self.whole == 0:
            return None
        return round(100 * self.part / self.whole, 1)


@dataclass(frozen=True)
class RouteTestRow:
    """One leerroute: how many PIPs in force had each leerbaarheidstoets result."""

    route: str  # Leerroute value
    haalbaar: int = 0
    niet_haalbaar: int = 0
    geen_uitslag: int = 0

    @property
    def total(self) -> int:
        return self.haalbaar + self.niet_haalbaar + self.geen_uitslag

    def count(self, column: OutcomeColumn) -> int:
        return int(getattr(self, column.value))


@dataclass(frozen=True)
class TenWeeks:
    """Housed clients and the 10 weeks from housing: adopted in time, late, or still within them."""

    on_time: int = 0
    late: int = 0
    open: int = 0  # no PIP in force yet, and the 10 weeks have not passed

    @property
    def share(self) -> Share:
        return Share(self.on_time, self.on_time + self.late)


@dataclass(frozen=True)
class TenWeeksMonth:
    month: str  # "2026-03": the month of housing
    counts: TenWeeks


@dataclass(frozen=True)
class GroupFigures:
    """The figures of one group: the whole team (klantmanager None) or one klantmanager's clients."""

    klantmanager: str | None
    clients: int  # obliged clients in the period
    with_pip: int  # with any PIP version, a concept too
    with_pip_in_force: int
    route_test: tuple[RouteTestRow, ...]  # B1, onderwijs, Z
    ten_weeks: TenWeeks
    ten_weeks_by_month: tuple[TenWeeksMonth, ...]  # oldest month first
    azc_without_pip: Share  # of the clients in the AZC now: without a PIP in force
    started_in_azc: Share  # of the clients with a PIP: its first version drafted before housing
    switched: Share  # of the PIPs in force: a route switch (schakelen) adopted
    afschalen: Share  # of the PIPs in force: afschalen to A2 in the PIP in force


@dataclass(frozen=True)
class FiguresReport:
    today: dt.date
    period: Period
    team: GroupFigures
    per_klantmanager: tuple[GroupFigures, ...]  # by name
    # Clients left out because the period is bounded and they have no koppeldatum.
    without_koppeldatum: int = 0


@dataclass(frozen=True)
class VersionFacts:
    """What the figures read of one PIP version (plain values, no ORM objects)."""

    number: int
    state: str
    reason: str
    route: str | None
    drafted_on: dt.date | None  # the draft day, or the day the record was made when that is unknown
    adopted_on: dt.date | None
    afschalen: bool
    test_outcome: str | None  # as the version recorded it when drafted


@dataclass(frozen=True)
class ClientFacts:
    """What the figures read of one obliged client."""

    client_id: uuid.UUID
    klantmanager: str
    koppeldatum: dt.date | None
    housing: dt.date | None
    versions: tuple[VersionFacts, ...]
    intake_outcome: str | None = None  # the brede intake's leerbaarheidstoets result, when read
