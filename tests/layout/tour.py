"""A walk through every page, tab, view and dialog of the window, for looking at each (see screens.py).

This is a camera, not a journey: it opens things by calling the pages' own actions (the journeys in
tests/journeys prove that people can reach them with keys and clicks).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QWidget

from cohesion_desktop.ui.main_window import MainWindow

Look = Callable[[str, QWidget], None]
OpenDialog = Callable[[Callable[[], object], str], None]
_SAMS_SAVES = itertools.count(1)


def tour(window: MainWindow, *, look: Look, dialog: OpenDialog, settle: Callable[..., None]) -> None:
    pages: dict[str, Any] = window.pages

    # -- Dashboard and the window's own dialogs
    window.navigate("dashboard")
    dashboard = pages["dashboard"]
    for _ in range(200):
        if dashboard.summary is not None and dashboard.week is not None:
            break
        settle(0.05)
    look("dashboard", window)
    dialog(window.export_summary, "export-summary")
    dialog(window.edit_settings, "settings")
    dialog(window.restore_from_backup, "restore")
    dialog(window.connect_to_team_database, "connect-team-database")
    dialog(window.show_about, "about")

    # -- Partners
    window.navigate("partners")
    partners = pages["partners"]
    look("partners", window)
    dialog(partners.new_item, "new-partner")
    dialog(partners.export_directory, "export-partners")
    dialog(lambda: _import_dialog(partners), "import-partners")
    partners.tabs.setCurrentWidget(partners.remit_map)
    settle(0.1)
    table = partners.remit_map.table
    table.setCurrentIndex(table.model().index(0, 1))
    look("remit-map", window)
    partners.tabs.setCurrentIndex(0)
    partners.open_partner(partners.model.row_at(0).id)
    look("partner", window)
    dialog(partners.editor._merge, "merge-partner")
    dialog(partners.editor._delete, "confirm-delete-partner")
    dialog(lambda: _conflict(window, partners.editor), "conflict")
    partners.show_directory()

    # -- Opportunities
    window.navigate("opportunities")
    opportunities = pages["opportunities"]
    for _ in range(200):  # its rows are read in the background
        if opportunities.model.rowCount():
            break
        settle(0.05)
    look("opportunities", window)
    dialog(opportunities.new_item, "new-opportunity")
    opportunities.table.selectRow(0)
    dialog(opportunities.find_volunteers, "find-volunteers")

    # -- Volunteers: the list and its tabs, one person, their dialogs
    window.navigate("volunteers")
    volunteers = pages["volunteers"]
    look("volunteers", window)
    dialog(volunteers.log_hours, "log-hours")
    dialog(volunteers.week_grid, "week-hours")
    dialog(volunteers.new_item, "add-volunteer")
    dialog(lambda: _import_people(volunteers, "volunteers"), "import-volunteers")
    dialog(lambda: _import_people(volunteers, "hours"), "import-hours")
    dialog(volunteers.export_list, "export-volunteers")
    for index, name in enumerate(("renewals", "milestones", "retention", "hours-totals"), start=1):
        volunteers.tabs.setCurrentIndex(index)
        settle(0.2)
        look(f"volunteers-{name}", window)
    volunteers.tabs.setCurrentIndex(0)
    first = volunteers.model.row_at(0)
    volunteers.open_volunteer(first.id)
    look("volunteer", window)
    editor = volunteers.editor
    dialog(editor.add_check, "add-check")
    dialog(editor.add_recognition, "add-thanks")
    dialog(editor.certificate, "certificate")
    dialog(editor.find_opportunities, "find-opportunities")
    dialog(editor.erase, "erase")
    volunteers.show_list()

    # -- Workshops: the list, a matrix, the projector, the synthesis
    window.navigate("workshops")
    workshops = pages["workshops"]
    look("workshops", window)
    dialog(workshops.new_item, "new-workshop")
    dialog(workshops.edit_templates, "templates")
    workshops.open_workshop(workshops.model.row_at(0).id)
    settle(0.2)
    look("matrix", window)
    matrix = workshops.editor
    cell = next(c for row in matrix.cells for c in row if c.model.rowCount())
    cell.capture.setFocus()
    cell.pick(1)
    dialog(matrix.make_action, "make-action")
    dialog(matrix.details_requested.emit, "workshop-details")
    dialog(matrix.followup_requested.emit, "followup-language")
    workshops.toggle_projector()
    settle(0.3)
    assert workshops.projector is not None
    look("projector", workshops.projector)
    workshops.toggle_projector()
    workshops.show_list()
    workshops.table.selectAll()
    workshops.combine()
    look("synthesis", window)
    workshops.show_list()

    # -- Actions
    window.navigate("actions")
    actions = pages["actions"]
    for _ in range(200):  # its rows are read in the background
        if actions.model.rowCount():
            break
        settle(0.05)
    look("actions", window)
    dialog(actions.new_item, "new-action")
    window.navigate("dashboard")
    QApplication.processEvents()


def _conflict(window: MainWindow, editor: Any) -> None:
    """Somebody else (Sam) saves the open partner's remit and website meanwhile; a remit typed here then asks what
    to keep (the camera closes the question: Cancel, nothing saved)."""
    from cohesion_desktop.services import partners as partner_service

    assert window.workspace is not None
    store, shown = window.workspace.store, editor.partner
    was, store.identity.name = store.identity.name, "Sam"
    try:
        with store.session() as session:
            partner_service.update_partner(
                session,
                partner_id=shown.id,
                changes={
                    "remit": "Emergency food parcels three days a week, a community café on Saturdays, and advice "
                    "on benefits and debt with the Citizens Advice outreach worker.",
                    # Another address each time (a tour per palette): a save that changed nothing shown asks nothing.
                    "website": f"www.example.org/food-bank/{next(_SAMS_SAVES)}",
                },
            )
    finally:
        store.identity.name = was
    typed = (
        "Emergency food parcels, a weekly community café and a holiday hunger scheme for families with children at "
        "the three Eastfield primary schools, run with volunteers from the churches and the mosque."
    )
    editor._commit_field("remit", typed)


def _import_dialog(partners: Any) -> None:
    """The import dialog on a messy sheet, as after choosing the file."""
    from cohesion_desktop.ui.dialogs.import_partners_dialog import ImportPartnersDialog
    from tests.importing.builders import MESSY_MERGES, MESSY_ROWS, write_xlsx

    sheet = write_xlsx(Path(os.environ["COHESION_HOME"]) / "partners.xlsx", MESSY_ROWS, merges=MESSY_MERGES)
    made = ImportPartnersDialog(partners.context, parent=partners)
    if made.choose_file(sheet):
        made.exec()


def _import_people(volunteers: Any, what: str) -> None:
    """The volunteer or hours import dialog on a messy sheet, as after choosing the file."""
    from cohesion_desktop.ui.dialogs.import_hours_dialog import ImportHoursDialog
    from cohesion_desktop.ui.dialogs.import_volunteers_dialog import ImportVolunteersDialog
    from tests.importing import builders

    rows, merges = (
        (builders.VOLUNTEER_ROWS, builders.VOLUNTEER_MERGES)
        if what == "volunteers"
        else (builders.HOURS_ROWS, builders.HOURS_MERGES)
    )
    sheet = builders.write_xlsx(Path(os.environ["COHESION_HOME"]) / f"{what}.xlsx", rows, merges=merges)
    dialog_class = ImportVolunteersDialog if what == "volunteers" else ImportHoursDialog
    made = dialog_class(volunteers.context, parent=volunteers)
    if made.choose_file(sheet):
        made.exec()
