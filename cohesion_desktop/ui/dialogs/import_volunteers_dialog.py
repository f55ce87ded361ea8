"""Import volunteers from a spreadsheet: the file, the columns, every problem by row and column, and for each
row whether to update the volunteer it matched, add a new one or skip it. Writes nothing: the Volunteers page
applies the plan in the background, as one undoable step."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from cohesion_desktop.formatting import format_number
from cohesion_desktop.i18n import N_, _, ngettext
from cohesion_desktop.importing.columns import RowProblem
from cohesion_desktop.importing.spreadsheet import Sheet
from cohesion_desktop.importing.volunteers import VOLUNTEER_FIELDS, ParsedVolunteers, parse_volunteers
from cohesion_desktop.services.volunteer_import import Decision, VolunteerImportPlan, plan_volunteer_import
from cohesion_desktop.ui.dialogs.sheet_import_dialog import ChoiceDelegate, SheetImportDialog
from cohesion_desktop.ui.models.people_import_table_models import VolunteerImportTableModel


class ImportVolunteersDialog(SheetImportDialog):
    """After ``exec``, ``value`` holds the plan the user accepted (None when cancelled)."""

    window_title = N_("Import volunteers from a spreadsheet")
    import_title = N_("Import volunteers")
    fields = VOLUNTEER_FIELDS
    plan_heading = N_("<b>Volunteers found</b> – double-click “What will happen” to change it for a row:")

    value: VolunteerImportPlan | None
    parsed: ParsedVolunteers | None
    plan: VolunteerImportPlan | None

    def plan_widget(self) -> QWidget:
        self.plan_model = VolunteerImportTableModel(self)
        self.plan_view = QTableView()
        self.plan_view.setModel(self.plan_model)
        self.plan_view.setAccessibleName(_("Volunteers to import"))
        self.plan_view.setItemDelegateForColumn(self.plan_model.choice_column, ChoiceDelegate(self.plan_view))
        self.plan_view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.plan_view.verticalHeader().hide()
        self.plan_view.horizontalHeader().setStretchLastSection(True)
        self.plan_view.setWordWrap(False)
        self.plan_model.dataChanged.connect(lambda *_: self.update_summary())
        return self.plan_view

    def parse(self, sheet: Sheet, *, header_row: int | None, mapping: dict[int, str | None] | None) -> Any:
        return parse_volunteers(sheet, header_row=header_row, mapping=mapping)

    def make_plan(self, parsed: ParsedVolunteers) -> VolunteerImportPlan:
        return self.context.workspace.read(plan_volunteer_import, parsed)

    def show_plan(self, plan: VolunteerImportPlan) -> None:
        self.plan_model.set_plan(plan)
        if len(plan.rows) <= 2_000:  # measuring every row of a huge sheet would keep the dialog busy
            self.plan_view.resizeColumnsToContents()
        limit = self.fontMetrics().averageCharWidth() * 40
        for column in range(self.plan_model.columnCount()):
            self.plan_view.setColumnWidth(column, min(max(self.plan_view.columnWidth(column), 60), limit))

    def problems(self) -> list[RowProblem]:
        assert self.plan is not None
        return self.plan.all_problems

    def describe(self) -> tuple[str, str, bool]:
        assert self.plan is not None
        counts = self.plan.counts()
        adding, updating = counts[Decision.ADD], counts[Decision.UPDATE]
        problems = self.plan.all_problems
        skipped = counts[Decision.SKIP] + len({p.row for p in problems if p.severity == "error"})
        warnings = sum(1 for p in problems if p.severity == "warning")
        unknown = sum(1 for row in self.plan.rows if row.decision != Decision.SKIP and row.record.consent == "unknown")
        text = self.nothing_written_yet(adding=adding, updating=updating, skipped=skipped, warnings=warnings)
        if unknown:
            text += " " + _(
                "Consent is unknown for {count}: the sheet does not say when they agreed, so they are recorded as "
                "not agreeing to be contacted until you record it."
            ).format(count=format_number(unknown))
        count = adding + updating
        button = ngettext("Import {count} volunteer", "Import {count} volunteers", count).format(
            count=format_number(count)
        )
        return text, button, count > 0
