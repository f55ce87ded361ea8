"""The Partners page: the directory (search, filters, table, editor) and the remit map."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QModelIndex, QPoint, QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyleOptionComboBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.changes import Area, Changes
from cohesion_desktop.domain import RelationshipStage, Sector
from cohesion_desktop.errors import CohesionError, ValidationError
from cohesion_desktop.formatting import format_number
from cohesion_desktop.i18n import N_, _, ngettext
from cohesion_desktop.services import partner_import, partners
from cohesion_desktop.services.partners import PartnerInput
from cohesion_desktop.ui.context import ViewContext
from cohesion_desktop.ui.dialogs.new_partner_dialog import NewPartnerDialog
from cohesion_desktop.ui.import_runner import ImportWords, open_import_dialog, run_import
from cohesion_desktop.ui.models.partners_table_model import (
    COL_NAME,
    HEADERS,
    PartnerFilter,
    PartnersTableModel,
)
from cohesion_desktop.ui.undo import run_undoable
from cohesion_desktop.ui.views.page import Page
from cohesion_desktop.ui.views.partner_editor import PartnerEditor
from cohesion_desktop.ui.views.remit_map_view import RemitMapView
from cohesion_desktop.ui.widgets.choice_box import ChoiceBox
from cohesion_desktop.ui.widgets.flow_layout import FlowLayout
from cohesion_desktop.ui.widgets.row_opening import open_rows_with
from cohesion_desktop.ui.widgets.tables import give_room
from cohesion_desktop.ui.worker import ReadAhead

log = logging.getLogger(__name__)

HEADER_STATE_KEY = "partners/header_state"
# A change to these tables changes the rows of partners it does not name (a theme renamed, a link removed).
_TABLES_NAMED_IN_OTHER_ROWS = frozenset({"theme", "place", "partner_theme", "partner_place"})
_TABLES_OF_ROWS = frozenset({"partner", "contact"})  # a row read again by its partner's or contact's id
MOST_ROWS_READ_AGAIN = 500  # more changed records than this (an import, a merge): the directory is read whole
FIRST_SCREEN = 128  # rows read before the directory is shown: more than a tall window shows at once


class PartnersView(Page):
    title = N_("Partners")
    areas = frozenset({Area.PARTNERS, Area.WORKSHOPS, Area.VOLUNTEERING})

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        self._unread: Changes | None = None  # the changes heard of since the directory was last read whole
        super().__init__(context, parent)
        self._directory_stale = False  # the directory was not read again while the editor was shown
        # -- search and filters
        self.search_field = QLineEdit()
        self.search_field.setPlaceholderText(_("Search names, remits, themes, places and contacts (Ctrl+F)"))
        self.search_field.setAccessibleName(_("Search partners"))
        self.search_field.setClearButtonEnabled(True)
        self.search_field.textChanged.connect(lambda _text: self.apply_filter())
        self.sector_filter = self._filter_combo(_("All sectors"), [(s.label, s) for s in Sector], _("Sector filter"))
        self.theme_filter = self._filter_combo(_("All themes"), [], _("Theme filter"))
        self.place_filter = self._filter_combo(_("All places"), [], _("Place filter"))
        self.stage_filter = self._filter_combo(
            _("All stages"), [(s.label, s) for s in RelationshipStage], _("Relationship filter")
        )
        # A push button with a menu keeps room for its arrow beside the text; a tool button drew the arrow over the
        # last letter ("Colofnau" in Welsh, at 150%).
        self.columns_button = QPushButton(_("Columns"))
        self.columns_menu = QMenu(self.columns_button)
        self.columns_button.setMenu(self.columns_menu)
        self.import_button = QPushButton(_("Import…"))
        self.import_button.setToolTip(_("Import partners from an Excel or CSV file"))
        self.import_button.clicked.connect(self.import_partners)
        self.export_button = QPushButton(_("Export…"))
        self.export_button.setToolTip(_("The directory as shown (search, filters, columns) as Excel or a PDF to print"))
        self.export_button.clicked.connect(self.export_directory)
        self.add_button = QPushButton(_("Add partner"))
        self.add_button.setToolTip(_("Add a partner (Ctrl+N)"))
        self.add_button.clicked.connect(self.new_item)
        self.count_label = QLabel()
        self.count_label.setAccessibleName(_("Number of partners shown"))
        for combo in (self.sector_filter, self.theme_filter, self.place_filter, self.stage_filter):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())

        # -- the table
        self.model = PartnersTableModel(self)
        # The rest of the directory arrives from the background: counted again if another program changed it.
        self.model.modelReset.connect(self._rows_arrived)
        self._select_when_read: uuid.UUID | None = None  # the partner to select once the directory has been read
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Partners"))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() + 10)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self._restore_header()
        header.sectionMoved.connect(lambda *_: self._save_header())
        header.sectionResized.connect(lambda *_: self._save_header())
        header.sortIndicatorChanged.connect(lambda *_: self._save_header())
        open_rows_with(self.table, self._open_index)
        self._fill_columns_menu()

        self.empty_label = QLabel(
            _("<h3>No partners yet</h3><p>Add your first partner, or import the list you keep in a spreadsheet.</p>")
        )
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)

        # On a narrow window, at 150% or in a longer language the filters wrap onto a second line (the search field
        # takes what is left of its line) rather than squeezing each other's texts.
        filters = FlowLayout()
        # Never squeezed below the start of its hint (it said "C…" in Welsh at 150%), and no wider to begin with, so
        # that two drop-down lists share its line.
        self.search_field.setMinimumWidth(self.search_field.fontMetrics().averageCharWidth() * 20)
        filters.addWidget(self.search_field)
        for combo in (self.sector_filter, self.theme_filter, self.place_filter, self.stage_filter):
            filters.addWidget(combo)
        filters.addWidget(self.columns_button)
        actions = QHBoxLayout()
        actions.addWidget(self.count_label, 1)
        actions.addWidget(self.import_button)
        actions.addWidget(self.export_button)
        actions.addWidget(self.add_button)
        self.table_stack = QStackedWidget()
        self.table_stack.addWidget(self.table)
        self.table_stack.addWidget(self.empty_label)
        directory = QWidget()
        directory_layout = QVBoxLayout(directory)
        directory_layout.addLayout(filters)
        directory_layout.addLayout(actions)
        directory_layout.addWidget(self.table_stack, 1)

        # -- the editor replaces the directory while a partner is open
        self.editor = PartnerEditor(context)
        self.editor.back_requested.connect(self.show_directory)
        self.editor.deleted.connect(self._after_delete)
        self.directory_stack = QStackedWidget()
        self.directory_stack.addWidget(directory)
        self.directory_stack.addWidget(self.editor)

        self.remit_map = RemitMapView(context)
        self.remit_map.partner_opened.connect(self.open_partner)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.directory_stack, _("Directory"))
        self.tabs.addTab(self.remit_map, _("Remit map"))
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tabs)

    @staticmethod
    def _filter_combo(everything: str, items: list[tuple[str, Any]], name: str) -> ChoiceBox[Any]:
        combo = ChoiceBox(name, [(everything, None), *items])
        # As wide as "All sectors", not as the longest sector: a long item chosen is elided, and read whole in the
        # tooltip and the list.
        # Measured in the font shown, not counted in characters: a count of characters made each box as wide as that
        # many "x", far wider than a longer language's "All …" with its narrow letters, and the filters took three
        # lines.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(1)
        option = QStyleOptionComboBox()
        combo.initStyleOption(option)
        metrics = combo.fontMetrics()
        text = QSize(metrics.horizontalAdvance(everything) + 2 * metrics.averageCharWidth(), metrics.height())
        combo.setMinimumWidth(
            combo.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, text, combo).width()
        )
        combo.currentTextChanged.connect(combo.setToolTip)
        return combo

    # ------------------------------------------------------------------ loading and filtering

    def reload(self) -> None:
        if self.tabs.currentIndex() == 0 and self.directory_stack.currentWidget() is self.editor:
            # Only the partner on screen is read now; the directory when it is shown again (show_directory):
            # reading every partner after each saved field froze the window for 1.5 s on a large file.
            self._directory_stale = True
            self.editor.reload()
            return
        self._directory_stale = False
        if not self._read_changed_rows():
            self._read_whole()
        if self.tabs.currentWidget() is self.remit_map:
            self.remit_map.reload()
        if self.directory_stack.currentWidget() is self.editor:
            self.editor.reload()

    def _read_whole(self) -> None:
        """Every partner; when the directory shows the first by name, unfiltered (as when it opens), the first screen
        now and the rest from the background: reading all 10,000 of the large file took a third of a second."""
        self._unread = None
        workspace, wanted = self.context.workspace, self.current_filter()
        descending = self.model.first_screen_descending(wanted)

        def read(session: Any) -> tuple[list[partners.PartnerRow], int | None, Any, Any]:
            rows: list[partners.PartnerRow] = []  # with no first screen, every row is read in the background (below)
            total = None
            if descending is not None:
                rows, total = partners.first_partners(session, limit=FIRST_SCREEN, descending=descending)
            return rows, total, partners.themes(session), partners.places(session)

        rows, total, themes, places = workspace.read(read)
        for combo, items, everything in (
            (self.theme_filter, themes, _("All themes")),
            (self.place_filter, places, _("All places")),
        ):
            combo.set_choices([(everything, None), *((item.name, item.id) for item in items)])
        if descending is None:
            # Reopened with a search, a filter or another order (as the person left it): there is no first screen
            # to show, and reading every partner here froze the window for a second on the large file.
            self.model.read_all_later(
                wanted, lambda arrived: ReadAhead(self, workspace, partners.list_partners, arrived)
            )
        elif total is None or total <= len(rows):
            self.model.set_rows(rows, wanted)
        else:
            self.model.show_first(
                rows, wanted, total, lambda arrived: ReadAhead(self, workspace, partners.list_partners, arrived)
            )
        self._update_count()

    def _on_data_changed(self, changes: Changes) -> None:
        if changes.touches(self.areas):
            self._unread = changes if self._unread is None else self._unread | changes
        super()._on_data_changed(changes)

    def _read_changed_rows(self) -> bool:
        """Read again only the partners that the changes heard of since the last whole read name (after a partner
        was edited, its row alone; after hours were logged, none); False when they cannot say which (themes or
        places changed, an import), or when nothing was heard of (the page is read as when first opened)."""
        changes = self._unread
        if (
            changes is None
            or changes.tables is None
            or not changes.names_rows_of(_TABLES_OF_ROWS)
            or not changes.tables.isdisjoint(_TABLES_NAMED_IN_OTHER_ROWS)
            or len(changes.ids) > MOST_ROWS_READ_AGAIN
            or not self.model.total_count
        ):
            return False
        rows, looked_at = self.context.workspace.read(partners.directory_rows_of, changes.ids)
        self.model.patch(rows, looked_at)
        self._unread = None
        self._update_count()
        return True

    def current_filter(self) -> PartnerFilter:
        return PartnerFilter(
            query=self.search_field.text(),
            sector=self.sector_filter.value(),
            theme_id=self.theme_filter.value(),
            place_id=self.place_filter.value(),
            stage=self.stage_filter.value(),
        )

    def apply_filter(self) -> None:
        self.model.set_filter(self.current_filter())
        self._update_count()

    def _update_count(self) -> None:
        if self.model.reading:  # no row is shown until they have all been read: no count yet, and no "no partners"
            self.count_label.setText(_("Searching…") if self.current_filter() != PartnerFilter() else _("Reading…"))
            self.table_stack.setCurrentWidget(self.table)
            return
        shown, total = self.model.rowCount(), self.model.total_count
        self.count_label.setText(
            ngettext("{n} partner", "{n} partners", total).format(n=format_number(total))
            if shown == total
            else ngettext("{shown} of {total} partner match", "{shown} of {total} partners match", total).format(
                shown=format_number(shown), total=format_number(total)
            )
        )
        self.table_stack.setCurrentWidget(self.empty_label if total == 0 else self.table)

    def _rows_text(self) -> str:
        """The rows an export takes: "40 partners", or "12 of 40 partners" when a search or filter narrows them."""
        self.model.wait_for_rows()
        shown, total = self.model.rowCount(), self.model.total_count
        if shown == total:
            return ngettext("{n} partner", "{n} partners", total).format(n=format_number(total))
        return ngettext("{shown} of {total} partner", "{shown} of {total} partners", total).format(
            shown=format_number(shown), total=format_number(total)
        )

    # ------------------------------------------------------------------ columns

    def _fill_columns_menu(self) -> None:
        self.columns_menu.clear()
        header = self.table.horizontalHeader()
        for column, title in enumerate(HEADERS):
            action = QAction(_(title), self.columns_menu)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.setEnabled(column != COL_NAME)  # a table without names would make no sense
            action.toggled.connect(lambda visible, column=column: self.set_column_visible(column, visible))
            self.columns_menu.addAction(action)

    def set_column_visible(self, column: int, visible: bool) -> None:
        self.table.horizontalHeader().setSectionHidden(column, not visible)
        self._save_header()

    def _header_menu(self, point: QPoint) -> None:
        self._fill_columns_menu()
        self.columns_menu.exec(self.table.horizontalHeader().mapToGlobal(point))

    def _save_header(self) -> None:
        self.context.settings.set_value(HEADER_STATE_KEY, self.table.horizontalHeader().saveState())

    def _restore_header(self) -> None:
        """The columns the user chose and their order (saved), at widths for today's font and scaling."""
        state = self.context.settings.value(HEADER_STATE_KEY)
        header = self.table.horizontalHeader()
        if isinstance(state, QByteArray | bytes):
            header.restoreState(QByteArray(state))
            header.setSectionHidden(COL_NAME, False)
        give_room(self.table, stretch=COL_NAME, chars=(24, 16, 4, 26, 20, 14, 14, 14))

    # ------------------------------------------------------------------ export

    def shown_columns(self) -> list[str]:
        """The titles of the table's visible columns, in the order the user arranged them."""
        header = self.table.horizontalHeader()
        logical = [header.logicalIndex(visual) for visual in range(header.count())]
        return [HEADERS[column] for column in logical if not header.isSectionHidden(column)]

    def export_directory(self) -> None:
        """The directory as shown: its search, filters and order, the columns chosen (visible ones ticked)."""
        from cohesion_desktop.services import lists
        from cohesion_desktop.ui.dialogs.list_export_dialog import ListExportDialog
        from cohesion_desktop.ui.list_exports import choose_target, write_in_background

        title = _("Export partner directory")
        shown = self.shown_columns()
        dialog = ListExportDialog(
            title=title,
            rows_text=self._rows_text(),
            columns=[*shown, *(column for column in lists.PARTNER_COLUMNS if column not in shown)],
            chosen=shown,
            parent=self,
        )
        if not dialog.exec() or dialog.value is None:
            return
        choices = dialog.value
        target = choose_target(self.context.prompts, title, "partner-directory", ".pdf" if choices.pdf else ".xlsx")
        if target is None:
            return
        workspace, wanted, rows = self.context.workspace, self.current_filter(), self.model.rows()
        write_in_background(
            self,
            self.context.prompts,
            title=title,
            work=lambda: workspace.read(
                lists.export_partner_directory, path=target, wanted=wanted, columns=choices.columns, rows=rows
            ),
            done=lambda path: _("The partner directory was saved to {path}.").format(path=path),
            show_status=self.context.show_status,
        )

    # ------------------------------------------------------------------ opening and adding

    def on_shown(self, **what: Any) -> None:
        super().on_shown()
        action = what.get("action")
        if what.get("select_id"):
            self.open_partner(what["select_id"])
        elif action == "new":
            self.new_item()
        elif action == "import":
            self.import_partners()

    def focus_search(self) -> None:
        self.show_directory()
        self.search_field.setFocus()
        self.search_field.selectAll()

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_partner(self.model.row_at(index.row()).id)

    def open_partner(self, partner_id: uuid.UUID) -> None:
        if self.editor.show_partner(partner_id):
            self.tabs.setCurrentIndex(0)
            self.directory_stack.setCurrentWidget(self.editor)
            self.editor.name_field.setFocus()

    def show_directory(self) -> None:
        if self.directory_stack.currentWidget() is self.editor:
            self.editor.commit_pending()
            shown = self.editor.partner
            self.directory_stack.setCurrentIndex(0)
            if self._stale or self._directory_stale:
                self.reload()
            self._stale = False
            self._select_when_read = shown.id if shown is not None else None
            if not self.model.reading:  # else when the rows have arrived: waiting for them froze the window
                self._select_partner_shown()
            self.table.setFocus()

    def _rows_arrived(self) -> None:
        self._update_count()
        if not self.model.reading:
            self._select_partner_shown()

    def _select_partner_shown(self) -> None:
        """Select the partner that the editor showed last, now that the directory shows it again."""
        shown, self._select_when_read = self._select_when_read, None
        if shown is not None and (row := self.model.row_of(shown)) is not None:
            self.table.selectRow(row)

    def _after_delete(self, name: str) -> None:
        self.show_directory()
        self.reload()
        self.context.show_status(_("Deleted {name}.").format(name=name), offer_undo=True)

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.remit_map:
            self.editor.commit_pending()
            self.remit_map.reload()

    def new_item(self) -> None:
        def check(name: str, sector: Sector) -> str | None:
            try:
                self.context.workspace.read(partners.check_new_name, name=name, sector=sector)
            except ValidationError as exc:
                return str(exc)
            return None

        def similar(name: str) -> list[partners.SimilarPartner]:
            return self.context.workspace.read(partners.find_similar, name=name)

        dialog = NewPartnerDialog(check, similar, parent=self)
        if not dialog.exec() or dialog.result_value is None:
            return
        choice = dialog.result_value
        if choice.open_id is not None:
            self.open_partner(choice.open_id)
            return
        data = PartnerInput(name=choice.name, sector=choice.sector, is_sme=choice.is_sme)
        made: list[uuid.UUID] = []

        def add(session: Any) -> partners.PartnerDetail:
            if made:  # redo after an undo brings the same partner back
                partners.restore_partner(session, partner_id=made[0])
                return partners.get_partner(session, made[0])
            created = partners.create_partner(session, data=data)
            made.append(created.id)
            return created

        try:
            created = run_undoable(
                self.context,
                _("Add {name}").format(name=choice.name),
                do=add,
                undo=lambda s: partners.delete_partner(s, partner_id=made[0]),
            )
        except CohesionError as exc:
            self.context.prompts.error(_("Add a partner"), str(exc))
            return
        self.reload()
        self.open_partner(created.id)

    def import_partners(self) -> None:
        from cohesion_desktop.ui.dialogs.import_partners_dialog import ImportPartnersDialog

        dialog = ImportPartnersDialog(self.context, parent=self)
        open_import_dialog(self, dialog, None, lambda plan: self.apply_import(plan, source=dialog.path))

    def apply_import(self, plan: partner_import.ImportPlan, *, source: Path | None = None) -> None:
        """Write an import plan in the background, then make the whole import one step on the undo stack."""
        run_import(
            self,
            self.context,
            words=ImportWords(
                title=_("Import partners"),
                working=_("Importing partners…"),
                step=lambda n: ngettext("Import {count} partner", "Import {count} partners", n).format(
                    count=format_number(n)
                ),
            ),
            apply=partner_import.apply_import,
            plan=plan,
            undo=partner_import.undo_import,
            redo=partner_import.redo_import,
            count=lambda report: len(report.added) + len(report.updated),
            after=self.reload,
            source=source,
        )
