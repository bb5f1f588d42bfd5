"""Commands for the PIP documents and their catalogs: `pdf` and `catalog check`."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.commands import print_json, profile_from_args
from app.i18n import _
from app.i18n.catalog_check import CatalogReport, check_catalogs
from app.i18n.languages import get_language
from app.services.pip import DocumentService


def register(subparsers: argparse._SubParsersAction) -> None:
    pdf = subparsers.add_parser(
        "pdf", help=_("het PIP van een cliënt als PDF, Nederlands naast de eigen taal")
    )
    pdf.add_argument("--client", required=True, metavar="ID", help=_("intern id of V-nummer"))
    pdf.add_argument("--lang", required=True, metavar="TAAL", help=_("taalcode, of 'all' voor alle talen"))
    pdf.add_argument("--out", required=True, type=Path, metavar="MAP", help=_("map voor de PDF's"))
    pdf.set_defaults(handler=run_pdf)

    catalog = subparsers.add_parser("catalog", help=_("vertaalcatalogi controleren"))
    catalog_commands = catalog.add_subparsers(dest="catalog_command", metavar="OPDRACHT", required=True)
    check = catalog_commands.add_parser(
        "check", help=_("per taal: vertaald, ontbrekend, nog niet door een tolk gecontroleerd")
    )
    check.add_argument("--json", action="store_true", help=_("één JSON-document op stdout"))
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
    domain, language, texts = _("domein"), _("taal"), _("teksten")
    translated, missing, not_reviewed = _("vertaald"), _("ontbreekt"), _("niet gecontroleerd")
    header = f"{domain:<8} {language:<26} {texts:>7} {translated:>8} {missing:>9} {not_reviewed:>18}"
    lines = [header, "-" * len(header)]
    for status in report.statuses:
        name = f"{status.language} ({get_language(status.language).name_nl})"
        lines.append(
            f"{status.domain:<8} {name:<26} {status.total:>7} {status.translated:>8} "
            f"{len(status.missing):>9} {len(status.not_reviewed):>18}"
        )
        if status.placeholder_errors:
            problem = _("plaatshouders kloppen niet: {contexts}").format(
                contexts=", ".join(status.placeholder_errors)
            )
            lines.append(" " * 9 + problem)
    return "\n".join(lines)
