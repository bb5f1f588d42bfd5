"""The tests' own structure: no test module imports another test module or a conftest (shared
constants and builders live in helper modules such as tests/builders.py), and tests reach the public
names of `app`, never a private one (`from app.x import _helper`, `store._upgrade_to(...)`)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
APP = TESTS.parent / "app"


def all_test_modules() -> list[Path]:
    return sorted(TESTS.rglob("test_*.py"))


def python_files() -> list[Path]:
    """Every module of the test suite: test modules, conftests and helper modules."""
    return sorted(path for path in TESTS.rglob("*.py") if ".venv" not in path.parts)


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def is_test_module(dotted: str) -> bool:
    last = dotted.rsplit(".", 1)[-1]
    return last.startswith("test_") or last == "conftest"


def imported_modules(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module is not None and node.level == 0:
            yield node.lineno, node.module
            if node.module.split(".")[0] == "tests":
                # `from tests import conftest` names the module among the imported names.
                for alias in node.names:
                    yield node.lineno, f"{node.module}.{alias.name}"


def private_names_of_app() -> frozenset[str]:
    """Every private name `app` defines: functions, methods, classes, module globals, attributes."""
    names: set[str] = set()
    for path in APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
    return frozenset(name for name in names if is_private(name))


def names_defined_in(tree: ast.AST) -> set[str]:
    """Names the test module defines itself (its own helpers' private parts are its business)."""
    defined: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            defined.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            defined.add(node.attr)
    return defined


def private_uses(path: Path, app_private: frozenset[str]) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = names_defined_in(tree)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module is not None
            and node.module.split(".")[0] == "app"
        ):
            for alias in node.names:
                if is_private(alias.name):
                    yield node.lineno, f"from {node.module} import {alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "app" and any(map(is_private, alias.name.split("."))):
                    yield node.lineno, f"import {alias.name}"
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in app_private
            and node.attr not in own
            and not (isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"})
        ):
            yield node.lineno, f".{node.attr}"


def relative(path: Path) -> str:
    return str(path.relative_to(TESTS.parent))


def test_no_test_module_imports_another_test_module_or_a_conftest() -> None:
    offenders = [
        f"{relative(path)}:{line}: imports {module}"
        for path in python_files()
        for line, module in imported_modules(ast.parse(path.read_text(encoding="utf-8")))
        if is_test_module(module)
    ]
    assert not offenders, "move what they share to a helper module (tests/builders.py):\n" + "\n".join(
        offenders
    )


def test_tests_reach_only_public_names_of_app() -> None:
    """No exceptions: a test that needs a private part adds a public way to app (an accessor such
    as BidiParagraph.lines) or tests the behaviour itself."""
    app_private = private_names_of_app()
    found = sorted(
        f"{relative(path)}:{line}: {use}"
        for path in python_files()
        for line, use in private_uses(path, app_private)
    )
    assert not found, "tests reach private names of app; use (or add) a public function:\n" + "\n".join(found)


def test_the_checks_see_what_they_look_for(tmp_path: Path) -> None:
    """Both checks on a made-up module, so they cannot pass by finding nothing."""
    sample = tmp_path / "test_sample.py"
    sample.write_text(
        "import os\n"
        "import test_other\n"
        "from tests.conftest import REPO_ROOT\n"
        "from tests import conftest\n"
        "from builders import add_client_with_case\n"
        "from app.domain.outcomes import test_outcome\n"
        "from app.models.store import Store, _check_writable\n"
        "def test_x(store):\n"
        "    store._upgrade_to('heads')\n"
        "    os._exit(0)\n"
        "    return store.__class__\n",
        encoding="utf-8",
    )
    tree = ast.parse(sample.read_text(encoding="utf-8"))
    found = [(line, module) for line, module in imported_modules(tree) if is_test_module(module)]
    assert found == [(2, "test_other"), (3, "tests.conftest"), (4, "tests.conftest")]
    uses = sorted(private_uses(sample, frozenset({"_upgrade_to", "_check_writable", "_exit_app"})))
    assert uses == [(7, "from app.models.store import _check_writable"), (9, "._upgrade_to")]
    # The real suite is what the checks read.
    assert Path(__file__) in all_test_modules() and TESTS / "conftest.py" in python_files()
    assert "_upgrade_with_backup" in private_names_of_app()


def test_profile_fixtures_are_made_by_make_profile() -> None:
    """A test module that needs another profile overrides `profile` with the shared factory
    (`make_profile(role=..., municipality=...)` in tests/conftest.py), never its own copy of the set-up."""
    copies = []
    for path in all_test_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name == "profile":
                calls = {
                    call.func.id
                    for call in ast.walk(node)
                    if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                }
                if "init_profile" in calls:
                    copies.append(f"{relative(path)}:{node.lineno}")
    assert not copies, "use make_profile(...) in these profile fixtures:\n" + "\n".join(copies)


def test_no_test_reads_the_machine_policy_file() -> None:
    """tests/conftest.py points WEGWIJS_POLICY_FILE to a file that does not exist (not /etc/wegwijs)."""
    import os

    from app.services.policy import POLICY_ENV, load_policy, policy_path

    assert os.environ.get(POLICY_ENV) and not policy_path().exists()
    assert policy_path() != Path("/etc/wegwijs/beleid.toml")
    assert load_policy().policy is None
