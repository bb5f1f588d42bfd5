"""Command groups of the `wegwijs` command line; each module has `register(subparsers)`."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from app.i18n import _
from app.services.profile import (
    PASSPHRASE_VARIABLE,
    PassphraseRefused,
    Profile,
    open_profile,
    passphrase_in_environment,
    resolve_data_dir,
)


def prompt_passphrase(new: bool) -> str:
    """The passphrase from the environment, or asked at the terminal; never from a file."""
    value = passphrase_in_environment()
    if value:
        return value
    if not sys.stdin.isatty():
        raise PassphraseRefused(
            _(
                "Er is geen sleutelbos van het besturingssysteem beschikbaar; geef het wachtwoord op in "
                "{variable} of start de opdracht in een terminal."
            ).format(variable=PASSPHRASE_VARIABLE)
        )
    if new:
        first = getpass.getpass(_("Kies een wachtwoord voor deze installatie: "))
        if getpass.getpass(_("Herhaal het wachtwoord: ")) != first:
            raise PassphraseRefused(_("De twee wachtwoorden zijn niet gelijk; probeer het opnieuw."))
        return first
    return getpass.getpass(_("Wachtwoord: "))


def profile_from_args(args: argparse.Namespace) -> Profile:
    from app.services.review import activate_reviewed_layer

    profile = open_profile(resolve_data_dir(args.data_dir), prompt_passphrase)
    # The interpreters' reviewed standard texts count for everything this command prints.
    activate_reviewed_layer(profile)
    return profile


def print_json(document: Any) -> None:
    """Indented for a person at a terminal; compact into a pipe or file, where json's C encoder
    does it about ten times faster (json.dump and any indent use the pure-Python one)."""
    indent = 2 if sys.stdout.isatty() else None
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=indent, default=str))
    sys.stdout.write("\n")
