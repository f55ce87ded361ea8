"""Import past hours from a spreadsheet: the file, the columns, what a row's date stands for, every problem by
row and column, a choice for each name that matched nothing, and totals that add up to the sheet's own sum —
all before anything is written. The Volunteers page applies the plan in the background, as one undoable step."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QTableView, QVBoxLayout, QWidget

from cohesion_desktop.formatting import format_number
from cohesion_desktop.i18n import N_, _, ngettext
from cohesion_desktop.importing.columns import RowProblem
from cohesion_desktop.importing.hours import HOURS_FIELDS, ParsedHours, Spread, parse_hours
from cohesion_desktop.importing.spreadsheet import Sheet
from cohesion_desktop.services.hours_import import HoursImportPlan, plan_hours_import, set_spread
from cohesion_desktop.ui.context import ViewContext
from cohesion_desktop.ui.dialogs.sheet_import_dialog import ChoiceDelegate, SheetImportDialog
from cohesion_desktop.ui.models.people_import_table_models import HoursNamesTableModel
from cohesion_desktop.ui.widgets.choice_box import ChoiceBox


class ImportHoursDialog(SheetImportDialog):
    """After ``exec``, ``value`` holds the plan the user accepted (None when cancelled)."""

    window_title = N_("Import past hours from a spreadsheet")
    import_title = N_("Import hours")
    fields = HOURS_FIELDS
    plan_heading = N_("<b>Names that matched nothing</b> – double-click “What will happen” to choose:")

    value: HoursImportPlan | None
    parsed: ParsedHours | None
    plan: HoursImportPlan | None

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        self._how = Spread.DAY  # read by make_plan, which may run in the background (no widget there)
        super().__init__(context, parent)
        self.spread_field: ChoiceBox[Spread] = ChoiceBox(_("Each row is"), [(how.label, how) for how in Spread])
        self.spread_field.activated.connect(lambda _i: self._spread_changed())
        # A line of its own: beside the file and sheet it made the dialog wider than a laptop screen at 150%.
        spread_row = QHBoxLayout()
        spread_row.addWidget(QLabel(_("Each row:")))
        spread_row.addWidget(self.spread_field)
        spread_row.addStretch(1)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(1, spread_row)

    def plan_widget(self) -> QWidget:
        self.names_model = HoursNamesTableModel(self)
        self.names_view = QTableView()
        self.names_view.setModel(self.names_model)
        self.names_view.setAccessibleName(_("Names to match"))
        self.names_view.setItemDelegateForColumn(self.names_model.choice_column, ChoiceDelegate(self.names_view))
        self.names_view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.names_view.verticalHeader().hide()
        self.names_view.horizontalHeader().setStretchLastSection(True)
        self.names_view.setWordWrap(False)
        self.names_model.dataChanged.connect(lambda *_: self.update_summary())
        return self.names_view

    def parse(self, sheet: Sheet, *, header_row: int | None, mapping: dict[int, str | None] | None) -> Any:
        return parse_hours(sheet, header_row=header_row, mapping=mapping)

    def make_plan(self, parsed: ParsedHours) -> HoursImportPlan:
        return self.context.workspace.read(plan_hours_import, parsed, how=self._how)

    def show_plan(self, plan: HoursImportPlan) -> None:
        self.names_model.set_plan(plan)
        self.names_view.resizeColumnsToContents()

    def _spread_changed(self) -> None:
        how = self.spread_field.value()
        if self.plan is None or how is None or how == self.plan.how:
            return
        self._how = how
        self.plan = set_spread(self.plan, how)
        self.show_plan(self.plan)
        self.problems_model.set_problems(self.problems())
        self.update_summary()

    def problems(self) -> list[RowProblem]:
        assert self.plan is not None
        return self.plan.all_problems

    def describe(self) -> tuple[str, str, bool]:
        assert self.plan is not None
        totals = self.plan.totals()
        matched = sum(1 for match in self.plan.volunteers.values() if match.matched)
        sentences = [
            _("Nothing has been written yet."),
            totals.text(),
            ngettext(
                "{count} volunteer name matched by itself.", "{count} volunteer names matched by themselves.", matched
            ).format(count=matched),
        ]
        if self.plan.parsed.total_rows:
            rows = ", ".join(str(row) for row, _hours in self.plan.parsed.total_rows)
            sentences.append(_("Total rows ({rows}) are left out, so no hour is counted twice.").format(rows=rows))
        count = totals.entries_to_add
        button = _("Import {hours} hours").format(hours=format_number(totals.to_add, decimals=2))
        return " ".join(sentences), button, count > 0
