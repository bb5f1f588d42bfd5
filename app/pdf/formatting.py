"""Dates, numbers and lists in the locale of one column, through Babel (CLDR)."""

from __future__ import annotations

import datetime as dt
import unicodedata

from babel.dates import format_date, format_skeleton
from babel.lists import format_list
from babel.numbers import format_decimal

from app.domain.dates import InvalidDate, PartialDate
from app.i18n.languages import Language
from app.pdf.textlayout import ltr

_STRONG_RTL = frozenset({"R", "AL"})


class Formatter:
    def __init__(self, language: Language) -> None:
        self.language = language
        self.locale = language.babel_locale

    def ltr(self, text: str) -> str:
        """Keep a left-to-right value (V-nummer, Latin name, '1994') whole inside right-to-left text."""
        if not self.language.is_rtl or not text:
            return text
        if any(unicodedata.bidirectional(ch) in _STRONG_RTL for ch in text):
            return text
        return ltr(text)

    def date(self, day: dt.date) -> str:
        return self.ltr(_unbroken(format_date(day, "long", locale=self.locale)))

    def partial_date(self, text: str) -> str:
        """A birth date that may be only a year or a year and month: printed as much as is known."""
        try:
            partial = PartialDate.parse(text)
        except InvalidDate:
            return self.ltr(text)
        if partial.month is None:
            return self.ltr(format_skeleton("y", partial.earliest(), locale=self.locale))
        if partial.day is None:
            return self.ltr(_unbroken(format_skeleton("yMMMM", partial.earliest(), locale=self.locale)))
        return self.date(partial.earliest())

    def number(self, value: int) -> str:
        return self.ltr(format_decimal(value, locale=self.locale))

    def join(self, items: list[str]) -> str:
        if not items:
            return ""
        try:
            return format_list(items, locale=self.locale)
        except (ValueError, KeyError):
            return ", ".join(items)


def _unbroken(text: str) -> str:
    """No-break spaces inside a date, so a line never ends between '4 mei' and '2026'."""
    return text.replace(" ", "\u00a0")
