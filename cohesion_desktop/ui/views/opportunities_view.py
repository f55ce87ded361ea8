"""The Opportunities page: what partners offer, who fills it, and finding the volunteers who fit."""

from __future__ import annotations

import html
import uuid
from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.changes import Area
from cohesion_desktop.domain import OpportunityKind, OpportunityStatus
from cohesion_desktop.formatting import format_number
from cohesion_desktop.i18n import N_, _, ngettext
from cohesion_desktop.services import partners as partner_service
from cohesion_desktop.services.volunteering import matching, opportunities, placements
from cohesion_desktop.services.volunteering.matching import VolunteerMatch
from cohesion_desktop.services.volunteering.opportunities import OpportunityInput, OpportunityRow
from cohesion_desktop.text import search_terms
from cohesion_desktop.ui.conflicts import edit_in_dialog, record_fields
from cohesion_desktop.ui.context import ViewContext
from cohesion_desktop.ui.dialogs.match_dialog import VOLUNTEER_COLUMNS, MatchDialog
from cohesion_desktop.ui.dialogs.opportunity_dialog import OpportunityDialog
from cohesion_desktop.ui.formatting import format_date
from cohesion_desktop.ui.history_panel import show_history
from cohesion_desktop.ui.models.rows_table_model import Column, RowsTableModel
from cohesion_desktop.ui.undo import run_undoable, try_undoable
from cohesion_desktop.ui.views.page import Page
from cohesion_desktop.ui.widgets.choice_box import ChoiceBox
from cohesion_desktop.ui.widgets.flow_layout import FlowLayout
from cohesion_desktop.ui.widgets.row_opening import open_rows_with
from cohesion_desktop.ui.widgets.tables import give_room


def _when(row: OpportunityRow) -> str:
    dates = " – ".join(d for d in (format_date(row.starts_on), format_date(row.ends_on)) if d)
    return "; ".join(part for part in (dates, row.recurrence) if part)


COLUMNS: list[Column[OpportunityRow]] = [
    Column(N_("Title"), lambda r: r.title),
    Column(N_("Host"), lambda r: r.host),
    Column(N_("Supported by"), lambda r: r.supporter),
    Column(N_("Kind"), lambda r: r.kind),
    Column(N_("Place"), lambda r: r.place),
    Column(N_("When"), _when),
    Column(
        N_("Places filled"),
        lambda r: _("{filled} of {available}").format(filled=r.places_filled, available=r.places_available),
        numeric=True,
    ),
    Column(N_("Skills wanted"), lambda r: r.skills),
    Column(N_("Requires"), lambda r: ", ".join(k.label.split(": ")[-1] for k in r.requirements)),
    Column(N_("Status"), lambda r: r.status),
]


