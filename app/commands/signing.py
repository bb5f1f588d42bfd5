"""`wegwijs keys import-signing-cert FILE.p12` (supervisor side; contract: shared/CLI.md).

The password comes from the environment variable WEGWIJS_SIGNING_CERT_PASSWORD (for scripts) or is
asked at the terminal; it is never an argument, so it stays out of the shell history and `ps`.
Registered under `keys` by app/commands/sync.py.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from app.commands import profile_from_args
from app.i18n import _
from app.services.signing import PASSWORD_ENV, SigningCertError, SigningService


def register_import_signing_cert(keys_commands: argparse._SubParsersAction) -> None:
    command = keys_commands.add_parser(
        "import-signing-cert",
        help=_("het ondertekeningscertificaat van de gemeente importeren (supervisor)"),
    )
    command.add_argument("file", type=Path, metavar="BESTAND.p12")
    command.set_defaults(handler=run_import_signing_cert)


def certificate_password() -> str:
    value = os.environ.get(PASSWORD_ENV)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise SigningCertError(
            _(
                "Geef het wachtwoord van het certificaatbestand op in {variable}, of start de opdracht in een "
                "terminal om het in te typen."
            ).format(variable=PASSWORD_ENV)
        )
    return getpass.getpass(_("Wachtwoord van het certificaatbestand: "))


def run_import_signing_cert(args: argparse.Namespace) -> int:
    password = certificate_password()
    profile = profile_from_args(args)
    try:
        certificate = SigningService.for_profile(profile).import_certificate(args.file, password)
    finally:
        profile.close()
    print(_("Ondertekeningscertificaat geïmporteerd: {subject}").format(subject=certificate.subject))
    print(_("Vingerafdruk: {fingerprint}").format(fingerprint=certificate.fingerprint))
    print(_("Geldig tot en met {date}.").format(date=certificate.not_after.date().isoformat()))
    print(_("Vastgestelde PIP's worden vanaf nu digitaal ondertekend."))
    return 0
