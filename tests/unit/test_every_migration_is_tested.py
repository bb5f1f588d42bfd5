"""Every Alembic revision has a test of its own that upgrades through it (as Picard does for its
settings upgrades): a test here fails when a new revision arrives without one."""

from __future__ import annotations

from pathlib import Path

from alembic.script import ScriptDirectory

from app.models.store import alembic_config

TESTS = Path(__file__).resolve().parent.parent


def test_every_revision_is_named_by_a_test() -> None:
    revisions = [script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()]
    assert revisions, "no migrations found"
    test_texts = [
        path.read_text(encoding="utf-8")
        for path in TESTS.rglob("test_*.py")
        if path.resolve() != Path(__file__).resolve()
    ]
    untested = [rev for rev in revisions if not any(f'"{rev}"' in text for text in test_texts)]
    assert not untested, f"revisions without a migration test: {untested}"


def test_history_is_one_line() -> None:
    """One head and no branches: a store's upgrade path is the same on every machine."""
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1, (
        f"several heads: {script.get_heads()}; give new revisions the newest as parent"
    )
    for revision in script.walk_revisions():
        assert not revision.is_merge_point, revision.revision
