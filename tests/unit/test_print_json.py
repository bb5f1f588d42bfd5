"""print_json: one JSON document; compact into a pipe, indented at a terminal, the same content."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest

from app.commands import print_json

DOCUMENT = {"cliënten": [{"naam": "Şêrko Ahmadi", "naam_origineel": "شێرکۆ", "op": dt.date(2026, 3, 1)}]}


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_into_a_pipe_it_is_one_compact_line_with_the_same_content(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    print_json(DOCUMENT)
    text = out.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")
    assert json.loads(text) == {
        "cliënten": [{"naam": "Şêrko Ahmadi", "naam_origineel": "شێرکۆ", "op": "2026-03-01"}]
    }
    assert "شێرکۆ" in text  # not escaped: readable in any UTF-8 viewer


def test_at_a_terminal_it_is_indented(monkeypatch: pytest.MonkeyPatch) -> None:
    out = _Terminal()
    monkeypatch.setattr("sys.stdout", out)
    print_json(DOCUMENT)
    assert '\n  "cliënten": [\n' in out.getvalue()
    assert json.loads(out.getvalue())["cliënten"][0]["op"] == "2026-03-01"
