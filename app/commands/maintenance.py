"""Commands that keep the store safe: backup, restore, check, keys recovery-sheet, keys recover."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from app.commands import print_json, profile_from_args
from app.i18n import _
from app.services.maintenance.backup import BackupService
from app.services.maintenance.health import IntegrityService
from app.services.maintenance.recovery import RECOVERY_KEY_ENV, RecoveryError, RecoveryService
from app.services.maintenance.restore import RestoreService


def register(subparsers: argparse._SubParsersAction) -> None:
    backup = subparsers.add_parser("backup", help=_("een versleutelde reservekopie van de database"))
    backup.add_argument("--out", type=Path, metavar="BESTAND", default=None)
    backup.set_defaults(handler=run_backup)

    restore = subparsers.add_parser("restore", help=_("een versleutelde reservekopie terugzetten"))
    restore.add_argument("file", type=Path, metavar="BESTAND")
    restore.set_defaults(handler=run_restore)

    check = subparsers.add_parser("check", help=_("de database op beschadiging controleren"))
    check.add_argument("--json", action="store_true")
    check.set_defaults(handler=run_check)


def register_keys(keys: argparse._SubParsersAction) -> None:
    """`keys recovery-sheet` and `keys recover`, added by app/commands/sync.py to its `keys` group."""
    sheet = keys.add_parser("recovery-sheet", help=_("een herstelblad met de herstelsleutel (PDF)"))
    sheet.add_argument("--out", type=Path, required=True, metavar="BESTAND.pdf")
    sheet.set_defaults(handler=run_recovery_sheet)
    recover = keys.add_parser("recover", help=_("de database openen met de herstelsleutel"))
    recover.set_defaults(handler=run_recover)


def run_backup(args: argparse.Namespace) -> int:
    profile = profile_from_args(args)
    try:
        info = BackupService.for_profile(profile).backup(args.out)
    finally:
        profile.close()
    print(_("Reservekopie geschreven: {path}").format(path=info.path))
    return 0


def run_restore(args: argparse.Namespace) -> int:
    profile = profile_from_args(args)
    try:
        result = RestoreService.for_profile(profile).restore(args.file)
    finally:
        profile.close()
    print(_("De reservekopie {path} is teruggezet.").format(path=result.restored_from))
    if result.kept_as:
        print(_("De database van voor het terugzetten is bewaard als {path}.").format(path=result.kept_as))
    print(
        _(
            "Wijzigingen die na deze reservekopie zijn gemaakt, staan niet meer in de database; de "
            "synchronisatie weet dat er een reservekopie is teruggezet."
        )
    )
    return 0


def run_check(args: argparse.Namespace) -> int:
    profile = profile_from_args(args)
    try:
        report, last_good = IntegrityService.for_profile(profile).check()
    finally:
        profile.close()
    if args.json:
        document = report.to_json()
        document["laatste_goede_reservekopie"] = last_good
        print_json(document)
    elif report.ok:
        print(_("De database {path} is in orde.").format(path=report.path))
    if report.ok:
        return 0
    what = (
        _("is niet te lezen met de sleutel van dit profiel (beschadigd of vervangen)")
        if not report.readable
        else _("is beschadigd")
    )
    if last_good:
        sentence = _(
            "De database {path} {what}; de laatste goede reservekopie is {backup}: zet die terug met "
            "'wegwijs restore {backup}'."
        ).format(path=report.path, what=what, backup=last_good)
    else:
        sentence = _(
            "De database {path} {what}, en er is geen goede reservekopie in het profiel; neem contact op met de "
            "beheerder."
        ).format(path=report.path, what=what)
    if not args.json:
        for problem in (*report.cipher_problems, *report.structure_problems, *report.foreign_key_problems):
            print(f"  {problem}")
    print(sentence, file=sys.stderr)
    return 1


def run_recovery_sheet(args: argparse.Namespace) -> int:
    profile = profile_from_args(args)
    try:
        sheet = RecoveryService.for_profile(profile).write_sheet(args.out)
    finally:
        profile.close()
    print(
        _(
            "Het herstelblad staat in {path}: druk het af, bewaar het op een veilige plek en gooi het bestand "
            "daarna weg; een eerder herstelblad werkt niet meer."
        ).format(path=sheet.path)
    )
    return 0


def _read_recovery_key() -> str:
    value = os.environ.get(RECOVERY_KEY_ENV)
    if value:
        return value
    if not sys.stdin.isatty():
        raise RecoveryError(
            _("Geef de herstelsleutel op in {env} of start de opdracht in een terminal.").format(
                env=RECOVERY_KEY_ENV
            )
        )
    return getpass.getpass(_("Herstelsleutel (van het herstelblad): "))


def run_recover(args: argparse.Namespace) -> int:
    profile = profile_from_args(args)
    try:
        result = RecoveryService.for_profile(profile).recover(_read_recovery_key())
    finally:
        profile.close()
    where = (
        _("de sleutelbos van het besturingssysteem")
        if result.secret_backend == "keyring"
        else _("een nieuw met wachtwoord versleuteld sleutelbestand")
    )
    print(_("De database is weer te openen; de sleutels staan in {where}.").format(where=where))
    return 0
