"""Dates that may be only partly known, as with many refugees' dates of birth."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from app.i18n import _

# Only the digits 0-9. ISO (1997-07-25, 1997-07, 1997) and the Dutch way, day first (25-07-1997,
# 25-7-1997, 25/7/1997, 25.7.1997, 07-1997): a klantmanager types what the documents show.
_PATTERN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)
_DUTCH = re.compile(r"(?:(\d{1,2})[-/.])?(\d{1,2})[-/.](\d{4})", re.ASCII)


class InvalidDate(ValueError):
    """A date that cannot exist or cannot be read; the message is Dutch."""


@dataclass(frozen=True, order=True)
class PartialDate:
    """A year, a year and month, or a full date. Stored as 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise InvalidDate(_("Een dag zonder maand kan niet."))
        if not 1 <= self.year <= 9999:
            raise InvalidDate(_("Jaar {year} bestaat niet.").format(year=self.year))
        if self.month is not None and not 1 <= self.month <= 12:
            raise InvalidDate(_("Maand {month} bestaat niet.").format(month=self.month))
        if self.day is not None and self.month is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise InvalidDate(
                    _("Dag {day} bestaat niet in maand {month} van {year}.").format(
                        day=self.day, month=self.month, year=self.year
                    )
                )

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        match = _PATTERN.fullmatch(text.strip())
        if not match:
            raise InvalidDate(
                _("'{text}' is geen datum; gebruik JJJJ-MM-DD, JJJJ-MM of JJJJ.").format(text=text)
            )
        year, month, day = match.groups()
        return cls(int(year), int(month) if month else None, int(day) if day else None)

    @classmethod
    def parse_typed(cls, text: str) -> PartialDate:
        """What a person types in the interface: ISO or the Dutch way, day first. Files and stored
        values keep the strict ISO of `parse` (a COA list in day-month order is refused there)."""
        dutch = _DUTCH.fullmatch(text.strip())
        if dutch:
            day, month, year = dutch.groups()
            return cls(int(year), int(month), int(day) if day else None)
        if _PATTERN.fullmatch(text.strip()):
            return cls.parse(text)
        raise InvalidDate(
            _("'{text}' is geen datum; typ bijvoorbeeld 25-07-1997, 07-1997 of 1997.").format(text=text)
        )

    def dutch(self) -> str:
        """As shown everywhere in the interface: 25-07-1997, 07-1997 or 1997."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.month:02d}-{self.year:04d}"
        return f"{self.day:02d}-{self.month:02d}-{self.year:04d}"

    @property
    def is_complete(self) -> bool:
        return self.day is not None

    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    def age_on(self, on: dt.date) -> int:
        """Age in whole years; with an unknown day or month, the youngest possible age."""
        born = self.latest()
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def parse_full_date(text: str, typed: bool = False) -> dt.date:
    """A date that must be complete (YYYY-MM-DD), such as a housing date; `typed`: also the Dutch way."""
    partial = PartialDate.parse_typed(text) if typed else PartialDate.parse(text)
    if not partial.is_complete:
        raise InvalidDate(_("'{text}' is geen volledige datum; gebruik JJJJ-MM-DD.").format(text=text))
    return partial.earliest()
