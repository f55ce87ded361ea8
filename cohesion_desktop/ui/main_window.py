"""The main window: a sidebar of pages, the menus, and the one data file that is open."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop import APP_NAME, __version__, i18n, paths
from cohesion_desktop.errors import CohesionError, TeamDatabaseRefusedError
from cohesion_desktop.formatting import format_iso_date, format_number
from cohesion_desktop.i18n import N_, _, ngettext
from cohesion_desktop.logging_setup import log_file
from cohesion_desktop.ui.access_gates import (
    Gate,
    changes_settings,
    counts_people,
    data_file_only,
    hidden_pages,
    makes_changes,
    merges_files,
    role_note,
    sees_people,
    team_database_only,
)
from cohesion_desktop.ui.app_settings import AppSettings
from cohesion_desktop.ui.context import DataBus, ViewContext
from cohesion_desktop.ui.data_file import DATA_FILE_FILTER, DataFileKeeper
from cohesion_desktop.ui.live_refresh import OtherCopiesChanges
from cohesion_desktop.ui.prompts import Prompts
from cohesion_desktop.ui.screen_fit import ScreenFitting, first_window_size, keep_on_screen
from cohesion_desktop.ui.translation import LANGUAGE_KEY, apply_language
from cohesion_desktop.ui.widgets.command_button import CommandButton
from cohesion_desktop.ui.worker import TaskControl, start_task

if TYPE_CHECKING:
    from cohesion_desktop.db.server import ServerAddress
    from cohesion_desktop.ui.views.dashboard_view import DashboardView
    from cohesion_desktop.ui.views.page import Page
    from cohesion_desktop.workspace import Workspace

# Storage (SQLAlchemy, SQLModel) and the pages are imported when a data file opens, not before the window
# is shown: they take longer to import than the window takes to appear.

log = logging.getLogger(__name__)

# As db/server.py's CONNECT_TIMEOUT_S (not imported: storage is imported once a file opens, after the window shows).
CONNECT_WAIT_S = 5
PREFERRED_SIZE = QSize(1280, 800)  # the first size on a screen with room for it; smaller screens open maximised

# The sidebar, in order: key, label (translated where shown), and where the page's class lives ("module:Class").
PAGES: list[tuple[str, str, str]] = [
    ("dashboard", N_("Dashboard"), "cohesion_desktop.ui.views.dashboard_view:DashboardView"),
    ("partners", N_("Partners"), "cohesion_desktop.ui.views.partners_view:PartnersView"),
    ("opportunities", N_("Opportunities"), "cohesion_desktop.ui.views.opportunities_view:OpportunitiesView"),
    ("volunteers", N_("Volunteers"), "cohesion_desktop.ui.views.volunteers_view:VolunteersView"),
    ("workshops", N_("Workshops"), "cohesion_desktop.ui.views.workshops_view:WorkshopsView"),
    ("actions", N_("Actions"), "cohesion_desktop.ui.views.actions_view:ActionsView"),
]


# After a file opens and the window has been idle this long, the pages not visited yet are made one at a time,
# PREBUILD_GAP_MS apart, so that a first visit later costs no more than a second one.
PREBUILD_AFTER_MS = 1500
PREBUILD_GAP_MS = 200


def page_class(spec: str) -> Callable[[ViewContext], Page]:
    module, name = spec.split(":")
    page: Callable[[ViewContext], Page] = getattr(importlib.import_module(module), name)
    return page


class Pages(Mapping[str, "Page"]):
    """The open file's pages, each made the first time it is wanted. Making all six was most of the time it took
    to open a file (the Volunteers page alone ~0.15 s, with its editor), mostly for pages not visited that time."""

    def __init__(
        self,
        context: ViewContext,
        stack: QStackedWidget,
        made: Callable[[str, Page], None],
        hidden: frozenset[str] = frozenset(),
    ) -> None:
        self._context = context
        self._stack = stack
        self._on_made = made
        self._made: dict[str, Page] = {}
        self.hidden = hidden  # the pages the account may not see (the Volunteers page for a facilitator)

    def __getitem__(self, key: str) -> Page:
        if key in self.hidden:
            raise KeyError(key)
        page = self._made.get(key)
        if page is None:
            spec = next((spec for page_key, _label, spec in PAGES if page_key == key), None)
            if spec is None:
                raise KeyError(key)
            page = page_class(spec)(self._context)
            page.setObjectName(f"page_{key}")
            self._stack.addWidget(page)
            self._made[key] = page
            self._on_made(key, page)
        return page

    def __iter__(self) -> Iterator[str]:
        return (key for key, _label, _spec in PAGES if key not in self.hidden)

    def __len__(self) -> int:
        return len(PAGES) - len(self.hidden)

    def made(self) -> list[Page]:
        """The pages made so far (iterating the mapping itself would make them all)."""
        return list(self._made.values())

    def key_of(self, page: Page | None) -> str | None:
        return next((key for key, made in self._made.items() if made is page), None)

    def first_not_made(self) -> str | None:
        return next((key for key in self if key not in self._made), None)


class EventFilters(QObject):
    """Several app-wide event filters installed as one: every event of the app crosses from Qt into Python once,
    not once per filter (wrapping each event and its receiver for Python was most of what the filters cost: 6% of
    opening a workshop, profiled, with two filters)."""

    def __init__(self, filters: list[QObject], parent: QObject) -> None:
        super().__init__(parent)
        self._filters = filters

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        return any(each.eventFilter(watched, event) for each in self._filters)


class NoDataFileView(QWidget):
    """Shown when no data file is open (it failed to open, or the user declined every offer)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        open_button = CommandButton(_("Open a data file…"), _("Choose a .sqlite file on this laptop or a USB stick"))
        new_button = CommandButton(_("Create a new data file…"), _("Start empty; nothing else is changed"))
        restore_button = CommandButton(_("Restore from a backup…"), _("Put a backup copy in place of a data file"))
        connect_button = CommandButton(
            _("Connect to a team database…"), _("Your organisation's shared database on a PostgreSQL server")
        )
        self.buttons = [open_button, new_button, restore_button, connect_button]
        open_button.clicked.connect(window.choose_and_open)
        new_button.clicked.connect(window.new_data_file)
        restore_button.clicked.connect(window.restore_from_backup)
        connect_button.clicked.connect(lambda _checked=False: window.connect_to_team_database())
        inner = QVBoxLayout()
        self.heading = QLabel("<h2>{}</h2>".format(_("No data file is open")))
        inner.addWidget(self.heading)
        inner.addWidget(self.message)
        for button in self.buttons:
            inner.addWidget(button)
        inner.addStretch(1)
        row = QHBoxLayout(self)
        row.addStretch(1)
        row.addLayout(inner, 3)
        row.addStretch(1)

    def show_opening(self, path: Path | str) -> None:
        """While a file is checked and opened: say so, and offer nothing that could interfere. ``path`` is a team
        database's name (database and server) while one is connected to."""
        if isinstance(path, str):
            self.heading.setText("<h2>{}</h2>".format(_("Connecting to {name}…").format(name=path)))
            self.message.setText(
                _(
                    "Connecting to the team database {name}. A server that cannot be reached is said within {n} "
                    "seconds."
                ).format(name=path, n=CONNECT_WAIT_S)
            )
        else:
            self.heading.setText("<h2>{}</h2>".format(_("Opening {name}…").format(name=path.name)))
            self.message.setText(
                _(
                    "Checking that {path} is healthy before anything is changed. A very large file takes a few seconds."
                ).format(path=path)
            )
        for button in self.buttons:
            button.hide()

    def show_closed(self, message: str) -> None:
        self.heading.setText("<h2>{}</h2>".format(_("No data file is open")))
        self.message.setText(message or _("Open a data file, create a new one, or restore a backup."))
        for button in self.buttons:
            button.show()


