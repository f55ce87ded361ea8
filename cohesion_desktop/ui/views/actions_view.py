"""The Actions page: every action across workshops, filtered by owner, status or overdue, linked to its entry."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.changes import Area
from cohesion_desktop.domain import ActionStatus
from cohesion_desktop.formatting import format_number
from cohesion_desktop.i18n import N_, _, ngettext
from cohesion_desktop.services import partners as partner_service
from cohesion_desktop.services import workshops
from cohesion_desktop.services.workshops import ActionInput, ActionRow
from cohesion_desktop.ui.conflicts import edit_in_dialog, record_fields
from cohesion_desktop.ui.context import ViewContext
from cohesion_desktop.ui.dialogs.action_dialog import ActionDialog
from cohesion_desktop.ui.models.actions_table_model import ActionFilter, ActionsTableModel
from cohesion_desktop.ui.undo import run_undoable, try_undoable
from cohesion_desktop.ui.views.page import Page
from cohesion_desktop.ui.widgets.choice_box import ChoiceBox
from cohesion_desktop.ui.widgets.tables import give_room


class ActionsView(Page):
    title = N_("Actions")
    areas = frozenset({Area.ACTIONS, Area.WORKSHOPS, Area.PARTNERS})

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._select_when_read: Any = None  # an action asked for before the rows were read
        self.search_field = QLineEdit()
        self.search_field.setPlaceholderText(_("Search actions (Ctrl+F)"))
        self.search_field.setAccessibleName(_("Search actions"))
        self.search_field.setClearButtonEnabled(True)
        self.owner_filter: ChoiceBox[Any] = ChoiceBox(_("Owner filter"), [(_("Any owner"), None)])
        self.status_filter = ChoiceBox.of_enum(_("Status filter"), ActionStatus, first=(_("Any status"), None))
        self.overdue_filter = QCheckBox(_("Overdue only"))
        for signal in (
            self.search_field.textChanged,
            self.owner_filter.currentIndexChanged,
            self.status_filter.currentIndexChanged,
            self.overdue_filter.toggled,
        ):
            signal.connect(lambda *_: self.apply_filter())
        self.count_label = QLabel()
        self.model = ActionsTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Actions"))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.doubleClicked.connect(self._edit_index)
        give_room(self.table, stretch=0, chars=(30, 20, 12, 16, 22, 24, 24))
        self.goto_button = QPushButton(_("Go to entry"))
        self.goto_button.setToolTip(_("Open the workshop matrix at the entry this action came from"))
        self.goto_button.clicked.connect(self.go_to_entry)
        edit_button = QPushButton(_("Edit…"))
        edit_button.clicked.connect(lambda: self._edit_index(self.table.currentIndex()))
        new_button = QPushButton(_("New action…"))
        new_button.clicked.connect(self.new_item)
        delete_button = QPushButton(_("Delete"))
        delete_button.clicked.connect(self.delete_selected)
        filters = QHBoxLayout()
        filters.addWidget(self.search_field, 2)
        filters.addWidget(self.owner_filter, 1)
        filters.addWidget(self.status_filter)
        filters.addWidget(self.overdue_filter)
        actions = QHBoxLayout()
        actions.addWidget(self.count_label, 1)
        for button in (self.goto_button, edit_button, new_button, delete_button):
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)

    def reload(self) -> None:
        """Read in the background (each action's entry, workshop and owner: the window waited for it on a large
        file); the rows shown stay meanwhile."""
        if not self.model.total_count:
            self.count_label.setText(_("Reading actions…"))
        self.load_in_background("actions", workshops.list_actions, self._show_all)

    def _show_all(self, rows: list[ActionRow]) -> None:
        # The owners named on the actions, not every partner read for them (10,000: most of the page's time).
        owners = {row.owner_id: row.owner for row in rows if row.owner_id is not None}
        self.owner_filter.set_choices(
            [
                (_("Any owner"), None),
                *((name, partner_id) for partner_id, name in sorted(owners.items(), key=lambda owner: owner[1])),
            ]
        )
        self.model.set_rows(rows)
        self.apply_filter()
        pending, self._select_when_read = self._select_when_read, None
        if pending is not None:
            self._select(pending)
            self._select_when_read = None  # not listed (deleted meanwhile): nothing to select

    def apply_filter(self) -> None:
        self.model.set_filter(
            ActionFilter(
                owner_id=self.owner_filter.value(),
                status=self.status_filter.value(),
                overdue_only=self.overdue_filter.isChecked(),
                query=self.search_field.text(),
            )
        )
        shown, total = self.model.rowCount(), self.model.total_count
        self.count_label.setText(
            ngettext("{n} action", "{n} actions", total).format(n=format_number(total))
            if shown == total
            else ngettext("{shown} of {total} action", "{shown} of {total} actions", total).format(
                shown=format_number(shown), total=format_number(total)
            )
        )

    def focus_search(self) -> None:
        self.search_field.setFocus()
        self.search_field.selectAll()

    def on_shown(self, **what: Any) -> None:
        super().on_shown()
        if what.get("select_id") is not None:
            self._select(what["select_id"])

    def _select(self, action_id: Any) -> None:
        """Select that action, now if it is listed, else once the rows being read arrive."""
        for row in range(self.model.rowCount()):
            if self.model.row_at(row).id == action_id:
                self.table.selectRow(row)
                self._select_when_read = None
                return
        self._select_when_read = action_id

    def _current(self) -> ActionRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def go_to_entry(self) -> None:
        action = self._current()
        if action is None or action.workshop_id is None:
            self.context.show_status(_("This action did not come from a workshop entry."))
            return
        self.context.navigate("workshops", workshop_id=action.workshop_id, entry_id=action.entry_id)

    def _owners(self) -> list[tuple[Any, str]]:
        return self.context.workspace.read(partner_service.partner_choices)

    def _edit_index(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        action_id = self.model.row_at(index.row()).id
        owners = self._owners()
        labels = {
            key: label.replace("&", "")
            for key, label in {
                "title": _("&Action"),
                "owner_id": _("&Owner"),
                "due_on": _("&Due"),
                "status": _("&Status"),
                "notes": _("&Notes"),
            }.items()
        }

        def read() -> tuple[ActionInput, int]:
            action = self.context.workspace.read(workshops.get_action, action_id)
            shown = ActionInput(
                title=action.title,
                owner_id=action.owner_id,
                due_on=action.due_on,
                status=action.status,
                notes=action.notes,
            )
            return shown, action.version

        def ask(current: ActionInput) -> ActionInput | None:
            dialog = ActionDialog(
                title=current.title,
                owners=owners,
                default_owner=current.owner_id,
                due_on=current.due_on,
                status=current.status,
                notes=current.notes,
                heading=_("Edit action"),
                parent=self,
            )
            return dialog.value if dialog.exec() else None

        def save(before: ActionInput, after: ActionInput, version: int | None) -> object:
            return run_undoable(
                self.context,
                _("Edit action {title}").format(title=before.title),
                do=lambda s: workshops.update_action(s, action_id=action_id, data=after),
                undo=lambda s: workshops.update_action(s, action_id=action_id, data=before),
                after=self.reload,
                now=lambda s: workshops.update_action(s, action_id=action_id, data=after, version=version),
            )

        edit_in_dialog(
            self.context,
            title=_("Actions"),
            read=read,
            ask=ask,
            save=save,
            fields=lambda data: record_fields(data, labels, dict(owners)),
            save_as_new=lambda data: self.context.workspace.write(workshops.create_action, data=data),
            kind="action",
            record_id=action_id,
        )

    def new_item(self) -> None:
        dialog = ActionDialog(title="", owners=self._owners(), heading=_("New action"), parent=self)
        if not dialog.exec() or dialog.value is None:
            return
        value = dialog.value
        made: list[Any] = []

        def create(session: Any) -> ActionRow:
            if made:
                workshops.restore_action(session, action_id=made[0])
                return workshops.get_action(session, made[0])
            created = workshops.create_action(session, data=value)
            made.append(created.id)
            return created

        self._change(
            _("New action {title}").format(title=value.title),
            create,
            lambda s: workshops.delete_action(s, action_id=made[0]),
        )

    def delete_selected(self) -> None:
        action = self._current()
        if action is None:
            return
        if not self.context.prompts.confirm(
            _("Delete action"),
            _("Delete the action “{title}”? You can undo this from the status bar or with Ctrl+Z.").format(
                title=action.title
            ),
            confirm_label=_("Delete"),
        ):
            return
        if self._change(
            _("Delete action {title}").format(title=action.title),
            lambda s: workshops.delete_action(s, action_id=action.id),
            lambda s: workshops.restore_action(s, action_id=action.id),
        ):
            self.context.show_status(_("Deleted the action “{title}”.").format(title=action.title), offer_undo=True)

    def _change(self, text: str, do: Any, undo: Any) -> bool:
        def after() -> None:
            self.reload()

        return try_undoable(self.context, _("Actions"), text, do=do, undo=undo, after=after)
