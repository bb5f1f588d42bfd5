"""The supervisor's figures screen: the team figures (docs/cijfers.md) as tables and charts, for the
team or one klantmanager, over a period by koppeldatum; tables to CSV or XLSX, charts to PNG.

Charts are QtCharts (PySide6-Addons): native Qt widgets, so they follow the interface's fonts, the
screen's scaling and the language switch like every other widget, and a chart is saved as PNG with
the widget's own `grab()`; no second drawing stack (docs/cijfers.md, "Waarom QtCharts").
The figures are computed on the database worker (app/ui/tasks.py); files are written on it too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMargins, Qt
from PySide6.QtGui import QCloseEvent, QColor, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import WegwijsError
from app.domain.pip_lifecycle import route_short_label
from app.i18n import _, on_ui_language_changed
from app.services.figures import (
    OUTCOME_LABELS,
    FiguresReport,
    FiguresService,
    GroupFigures,
    OutcomeColumn,
    Period,
    Table,
    group_label,
    groups,
    parse_period,
)
from app.services.profile import Profile
from app.ui import errors
from app.ui.dates import DATE_PLACEHOLDER, CalendarButton, show_date
from app.ui.fit import fit_to_screen, remember_geometry
from app.ui.tasks import run_in_background

# Colour-blind safe (Okabe-Ito): blue, vermillion, grey; the same meaning in every chart. Each at
# least 3:1 against the white chart (WCAG 1.4.11; the orange and light grey were 2.3:1 and 2.7:1).
GOOD, BAD, NEUTRAL = QColor("#0072B2"), QColor("#D55E00"), QColor("#808080")
VISIBLE_ROWS = 8
_MONTH = re.compile(r"\d{4}-\d{2}")


def _png(view: QWidget) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    view.grab().save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def _slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", "-", text).strip("-").lower() or "team"


def _cell(value: object) -> QTableWidgetItem:
    if value is None:
        item = QTableWidgetItem("—")
    elif isinstance(value, float):
        item = QTableWidgetItem(f"{value:.1f}".replace(".", ","))
    elif isinstance(value, str) and _MONTH.fullmatch(value):
        item = QTableWidgetItem(show_date(value))  # "03-2026", as every date is shown; ISO in the export
    else:
        item = QTableWidgetItem(str(value))
    if isinstance(value, int | float):
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


class _Page(QWidget):
    """One figure: its chart above, its table below."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key
        self.setObjectName(f"figures_{key}")
        self.chart_view = QChartView()
        self.chart_view.setObjectName(f"chart_{key}")
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(220)
        self.table = QTableWidget()
        self.table.setObjectName(f"table_{key}")
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.chart_view)
        self.splitter.addWidget(self.table)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    def show_table(self, table: Table, group: str) -> None:
        """The rows of one group, without the group column."""
        rows = [row[1:] for row in table.rows if row[0] == group]
        self.table.clear()
        self.table.setColumnCount(len(table.columns) - 1)
        self.table.setHorizontalHeaderLabels(list(table.columns[1:]))
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.table.setItem(r, c, _cell(value))
        self.table.setAccessibleName(table.title)
        self.table.setAccessibleDescription(
            _("De cijfers van de grafiek erboven als tabel, per rij; pijltjestoetsen gaan langs de cellen.")
        )
        # The table as high as its rows (at most VISIBLE_ROWS, then it scrolls); the chart takes the rest.
        shown = min(len(rows), VISIBLE_ROWS)
        height = self.table.horizontalHeader().height() + 2 * self.table.frameWidth() + 4
        height += sum(self.table.rowHeight(r) for r in range(shown)) if shown else 0
        total = max(self.splitter.height(), height + self.chart_view.minimumHeight())
        self.splitter.setSizes([total - height, height])

    def show_chart(self, chart: QChart) -> None:
        old = self.chart_view.chart()
        self.chart_view.setChart(chart)
        self.chart_view.setAccessibleName(chart.title())
        if old is not None:
            old.deleteLater()


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(QMargins(4, 4, 4, 4))
    return chart


def _bar_set(label: str, values: Sequence[float], colour: QColor) -> QBarSet:
    bars = QBarSet(label)
    bars.append([float(v) for v in values])
    bars.setColor(colour)
    bars.setBorderColor(colour)
    return bars


