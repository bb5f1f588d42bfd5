"""No import cycles among the modules of app/: each module can be read, tested and moved on its own.

Imports are read with `ast` wherever they run, so a cycle hidden behind a function-local import counts
as one. An import under `if TYPE_CHECKING:` is left out: it is never executed, it only lets the type
checker name a class (the layer test still checks where such imports point).
"""

from __future__ import annotations

from pathlib import Path

from import_graph import APP, imports_of, module_name


def import_graph(app: Path = APP) -> dict[str, set[str]]:
    modules = {module_name(path, app): path for path in app.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for found in imports_of(path.read_text(encoding="utf-8"), name, path.name == "__init__.py"):
            if found.for_typing:
                continue
            module = found.module
            # `from app.x import Name` names a module or something inside one: take the module.
            while module and module not in modules:
                module = module.rpartition(".")[0]
            if module and module != name:
                targets.add(module)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_app_has_no_import_cycles() -> None:
    found = cycles(import_graph())
    assert not found, "import cycles in app/:\n" + "\n".join(" <-> ".join(each) for each in found)


def test_cycle_finder_finds_a_cycle_and_only_that() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_function_local_and_relative_imports(tmp_path: Path) -> None:
    package = tmp_path / "app"
    (package / "pkg").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "pkg" / "__init__.py").write_text("")
    (package / "pkg" / "one.py").write_text("def later():\n    from . import two\n")
    (package / "pkg" / "two.py").write_text("from app.pkg.one import later\n")
    (package / "pkg" / "typed.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app.pkg.hint import Hint\n"
    )
    (package / "pkg" / "hint.py").write_text("from app.pkg.typed import x\n")
    graph = import_graph(package)
    # one <-> two runs; typed -> hint only for the type checker, so typed <-> hint is no cycle.
    assert cycles(graph) == [["app.pkg.one", "app.pkg.two"]]
