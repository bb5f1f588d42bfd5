"""Digits and month names per language and municipal setting; typed numbers in right-to-left text."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pymupdf

from app.i18n.languages import get_language
from app.pdf.document import PrintSettings
from app.pdf.formatting import Formatter
from app.pdf.render import render_pip
from app.pdf.sample import sample_document
from app.pdf.textlayout import BidiParagraph

DAY = dt.date(2026, 3, 4)


def test_persian_and_dari_print_persian_digits_unless_the_municipality_wants_western() -> None:
    for code in ("fa", "fa_AF"):
        native = Formatter(get_language(code))
        assert "۲۰۲۶" in native.date(DAY) and "2026" not in native.date(DAY)
        assert "۱۲" in native.number(12)
        western = Formatter(get_language(code), western_digits=True)
        assert "2026" in western.date(DAY) and "12" in western.number(12)
    # Arabic keeps the digits it prints today.
    assert "2026" in Formatter(get_language("ar")).date(DAY)


def test_levantine_month_names_only_when_asked_for() -> None:
    arabic = get_language("ar")
    assert "مارس" in Formatter(arabic).date(DAY)
    assert "آذار" in Formatter(arabic, levantine=True).date(DAY)
    assert "آذار" in Formatter(arabic, levantine=True).partial_date("2026-03")
    # The setting is about Arabic only.
    assert "آذار" not in Formatter(get_language("fa"), levantine=True).date(DAY)


def test_the_pdf_follows_the_settings_and_the_client_nationality(tmp_path: Path) -> None:
    document = sample_document("ar")
    syrian = replace(document, client=replace(document.client, nationality="SYR"))
    asked = replace(syrian, settings=PrintSettings(levantine_months=True))
    texts = {}
    for name, doc in {"default": syrian, "levantine": asked}.items():
        path = render_pip(doc, "ar", tmp_path / f"{name}.pdf").path
        with pymupdf.open(path) as pdf:
            texts[name] = "".join(page.get_text() for page in pdf)
    days = [document.leerroute.period_end, document.pvt.planned_by, *document.monitoring.planned_meetings]
    levantine = Formatter(get_language("ar"), levantine=True)
    months = {levantine.date(day).split("\u00a0")[1] for day in days if day is not None}
    assert months and all(month in texts["levantine"] for month in months)
    assert not any(month in texts["default"] for month in months)
    levantine_month = sorted(months)[0]
    eritrean = replace(asked, client=replace(asked.client, nationality="ERI"))
    path = render_pip(eritrean, "ar", tmp_path / "eri.pdf").path
    with pymupdf.open(path) as pdf:
        assert levantine_month not in "".join(page.get_text() for page in pdf)


def _visual_texts(paragraph: BidiParagraph) -> list[str]:
    paragraph.wrap(400, 100)
    return [piece.text for piece in paragraph.lines[0].pieces if piece.text.strip()]


def test_typed_phone_numbers_and_dates_keep_their_order_in_arabic() -> None:
    formatter = Formatter(get_language("ar"))
    for typed in ("06-12345678", "12-03-2026"):
        sentence = f"اتصل بالرقم {typed} من فضلك"
        plain = _visual_texts(BidiParagraph(sentence, script="Arab", rtl=True))
        kept = _visual_texts(BidiParagraph(formatter.keep_numbers(sentence), script="Arab", rtl=True))
        # Without the embedding the bidi algorithm rightly shows the parts in reverse order.
        assert typed not in "".join(plain)
        assert typed in "".join(kept)
