"""Commands for keys and sync: keys show|export-public|trust-supervisor|register-device|import-signing-cert,
sync status|push|pull, import PATH... (contract: shared/CLI.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.commands import print_json, profile_from_args
from app.i18n import N_, _, ngettext
from app.services.policy import SUPERVISOR_KEY, SYNC_TARGET, refuse_if_fixed
from app.services.sync import (
    DecisionPushResult,
    DecisionPushService,
    PullService,
    PushService,
    SupervisorImportService,
    SyncKeysService,
    SyncStatusService,
)

_STATUS_WORDS = {
    "imported": N_("geïmporteerd"),
    "duplicate": N_("dubbel (al geïmporteerd)"),
    "conflict": N_("conflict"),
    "refused": N_("geweigerd"),
}


def register(subparsers: argparse._SubParsersAction) -> None:
    keys = subparsers.add_parser("keys", help=_("sleutels van deze installatie en vertrouwde sleutels"))
    keys_commands = keys.add_subparsers(dest="keys_command", metavar="OPDRACHT", required=True)
    show = keys_commands.add_parser("show", help=_("vingerafdrukken van deze installatie"))
    show.set_defaults(handler=run_keys_show)
    export = keys_commands.add_parser("export-public", help=_("publieke sleutels naar een bestand"))
    export.add_argument("--out", required=True, type=Path, metavar="BESTAND")
    export.set_defaults(handler=run_keys_export)
    trust = keys_commands.add_parser("trust-supervisor", help=_("de sleutel van de supervisor vertrouwen"))
    trust.add_argument("file", type=Path, metavar="BESTAND")
    trust.set_defaults(handler=run_keys_trust)
    register_device = keys_commands.add_parser("register-device", help=_("een apparaat registreren"))
    register_device.add_argument("file", type=Path, metavar="BESTAND")
    register_device.set_defaults(handler=run_keys_register)
    from app.commands.signing import register_import_signing_cert  # issue 19 (pdf-signing)

    register_import_signing_cert(keys_commands)
    # The recovery key belongs to the store's safety (app/commands/maintenance.py).
    from app.commands.maintenance import register_keys

    register_keys(keys_commands)
    from app.commands.devices import register_revoke_device  # issue 14 (import)

    register_revoke_device(keys_commands)
    from app.commands.team import register_team_keys  # issue 18 (team database)

    register_team_keys(keys_commands)

    sync = subparsers.add_parser("sync", help=_("wijzigingen versturen naar de supervisor"))
    sync_commands = sync.add_subparsers(dest="sync_command", metavar="OPDRACHT", required=True)
    status = sync_commands.add_parser(
        "status", help=_("wachtende pakketten, laatste verzending en ontvangst")
    )
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=run_sync_status)
    push = sync_commands.add_parser("push", help=_("wachtende pakketten nu naar het doel schrijven"))
    push.add_argument("--target", metavar="MAP|URL", default=None)
    push.set_defaults(handler=run_sync_push)
    pull = sync_commands.add_parser("pull", help=_("beslissingen van de supervisor ophalen en verwerken"))
    pull.add_argument("--target", metavar="MAP|URL", default=None)
    pull.add_argument("--json", action="store_true")
    pull.set_defaults(handler=run_sync_pull)

    importer = subparsers.add_parser("import", help=_("synchronisatiepakketten importeren (supervisor)"))
    importer.add_argument("paths", nargs="+", metavar="PAD")  # a file, a folder or a WebDAV address
    importer.add_argument("--json", action="store_true")
    importer.set_defaults(handler=run_import)


def run_keys_show(args: argparse.Namespace) -> int:
    profile = profile_from_args(args)
    try:
        info = SyncKeysService.for_profile(profile).show()
    finally:
        profile.close()
    print(
        _("Deze installatie ({role}), apparaatcode {device}:").format(role=info.role, device=info.device_id)
    )
    print(_("  vingerafdruk: {fingerprint}").format(fingerprint=info.fingerprint))
    if info.supervisor is not None:
        print(
            _("Vertrouwde supervisor {name}: {fingerprint}").format(
                name=info.supervisor.name, fingerprint=info.supervisor.fingerprint
            )
        )
    for device, revoked in info.devices:
        state = _(" (ingetrokken)") if revoked else ""
        print(
            _("Geregistreerd apparaat {device} van {name}{state}: {fingerprint}").format(
                device=device.device_id, name=device.name, state=state, fingerprint=device.fingerprint
            )
        )
    return 0


def run_keys_export(args: argparse.Namespace) -> int:
    profile = profile_from_args(args)
    try:
        keys = SyncKeysService.for_profile(profile).export_public(args.out)
    finally:
        profile.close()
    print(_("Publieke sleutels geschreven naar {path}.").format(path=args.out))
    print(
        _("Vingerafdruk (lees die voor bij het vergelijken): {fingerprint}").format(
            fingerprint=keys.fingerprint
        )
    )
    return 0


def run_keys_trust(args: argparse.Namespace) -> int:
    refuse_if_fixed(SUPERVISOR_KEY)  # the municipality's policy file names the supervisor's key
    profile = profile_from_args(args)
    try:
        keys = SyncKeysService.for_profile(profile).trust_supervisor(args.file)
    finally:
        profile.close()
    print(
        _("Supervisor {name} ({municipality}) wordt vertrouwd.").format(
            name=keys.name, municipality=keys.municipality
        )
    )
    print(_("Vingerafdruk: {fingerprint}").format(fingerprint=keys.fingerprint))
    print(_("Vergelijk deze vingerafdruk telefonisch met de supervisor voordat u synchroniseert."))
    return 0


def run_keys_register(args: argparse.Namespace) -> int:
    profile = profile_from_args(args)
    try:
        keys = SyncKeysService.for_profile(profile).register_device(args.file)
    finally:
        profile.close()
    print(_("Apparaat {device} van {name} is geregistreerd.").format(device=keys.device_id, name=keys.name))
    print(_("Vingerafdruk: {fingerprint}").format(fingerprint=keys.fingerprint))
    print(_("Vergelijk deze vingerafdruk telefonisch met de klantmanager."))
    return 0


def run_sync_status(args: argparse.Namespace) -> int:
    profile = profile_from_args(args)
    try:
        status = SyncStatusService.for_profile(profile).status()
    finally:
        profile.close()
    if args.json:
        print_json(status.to_json())
        return 0
    never = _("nog nooit")
    if status.role == "supervisor":
        print(_("Geïmporteerde pakketten: {count}").format(count=status.imported_packages))
        print(_("Open conflicten: {count}").format(count=status.open_conflicts))
        print(_("Doel: {target}").format(target=status.target or _("niet ingesteld")))
        return 0
    print(_("Wachtende wijzigingen: {count}").format(count=status.pending_changes))
    print(_("Pakketten zonder ontvangstbewijs: {count}").format(count=status.undelivered_packages))
    print(
        _("Laatste verzending: {when}").format(
            when=status.last_push.isoformat() if status.last_push else never
        )
    )
    print(
        _("Laatste ontvangstbewijs: {when}").format(
            when=status.last_receipt.isoformat() if status.last_receipt else never
        )
    )
    print(
        _("Laatste beslissingen opgehaald: {when}").format(
            when=status.last_pull.isoformat() if status.last_pull else never
        )
    )
    print(_("Doel: {target}").format(target=status.target or _("niet ingesteld")))
    if status.supervisor_fingerprint:
        print(_("Vertrouwde supervisor: {fingerprint}").format(fingerprint=status.supervisor_fingerprint))
    return 0


def run_sync_push(args: argparse.Namespace) -> int:
    if args.target:
        refuse_if_fixed(SYNC_TARGET, args.target)  # push --target would also remember the target
    profile = profile_from_args(args)
    try:
        if profile.settings.role == "supervisor":
            return _print_decision_push(DecisionPushService.for_profile(profile).push(args.target))
        service = PushService.for_profile(profile)
        result = service.push(args.target)
    finally:
        profile.close()
    if service.restore_notice:
        print(service.restore_notice)
    if result.packaged:
        print(
            ngettext("{n} nieuw pakket gemaakt.", "{n} nieuwe pakketten gemaakt.", result.packaged).format(
                n=result.packaged
            )
        )
    for name in result.sent:
        print(_("verstuurd: {name}").format(name=name))
    if result.delivered:
        print(
            ngettext(
                "{n} pakket is door de supervisor ontvangen.",
                "{n} pakketten zijn door de supervisor ontvangen.",
                len(result.delivered),
            ).format(n=len(result.delivered))
        )
    print(_("Nog zonder ontvangstbewijs: {count}").format(count=result.pending))
    if result.error:
        print(result.error, file=sys.stderr)
        return 1
    return 0


def _print_decision_push(result: DecisionPushResult) -> int:
    if result.packaged:
        print(
            ngettext(
                "{n} nieuw beslissingenpakket gemaakt.",
                "{n} nieuwe beslissingenpakketten gemaakt.",
                result.packaged,
            ).format(n=result.packaged)
        )
    for name in result.sent:
        print(_("verstuurd: {name}").format(name=name))
    if result.delivered:
        print(
            ngettext(
                "{n} pakket is door het apparaat ontvangen.",
                "{n} pakketten zijn door de apparaten ontvangen.",
                len(result.delivered),
            ).format(n=len(result.delivered))
        )
    print(_("Nog zonder ontvangstbewijs: {count}").format(count=result.pending))
    if result.error:
        print(result.error, file=sys.stderr)
        return 1
    return 0


_PULL_WORDS = {
    "applied": N_("verwerkt"),
    "duplicate": N_("dubbel (al verwerkt)"),
    "refused": N_("geweigerd"),
}


def run_sync_pull(args: argparse.Namespace) -> int:
    if args.target:
        refuse_if_fixed(SYNC_TARGET, args.target)  # pull --target also remembers the target
    profile = profile_from_args(args)
    try:
        result = PullService.for_profile(profile).pull(args.target)
    finally:
        profile.close()
    if args.json:
        print_json(result.to_json())
    else:
        if result.restore_notice:
            print(result.restore_notice)
        for package in result.packages:
            line = f"{package.name}: {_(_PULL_WORDS.get(package.status, package.status))}"
            if package.status == "refused":
                line += f" ({package.message or package.reason})"
            else:
                line += " " + ngettext("({n} record)", "({n} records)", package.records).format(
                    n=package.records
                )
            print(line)
        if not result.packages and not result.error:
            print(_("Er zijn geen nieuwe beslissingen van de supervisor."))
    refused = result.count("refused")
    if result.error:
        print(result.error, file=sys.stderr)
        return 1
    if refused:
        print(
            ngettext(
                "{n} pakket van de supervisor is geweigerd en staat in de quarantainemap; de andere zijn verwerkt.",
                "{n} pakketten van de supervisor zijn geweigerd en staan in de quarantainemap; de andere zijn verwerkt.",
                refused,
            ).format(n=refused),
            file=sys.stderr,
        )
        return 1
    return 0


def run_import(args: argparse.Namespace) -> int:
    profile = profile_from_args(args)
    try:
        summary = SupervisorImportService.for_profile(profile).import_paths(args.paths)
    finally:
        profile.close()
    if args.json:
        print_json({"packages": [outcome.to_json() for outcome in summary.outcomes]})
    else:
        for outcome in summary.outcomes:
            word = _(_STATUS_WORDS.get(outcome.status, outcome.status))
            if outcome.status == "duplicate" and outcome.superseded:
                word = _("verouderd (er kwam al een nieuwere versie van dit apparaat)")
            line = f"{outcome.name}: {word}"
            if outcome.status == "refused":
                # The reason code is for --json and the quarantine note; people read the sentence.
                line += f" ({outcome.message or outcome.reason})"
            elif outcome.message:  # a hand-over (verhuizing): from where, and the sender's fingerprint
                line += f" ({outcome.message})"
            else:
                line += " " + ngettext("({n} record)", "({n} records)", outcome.records).format(
                    n=outcome.records
                )
                if outcome.conflicts:
                    line += " " + ngettext(
                        "{n} conflict om op te lossen", "{n} conflicten om op te lossen", outcome.conflicts
                    ).format(n=outcome.conflicts)
            print(line)
    refused = summary.count("refused")
    if refused:
        print(
            ngettext(
                "{n} pakket is geweigerd en staat in de quarantainemap; de andere zijn verwerkt.",
                "{n} pakketten zijn geweigerd en staan in de quarantainemap; de andere zijn verwerkt.",
                refused,
            ).format(n=refused),
            file=sys.stderr,
        )
        return 1
    return 0
