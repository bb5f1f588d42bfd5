"""The supervisor's store: `store copy-to URL` moves a local supervisor store into the team
database in PostgreSQL (issue 18, docs/beheer.md "Teamdatabase")."""

from __future__ import annotations

import argparse

from app.commands import profile_from_args
from app.i18n import _
from app.services.maintenance.copy_to_team import TeamCopyService


def register(subparsers: argparse._SubParsersAction) -> None:
    store = subparsers.add_parser("store", help=_("de opslag van de supervisor (teamdatabase)"))
    actions = store.add_subparsers(dest="store_command", required=True, metavar="OPDRACHT")
    copy = actions.add_parser(
        "copy-to", help=_("de eigen database van de supervisor naar de teamdatabase in PostgreSQL kopiëren")
    )
    copy.add_argument("url", metavar="URL")
    copy.set_defaults(handler=run_copy_to)


def run_copy_to(args: argparse.Namespace) -> int:
    profile = profile_from_args(args)
    try:
        report = TeamCopyService.for_profile(profile).copy_to(args.url)
    finally:
        profile.close()
    print(
        _(
            "{rows} records in {tables} tabellen gekopieerd naar {address} en één voor één gecontroleerd; dit "
            "profiel werkt nu met de teamdatabase. De eigen database blijft ongewijzigd staan als terugval."
        ).format(rows=report.rows, tables=report.tables, address=report.address)
    )
    return 0
