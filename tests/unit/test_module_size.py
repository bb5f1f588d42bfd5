"""No module of app/ grows past 600 lines (the architecture brief): split by use case before that."""

from __future__ import annotations

from import_graph import APP

LIMIT = 600


def test_no_module_in_app_is_over_600_lines() -> None:
    sizes = {path: len(path.read_text(encoding="utf-8").splitlines()) for path in APP.rglob("*.py")}
    assert len(sizes) > 50, "the size test found almost no modules"
    too_long = sorted(
        f"{path.relative_to(APP.parent)}: {lines}" for path, lines in sizes.items() if lines > LIMIT
    )
    assert not too_long, "modules over 600 lines:\n" + "\n".join(too_long)
