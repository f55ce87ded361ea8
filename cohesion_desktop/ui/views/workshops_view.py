"""The Workshops page: the list, the matrix editor, the projector, synthesis and export."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.changes import Area
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.i18n import N_, _, ngettext, pgettext
from cohesion_desktop.services import partners as partner_service
from cohesion_desktop.services import workshop_export, workshops
from cohesion_desktop.services.workshops import WorkshopInput
from cohesion_desktop.ui.conflicts import edit_in_dialog, record_fields
from cohesion_desktop.ui.context import ViewContext
from cohesion_desktop.ui.dialogs.export_language_dialog import ExportLanguageDialog
from cohesion_desktop.ui.dialogs.templates_dialog import TemplatesDialog
from cohesion_desktop.ui.dialogs.workshop_dialog import WorkshopDetails, WorkshopDialog
from cohesion_desktop.ui.history_panel import show_history
from cohesion_desktop.ui.matrix_document import MatrixDocument
from cohesion_desktop.ui.models.workshops_table_model import WorkshopsTableModel
from cohesion_desktop.ui.pdf_tasks import start_pdf_task
from cohesion_desktop.ui.undo import run_undoable, try_undoable
from cohesion_desktop.ui.views.matrix_view import MatrixEditor
from cohesion_desktop.ui.views.page import Page
from cohesion_desktop.ui.views.projector_view import ProjectorWindow
from cohesion_desktop.ui.views.synthesis_view import SynthesisView
from cohesion_desktop.ui.widgets.flow_layout import FlowLayout
from cohesion_desktop.ui.widgets.row_opening import open_rows_with
from cohesion_desktop.ui.widgets.tables import give_room

EXPORT_FILTER = N_("Excel workbook (*.xlsx);;PDF document (*.pdf)")
FOLLOWUP_FILTER = N_("PDF document, with an Excel workbook beside it (*.pdf)")


class WorkshopsView(Page):
    title = N_("Workshops")
    areas = frozenset({Area.WORKSHOPS, Area.PARTNERS, Area.ACTIONS})

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.document = MatrixDocument(context, self)
        self.document.switch_requested.connect(self.open_workshop)
        self.projector: ProjectorWindow | None = None

        # -- the list
        self.model = WorkshopsTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Workshops"))
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        give_room(self.table, stretch=0, chars=(26, 10, 14, 16, 20, 8, 7))
        open_rows_with(self.table, self._open_index)
        self.count_label = QLabel()
        self.count_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        # Seven buttons: in Welsh, or at 150%, they wrap onto a second line rather than being cut short.
        buttons = FlowLayout()
        buttons.addWidget(self.count_label)
        for text, tip, slot in (
            (_("New workshop"), _("A new workshop from a template (Ctrl+N)"), self.new_item),
            (
                pgettext("verb", "Open"),
                _("Open the matrix (Enter)"),
                lambda: self._open_index(self.table.currentIndex()),
            ),
            (_("Combine…"), _("One matrix from several workshops"), self.combine),
            (_("Export…"), _("Save the selected workshops as Excel or PDF"), self.export_selected),
            (_("Templates…"), _("The rows of the matrix templates"), self.edit_templates),
            (
                _("History…"),
                _("Every change to the selected workshop: who, on which laptop, when"),
                self.show_history,
            ),
            (_("Delete"), _("Delete the selected workshop (can be undone)"), self.delete_selected),
        ):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        self.empty_label = QLabel(_("<h3>No workshops yet</h3><p>Start one from a template: “New workshop”.</p>"))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty_label)
        list_page = QWidget()
        list_layout = QVBoxLayout(list_page)
        list_layout.addLayout(buttons)
        list_layout.addWidget(self.list_stack, 1)

        # -- the editor and the synthesis
        self.editor = MatrixEditor(context, self.document)
        self.editor.back_requested.connect(self.show_list)
        self.editor.projector_requested.connect(self.toggle_projector)
        self.editor.export_requested.connect(lambda: self.export([self.document.workshop_id]))
        self.editor.followup_requested.connect(self.make_followup_pack)
        self.editor.details_requested.connect(self.edit_details)
        self.synthesis = SynthesisView(context)
        self.synthesis.back_requested.connect(self.show_list)
        self.synthesis.export_requested.connect(lambda ids: self.export(ids, synthesis=True))

        self.stack = QStackedWidget()
        for widget in (list_page, self.editor, self.synthesis):
            self.stack.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    # ------------------------------------------------------------------ list

    def reload(self) -> None:
        if self.stack.currentWidget() is self.editor:
            return  # the list is read when it is shown again (show_list), not after every entry typed in the matrix
        rows = self.context.workspace.read(workshops.list_workshops)
        self.model.set_rows(rows)
        self.count_label.setText(ngettext("{n} workshop", "{n} workshops", len(rows)).format(n=len(rows)))
        self.list_stack.setCurrentWidget(self.table if rows else self.empty_label)

    def on_shown(self, **what: Any) -> None:
        super().on_shown()
        target = what.get("workshop_id") or what.get("select_id")
        if target is not None:
            self.open_workshop(target, select_entry=what.get("entry_id"))
        elif what.get("action") == "new":
            self.new_item()

    def _selected_ids(self) -> list[uuid.UUID]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.row_at(row).id for row in rows]

    def show_history(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            row = self.model.row_at(index.row())
            show_history(
                self.context, kind="workshop", record_id=row.id, name=f"“{row.title}”", parent=self, after=self.reload
            )

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_workshop(self.model.row_at(index.row()).id)

    def open_workshop(self, workshop_id: uuid.UUID, select_entry: uuid.UUID | None = None) -> None:
        try:
            self.editor.show_workshop(workshop_id)
        except CohesionError as exc:
            self.context.prompts.error(_("Workshop"), str(exc))
            return
        self.context.navigate("workshops")
        self.stack.setCurrentWidget(self.editor)
        if select_entry is not None:
            entry = self.document.find(select_entry)
            if entry is not None and self.document.detail is not None:
                row = next(i for i, r in enumerate(self.document.detail.rows) if r.id == entry.row_id)
                column = list(type(entry.column)).index(entry.column)
                self.editor.focus_cell(row, column)
                self.editor.cells[row][column].select_entry(entry.id)
                return
        self.editor.focus_cell(0, 0)

    def show_list(self) -> None:
        self.stack.setCurrentIndex(0)
        self.reload()
        self.table.setFocus()

    def focus_search(self) -> None:
        self.show_list()

    # ------------------------------------------------------------------ creating and changing

    def _choices(self) -> tuple[list[tuple[uuid.UUID, str]], list[str]]:
        return self.context.workspace.read(
            lambda session: (
                partner_service.partner_choices(session),
                [p.name for p in partner_service.places(session)],
            )
        )

    def new_item(self) -> None:
        partners, places = self._choices()
        templates = self.context.workspace.read(workshops.templates)
        dialog = WorkshopDialog(partners=partners, places=places, templates=templates, parent=self)
        if not dialog.exec() or dialog.value is None:
            return
        value = dialog.value
        assert value.template_id is not None
        data = WorkshopInput(
            title=value.title,
            held_on=value.held_on,
            template_id=value.template_id,
            place=value.place,
            facilitator=value.facilitator,
            partner_ids=value.partner_ids,
        )
        made: list[uuid.UUID] = []

        def create(session: Any) -> workshops.WorkshopDetail:
            if made:
                workshops.restore_workshop(session, workshop_id=made[0])
                return workshops.get_workshop(session, made[0])
            created = workshops.create_workshop(session, data=data)
            made.append(created.id)
            return created

        try:
            created = run_undoable(
                self.context,
                _("New workshop {title}").format(title=value.title),
                do=create,
                undo=lambda s: workshops.delete_workshop(s, workshop_id=made[0]),
                after=lambda: self._after_list_change(),
            )
        except CohesionError as exc:
            self.context.prompts.error(_("New workshop"), str(exc))
            return
        self.open_workshop(created.id)

    def _after_list_change(self) -> None:
        if self.stack.currentIndex() == 0:
            self.reload()
        elif self.document.workshop_id is not None and self.stack.currentWidget() is self.editor:
            try:
                self.document.reload()
            except CohesionError:
                self.show_list()  # the workshop shown was deleted by an undo

    def edit_details(self) -> None:
        detail = self.document.detail
        if detail is None:
            return
        partners, places = self._choices()
        workshop_id = detail.id
        labels = {
            key: label.replace("&", "")
            for key, label in {
                "title": _("&Title"),
                "held_on": _("&Date"),
                "place": _("&Place"),
                "facilitator": _("&Facilitator"),
                "partner_ids": _("Partners present"),
            }.items()
        }

        def read() -> tuple[WorkshopDetails, int]:
            shown = self.context.workspace.read(workshops.get_workshop, workshop_id)
            details = WorkshopDetails(
                title=shown.title,
                held_on=shown.held_on,
                place=shown.place,
                facilitator=shown.facilitator,
                template_id=None,
                partner_ids=tuple(p for p, _ in shown.partners),
            )
            return details, shown.version

        def ask(current: WorkshopDetails) -> WorkshopDetails | None:
            dialog = WorkshopDialog(partners=partners, places=places, current=current, parent=self)
            return dialog.value if dialog.exec() else None

        def apply(session: Any, values: WorkshopDetails, version: int | None = None) -> None:
            workshops.update_workshop(
                session,
                workshop_id=workshop_id,
                title=values.title,
                held_on=values.held_on,
                place=values.place,
                facilitator=values.facilitator,
                version=version,
            )
            workshops.set_workshop_partners(session, workshop_id=workshop_id, partner_ids=values.partner_ids)

        def save(before: WorkshopDetails, after: WorkshopDetails, version: int | None) -> object:
            return run_undoable(
                self.context,
                _("Change details of {title}").format(title=before.title),
                do=lambda s: apply(s, after),
                undo=lambda s: apply(s, before),
                after=self._after_list_change,
                now=lambda s: apply(s, after, version),
            )

        edit_in_dialog(
            self.context,
            title=_("Workshop details"),
            read=read,
            ask=ask,
            save=save,
            fields=lambda values: record_fields(values, labels, dict(partners)),
            save_as_new=None,  # a workshop is its matrix too: its details alone make no workshop
            kind="workshop",
            record_id=workshop_id,
        )

    def delete_selected(self) -> None:
        ids = self._selected_ids()
        if len(ids) != 1:
            self.context.show_status(_("Select one workshop to delete."))
            return
        workshop = next(w for w in (self.model.row_at(r) for r in range(self.model.rowCount())) if w.id == ids[0])
        if not self.context.prompts.confirm(
            _("Delete workshop"),
            ngettext(
                "Delete the workshop “{title}” and its {n} entry? "
                "You can undo this from the status bar or with Ctrl+Z.",
                "Delete the workshop “{title}” and its {n} entries? "
                "You can undo this from the status bar or with Ctrl+Z.",
                workshop.entry_count,
            ).format(title=workshop.title, n=workshop.entry_count),
            confirm_label=_("Delete"),
        ):
            return
        if not try_undoable(
            self.context,
            _("Delete workshop"),
            _("Delete workshop {title}").format(title=workshop.title),
            do=lambda s: workshops.delete_workshop(s, workshop_id=workshop.id),
            undo=lambda s: workshops.restore_workshop(s, workshop_id=workshop.id),
            after=self._after_list_change,
        ):
            return
        self.context.show_status(_("Deleted the workshop “{title}”.").format(title=workshop.title), offer_undo=True)

    def edit_templates(self) -> None:
        workspace = self.context.workspace

        def load() -> list[workshops.TemplateInfo]:
            return workspace.read(workshops.templates)

        def save(name: str, rows: list[str], template_id: uuid.UUID | None) -> workshops.TemplateInfo:
            return workspace.write(workshops.save_template, name=name, rows=rows, template_id=template_id).value

        def delete(template_id: uuid.UUID) -> None:
            workspace.write(workshops.delete_template, template_id=template_id)

        TemplatesDialog(load=load, save=save, delete=delete, parent=self).exec()

    # ------------------------------------------------------------------ synthesis, export, projector

    def combine(self) -> None:
        chosen = self._selected_ids()
        available = self.context.workspace.read(workshops.list_workshops)
        self.synthesis.choose(available, chosen if len(chosen) > 1 else [w.id for w in available])
        self.stack.setCurrentWidget(self.synthesis)

    def export_selected(self) -> None:
        chosen = self._selected_ids()
        if not chosen:
            self.context.show_status(_("Select the workshops to export first (Ctrl+click for several)."))
            return
        self.export(chosen)

    def export(self, workshop_ids: Sequence[uuid.UUID | None], *, synthesis: bool = False) -> None:
        ids = [w for w in workshop_ids if w is not None]
        if not ids:
            return
        if synthesis:
            title = _("Export the synthesis")
        else:
            title = _("Export the workshop") if len(ids) == 1 else _("Export workshops")
        language = self._export_language(title)
        if language is None:
            return
        name = "synthesis" if synthesis else ("workshop" if len(ids) == 1 else "workshops")
        target = self.context.prompts.save_path(_("Export"), Path.home() / f"{name}.xlsx", _(EXPORT_FILTER))
        if target is None:
            return
        if target.suffix.lower() not in workshop_export.FORMATS:
            target = target.with_suffix(".xlsx")
        workspace = self.context.workspace
        write = workshop_export.export_synthesis if synthesis else workshop_export.export_workshops

        def work(_control: Any) -> Path:
            return workspace.read(write, workshop_ids=ids, path=target, language=language)

        start_pdf_task(  # the workshop may be written as a PDF
            work,
            prompts=self.context.prompts,
            on_success=lambda path: self.context.show_status(_("Exported to {path}").format(path=path)),
            on_failure=lambda exc: self.context.prompts.error(
                _("Export"), _("Nothing was exported: {problem}").format(problem=exc)
            ),
            on_declined=self.context.show_status,
            parent=self,
            title=_("Exporting…"),
        )

    def make_followup_pack(self) -> None:
        """The open workshop's follow-up pack: a PDF where the user chooses, the workbook beside it."""
        detail = self.document.detail
        if detail is None:
            return
        title = _("Follow-up pack")
        language = self._export_language(_("Make a follow-up pack"))
        if language is None:
            return
        suggested = Path.home() / f"{workshop_export.followup_file_stem(detail.title, detail.held_on)}.pdf"
        target = self.context.prompts.save_path(title, suggested, _(FOLLOWUP_FILTER))
        if target is None:
            return
        workspace = self.context.workspace
        workshop_id = detail.id

        def said(paths: tuple[Path, Path]) -> None:
            pdf, workbook = paths
            self.context.prompts.info(
                title,
                _("The follow-up pack was saved as {pdf}, and the same as a workbook beside it: {workbook}.").format(
                    pdf=pdf, workbook=workbook.name
                ),
            )

        start_pdf_task(
            lambda _control: workspace.read(
                workshop_export.export_followup, workshop_id=workshop_id, path=target, language=language
            ),
            prompts=self.context.prompts,
            on_success=said,
            # Not "nothing was written": in a rare case the PDF is saved and only the workbook is not (it says so).
            on_failure=lambda problem: self.context.prompts.error(
                title, _("The follow-up pack was not saved: {problem}").format(problem=problem)
            ),
            on_declined=self.context.show_status,
            parent=self,
            title=f"{title}…",
        )

    def _export_language(self, title: str) -> str | None:
        """The language an export is to be written in (None: the person cancelled), remembered for the next one."""
        settings = self.context.settings
        dialog = ExportLanguageDialog(title=title, language=settings.export_language(), parent=self)
        if not dialog.exec() or dialog.value is None:
            return None
        settings.set_export_language(dialog.value)
        return dialog.value

    def toggle_projector(self) -> None:
        if self.projector is not None and self.projector.isVisible():
            self.projector.close()
            return
        if self.projector is None:
            self.projector = ProjectorWindow(self.document)
        self.projector.show_on_best_screen(beside=self.window())
