"""The figures as labelled tables (the screen, CSV and XLSX show the same ones) and as JSON (`report --json`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.domain.pip_lifecycle import route_short_label
from app.i18n import N_, _
from app.services.figures.model import FiguresReport, GroupFigures, OutcomeColumn, Share, TenWeeks

Cell = str | int | float | None

TABLE_ROUTE_TEST = "leerroute_toets"
TABLE_TEN_WEEKS = "binnen_tien_weken"
TABLE_SHARES = "aandelen"

OUTCOME_LABELS: dict[OutcomeColumn, str] = {
    OutcomeColumn.HAALBAAR: N_("haalbaar"),
    OutcomeColumn.NIET_HAALBAAR: N_("niet haalbaar"),
    OutcomeColumn.GEEN_UITSLAG: N_("geen uitslag"),
}

# The shares, in the order of the table (key, label, what the share is taken of).
SHARE_ROWS: tuple[tuple[str, str, str], ...] = (
    ("binnen_tien_weken", N_("PIP vastgesteld binnen 10 weken na huisvesting"), N_("gehuisvest, 10 weken voorbij of PIP in werking")),
    ("azc_zonder_pip", N_("In het AZC zonder PIP in werking"), N_("in het AZC")),
    ("pip_gestart_in_azc", N_("PIP gestart in het AZC"), N_("met een PIP")),
    ("schakelen", N_("Geschakeld naar een andere leerroute"), N_("met een PIP in werking")),
    ("afschalen", N_("Afschalen naar A2"), N_("met een PIP in werking")),
)  # fmt: skip


@dataclass(frozen=True)
class Table:
    """One table: its key, title and column names; every row starts with the group and a row label."""

    key: str
    title: str
    short_title: str  # a spreadsheet's sheet name and the screen's tab: at most 31 characters
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def group_label(group: GroupFigures) -> str:
    if group.klantmanager is None:
        return _("team")
    return group.klantmanager or _("(geen klantmanager)")


def groups(report: FiguresReport) -> tuple[GroupFigures, ...]:
    """The team first, then each klantmanager."""
    return (report.team, *report.per_klantmanager)


def shares(group: GroupFigures) -> dict[str, Share]:
    return {
        "binnen_tien_weken": group.ten_weeks.share,
        "azc_zonder_pip": group.azc_without_pip,
        "pip_gestart_in_azc": group.started_in_azc,
        "schakelen": group.switched,
        "afschalen": group.afschalen,
    }


def _ten_weeks_cells(counts: TenWeeks) -> tuple[Cell, ...]:
    return (counts.on_time, counts.late, counts.open, counts.share.percent)


def figure_tables(report: FiguresReport) -> tuple[Table, ...]:
    route_rows: list[tuple[Cell, ...]] = []
    month_rows: list[tuple[Cell, ...]] = []
    share_rows: list[tuple[Cell, ...]] = []
    for group in groups(report):
        label = group_label(group)
        for row in group.route_test:
            route_rows.append(
                (label, route_short_label(row.route), *(row.count(c) for c in OutcomeColumn), row.total)
            )
        for month in group.ten_weeks_by_month:
            month_rows.append((label, month.month, *_ten_weeks_cells(month.counts)))
        month_rows.append((label, _("totaal"), *_ten_weeks_cells(group.ten_weeks)))
        values = shares(group)
        for key, row_label, counted_over in SHARE_ROWS:
            share = values[key]
            share_rows.append((label, _(row_label), share.part, share.whole, _(counted_over), share.percent))
    group_column = _("groep")
    return (
        Table(
            TABLE_ROUTE_TEST,
            _("Leerroute en uitslag van de leerbaarheidstoets (PIP's in werking)"),
            _("Leerroute en toets"),
            (group_column, _("leerroute"), *(_(OUTCOME_LABELS[c]) for c in OutcomeColumn), _("totaal")),
            tuple(route_rows),
        ),
        Table(
            TABLE_TEN_WEEKS,
            _("PIP vastgesteld binnen 10 weken, naar maand van huisvesting"),
            _("Binnen 10 weken"),
            (
                group_column,
                _("maand van huisvesting"),
                _("op tijd"),
                _("te laat"),
                _("nog binnen 10 weken"),
                _("aandeel op tijd (%)"),
            ),
            tuple(month_rows),
        ),
        Table(
            TABLE_SHARES,
            _("Aandelen: 10 weken, AZC, schakelen en afschalen"),
            _("Aandelen"),
            (group_column, _("cijfer"), _("aantal"), _("van"), _("geteld over"), _("aandeel (%)")),
            tuple(share_rows),
        ),
    )


def _share_json(share: Share) -> dict[str, Any]:
    return {"aantal": share.part, "van": share.whole, "aandeel": share.percent}


def _ten_weeks_json(counts: TenWeeks) -> dict[str, Any]:
    return {
        "op_tijd": counts.on_time,
        "te_laat": counts.late,
        "nog_binnen_termijn": counts.open,
        "aandeel_op_tijd": counts.share.percent,
    }


def group_json(group: GroupFigures) -> dict[str, Any]:
    return {
        "klantmanager": group.klantmanager,
        "clienten": group.clients,
        "met_pip": group.with_pip,
        "met_pip_in_werking": group.with_pip_in_force,
        "leerroute_toets": {
            row.route: {**{c.value: row.count(c) for c in OutcomeColumn}, "totaal": row.total}
            for row in group.route_test
        },
        "binnen_tien_weken": _ten_weeks_json(group.ten_weeks),
        "binnen_tien_weken_per_maand": [
            {"maand": month.month, **_ten_weeks_json(month.counts)} for month in group.ten_weeks_by_month
        ],
        "azc_zonder_pip": _share_json(group.azc_without_pip),
        "pip_gestart_in_azc": _share_json(group.started_in_azc),
        "schakelen": _share_json(group.switched),
        "afschalen": _share_json(group.afschalen),
    }


def report_json(report: FiguresReport) -> dict[str, Any]:
    """`wegwijs report --json` (the keys are the command line's contract, docs/cli.md)."""
    return {
        "peildatum": report.today.isoformat(),
        "periode": {
            "van": report.period.start.isoformat() if report.period.start else None,
            "tot_en_met": report.period.end.isoformat() if report.period.end else None,
            "datum": "koppeldatum",
        },
        "zonder_koppeldatum": report.without_koppeldatum,
        "team": group_json(report.team),
        "per_klantmanager": [group_json(group) for group in report.per_klantmanager],
    }
