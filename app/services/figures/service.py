"""`FiguresService`: the team figures over the store, for the supervisor (every imported client) and
for a klantmanager (their own store). One unit of work per call; plain frozen data back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.domain.dates import InvalidDate, parse_full_date
from app.i18n import _
from app.models.store import StoreLike
from app.services.figures.compute import team_report
from app.services.figures.export import export_bytes, export_format, write_private
from app.services.figures.model import FiguresRefused, FiguresReport, Period
from app.services.figures.records import client_facts
from app.services.figures.tables import Table, figure_tables
from app.services.profile import Profile


def parse_period(start: str | None, end: str | None) -> Period:
    """The period from two typed dates (JJJJ-MM-DD or DD-MM-JJJJ; empty: open); refused with one
    Dutch sentence when a date is not a date or the start lies after the end."""
    period = Period(_parse_bound(start, _("begindatum")), _parse_bound(end, _("einddatum")))
    if period.start and period.end and period.start > period.end:
        raise FiguresRefused(
            _("De begindatum {start} ligt na de einddatum {end}; draai ze om of kies andere data.").format(
                start=period.start.strftime("%d-%m-%Y"), end=period.end.strftime("%d-%m-%Y")
            )
        )
    return period


def _parse_bound(text: str | None, which: str) -> dt.date | None:
    if text is None or not text.strip():
        return None
    try:
        return parse_full_date(text.strip(), typed=True)
    except InvalidDate:
        raise FiguresRefused(
            _(
                "De {which} '{text}' is geen datum; schrijf hem als JJJJ-MM-DD, bijvoorbeeld 2026-01-31."
            ).format(which=which, text=text.strip())
        ) from None


class FiguresService:
    def __init__(self, store: StoreLike, actor: str, role: str) -> None:
        self._store = store
        self._actor = actor
        self._role = role

    @classmethod
    def for_profile(cls, profile: Profile) -> FiguresService:
        return cls(profile.store(), profile.actor, profile.settings.role)

    def figures(self, period: Period | None = None, today: dt.date | None = None) -> FiguresReport:
        """The team's figures and each klantmanager's, over the obliged clients whose koppeldatum is
        in `period` (every client without one)."""
        today = today or dt.date.today()
        with self._store.session(self._actor, self._role) as session:
            facts = client_facts(session, today)
        return team_report(facts, period or Period(), today)

    @staticmethod
    def tables(report: FiguresReport) -> tuple[Table, ...]:
        return figure_tables(report)

    @staticmethod
    def check_export_path(path: Path) -> str:
        """ "csv" or "xlsx"; refused for any other name (call before the figures are computed)."""
        return export_format(path)

    @staticmethod
    def export(report: FiguresReport, path: Path) -> Path:
        """The tables as CSV or XLSX (by the name's extension), written 0600 and atomically."""
        return write_private(path, export_bytes(report, export_format(path)))

    @staticmethod
    def write_file(path: Path, data: bytes) -> Path:
        """Another export (a chart as PNG from the screen), written the same private, atomic way."""
        return write_private(path, data)
