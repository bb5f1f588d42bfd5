"""What a screen reader says about a PIP field besides its name (issue 16): what the part is for,
then what to enter and in which form, the form following from the kind of widget, so a field added
to the editor through `PipFormSections._bind` is described without anyone writing a text for it."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from app.i18n import N_, _
from app.ui.pip.fields import DateField, DateListField, MultiChoice

# What some fields are for, where the name alone does not say it (keys of a snapshot's values).
PURPOSE = {
    "leerroute": N_("De leerroute die in dit PIP wordt afgesproken; het advies uit de intake staat ernaast."),
    "text.einddoel": N_("Wat de inburgeraar aan het eind van de route bereikt heeft, in gewone woorden."),
    "text.onderbouwing": N_("Waarom deze leerroute past; bij afwijken van het advies ook waarom."),
    "text.duaal": N_("Alleen in de B1-route: welk (vrijwilligers)werk of welke opleiding naast de taal."),
    "text.reden": N_("Vanaf versie 2: waarom er een nieuwe versie van het PIP komt."),
    "period_months": N_("Hoe lang de leerroute duurt."),
    "progress_interval_months": N_("Om de hoeveel maanden er een voortgangsgesprek is."),
    "planned_meetings": N_("De data van de geplande voortgangsgesprekken."),
    "begeleiding_by": N_("De organisatie of persoon die de maatschappelijke begeleiding geeft."),
    "taalschool": N_("De naam van de taalschool."),
    "interpreter_name": N_("De naam van de tolk bij het gesprek over dit PIP."),
    "interpreter_register": N_("Het nummer van de tolk in het Register beëdigde tolken en vertalers."),
    "agreements": N_("De afspraken met de inburgeraar, elk met wie, uiterlijk wanneer en de status."),
}


def date_form() -> str:
    return _("Datum als dag-maand-jaar, bijvoorbeeld 25-07-2025; leeg betekent nog niet bekend.")


def form_of(widget: QWidget) -> str:
    """What to enter and in which form, from the kind of widget (PIP fields are never partial)."""
    if isinstance(widget, DateField):
        return date_form()
    if isinstance(widget, DateListField):
        return _(
            "Een of meer data als dag-maand-jaar, gescheiden door komma's, bijvoorbeeld 01-09-2025, 01-12-2025."
        )
    if isinstance(widget, QSpinBox):
        return _(
            "Een heel getal tot en met {high}{suffix}; pijltjestoetsen verhogen en verlagen, 0 (—) is niet ingevuld."
        ).format(high=widget.maximum(), suffix=widget.suffix())
    if isinstance(widget, QPlainTextEdit):
        return _(
            "Vrije tekst in het Nederlands, meerdere regels mogen; de vertaling volgt. Tab gaat naar het volgende veld."
        )
    if isinstance(widget, QLineEdit):
        return _("Tekst op één regel.")
    if isinstance(widget, QCheckBox):
        return _("Aanvinken met de spatiebalk als dit van toepassing is.")
    if isinstance(widget, QComboBox):
        return _("Kies één mogelijkheid uit de lijst met de pijltjestoetsen of de eerste letter.")
    if isinstance(widget, MultiChoice):
        return _("Aanvinken met de spatiebalk; meer dan één keuze mag.")
    return _("Per afspraak een regel: typ in de cel of druk F2; de datum als dag-maand-jaar.")


def describe(key: str, widget: QWidget) -> str:
    purpose = PURPOSE.get(key)
    return " ".join(t for t in (_(purpose) if purpose else "", form_of(widget)) if t)


def set_description(key: str, widget: QWidget) -> None:
    """On the widget, and on each box of a multiple choice (each is its own focus stop)."""
    text = describe(key, widget)
    widget.setAccessibleDescription(text)
    if isinstance(widget, MultiChoice):
        for box in widget.boxes.values():
            box.setAccessibleDescription(text)