def _stacked(chart: QChart, categories: Sequence[str], sets: Sequence[QBarSet], axis_title: str) -> None:
    series = QStackedBarSeries()
    for bars in sets:
        series.append(bars)
    chart.addSeries(series)
    x_axis = QBarCategoryAxis()
    x_axis.append(list(categories))
    y_axis = QValueAxis()
    y_axis.setLabelFormat("%d")
    y_axis.setTitleText(axis_title)
    highest = max((sum(s.at(i) for s in sets) for i in range(len(categories))), default=0.0)
    y_axis.setRange(0, max(1.0, highest))
    y_axis.applyNiceNumbers()
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x_axis)
    series.attachAxis(y_axis)


def route_test_chart(group: GroupFigures) -> QChart:
    chart = _chart(_("Leerroute en uitslag van de leerbaarheidstoets (PIP's in werking)"))
    colours = {
        OutcomeColumn.HAALBAAR: GOOD,
        OutcomeColumn.NIET_HAALBAAR: BAD,
        OutcomeColumn.GEEN_UITSLAG: NEUTRAL,
    }
    sets = [
        _bar_set(_(OUTCOME_LABELS[c]), [row.count(c) for row in group.route_test], colours[c])
        for c in OutcomeColumn
    ]
    _stacked(chart, [route_short_label(row.route) for row in group.route_test], sets, _("aantal PIP's"))
    return chart


def ten_weeks_chart(group: GroupFigures) -> QChart:
    share = group.ten_weeks.share.percent
    title = _("PIP vastgesteld binnen 10 weken, naar maand van huisvesting")
    if share is not None:
        title += " — " + _("{share} op tijd").format(share=_percent(share))
    chart = _chart(title)
    months = group.ten_weeks_by_month
    sets = [
        _bar_set(_("op tijd"), [m.counts.on_time for m in months], GOOD),
        _bar_set(_("te laat"), [m.counts.late for m in months], BAD),
        _bar_set(_("nog binnen 10 weken"), [m.counts.open for m in months], NEUTRAL),
    ]
    _stacked(chart, [show_date(m.month) for m in months], sets, _("cliënten"))
    return chart


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",") + "%"


def shares_chart(table: Table, label: str) -> QChart:
    """Each share as a bar of 0-100%; its label says the share and what it is of (e.g. 129 van 133)."""
    chart = _chart(_("Aandelen (%)"))
    rows = [row for row in table.rows if row[0] == label][::-1]  # the first share at the top
    values = [row[-1] if isinstance(row[-1], float) else None for row in rows]
    bars = _bar_set(_("aandeel (%)"), [v or 0.0 for v in values], GOOD)
    series = QHorizontalBarSeries()
    series.append(bars)
    chart.addSeries(series)
    y_axis = QBarCategoryAxis()
    y_axis.append(
        [
            _("{figure}: {share} ({part} van {whole})").format(
                figure=row[1], share=_percent(value), part=row[2], whole=row[3]
            )
            for row, value in zip(rows, values, strict=True)
        ]
    )
    x_axis = QValueAxis()
    x_axis.setRange(0, 100)
    x_axis.setLabelFormat("%d%%")
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(y_axis)
    series.attachAxis(x_axis)
    chart.legend().setVisible(False)
    return chart


