"""The "never imports" column of docs' ARCHITECTURE.md, checked on the source of every module in app/.

Imports are read with `ast`, so an import counts wherever it stands (also under TYPE_CHECKING),
except that app/cli.py may import the GUI (app.ui) inside the function that starts it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"

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
    Rule("app/cli.py", QT_WIDGETS + GUI, allow_gui_inside_functions=True),
    Rule("app/commands", QT_WIDGETS + GUI),
]


@dataclass(frozen=True)
class Import:
    module: str
    line: int
    inside_function: bool


def module_name(path: Path) -> str:
    parts = list(path.relative_to(APP.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, name: str, is_package: bool) -> list[Import]:
    """Every module imported by `source` (the module `name`), with relative imports resolved.

    `from X import Y` yields both X and X.Y, since Y may be a submodule (`from PySide6 import QtWidgets`).
    """
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.Import):
                found.extend(Import(alias.name, child.lineno, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    package = name.split(".") if is_package else name.split(".")[:-1]
                    package = package[: len(package) - (child.level - 1)]
                    base = ".".join(package + ([base] if base else []))
                found.append(Import(base, child.lineno, in_function))
                found.extend(
                    Import(f"{base}.{alias.name}", child.lineno, in_function)
                    for alias in child.names
                    if alias.name != "*"
                )
            visit(child, nested)

    visit(ast.parse(source), False)
    return found


def is_within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


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

    cli = Rule("app/cli.py", QT_WIDGETS + GUI, allow_gui_inside_functions=True)
    lazy = "def run_gui():\n    from app.ui.main_window import run\n"
    eager = "from app.ui.main_window import run\n"
    widgets = "def run_gui():\n    from PySide6.QtWidgets import QApplication\n"
    assert violations_in(lazy, "app.cli", False, cli, "cli") == []
    assert violations_in(eager, "app.cli", False, cli, "cli") != []
    assert violations_in(widgets, "app.cli", False, cli, "cli") != []
