"""Whether a written reason says anything at all.

An onderbouwing, a reason for schakelen, an extension or a send-back must be words: whitespace,
invisible characters (a zero-width space pasted from a chat) or punctuation alone are no reason.
"""

from __future__ import annotations


def has_words(text: str | None) -> bool:
    """True when the text holds at least one letter or digit (in any script)."""
    return any(ch.isalnum() for ch in text or "")
