"""What every import dialog shares: pick the file and sheet, check the header row and what each column holds,
see every problem by row and column before anything is written, and decide. The dialog writes nothing: it
returns its plan, which the page applies in the background as one undoable step.

Subclasses say what they import (:attr:`SheetImportDialog.fields`, :meth:`parse`, :meth:`make_plan`), show
their plan (:meth:`show_plan`, the widget from :meth:`plan_widget`) and sum it up (:meth:`describe`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.errors import CohesionError
from cohesion_desktop.formatting import format_number
from cohesion_desktop.i18n import N_, _, ngettext
from cohesion_desktop.importing.columns import RowProblem, column_letter
from cohesion_desktop.importing.spreadsheet import Sheet, read_sheet, sheet_names
from cohesion_desktop.ui.context import ViewContext
from cohesion_desktop.ui.models.import_plan_table_model import OPTIONS_ROLE
from cohesion_desktop.ui.models.rows_table_model import Column, RowsTableModel
from cohesion_desktop.ui.widgets.choice_box import ChoiceBox

SPREADSHEET_FILTER = N_("Spreadsheets (*.xlsx *.xlsm *.csv);;All files (*)")  # translated where shown


class ProblemsTableModel(RowsTableModel[RowProblem]):
    """The problems found in the sheet, by row; a row that will be skipped says so, in the problem colour."""

    def __init__(self, parent: Any = None) -> None:
        def skipped(problem: RowProblem) -> bool:
            return problem.severity == "error"

        super().__init__(
            [
                Column(N_("Row"), lambda p: p.row),
                Column(N_("Column"), lambda p: p.column),
                Column(
                    N_("Problem"),
                    lambda p: _("Skipped: {problem}").format(problem=p.message) if skipped(p) else p.message,
                    warn=skipped,
                ),
            ],
            parent,
        )

    @property
    def problems(self) -> list[RowProblem]:
        return self.rows()

    def set_problems(self, problems: list[RowProblem]) -> None:
        self.set_rows(sorted(problems, key=lambda p: (p.row, p.severity != "error", p.column)))


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box of the choices a row offers (the model gives them under OPTIONS_ROLE)."""

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,  # noqa: N802
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.addItems(index.data(OPTIONS_ROLE) or [])
        combo.activated.connect(lambda _i: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole)))

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


@dataclass(frozen=True)
class LoadedSheet:
    """A file read, checked and planned, ready for the dialog to show."""

    path: Path
    names: list[str]
    sheet: Sheet
    parsed: Any
    plan: Any


