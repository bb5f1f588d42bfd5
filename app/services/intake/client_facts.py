"""The intake corrects what the COA hand-over said: a fuller date of birth, the doelgroep, the day the
residence right was made known. Those answers are written through to the client and the case, so
the duty (app/domain/eligibility.py), the caseload and the PIP follow the checked answer and a
"leeftijd onzeker" is resolved by recording the full date in the intake (DOMAIN.md "Groups",
"More rules"). Only a valid answer is written; clearing an answer keeps what the COA gave.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from app.domain.enums import TargetGroup
from app.forms import FormDefinition, check_answer
from app.models.client import Client
from app.models.intake import Intake

BIRTH_DATE = "person.birth_date"
TARGET_GROUP = "person.target_group"
# The form has no meaning tag for it; the COA prefill uses the same field id.
RESIDENCE_KNOWN_FIELD = "datum_verblijf"


def apply_to_client(
    session: Session, intake: Intake, definition: FormDefinition, field_id: str, raw: Any, today: dt.date
) -> None:
    item = definition.field(field_id)
    if item is None:
        return
    if item.meaning not in (BIRTH_DATE, TARGET_GROUP) and field_id != RESIDENCE_KNOWN_FIELD:
        return
    checked = check_answer(item, raw, today)
    if not checked.ok or checked.value is None:
        return
    client = session.get(Client, intake.client_id)
    if client is None:
        return
    value = str(checked.value)
    if item.meaning == BIRTH_DATE and client.birth_date != value:
        client.birth_date = value
    elif item.meaning == TARGET_GROUP and value in {t.value for t in TargetGroup}:
        if client.target_group != value:
            client.target_group = value
    elif field_id == RESIDENCE_KNOWN_FIELD and client.case is not None:
        day = dt.date.fromisoformat(value) if len(value) == 10 else None
        if day is not None and client.case.melddatum != day:
            client.case.melddatum = day
