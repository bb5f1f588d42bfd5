"""The command table of app/cli.py: complete, in step with the modules, and cheap to build."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys

import pytest

from app.cli import COMMANDS, build_parser, command_named


def _registered_by(module: str) -> dict[str, str | None]:
    """The commands a module defines, with the help line each gets in `wegwijs --help`."""
    parser = argparse.ArgumentParser()
    subparsers = parser.add_subparsers(dest="command")
    importlib.import_module(module).register(subparsers)
    return {action.dest: action.help for action in subparsers._choices_actions}


@pytest.mark.parametrize("module", sorted({module for module, _help in COMMANDS.values()}))
def test_the_table_names_every_command_of_each_module_with_the_same_help_line(module: str) -> None:
    registered = _registered_by(module)
    in_table = {name: help_line for name, (owner, help_line) in COMMANDS.items() if owner == module}
    assert registered == in_table


def test_the_command_word_is_found_after_the_global_options() -> None:
    assert command_named(["--data-dir", "list", "list", "--json"]) == "list"
    assert command_named(["--data-dir=/tmp/x", "pdf", "--lang", "ar"]) == "pdf"
    assert command_named(["--exit-when-ready"]) is None
    assert command_named([]) is None


def test_help_lists_every_command_without_loading_any_command_module(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # In a fresh interpreter: this test process has imported the modules already.
    probe = (
        "import json, sys\n"
        "from app.cli import build_parser\n"
        "text = build_parser().format_help()\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('app.commands.', 'app.services', "
        "'reportlab', 'alembic', 'requests', 'app.pdf', 'PySide6')))\n"
        "print(json.dumps({'help': text, 'loaded': loaded}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    result = json.loads(done.stdout)
    assert result["loaded"] == []
    for name in COMMANDS:
        assert f"    {name} " in result["help"] or f"    {name}\n" in result["help"], name


def test_a_command_gets_its_full_definition_and_handler() -> None:
    args = build_parser("list").parse_args(["--data-dir", "x", "list", "--json"])
    assert args.command == "list" and args.json is True and callable(args.handler)
    args = build_parser("keys").parse_args(["keys", "show"])
    assert callable(args.handler)
