"""Fixed texts of the PIP whose translation no interpreter has checked yet (issue 19).

The shipped "pip" catalogs of six languages are first translations, marked `fuzzy` in gettext. They
print (better than Dutch for the reader), but a legal decision must say that they are unchecked:
`TrackedTexts` records which fixed texts the translated side of one document used, and the page
footer (app/pdf/page.py) prints `texts.UNREVIEWED_NOTICE` in that language and in Dutch when one of
them is unreviewed. A text approved in the reviewed layer (app/i18n/review_layer.py) counts as
checked at once, so the notice disappears once every text the document uses is reviewed.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.colors import HexColor

from app.i18n import shipped_po
from app.i18n.layers import active_layer
from app.pdf import texts as T
from app.resources import translations_dir

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

    from app.pdf.side import Side

NOTICE = HexColor("#8a4b00")  # the colour of the document's other 'translation' notes

Key = tuple[str | None, str]  # (msgctxt, msgid), as app.i18n.layers keys them


def message_key(message: T.Msg) -> Key:
    if isinstance(message, T.Plural):
        return (None, message.singular)
    if isinstance(message, tuple):
        return (message[0], message[1])
    return (None, message)


def _catalog_path(language: str) -> Path:
    return translations_dir() / language / "LC_MESSAGES" / f"{T.PIP_DOMAIN}.po"


@lru_cache(maxsize=32)
def _shipped_unreviewed(language: str, mtime_ns: int) -> frozenset[Key]:
    """Entries of the shipped catalog that are translated but fuzzy, or carried over from an older
    Dutch text (`#| msgid`): the same rule as the review screen's "niet beoordeeld"/"verouderd"."""
    found = set()
    for message in shipped_po(_catalog_path(language)):
        if not message.id:
            continue
        forms = (message.string,) if isinstance(message.string, str) else tuple(message.string or ())
        if not forms or not all(form.strip() for form in forms):
            continue  # untranslated: printed in Dutch, not as an unchecked translation
        if message.fuzzy or message.previous_id:
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            found.add((message.context, msgid))
    return frozenset(found)


def unreviewed_keys(language: str) -> frozenset[Key]:
    """The fixed texts of `language` that print unchecked now (the reviewed layer taken into account)."""
    if language == "nl":
        return frozenset()
    path = _catalog_path(language)
    if not path.exists():
        return frozenset()
    shipped = _shipped_unreviewed(language, path.stat().st_mtime_ns)
    layer = active_layer(T.PIP_DOMAIN, language)
    if layer is None:
        return shipped
    return frozenset(key for key in shipped if layer.lookup(*key) is None)


def unreviewed_texts(language: str, messages: tuple[T.Msg, ...] = T.ALL_TEXTS) -> list[str]:
    """The Dutch source of each of `messages` that would print as an unchecked translation."""
    keys = unreviewed_keys(language)
    return [message_key(m)[1] for m in messages if message_key(m) in keys]


class TrackedTexts:
    """A `texts.DocumentTexts` that remembers which fixed texts it gave out (one document)."""

    def __init__(self, texts: T.DocumentTexts) -> None:
        self._texts = texts
        self.code = texts.code
        self._used: set[Key] = set()
        self._lock = threading.Lock()

    def __call__(self, message: T.Msg, count: int | None = None, /, **values: object) -> str:
        with self._lock:
            self._used.add(message_key(message))
        return self._texts(message, count, **values)

    @property
    def uses_unreviewed(self) -> bool:
        """Whether any text given out so far prints as an unchecked translation."""
        with self._lock:
            used = set(self._used)
        return bool(used & unreviewed_keys(self.code))


def unreviewed_notice(
    canvas: Canvas, nl: Side, tr: Side | None, left: float, width: float, bottom: float
) -> None:
    """Just above the footer's rule (lines standing on `bottom`): the notice in Dutch (left half) and
    in the translation (right half), when the translated side of this document used an unchecked
    fixed text. The footer is drawn after the whole document is laid out, so every text of every
    page has been asked for by then. style.FOOTER_HEIGHT leaves room for two lines."""
    if tr is None or not isinstance(tr.t, TrackedTexts) or not tr.t.uses_unreviewed:
        return
    half = width / 2
    for side, x, align in ((nl, left, "left"), (tr, left + half + 2, "right")):
        paragraph = side.para(side.t(T.UNREVIEWED_NOTICE), size=7, color=NOTICE, after=0, align=align)
        paragraph.wrap(half - 2, 1000)
        paragraph.drawOn(canvas, x, bottom)
