"""The supervisor's decisions about one client and the device it is assigned to, as part of the
right-of-access export (app/services/clients.py `export_client`): they are about the person too."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.client import Client
from app.models.supervisor import ClientAssignment, SupervisorDecision
from app.services.visibility import session_visibility


def export_supervisor(session: Session, client: Client) -> dict[str, Any]:
    """A role that may not see everything (the interpreter) gets the decisions without their reasons."""
    seen = session_visibility(session)
    assignment = session.get(ClientAssignment, client.id)
    decisions = session.scalars(
        select(SupervisorDecision)
        .where(SupervisorDecision.client_id == client.id)
        .order_by(SupervisorDecision.id)
    ).all()
    return {
        "toewijzing": None
        if assignment is None
        else {
            "apparaat": assignment.device_id,
            "toegewezen_op": assignment.assigned_at.isoformat(),
            "door": assignment.assigned_by,
        },
        "beslissingen": [
            {
                "soort": decision.kind,
                "versie": decision.version_number,
                "versie_id": str(decision.pip_version_id) if decision.pip_version_id else None,
                "besloten_op": decision.decided_on.isoformat(),
                "vastgelegd": decision.recorded_at.isoformat(),
                "door": decision.decided_by,
                "apparaat": decision.device_id,
                "dagen_na_de_termijn": decision.days_over_deadline,
                **({} if seen.restricted else {"reden": decision.reason}),
            }
            for decision in decisions
        ],
    }
