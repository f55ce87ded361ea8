"""The rows of a partner import and what will happen to each; the last column is the user's choice."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from cohesion_desktop.i18n import N_, _
from cohesion_desktop.services.partner_import import Decision, ImportPlan, PlannedRow
from cohesion_desktop.services.partners import SimilarPartner

COL_ROW, COL_NAME, COL_CHOICE, COL_SECTOR, COL_THEMES, COL_PLACES = range(6)
HEADERS = (
    N_("Row"),
    N_("Name"),
    N_("What will happen"),
    N_("Sector"),
    N_("Themes"),
    N_("Places"),
)  # translated where shown
OPTIONS_ROLE = Qt.ItemDataRole.UserRole + 10  # the choices offered for a row, as labels


def _options(planned: PlannedRow, original: PlannedRow) -> list[tuple[str, Decision, SimilarPartner | None]]:
    options: list[tuple[str, Decision, SimilarPartner | None]] = []
    if original.decision == Decision.UPDATE:
        options.append((_("Update “{name}”").format(name=original.target_name), Decision.UPDATE, None))
    options.append((_("Add as a new partner"), Decision.ADD, None))
    options.extend(
        (_("Merge into “{name}” ({sector})").format(name=s.name, sector=s.sector.label), Decision.MERGE, s)
        for s in planned.similar
    )
    options.append((_("Skip this row"), Decision.SKIP, None))
    return options


class ImportPlanTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.plan: ImportPlan | None = None
        self._original: list[PlannedRow] = []

    def set_plan(self, plan: ImportPlan) -> None:
        self.beginResetModel()
        self.plan = plan
        self._original = list(plan.rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self.plan is None else len(self.plan.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsEditable if index.column() == COL_CHOICE else flags

    def choice_label(self, row: int) -> str:
        assert self.plan is not None
        planned = self.plan.rows[row]
        for label, decision, target in _options(planned, self._original[row]):
            if decision == planned.decision and (target is None or target.id == planned.target_id):
                return label
        return planned.decision.value

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.plan is None or not index.isValid():
            return None
        planned = self.plan.rows[index.row()]
        record = planned.record
        column = index.column()
        if role == OPTIONS_ROLE:
            return [label for label, _d, _t in _options(planned, self._original[index.row()])]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole):
            if column == COL_ROW:
                return record.row
            if column == COL_NAME:
                return record.name
            if column == COL_SECTOR:
                sector = record.sector.label
                return _("{sector} (guessed)").format(sector=sector) if record.sector_was_guessed else sector
            if column == COL_THEMES:
                return ", ".join(record.themes)
            if column == COL_PLACES:
                return ", ".join(record.places)
            if column == COL_CHOICE:
                label = self.choice_label(index.row())
                if role == Qt.ItemDataRole.ToolTipRole and planned.similar and planned.decision == Decision.ADD:
                    return _("{choice}. A partner with a similar name exists: {name}.").format(
                        choice=label, name=planned.similar[0].name
                    )
                return label
        if (
            role == Qt.ItemDataRole.FontRole
            and column == COL_CHOICE
            and planned.similar
            and planned.decision == Decision.ADD
        ):
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)  # a look-alike: worth a second look before importing
            return font
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return _(HEADERS[section])
        return None

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,  # noqa: N802
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        if self.plan is None or not index.isValid() or index.column() != COL_CHOICE or role != Qt.ItemDataRole.EditRole:
            return False
        row = index.row()
        options = _options(self.plan.rows[row], self._original[row])
        chosen = next((o for o in options if o[0] == value), None)
        if chosen is None:
            return False
        label, decision, target = chosen
        if decision == Decision.UPDATE:
            self.plan.rows[row] = self._original[row]
        else:
            self.plan.choose(self.plan.rows[row].record.row, decision, target)
        self.dataChanged.emit(index, index)
        return True