class MainWindow(QMainWindow):
    """Signals: ``data_file_opened(Path)`` once a file is open and its pages are built;
    ``data_file_failed(Path)`` when a file could not be opened (after the user was told why)."""

    data_file_opened = Signal(object)
    data_file_failed = Signal(object)

    def __init__(self, *, prompts: Prompts, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prompts = prompts
        self.settings = settings
        self.files = DataFileKeeper(prompts=prompts, settings=settings, parent=self)
        self.files.opening.connect(self._show_opening)
        self.files.opened.connect(self._show_workspace)
        self.files.failed.connect(self._file_failed)
        # Asked again once the failure has been shown (not inside the opening's own call, which may be the start-up's).
        self.files.refused.connect(
            lambda address, problem: QTimer.singleShot(
                0, lambda: self.connect_to_team_database(known=address, refused=problem)
            ),
            Qt.ConnectionType.QueuedConnection,
        )
        self.files.said.connect(lambda text, ms: self.statusBar().showMessage(text, ms))
        self.undo_stack = QUndoStack(self)
        self.bus = DataBus(self)
        self.pages: Pages | dict[str, Page] = {}
        self.dashboard: DashboardView | None = None  # its period is the funder export's first choice
        self.context: ViewContext | None = None  # what the pages of the open file were given
        self._prebuild_timer = QTimer(self)
        self._prebuild_timer.setSingleShot(True)
        self._prebuild_timer.timeout.connect(self._prebuild_next_page)
        self._listened_to: Workspace | None = None
        self._other_copies: OtherCopiesChanges | None = None  # team mode: other people's changes, live
        self._no_file_message = ""
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(QSize(640, 420))  # a 1366×768 laptop at 150% has 911×464 to offer
        self._conventions: list[QObject] = []  # the app-wide event filters, once installed (install_conventions)

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName(_("Sections"))
        # Roomy items without a style sheet (one would keep the colours of the palette it was set under).
        item_height = round(self.sidebar.fontMetrics().lineSpacing() * 2.2)
        for key, label, _factory in PAGES:
            item = QListWidgetItem(_(label))
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setSizeHint(QSize(0, item_height))
            self.sidebar.addItem(item)
        # As wide as its longest label and its padding, whatever the font and scaling.
        self._fit_sidebar()
        self.sidebar.currentRowChanged.connect(self._on_sidebar_row_changed)

        self.stack = QStackedWidget()
        self.no_file_view = NoDataFileView(self)
        self.stack.addWidget(self.no_file_view)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.file_label = QLabel()
        self.undo_button = QPushButton(_("Undo"))
        self.undo_button.setAccessibleName(_("Undo the last change"))
        self.undo_button.clicked.connect(self._undo_offered_change)
        self.undo_button.hide()
        self._offered_undo_index = -1  # the undo stack's index just after the change the button undoes
        self.undo_stack.indexChanged.connect(self._forget_undo_offer_if_moved)
        self._undo_button_timer = QTimer(self)
        self._undo_button_timer.setSingleShot(True)
        self._undo_button_timer.timeout.connect(self.undo_button.hide)
        self.statusBar().addPermanentWidget(self.undo_button)
        self.statusBar().addPermanentWidget(self.file_label)
        self._build_menus()
        self._show_no_file("")

        geometry = settings.value("window/geometry")
        self.opens_maximised = False
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            keep_on_screen(self)  # saved on a larger screen, or before the scaling changed
        else:
            size, self.opens_maximised = first_window_size(self, PREFERRED_SIZE)
            self.resize(size)

    def install_conventions(self) -> None:
        """Apply the keyboard conventions, the focus ring and the screen fitting to every widget of the app (once;
        again does nothing).

        Called once the window has been painted (``start_window``), before any key or dialog can reach it, not
        while the window is made: the first object of one of Qt's private classes that passes a Python event
        filter (the gesture manager's first property change, the window's QWidgetWindow) makes PySide6 build the
        Python classes and enums of every Qt class not used yet — about 130 enums, a third of the time the
        window took to appear. The window itself is already fitted to the screen by then (``__init__``)."""
        if self._conventions:
            return
        # Imported here, after the first paint too: its fifteen widget classes are made ready as they are imported.
        from cohesion_desktop.ui.keyboard import FocusRing, KeyboardConventions

        application = QApplication.instance()
        assert application is not None  # the window needs one
        # Children of the window: Qt drops the filter when the window goes.
        filters = EventFilters([KeyboardConventions(self), ScreenFitting(self)], self)
        application.installEventFilter(filters)
        self._conventions = [filters, FocusRing(self)]

    def _fit_sidebar(self) -> None:
        """As wide as its longest label and its padding, whatever the font, scaling and language."""
        metrics = self.sidebar.fontMetrics()
        widest = max(metrics.horizontalAdvance(_(label)) for _key, label, _f in PAGES)
        self.sidebar.setFixedWidth(widest + 3 * metrics.averageCharWidth() + 24)

    def change_language(self, code: str) -> None:
        """Speak ``code`` from now on, and from the next start: menus, sidebar and pages are built again in it.

        Nothing is lost: every edit was stored as it was made, and the page in front stays in front. The undo
        history starts again, as when a file opens: its steps end by refreshing the pages that made them, which
        are gone (undoing one after the switch crashed the app)."""
        self.settings.set_value(LANGUAGE_KEY, code)
        apply_language(code)
        self._build_menus()
        for row, (_key, label, _factory) in enumerate(PAGES):
            item = self.sidebar.item(row)
            if item is not None:
                item.setText(_(label))
        self.sidebar.setAccessibleName(_("Sections"))
        self._fit_sidebar()
        self.undo_button.setText(_("Undo"))
        self.undo_button.setAccessibleName(_("Undo the last change"))
        old_view = self.no_file_view
        self.no_file_view = NoDataFileView(self)
        self.stack.insertWidget(0, self.no_file_view)
        self.stack.removeWidget(old_view)
        old_view.deleteLater()
        workspace = self.workspace
        if workspace is None:
            self._show_no_file(self._no_file_message)
            return
        shown = self.pages.key_of(self.current_page()) if isinstance(self.pages, Pages) else None
        self.undo_stack.clear()
        self._build_pages(workspace)
        self._show_file_state(workspace)
        self.navigate(shown or "dashboard")
        self._prebuild_timer.start(PREBUILD_AFTER_MS)

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], Any],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        *,
        needs_file: bool = False,
        gate: Gate | None = None,
    ) -> QAction:
        action = menu.addAction(text)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if needs_file:
            self._file_actions.append(action)
        if gate is not None:
            self._gated_actions.append((action, gate))
        return action

    def _build_menus(self) -> None:
        """The menu bar's menus, in the language spoken now. Built again after a change of language: the menus of
        the old language are deleted with everything they own (their actions, the undo and redo actions and their
        shortcuts), not only taken off the bar, where they stayed alive and kept their shortcuts."""
        for old_menu in self.menuBar().findChildren(QMenu, options=Qt.FindChildOption.FindDirectChildrenOnly):
            old_menu.deleteLater()
        self.menuBar().clear()
        self._file_actions: list[QAction] = []
        # Actions that the open data may not allow (a team database, an account's role), each with why not.
        self._gated_actions: list[tuple[QAction, Gate]] = []
        self._page_actions: dict[str, QAction] = {}
        file_menu = self.menuBar().addMenu(_("&File"))
        file_menu.setToolTipsVisible(True)  # why an item is greyed out
        self._action(file_menu, _("&New data file…"), self.new_data_file, "Ctrl+Shift+N")
        self._action(file_menu, _("&Open data file…"), self.choose_and_open, QKeySequence.StandardKey.Open)
        self._action(file_menu, _("Connect to a &team database…"), self.connect_to_team_database)
        self.recent_menu = file_menu.addMenu(_("Recent &files"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        self._action(
            file_menu,
            _("&Export summary for funders…"),
            self.export_summary,
            "Ctrl+E",
            needs_file=True,
            gate=counts_people,
        )
        self._action(file_menu, _("Export &mailing list…"), self.export_mailing_list, needs_file=True, gate=sees_people)
        self._action(file_menu, _("Export &calendar…"), self.export_calendar, needs_file=True, gate=sees_people)
        self._action(file_menu, _("&Settings…"), self.edit_settings, needs_file=True, gate=changes_settings)
        file_menu.addSeparator()
        self._action(
            file_menu, _("&Back up now…"), self.back_up_now, "Ctrl+Shift+B", needs_file=True, gate=data_file_only
        )
        self._action(file_menu, _("&Restore from backup…"), self.restore_from_backup, gate=data_file_only)
        self._action(
            file_menu, _("Take an offline cop&y…"), self.take_offline_copy, needs_file=True, gate=team_database_only
        )
        self._action(
            file_menu, _("&Merge another data file…"), self.merge_another_file, needs_file=True, gate=merges_files
        )
        file_menu.addSeparator()
        self._action(file_menu, _("&Quit"), self.close, QKeySequence.StandardKey.Quit)

        edit_menu = self.menuBar().addMenu(_("&Edit"))
        # Owned by their menu, so that they go with it.
        undo = self.undo_stack.createUndoAction(edit_menu, _("&Undo"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(edit_menu, _("&Redo"))
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        edit_menu.addSeparator()
        edit_menu.setToolTipsVisible(True)
        self._action(
            edit_menu, _("&New"), self._new_item, QKeySequence.StandardKey.New, needs_file=True, gate=makes_changes
        )
        self._action(edit_menu, _("&Find"), self._focus_search, QKeySequence.StandardKey.Find, needs_file=True)

        view_menu = self.menuBar().addMenu(_("&View"))
        for number, (key, label, _factory) in enumerate(PAGES, start=1):
            self._page_actions[key] = self._action(
                view_menu, _(label), partial(self.navigate, key), f"Ctrl+{number}", needs_file=True
            )
        view_menu.addSeparator()
        full_screen = self._action(view_menu, _("&Full screen"), self._toggle_full_screen, "F11")
        full_screen.setCheckable(True)

        help_menu = self.menuBar().addMenu(_("&Help"))
        self._action(help_menu, _("&About {app}").format(app=APP_NAME), self.show_about)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_files()
        if not recent:
            self.recent_menu.addAction(_("(none yet)")).setEnabled(False)
        for path in recent:  # a data file's path, or a team database's address (never with its password)
            action = self.recent_menu.addAction(str(path))
            # A team database in the background: a server that does not answer takes seconds to say so.
            action.triggered.connect(
                lambda _checked=False, path=path: self.open_data_file(path, background=isinstance(path, str))
            )

    def _toggle_full_screen(self) -> None:
        self.setWindowState(self.windowState() ^ Qt.WindowState.WindowFullScreen)

    # ------------------------------------------------------------------ pages

    def _build_pages(self, workspace: Workspace) -> None:
        self._forget_pages()
        self.context = context = ViewContext(
            workspace=workspace,
            prompts=self.prompts,
            undo_stack=self.undo_stack,
            settings=self.settings,
            bus=self.bus,
            navigate=self.navigate,
            show_status=self.show_status,
        )
        if self._listened_to is not workspace:  # pages built again (a new language) must not hear twice
            workspace.listen(self.bus.publish)  # every write's notice reaches the pages
            self._listened_to = workspace
            if self._other_copies is not None:
                self._other_copies.forget()
                self._other_copies.deleteLater()
            self._other_copies = OtherCopiesChanges(workspace, self)  # and so does other people's, on a team database
        self.pages = Pages(context, self.stack, self._page_made, hidden_pages(workspace))
        self.pages["dashboard"]  # the first page shown: a page that cannot be made fails the opening here

    def _forget_pages(self) -> None:
        self._prebuild_timer.stop()
        pages = self.pages.made() if isinstance(self.pages, Pages) else []
        for page in pages:
            self.stack.removeWidget(page)
            page.deleteLater()
        self.pages = {}
        self.dashboard = None

    def _page_made(self, key: str, page: Page) -> None:
        workspace = self.workspace
        if workspace is not None and (reason := makes_changes(workspace)) is not None:
            from cohesion_desktop.ui.read_only import lock_for_reading

            lock_for_reading(page, reason)
        if key != "dashboard":
            return
        from cohesion_desktop.ui.views.dashboard_view import DashboardView

        assert isinstance(page, DashboardView)
        self.dashboard = page
        page.load_example_requested.connect(self.load_example_data)
        page.import_requested.connect(lambda: self.navigate("partners", action="import"))
        page.add_partner_requested.connect(lambda: self.navigate("partners", action="new"))
        page.export_requested.connect(self.export_summary)
        page.settings_requested.connect(self.edit_settings)

    def _prebuild_next_page(self) -> None:
        """Make one page not visited yet (the timer comes back for the next one)."""
        if self.workspace is None or not isinstance(self.pages, Pages) or (key := self.pages.first_not_made()) is None:
            return
        try:
            self.pages[key]
        except Exception:  # said to the user when they go to that page, as the error it is
            log.exception("could not make the %s page in advance", key)
            return
        self._prebuild_timer.start(PREBUILD_GAP_MS)

    def show_status(self, text: str, *, offer_undo: bool = False) -> None:
        """A message in the status bar; with ``offer_undo``, an Undo button beside it for a while, which undoes the
        change just made and nothing else (it goes as soon as that change is undone, or another is made)."""
        self.statusBar().showMessage(text, 12000)
        self.undo_button.setVisible(offer_undo)
        self._offered_undo_index = self.undo_stack.index() if offer_undo else -1
        if offer_undo:
            self._undo_button_timer.start(12000)

    def _forget_undo_offer_if_moved(self, index: int) -> None:
        if index != self._offered_undo_index:
            self.undo_button.hide()
            self._offered_undo_index = -1

    def _undo_offered_change(self) -> None:
        if self._offered_undo_index >= 0 and self.undo_stack.index() == self._offered_undo_index:
            self.undo_stack.undo()
        self.undo_button.hide()

    def navigate(self, key: str, **what: Any) -> None:
        """Bring a page to the front; ``what`` tells it what to show (a partner, an entry …)."""
        try:
            page = self.pages.get(key)
        except Exception as exc:  # a page that cannot be made: the window stays where it was
            log.exception("could not make the %s page", key)
            label = next(label for page_key, label, _spec in PAGES if page_key == key)
            self.prompts.error(
                APP_NAME,
                _("The {page} page could not be shown: {problem}. The details are in the log file, {log}.").format(
                    page=_(label), problem=exc, log=log_file()
                ),
            )
            return
        if page is None:
            return
        row = next(i for i, (page_key, _label, _f) in enumerate(PAGES) if page_key == key)
        self.sidebar.blockSignals(True)
        self.sidebar.setCurrentRow(row)
        self.sidebar.blockSignals(False)
        self.stack.setCurrentWidget(page)
        page.on_shown(**what)

    def current_page(self) -> Page | None:
        widget = self.stack.currentWidget()
        made = self.pages.made() if isinstance(self.pages, Pages) else []
        return next((page for page in made if page is widget), None)

    def _on_sidebar_row_changed(self, row: int) -> None:
        if 0 <= row < len(PAGES) and self.workspace is not None:
            self.navigate(PAGES[row][0])

    def _new_item(self) -> None:
        page = self.current_page()
        if page is not None:
            page.new_item()

    def _focus_search(self) -> None:
        page = self.current_page()
        if page is not None:
            page.focus_search()

    # ------------------------------------------------------------------ opening files

    def _show_no_file(self, message: str) -> None:
        self._prebuild_timer.stop()
        self._no_file_message = message
        self.no_file_view.show_closed(message)
        self.stack.setCurrentWidget(self.no_file_view)
        self.sidebar.setEnabled(False)
        for action, _gate in self._gated_actions:
            action.setEnabled(True)
            action.setToolTip("")
        for action in self._file_actions:
            action.setEnabled(False)
        self.file_label.setText(_("No data file open"))
        self.setWindowTitle(APP_NAME)

    @property
    def workspace(self) -> Workspace | None:
        """The open data file's workspace (None when none is open)."""
        return self.files.workspace

    @property
    def open_failed(self) -> bool:
        return self.files.open_failed

    def open_data_file(
        self, path: Path | str, *, create: bool = True, background: bool = False, start_afresh: bool = False
    ) -> bool:
        """Open ``path`` (or a team database's address) in place of the current file (see
        :meth:`DataFileKeeper.open`)."""
        return self.files.open(path, create=create, background=background, start_afresh=start_afresh)

    def _show_opening(self, path: Path | str) -> None:
        if self.workspace is not None:
            if isinstance(path, str):  # a team database, connected to while a file stays open until it is
                self.statusBar().showMessage(_("Connecting to {name}…").format(name=path), 6000)
            return
        self.no_file_view.show_opening(path)
        self.stack.setCurrentWidget(self.no_file_view)
        self.sidebar.setEnabled(False)
        self.file_label.setText(_("Opening {path}…").format(path=path))

    def _file_failed(self, path: Path, message: str) -> None:
        if self.workspace is None:
            self._show_no_file(message)
        self.data_file_failed.emit(path)

    def _show_workspace(self, workspace: Workspace) -> None:
        try:
            self.undo_stack.clear()
            self._build_pages(workspace)
        except Exception as exc:  # a page that cannot be built must not leave a half-open window
            log.exception("could not show %s", workspace.where)
            self._forget_pages()
            self.files.could_not_show(workspace, exc)
            return
        self._show_file_state(workspace)
        self.navigate("dashboard")
        self._prebuild_timer.start(PREBUILD_AFTER_MS)
        self.data_file_opened.emit(workspace.target)

    def _show_file_state(self, workspace: Workspace) -> None:
        self.sidebar.setEnabled(True)
        for action in self._file_actions:
            action.setEnabled(True)
        for action, gate in self._gated_actions:
            reason = gate(workspace)
            action.setEnabled(reason is None)
            action.setToolTip(reason or "")
        hidden = hidden_pages(workspace)
        for row, (key, _label, _factory) in enumerate(PAGES):
            item = self.sidebar.item(row)
            if item is not None:
                item.setHidden(key in hidden)
            self._page_actions[key].setVisible(key not in hidden)
        if workspace.path is not None:
            self.file_label.setText(str(workspace.path))
        else:
            self.file_label.setText(_("Team database {name}").format(name=workspace.title) + role_note(workspace))
        self.setWindowTitle(f"{workspace.title} – {APP_NAME}")

    def _start_folder(self) -> Path:
        """Where File → Open and New start: the open file's folder, else the data folder (also on a team database)."""
        path = self.workspace.path if self.workspace is not None else None
        return path.parent if path is not None else paths.data_dir()

    def connect_to_team_database(
        self, *, known: ServerAddress | None = None, refused: TeamDatabaseRefusedError | None = None
    ) -> None:
        """File → Connect to a team database…: its address and password asked, the password kept in the keyring if
        wished, then opened in the background (a server that cannot be reached is said within seconds). Also asked
        again when the server refused the account or password, or has no such database (``refused``, for the
        address ``known``): the dialog says what was wrong, its fields filled as tried, the password empty."""
        from cohesion_desktop.db import team_login
        from cohesion_desktop.db.server import ServerAddress
        from cohesion_desktop.ui.dialogs.connect_dialog import ConnectDialog

        if known is None:
            last = next((str(p) for p in self.settings.recent_files() if paths.is_team_database(str(p))), None)
            known = ServerAddress.parse(last) if last else None
        dialog = ConnectDialog(known=known, refused=refused, keyring=team_login.keyring_available(), parent=self)
        if not dialog.exec() or dialog.value is None:
            return
        self.files.connect_team_database(dialog.value.address, remember_password=dialog.value.remember_password)

    def choose_and_open(self) -> None:
        start = self._start_folder()
        chosen = self.prompts.open_path(_("Open data file"), start, _(DATA_FILE_FILTER))
        if chosen is not None:
            self.open_data_file(chosen, create=False)

    def new_data_file(self) -> None:
        start = self._start_folder() / "new-cohesion.sqlite"
        chosen = self.prompts.save_path(_("New data file"), start, _(DATA_FILE_FILTER))
        if chosen is None:
            return
        if chosen.suffix == "":
            chosen = chosen.with_suffix(".sqlite")
        if chosen.exists():
            self.prompts.error(
                _("New data file"),
                _("{path} already exists. Choose another name, or use File → Open data file to open it.").format(
                    path=chosen
                ),
            )
            return
        self.open_data_file(chosen, create=True)

    # ------------------------------------------------------------------ backups

    def back_up_now(self) -> None:
        if self.workspace is None or self.workspace.path is None:
            return  # a team database: the menu item is greyed out and says why
        suggested = Path.home() / f"{self.workspace.path.stem}-backup-{format_iso_date(datetime.now())}.sqlite"
        chosen = self.prompts.save_path(_("Back up now"), suggested, _(DATA_FILE_FILTER))
        if chosen is None:
            return
        from cohesion_desktop.db import backups

        source = self.workspace.path
        start_task(
            lambda _control: backups.backup_to(source, chosen),
            on_success=lambda made: self.prompts.info(
                _("Back up now"),
                _(
                    "A copy of your data was saved to {path}.\n\nKeep it somewhere safe, away from "
                    "this laptop (a USB stick or your organisation's shared drive)."
                ).format(path=made),
            ),
            on_failure=lambda exc: self.prompts.error(
                _("Back up now"), _("The backup was not made: {problem}").format(problem=exc)
            ),
            parent=self,
            title=_("Backing up…"),
        )

    def take_offline_copy(self) -> None:
        """File → Take an offline copy… (a team database): the team's data copied into a data file, for work where
        the server cannot be reached (as ``backup --out`` does), in the background; the copy is remembered and
        offered when the server cannot be reached."""
        from cohesion_desktop.db.store import ServerStore

        store = self.workspace.store if self.workspace is not None else None
        if not isinstance(store, ServerStore):
            return  # a data file: the menu item is greyed out and says why
        from cohesion_desktop.db import team_login
        from cohesion_desktop.db.offline_copy import take_offline_copy

        title = _("Take an offline copy")
        name = store.address.url.database or "team"
        suggested = paths.data_dir() / f"{name}-offline-{format_iso_date(datetime.now())}.sqlite"
        chosen = self.prompts.save_path(title, suggested, _(DATA_FILE_FILTER))
        if chosen is None:
            return
        if chosen.suffix == "":
            chosen = chosen.with_suffix(".sqlite")
        address, where = store.address, store.address.where
        replace = chosen.exists()  # the file dialog asked before choosing a file that is there

        def copied(made: Any) -> None:
            team_login.note_offline_copy(address, made.path)
            self.prompts.info(
                title,
                "{said}\n\n{offered}".format(
                    said=made.said(where),
                    offered=_(
                        "Open it with File → Open data file… to work without the server; it is also offered when the "
                        "server cannot be reached."
                    ),
                ),
            )

        start_task(
            lambda _control: take_offline_copy(store, chosen, replace=replace),
            on_success=copied,
            on_failure=lambda exc: self.prompts.error(
                title, _("The offline copy was not made: {problem}").format(problem=exc)
            ),
            parent=self,
            title=_("Taking an offline copy…"),
        )

    def merge_another_file(self) -> None:
        """File → Merge another data file…: another laptop's copy brought in, in the background, then the report."""
        if self.workspace is None or self.workspace.file_store is None:
            return  # a team database: the menu item is greyed out and says why
        from cohesion_desktop.changes import Changes
        from cohesion_desktop.services import merging
        from cohesion_desktop.ui.dialogs.merge_report_dialog import MergeReportDialog

        other = self.prompts.open_path(_("Merge another data file"), Path.home(), _(DATA_FILE_FILTER))
        if other is None:
            return
        answer = self.prompts.choose(
            _("Merge another data file"),
            _(
                "Bring every change made in {other} into {this}?\n\n"
                "Records are matched one by one; where both files changed the same thing, the newer change is kept "
                "and the other stays in the record's history. A backup of this file is made first. "
                "“Preview” says what would change and changes nothing."
            ).format(other=other.name, this=self.workspace.title),
            [_("Merge"), _("Preview")],
        )
        if answer is None:
            return
        preview = answer == 1
        workspace = self.workspace
        store = workspace.file_store
        assert store is not None  # said above

        def work(control: TaskControl) -> merging.MergeReport:
            return merging.merge_file(store, other=other, dry_run=preview, progress=control.progress)

        def done(report: merging.MergeReport) -> None:
            if not preview:
                workspace.announce(Changes.everything())
                self.statusBar().showMessage(_("Merged {name} into this data file.").format(name=other.name), 10000)
            MergeReportDialog(report.lines(), preview=preview, parent=self).exec()

        start_task(
            work,
            on_success=done,
            on_failure=lambda exc: self.prompts.error(_("Merge another data file"), str(exc)),
            parent=self,
            title=_("Merging…"),
        )

    def restore_from_backup(self) -> None:
        """Choose a backup (of the open file, or any file) and put it in place of the data file."""
        from cohesion_desktop.db import backups
        from cohesion_desktop.ui.dialogs.restore_dialog import RestoreDialog

        if self.workspace is not None and self.workspace.path is None:
            return  # a team database: the menu item is greyed out and says why
        target = (
            self.workspace.path
            if self.workspace is not None and self.workspace.path is not None
            else (self.files.wanted_path or paths.default_data_file())
        )
        dialog = RestoreDialog(target, backups.list_backups(target, set_aside=True), self.prompts, parent=self)
        if not dialog.exec() or dialog.chosen is None:
            return
        chosen = dialog.chosen
        if not self.prompts.confirm(
            _("Restore from backup"),
            _(
                "Replace the data in {target} with the backup {backup}?\n\n"
                "The current file is kept beside it under a new name, so it can be recovered."
            ).format(target=target.name, backup=chosen.name),
            confirm_label=_("Restore"),
        ):
            return
        self.files.restore(target, chosen)

    # ------------------------------------------------------------------ example data, about, closing

    def load_example_data(self) -> None:
        if self.workspace is None:
            return
        from cohesion_desktop.services import demo

        try:
            summary = self.workspace.write(demo.load_demo).value
        except CohesionError as exc:
            self.prompts.error(_("Load example data"), str(exc))
            return
        self.statusBar().showMessage(
            _("Loaded the example town: {partners}, {volunteers}, {workshops}.").format(
                partners=ngettext("{n} partner", "{n} partners", summary.partners).format(n=summary.partners),
                volunteers=ngettext("{n} volunteer", "{n} volunteers", summary.volunteers).format(n=summary.volunteers),
                workshops=ngettext("{n} workshop", "{n} workshops", summary.workshops).format(n=summary.workshops),
            ),
            10000,
        )
        self.navigate("dashboard")

    def export_summary(self) -> None:
        """File → Export summary for funders: choose, then write in the background (cancellable)."""
        if self.workspace is None:
            return
        from cohesion_desktop.dates import Period
        from cohesion_desktop.services import reporting
        from cohesion_desktop.services import settings as settings_service
        from cohesion_desktop.ui.dialogs.export_summary_dialog import ExportSummaryDialog
        from cohesion_desktop.ui.pdf_tasks import start_pdf_task
        from cohesion_desktop.ui.worker import Cancelled

        workspace = self.workspace
        current = workspace.read(settings_service.get_settings)
        try:
            period = self.dashboard.period() if self.dashboard is not None else None
        except CohesionError:  # dates typed on the Dashboard that make no period
            period = None
        period = period or Period.last_12_months(datetime.now().date())
        dialog = ExportSummaryDialog(
            organisation_name=current.organisation_name,
            logo=current.logo_path,
            period=period,
            prompts=self.prompts,
            language=self.settings.export_language(),
            parent=self,
        )
        if not dialog.exec() or dialog.value is None:
            return
        choices = dialog.value
        self.settings.set_export_language(choices.language)
        suffix = ".pdf" if choices.pdf else ".xlsx"
        target = self.prompts.save_path(
            _("Export summary for funders"),
            Path.home() / f"funder-summary-{format_iso_date(choices.period.end)}{suffix}",
            _("PDF document (*.pdf)") if choices.pdf else _("Excel workbook (*.xlsx)"),
        )
        if target is None:
            return
        if target.suffix.lower() != suffix:
            target = target.with_suffix(suffix)

        def work(control: TaskControl) -> Path:
            return workspace.read(
                reporting.export_summary,
                path=target,
                period=choices.period,
                organisation_name=choices.organisation_name,
                logo=choices.logo,
                include_names=choices.include_names,
                progress=control.progress,
                language=choices.language,
            )

        def failed(problem: BaseException) -> None:
            if isinstance(problem, Cancelled):
                self.statusBar().showMessage(_("Export cancelled; nothing was written."), 10000)
            else:
                self.prompts.error(
                    _("Export summary for funders"), _("The summary was not written: {problem}").format(problem=problem)
                )

        start_pdf_task(
            work,
            prompts=self.prompts,
            on_success=lambda path: self.prompts.info(
                _("Export summary for funders"),
                _("The summary for {period} was saved to {path}.").format(period=choices.period.label, path=path),
            ),
            on_failure=failed,
            on_declined=self.show_status,
            parent=self,
            title=_("Writing the summary…"),
            cancellable=True,
        )

    def export_mailing_list(self) -> None:
        """File → Export mailing list: a CSV for a mailing tool of the volunteers who agreed to be contacted."""
        if self.workspace is None:
            return
        from cohesion_desktop.services import lists
        from cohesion_desktop.ui.list_exports import choose_target, write_in_background

        title = _("Export mailing list")
        target = choose_target(self.prompts, title, "mailing-list", ".csv")
        if target is None:
            return
        workspace = self.workspace

        def done(found: lists.MailingList) -> str:
            return (
                found.saved_to(target)
                + " "
                + _(
                    "The file holds e-mail addresses: import it into your mailing tool, then delete it. "
                    "Anyone who withdraws later must be removed there too."
                )
            )

        write_in_background(
            self,
            self.prompts,
            title=title,
            work=lambda: workspace.read(lists.export_mailing_list, path=target),
            done=done,
            show_status=self.show_status,
        )

    def export_calendar(self) -> None:
        """File → Export calendar: action due dates, renewals and workshops as an .ics file."""
        if self.workspace is None:
            return
        from cohesion_desktop.services import lists
        from cohesion_desktop.ui.list_exports import choose_target, write_in_background

        title = _("Export calendar")
        target = choose_target(self.prompts, title, "cohesion-dates", ".ics")
        if target is None:
            return
        workspace = self.workspace
        write_in_background(
            self,
            self.prompts,
            title=title,
            work=lambda: workspace.read(lists.export_calendar, path=target),
            done=lambda count: (
                ngettext("{n} date saved to {path}.", "{n} dates saved to {path}.", count).format(
                    n=format_number(count), path=target
                )
                + " "
                + _(
                    "Import the file into Outlook, Google or Apple Calendar; importing a newer export updates the "
                    "same events."
                )
            ),
            show_status=self.show_status,
        )

    def edit_settings(self) -> None:
        if self.workspace is None:
            return
        from cohesion_desktop.services import settings as settings_service
        from cohesion_desktop.ui.dialogs.settings_dialog import SettingsDialog
        from cohesion_desktop.ui.undo import run_undoable

        before, laptop_before = self.workspace.read(
            lambda session: (settings_service.get_settings(session), settings_service.get_laptop_settings(session))
        )
        dialog = SettingsDialog(
            before,
            check=settings_service.check_settings,
            prompts=self.prompts,
            laptop=laptop_before,
            language=i18n.language(),
            parent=self,
        )
        if not dialog.exec() or dialog.value is None:
            return
        if dialog.language_value is not None and dialog.language_value != i18n.language():
            self.change_language(dialog.language_value)
        after, laptop_after = dialog.value, dialog.laptop_value or laptop_before
        assert self.context is not None

        def save(session, settings, laptop) -> None:
            settings_service.save_settings(session, settings=settings)
            settings_service.save_laptop_settings(session, laptop=laptop)

        try:
            run_undoable(
                self.context,
                _("Change settings"),
                do=lambda s: save(s, after, laptop_after),
                undo=lambda s: save(s, before, laptop_before),
            )
        except CohesionError as exc:
            self.prompts.error(_("Settings"), _("The settings were not saved: {problem}").format(problem=exc))

    def show_about(self) -> None:
        if self.workspace is not None and self.workspace.path is None:
            where = _("Team database: {where}\nData format version: {version}").format(
                where=self.workspace.title, version=self.workspace.store.schema_version
            )
        elif self.workspace is not None:
            where = _("Data file: {path}\nData format version: {version}").format(
                path=self.workspace.path, version=self.workspace.store.schema_version
            )
        else:
            where = _("No data file is open.")
        self.prompts.info(
            _("About {app}").format(app=APP_NAME),
            f"{APP_NAME} {__version__}\n\n{where}\n"
            + _("Backups: {folder}\nLog file: {file}").format(folder=paths.backup_dir(), file=log_file()),
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.settings.set_value("window/geometry", self.saveGeometry())
        self.files.close()
        super().closeEvent(event)