class FiguresWindow(QWidget):
    """Teamcijfers: choose a period and a group; the charts and tables follow."""

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.profile = profile
        self.report: FiguresReport | None = None
        self.setObjectName("figuresWindow")
        fit_to_screen(self, "figures", 1100, 720)
        self.from_edit, self.to_edit = QLineEdit(), QLineEdit()
        self.from_edit.setObjectName("figuresFrom")
        self.to_edit.setObjectName("figuresTo")
        self.from_label, self.to_label, self.group_label = QLabel(), QLabel(), QLabel()
        self.group_box = QComboBox()
        self.group_box.setObjectName("figuresGroup")
        self.group_box.currentIndexChanged.connect(lambda _index: self._render())
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("figuresRefresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.export_tables_button = QPushButton()
        self.export_tables_button.setObjectName("figuresExportTables")
        self.export_tables_button.clicked.connect(lambda: self.export_tables())
        self.export_charts_button = QPushButton()
        self.export_charts_button.setObjectName("figuresExportCharts")
        self.export_charts_button.clicked.connect(lambda: self.export_charts())
        self.status = QLabel()
        self.status.setObjectName("figuresStatus")
        self.status.setWordWrap(True)
        bar = QHBoxLayout()
        for edit, label in ((self.from_edit, self.from_label), (self.to_edit, self.to_label)):
            edit.setPlaceholderText(DATE_PLACEHOLDER)
            edit.setMaximumWidth(140)  # the whole "DD-MM-JJJJ" shows
            edit.returnPressed.connect(self.refresh)
            label.setBuddy(edit)
            bar.addWidget(label)
            bar.addWidget(edit)
            bar.addWidget(CalendarButton(edit, self))
        self.group_label.setBuddy(self.group_box)
        bar.addWidget(self.group_label)
        bar.addWidget(self.group_box, 1)
        for button in (self.refresh_button, self.export_tables_button, self.export_charts_button):
            bar.addWidget(button)
        self.pages = {key: _Page(key) for key in ("leerroute_toets", "binnen_tien_weken", "aandelen")}
        self.tabs = QTabWidget()
        self.tabs.setObjectName("figuresTabs")
        for page in self.pages.values():
            self.tabs.addTab(page, "")
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)
        self._set_busy(True)
        self.retranslate()
        stop_listening = on_ui_language_changed(lambda _code: self._language_changed())
        self.destroyed.connect(lambda *_args: stop_listening())

    # -- texts ---------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(_("Wegwijs — teamcijfers ({municipality})").format(
            municipality=self.profile.settings.municipality))  # fmt: skip
        self.from_label.setText(_("Koppeldatum &van"))
        self.to_label.setText(_("&tot en met"))
        self.group_label.setText(_("&Groep"))
        self.from_edit.setAccessibleName(_("Koppeldatum vanaf"))
        self.to_edit.setAccessibleName(_("Koppeldatum tot en met"))
        self.group_box.setAccessibleName(_("Groep: het team of één klantmanager"))
        for edit in (self.from_edit, self.to_edit):
            edit.setAccessibleDescription(
                _(
                    "Datum als dag-maand-jaar, bijvoorbeeld 01-01-2025; leeg is zonder grens. Enter berekent opnieuw."
                )
            )
        self.group_box.setAccessibleDescription(
            _("Welke cijfers de grafieken en tabellen tonen: die van het hele team of van één klantmanager.")
        )
        self.refresh_button.setText(_("&Berekenen"))
        self.export_tables_button.setText(_("Tabellen &exporteren…"))
        self.export_tables_button.setToolTip(_("Alle tabellen als Excel-bestand (.xlsx) of CSV"))
        self.export_charts_button.setText(_("Grafieken als &PNG…"))
        self.export_charts_button.setToolTip(_("De grafieken zoals getoond, elk als PNG-bestand in een map"))
        for index, title in enumerate((_("Leerroute en toets"), _("Binnen 10 weken"), _("Aandelen"))):
            self.tabs.setTabText(index, title)

    def _language_changed(self) -> None:
        self.retranslate()
        if self.report is not None:
            self._fill_groups(self.report)
            self._render()

    # -- loading -------------------------------------------------------------------------------
    def _set_busy(self, busy: bool) -> None:
        self.refresh_button.setEnabled(not busy)
        has_report = self.report is not None and not busy
        self.export_tables_button.setEnabled(has_report)
        self.export_charts_button.setEnabled(has_report)
        if busy:
            self.status.setText(_("De cijfers worden berekend…"))

    def refresh(self) -> None:
        try:
            period = parse_period(self.from_edit.text(), self.to_edit.text())
        except WegwijsError as refused:
            self.status.setText(errors.message(refused))
            return
        self._set_busy(True)
        profile = self.profile
        run_in_background(
            "database",
            lambda: FiguresService.for_profile(profile).figures(period),
            self._loaded,
            owner=self,
            on_error=self._failed,
        )

    def _loaded(self, report: FiguresReport) -> None:
        self.report = report
        self._set_busy(False)
        self._fill_groups(report)
        self._render()
        self.status.setText(self._summary(report))

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.status.setText(errors.message(error))

    @staticmethod
    def _summary(report: FiguresReport) -> str:
        period: Period = report.period
        if period.bounded:
            text = _("Cliënten met een koppeldatum van {start} tot en met {end}: {count}.").format(
                start=period.start.strftime("%d-%m-%Y") if period.start else "…",
                end=period.end.strftime("%d-%m-%Y") if period.end else "…",
                count=report.team.clients,
            )
            if report.without_koppeldatum:
                text += " " + _("Zonder koppeldatum (niet meegeteld): {count}.").format(
                    count=report.without_koppeldatum
                )
        else:
            text = _("Alle inburgeringsplichtige cliënten: {count}.").format(count=report.team.clients)
        return text + " " + _("Peildatum {day}.").format(day=report.today.strftime("%d-%m-%Y"))

    def _fill_groups(self, report: FiguresReport) -> None:
        chosen = self.group_box.currentData()
        self.group_box.blockSignals(True)
        self.group_box.clear()
        for group in groups(report):
            self.group_box.addItem(group_label(group), group.klantmanager)
        index = self.group_box.findData(chosen) if chosen is not None else 0
        self.group_box.setCurrentIndex(max(0, index))
        self.group_box.blockSignals(False)

    def chosen_group(self) -> GroupFigures | None:
        if self.report is None:
            return None
        wanted = self.group_box.currentData()
        return next((g for g in groups(self.report) if g.klantmanager == wanted), self.report.team)

    def _render(self) -> None:
        group = self.chosen_group()
        if self.report is None or group is None:
            return
        label = group_label(group)
        tables = {table.key: table for table in FiguresService.tables(self.report)}
        for key, page in self.pages.items():
            page.show_table(tables[key], label)
        self.pages["leerroute_toets"].show_chart(route_test_chart(group))
        self.pages["binnen_tien_weken"].show_chart(ten_weeks_chart(group))
        self.pages["aandelen"].show_chart(shares_chart(tables["aandelen"], label))

    # -- exports ---------------------------------------------------------------------------------
    def export_tables(self, path: Path | None = None) -> None:
        report = self.report
        if report is None:
            return
        if path is None:
            name, _filter = QFileDialog.getSaveFileName(
                self,
                _("Tabellen exporteren"),
                str(Path.home() / f"teamcijfers-{report.today.isoformat()}.xlsx"),
                _("Excel-werkmap (*.xlsx);;CSV, gescheiden door puntkomma (*.csv)"),
            )
            if not name:
                return
            path = Path(name)
        try:
            FiguresService.check_export_path(path)
        except WegwijsError as refused:
            errors.report(self, refused)
            return
        target = path
        run_in_background(
            "database",
            lambda: FiguresService.export(report, target),
            lambda written: self.status.setText(_("Tabellen geschreven: {path}").format(path=written)),
            owner=self,
            on_error=lambda error: errors.report(self, error),
        )

    def export_charts(self, folder: Path | None = None) -> None:
        group = self.chosen_group()
        if self.report is None or group is None:
            return
        if folder is None:
            name = QFileDialog.getExistingDirectory(self, _("Map voor de grafieken"), str(Path.home()))
            if not name:
                return
            folder = Path(name)
        stamp = self.report.today.isoformat()
        who = _slug(group.klantmanager or "team")
        # The pictures are taken here, on the GUI thread; the files are written on the worker.
        files = [
            (folder / f"teamcijfers-{page.key.replace('_', '-')}-{who}-{stamp}.png", _png(page.chart_view))
            for page in self.pages.values()
        ]

        def write() -> list[Path]:
            return [FiguresService.write_file(path, data) for path, data in files]

        run_in_background(
            "database",
            write,
            lambda written: self.status.setText(
                _("Grafieken geschreven in {folder}: {count}.").format(folder=folder, count=len(written))
            ),
            owner=self,
            on_error=lambda error: errors.report(self, error),
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        remember_geometry(self, "figures")
        super().closeEvent(event)


def open_figures(profile: Profile, parent: QWidget | None = None) -> FiguresWindow:
    window = FiguresWindow(profile, parent)
    window.show()
    window.refresh()
    return window
