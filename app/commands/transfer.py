"""`wegwijs transfer --client ID --to-key FILE --out FILE` (verhuizing, docs/verhuizing.md): close the
client's case here and write the signed, encrypted hand-over for the new municipality's supervisor,
with a PDF summary beside it. The other side reads it with `wegwijs import`."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.commands import profile_from_args
from app.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:
    transfer = subparsers.add_parser(
        "transfer", help=_("verhuizing: één cliënt overdragen aan de supervisor van een andere gemeente")
    )
    transfer.add_argument("--client", required=True, metavar="ID", help=_("id of V-nummer van de cliënt"))
    transfer.add_argument(
        "--to-key",
        required=True,
        type=Path,
        metavar="BESTAND",
        help=_("het publieke-sleutelbestand van de supervisor van de nieuwe gemeente"),
    )
    transfer.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="BESTAND",
        help=_("waar de overdracht komt (en de PDF ernaast)"),
    )
    transfer.set_defaults(handler=run_transfer)


def run_transfer(args: argparse.Namespace) -> int:
    from app.services.transfer.send import TransferService

    profile = profile_from_args(args)
    try:
        result = TransferService.for_profile(profile).transfer(args.client, args.to_key, args.out)
    finally:
        profile.close()
    print(
        _("Verhuisd naar {municipality} op {date}; het dossier is hier gesloten.").format(
            municipality=result.municipality, date=result.moved_on.strftime("%d-%m-%Y")
        )
    )
    print(_("Overdracht: {path}").format(path=result.handover))
    print(_("Samenvatting (PDF): {path}").format(path=result.summary))
    print(
        _("Vingerafdruk van de ontvangende supervisor: {fingerprint}").format(fingerprint=result.fingerprint)
    )
    return 0
