"""Babel extractor for form definitions, so every human text in a TOML definition reaches the catalog.

Used from resources/forms/babel.cfg as `[app.forms.babel_extract.extract_form_definition: **/*.toml]`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from typing import IO, Any

_TEXT_KEYS = ("title", "label", "help", "entry_label", "low_label", "high_label")


def extract_form_definition(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Mapping[str, Any]
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Yield (lineno, funcname, message, comments) as Babel expects; line numbers are looked up."""
    raw = fileobj.read()
    text = raw.decode("utf-8")
    data = tomllib.loads(text)
    lines = text.splitlines()
    for message, context in _messages(data, ""):
        yield _line_of(lines, message), None, message, [context]


def _messages(node: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        ident = node.get("id") or node.get("value")
        here = f"{path}/{ident}" if isinstance(ident, str) else path
        for key, value in node.items():
            if key in _TEXT_KEYS and isinstance(value, str) and value:
                yield value, f"{here.lstrip('/')} ({key})"
            elif isinstance(value, dict | list):
                yield from _messages(value, here)
    elif isinstance(node, list):
        for item in node:
            yield from _messages(item, path)


def _line_of(lines: list[str], message: str) -> int:
    needle = message.splitlines()[0] if message else message
    for number, line in enumerate(lines, 1):
        if needle in line:
            return number
    return 0
