"""The `wegwijs` command line (contract: shared/CLI.md). Exit 0 done, 1 refused, 2 wrong usage."""

from __future__ import annotations

import argparse
import importlib
import logging
import re
import signal
import sys
from typing import Any

from app import __version__
from app.domain.errors import WegwijsError

# Each module registers its own sub-commands; add a line for a new command group.
COMMAND_MODULES = [
    "app.commands.clients",
    "app.commands.sync",
    "app.commands.documents",
]


# argparse words its usage errors in English; administrators read Dutch.
_USAGE_ERRORS_NL = [
    (re.compile(r"the following arguments are required: (.*)"), r"deze gegevens ontbreken: \1"),
    (re.compile(r"unrecognized arguments: (.*)"), r"onbekende argumenten: \1"),
    (
        re.compile(r"argument (.*): invalid choice: (.*) \(choose from (.*)\)"),
        r"\1: ongeldige keuze \2 (kies uit \3)",
    ),
    (re.compile(r"argument (.*): invalid (\w+) value: (.*)"), r"\1: ongeldige waarde \3"),
    (re.compile(r"argument (.*): expected one argument"), r"\1 verwacht een waarde"),
    (re.compile(r"ambiguous option: (.*) could match (.*)"), r"optie \1 is niet eenduidig (\2)"),
]


def dutch_usage_error(message: str) -> str:
    for pattern, replacement in _USAGE_ERRORS_NL:
        if pattern.fullmatch(message):
            return pattern.sub(replacement, message)
    return message


class _DutchHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, prefix if prefix is not None else "gebruik: ")


class _DutchArgumentParser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _DutchHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", help="toon deze hulp en stop")
        self._positionals.title = "argumenten"
        self._optionals.title = "opties"

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"wegwijs: onjuist gebruik: {dutch_usage_error(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _DutchArgumentParser(prog="wegwijs", description="Wegwijs: brede intake en PIP.")
    parser.add_argument(
        "--version", action="version", version=f"wegwijs {__version__}", help="toon de versie en stop"
    )
    parser.add_argument("--data-dir", metavar="MAP", default=None, help="profielmap (of WEGWIJS_DATA_DIR)")
    subparsers = parser.add_subparsers(dest="command", metavar="OPDRACHT", parser_class=_DutchArgumentParser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    if hasattr(signal, "SIGPIPE"):
        # `wegwijs list | head` should end quietly, as other command-line tools do.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from app.ui.application import run_gui  # the GUI only loads when it is asked for

        return run_gui(args.data_dir)
    from app.services.logs import configure_logging
    from app.services.profile import resolve_data_dir

    log_file = configure_logging(resolve_data_dir(args.data_dir))
    log = logging.getLogger("app.cli")
    log.info("command: %s", args.command)  # the command's name only: its arguments may name a client
    try:
        return int(args.handler(args))
    except WegwijsError as error:
        log.info("refused: %s", type(error).__name__)
        print(str(error), file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 1
    except OSError as error:
        log.error("input or output failed", exc_info=True)
        # A file or the output could not be written (a full disk, say); nothing is half stored.
        print(
            f"Lezen of schrijven van een bestand is mislukt (foutcode {error.errno}); controleer de "
            "schijfruimte en de rechten en probeer het opnieuw.",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("Afgebroken; er is niets half opgeslagen.", file=sys.stderr)
        return 1
    except Exception:
        # A fault, not a refusal: the traceback goes to the log (without personal data), one sentence here.
        log.error("command failed", exc_info=True)
        where = f" De details staan in {log_file}." if log_file is not None else ""
        print(f"Er ging iets mis; er is niets half opgeslagen.{where}", file=sys.stderr)
        return 1
