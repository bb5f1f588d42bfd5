"""The text engine of the PIP document: bidi order, font fallback, shaping, no markup."""

from __future__ import annotations

import json

import pytest

from app.i18n.languages import all_languages
from app.pdf.fonts import choose_face, fonts_dir, register_fonts
from app.pdf.textlayout import BidiParagraph, GlyphLog, Span, ltr


def _line_texts(paragraph: BidiParagraph, width: float = 400) -> list[list[str]]:
    paragraph.wrap(width, 1000)
    lines = []
    for line in paragraph.lines:
        lines.append([paragraph.text[p.start : p.end] for p in line.pieces if not p.is_space and p.shaped])
    return lines


def test_every_script_of_the_languages_has_fonts_in_the_data_file() -> None:
    config = json.loads((fonts_dir() / "fonts.json").read_text(encoding="utf-8"))
    for language in all_languages():
        assert language.script in config["scripts"], language.code
    assert (fonts_dir() / "OFL.txt").read_text(encoding="utf-8").count("SIL OPEN FONT LICENSE") >= 1


def test_fonts_register_once_per_process() -> None:
    assert register_fonts() is register_fonts()


def test_latin_name_and_b1_inside_arabic_take_the_latin_font_and_read_left_to_right() -> None:
    fonts = register_fonts()
    paragraph = BidiParagraph("مسار B1 للسيدة Amal Haddad", script="Arab", rtl=True)
    [line] = _line_texts(paragraph)
    # Visual order, left to right: the last logical word comes first, Latin words keep their order.
    assert line == ["Amal", "Haddad", "للسيدة", "B1", "مسار"]
    paragraph.wrap(400, 1000)
    faces = {paragraph.text[p.start : p.end]: p.face for p in paragraph.lines[0].pieces}
    assert faces["Amal"] is fonts.primary("Latn")
    assert faces["مسار"] is fonts.primary("Arab")


def test_a_date_embedded_left_to_right_keeps_its_order_in_persian() -> None:
    bare = _line_texts(BidiParagraph("تاریخ تولد 1994-03", script="Arab", rtl=True))[0]
    kept = _line_texts(BidiParagraph(f"تاریخ تولد {ltr('1994-03')}", script="Arab", rtl=True))[0]
    # Without the embedding the bidi algorithm rightly shows '03-1994'; with it the date stays whole.
    assert "".join(bare[:3]) == "03-1994"
    assert "".join(kept).startswith("1994-03")


def test_brackets_and_colon_stay_with_an_arabic_label() -> None:
    paragraph = BidiParagraph("رقم الخدمة المدنية (BSN):\u200f 111222333", script="Arab", rtl=True)
    [line] = _line_texts(paragraph)
    assert line[0] == "111222333"
    assert line[-1] == "رقم"


def test_arabic_letters_are_shaped_into_joined_forms() -> None:
    paragraph = BidiParagraph("حداد", script="Arab", rtl=True)
    paragraph.wrap(300, 100)
    [piece] = [p for p in paragraph.lines[0].pieces]
    drawn = str(piece.shaped)
    assert drawn != "حداد"  # contextual forms, not the isolated letters
    assert len(drawn) == 4
    # HAH INITIAL FORM drawn rightmost (logical first); drawn with a code that maps back to HAH.
    glyphs = piece.face.ttf.face.charToGlyph
    assert glyphs[ord(drawn[-1])] == glyphs[0xFEA3]


def test_ethiopic_uses_the_ethiopic_font_with_latin_digits_from_the_fallback() -> None:
    fonts = register_fonts()
    paragraph = BidiParagraph("ቁጽሪ V 1234567890", script="Ethi", rtl=False)
    paragraph.wrap(300, 100)
    faces = {paragraph.text[p.start : p.end]: p.face for p in paragraph.lines[0].pieces if not p.is_space}
    assert faces["ቁጽሪ"] is fonts.primary("Ethi")
    assert faces["1234567890"] is fonts.primary("Latn")


def test_a_character_no_bundled_font_has_is_reported_missing() -> None:
    fonts = register_fonts()
    assert choose_face("中", fonts.chain("Latn"), None) is None
    log = GlyphLog()
    BidiParagraph("Naam 中", script="Latn", rtl=False, log=log).wrap(300, 100)
    assert log.missing == {"中"}


def test_every_character_drawn_is_in_the_font_that_draws_it() -> None:
    log = GlyphLog()
    text = "Zahra Ahmadi زهرا احمدی می‌کنید ኣማኑኤል ተስፋይ Şükrü Xelîl — «B1» (A2) 12٫5 ۱۲۳"
    for script, rtl in (("Latn", False), ("Arab", True), ("Ethi", False)):
        BidiParagraph(text, script=script, rtl=rtl, log=log).wrap(200, 1000)
    assert not log.missing
    faces = {face.name: face for face in register_fonts().all_faces()}
    for name, chars in log.used.items():
        uncovered = {ch for ch in chars if not faces[name].covers(ch) and not ch.isspace()}
        assert not uncovered, (name, uncovered)


