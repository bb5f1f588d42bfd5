"""Placeholder, script and .po checks of the interpreter review, and the reviewed layer over catalogs."""

from __future__ import annotations

import gettext
from collections.abc import Iterator

import pytest

from app.i18n import load_catalog
from app.i18n.layers import LayeredTranslations, LayerEntries, clear_layers, set_layer
from app.i18n.po_checks import (
    PlaceholderError,
    PoSyntaxError,
    check_placeholders,
    placeholder_problem,
    placeholders,
    read_po_strictly,
    script_warning,
)
from app.i18n.review_layer import ReviewStatus, StandardText


@pytest.fixture(autouse=True)
def no_layers() -> Iterator[None]:
    clear_layers()
    yield
    clear_layers()


def test_placeholders_are_read_in_every_style() -> None:
    found = placeholders("%(name)s op {date} en {date:%d-%m}, %s of %d; 100%% {{letterlijk}}")
    assert found == {"%(name)s": 1, "{date}": 2, "%s": 1, "%d": 1}


@pytest.mark.parametrize(
    ("source", "translation", "named"),
    [
        ("Welkom, %(name)s.", "مرحبا.", "%(name)s"),
        ("Vastgesteld op {date}", "تم الاعتماد", "{date}"),
        ("Nog %s dagen", "باقي أيام", "%s"),
    ],
)
def test_a_dropped_placeholder_is_refused_by_name(source: str, translation: str, named: str) -> None:
    with pytest.raises(PlaceholderError) as error:
        check_placeholders([source], [translation])
    message = str(error.value)
    assert named in message and message.endswith(".") and message.count(". ") == 0


def test_a_renamed_or_extra_placeholder_is_refused_by_name() -> None:
    renamed = placeholder_problem(["Vastgesteld op {date}"], "تم الاعتماد في {datum}")
    assert renamed is not None and "{datum}" in renamed and "{date}" in renamed
    extra = placeholder_problem(["Vastgesteld"], "تم {date}")
    assert extra is not None and "{date}" in extra


def test_good_translations_pass() -> None:
    assert placeholder_problem(["Pagina {page} van {pages}"], "الصفحة {pages} / {page}") is None
    assert placeholder_problem(["{date:%d}"], "{date}") is None
    assert placeholder_problem(["Geen"], "") is None  # empty is checked elsewhere
    # Plural forms may name the singular's or the plural's placeholders.
    check_placeholders(["{n} dag", "{n} dagen"], ["يوم واحد {n}", "{n} أيام", "{n} يومًا"])


@pytest.mark.parametrize(
    ("text", "language", "warned"),
    [
        ("Dutch at B1 level", "ar", True),
        ("الهولندية بمستوى B1 مع Rania Haddad", "ar", False),
        ("ደረጃ B1", "ti", False),
        ("Level B1 in Dutch", "ti", True),
        ("فارسی", "fa_AF", False),
        ("Türkçe metin", "tr", False),
        ("مرحبا", "en", True),
        ("2025-03-03 B1", "ar", True),
        ("2025-03-03", "ar", False),
        ("{date}", "ar", False),
    ],
)
def test_wrong_script_is_a_warning(text: str, language: str, warned: bool) -> None:
    warning = script_warning(text, language)
    assert (warning is not None) is warned
    if warning:
        assert warning.startswith("Let op") and warning.endswith(".")


GOOD_PO = """msgid ""
msgstr ""
"Language: ar\\n"

#. Einddoel
#, fuzzy
msgctxt "einddoel"
msgid "Werk"
msgstr "عمل"
""".encode()


def test_a_good_po_is_read() -> None:
    catalog = read_po_strictly(GOOD_PO)
    message = catalog.get("Werk", context="einddoel")
    assert message is not None and message.string == "عمل" and message.fuzzy


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (GOOD_PO.replace(b'msgstr "\xd8\xb9', b"msgstr \xd8\xb9"), 9),
        (GOOD_PO.replace(b'msgid "Werk"', b'msgid "Werk'), 8),
        (GOOD_PO.replace(b"#. Einddoel", b"Einddoel"), 5),
        (GOOD_PO.replace(b"msgctxt", b"msgcontext"), 7),
        (GOOD_PO.replace(b"\xd8\xb9", b"\xff"), 9),
        (GOOD_PO + b'\nmsgid "Zonder vertaling"\n\nmsgid "Nog een"\nmsgstr ""\n', 11),
    ],
)
def test_a_malformed_po_names_the_line(data: bytes, line: int) -> None:
    with pytest.raises(PoSyntaxError) as error:
        read_po_strictly(data)
    assert error.value.line == line
    assert f"regel {line}" in str(error.value) and "niets veranderd" in str(error.value)


def test_the_layer_comes_before_the_shipped_catalog_also_when_cached() -> None:
    catalog = load_catalog("pip", "ar")  # cached: the PDF keeps this object
    shipped = catalog.gettext("Pagina {page} van {pages}")
    assert shipped and shipped != "Pagina {page} van {pages}"
    set_layer(
        "pip", "ar", LayerEntries({(None, "Pagina {page} van {pages}"): ("صفحة {page} من أصل {pages}",)})
    )
    assert catalog.gettext("Pagina {page} van {pages}") == "صفحة {page} من أصل {pages}"
    assert load_catalog("pip", "ti").gettext("Pagina {page} van {pages}") != "صفحة {page} من أصل {pages}"
    clear_layers()
    assert catalog.gettext("Pagina {page} van {pages}") == shipped


def test_layer_plural_and_context() -> None:
    base = gettext.NullTranslations()
    layered = LayeredTranslations("pip", "ar", base)
    set_layer(
        "pip",
        "ar",
        LayerEntries(
            {(None, "{n} dag"): ("a {n}", "b {n}", "c {n}"), ("status", "open"): ("مفتوح",)},
            plural=lambda n: min(n, 2),
        ),
    )
    assert [layered.ngettext("{n} dag", "{n} dagen", n) for n in (0, 1, 5)] == ["a {n}", "b {n}", "c {n}"]
    assert layered.pgettext("status", "open") == "مفتوح"
    assert layered.gettext("open") == "open"  # no context: not the layer's entry
    assert layered.npgettext("x", "{n} dag", "{n} dagen", 2) == "{n} dagen"


def test_standard_text_states() -> None:
    def text(**values: object) -> StandardText:
        base: dict[str, object] = dict(
            domain="pip", language="ar", context=None, msgid="Afspraken", msgid_plural=None, shipped=("x",)
        )
        base.update(values)
        return StandardText(shipped_fuzzy=bool(base.pop("fuzzy", True)), **base)  # type: ignore[arg-type]

    assert text(shipped=()).status is ReviewStatus.NOT_TRANSLATED
    assert text(shipped=("",)).status is ReviewStatus.NOT_TRANSLATED
    assert text().status is ReviewStatus.NOT_REVIEWED
    assert text(fuzzy=False).status is ReviewStatus.REVIEWED
    assert text(outdated=True).status is ReviewStatus.OUTDATED  # carried over from an older Dutch text
    assert text(outdated=True, reviewed=("y",)).status is ReviewStatus.REVIEWED
    assert text(reviewed=("y",)).translation == ("y",)
