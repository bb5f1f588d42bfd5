"""The `wegwijs` command line (contract: shared/CLI.md). Exit 0 done, 1 refused, 2 wrong usage."""

from __future__ import annotations

import argparse
import errno
import importlib
import logging
import os
import re
import signal
import sys
import tempfile
from collections.abc import Callable, Sequence
from typing import Any

from app import __version__
from app.domain.errors import WegwijsError
from app.i18n import N_, _

_CLIENTS, _SYNC, _DOCUMENTS = "app.commands.clients", "app.commands.sync", "app.commands.documents"
_MAINTENANCE = "app.commands.maintenance"
_PRIVACY = "app.commands.privacy"
_SUPERVISOR = "app.commands.supervisor"

# Command name -> the module whose register(subparsers) defines it, and its line in `wegwijs --help`.
# Only the module of the command that runs is imported: the others would load the PDF stack, the
# network code and every service before anything happens (tests/unit/test_cli_registry.py checks
# that this table and the modules agree). Add a line for a new command.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": (_CLIENTS, N_("eerste inrichting zonder de GUI: opslag, sleutel")),
    "demo": (_CLIENTS, N_("fictieve cliënten toevoegen")),
    "import-coa": (_CLIENTS, N_("cliënten uit een COA-overdrachtslijst (CSV)")),
    "list": (_CLIENTS, N_("cliënten met status en volgende termijn")),
    "export": (_CLIENTS, N_("alles wat over één cliënt is opgeslagen (inzagerecht)")),
    "keys": (_SYNC, N_("sleutels van deze installatie en vertrouwde sleutels")),
    "sync": (_SYNC, N_("wijzigingen versturen naar de supervisor")),
    "import": (_SYNC, N_("synchronisatiepakketten importeren (supervisor)")),
    "pdf": (_DOCUMENTS, N_("het PIP van een cliënt als PDF, Nederlands naast de eigen taal")),
    "catalog": (_DOCUMENTS, N_("vertaalcatalogi controleren")),
    "backup": (_MAINTENANCE, N_("een versleutelde reservekopie van de database")),
    "restore": (_MAINTENANCE, N_("een versleutelde reservekopie terugzetten")),
    "check": (_MAINTENANCE, N_("de database op beschadiging controleren")),
    "store": ("app.commands.store", N_("de opslag van de supervisor (teamdatabase)")),
    "erase": (_PRIVACY, N_("de gegevens van één cliënt wissen, ook bij de supervisor (AVG)")),
    "retention": (_PRIVACY, N_("cliënten na de bewaartermijn tonen of wissen (AVG)")),
    "report": ("app.commands.report", N_("teamcijfers: leerroute en toets, 10 weken, AZC, schakelen")),
    "review": (_SUPERVISOR, N_("wat op de supervisor wacht: vast te stellen PIP's, conflicten")),
    "adopt": (_SUPERVISOR, N_("het ondertekende PIP van een cliënt vaststellen")),
    "transfer": (
        "app.commands.transfer",
        N_("verhuizing: één cliënt overdragen aan de supervisor van een andere gemeente"),
    ),
}

# argparse words its usage errors in English; administrators read Dutch.
_USAGE_ERRORS_NL = [
    (re.compile(r"the following arguments are required: (.*)"), N_(r"deze gegevens ontbreken: \1")),
    (re.compile(r"unrecognized arguments: (.*)"), N_(r"onbekende argumenten: \1")),
    (
        re.compile(r"argument (.*): invalid choice: (.*) \(choose from (.*)\)"),
        N_(r"\1: ongeldige keuze \2 (kies uit \3)"),
    ),
    (re.compile(r"argument (.*): invalid (\w+) value: (.*)"), N_(r"\1: ongeldige waarde \3")),
    (re.compile(r"argument (.*): expected one argument"), N_(r"\1 verwacht een waarde")),
    (re.compile(r"ambiguous option: (.*) could match (.*)"), N_(r"optie \1 is niet eenduidig (\2)")),
]


def dutch_usage_error(message: str) -> str:
    for pattern, replacement in _USAGE_ERRORS_NL:
        if pattern.fullmatch(message):
            return pattern.sub(_(replacement), message)
    return message


class _DutchHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, prefix if prefix is not None else _("gebruik: "))


class _DutchArgumentParser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _DutchHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", help=_("toon deze hulp en stop"))
        self._positionals.title = _("argumenten")
        self._optionals.title = _("opties")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(
            2, _("wegwijs: onjuist gebruik: {problem}").format(problem=dutch_usage_error(message)) + "\n"
        )


