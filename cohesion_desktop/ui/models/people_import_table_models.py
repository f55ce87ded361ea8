"""The rows of a volunteer import and the names of an hours import, each with what will happen to it; the choice
column is editable (a combo box of the options, see ``ui.dialogs.sheet_import_dialog.ChoiceDelegate``)."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from cohesion_desktop.formatting import format_date
from cohesion_desktop.i18n import N_, _
from cohesion_desktop.services.hours_import import Choice, HoursImportPlan, NameMatch, Target
from cohesion_desktop.services.volunteer_import import Decision, PlannedVolunteer, VolunteerImportPlan
from cohesion_desktop.services.volunteering.volunteers import CONSENT_NOT_KNOWN
from cohesion_desktop.ui.formatting import format_hours
from cohesion_desktop.ui.models.import_plan_table_model import OPTIONS_ROLE

# The words the list and the editor use (marked where they are defined), translated where shown.
_CONSENT = {"yes": N_("Yes"), "no": N_("No"), "unknown": CONSENT_NOT_KNOWN}
# How a row found the volunteer it updates (services.volunteer_import: PlannedVolunteer.matched_by).
_UPDATE_BY = {
    "e-mail": N_("Update “{name}” (same e-mail)"),
    "name and phone": N_("Update “{name}” (same name and phone)"),
}


class _ChoiceRows:
    """What a table of rows with a choice column does; the models give the cells, the options and how a choice is
    kept. A mixin, not a model of its own (every model class of the window is run through the model tester)."""

    dataChanged: Any

    headers: tuple[str, ...] = ()  # marked with N_(), translated where shown
    choice_column = 0

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._count()

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsEditable if index.column() == self.choice_column else flags

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.headers)
        ):
            return _(self.headers[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._count():
            return None
        if role == OPTIONS_ROLE:
            return [label for label, _value in self._options(index.row())]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole):
            if index.column() == self.choice_column:
                current = self._current(index.row())
                return next((label for label, value in self._options(index.row()) if value == current), str(current))
            return self._cell(index.row(), index.column())
        return None

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,  # noqa: N802
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        if not index.isValid() or index.column() != self.choice_column or role != Qt.ItemDataRole.EditRole:
            return False
        chosen = next((option for label, option in self._options(index.row()) if label == value), None)
        if chosen is None:
            return False
        self._choose(index.row(), chosen)
        self.dataChanged.emit(index, index)
        return True

    def _count(self) -> int:
        raise NotImplementedError

    def _cell(self, row: int, column: int) -> Any:
        raise NotImplementedError

    def _options(self, row: int) -> list[tuple[str, Any]]:
        raise NotImplementedError

    def _current(self, row: int) -> Any:
        raise NotImplementedError

    def _choose(self, row: int, value: Any) -> None:
        raise NotImplementedError


class VolunteerImportTableModel(_ChoiceRows, QAbstractTableModel):
    """One row per volunteer found in the sheet."""

    headers = (N_("Row"), N_("Name"), N_("What will happen"), N_("E-mail"), N_("Consent"), N_("Checks"))
    choice_column = 2

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.plan: VolunteerImportPlan | None = None

    def set_plan(self, plan: VolunteerImportPlan) -> None:
        self.beginResetModel()
        self.plan = plan
        self.endResetModel()

    def _row(self, row: int) -> PlannedVolunteer:
        assert self.plan is not None
        return self.plan.rows[row]

    def _count(self) -> int:
        return 0 if self.plan is None else len(self.plan.rows)

    def _cell(self, row: int, column: int) -> Any:
        record = self._row(row).record
        if column == 0:
            return record.row
        if column == 1:
            return record.name
        if column == 3:
            return record.email
        if column == 4:
            return _(_CONSENT[record.consent]) + (
                f" ({format_date(record.consent_given_on)})" if record.consent_given_on else ""
            )
        return ", ".join(check.kind.label for check in record.checks)

    def _options(self, row: int) -> list[tuple[str, Any]]:
        planned = self._row(row)
        options: list[tuple[str, Any]] = []
        if planned.target_id is not None:
            update = _(_UPDATE_BY.get(planned.matched_by, N_("Update “{name}”"))).format(name=planned.target_name)
            options.append((update, Decision.UPDATE))
        options += [(_("Add as a new volunteer"), Decision.ADD), (_("Skip this row"), Decision.SKIP)]
        return options

    def _current(self, row: int) -> Any:
        return self._row(row).decision

    def _choose(self, row: int, value: Any) -> None:
        assert self.plan is not None
        self.plan.choose(self._row(row).record.row, value)


class HoursNamesTableModel(_ChoiceRows, QAbstractTableModel):
    """One row per name in an hours sheet that matched nothing by itself, with what it will be."""

    headers = (N_("Name in the sheet"), N_("Is a"), N_("Rows"), N_("Hours"), N_("What will happen"))
    choice_column = 4

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.names: list[tuple[str, NameMatch]] = []

    def set_plan(self, plan: HoursImportPlan) -> None:
        self.beginResetModel()
        self.names = plan.unmatched()
        self.endResetModel()

    def _count(self) -> int:
        return len(self.names)

    def _cell(self, row: int, column: int) -> Any:
        kind, match = self.names[row]
        if column == 0:
            return match.name or _("(no opportunity given)")
        if column == 1:
            return _("Volunteer") if kind == "volunteer" else _("Opportunity")
        if column == 2:
            return match.rows
        return format_hours(match.hours)

    def _options(self, row: int) -> list[tuple[str, Target]]:
        kind, match = self.names[row]
        options: list[tuple[str, Target]] = []
        if kind == "volunteer":
            options.append((_("Add as a new volunteer"), Choice.ADD))
        options += [(_("Is “{name}”").format(name=label), target) for target, label in match.candidates]
        options.append((_("Skip its rows"), Choice.SKIP))
        return options

    def _current(self, row: int) -> Target:
        return self.names[row][1].target

    def _choose(self, row: int, value: Any) -> None:
        assert isinstance(value, uuid.UUID | Choice)
        self.names[row][1].target = value
