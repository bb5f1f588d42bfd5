"""Commands for the PIP documents and their catalogs: `pdf` and `catalog check`."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.commands import print_json, profile_from_args
from app.i18n.catalog_check import CatalogReport, check_catalogs
from app.i18n.languages import get_language
from app.services.pip import DocumentService


def register(subparsers: argparse._SubParsersAction) -> None:
    pdf = subparsers.add_parser("pdf", help="het PIP van een cliënt als PDF, Nederlands naast de eigen taal")
    pdf.add_argument("--client", required=True, metavar="ID", help="intern id of V-nummer")
    pdf.add_argument("--lang", required=True, metavar="TAAL", help="taalcode, of 'all' voor alle talen")
    pdf.add_argument("--out", required=True, type=Path, metavar="MAP", help="map voor de PDF's")
    pdf.set_defaults(handler=run_pdf)

    catalog = subparsers.add_parser("catalog", help="vertaalcatalogi controleren")
    catalog_commands = catalog.add_subparsers(dest="catalog_command", metavar="OPDRACHT", required=True)
    check = catalog_commands.add_parser(
        "check", help="per taal: vertaald, ontbrekend, nog niet door een tolk gecontroleerd"
    )
    check.add_argument("--json", action="store_true", help="één JSON-document op stdout")
    check.set_defaults(handler=run_catalog_check)


def run_pdf(args: argparse.Namespace) -> int:
    profile = profile_from_args(args)
    try:
        outcome = DocumentService.for_profile(profile).print_documents(args.client, args.lang, args.out)
    finally:
        profile.close()
    for path in outcome.paths:
        print(path)
    return 0


def run_catalog_check(args: argparse.Namespace) -> int:
    report = check_catalogs()
    if args.json:
        print_json(report.to_dict())
    else:
        print(format_report(report))
    return 0


def format_report(report: CatalogReport) -> str:
    header = f"{'domein':<8} {'taal':<26} {'teksten':>7} {'vertaald':>8} {'ontbreekt':>9} {'niet gecontroleerd':>18}"
    lines = [header, "-" * len(header)]
    for status in report.statuses:
        name = f"{status.language} ({get_language(status.language).name_nl})"
        lines.append(
            f"{status.domain:<8} {name:<26} {status.total:>7} {status.translated:>8} "
            f"{len(status.missing):>9} {len(status.not_reviewed):>18}"
        )
        if status.placeholder_errors:
            lines.append(f"         plaatshouders kloppen niet: {', '.join(status.placeholder_errors)}")
    return "\n".join(lines)
