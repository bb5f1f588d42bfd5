"""The store's quick revision check (without Alembic) agrees with Alembic, and steps aside for it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.models import store as store_module
from app.models.store import MIGRATIONS_DIR, head_revisions, plain_heads


def test_the_quick_heads_are_alembics_heads() -> None:
    assert plain_heads(MIGRATIONS_DIR) == head_revisions()


def _copy_migrations(tmp_path: Path) -> Path:
    folder = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def test_a_new_revision_and_a_merge_move_the_heads_as_in_alembic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _copy_migrations(tmp_path)
    (head,) = head_revisions()
    template = 'from alembic import op\\n\\nrevision{annotation} = "{name}"\\ndown_revision = {parent!r}\\n'
    for name, parent, annotation in (
        ("9001_left", head, ""),
        ("9002_right", head, ": str"),
        ("9003_merge", ("9001_left", "9002_right"), ""),
    ):
        text = template.replace("\\n", "\n").format(name=name, parent=parent, annotation=annotation)
        (folder / "versions" / f"{name}.py").write_text(text, encoding="utf-8")
        monkeypatch.setattr(store_module, "MIGRATIONS_DIR", folder)
        assert plain_heads(folder) == head_revisions(), name
    assert plain_heads(folder) == {"9003_merge"}


def test_a_revision_file_of_another_shape_leaves_the_decision_to_alembic(tmp_path: Path) -> None:
    folder = _copy_migrations(tmp_path)
    (folder / "versions" / "9001_odd.py").write_text("revision = make_name()\n", encoding="utf-8")
    assert plain_heads(folder) is None


def test_opening_a_current_store_does_not_load_alembic(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from app.models.store import Store\n"
        "path, key = Path(sys.argv[1]), bytes(32)\n"
        "Store.create(path, key).close()\n"
        "for name in [m for m in sys.modules if m.split('.')[0] in ('alembic', 'mako')]:\n"
        "    del sys.modules[name]\n"
        "store = Store.open(path, key)\n"
        "with store.session() as session:\n"
        "    session.connection()\n"
        "store.close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'mako')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "wegwijs.db")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
