"""`wegwijs report`: the team figures (docs/cijfers.md) on screen, as JSON, or into a CSV or XLSX file."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.commands import print_json, profile_from_args
from app.i18n import _, ngettext
from app.services.figures import FiguresService, Table, parse_period, report_json


def register(subparsers: argparse._SubParsersAction) -> None:
    report = subparsers.add_parser(
        "report", help=_("teamcijfers: leerroute en toets, 10 weken, AZC, schakelen")
    )
    report.add_argument("--json", action="store_true", help=_("één JSON-document op stdout"))
    report.add_argument(
        "--from", dest="start", metavar="DATUM", default=None, help=_("koppeldatum vanaf (JJJJ-MM-DD)")
    )
    report.add_argument(
        "--to", dest="end", metavar="DATUM", default=None, help=_("koppeldatum tot en met (JJJJ-MM-DD)")
    )
    report.add_argument(
        "--out",
        type=Path,
        metavar="BESTAND.csv|BESTAND.xlsx",
        default=None,
        help=_("de tabellen in een bestand"),
    )
    report.set_defaults(handler=run_report)


def _text(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def _print_table(table: Table) -> None:
    cells = [list(table.columns)] + [[_text(value) for value in row] for row in table.rows]
    widths = [max(len(row[index]) for row in cells) for index in range(len(table.columns))]
    print(table.title)
    for number, row in enumerate(cells):
        print("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if number == 0:
            print("  " + "  ".join("-" * width for width in widths))
    print()


def run_report(args: argparse.Namespace) -> int:
    # Refusals that need no store come first: a bad date or file name costs nothing.
    period = parse_period(args.start, args.end)
    if args.out is not None:
        FiguresService.check_export_path(args.out)
    profile = profile_from_args(args)
    try:
        report = FiguresService.for_profile(profile).figures(period)
    finally:
        profile.close()
    written = FiguresService.export(report, args.out) if args.out is not None else None
    if args.json:
        print_json(report_json(report))
        return 0
    for table in FiguresService.tables(report):
        _print_table(table)
    if report.without_koppeldatum:
        count = report.without_koppeldatum
        print(
            ngettext(
                "{count} cliënt zonder koppeldatum telt niet mee in deze periode.",
                "{count} cliënten zonder koppeldatum tellen niet mee in deze periode.",
                count,
            ).format(count=count)
        )
    if written is not None:
        print(_("Cijfers geschreven: {path}").format(path=written))
    return 0
