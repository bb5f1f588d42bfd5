"""The "never imports" column of docs' ARCHITECTURE.md, checked on the source of every module in app/.

Imports are read with `ast`, so an import counts wherever it stands (also under TYPE_CHECKING),
except that app/cli.py may import the GUI (app.ui) inside the function that starts it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest
from import_graph import APP, imports_of, is_within, module_name

QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6")
QT_WIDGETS = ("PySide6.QtWidgets", "PyQt5.QtWidgets", "PyQt6.QtWidgets")
SQLALCHEMY = ("sqlalchemy", "alembic", "sqlcipher3", "sqlite3")
REPORTLAB = ("reportlab",)
# The GUI package builds on Qt widgets, so a layer that must not import them must not import it either.
GUI = ("app.ui",)


@dataclass(frozen=True)
class Rule:
    layer: str
    """A package folder ("app/domain") or a module file ("app/cli.py") relative to the repo root."""
    forbidden: tuple[str, ...]
    allow_gui_inside_functions: bool = False


RULES = [
    Rule("app/domain", QT + SQLALCHEMY + GUI),
    Rule("app/forms", QT + GUI),
    Rule("app/models", QT + GUI),
    Rule("app/services", QT_WIDGETS + GUI),
    Rule("app/pdf", QT + SQLALCHEMY + GUI),
    Rule("app/i18n", QT_WIDGETS + GUI),
    Rule("app/sync", QT_WIDGETS + GUI),
    Rule("app/ui", SQLALCHEMY + REPORTLAB),
    # The command line and the GUI call services only: no store, no SQL (issue 11).
    Rule("app/cli.py", QT_WIDGETS + GUI + SQLALCHEMY, allow_gui_inside_functions=True),
    Rule("app/commands", QT_WIDGETS + GUI + SQLALCHEMY),
]


def violations_in(source: str, name: str, is_package: bool, rule: Rule, label: str) -> list[str]:
    problems = []
    for found in imports_of(source, name, is_package):
        if not is_within(found.module, rule.forbidden):
            continue
        if rule.allow_gui_inside_functions and found.inside_function and is_within(found.module, GUI):
            continue
        problems.append(f"{label}:{found.line} imports {found.module}")
    return problems


def violations(path: Path, rule: Rule) -> list[str]:
    return violations_in(
        path.read_text(encoding="utf-8"),
        module_name(path),
        path.name == "__init__.py",
        rule,
        str(path.relative_to(APP.parent)),
    )


def files_of(rule: Rule) -> list[Path]:
    target = APP.parent / rule.layer
    if target.suffix == ".py":
        return [target] if target.exists() else []
    return sorted(target.rglob("*.py"))


@pytest.mark.parametrize("rule", RULES, ids=[rule.layer for rule in RULES])
def test_layer_never_imports_what_architecture_forbids(rule: Rule) -> None:
    problems = [problem for path in files_of(rule) for problem in violations(path, rule)]
    assert not problems, "\n".join(problems)


def test_every_module_in_app_belongs_to_a_checked_layer_or_the_top() -> None:
    checked = {path for rule in RULES for path in files_of(rule)}
    modules = set(APP.rglob("*.py"))
    assert len(checked) >= 5, "the layer test found almost no modules to check"
    # Only top-level helpers (app/__init__.py, app/__main__.py, app/resources.py ...) are outside a layer.
    unchecked = sorted(str(path.relative_to(APP.parent)) for path in modules - checked if path.parent != APP)
    assert not unchecked, f"modules in a folder that no layer rule covers: {unchecked}"


# -- no unit of work outside the services -----------------------------------------------------------
# A service method owns its unit of work (docs/architecture.md, "Services"); the GUI and the command
# line never open one, whatever object they might reach a `session()` through.
CALLERS_OF_SERVICES = ("app/ui", "app/commands", "app/cli.py")
UNIT_OF_WORK = {"session", "sessionmaker", "Session", "begin", "engine", "raw_connection"}


def units_of_work_opened(source: str, label: str) -> list[str]:
    problems: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        called = node.func if isinstance(node, ast.Call) else None
        name = (
            called.attr
            if isinstance(called, ast.Attribute)
            else called.id
            if isinstance(called, ast.Name)
            else None
        )
        touched = node.attr if isinstance(node, ast.Attribute) and node.attr == "engine" else None
        if name in UNIT_OF_WORK or touched:
            problems.append((node.lineno, f"{label}:{node.lineno} opens {name or touched}"))
    return [text for _line, text in sorted(problems)]


def test_no_gui_or_command_module_opens_a_session() -> None:
    problems = []
    for layer in CALLERS_OF_SERVICES:
        for path in files_of(Rule(layer, ())):
            problems += units_of_work_opened(
                path.read_text(encoding="utf-8"), str(path.relative_to(APP.parent))
            )
    assert not problems, "call a service method instead:\n" + "\n".join(problems)


def test_the_session_check_sees_a_session() -> None:
    source = "with profile.store().session('km') as s:\n    pass\nstore.engine.dispose()\nSession(bind=x)\n"
    assert units_of_work_opened(source, "x") == ["x:1 opens session", "x:3 opens engine", "x:4 opens Session"]
    assert units_of_work_opened("ClientService.for_profile(profile).detail(i)\n", "x") == []


# -- the checker itself ---------------------------------------------------------------------------
def test_checker_sees_every_form_of_import() -> None:
    source = (
        "import PySide6.QtWidgets as widgets\n"
        "from PySide6 import QtWidgets\n"
        "from sqlalchemy.orm import Session\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from reportlab.pdfgen import canvas\n"
        "from ..ui import main_window\n"
        "def later():\n"
        "    import app.ui.main_window\n"
    )
    found = {(i.module, i.inside_function) for i in imports_of(source, "app.services.clients", False)}
    assert ("PySide6.QtWidgets", False) in found
    assert ("sqlalchemy.orm", False) in found
    assert ("reportlab.pdfgen", False) in found
    assert ("app.ui", False) in found
    assert ("app.ui.main_window", False) in found
    assert ("app.ui.main_window", True) in found


def test_checker_reports_violations_and_allows_only_a_lazy_gui_import_in_cli() -> None:
    services = Rule("app/services", QT_WIDGETS + GUI)
    assert violations_in(
        "from PySide6.QtWidgets import QWidget\n", "app.services.x", False, services, "x"
    ) == [
        "x:1 imports PySide6.QtWidgets",
        "x:1 imports PySide6.QtWidgets.QWidget",
    ]
    assert violations_in("from PySide6.QtCore import QObject\n", "app.services.x", False, services, "x") == []
    assert violations_in("from . import ui\n", "app", True, services, "x") == ["x:1 imports app.ui"]
    assert violations_in("import app.uikit\n", "app.services.x", False, services, "x") == []

    cli = Rule("app/cli.py", QT_WIDGETS + GUI + SQLALCHEMY, allow_gui_inside_functions=True)
    lazy = "def run_gui():\n    from app.ui.main_window import run\n"
    eager = "from app.ui.main_window import run\n"
    widgets = "def run_gui():\n    from PySide6.QtWidgets import QApplication\n"
    assert violations_in(lazy, "app.cli", False, cli, "cli") == []
    assert violations_in(eager, "app.cli", False, cli, "cli") != []
    assert violations_in(widgets, "app.cli", False, cli, "cli") != []


# -- directions inside app/ -----------------------------------------------------------------------
# The "may import" column of the architecture brief, for imports between Wegwijs's own packages.
# Deliberate widenings, recorded in docs/architecture.md: every layer may import `app.i18n` (every
# user-visible sentence goes through `_()`), `app.resources` (where the shipped data files are) and
# `app.collector` (the cycle collector paused during bulk work);
# `app.i18n` may take the one base class of refusals, `app.domain.errors`, and nothing else of the domain.
EVERYWHERE = ("app.i18n", "app.resources", "app.collector")
MAY_IMPORT: dict[str, tuple[str, ...]] = {
    "app.domain": ("app.domain",),
    "app.forms": ("app.forms", "app.domain"),
    "app.models": ("app.models", "app.domain"),
    "app.pdf": ("app.pdf", "app.domain"),
    "app.i18n": ("app.i18n", "app.domain.errors"),
    "app.sync": ("app.sync", "app.models", "app.domain"),
    "app.services": ("app.services", "app.domain", "app.forms", "app.models", "app.pdf", "app.sync"),
    # The intake screen renders the form definition itself: forms are data the GUI reads.
    "app.ui": ("app.ui", "app.services", "app.domain", "app.forms"),
    "app.commands": ("app.commands", "app.services", "app.domain"),
    "app.cli": ("app.commands", "app.services", "app.domain"),
}


def layer_of(module: str) -> str | None:
    for layer in MAY_IMPORT:
        if is_within(module, (layer,)):
            return layer
    return None


def direction_violations(source: str, name: str, is_package: bool, label: str) -> list[str]:
    layer = layer_of(name)
    if layer is None:
        return []
    allowed = MAY_IMPORT[layer] + EVERYWHERE
    problems = []
    for found in imports_of(source, name, is_package):
        if not is_within(found.module, ("app",)) or layer_of(found.module) is None:
            continue  # outside Wegwijs, or a top-level helper (app.__version__, app.resources)
        if name == "app.cli" and found.inside_function and is_within(found.module, GUI):
            continue  # the GUI starts lazily from the command line (the rule above)
        if not is_within(found.module, allowed):
            problems.append(f"{label}:{found.line} ({layer}) imports {found.module}")
    return problems


def test_imports_inside_app_follow_the_layer_directions() -> None:
    problems = []
    for path in sorted(APP.rglob("*.py")):
        problems += direction_violations(
            path.read_text(encoding="utf-8"),
            module_name(path),
            path.name == "__init__.py",
            str(path.relative_to(APP.parent)),
        )
    assert not problems, "\n".join(problems)


def test_direction_checker_knows_the_table() -> None:
    assert direction_violations("from app.services import clients\n", "app.domain.x", False, "x") == [
        "x:1 (app.domain) imports app.services",
        "x:1 (app.domain) imports app.services.clients",
    ]
    assert direction_violations("from app.i18n import _\n", "app.domain.x", False, "x") == []
    assert direction_violations("from app.models.store import Store\n", "app.ui.x", False, "x") != []
    assert (
        direction_violations("from app.domain.errors import WegwijsError\n", "app.i18n.x", False, "x") == []
    )
    assert direction_violations("from app.domain.enums import Role\n", "app.i18n.x", False, "x") != []
    assert direction_violations("def f():\n    from app.ui import main_window\n", "app.cli", False, "c") == []
    assert direction_violations("from app.ui import main_window\n", "app.cli", False, "c") != []
    # Relative imports resolve before they are judged.
    assert direction_violations("from ..services import x\n", "app.sync.importer", False, "s") != []
