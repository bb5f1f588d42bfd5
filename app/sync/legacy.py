"""Packages from a device that still runs a Wegwijs before issue 13 (revision 0011_progress_records):
their PIP records carry the voortgangsgesprekken as a list `progress_meetings`. Each entry becomes a
`progress_meeting` record with the id, times and fields migration 0011 gives it on every store (see
app/models/progress.py `legacy_meeting_id`), so a meeting the store already holds is the same record
(the importer finds nothing to weigh) and only a newer meeting is added. An entry without a readable
date is not a meeting and is left out, as the migration does.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from app.models.progress import legacy_meeting_id

OLD_FIELD = "progress_meetings"


def carried_over_times(held_on: dt.date) -> dt.datetime:
    """created_at and updated_at of a carried-over meeting: the day it was held, 00:00 UTC."""
    return dt.datetime.combine(held_on, dt.time(), tzinfo=dt.UTC)


def _meeting_items(pip_id: uuid.UUID, meetings: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for index, entry in enumerate(meetings if isinstance(meetings, list) else []):
        if not isinstance(entry, dict):
            continue
        try:
            held_on = dt.date.fromisoformat(str(entry.get("date")))
        except ValueError:
            continue
        meeting_id = legacy_meeting_id(pip_id, index, held_on.isoformat())
        moment = carried_over_times(held_on).isoformat()
        items.append(
            {
                "table": "progress_meeting",
                "id": str(meeting_id),
                "version": 1,
                "base_version": 0,
                "deleted": False,
                "data": {
                    "id": str(meeting_id),
                    "version": 1,
                    "created_at": moment,
                    "updated_at": moment,
                    "pip_id": str(pip_id),
                    "held_on": held_on.isoformat(),
                    "held_by": str(entry.get("by") or "")[:200],
                    "outcome": None,
                    "next_on": None,
                    "note": str(entry.get("note") or ""),
                },
            }
        )
    return items


def expand_old_records(items: list[Any]) -> list[Any]:
    """The package's records with every old meeting list turned into meeting records; anything
    that is not an old PIP record is passed on untouched (and validated as before)."""
    if not any(_is_old_pip(item) for item in items):
        return items
    expanded: list[Any] = []
    for item in items:
        if not _is_old_pip(item):
            expanded.append(item)
            continue
        data = dict(item["data"])
        meetings = data.pop(OLD_FIELD)
        expanded.append({**item, "data": data})
        try:
            pip_id = uuid.UUID(str(item.get("id")))
        except ValueError:
            continue  # the PIP record itself is refused by the validation that follows
        expanded.extend(_meeting_items(pip_id, meetings))
    return expanded


def _is_old_pip(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and item.get("table") == "pip"
        and isinstance(item.get("data"), dict)
        and OLD_FIELD in item["data"]
    )