def command_named(argv: Sequence[str]) -> str | None:
    """The command word in argv (the first word that is not an option or the value of --data-dir)."""
    words = iter(argv)
    for word in words:
        if word == "--data-dir":
            next(words, None)
        elif word == "--":
            return next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def build_parser(command: str | None = None, every_command: bool = False) -> argparse.ArgumentParser:
    """The parser with the full definition of `command` (or of all, with every_command); the other
    commands are listed by name and help line only, so their modules stay unloaded."""
    parser = _DutchArgumentParser(prog="wegwijs", description=_("Wegwijs: brede intake en PIP."))
    parser.add_argument(
        "--version", action="version", version=f"wegwijs {__version__}", help=_("toon de versie en stop")
    )
    parser.add_argument("--data-dir", metavar="MAP", default=None, help=_("profielmap (of WEGWIJS_DATA_DIR)"))
    parser.add_argument(
        "--exit-when-ready",
        action="store_true",
        help=_(
            "start de GUI en stop zodra de caseload getoond is (print ready_ms=N); voor metingen en rooktests"
        ),
    )
    subparsers = parser.add_subparsers(dest="command", metavar="OPDRACHT", parser_class=_DutchArgumentParser)
    modules = {module for module, _help in COMMANDS.values()}
    wanted = modules if every_command else {COMMANDS[command][0]} if command in COMMANDS else set()
    for module in sorted(wanted):
        importlib.import_module(module).register(subparsers)
    for name, (module, help_line) in COMMANDS.items():
        if module not in wanted:
            subparsers.add_parser(name, help=_(help_line), add_help=False)
    return parser


def _private_temp(data_dir_argument: str | None) -> None:
    """This process's temporary files go into the (private) profile folder, not a shared /tmp."""
    from app.services.maintenance.privacy import use_private_temp
    from app.services.profile import resolve_data_dir

    data_dir = resolve_data_dir(data_dir_argument)
    if data_dir.is_dir() and not data_dir.is_symlink():
        use_private_temp(data_dir)


def _gui_passphrase(unattended: bool) -> Callable[[bool], str]:
    """The GUI's way of asking the passphrase, loaded (with Qt) only when it is asked."""

    def ask(new: bool) -> str:
        from app.ui import application

        return (application.unattended_passphrase if unattended else application.gui_passphrase)(new)

    return ask


def main(argv: list[str] | None = None) -> int:
    if hasattr(signal, "SIGPIPE"):
        # `wegwijs list | head` should end quietly, as other command-line tools do.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    # Private by default: whatever this process creates (store, -wal, backups, PDFs) is 0600/0700.
    # A caller in the same process (the tests) gets its own umask and temporary folder back.
    previous_umask = os.umask(0o077)
    previous_tempdir, previous_sqlite_tmp = tempfile.tempdir, os.environ.get("SQLITE_TMPDIR")
    try:
        return _run(argv)
    finally:
        os.umask(previous_umask)
        tempfile.tempdir = previous_tempdir
        if previous_sqlite_tmp is None:
            os.environ.pop("SQLITE_TMPDIR", None)
        else:
            os.environ["SQLITE_TMPDIR"] = previous_sqlite_tmp


def _run(argv: list[str] | None) -> int:
    words = sys.argv[1:] if argv is None else argv
    parser = build_parser(command_named(words))
    args = parser.parse_args(words)
    if args.command is not None and args.exit_when_ready:
        parser.error("--exit-when-ready hoort bij het starten van de GUI, niet bij een opdracht")
    if args.command is None:
        _private_temp(args.data_dir)
        from app.services.profile import resolve_data_dir
        from app.services.quick_start import load_gui_services, prepare

        # Before Qt is loaded: the stored caseload when it can be read without asking anything
        # (app/services/quick_start.py); otherwise the services the window uses, as Qt's import
        # hook would slow them down.
        quick = prepare(resolve_data_dir(args.data_dir), _gui_passphrase(args.exit_when_ready))
        if quick is None:
            load_gui_services()
        from app.ui.application import run_gui  # the GUI only loads when it is asked for

        return run_gui(args.data_dir, exit_when_ready=args.exit_when_ready, quick=quick)
    if not hasattr(args, "handler"):
        # The command word was not where command_named() looked: parse again with every command.
        parser = build_parser(every_command=True)
        args = parser.parse_args(words)
    from app.services.logs import configure_logging
    from app.services.profile import resolve_data_dir

    log_file = configure_logging(resolve_data_dir(args.data_dir))
    log = logging.getLogger("app.cli")
    log.info("command: %s", args.command)  # the command's name only: its arguments may name a client
    try:
        _private_temp(args.data_dir)
        return int(args.handler(args))
    except WegwijsError as error:
        log.info("refused: %s", type(error).__name__)
        print(str(error), file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 1
    except OSError as error:
        log.error("input or output failed", exc_info=True)
        if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            print(
                "De schijf is vol: er is niets half opgeslagen; maak ruimte vrij en probeer het opnieuw.",
                file=sys.stderr,
            )
            return 1
        # A file or the output could not be written; nothing is half stored.
        print(
            _(
                "Lezen of schrijven van een bestand is mislukt (foutcode {code}); controleer de "
                "schijfruimte en de rechten en probeer het opnieuw."
            ).format(code=error.errno),
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print(_("Afgebroken; er is niets half opgeslagen."), file=sys.stderr)
        return 1
    except Exception:
        # A fault, not a refusal: the traceback goes to the log (without personal data), one sentence here.
        log.error("command failed", exc_info=True)
        where = f" De details staan in {log_file}." if log_file is not None else ""
        print(f"Er ging iets mis; er is niets half opgeslagen.{where}", file=sys.stderr)
        return 1