class OpportunitiesView(Page):
    title = N_("Opportunities")
    areas = frozenset({Area.VOLUNTEERING, Area.PARTNERS})

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._all: list[OpportunityRow] = []
        self._select_when_read: uuid.UUID | None = None  # asked for before the rows were read
        self.search_field = QLineEdit()
        self.search_field.setPlaceholderText(_("Search titles, hosts, skills and places (Ctrl+F)"))
        self.search_field.setAccessibleName(_("Search opportunities"))
        self.search_field.setClearButtonEnabled(True)
        self.status_filter = ChoiceBox.of_enum(_("Status filter"), OpportunityStatus, first=(_("Any status"), None))
        self.kind_filter = ChoiceBox.of_enum(_("Kind filter"), OpportunityKind, first=(_("Any kind"), None))
        self.host_filter: ChoiceBox[uuid.UUID | None] = ChoiceBox(_("Host filter"), [(_("Any host"), None)])
        for signal in (
            self.search_field.textChanged,
            self.status_filter.currentIndexChanged,
            self.kind_filter.currentIndexChanged,
            self.host_filter.currentIndexChanged,
        ):
            signal.connect(lambda *_: self.apply_filter())
        self.count_label = QLabel()
        self.model: RowsTableModel[OpportunityRow] = RowsTableModel(COLUMNS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Opportunities"))
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        give_room(self.table, stretch=0, chars=(24, 20, 16, 14, 12, 20, 8, 18, 14))
        open_rows_with(self.table, self._edit_index)
        self.count_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        # As the volunteers' page: on a narrow window, at 150% or in a longer language the buttons wrap onto a second
        # line rather than being cut short.
        buttons = FlowLayout()
        buttons.addWidget(self.count_label)
        for text, tip, slot in (
            (
                _("Find volunteers…"),
                _("Volunteers whose skills and times fit, who agreed to be contacted and hold the checks required"),
                self.find_volunteers,
            ),
            (_("New opportunity…"), "Ctrl+N", self.new_item),
            (_("Edit…"), "Enter", lambda: self._edit_index(self.table.currentIndex())),
            (
                _("History…"),
                _("Every change to the selected opportunity: who, on which laptop, when"),
                self.show_history,
            ),
            (_("Delete"), _("Can be undone"), self.delete_selected),
        ):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        filters = QHBoxLayout()
        filters.addWidget(self.search_field, 3)
        for combo in (self.status_filter, self.kind_filter, self.host_filter):
            filters.addWidget(combo, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

    def reload(self) -> None:
        """Read in the background (half a second for the large file's 5,000 opportunities, which the window waited
        for); the rows shown stay meanwhile, and the count says the page is reading."""
        if not self._all:
            self.count_label.setText(_("Reading opportunities…"))
        self.load_in_background("opportunities", opportunities.list_opportunities, self._show_all)

    def _show_all(self, rows: list[OpportunityRow]) -> None:
        self._all = rows
        hosts = sorted({(r.host_id, r.host) for r in rows}, key=lambda h: h[1].casefold())
        self.host_filter.set_choices([(_("Any host"), None), *((host, host_id) for host_id, host in hosts)])
        self.apply_filter()
        pending, self._select_when_read = self._select_when_read, None
        if pending is not None:
            self._select(pending)
            self._select_when_read = None  # not listed (deleted meanwhile): nothing to select

    def apply_filter(self) -> None:
        terms = search_terms(self.search_field.text())
        status, kind, host = self.status_filter.value(), self.kind_filter.value(), self.host_filter.value()
        shown = [
            r
            for r in self._all
            if all(term in r.search_text for term in terms)
            and (status is None or r.status == status)
            and (kind is None or r.kind == kind)
            and (host is None or r.host_id == host)
        ]
        self.model.set_rows(shown)
        total = len(self._all)
        self.count_label.setText(
            ngettext("{n} opportunity", "{n} opportunities", total).format(n=format_number(total))
            if len(shown) == total
            else ngettext("{shown} of {total} opportunity", "{shown} of {total} opportunities", total).format(
                shown=format_number(len(shown)), total=format_number(total)
            )
        )

    def focus_search(self) -> None:
        self.search_field.setFocus()
        self.search_field.selectAll()

    def on_shown(self, **what: Any) -> None:
        super().on_shown()
        if what.get("select_id") is not None:
            self.search_field.clear()
            self._select(what["select_id"])
        elif what.get("action") == "new":
            self.new_item()

    def _select(self, opportunity_id: uuid.UUID) -> None:
        """Select that opportunity, now if it is listed, else once the rows being read arrive."""
        for row in range(self.model.rowCount()):
            if self.model.row_at(row).id == opportunity_id:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
                self._select_when_read = None
                return
        self._select_when_read = opportunity_id

    def _selected(self) -> OpportunityRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    # ------------------------------------------------------------------ editing

    def _dialog(self, current: OpportunityInput | None) -> OpportunityInput | None:
        partners, places = self.context.workspace.read(
            lambda session: (
                partner_service.partner_choices(session),
                [p.name for p in partner_service.places(session)],
            )
        )

        def check(data: OpportunityInput) -> None:
            self.context.workspace.read(opportunities.check_opportunity, data=data)

        dialog = OpportunityDialog(partners=partners, places=places, current=current, check=check, parent=self)
        return dialog.value if dialog.exec() else None

    def new_item(self) -> None:
        data = self._dialog(None)
        if data is None:
            return
        made = uuid.uuid4()
        created: list[bool] = []

        def create(session: Any) -> object:
            if created:
                opportunities.restore_opportunity(session, opportunity_id=made)
                return None
            created.append(True)
            return opportunities.create_opportunity(session, data=data, opportunity_id=made)

        self._change(
            _("New opportunity {title}").format(title=data.title),
            create,
            lambda s: opportunities.delete_opportunity(s, opportunity_id=made),
        )

    def _edit_index(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        row = self.model.row_at(index.row())
        names = dict(self.context.workspace.read(partner_service.partner_choices))
        # What the dialog calls each field (its labels, without their shortcut keys), to show both versions.
        labels = {
            key: label.replace("&", "")
            for key, label in {
                "title": _("&Title"),
                "host_partner_id": _("&Host"),
                "supporting_partner_id": _("Supported &by"),
                "kind": _("&Kind"),
                "status": _("&Status"),
                "place": _("&Place"),
                "starts_on": _("Starts"),
                "ends_on": _("Ends"),
                "recurrence": _("&Recurrence"),
                "times": _("Times"),
                "places_available": _("Places &available"),
                "skills": _("S&kills wanted"),
                "description": _("&Description"),
                "accessibility_notes": _("Accessibility"),
                "requirements": _("Volunteers must hold (current)"),
            }.items()
        }

        def read() -> tuple[OpportunityInput, int]:
            return self.context.workspace.read(
                lambda s: (
                    opportunities.opportunity_input(s, row.id),
                    opportunities.get_opportunity(s, row.id).version,
                )
            )

        def save(before: OpportunityInput, after: OpportunityInput, version: int | None) -> object:
            return run_undoable(
                self.context,
                _("Edit opportunity {title}").format(title=row.title),
                do=lambda s: opportunities.update_opportunity(s, opportunity_id=row.id, data=after),
                undo=lambda s: opportunities.update_opportunity(s, opportunity_id=row.id, data=before),
                after=self.reload,
                now=lambda s: opportunities.update_opportunity(s, opportunity_id=row.id, data=after, version=version),
            )

        edit_in_dialog(
            self.context,
            title=_("Opportunities"),
            read=read,
            ask=self._dialog,
            save=save,
            fields=lambda data: record_fields(data, labels, names),
            save_as_new=lambda data: self.context.workspace.write(opportunities.create_opportunity, data=data),
            kind="opportunity",
            record_id=row.id,
        )

    def show_history(self) -> None:
        row = self._selected()
        if row is not None:
            show_history(
                self.context,
                kind="opportunity",
                record_id=row.id,
                name=f"“{row.title}”",
                parent=self,
                after=self.reload,
            )

    def delete_selected(self) -> None:
        row = self._selected()
        if row is None:
            return
        if not self.context.prompts.confirm(
            _("Delete opportunity"),
            _(
                "Delete “{title}”? Its placements and hours stay in the totals. You can "
                "undo this from the status bar or with Ctrl+Z."
            ).format(title=row.title),
            confirm_label=_("Delete"),
        ):
            return
        if self._change(
            _("Delete opportunity {title}").format(title=row.title),
            lambda s: opportunities.delete_opportunity(s, opportunity_id=row.id),
            lambda s: opportunities.restore_opportunity(s, opportunity_id=row.id),
        ):
            self.context.show_status(_("Deleted “{title}”.").format(title=row.title), offer_undo=True)

    def _change(self, text: str, do: Any, undo: Any) -> bool:
        def after() -> None:
            self.reload()

        return try_undoable(self.context, _("Opportunities"), text, do=do, undo=undo, after=after)

    # ------------------------------------------------------------------ matching

    def find_volunteers(self) -> None:
        row = self._selected()
        if row is None:
            self.context.show_status(_("Select an opportunity first."))
            return
        matches = self.context.workspace.read(matching.match_volunteers, opportunity_id=row.id)
        requires = ", ".join(k.label for k in row.requirements) or _("no checks")
        intro = ngettext(
            "<b>{title}</b> ({host}): {n} place left. Volunteers below agreed to be "
            "contacted, share its skills and times, and hold {requires}. Best fit first.",
            "<b>{title}</b> ({host}): {n} places left. Volunteers below agreed to be "
            "contacted, share its skills and times, and hold {requires}. Best fit first.",
            row.places_left,
        ).format(title=html.escape(row.title), host=html.escape(row.host), n=row.places_left, requires=requires)

        def place(match: object) -> str:
            assert isinstance(match, VolunteerMatch)
            holder: list[Any] = []

            def do(session: Any) -> None:
                holder[:] = [
                    placements.place_volunteer(session, volunteer_id=match.volunteer_id, opportunity_id=row.id)
                ]

            def undo(session: Any) -> None:
                placements.remove_placement(session, placement_id=holder[0].id)

            run_undoable(self.context, _("Place {name}").format(name=match.name), do=do, undo=undo, after=self.reload)
            return _("{name} is now placed on “{title}”. Ctrl+Z undoes it.").format(name=match.name, title=row.title)

        MatchDialog(
            title=_("Find volunteers"),
            intro=intro,
            columns=VOLUNTEER_COLUMNS,
            matches=matches,
            place=place,
            parent=self,
        ).exec()
