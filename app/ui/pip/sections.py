"""The sections of the PIP form: every part the law requires, each field bound to a snapshot key.

A mixin of PipEditor, kept apart so each module stays readable; it only builds widgets and bindings.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import Leerroute
from app.domain.pip_lifecycle import ROUTE_LABELS, ExamPart
from app.i18n import _
from app.services.pip import (
    AGREEMENT_STATUS_LABELS,
    FIXED_COST_LABELS,
    ONTZORGEN_FORM_LABELS,
    TEXT_PART_LABELS,
    PipService,
    TextPart,
    text_key,
)
from app.services.pip.progress import ProgressService
from app.ui.pip.descriptions import set_description
from app.ui.pip.fields import (
    AgreementsTable,
    Binding,
    DateField,
    DateListField,
    MultiChoice,
    agreements_binding,
    check_binding,
    choice_combo,
    combo_binding,
    date_binding,
    date_list_binding,
    hint_label,
    line_binding,
    multi_binding,
    optional_spin,
    spin_binding,
    text_binding,
)
from app.ui.pip.progress_panel import ProgressPanel


class PipFormSections:
    """Builds the form into `self.form`; PipEditor provides `_user_changed`."""

    form: QVBoxLayout
    bindings: dict[str, Binding]
    notes: dict[TextPart, QLabel]
    route_combo: QComboBox
    deviation_hint: QLabel
    advice_route: QLabel
    advice_text: QLabel
    ontzorgen_box: QWidget | None
    agreements: AgreementsTable
    sign_client: QCheckBox
    sign_km: QCheckBox
    sign_interpreter: QCheckBox

    asylum_only_rows: list[tuple[QFormLayout, QWidget]]
    duaal_row: tuple[QFormLayout, QWidget]
    # Each part's box with its key (app/domain/pip_lifecycle.py PLAN_SECTIONS, and "signing").
    part_boxes: list[tuple[str, QGroupBox]]
    progress_panel: ProgressPanel
    service: PipService
    client_id: uuid.UUID
    today: Callable[[], dt.date]

    def _user_changed(self, binding: Binding) -> None:
        raise NotImplementedError

    def show_message(self, text: str) -> None:
        raise NotImplementedError

    def _group(self, title: str, part: str) -> QFormLayout:
        box = QGroupBox(title)
        self.part_boxes.append((part, box))
        layout = QFormLayout(box)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.addWidget(box)
        return layout

    def _bind(self, binding: Binding, signal: Any, name: str, accessible: str) -> QWidget:
        binding.widget.setObjectName(name)
        binding.widget.setAccessibleName(accessible)
        set_description(binding.key, binding.widget)
        self.bindings[binding.key] = binding
        signal.connect(lambda *_args, b=binding: self._user_changed(b))
        return binding.widget

    def _text(self, part: TextPart, rows: int = 3) -> QWidget:
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(22 * rows + 12)
        label = _(TEXT_PART_LABELS[part])
        self._bind(text_binding(text_key(part), edit), edit.textChanged, f"pipText_{part.value}", label)
        note = hint_label()
        note.setObjectName(f"pipTranslation_{part.value}")
        self.notes[part] = note
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(edit)
        column.addWidget(note)
        return holder

    def _line(self, key: str, name: str, label: str) -> QLineEdit:
        edit = QLineEdit()
        self._bind(line_binding(key, edit), edit.textChanged, name, label)
        return edit

    def _check(self, key: str, name: str, label: str) -> QCheckBox:
        box = QCheckBox(label)
        self._bind(check_binding(key, box), box.toggled, name, label)
        return box

    def _spin(self, key: str, name: str, label: str, maximum: int, suffix: str) -> QWidget:
        spin = optional_spin(maximum, suffix)
        return self._bind(spin_binding(key, spin), spin.valueChanged, name, label)

    def _date(self, key: str, name: str, label: str) -> QWidget:
        field = DateField()
        return self._bind(date_binding(key, field), field.textChanged, name, label)

    def _combo(self, key: str, name: str, label: str, options: list[tuple[str | None, str]]) -> QComboBox:
        combo = choice_combo(options)
        self._bind(combo_binding(key, combo), combo.currentIndexChanged, name, label)
        return combo

    def _build_route(self) -> None:
        box = QGroupBox(_("Leerroute: advies en keuze"))
        self.part_boxes.append(("route", box))
        row = QHBoxLayout(box)
        advice = QGroupBox(_("Advies uit de brede intake"))
        advice_layout = QVBoxLayout(advice)
        self.advice_route = QLabel()
        self.advice_route.setObjectName("pipAdvisedRoute")
        self.advice_route.setStyleSheet("font-weight: 600;")
        self.advice_text = hint_label()
        self.advice_text.setObjectName("pipAdviceText")
        advice_layout.addWidget(self.advice_route)
        advice_layout.addWidget(self.advice_text)
        advice_layout.addStretch(1)
        choice = QGroupBox(_("Keuze in dit PIP"))
        layout = QFormLayout(choice)
        routes: list[tuple[str | None, str]] = [(None, _("— kies —"))]
        routes += [(route.value, _(ROUTE_LABELS[route])) for route in Leerroute]
        self.route_combo = self._combo("leerroute", "pipRoute", _("Leerroute"), routes)
        layout.addRow(_("Leerroute"), self.route_combo)
        self.deviation_hint = QLabel()
        self.deviation_hint.setObjectName("pipDeviation")
        self.deviation_hint.setWordWrap(True)
        self.deviation_hint.setStyleSheet("color: #7a4b00; font-weight: 600;")
        layout.addRow(self.deviation_hint)
        layout.addRow(_("Einddoel"), self._text(TextPart.FINAL_GOAL, 2))
        layout.addRow(
            _("Termijn"), self._spin("period_months", "pipPeriod", _("Termijn"), 120, _(" maanden"))
        )
        layout.addRow(_("Onderbouwing"), self._text(TextPart.ONDERBOUWING, 3))
        # Duaal (language and work or school at the same time) exists only in the B1 route.
        self.duaal_row = (layout, self._text(TextPart.DUAAL, 2))
        layout.addRow(_("Duaal"), self.duaal_row[1])
        row.addWidget(advice, 2)
        row.addWidget(choice, 3)
        self.form.addWidget(box)

    def _build_support(self) -> None:
        form = self._group(_("Begeleiding, ondersteuning en randvoorwaarden"), "support")
        form.addRow(_("Begeleiding"), self._text(TextPart.GUIDANCE))
        # Maatschappelijke begeleiding is for asylum statushouders only; the editor hides these rows
        # for gezinsmigranten (see asylum_only_rows).
        check = self._check(
            "maatschappelijke_begeleiding", "pipMaatschappelijk", _("Maatschappelijke begeleiding")
        )
        by = self._line("begeleiding_by", "pipBegeleidingBy", _("Begeleiding door"))
        text = self._text(TextPart.MAATSCHAPPELIJKE_BEGELEIDING, 2)
        form.addRow("", check)
        form.addRow(_("Door"), by)
        form.addRow(_("Afspraken begeleiding"), text)
        self.asylum_only_rows = [(form, check), (form, by), (form, text)]
        form.addRow("", self._check("childcare_needed", "pipChildcare", _("Kinderopvang nodig")))
        form.addRow(_("Randvoorwaarden"), self._text(TextPart.PRECONDITIONS, 2))

    def _build_map_pvt(self) -> None:
        form = self._group(_("MAP en participatieverklaring"), "map_pvt")
        form.addRow(_("MAP"), self._spin("map_hours", "pipMapHours", _("MAP-uren"), 2000, _(" uur")))
        form.addRow(
            _("Praktijkdeel"),
            self._spin("map_practical_hours", "pipMapPractical", _("Praktijkdeel MAP"), 2000, _(" uur")),
        )
        form.addRow(_("Invulling MAP"), self._text(TextPart.MAP, 2))
        form.addRow(_("Praktijkdeel MAP"), self._text(TextPart.MAP_PRACTICAL, 2))
        form.addRow(_("PVT"), self._spin("pvt_hours", "pipPvtHours", _("PVT-uren"), 500, _(" uur")))
        form.addRow(_("PVT gereed vóór"), self._date("pvt_planned_by", "pipPvtDate", _("PVT gereed vóór")))
        form.addRow(_("Invulling PVT"), self._text(TextPart.PVT, 2))

    def _build_ontzorgen_afschalen(self) -> None:
        form = self._group(_("Ontzorgen (asielstatushouders)"), "ontzorgen")
        self.ontzorgen_box = form.parentWidget()
        form.addRow("", self._check("ontzorgen", "pipOntzorgen", _("Ontzorgen is van toepassing")))
        costs = MultiChoice([(c.value, _(label)) for c, label in FIXED_COST_LABELS.items()])
        form.addRow(
            _("Vaste lasten"),
            self._bind(multi_binding("ontzorgen_costs", costs), costs.changed, "pipCosts", _("Vaste lasten")),
        )
        form.addRow(_("Van"), self._date("ontzorgen_start", "pipOntzorgenStart", _("Ontzorgen van")))
        form.addRow(
            _("Tot en met"), self._date("ontzorgen_end", "pipOntzorgenEnd", _("Ontzorgen tot en met"))
        )
        options: list[tuple[str | None, str]] = [(None, "—")]
        options += [(f.value, _(label)) for f, label in ONTZORGEN_FORM_LABELS.items()]
        form.addRow(_("Vorm"), self._combo("ontzorgen_form", "pipOntzorgenForm", _("Vorm"), options))
        form.addRow(_("Toelichting"), self._text(TextPart.ONTZORGEN, 2))
        form.addRow(_("Financiële training"), self._text(TextPart.FINANCIAL_TRAINING, 2))

        form = self._group(_("Afschalen"), "afschalen")
        form.addRow("", self._check("afschalen", "pipAfschalen", _("Afschalen naar A2 is van toepassing")))
        parts = MultiChoice([(p.value, p.value) for p in ExamPart])
        form.addRow(
            _("Examenonderdelen"),
            self._bind(
                multi_binding("afschalen_parts", parts),
                parts.changed,
                "pipAfschalenParts",
                _("Examenonderdelen"),
            ),
        )
        form.addRow(
            _("Duur"), self._spin("afschalen_months", "pipAfschalenMonths", _("Duur"), 60, _(" maanden"))
        )
        form.addRow(_("Toelichting"), self._text(TextPart.AFSCHALEN, 2))

    def _build_monitoring(self) -> None:
        form = self._group(_("Voortgang, taalschool en afspraken"), "progress")
        form.addRow(
            _("Voortgangsgesprek elke"),
            self._spin("progress_interval_months", "pipInterval", _("Interval"), 24, _(" maanden")),
        )
        planned = DateListField()
        form.addRow(
            _("Geplande gesprekken"),
            self._bind(
                date_list_binding("planned_meetings", planned),
                planned.textChanged,
                "pipPlannedMeetings",
                _("Geplande voortgangsgesprekken"),
            ),
        )
        form.addRow(_("Monitoring"), self._text(TextPart.MONITORING, 2))
        form.addRow(_("Taalschool"), self._line("taalschool", "pipTaalschool", _("Taalschool")))
        form.addRow(_("Afspraken taalschool"), self._text(TextPart.TAALSCHOOL, 2))
        statuses = [(s.value, _(label)) for s, label in AGREEMENT_STATUS_LABELS.items()]
        table = AgreementsTable(statuses)
        self.agreements = table
        form.addRow(
            _("Afspraken"),
            self._bind(
                agreements_binding("agreements", table), table.changed, "pipAgreementsBox", _("Afspraken")
            ),
        )
        form.addRow(_("Opmerkingen"), self._text(TextPart.REMARKS, 2))
        form.addRow(_("Reden nieuwe versie"), self._text(TextPart.REASON, 2))
        # Progress belongs to the whole term, not to this version: recorded on an adopted PIP too,
        # without a new version (app/ui/pip/progress_panel.py).
        pips = self.service
        progress = ProgressService(pips.store, pips.actor, pips.role, pips.settings)
        self.progress_panel = ProgressPanel(progress, self.client_id, self.today, self.show_message)
        self.form.addWidget(self.progress_panel)

    def _build_signing(self) -> None:
        form = self._group(_("Gesprek en ondertekening"), "signing")
        form.addRow("", self._check("interpreter_present", "pipInterpreterPresent", _("Tolk aanwezig")))
        form.addRow(_("Tolk"), self._line("interpreter_name", "pipInterpreterName", _("Naam tolk")))
        form.addRow(
            _("Registernummer"),
            self._line("interpreter_register", "pipInterpreterRegister", _("Registernummer")),
        )
        self.sign_client = QCheckBox(_("De inburgeraar heeft getekend"))
        self.sign_client.setObjectName("pipSignedClient")
        self.sign_km = QCheckBox(_("De klantmanager heeft getekend"))
        self.sign_km.setObjectName("pipSignedKlantmanager")
        self.sign_interpreter = QCheckBox(_("De tolk heeft getekend"))
        self.sign_interpreter.setObjectName("pipSignedInterpreter")
        for box in (self.sign_client, self.sign_km, self.sign_interpreter):
            box.setAccessibleDescription(
                _("Aanvinken met de spatiebalk zodra deze handtekening op het PIP staat.")
            )
            form.addRow("", box)
