"""The supervisor's workspace: what waits for adoption, the decisions, and which device a client is on.

| module | what |
| --- | --- |
| `queue.py` | "wacht op vaststelling": signed PIPs oldest first with the 10-week deadline, conflicts, per klantmanager |
| `decisions.py` | adopt (four-eyes, `--on`, lateness), send back to concept, withdraw; recorded and audited |
| `assignment.py` | reassign a client to another registered device; `recipient_device_for` for decision packages |
| `view.py` | the signed PIP side by side (Dutch and translation) with the intake summary a supervisor may see |
| `service.py` | `SupervisorService.for_profile(profile)`: what the GUI and the command line call |
"""

from app.services.supervisor.assignment import DeviceInfo, SupervisorRefused, recipient_device_for
from app.services.supervisor.decisions import DecisionOutcome
from app.services.supervisor.queue import (
    AdoptedPip,
    KlantmanagerQueue,
    ReviewQueue,
    WaitingConflict,
    WaitingPip,
    queue_json,
)
from app.services.supervisor.service import SupervisorService
from app.services.supervisor.view import PipReview, SideBySideText

__all__ = [
    "AdoptedPip",
    "DecisionOutcome",
    "DeviceInfo",
    "KlantmanagerQueue",
    "PipReview",
    "ReviewQueue",
    "SideBySideText",
    "SupervisorRefused",
    "SupervisorService",
    "WaitingConflict",
    "WaitingPip",
    "queue_json",
    "recipient_device_for",
]
