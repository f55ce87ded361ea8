"""The Volunteers page: the people (a lazy table, fine at 100,000), their renewals, milestones,
retention review, and hours totals."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.changes import Area, Changes
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.export.funder_report import MonthHours
from cohesion_desktop.formatting import format_number, format_short_date
from cohesion_desktop.i18n import N_, _, ngettext
from cohesion_desktop.services import settings as settings_service
from cohesion_desktop.services.volunteering import checks, personal_data, recognition, volunteers
from cohesion_desktop.services.volunteering import opportunities as opportunity_service
from cohesion_desktop.services.volunteering import placements as placement_service
from cohesion_desktop.services.volunteering import totals as hours_totals
from cohesion_desktop.services.volunteering.checks import CheckRow
from cohesion_desktop.services.volunteering.personal_data import InactiveVolunteer
from cohesion_desktop.services.volunteering.recognition import MilestoneDue
from cohesion_desktop.services.volunteering.totals import Total
from cohesion_desktop.services.volunteering.volunteers import VolunteerInput
from cohesion_desktop.ui.context import ViewContext
from cohesion_desktop.ui.dialogs.certificate_dialog import CertificateDialog
from cohesion_desktop.ui.dialogs.log_hours_dialog import LogHoursDialog
from cohesion_desktop.ui.dialogs.week_hours_dialog import WeekHoursDialog
from cohesion_desktop.ui.formatting import format_date, format_hours
from cohesion_desktop.ui.import_runner import ImportWords, open_import_dialog, run_import
from cohesion_desktop.ui.models.rows_table_model import Column, RowsTableModel
from cohesion_desktop.ui.models.volunteers_table_model import VolunteersTableModel, with_ids
from cohesion_desktop.ui.pdf_tasks import write_pdf_now
from cohesion_desktop.ui.undo import run_undoable, try_undoable
from cohesion_desktop.ui.views.page import Page
from cohesion_desktop.ui.views.volunteer_editor import VolunteerEditor, erase_with_questions
from cohesion_desktop.ui.widgets.choice_box import ChoiceBox
from cohesion_desktop.ui.widgets.flow_layout import FlowLayout
from cohesion_desktop.ui.widgets.period_picker import PeriodPicker
from cohesion_desktop.ui.widgets.row_opening import open_rows_with
from cohesion_desktop.ui.widgets.tables import give_room
from cohesion_desktop.ui.worker import ReadAhead

if TYPE_CHECKING:
    from sqlmodel import Session

RENEWAL_COLUMNS: list[Column[CheckRow]] = [
    Column(N_("Volunteer"), lambda c: c.volunteer),
    Column(N_("Check or training"), lambda c: c.kind),
    Column(N_("Renew by"), lambda c: c.renewal_due_on, warn=lambda c: not c.is_current(date.today())),
    Column(N_("Obtained"), lambda c: c.obtained_on),
    Column(N_("Reference"), lambda c: c.reference),
]
MILESTONE_COLUMNS: list[Column[MilestoneDue]] = [
    Column(N_("Volunteer"), lambda m: m.name),
    Column(N_("Milestone reached"), lambda m: ngettext("{n} hour", "{n} hours", m.milestone).format(n=m.milestone)),
    Column(N_("Hours so far"), lambda m: m.total_hours, numeric=True),
]
INACTIVE_COLUMNS: list[Column[InactiveVolunteer]] = [
    Column(N_("Volunteer"), lambda v: v.name),
    Column(N_("Last activity"), lambda v: v.last_activity),
    Column(N_("Months inactive"), lambda v: v.months_inactive, numeric=True),
    Column(N_("Note"), lambda v: _("Removed from the list, still held") if v.removed else ""),
]
MONTH_COLUMNS: list[Column[MonthHours]] = [
    Column(N_("Month"), lambda m: m.label),
    Column(N_("Hours"), lambda m: m.hours, numeric=True),
]
TOTAL_COLUMNS: list[Column[Total]] = [
    Column("", lambda t: t.label),
    Column(N_("Hours"), lambda t: t.hours, numeric=True),
    Column(N_("Entries"), lambda t: t.entries, numeric=True),
]


def _table(model: Any, name: str, *, multi: bool = False, chars: tuple[int | str, ...] = ()) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection if multi else QAbstractItemView.SelectionMode.SingleSelection
    )
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    give_room(view, stretch=0, chars=chars)  # the first column names the person or the period
    return view


class VolunteersView(Page):
    title = N_("Volunteers")
    areas = frozenset({Area.VOLUNTEERING, Area.SETTINGS})

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._index_stale = True  # the list's ids and search texts may be out of date (see _on_data_changed)
        workspace = context.workspace

        def load_index(order: str, descending: bool) -> list[tuple[str, str]]:
            return workspace.read(volunteers.volunteer_index, order=order, descending=descending)

        def fetch(ids: Any) -> list[volunteers.VolunteerRow]:
            return workspace.read(volunteers.volunteer_rows, ids)

        def load_start(order: str, descending: bool, limit: int) -> tuple[list[tuple[str, str]], int]:
            return workspace.read(volunteers.volunteer_index_start, order=order, descending=descending, limit=limit)

        def read_index(order: str, descending: bool, arrived: Callable[[Any], None]) -> ReadAhead:
            # On a session of its own, off the window thread; dropped with this page when another file is opened.
            return ReadAhead(
                self,
                workspace,
                lambda s: with_ids(volunteers.volunteer_index(s, order=order, descending=descending)),
                arrived,
            )

        # -- the people
        self.search_field = QLineEdit()
        self.search_field.setPlaceholderText(_("Search names, e-mails, phones and skills (Ctrl+F)"))
        self.search_field.setAccessibleName(_("Search volunteers"))
        self.search_field.setClearButtonEnabled(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(30)  # one search per pause, not one per key, when someone types fast
        self._debounce.timeout.connect(self.apply_search)
        self.search_field.textChanged.connect(lambda _t: self._debounce.start())
        self.model = VolunteersTableModel(load_index, fetch, self, load_start=load_start, read_index=read_index)
        self.table = _table(self.model, _("Volunteers"), chars=(22, 26, "+44 7700 900123", 22, 20, 10, 8))
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        open_rows_with(self.table, self._open_index)
        self.count_label = QLabel()
        # The rest of the list arrives from the background: counted again if another program changed it meanwhile.
        self.model.modelReset.connect(self._update_count)
        self.count_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        # Six buttons: on a narrow window or at 150% they wrap onto a second line rather than being cut short.
        buttons = FlowLayout()
        buttons.addWidget(self.count_label)
        for text, tip, slot in (
            (_("Log hours…"), _("Ctrl+L: type up hours fast"), self.log_hours),
            (_("A week's hours…"), _("Many volunteers' hours for one week"), self.week_grid),
            (_("Export…"), _("The list as shown (search, order) as Excel or a PDF to print"), self.export_list),
            (_("Add volunteer…"), "Ctrl+N", self.new_item),
            (_("Import volunteers…"), _("Import volunteers from an Excel or CSV file"), self.import_volunteers),
            (_("Import hours…"), _("Import past hours from an Excel or CSV file"), self.import_hours),
        ):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        shortcut = QShortcut(QKeySequence("Ctrl+L"), self)
        # Anywhere in the window while this page is shown (a hidden page's shortcut does not fire).
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(self.log_hours)
        people = QWidget()
        people_layout = QVBoxLayout(people)
        people_layout.addWidget(self.search_field)
        people_layout.addLayout(buttons)
        people_layout.addWidget(self.table, 1)
        self.editor = VolunteerEditor(context)
        self.editor.back_requested.connect(self.show_list)
        self.editor.removed.connect(self._after_removal)
        self.editor.log_hours_requested.connect(self.log_hours)
        self.editor.certificates_requested.connect(self.make_certificates)
        self.people_stack = QStackedWidget()
        self.people_stack.addWidget(people)
        self.people_stack.addWidget(self.editor)

        # -- renewals due
        self.renewal_days = QSpinBox()
        self.renewal_days.setAccessibleName(_("Days ahead"))
        self.renewal_days.setRange(0, 730)
        self.renewal_days.setValue(60)
        self.renewal_days.setSuffix(_(" days"))
        self.renewal_days.valueChanged.connect(lambda _v: self.reload_renewals())
        self.renewals_model: RowsTableModel[CheckRow] = RowsTableModel(RENEWAL_COLUMNS, self)
        self.renewals_table = _table(self.renewals_model, _("Checks and training due for renewal"))
        self.renewals_table.doubleClicked.connect(
            lambda index: self.open_volunteer(self.renewals_model.row_at(index.row()).volunteer_id)
        )
        renewals = self._tab(
            [QLabel(_("Lapsed, or due for renewal within")), self.renewal_days],
            self.renewals_table,
            _("Red: already lapsed. Double-click to open the volunteer."),
        )

        # -- milestones
        self.milestones_model: RowsTableModel[MilestoneDue] = RowsTableModel(MILESTONE_COLUMNS, self)
        self.milestones_table = _table(self.milestones_model, _("Milestones reached, not yet thanked"), multi=True)
        self.milestones_table.doubleClicked.connect(
            lambda index: self.open_volunteer(self.milestones_model.row_at(index.row()).volunteer_id)
        )
        certify = QPushButton(_("Certificates for the selected…"))
        certify.clicked.connect(self._certify_selected)
        self.milestones_state = QLabel()  # "Counting hours…" while the background count runs
        milestones = self._tab(
            [
                QLabel(_("Volunteers who passed 10, 50, 100 or 250 hours, not yet thanked for it.")),
                certify,
                self.milestones_state,
            ],
            self.milestones_table,
            _("Select several (Ctrl+click) to make their certificates in one PDF."),
        )

        # -- retention
        self.retention_months = QSpinBox()
        self.retention_months.setAccessibleName(_("Inactive for more than"))
        self.retention_months.setRange(1, 240)
        self.retention_months.setSuffix(_(" months"))
        self.retention_months.editingFinished.connect(self._save_retention)
        self.inactive_model: RowsTableModel[InactiveVolunteer] = RowsTableModel(INACTIVE_COLUMNS, self)
        self.inactive_table = _table(self.inactive_model, _("Inactive volunteers"))
        self.inactive_table.doubleClicked.connect(self._review_inactive)
        erase_inactive = QPushButton(_("Erase the selected…"))
        erase_inactive.setToolTip(_("Erase the personal data of the selected volunteer, after saying what remains"))
        erase_inactive.clicked.connect(self._erase_selected_inactive)
        retention = self._tab(
            [QLabel(_("Volunteers with no hours and no change for more than")), self.retention_months, erase_inactive],
            self.inactive_table,
            _(
                "UK GDPR: keep personal data no longer than needed. Open each one (double-click) to "
                "check they still want to be on your list, then keep them or erase their details. "
                "Volunteers removed from the list (or added by mistake and undone) are still held "
                "until you erase them."
            ),
        )

        # -- totals
        self.period_picker = PeriodPicker()
        self.period_picker.changed.connect(self.reload_totals)
        self.breakdown: ChoiceBox[int] = ChoiceBox(
            _("Hours by"),
            [
                (label, index)
                for index, label in enumerate(
                    (_("by month"), _("by partner (host)"), _("by opportunity"), _("by volunteer"))
                )
            ],
        )
        self.breakdown.currentIndexChanged.connect(lambda _i: self.reload_totals())
        self.totals_label = QLabel()
        self.totals_label.setWordWrap(True)  # a sentence, longer in Welsh than in English: it takes a second line
        self.month_model: RowsTableModel[MonthHours] = RowsTableModel(MONTH_COLUMNS, self)
        self.total_model: RowsTableModel[Total] = RowsTableModel(TOTAL_COLUMNS, self)
        self.totals_table = _table(self.month_model, _("Hours totals"))
        totals = self._tab([QLabel(_("Hours in")), self.period_picker, self.breakdown], self.totals_table, "")
        totals_layout = totals.layout()
        assert totals_layout is not None  # _tab lays the tab out
        totals_layout.addWidget(self.totals_label)

        self.tabs = QTabWidget()
        for widget, label in (
            (self.people_stack, _("People")),
            (renewals, _("Renewals due")),
            (milestones, _("Milestones")),
            (retention, _("Retention")),
            (totals, _("Hours totals")),
        ):
            self.tabs.addTab(widget, label)
        self.tabs.currentChanged.connect(lambda _i: self._reload_tab())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tabs)

    @staticmethod
    def _tab(controls: list[QWidget], table: QTableView, note: str) -> QWidget:
        tab = QWidget()
        top = FlowLayout()  # wraps on a narrow window rather than cutting a label short
        for control in controls:
            top.addWidget(control)
        layout = QVBoxLayout(tab)
        layout.addLayout(top)
        layout.addWidget(table, 1)
        if note:
            hint = QLabel(note)
            hint.setWordWrap(True)
            layout.addWidget(hint)
        return tab

    # ------------------------------------------------------------------ loading

    def _on_data_changed(self, changes: Changes) -> None:
        # Sorted by name, e-mail or date added, the list's index comes from the volunteer table alone: an hours
        # entry or a placement leaves it as it is (only the rows shown, with their hours, are read again).
        if changes.touches(self.areas) and (
            self.model.order in ("hours", "last_activity") or changes.may_have_changed("volunteer")
        ):
            self._index_stale = True
        super()._on_data_changed(changes)

    def _read_list(self) -> None:
        self.model.reload(self.search_field.text())
        self._index_stale = False

    def reload(self) -> None:
        if self.tabs.currentIndex() == 0 and self.people_stack.currentWidget() is self.editor:
            # Only the person on screen is read now; the list is read again when it is shown (show_list):
            # reading 100,000 volunteers after each saved field or hours entry froze the window on a large file.
            self.editor.reload()
            return
        if self._index_stale:
            self._read_list()
        else:  # hours or placements changed (here, or on another laptop): the rows shown, with their hours
            self.model.read_rows_again()  # (re-reading the index lost the person's selection and scroll position)
        self._update_count()
        self._reload_tab()
        if self.people_stack.currentWidget() is self.editor:
            self.editor.reload()

    def _reload_tab(self) -> None:
        current = self.tabs.currentIndex()
        if current == 1:
            self.reload_renewals()
        elif current == 2:
            self.reload_milestones()
        elif current == 3:
            months = self.context.workspace.read(settings_service.get_settings).retention_months
            self.retention_months.blockSignals(True)
            self.retention_months.setValue(months)
            self.retention_months.blockSignals(False)
            self.reload_inactive()
        elif current == 4:
            self.reload_totals()

    def apply_search(self) -> None:
        self.model.search(self.search_field.text())
        self._update_count()

    def _update_count(self) -> None:
        if self.model.reading:  # no row is shown until the whole list has been read: no count yet
            self.count_label.setText(_("Searching…") if self.search_field.text().strip() else _("Reading…"))
            return
        shown = self.model.rowCount()
        self.count_label.setText(
            ngettext("{n} volunteer match", "{n} volunteers match", shown).format(n=format_number(shown))
            if self.search_field.text().strip()
            else ngettext("{n} volunteer", "{n} volunteers", shown).format(n=format_number(shown))
        )

    def _rows_text(self) -> str:
        """The rows an export takes, as the count above the list says them ("120 volunteers")."""
        self.model.wait_for_rows()
        if not self.count_label.text():
            return _("The volunteers")
        shown = self.model.rowCount()
        return ngettext("{n} volunteer", "{n} volunteers", shown).format(n=format_number(shown))

    # This tab and the next three read every volunteer's checks or hours (seconds on a large file): in the
    # background, so that the window answers meanwhile.

    def reload_renewals(self) -> None:
        days = self.renewal_days.value()
        self.load_in_background(
            "renewals", lambda session: checks.renewals_due(session, within_days=days), self.renewals_model.set_rows
        )

    def reload_milestones(self) -> None:
        """Every volunteer's hours are counted (seconds on a large file): in the background, so the window
        answers meanwhile."""
        self.milestones_state.setText(_("Counting hours…"))

        def show(rows: list[MilestoneDue]) -> None:
            self.milestones_model.set_rows(rows)
            self.milestones_state.setText("")

        self.load_in_background(
            "milestones",
            recognition.milestones_due,
            show,
            lambda problem: self.milestones_state.setText(
                _("The milestones could not be counted: {problem}").format(problem=problem)
            ),
        )

    def reload_inactive(self) -> None:
        months = self.retention_months.value()
        self.load_in_background(
            "inactive",
            lambda session: personal_data.inactive_volunteers(session, months=months),
            self.inactive_model.set_rows,
        )

    def _review_inactive(self, index: QModelIndex) -> None:
        row = self.inactive_model.row_at(index.row())
        if row.removed:  # not shown by the editor: the one thing left to do is to erase it
            self._erase_inactive(row)
        else:
            self.open_volunteer(row.volunteer_id)

    def _erase_selected_inactive(self) -> None:
        index = self.inactive_table.currentIndex()
        if index.isValid():
            self._erase_inactive(self.inactive_model.row_at(index.row()))

    def _erase_inactive(self, row: InactiveVolunteer) -> None:
        def erased(message: str) -> None:
            self.reload_inactive()
            self.context.show_status(message)

        erase_with_questions(self.context, self, row.volunteer_id, on_erased=erased)

    def _save_retention(self) -> None:
        months = self.retention_months.value()

        def save(session: Session) -> None:
            current = settings_service.get_settings(session)
            if current.retention_months != months:
                settings_service.save_settings(
                    session, settings=settings_service.Settings(**{**current.__dict__, "retention_months": months})
                )

        try:
            self.context.workspace.write(save)
        except CohesionError as exc:
            self.context.prompts.error(_("Retention"), str(exc))
        self.reload_inactive()

    def reload_totals(self) -> None:
        period = self.period_picker.period_or_none()
        if period is None:  # the picker says why
            return
        choice = self.breakdown.value() or 0
        getter = (
            hours_totals.hours_by_month,
            hours_totals.hours_by_partner,
            hours_totals.hours_by_opportunity,
            hours_totals.hours_by_volunteer,
        )[choice]
        self.totals_label.setText(_("Counting hours…"))

        def count(session: Any) -> tuple[tuple[float, int], list[Any]]:
            return hours_totals.total_hours(session, period=period), getter(session, period=period)

        def show(counted: tuple[tuple[float, int], list[Any]]) -> None:
            (hours, people), rows = counted
            model = self.month_model if choice == 0 else self.total_model
            if self.totals_table.model() is not model:
                self.totals_table.setModel(model)
                give_room(self.totals_table, stretch=0)
            model.set_rows(rows)
            self.totals_label.setText(
                ngettext(
                    "{hours} hours given by {n} volunteer between {start} and {end}.",
                    "{hours} hours given by {n} volunteers between {start} and {end}.",
                    people,
                ).format(
                    hours=format_hours(hours),
                    n=format_number(people),
                    start=format_date(period.start),
                    end=format_date(period.end),
                )
            )

        self.load_in_background("totals", count, show)

    # ------------------------------------------------------------------ opening and adding

    def export_list(self) -> None:
        """The volunteers as shown (search and order), in the columns chosen; contact details only when ticked."""
        from cohesion_desktop.services import lists
        from cohesion_desktop.ui.dialogs.list_export_dialog import ListExportDialog
        from cohesion_desktop.ui.list_exports import choose_target, write_in_background
        from cohesion_desktop.ui.models.volunteers_table_model import HEADERS

        title = _("Export volunteer list")
        dialog = ListExportDialog(
            title=title,
            rows_text=self._rows_text(),
            columns=HEADERS,
            chosen=lists.DEFAULT_VOLUNTEER_COLUMNS,
            contact_columns=lists.CONTACT_COLUMNS,
            contact_reminder=_(lists.CONTACT_WHY),
            parent=self,
        )
        if not dialog.exec() or dialog.value is None:
            return
        choices = dialog.value
        target = choose_target(self.context.prompts, title, "volunteers", ".pdf" if choices.pdf else ".xlsx")
        if target is None:
            return
        workspace, query = self.context.workspace, self.search_field.text()
        order, descending = self.model.order, self.model.descending
        write_in_background(
            self,
            self.context.prompts,
            title=title,
            work=lambda: workspace.read(
                lists.export_volunteer_list,
                path=target,
                query=query,
                columns=choices.columns,
                contact_details=choices.contact_details,
                order=order,
                descending=descending,
            ),
            done=lambda path: (
                _(
                    "The volunteer list was saved to {path}. It holds contact details: keep it safe and share it "
                    "only with those who need it."
                )
                if choices.contact_details
                else _("The volunteer list was saved to {path}.")
            ).format(path=path),
            show_status=self.context.show_status,
        )

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.show_list()
        self.search_field.setFocus()
        self.search_field.selectAll()

    def on_shown(self, **what: Any) -> None:
        super().on_shown()
        if what.get("select_id") is not None:
            self.open_volunteer(what["select_id"])
        elif what.get("action") == "new":
            self.new_item()

    def _open_index(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row()) if index.isValid() else None
        if row is not None:
            self.open_volunteer(row.id)

    def open_volunteer(self, volunteer_id: uuid.UUID) -> None:
        if self.editor.show_volunteer(volunteer_id):
            self.tabs.setCurrentIndex(0)
            self.people_stack.setCurrentWidget(self.editor)
            self.editor.name_field.setFocus()

    def show_list(self) -> None:
        if self.people_stack.currentWidget() is self.editor:
            self.editor.commit_pending()
            self.people_stack.setCurrentIndex(0)
            if self._index_stale:  # someone may have been renamed, added or erased
                self._read_list()
            else:  # their hours may have changed
                self.model.read_rows_again()
            self._update_count()
            self.table.setFocus()

    def _after_removal(self, message: str) -> None:
        self.show_list()
        self.context.show_status(message)

    def new_item(self) -> None:
        name = self.context.prompts.ask_text(_("Add volunteer"), _("The volunteer's name:"))
        if name is None:
            return
        made = uuid.uuid4()
        created: list[bool] = []

        def create(session: Any) -> None:
            if created:
                volunteers.restore_volunteer(session, volunteer_id=made)
            else:
                created.append(True)
                volunteers.create_volunteer(session, data=VolunteerInput(name=name), volunteer_id=made)

        if not try_undoable(
            self.context,
            _("Add volunteer"),
            _("Add {name}").format(name=name),
            do=create,
            undo=lambda s: volunteers.delete_volunteer(s, volunteer_id=made),
        ):
            return
        self._read_list()
        self._update_count()
        self.open_volunteer(made)

    # ------------------------------------------------------------------ importing

    def import_volunteers(self, path: Path | None = None) -> None:
        from cohesion_desktop.services import volunteer_import
        from cohesion_desktop.ui.dialogs.import_volunteers_dialog import ImportVolunteersDialog

        dialog = ImportVolunteersDialog(self.context, parent=self)
        open_import_dialog(
            self,
            dialog,
            path,
            lambda plan: run_import(
                self,
                self.context,
                words=ImportWords(
                    title=_("Import volunteers"),
                    working=_("Importing volunteers…"),
                    step=lambda n: ngettext("Import {count} volunteer", "Import {count} volunteers", n).format(
                        count=format_number(n)
                    ),
                ),
                apply=volunteer_import.apply_volunteer_import,
                plan=plan,
                undo=volunteer_import.undo_volunteer_import,
                redo=volunteer_import.redo_volunteer_import,
                count=lambda report: report.count,
                after=self.reload,
                source=dialog.path,
            ),
        )

    def import_hours(self, path: Path | None = None) -> None:
        from cohesion_desktop.services import hours_import
        from cohesion_desktop.ui.dialogs.import_hours_dialog import ImportHoursDialog

        dialog = ImportHoursDialog(self.context, parent=self)
        open_import_dialog(
            self,
            dialog,
            path,
            lambda plan: run_import(
                self,
                self.context,
                words=ImportWords(
                    title=_("Import hours"),
                    working=_("Importing hours entries…"),
                    step=lambda n: ngettext("Import {count} hours entry", "Import {count} hours entries", n).format(
                        count=format_number(n)
                    ),
                ),
                apply=hours_import.apply_hours_import,
                plan=plan,
                undo=hours_import.undo_hours_import,
                redo=hours_import.redo_hours_import,
                count=lambda report: report.count,
                after=self.reload,
                source=dialog.path,
            ),
        )

    # ------------------------------------------------------------------ hours

    def log_hours(self, volunteer: tuple[uuid.UUID, str] | None = None) -> None:
        workspace = self.context.workspace

        def find(text: str) -> list[tuple[uuid.UUID, str]]:
            return workspace.read(volunteers.volunteer_choices, query=text)

        def placements(volunteer_id: uuid.UUID) -> list[placement_service.PlacementRow]:
            return workspace.read(placement_service.list_placements, volunteer_id=volunteer_id, active_only=True)

        def save(placement_id: uuid.UUID, day: date, hours: float, activity: str) -> placement_service.HoursRow:
            entry_id = uuid.uuid4()
            made: list[bool] = []

            def do(session: Any) -> placement_service.HoursRow:
                if made:
                    placement_service.restore_hours(session, entry_id=entry_id)
                    return placement_service.list_hours(session, ids=[entry_id])[0]
                made.append(True)
                return placement_service.log_hours(
                    session, placement_id=placement_id, on_date=day, hours=hours, activity=activity, entry_id=entry_id
                )

            return run_undoable(
                self.context,
                _("Log {hours} hours").format(hours=f"{hours:g}"),
                do=do,
                undo=lambda s: placement_service.delete_hours(s, entry_id=entry_id),
            )

        LogHoursDialog(
            find=find,
            placements=placements,
            save=save,
            volunteer=volunteer if isinstance(volunteer, tuple) else None,
            parent=self,
        ).exec()
        self.reload()

    def week_grid(self) -> None:
        workspace = self.context.workspace

        def load(monday: date, opportunity_id: uuid.UUID | None) -> list[placement_service.WeekRow]:
            return workspace.read(placement_service.week_hours, monday=monday, opportunity_id=opportunity_id)

        def set_day(placement_id: uuid.UUID, day: date, hours: float) -> None:
            hidden: list[uuid.UUID] = []

            def do(session: Any) -> None:
                hidden[:] = placement_service.set_day_hours(
                    session, placement_id=placement_id, on_date=day, hours=hours
                )

            run_undoable(
                self.context,
                _("Set {day} to {hours} hours").format(day=format_short_date(day), hours=f"{hours:g}"),
                do=do,
                undo=lambda s: placement_service.restore_day_hours(
                    s, placement_id=placement_id, on_date=day, entry_ids=list(hidden)
                ),
            )

        opportunities = [
            (o.id, o.title) for o in workspace.read(opportunity_service.list_opportunities) if o.places_filled
        ]
        WeekHoursDialog(load=load, set_day=set_day, opportunities=opportunities, parent=self).exec()
        self.reload()

    # ------------------------------------------------------------------ certificates

    def _certify_selected(self) -> None:
        rows = sorted({i.row() for i in self.milestones_table.selectionModel().selectedRows()})
        if not rows:
            self.context.show_status(_("Select the volunteers to make certificates for first."))
            return
        chosen = [self.milestones_model.row_at(r) for r in rows]
        milestones = {m.milestone for m in chosen}
        self.make_certificates([m.volunteer_id for m in chosen], milestones.pop() if len(milestones) == 1 else None)
        self._reload_tab()

    def make_certificates(self, volunteer_ids: list[uuid.UUID], milestone: int | None) -> None:
        settings, names = self.context.workspace.read(
            lambda session: (
                settings_service.get_settings(session),
                [volunteers.get_volunteer(session, v).data.name for v in volunteer_ids],
            )
        )
        dialog = CertificateDialog(
            names=names,
            organisation=settings.organisation_name,
            milestone=milestone,
            language=self.context.settings.export_language(),
            parent=self,
        )
        if not dialog.exec() or dialog.value is None:
            return
        self.context.settings.set_export_language(dialog.value.language)
        suggested = Path.home() / ("certificate.pdf" if len(names) == 1 else "certificates.pdf")
        target = self.context.prompts.save_path(_("Save certificates"), suggested, _("PDF document (*.pdf)"))
        if target is None:
            return
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        logo = Path(settings.logo_path) if settings.logo_path else None
        chosen = dialog.value
        try:
            written = write_pdf_now(
                lambda: (
                    self.context.workspace.write(
                        recognition.write_certificates,
                        volunteer_ids=volunteer_ids,
                        path=target,
                        message=chosen.message,
                        organisation=settings.organisation_name,
                        signatory=chosen.signatory,
                        logo=logo,
                        milestone=milestone,
                        language=chosen.language,
                    ).value
                ),
                prompts=self.context.prompts,
            )
        except (CohesionError, OSError) as exc:
            self.context.prompts.error(
                _("Certificates"), _("The certificates were not made: {problem}").format(problem=exc)
            )
            return
        if written is None:
            self.context.show_status(_("No certificates were made."))
            return
        self.context.show_status(
            ngettext("{n} certificate saved to {path}", "{n} certificates saved to {path}", len(names)).format(
                n=len(names), path=written
            )
        )
