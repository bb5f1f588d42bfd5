"""What a PIP snapshot says about the client's whole term, typed: the voortgangsgesprekken held,
the registered extensions, DUO's exemptions and the objections against the PIP in force.

The store keeps these as JSON lists on the `Pip` row (app/models/pip.py, written by
app/services/pip/decisions.py); a snapshot reads them into these frozen dataclasses, so no screen,
command or PDF reads a stored key. An entry written by an older version that lacks a key gets the
field's empty value, never an exception.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.domain.decisions import ObjectionOutcome, objection_deadline


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


@dataclass(frozen=True)
class HeldMeeting:
    """A voortgangsgesprek that took place (recorded on an adopted PIP, no new version)."""

    on: dt.date | None
    by: str
    note: str

    @classmethod
    def from_stored(cls, entry: Mapping[str, Any]) -> HeldMeeting:
        return cls(_date(entry.get("date")), str(entry.get("by") or ""), str(entry.get("note") or ""))


@dataclass(frozen=True)
class TermExtensionEntry:
    """A supervisor's extension of the inburgeringstermijn: how long, why, who and when."""

    months: int
    days: int
    reason: str
    registered_on: dt.date | None
    by: str

    @classmethod
    def from_stored(cls, entry: Mapping[str, Any]) -> TermExtensionEntry:
        return cls(
            _int(entry.get("months")),
            _int(entry.get("days")),
            str(entry.get("reason") or ""),
            _date(entry.get("registered_on")),
            str(entry.get("by") or ""),
        )


@dataclass(frozen=True)
class ExemptionEntry:
    """DUO's ontheffing: its kind (app.domain.decisions.ExemptionKind), date and exam parts."""

    kind: str
    decided_on: dt.date | None
    parts: tuple[str, ...]
    by: str

    @classmethod
    def from_stored(cls, entry: Mapping[str, Any]) -> ExemptionEntry:
        parts = entry.get("parts") or ()
        return cls(
            str(entry.get("kind") or ""),
            _date(entry.get("decided_on")),
            tuple(str(part) for part in parts) if isinstance(parts, list | tuple) else (),
            str(entry.get("by") or ""),
        )


def _outcome(value: Any) -> ObjectionOutcome | None:
    return ObjectionOutcome(value) if value in {o.value for o in ObjectionOutcome} else None


@dataclass(frozen=True)
class ObjectionEntry:
    """An objection against the PIP in force (version `version`), its decision, and the appeal with
    the court's ruling (uitspraak), if any."""

    version: int
    made_known_on: dt.date | None
    received_on: dt.date | None
    late: bool
    outcome: ObjectionOutcome | None
    decided_on: dt.date | None
    appeal_filed_on: dt.date | None
    by: str
    appeal_ruled_on: dt.date | None = None
    appeal_outcome: ObjectionOutcome | None = None

    @classmethod
    def from_stored(cls, entry: Mapping[str, Any]) -> ObjectionEntry:
        return cls(
            _int(entry.get("version")),
            _date(entry.get("made_known_on")),
            _date(entry.get("received_on")),
            bool(entry.get("late")),
            _outcome(entry.get("outcome")),
            _date(entry.get("decided_on")),
            _date(entry.get("appeal_filed_on")),
            str(entry.get("by") or ""),
            _date(entry.get("appeal_ruled_on")),
            _outcome(entry.get("appeal_outcome")),
        )

    @property
    def window_end(self) -> dt.date | None:
        """The last day to object (Awb 6:7/6:8 and the Algemene termijnenwet)."""
        return objection_deadline(self.made_known_on) if self.made_known_on else None

    @property
    def appeal_pending(self) -> bool:
        return self.appeal_filed_on is not None and self.appeal_ruled_on is None


def held_meetings(stored: list[Any] | None) -> tuple[HeldMeeting, ...]:
    return tuple(HeldMeeting.from_stored(e) for e in stored or [] if isinstance(e, Mapping))


def term_extensions(stored: list[Any] | None) -> tuple[TermExtensionEntry, ...]:
    return tuple(TermExtensionEntry.from_stored(e) for e in stored or [] if isinstance(e, Mapping))


def exemption_entries(stored: list[Any] | None) -> tuple[ExemptionEntry, ...]:
    return tuple(ExemptionEntry.from_stored(e) for e in stored or [] if isinstance(e, Mapping))


def objection_entries(stored: list[Any] | None) -> tuple[ObjectionEntry, ...]:
    return tuple(ObjectionEntry.from_stored(e) for e in stored or [] if isinstance(e, Mapping))
