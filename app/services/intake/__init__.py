"""Use cases of the brede intake: start or resume, autosave answers, progress, conclude, route advice.

Functions take an open SQLAlchemy session (the caller's unit of work; internal to app/services);
`IntakeService` wraps them for the GUI with one short transaction per call. Autosave (`save_answer`)
is one UPDATE of one intake row plus its journal and audit entries, committed at once: SQLite's
atomic commit (WAL) means a killed process loses at most the save that was under way, never the store.

What the rest of the app asks explicitly: `export_intakes` (right-of-access export, app/services/clients.py),
`fill_demo_intake` (app/services/demo.py), `caseload_status` (app/services/caseload.py) and
`route_advice_for_client` (the PIP).
"""

from app.services.intake.advice import advice_for, conclude, intake_facts, route_advice_for_client
from app.services.intake.demo import fill_demo_intake
from app.services.intake.export import (
    IntakeCaseloadStatus,
    ReadableAnswer,
    ReadableSection,
    caseload_status,
    export_intakes,
    readable_intake,
)
from app.services.intake.records import (
    CESUUR_OPTION,
    IntakeRefused,
    IntakeSettings,
    IntakeSnapshot,
    SessionInfo,
    SessionInput,
    add_session,
    current_intake,
    intakes_of,
    mark_section,
    record_consent,
    save_answer,
    set_last_field,
    snapshot,
    start_or_resume,
)
from app.services.intake.service import IntakeService

__all__ = [
    "CESUUR_OPTION",
    "IntakeCaseloadStatus",
    "ReadableAnswer",
    "ReadableSection",
    "readable_intake",
    "IntakeRefused",
    "IntakeService",
    "IntakeSettings",
    "IntakeSnapshot",
    "SessionInfo",
    "SessionInput",
    "add_session",
    "advice_for",
    "caseload_status",
    "conclude",
    "current_intake",
    "export_intakes",
    "fill_demo_intake",
    "intake_facts",
    "intakes_of",
    "mark_section",
    "record_consent",
    "route_advice_for_client",
    "save_answer",
    "set_last_field",
    "snapshot",
    "start_or_resume",
]
