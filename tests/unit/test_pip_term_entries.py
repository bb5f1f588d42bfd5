"""The PIP snapshot's term records are typed: what the store holds as JSON reads into frozen
dataclasses, and an entry of an older shape (a key missing, a date typed wrong) reads as empty."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from app.domain.decisions import ObjectionOutcome
from app.services.pip import HeldMeeting, ObjectionEntry
from app.services.pip.term import exemption_entries, held_meetings, objection_entries, term_extensions


def test_stored_entries_read_typed() -> None:
    (meeting,) = held_meetings([{"date": "2026-09-01", "by": "km", "note": "goed"}])
    assert meeting == HeldMeeting(dt.date(2026, 9, 1), "km", "goed")
    (extension,) = term_extensions(
        [{"months": 6, "days": 0, "reason": "ziekte", "registered_on": "2025-03-03", "by": "tl"}]
    )
    assert (extension.months, extension.registered_on, extension.by) == (6, dt.date(2025, 3, 3), "tl")
    (exemption,) = exemption_entries([{"kind": "agi", "decided_on": "2025-05-01", "parts": ["spreken"]}])
    assert exemption.parts == ("spreken",) and exemption.by == ""
    (objection,) = objection_entries(
        [{"version": 1, "received_on": "2025-04-14", "late": False, "outcome": "gegrond", "decided_on": None}]
    )
    assert objection.outcome is ObjectionOutcome.GEGROND and objection.decided_on is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        objection.late = True  # type: ignore[misc]


def test_entries_of_another_shape_read_as_empty() -> None:
    assert held_meetings(None) == () and held_meetings(["not a mapping"]) == ()
    (meeting,) = held_meetings([{"date": "1-9-2026"}])
    assert meeting.on is None and meeting.by == ""
    (extension,) = term_extensions([{"months": "zes"}])
    assert extension.months == 0 and extension.reason == ""
    (objection,) = objection_entries([{"outcome": "misschien", "version": None}])
    assert objection == ObjectionEntry(0, None, None, False, None, None, None, "")


def test_an_objection_reads_its_window_and_its_appeal() -> None:
    """Issue 13: the window's last day (Awb 6:7/6:8, Algemene termijnenwet art. 1) and the appeal with
    its ruling; an entry stored before rulings were recorded reads as an appeal still pending."""
    (older,) = objection_entries(
        [{"version": 1, "made_known_on": "2025-03-07", "received_on": "2025-04-22", "outcome": "ongegrond",
          "decided_on": "2025-06-02", "appeal_filed_on": "2025-07-14"}]
    )  # fmt: skip
    assert older.window_end == dt.date(2025, 4, 22)  # Goede Vrijdag, weekend, Tweede Paasdag
    assert older.appeal_pending and older.appeal_ruled_on is None and older.appeal_outcome is None
    (ruled,) = objection_entries(
        [{"made_known_on": "2025-03-07", "appeal_filed_on": "2025-07-14", "appeal_ruled_on": "2025-12-31",
          "appeal_outcome": "gegrond"}]
    )  # fmt: skip
    assert not ruled.appeal_pending and ruled.appeal_outcome is ObjectionOutcome.GEGROND
    assert objection_entries([{}])[0].window_end is None
