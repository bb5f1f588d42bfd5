"""The figure tables as CSV or XLSX (openpyxl), and any export file written private and atomically.

CSV: one "long" table, UTF-8 with a byte-order mark (Excel then reads the accents) and `;` between
fields (Dutch Excel's separator): tabel;groep;rij;kolom;waarde. XLSX: a sheet per table, and a first
sheet that says what the figures cover.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import secrets
from collections.abc import Sequence
from pathlib import Path

from app.i18n import _
from app.services.figures.model import FiguresRefused, FiguresReport
from app.services.figures.tables import Table, figure_tables
from app.services.maintenance.privacy import create_private_file

FORMATS = ("csv", "xlsx")


def export_format(path: Path) -> str:
    """ "csv" or "xlsx" from the file name; anything else is refused before any work is done."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise FiguresRefused(
            _("'{name}' is geen .csv- of .xlsx-bestand; kies een naam die eindigt op .csv of .xlsx.").format(
                name=path.name
            )
        )
    return suffix


def csv_bytes(tables: Sequence[Table]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("tabel"), _("groep"), _("rij"), _("kolom"), _("waarde")])
    for table in tables:
        for row in table.rows:
            group, label, *values = row
            for column, value in zip(table.columns[2:], values, strict=True):
                writer.writerow([table.title, group, label, column, "" if value is None else value])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _period_text(report: FiguresReport) -> str:
    start, end = report.period.start, report.period.end
    if start is None and end is None:
        return _("alle cliënten (geen periode gekozen)")
    return _("koppeldatum van {start} tot en met {end}").format(
        start=start.strftime("%d-%m-%Y") if start else "…", end=end.strftime("%d-%m-%Y") if end else "…"
    )


def xlsx_bytes(report: FiguresReport, tables: Sequence[Table]) -> bytes:
    from openpyxl import Workbook  # only when a spreadsheet is asked for
    from openpyxl.styles import Font

    book = Workbook()
    about = book.active
    about.title = _("Toelichting")[:31]
    bold = Font(bold=True)
    about.append([_("Teamcijfers Wegwijs")])
    about["A1"].font = bold
    about.append([_("peildatum"), report.today])
    about["B2"].number_format = "DD-MM-YYYY"
    about.append([_("periode"), _period_text(report)])
    if report.without_koppeldatum:
        about.append([_("zonder koppeldatum (niet meegeteld)"), report.without_koppeldatum])
    about.append([_("uitleg"), _("zie de handleiding, pagina Cijfers (docs/cijfers.md)")])
    about.column_dimensions["A"].width = 38
    about.column_dimensions["B"].width = 60
    for table in tables:
        sheet = book.create_sheet(_sheet_title(table))
        sheet.append(list(table.columns))
        for cell in sheet[1]:
            cell.font = bold
        for row in table.rows:
            sheet.append(list(row))
        sheet.freeze_panes = "A2"
        for index, column in enumerate(table.columns, start=1):
            width = max([len(str(column))] + [len(str(row[index - 1] or "")) for row in table.rows])
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(60, width + 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(table: Table) -> str:
    # Excel's limits: at most 31 characters, none of : \ / ? * [ ].
    title = "".join(ch for ch in table.short_title if ch not in ":\\/?*[]")
    return title[:31]


def export_bytes(report: FiguresReport, kind: str) -> bytes:
    tables = figure_tables(report)
    return xlsx_bytes(report, tables) if kind == "xlsx" else csv_bytes(tables)


def write_private(path: Path, data: bytes) -> Path:
    """Write `data` to `path` so that nobody sees half a file: a new 0600 file beside it (never
    through a symlink), synced, then renamed over the name (a symlink there is replaced, not followed)."""
    target = path.expanduser().absolute()
    folder = target.parent
    if not folder.is_dir():
        raise FiguresRefused(_("De map {folder} bestaat niet; kies een bestaande map.").format(folder=folder))
    if target.is_dir() and not target.is_symlink():
        raise FiguresRefused(
            _("{path} is een map; geef de naam van een bestand in die map.").format(path=target)
        )
    temporary = folder / f".{target.name}.{secrets.token_hex(4)}.part"
    fd = create_private_file(temporary)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return target
