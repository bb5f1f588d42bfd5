"""Reading the imports of app/'s modules with `ast`: shared by the layer test and the cycle test.

Not a test module itself (no tests here), so the two tests share it without importing each other.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"


@dataclass(frozen=True)
class Import:
    module: str
    line: int
    inside_function: bool
    # Under `if TYPE_CHECKING:`: read by the type checker only, never executed.
    for_typing: bool = False


def module_name(path: Path, app: Path = APP) -> str:
    parts = list(path.relative_to(app.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, name: str, is_package: bool) -> list[Import]:
    """Every module imported by `source` (the module `name`), with relative imports resolved.

    `from X import Y` yields both X and X.Y, since Y may be a submodule (`from PySide6 import QtWidgets`).
    """
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool, for_typing: bool = False) -> None:
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for statement in child.body:
                    visit(ast.Module(body=[statement], type_ignores=[]), in_function, True)
                for statement in child.orelse:
                    visit(ast.Module(body=[statement], type_ignores=[]), in_function, for_typing)
                continue
            if isinstance(child, ast.Import):
                found.extend(
                    Import(alias.name, child.lineno, in_function, for_typing) for alias in child.names
                )
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    package = name.split(".") if is_package else name.split(".")[:-1]
                    package = package[: len(package) - (child.level - 1)]
                    base = ".".join(package + ([base] if base else []))
                found.append(Import(base, child.lineno, in_function, for_typing))
                found.extend(
                    Import(f"{base}.{alias.name}", child.lineno, in_function, for_typing)
                    for alias in child.names
                    if alias.name != "*"
                )
            visit(child, nested, for_typing)

    visit(ast.parse(source), False)
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def is_within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)
