"""The team figures (issue 12): per leerroute × leerbaarheidstoets, PIPs within 10 weeks of housing,
the AZC, schakelen and afschalen; for the team and per klantmanager, over a period (docs/cijfers.md).

- `model.py`: the frozen dataclasses that come out.
- `records.py`: the facts read from the store (internal to app/services).
- `compute.py`: the rules, pure: every figure asks for the PIP in force.
- `tables.py`: the figures as labelled tables (screen, CSV, XLSX) and as JSON.
- `export.py`: CSV and XLSX (openpyxl), files written private (0600) and atomically.
- `service.py`: `FiguresService`, what the GUI and `wegwijs report` call.
"""

from app.services.figures.model import (
    FiguresRefused,
    FiguresReport,
    GroupFigures,
    OutcomeColumn,
    Period,
    RouteTestRow,
    Share,
    TenWeeks,
    TenWeeksMonth,
)
from app.services.figures.service import FiguresService, parse_period
from app.services.figures.tables import OUTCOME_LABELS, Table, group_label, groups, report_json

__all__ = [
    "OUTCOME_LABELS",
    "FiguresRefused",
    "FiguresReport",
    "FiguresService",
    "GroupFigures",
    "OutcomeColumn",
    "Period",
    "RouteTestRow",
    "Share",
    "Table",
    "TenWeeks",
    "TenWeeksMonth",
    "group_label",
    "groups",
    "parse_period",
    "report_json",
]
