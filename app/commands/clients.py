"""Commands for setting up a profile and working with clients: init, demo, import-coa, list, export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.commands import print_json, profile_from_args, prompt_passphrase
from app.domain.enums import Role
from app.i18n import _
from app.services import municipal_options, policy
from app.services.caseload import CaseloadService, caseload_row_json
from app.services.clients import ClientService
from app.services.first_run import set_up_profile
from app.services.maintenance.backup import REASON_INIT, BackupService
from app.services.pip import count_flags, counts_json
from app.services.profile import resolve_data_dir


def register(subparsers: argparse._SubParsersAction) -> None:
    init = subparsers.add_parser("init", help=_("eerste inrichting zonder de GUI: opslag, sleutel"))
    init.add_argument("--role", required=True, choices=[Role.KLANTMANAGER.value, Role.SUPERVISOR.value])
    # Optional when the municipality's policy file (beleid.toml) names the municipality.
    init.add_argument("--municipality", metavar="NAAM", default=None)
    init.add_argument(
        "--name", metavar="NAAM", default=None, help="uw eigen naam (staat als klantmanager in het PIP)"
    )
    init.add_argument(
        "--database",
        metavar="URL",
        default=None,
        help="supervisor: de teamdatabase in PostgreSQL (postgresql://gebruiker@server:poort/database)",
    )
    init.set_defaults(handler=run_init)

    demo = subparsers.add_parser("demo", help=_("fictieve cliënten toevoegen"))
    demo.add_argument("--clients", type=int, required=True, metavar="N")
    demo.add_argument("--seed", type=int, default=1, metavar="S")
    demo.set_defaults(handler=run_demo)

    coa = subparsers.add_parser("import-coa", help=_("cliënten uit een COA-overdrachtslijst (CSV)"))
    coa.add_argument("file", type=Path, metavar="BESTAND")
    coa.set_defaults(handler=run_import_coa)

    listing = subparsers.add_parser("list", help=_("cliënten met status en volgende termijn"))
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=run_list)

    export = subparsers.add_parser("export", help=_("alles wat over één cliënt is opgeslagen (inzagerecht)"))
    export.add_argument("--client", required=True, metavar="ID")
    export.add_argument("--json", action="store_true")
    export.set_defaults(handler=run_export)


def run_init(args: argparse.Namespace) -> int:
    data_dir = resolve_data_dir(args.data_dir)
    loaded = policy.load_policy()
    if loaded.problem:
        print(loaded.problem, file=sys.stderr)
    municipality = policy.municipality_for_new_profile(args.municipality, loaded.policy)
    if municipality is None:
        print(_("wegwijs: onjuist gebruik: deze gegevens ontbreken: --municipality"), file=sys.stderr)
        return 2
    name = args.name
    if name is None and sys.stdin.isatty():
        # Issue 19: the PIP names the klantmanager by name, never by the computer's login.
        name = input("Uw naam (zoals die in het PIP komt te staan): ")
    made = set_up_profile(
        data_dir,
        Role(args.role),
        municipality,
        person_name=name,
        passphrase_provider=prompt_passphrase,
        policy=loaded.policy,
        backup=False,  # after the sentences below, as before
        database=args.database,
    )
    profile = made.profile
    if made.policy_applied is not None:
        for line in municipal_options.describe_applied(made.policy_applied):
            print(line)
    if profile.settings.secret_backend == "keyring":
        done = _(
            "Wegwijs is ingericht in {folder} (rol {role}); de sleutel staat in de sleutelbos van het besturingssysteem."
        )
    else:
        done = _(
            "Wegwijs is ingericht in {folder} (rol {role}); de sleutel staat in een met wachtwoord versleuteld sleutelbestand."
        )
    print(done.format(folder=data_dir, role=args.role))
    if profile.uses_team_store and not profile.has_joined_team:
        print(
            _(
                "In de teamdatabase {address} staat al een Wegwijs-opslag: deze werkplek sluit erbij aan. Stuur "
                "het bestand van 'wegwijs keys export-public' naar een supervisor van het team; die maakt er met "
                "'wegwijs keys admit-supervisor' de verzegelde teamsleutels van, en die leest u in met 'wegwijs "
                "keys join-team BESTAND'."
            ).format(address=profile.settings.database)
        )
        profile.close()
        return 0
    if profile.uses_team_store:
        print(
            _(
                "De gegevens staan in de teamdatabase {address}; de databasebeheerder van de gemeente maakt "
                "daarvan de reservekopieën."
            ).format(address=profile.settings.database)
        )
        profile.close()
        return 0
    BackupService.for_profile(profile).automatic(REASON_INIT)
    print(
        _(
            "Druk nu het herstelblad af ('wegwijs keys recovery-sheet --out herstelblad.pdf'): zonder dat blad "
            "zijn de gegevens verloren als de sleutel in de sleutelbos of het wachtwoord verloren gaat."
        )
    )
    profile.close()
    return 0


def run_demo(args: argparse.Namespace) -> int:
    if args.clients < 1:
        print(_("Geef met --clients een aantal van minstens 1 op."), file=sys.stderr)
        return 2
    profile = profile_from_args(args)
    # The caseload's lines are stored as well: the first start after a demo reads them (issue 15).
    report = ClientService.for_profile(profile).add_demo(args.clients, args.seed, store_caseload=True)
    print(
        _("{clients} fictieve cliënten toegevoegd in {households} huishoudens.").format(
            clients=report.clients, households=report.households
        )
    )
    profile.close()
    return 0


def run_import_coa(args: argparse.Namespace) -> int:
    profile = profile_from_args(args)
    report = ClientService.for_profile(profile).import_coa(args.file)
    for outcome in report.outcomes:
        line = _("regel {line}: {result}").format(line=outcome.line, result=outcome.result_word)
        if outcome.v_nummer:
            line += " " + _("(V-nummer {v_nummer})").format(v_nummer=outcome.v_nummer)
        if outcome.reason:
            line += f": {outcome.reason}"
        print(line)
    print(_("Samenvatting: {summary}").format(summary=report.summary()))
    profile.close()
    if report.refused:
        print(
            _("{count} regel(s) zijn geweigerd (redenen hierboven); de andere regels zijn ingelezen.").format(
                count=len(report.refused)
            ),
            file=sys.stderr,
        )
        return 1
    return 0


def run_list(args: argparse.Namespace) -> int:
    profile = profile_from_args(args)
    rows = CaseloadService.for_profile(profile).rows()
    rows.sort(
        key=lambda r: (r.next_deadline is None, r.next_deadline.due if r.next_deadline else None, r.name)
    )
    counts = count_flags(row.flags for row in rows)
    if args.json:
        print_json(
            {
                "aantallen": counts_json(counts),
                "cliënten": [caseload_row_json(row) for row in rows],
            }
        )
    else:
        for row in rows:
            deadline = row.next_deadline
            due = (
                _("{deadline} {due} ({days} dagen, {state})").format(
                    deadline=deadline.deadline.label,
                    due=deadline.due.isoformat(),
                    days=deadline.days_left,
                    state=deadline.state_label,
                )
                if deadline
                else _("geen termijn")
            )
            print(f"{row.v_nummer}  {row.name:<32}  {row.status:<24}  {row.leerroute or '-':<10}  {due}")
        print(_("{count} cliënten.").format(count=len(rows)))
    profile.close()
    return 0


def run_export(args: argparse.Namespace) -> int:
    profile = profile_from_args(args)
    document = ClientService.for_profile(profile).export(args.client)
    if args.json:
        print_json(document)
    else:
        _print_readable(document)
    profile.close()
    return 0


def _print_readable(document: dict, indent: int = 0) -> None:
    pad = "  " * indent
    for key, value in document.items():
        if isinstance(value, dict):
            print(f"{pad}{key}:")
            _print_readable(value, indent + 1)
        elif isinstance(value, list):
            print(f"{pad}{key}:" + ("" if value else " —"))
            for item in value:
                if isinstance(item, dict):
                    print(f"{pad}  - " + "; ".join(f"{k}: {v}" for k, v in item.items()))
                else:
                    print(f"{pad}  - {item}")
        else:
            print(f"{pad}{key}: {'' if value is None else value}")
