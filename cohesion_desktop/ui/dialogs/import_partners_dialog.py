"""Import partners from a spreadsheet: pick the file and sheet, check the columns, see every problem by row and
column before anything is written, and decide row by row. The dialog writes nothing: it returns the plan, which
the Partners page applies (in the background, as one undoable step)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from cohesion_desktop.formatting import format_number
from cohesion_desktop.i18n import N_, _, ngettext
from cohesion_desktop.importing.partners import PARTNER_FIELDS, ParsedPartners, parse_partners
from cohesion_desktop.importing.spreadsheet import Sheet
from cohesion_desktop.services.partner_import import ImportPlan, plan_import
from cohesion_desktop.ui.dialogs.sheet_import_dialog import (
    SPREADSHEET_FILTER,
    ChoiceDelegate,
    ProblemsTableModel,
    SheetImportDialog,
)
from cohesion_desktop.ui.models.import_plan_table_model import COL_CHOICE, ImportPlanTableModel

__all__ = ["SPREADSHEET_FILTER", "ChoiceDelegate", "ImportPartnersDialog", "ProblemsTableModel"]


class ImportPartnersDialog(SheetImportDialog):
    """After ``exec``, ``value`` holds the plan the user accepted (None when cancelled)."""

    window_title = N_("Import partners from a spreadsheet")
    import_title = N_("Import partners")
    fields = PARTNER_FIELDS
    plan_heading = N_("<b>Partners found</b> – double-click “What will happen” to change it for a row:")

    value: ImportPlan | None
    parsed: ParsedPartners | None
    plan: ImportPlan | None

    def plan_widget(self) -> QWidget:
        self.plan_model = ImportPlanTableModel(self)
        self.plan_view = QTableView()
        self.plan_view.setModel(self.plan_model)
        self.plan_view.setAccessibleName(_("Rows to import"))
        self.plan_view.setItemDelegateForColumn(COL_CHOICE, ChoiceDelegate(self.plan_view))
        self.plan_view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.plan_view.verticalHeader().hide()
        self.plan_view.horizontalHeader().setStretchLastSection(True)
        self.plan_view.setWordWrap(False)
        self.plan_model.dataChanged.connect(lambda *_: self.update_summary())
        return self.plan_view

    def parse(self, sheet: Sheet, *, header_row: int | None, mapping: dict[int, str | None] | None) -> Any:
        return parse_partners(sheet, header_row=header_row, mapping=mapping)

    def make_plan(self, parsed: ParsedPartners) -> ImportPlan:
        return self.context.workspace.read(plan_import, parsed)

    def show_plan(self, plan: ImportPlan) -> None:
        self.plan_model.set_plan(plan)
        self.plan_view.resizeColumnsToContents()
        for column in range(self.plan_model.columnCount()):
            # Long theme lists would push the rest out of sight; the tooltip shows them whole.
            limit = self.fontMetrics().averageCharWidth() * (48 if column == COL_CHOICE else 32)
            self.plan_view.setColumnWidth(column, min(self.plan_view.columnWidth(column), limit))

    def describe(self) -> tuple[str, str, bool]:
        assert self.plan is not None and self.parsed is not None
        decisions = [row.decision.value for row in self.plan.rows]
        adding, updating = decisions.count("add"), decisions.count("update") + decisions.count("merge")
        skipped = decisions.count("skip") + len({p.row for p in self.parsed.problems if p.severity == "error"})
        warnings = sum(1 for p in self.parsed.problems if p.severity == "warning")
        look_alikes = sum(1 for row in self.plan.rows if row.similar and row.decision.value == "add")
        text = self.nothing_written_yet(adding=adding, updating=updating, skipped=skipped, warnings=warnings)
        if look_alikes:
            text += " " + ngettext(
                "{count} new partner looks like one already in your directory (shown in bold): choose “Merge into …” "
                "if they are the same.",
                "{count} new partners look like one already in your directory (shown in bold): choose “Merge into …” "
                "if they are the same.",
                look_alikes,
            ).format(count=format_number(look_alikes))
        count = adding + updating
        button = ngettext("Import {count} partner", "Import {count} partners", count).format(count=format_number(count))
        return text, button, count > 0
