"""Sync use cases for the GUI and the command line, one module per use case.

| module | service | what |
| --- | --- | --- |
| `keys.py` | `SyncKeysService` | this installation's keys, trusting a supervisor, registering and revoking devices |
| `target.py` | `SyncTargetService` | the folder or WebDAV address packages travel through |
| `status.py` | `SyncStatusService` | waiting changes, last push and receipt, imports and conflicts |
| `push.py` | `PushService` | device side: package pending changes, read receipts, send |
| `pull.py` | `PullService`, `DecisionPushService` | the way back: the supervisor's decision packages, `sync pull` |
| `supervisor_import.py` | `SupervisorImportService` | supervisor side: import, receipts, quarantine |
| `conflicts.py` | `ConflictService` | what arrived from which device, and conflict decisions |
| `team.py` | `TeamKeysService` | team database (issue 18): admit a supervisor workstation, join the team |

`records.py` holds the session-level helpers they share and `quarantine.py` the supervisor's bounded
quarantine; nothing outside this package calls them.
The protocol itself (envelopes, transports, the importer) lives in `app/sync/`.
"""

from app.services.sync.conflicts import ConflictService
from app.services.sync.keys import KeyInfo, SyncKeysService, device_keys
from app.services.sync.pull import (
    DecisionPushResult,
    DecisionPushService,
    PulledPackage,
    PullResult,
    PullService,
)
from app.services.sync.push import PushService
from app.services.sync.status import SyncStatus, SyncStatusService
from app.services.sync.supervisor_import import (
    ImportOutcome,
    ImportSummary,
    ProgressCallback,
    SupervisorImportService,
)
from app.services.sync.target import SyncTargetService
from app.sync.conflicts import (
    Arrival,
    ConflictDecision,
    ConflictView,
    FieldDifference,
    entity_label,
    field_label,
)
from app.sync.errors import SyncError, TransportError
from app.sync.keys import PublicKeys
from app.sync.outbox import PushResult

__all__ = [
    "Arrival",
    "ConflictDecision",
    "ConflictService",
    "ConflictView",
    "FieldDifference",
    "DecisionPushResult",
    "DecisionPushService",
    "ImportOutcome",
    "ImportSummary",
    "KeyInfo",
    "ProgressCallback",
    "PullResult",
    "PullService",
    "PulledPackage",
    "PublicKeys",
    "PushResult",
    "PushService",
    "SupervisorImportService",
    "SyncError",
    "SyncKeysService",
    "SyncStatus",
    "SyncStatusService",
    "SyncTargetService",
    "TransportError",
    "device_keys",
    "entity_label",
    "field_label",
]
