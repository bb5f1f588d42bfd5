"""What a screen reader says about a form field besides its name (issue 16): what to enter and in
which form, derived from the definition (type, limits, whether required, the help text), so a field
added to a definition gets a description without anyone writing one.

The type texts are interface texts (domain "wegwijs"); the help text and the scale's end labels come
from the definition and are translated through the forms catalog, as every definition text is.
"""

from __future__ import annotations

from app.forms.answers import NATIONALITY
from app.forms.schema import Check, Field, FieldType
from app.forms.texts import form_text
from app.i18n import _


def _number(value: float) -> str:
    return f"{value:g}"


def _date_form(item: Field) -> str:
    parts = [_("Datum als dag-maand-jaar, bijvoorbeeld 25-07-1997")]
    if item.partial:
        parts.append(_("een deels bekende datum mag: alleen maand en jaar (07-1997) of alleen het jaar"))
    if item.not_future:
        parts.append(_("niet in de toekomst"))
    if item.min_year is not None:
        parts.append(_("niet vóór {year}").format(year=item.min_year))
    parts.append(_("Alt+Omlaag opent de kalender"))
    return "; ".join(parts) + "."


def _number_form(item: Field) -> str:
    kind = _("Een heel getal") if item.integer else _("Een getal, decimalen mogen")
    if item.minimum is not None and item.maximum is not None:
        return _("{kind} van {low} tot en met {high}.").format(
            kind=kind, low=_number(item.minimum), high=_number(item.maximum)
        )
    if item.minimum is not None:
        return _("{kind}, minstens {low}.").format(kind=kind, low=_number(item.minimum))
    if item.maximum is not None:
        return _("{kind}, hoogstens {high}.").format(kind=kind, high=_number(item.maximum))
    return kind + "."


def _text_form(item: Field) -> str:
    if item.check is Check.BSN:
        return _("Het burgerservicenummer: 9 cijfers; spaties en punten mogen.")
    if item.check is Check.V_NUMMER:
        return _("Het V-nummer: 10 cijfers; spaties en punten mogen.")
    if item.type is FieldType.LONG_TEXT:
        text = _("Vrije tekst, meerdere regels mogen; Tab gaat naar het volgende veld.")
    else:
        text = _("Tekst op één regel.")
    if item.max_length:
        text += " " + _("Hoogstens {count} tekens.").format(count=item.max_length)
    if item.min_length:
        text += " " + _("Minstens {count} tekens.").format(count=item.min_length)
    return text


def _scale_form(item: Field) -> str:
    low, high = int(item.minimum or 1), int(item.maximum or 5)
    text = _(
        "Een cijfer van {low} tot en met {high}: typ het cijfer of gebruik de pijltjestoetsen; Backspace wist."
    ).format(low=low, high=high)
    if item.low_label and item.high_label:
        text += " " + _("{low}: {low_label}; {high}: {high_label}.").format(
            low=low, low_label=form_text(item.low_label), high=high, high_label=form_text(item.high_label)
        )
    return text


def entry_form(item: Field) -> str:
    """A group's "add" button: what one entry holds."""
    entry = form_text(item.entry_label)
    fields = ", ".join(form_text(sub.label) for sub in item.fields)
    text = _("Voegt een regel toe voor een {entry}: {fields}.").format(entry=entry.lower(), fields=fields)
    if item.minimum:
        text += " " + _("Minstens {count} nodig.").format(count=int(item.minimum))
    if item.maximum is not None:
        text += " " + _("Hoogstens {count}.").format(count=int(item.maximum))
    return text


def answer_form(item: Field) -> str:
    """What to enter and in which form, from the field's type alone."""
    kind = item.type
    if item.meaning == NATIONALITY and kind is FieldType.TEXT:
        return _("Kies een land uit de lijst; typ de eerste letters van de naam om het te vinden.")
    if kind is FieldType.DATE:
        return _date_form(item)
    if kind is FieldType.NUMBER:
        return _number_form(item)
    if kind in (FieldType.TEXT, FieldType.LONG_TEXT):
        return _text_form(item)
    if kind is FieldType.YES_NO:
        return _("Kies ja of nee; typ J of N.")
    if kind is FieldType.CHOICE:
        return _("Kies één mogelijkheid uit de lijst; typ de eerste letter om te kiezen.")
    if kind is FieldType.MULTI_CHOICE:
        return _("Aanvinken met de spatiebalk; meer dan één keuze mag.")
    if kind is FieldType.SCALE:
        return _scale_form(item)
    return entry_form(item)


def describe_field(item: Field) -> str:
    """The accessible description of a field: required or not, the form of the answer, the help."""
    required = _("Verplicht.") if item.required else _("Mag leeg blijven.")
    return " ".join(t for t in (required, answer_form(item), form_text(item.help)) if t)
