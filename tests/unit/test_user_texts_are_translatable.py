"""Every refusal the user reads goes through `_()` (or `ngettext`/`pgettext`) from app.i18n.

The AST of every module in app/ is walked. A sentence written as a literal (a string, an f-string,
`"…".format(…)`, `"…" + …` or `"…" % …`) fails when it is

- the argument of a `raise SomeError(…)`, or
- the argument of any `WegwijsError` subclass being built, raised or not (`error = StoreError(…)`),

unless it is wrapped: `_("… {name} …").format(name=…)`. Module constants are marked with `N_()` and
translated where they are shown, which this test cannot see; `tests/unit/test_ui_catalog.py` checks
that every marked text reaches the catalog and has its English translation.

A "sentence" has at least two words with a letter; an identifier-like argument (`"[form]"`, `""`) or
a composition of translated parts (`f"{label}: {error}"`) is not one.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"
REPO = APP.parent

TRANSLATING = {"_", "ngettext", "pgettext"}

# Exceptions that never reach the user as they are: a programming error (the GUI shows "er ging iets
# mis" and the traceback goes to the log), or an internal signal caught and turned into a WegwijsError.
INTERNAL_EXCEPTIONS = {
    "AssertionError": "a broken invariant, a bug",
    "KeyError": "a lookup in code",
    "NotImplementedError": "a bug",
    "OSError": "a system error: the CLI and the GUI show their own sentence with its errno, not its text",
    "RuntimeError": "a bug, or caught and reported with its own Dutch sentence",
    "TypeError": "a bug in a caller",
    "ValueError": "caught where raised (envelope, keys) and turned into a refusal",
    "RecordError": "app/sync/records.py: becomes the administrators' detail of a PackageRefused",
}

# Arguments of a WegwijsError that are not its message: PackageRefused(reason, detail) takes its
# sentence from the reason; the detail is an English note for administrators (quarantine note, log).
# UnusableFile(reason, detail) likewise (app/sync/errors.py).
NOT_THE_MESSAGE = {
    "PackageRefused": {"positions": {1}, "keywords": {"detail"}},
    "UnusableFile": {"positions": {1}, "keywords": {"detail"}},
    # The device's refusal of a decision package (app/sync/decision_apply.py): the same shape.
    "DecisionRefused": {"positions": {1}, "keywords": {"detail"}},
}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    call: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.call}({self.text}) is not wrapped in _()"


def _constant_text(node: ast.AST) -> str | None:
    """The literal text an argument is built from, or None when it is not a literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        parts = [_constant_text(node.left), _constant_text(node.right)]
        found = [part for part in parts if part is not None]
        return " ".join(found) if found else None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _constant_text(node.func.value)
    return None


def is_sentence(text: str) -> bool:
    return re.search(r"\w*[^\W\d_]\w*\s+\S", text) is not None


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def wegwijs_errors(trees: dict[str, ast.Module]) -> set[str]:
    """Names of WegwijsError and of every class in app/ that derives from it, however deep."""
    bases: dict[str, set[str]] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                names = {
                    base.id if isinstance(base, ast.Name) else getattr(base, "attr", "")
                    for base in node.bases
                }
                bases.setdefault(node.name, set()).update(names)
    found = {"WegwijsError"}
    while True:
        more = {name for name, parents in bases.items() if parents & found} - found
        if not more:
            return found
        found |= more


def untranslated(path: str, tree: ast.Module, errors: set[str]) -> list[Finding]:
    raised = {id(node.exc) for node in ast.walk(tree) if isinstance(node, ast.Raise) and node.exc is not None}
    findings = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _called_name(node)
        if name in TRANSLATING:
            continue
        if name in errors:
            skip = NOT_THE_MESSAGE.get(name, {})
        elif id(node) in raised and name not in INTERNAL_EXCEPTIONS:
            skip = {}
        else:
            continue
        arguments = [arg for index, arg in enumerate(node.args) if index not in skip.get("positions", set())]
        arguments += [kw.value for kw in node.keywords if kw.arg not in skip.get("keywords", set())]
        for argument in arguments:
            text = _constant_text(argument)
            if text is not None and is_sentence(text):
                findings.append(Finding(path, argument.lineno, name or "?", ast.unparse(argument)[:80]))
    return findings


def _trees() -> dict[str, ast.Module]:
    return {
        path.relative_to(REPO).as_posix(): ast.parse(path.read_text(encoding="utf-8"), str(path))
        for path in sorted(APP.rglob("*.py"))
        if "migrations/versions" not in path.as_posix()
    }


def test_every_refusal_in_app_is_translatable() -> None:
    trees = _trees()
    errors = wegwijs_errors(trees)
    findings = [finding for path, tree in trees.items() for finding in untranslated(path, tree, errors)]
    assert not findings, "\n".join(str(finding) for finding in findings)


def test_the_walk_sees_the_error_classes_of_app() -> None:
    errors = wegwijs_errors(_trees())
    # Direct and indirect subclasses, from several layers.
    assert {"StoreError", "SyncError", "PackageRefused", "TargetUnreachable", "ProfileError"} <= errors


SAMPLE = """
from app.domain.errors import WegwijsError
from app.i18n import _, ngettext

class CustomError(WegwijsError):
    pass

class DeeperError(CustomError):
    pass

def refusals(name, n, reason):
    raise CustomError("Dit kan niet; probeer het opnieuw.")                     # 1 literal
    raise DeeperError(f"Het bestand {name} ontbreekt.")                         # 2 f-string, subclass
    raise CustomError("Het bestand {name} ontbreekt.".format(name=name))        # 3 format on a literal
    raise RowRefused("de regel " + name + " is te lang")                        # 4 any raise, concatenation
    error = CustomError("Gebouwd en later gegooid.")                           # 5 built, not raised
    raise PackageRefused(reason, "an English detail for administrators")      # not the message
    raise CustomError(_("Dit kan niet; probeer het opnieuw."))
    raise CustomError(_("Het bestand {name} ontbreekt.").format(name=name))
    raise CustomError(ngettext("{n} bestand", "{n} bestanden", n).format(n=n))
    raise CustomError(f"{name}: {reason}")
    raise DefinitionError(name, "[form]", _("onbekende sleutel."))
    raise ValueError("not text")
"""


def test_the_check_finds_literal_sentences_and_passes_translated_ones() -> None:
    tree = ast.parse(SAMPLE)
    errors = wegwijs_errors({"sample.py": tree}) | {"PackageRefused"}
    findings = untranslated("sample.py", tree, errors)
    lines = SAMPLE.splitlines()
    flagged = sorted(lines[finding.line - 1].split("#")[-1].strip() for finding in findings)
    assert flagged == [
        "1 literal",
        "2 f-string, subclass",
        "3 format on a literal",
        "4 any raise, concatenation",
        "5 built, not raised",
    ]


@pytest.mark.parametrize(
    ("text", "sentence"),
    [("Het bestand ontbreekt.", True), ("not text", True), ("[form]", False), ("", False), (": ", False)],
)
def test_what_counts_as_a_sentence(text: str, sentence: bool) -> None:
    assert is_sentence(text) is sentence
