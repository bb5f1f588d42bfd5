"""The `wegwijs` command line (contract: shared/CLI.md). Exit 0 done, 1 refused, 2 wrong usage."""

from __future__ import annotations

import argparse
import importlib
import signal
import sys

from app import __version__
from app.domain.errors import WegwijsError

# Each module registers its own sub-commands; add a line for a new command group.
COMMAND_MODULES = [
    "app.commands.clients",
    "app.commands.sync",
    "app.commands.documents",
]


class _DutchArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"wegwijs: onjuist gebruik: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _DutchArgumentParser(prog="wegwijs", description="Wegwijs: brede intake en PIP.")
    parser.add_argument("--version", action="version", version=f"wegwijs {__version__}")
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
    from app.services.use_cases import install_use_cases

    if args.command is None:
        from app.ui.application import run_gui  # the GUI only loads when it is asked for

        return run_gui(args.data_dir)
    install_use_cases()
    try:
        return int(args.handler(args))
    except WegwijsError as error:
        print(str(error), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Afgebroken; er is niets half opgeslagen.", file=sys.stderr)
        return 1
