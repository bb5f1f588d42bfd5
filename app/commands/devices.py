"""`keys revoke-device FINGERPRINT` (supervisor side), added by app/commands/sync.py to its `keys` group."""

from __future__ import annotations

import argparse

from app.commands import profile_from_args
from app.i18n import _
from app.services.sync import SyncKeysService


def register_revoke_device(keys: argparse._SubParsersAction) -> None:
    revoke = keys.add_parser(
        "revoke-device", help=_("een apparaat intrekken: geen enkel later pakket ervan wordt aangenomen")
    )
    # The fingerprint as `keys show` prints it: quoted with its spaces, or the digits run together.
    revoke.add_argument("fingerprint", nargs="+", metavar="VINGERAFDRUK")
    revoke.set_defaults(handler=run_revoke_device)


def run_revoke_device(args: argparse.Namespace) -> int:
    profile = profile_from_args(args)
    try:
        keys = SyncKeysService.for_profile(profile).revoke_device(" ".join(args.fingerprint))
    finally:
        profile.close()
    print(
        _("Apparaat {device} van {name} is ingetrokken; latere pakketten ervan worden geweigerd.").format(
            device=keys.device_id, name=keys.name
        )
    )
    return 0
