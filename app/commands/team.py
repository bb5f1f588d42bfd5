"""`keys admit-supervisor FILE --out FILE` and `keys join-team FILE` (issue 18, the team database),
added by app/commands/sync.py to its `keys` group."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.commands import profile_from_args
from app.i18n import _
from app.services.sync.team import TeamKeysService


def register_team_keys(keys: argparse._SubParsersAction) -> None:
    admit = keys.add_parser(
        "admit-supervisor",
        help=_("de teamsleutels verzegeld voor een andere supervisorwerkplek van dezelfde teamdatabase"),
    )
    admit.add_argument("file", type=Path, metavar="BESTAND")
    admit.add_argument("--out", required=True, type=Path, metavar="BESTAND")
    admit.set_defaults(handler=run_admit_supervisor)
    join = keys.add_parser("join-team", help=_("de verzegelde teamsleutels van een supervisor overnemen"))
    join.add_argument("file", type=Path, metavar="BESTAND")
    join.set_defaults(handler=run_join_team)


def run_admit_supervisor(args: argparse.Namespace) -> int:
    profile = profile_from_args(args)
    try:
        admission = TeamKeysService.for_profile(profile).admit(args.file, args.out)
    finally:
        profile.close()
    print(
        _("De teamsleutels zijn verzegeld voor de werkplek van {name} en geschreven naar {path}.").format(
            name=admission.recipient.name, path=admission.path
        )
    )
    print(
        _("Vingerafdruk van die werkplek: {fingerprint}").format(fingerprint=admission.recipient.fingerprint)
    )
    print(
        _("Vingerafdruk van het team (lees die voor aan de nieuwe supervisor): {fingerprint}").format(
            fingerprint=admission.team_fingerprint
        )
    )
    return 0


def run_join_team(args: argparse.Namespace) -> int:
    profile = profile_from_args(args)
    try:
        joined = TeamKeysService.for_profile(profile).join(args.file)
    finally:
        profile.close()
    if joined.already:
        print(_("Deze werkplek is al aangesloten met deze teamsleutels; er is niets veranderd."))
    else:
        print(
            _("Deze werkplek is aangesloten bij de teamdatabase; toegelaten door {name}.").format(
                name=joined.admitted_by
            )
        )
    print(_("Vingerafdruk van het team: {fingerprint}").format(fingerprint=joined.team_fingerprint))
    print(_("Vergelijk deze vingerafdruk telefonisch met de supervisor die u toeliet."))
    return 0