def test_markup_in_user_text_is_just_text() -> None:
    text = '<font color="red">A&B</font>'
    paragraph = BidiParagraph([Span(text, bold=True)], script="Latn", rtl=False)
    paragraph.wrap(400, 100)
    assert "".join(paragraph.text[p.start : p.end] for p in paragraph.lines[0].pieces) == text


@pytest.mark.parametrize("width", [40, 120])
def test_long_words_are_broken_to_fit_the_column(width: float) -> None:
    paragraph = BidiParagraph("x" * 200 + " end", script="Latn", rtl=False)
    paragraph.wrap(width, 1000)
    assert len(paragraph.lines) > 1
    assert all(line.width <= width + 0.01 for line in paragraph.lines)


def test_a_paragraph_splits_into_two_parts_that_keep_all_lines() -> None:
    paragraph = BidiParagraph(" ".join(["woord"] * 300), script="Latn", rtl=False)
    _, height = paragraph.wrap(200, 10_000)
    total = len(paragraph.lines)
    first, rest = paragraph.split(200, height / 2)
    assert len(first.lines) + len(rest.lines) == total  # type: ignore[attr-defined]
    line_height = height / total  # every line of one face is as high
    assert rest.wrap(300, 100)[1] == pytest.approx(len(rest.lines) * line_height)  # type: ignore[attr-defined]
    assert paragraph.split(200, height + 10) == []


def _drawn(paragraph: BidiParagraph) -> str:
    """The characters as drawn left to right: right-to-left pieces reversed, brackets mirrored."""
    from bidi.mirror import MIRRORED

    paragraph.wrap(100_000, 1000)
    out = ""
    for piece in paragraph.lines[0].pieces:
        segment = paragraph.text[piece.start : piece.end]
        out += "".join(MIRRORED.get(c, c) for c in reversed(segment)) if piece.level % 2 else segment
    return out


def test_visual_order_matches_the_reference_bidi_implementation_for_every_standard_text() -> None:
    """python-bidi's Rust implementation (unicode-bidi, UAX #9 with bracket pairs) as the reference;
    brackets are compared by balance, because that implementation leaves mirroring to the renderer."""
    from bidi import get_display

    from app.pdf import texts as T

    values = dict(
        date="12 مارس 1994",
        page=1,
        pages=4,
        version=2,
        state="مسودة",
        start="1 مارس",
        end="31 أغسطس",
        parts="الكتابة",
        municipality="Gemeente X",
        heading="الإرشاد",
        name="Gemeente X",
    )
    samples = ["الاسم: أمل حداد (Amal Haddad)، الرقم V 1234567890.", "مسار (Z) و (B1) نعم"]
    for code in ("ar", "fa", "fa_AF"):
        texts = T.DocumentTexts(code)
        for message in T.ALL_TEXTS:
            if isinstance(message, T.Plural):
                samples.append(texts(message, 3, weeks=3, months=3, hours=3))
            else:
                samples.append(texts(message, **values))
    brackets = str.maketrans("", "", "()\u200f")
    for text in samples:
        drawn = _drawn(BidiParagraph(text, script="Arab", rtl=True))
        reference = get_display(text, base_dir="R")
        assert drawn.translate(brackets).strip() == reference.translate(brackets).strip(), text
        depth = 0
        for ch in drawn:
            depth += {"(": 1, ")": -1}.get(ch, 0)
            assert depth >= 0, (text, drawn)
        assert depth == 0, (text, drawn)


@pytest.mark.parametrize("code", ["nl", "fa", "fa_AF"])
def test_a_date_never_breaks_across_lines(code: str) -> None:
    import datetime as dt

    from app.i18n.languages import get_language
    from app.pdf.formatting import Formatter

    language = get_language(code)
    date = Formatter(language).date(dt.date(2026, 5, 4))
    text = f"نسخه ۲، تصویب‌شده در {date}" if language.is_rtl else f"Versie 2, vastgesteld op {date}"
    whole = BidiParagraph(text, script=language.script, rtl=language.is_rtl)
    whole.wrap(1000, 100)
    # Just too narrow for the whole line: the year alone would move to the next line.
    lines = _line_texts(
        BidiParagraph(text, script=language.script, rtl=language.is_rtl), whole.lines[0].width - 2
    )
    assert len(lines) == 2
    year = "2026" if "2026" in date else "۲۰۲۶"  # Persian and Dari print Persian digits
    with_year = next(line for line in lines if any(year in piece for piece in line))
    # The day and the month went along with the year.
    assert {ch for ch in date if ch.isalnum()} <= set("".join(with_year)), lines