class SheetImportDialog(QDialog):
    """After ``exec``, ``value`` holds the plan the user accepted (None when cancelled).

    The texts a subclass gives are marked with ``N_()`` and translated here, where they are shown.
    """

    window_title = N_("Import from a spreadsheet")
    import_title = N_("Import records")  # the file dialog's and the messages' title: "Import partners"
    fields: tuple[tuple[str, str], ...] = ()
    plan_heading = ""

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(_(self.window_title))
        self.value: Any = None
        self.path: Path | None = None
        self.sheet: Sheet | None = None
        self.parsed: Any = None
        self.plan: Any = None
        self._mapping_combos: list[ChoiceBox[str | None]] = []

        self.file_label = QLabel()
        self.sheet_field = QComboBox()
        self.sheet_field.setAccessibleName(_("Sheet"))
        self.sheet_field.activated.connect(lambda _i: self._load_sheet(self.sheet_field.currentText()))
        self.header_field = QSpinBox()
        self.header_field.setAccessibleName(_("Headings are on row"))
        self.header_field.setMinimum(1)
        self.header_field.editingFinished.connect(self._header_changed)
        self.top = QHBoxLayout()
        self.top.addWidget(self.file_label, 1)
        self.top.addWidget(QLabel(_("Sheet:")))
        self.top.addWidget(self.sheet_field)
        self.top.addWidget(QLabel(_("Headings on row:")))
        self.top.addWidget(self.header_field)

        self.mapping_form = QFormLayout()
        mapping_widget = QWidget()
        mapping_widget.setLayout(self.mapping_form)
        mapping_scroll = QScrollArea()
        mapping_scroll.setWidgetResizable(True)
        mapping_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        mapping_scroll.setWidget(mapping_widget)
        mapping_box = QWidget()
        mapping_layout = QVBoxLayout(mapping_box)
        mapping_heading = QLabel(_("<b>Columns in the file</b> – what each one holds:"))
        mapping_heading.setWordWrap(True)  # as the plan's heading: a long translation would widen the dialog
        mapping_layout.addWidget(mapping_heading)
        mapping_layout.addWidget(mapping_scroll)

        self.problems_model = ProblemsTableModel(self)
        self.problems_view = QTableView()
        self.problems_view.setModel(self.problems_model)
        self.problems_view.setAccessibleName(_("Problems found"))
        self.problems_view.verticalHeader().hide()
        self.problems_view.setWordWrap(True)
        self.problems_view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        plan_box = QWidget()
        plan_layout = QVBoxLayout(plan_box)
        heading = QLabel(_(self.plan_heading) if self.plan_heading else "")
        heading.setWordWrap(True)  # a long heading would set the dialog's narrowest width
        plan_layout.addWidget(heading)
        plan_layout.addWidget(self.plan_widget(), 3)
        problems_heading = QLabel(_("<b>Problems</b> – rows marked “Skipped” will not be imported:"))
        problems_heading.setWordWrap(True)
        plan_layout.addWidget(problems_heading)
        plan_layout.addWidget(self.problems_view, 2)

        splitter = QSplitter()
        splitter.addWidget(mapping_box)
        splitter.addWidget(plan_box)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([self.fontMetrics().averageCharWidth() * 48, self.fontMetrics().averageCharWidth() * 110])

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button: QPushButton = buttons.addButton(_("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.resize(1100, 680)

    # ------------------------------------------------------------------ what subclasses say

    def plan_widget(self) -> QWidget:
        """The widget that shows the plan (made once, in the constructor)."""
        raise NotImplementedError

    def parse(self, sheet: Sheet, *, header_row: int | None, mapping: dict[int, str | None] | None) -> Any:
        raise NotImplementedError

    def make_plan(self, parsed: Any) -> Any:
        raise NotImplementedError

    def show_plan(self, plan: Any) -> None:
        raise NotImplementedError

    def problems(self) -> list[RowProblem]:
        return list(self.parsed.problems)

    def describe(self) -> tuple[str, str, bool]:
        """(the summary under the tables, the import button's text, whether it is enabled)."""
        raise NotImplementedError

    @staticmethod
    def nothing_written_yet(*, adding: int, updating: int, skipped: int, warnings: int) -> str:
        """The summary's first sentence, which the partner and volunteer imports share."""
        return _("Nothing has been written yet: {adding} to add, {updating} to update, {skipped}, {warnings}.").format(
            adding=format_number(adding),
            updating=format_number(updating),
            skipped=ngettext("{count} row skipped", "{count} rows skipped", skipped).format(
                count=format_number(skipped)
            ),
            warnings=ngettext("{count} warning", "{count} warnings", warnings).format(count=format_number(warnings)),
        )

    # ------------------------------------------------------------------ reading

    def ask_path(self) -> Path | None:
        """The file the user picks (None when cancelled)."""
        return self.context.prompts.open_path(_(self.import_title), Path.home(), _(SPREADSHEET_FILTER))

    def choose_file(self, path: Path | None = None) -> bool:
        """Ask for a file (unless given) and read it here; False when cancelled or unreadable (said why)."""
        chosen = path or self.ask_path()
        if chosen is None:
            return False
        try:
            loaded = self.read_file(chosen)
        except CohesionError as exc:
            self.context.prompts.error(_(self.import_title), str(exc))
            return False
        self.adopt(loaded)
        return True

    def read_file(self, path: Path, progress: Callable[[str, float], None] | None = None) -> LoadedSheet:
        """Read, check and plan the file's first sheet, touching no widget (a background task may call this).

        Raises:
            CohesionError: the file cannot be read, or holds no list that can be imported (the message says why).
        """
        told = progress or (lambda _stage, _fraction: None)
        told(_("Reading {file}…").format(file=path.name), -1)
        names = sheet_names(path)
        sheet = read_sheet(path, names[0])
        rows = len(sheet.rows)
        told(ngettext("Checking {count} row…", "Checking {count} rows…", rows).format(count=format_number(rows)), -1)
        parsed = self.parse(sheet, header_row=None, mapping=None)
        told(_("Matching with what is recorded…"), -1)
        return LoadedSheet(path, names, sheet, parsed, self.make_plan(parsed))

    def adopt(self, loaded: LoadedSheet) -> None:
        """Show what :meth:`read_file` found."""
        self.path = loaded.path
        self.file_label.setText(f"<b>{loaded.path.name}</b>")
        self.sheet_field.clear()
        self.sheet_field.addItems(loaded.names)
        self.sheet = loaded.sheet
        self._show(loaded.parsed, rebuild_mapping=True, plan=loaded.plan)

    def _load_sheet(self, name: str) -> bool:
        assert self.path is not None
        try:
            self.sheet = read_sheet(self.path, name)
            parsed = self.parse(self.sheet, header_row=None, mapping=None)
        except CohesionError as exc:
            self.context.prompts.error(_(self.import_title), str(exc))
            return False
        self._show(parsed, rebuild_mapping=True)
        return True

    def _header_changed(self) -> None:
        if self.sheet is not None and self.parsed is not None and self.header_field.value() != self.parsed.header_row:
            self._reparse(header_row=self.header_field.value() - 1, mapping=None)

    def _mapping_changed(self) -> None:
        if self.parsed is None:
            return
        mapping = {column: combo.value() for column, combo in enumerate(self._mapping_combos)}
        self._reparse(header_row=self.parsed.header_row - 1, mapping=mapping)

    def _reparse(self, *, header_row: int, mapping: dict[int, str | None] | None) -> None:
        assert self.sheet is not None
        try:
            parsed = self.parse(self.sheet, header_row=header_row, mapping=mapping)
        except CohesionError as exc:
            self.summary.setText(f"<span style='color:#b00020'>{exc}</span>")
            self.import_button.setEnabled(False)
            return
        self._show(parsed, rebuild_mapping=mapping is None)

    def _show(self, parsed: Any, *, rebuild_mapping: bool, plan: Any = None) -> None:
        self.parsed = parsed
        self.header_field.blockSignals(True)
        self.header_field.setMaximum(max(1, len(self.sheet.rows) if self.sheet else 1))
        self.header_field.setValue(parsed.header_row)
        self.header_field.blockSignals(False)
        if rebuild_mapping:
            self._build_mapping(parsed)
        self.plan = plan if plan is not None else self.make_plan(parsed)
        self.show_plan(self.plan)
        self.problems_model.set_problems(self.problems())
        self.problems_view.resizeColumnToContents(0)
        self.problems_view.resizeColumnToContents(1)
        self.update_summary()

    def _build_mapping(self, parsed: Any) -> None:
        while self.mapping_form.rowCount():
            self.mapping_form.removeRow(0)
        self._mapping_combos = []
        for column, header in enumerate(parsed.headers):
            letter = column_letter(column)
            combo: ChoiceBox[str | None] = ChoiceBox(
                _("Column {letter}: {heading}").format(letter=letter, heading=header),
                [(_("(not imported)"), None), *((_(label), key) for key, label in self.fields)],
            )
            combo.set_value(parsed.mapping.get(column))
            combo.activated.connect(lambda _i: self._mapping_changed())
            self._mapping_combos.append(combo)
            self.mapping_form.addRow(f"{letter}: {header or _('(no heading)')}", combo)

    def update_summary(self) -> None:
        if self.plan is None or self.parsed is None:
            return
        text, button, enabled = self.describe()
        self.summary.setText(text)
        self.import_button.setText(button)
        self.import_button.setEnabled(enabled)

    # ------------------------------------------------------------------ accepting

    def _accept(self) -> None:
        if self.plan is None:
            return
        self.value = self.plan
        self.accept()
