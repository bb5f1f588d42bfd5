"""The PIP use cases: draft, edit, transitions, versions, the caseload's part, documents, demo data.

- `records.py`: the rules applied to stored versions (functions taking the caller's session; internal
  to app/services).
- `service.py`: `PipService`, what the GUI and the CLI call; each method one unit of work, plain
  snapshots back. Also the PIP's section of the right-of-access export.
- `caseload.py`: the PIP's typed part of a caseload line (`PipCaseloadStatus`), flags, views, counts.
- `document.py`: a PIP version (or, before there is one, a concept) as the PDF layer's `PipDocument`.
- `printing.py`: `DocumentService`, the use case "print the PIP" (prepare, render, audit).
- `term.py`: the whole term as a snapshot shows it, typed (meetings held, extensions, exemptions,
  objections).
- `demo.py`: fictional PIPs for demo clients.
"""

from app.services.pip.caseload import (
    CASELOAD_VIEW_LABELS,
    CaseloadCounts,
    CaseloadFlags,
    CaseloadView,
    PipCaseloadStatus,
    caseload_flags,
    count_flags,
    counts_json,
    matches_view,
)
from app.services.pip.printing import (
    DocumentService,
    PendingTranslation,
    PrintableVersions,
    PrintJob,
    PrintOutcome,
    UnprintableCharacters,
)
from app.services.pip.records import (
    AGREEMENT_STATUS_LABELS,
    FIXED_COST_LABELS,
    ONTZORGEN_FORM_LABELS,
    TEXT_PART_LABELS,
    PipNotFound,
    PipSettings,
    Signatures,
    TextPart,
    text_key,
)
from app.services.pip.service import HistoryEntry, PipService, PipSnapshot, VersionSummary
from app.services.pip.term import ExemptionEntry, HeldMeeting, ObjectionEntry, TermExtensionEntry

__all__ = [
    "AGREEMENT_STATUS_LABELS",
    "CASELOAD_VIEW_LABELS",
    "FIXED_COST_LABELS",
    "ONTZORGEN_FORM_LABELS",
    "TEXT_PART_LABELS",
    "CaseloadCounts",
    "CaseloadFlags",
    "CaseloadView",
    "DocumentService",
    "ExemptionEntry",
    "HeldMeeting",
    "HistoryEntry",
    "ObjectionEntry",
    "PendingTranslation",
    "PipCaseloadStatus",
    "PipNotFound",
    "PipService",
    "PipSettings",
    "PipSnapshot",
    "PrintJob",
    "PrintOutcome",
    "PrintableVersions",
    "Signatures",
    "TermExtensionEntry",
    "TextPart",
    "UnprintableCharacters",
    "VersionSummary",
    "caseload_flags",
    "count_flags",
    "counts_json",
    "matches_view",
    "text_key",
]
