"""Dates, numbers and lists in the locale of one column, through Babel (CLDR)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from babel.dates import format_date, format_skeleton
from babel.lists import format_list
from babel.numbers import format_decimal

from app.domain.dates import InvalidDate, PartialDate
from app.i18n.languages import Language
from app.pdf.textlayout import ltr

_STRONG_RTL = frozenset({"R", "AL"})


# Persian and Dari write Extended Arabic-Indic digits (CLDR's "arabext"); Babel formats the
# separators of a numbering system but leaves the digits Western, so they are mapped here.
_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_NATIVE_DIGITS = {"fa": _PERSIAN_DIGITS, "fa_AF": _PERSIAN_DIGITS}
# A number a person typed (a phone number, a date) keeps its left-to-right order in right-to-left
# text: digits joined by - / . : or a single space.
_TYPED_NUMBER = re.compile(r"\+?\d+(?:[-/.:\u00a0 ]\d+)+")


class Formatter:
    def __init__(self, language: Language, *, western_digits: bool = False, levantine: bool = False) -> None:
        self.language = language
        self.locale = language.babel_locale
        self._digits = None if western_digits else _NATIVE_DIGITS.get(language.code)
        # Babel's ar_SY has the Levantine month names (كانون الثاني، شباط، آذار …).
        self.date_locale = "ar_SY" if levantine and language.code == "ar" else self.locale

    def digits(self, text: str) -> str:
        """Formatted numbers in the language's own digits (Persian ۱۲۳ for fa and fa_AF)."""
        return text.translate(self._digits) if self._digits else text

    def keep_numbers(self, text: str) -> str:
        """Typed numbers kept left to right inside right-to-left text (bidi rule W2 would make
        "06-12345678" after Arabic letters read "12345678-06")."""
        if not self.language.is_rtl:
            return text
        return _TYPED_NUMBER.sub(lambda match: ltr(match.group(0)), text)

    def ltr(self, text: str) -> str:
        """Keep a left-to-right value (V-nummer, Latin name, '1994') whole inside right-to-left text."""
        if not self.language.is_rtl or not text:
            return text
        if any(unicodedata.bidirectional(ch) in _STRONG_RTL for ch in text):
            return text
        return ltr(text)

    def date(self, day: dt.date) -> str:
        return self.ltr(self.digits(_unbroken(format_date(day, "long", locale=self.date_locale))))

    def partial_date(self, text: str) -> str:
        """A birth date that may be only a year or a year and month: printed as much as is known."""
        try:
            partial = PartialDate.parse(text)
        except InvalidDate:
            return self.ltr(text)
        if partial.month is None:
            return self.ltr(self.digits(format_skeleton("y", partial.earliest(), locale=self.date_locale)))
        if partial.day is None:
            month = format_skeleton("yMMMM", partial.earliest(), locale=self.date_locale)
            return self.ltr(self.digits(_unbroken(month)))
        return self.date(partial.earliest())

    def number(self, value: int) -> str:
        return self.ltr(self.digits(format_decimal(value, locale=self.locale)))

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
