"""One volunteer: details and consent (saved as you go), checks, placements, hours, thanks – and their rights."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.domain import Availability, PlacementStatus
from cohesion_desktop.errors import CohesionError, NotFoundError, ValidationError
from cohesion_desktop.formatting import format_date, plural_count
from cohesion_desktop.i18n import N_, _, ngettext
from cohesion_desktop.services.volunteering import (
    checks,
    erasure,
    matching,
    personal_data,
    placements,
    recognition,
    volunteers,
)
from cohesion_desktop.services.volunteering.checks import CheckRow
from cohesion_desktop.services.volunteering.matching import OpportunityMatch
from cohesion_desktop.services.volunteering.placements import HoursRow, PlacementRow
from cohesion_desktop.services.volunteering.recognition import RecognitionRow
from cohesion_desktop.services.volunteering.volunteers import VolunteerDetail, VolunteerInput
from cohesion_desktop.ui.conflicts import Fields, hold_typing, meanwhile_label, save_checked, shown_value
from cohesion_desktop.ui.context import ViewContext
from cohesion_desktop.ui.dialogs.check_dialog import CheckDialog
from cohesion_desktop.ui.dialogs.conflict_dialog import Resolution
from cohesion_desktop.ui.dialogs.erasure_dialog import ErasureDialog
from cohesion_desktop.ui.dialogs.match_dialog import OPPORTUNITY_COLUMNS, MatchDialog
from cohesion_desktop.ui.dialogs.recognition_dialog import RecognitionDialog
from cohesion_desktop.ui.formatting import format_hours
from cohesion_desktop.ui.history_panel import show_history
from cohesion_desktop.ui.models.rows_table_model import Column, RowsTableModel
from cohesion_desktop.ui.undo import run_undoable, try_undoable
from cohesion_desktop.ui.views.partner_editor import CommitTextEdit
from cohesion_desktop.ui.widgets.columns import ColumnsOrRows
from cohesion_desktop.ui.widgets.date_field import DateField
from cohesion_desktop.ui.widgets.field_errors import add_field_row
from cohesion_desktop.ui.widgets.flow_layout import FlowLayout
from cohesion_desktop.ui.widgets.tables import wrap_headings
from cohesion_desktop.ui.widgets.text_fields import show_text
from cohesion_desktop.ui.worker import TaskControl, start_task

CHECK_COLUMNS: list[Column[CheckRow]] = [
    Column(N_("Check or training"), lambda c: c.kind),
    Column(N_("Obtained"), lambda c: c.obtained_on),
    Column(N_("Renew by"), lambda c: c.renewal_due_on, warn=lambda c: not c.is_current(date.today())),
    Column(N_("Reference"), lambda c: c.reference),
]
PLACEMENT_COLUMNS: list[Column[PlacementRow]] = [
    Column(N_("Opportunity"), lambda p: p.opportunity),
    Column(N_("Host"), lambda p: p.host),
    Column(N_("Status"), lambda p: p.status),
    Column(N_("Since"), lambda p: p.starts_on),
    Column(N_("Hours"), lambda p: p.hours, numeric=True),
]
HOURS_COLUMNS: list[Column[HoursRow]] = [
    Column(N_("Date"), lambda h: h.on_date),
    Column(N_("Hours"), lambda h: h.hours, numeric=True),
    Column(N_("Opportunity"), lambda h: h.opportunity),
    Column(N_("Activity"), lambda h: h.activity),
]
RECOGNITION_COLUMNS: list[Column[RecognitionRow]] = [
    Column(N_("Given on"), lambda r: r.given_on),
    Column(N_("Kind"), lambda r: r.kind),
    Column(N_("What"), lambda r: r.title),
    Column(N_("Message"), lambda r: r.message),
]


def _table(model: RowsTableModel[Any], name: str, lines: int = 5) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    wrap_headings(view)  # the last column takes what is left, which may be less than its heading ("Gweithgarwch")
    view.setMinimumHeight(view.fontMetrics().lineSpacing() * lines)
    return view


def _consent_date(name: str) -> DateField:
    return DateField(name, optional=True, latest=date.today, latest_reason=_("Record consent once it was given."))


class VolunteerEditor(QWidget):
    """Signals: ``back_requested``; ``removed(str)`` after an erasure, with a message;
    ``log_hours_requested((id, name))``; ``certificates_requested(ids, milestone or None)``."""

    back_requested = Signal()
    removed = Signal(str)
    log_hours_requested = Signal(object)
    certificates_requested = Signal(list, object)

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.volunteer: VolunteerDetail | None = None
        self._saving = False  # while a save asks what to keep (see _commit)
        self.errors: dict[str, QLabel] = {}

        back = QPushButton(_("← All volunteers"))
        back.clicked.connect(self._back)
        self.title = QLabel()
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.access_button = QPushButton(_("Export their data…"))
        self.access_button.setToolTip(_("Everything held about this person, for a subject access request"))
        self.access_button.clicked.connect(self.export_their_data)
        self.history_button = QPushButton(_("History…"))
        self.history_button.setToolTip(_("Every change to this volunteer: who, on which laptop, when"))
        self.history_button.clicked.connect(self._history)
        self.erase_button = QPushButton(_("Erase personal data…"))
        self.erase_button.setToolTip(_("UK GDPR right to erasure: their hours stay in the totals, nothing personal"))
        self.erase_button.clicked.connect(self.erase)
        # The buttons wrap onto a second line at 150% or in a longer language, and a long name onto a second line of
        # its own, rather than squeezing each other's texts.
        self.title.setWordWrap(True)
        top = FlowLayout()
        top.addWidget(back)
        titles_box = QWidget()
        titles_box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        titles = QVBoxLayout(titles_box)
        titles.setContentsMargins(0, 0, 0, 0)
        titles.addWidget(self.title)
        titles.addWidget(self.summary)
        top.addWidget(titles_box)
        top.addWidget(self.history_button)
        top.addWidget(self.access_button)
        top.addWidget(self.erase_button)

        # -- details, saved as you go
        self.fields: dict[str, QWidget] = {}
        self.name_field, self.email_field, self.phone_field = QLineEdit(), QLineEdit(), QLineEdit()
        self.address_field = CommitTextEdit()
        self.skills_field = QLineEdit()
        self.skills_field.setPlaceholderText(_("e.g. cooking, Welsh, driving"))
        self.how_heard_field = QLineEdit()
        self.availability = {a: QCheckBox(a.label) for a in Availability}
        # Three answers a person tells apart at a glance: "said no" and "nobody asked" are not the same.
        self.consent_agreed = QRadioButton(_("Agreed to be contacted"))
        self.consent_refused = QRadioButton(_("Said no"))
        self.consent_unknown = QRadioButton(_("Not asked yet — ask them"))
        self.consent_answers = QButtonGroup(self)
        self.consent_field = QWidget()
        # As tall as its lines: a plain widget in the form would take a share of the column's spare height.
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.consent_field.setSizePolicy(policy)
        consent_row = FlowLayout(self.consent_field)  # the answers wrap onto a second line where room is short
        consent_row.setContentsMargins(0, 0, 0, 0)
        for answer in (self.consent_agreed, self.consent_refused, self.consent_unknown):
            self.consent_answers.addButton(answer)
            consent_row.addWidget(answer)
        self.consent_details_field = QLineEdit()
        self.consent_details_field.setPlaceholderText(_("What they agreed to, in the words they were shown"))
        self.consent_given_field = _consent_date(_("Consent given on"))
        self.consent_withdrawn_field = _consent_date(_("Consent withdrawn on"))
        self.emergency_name_field, self.emergency_phone_field = QLineEdit(), QLineEdit()
        self.notes_field = CommitTextEdit()
        line = self.fontMetrics().lineSpacing()
        for edit in (self.address_field, self.notes_field):
            edit.setTabChangesFocus(True)
            edit.setMaximumHeight(line * 4)
        availability = FlowLayout()  # the times wrap, as the consent answers do
        for time_box in self.availability.values():
            availability.addWidget(time_box)
        rows: list[tuple[str, Any, str]] = [
            (_("&Name"), self.name_field, "name"),
            (_("&E-mail"), self.email_field, "email"),
            (_("&Phone"), self.phone_field, "phone"),
            (_("Add&ress"), self.address_field, "address"),
            (_("S&kills"), self.skills_field, "skills"),
            (_("Available"), availability, "availability"),
            (_("How they &heard"), self.how_heard_field, "how_heard"),
            (_("Consent"), self.consent_field, "consent"),
            (_("What they agreed"), self.consent_details_field, "consent_details"),
            (_("Consent given on"), self.consent_given_field, "consent_given_on"),
            (_("Consent withdrawn on"), self.consent_withdrawn_field, "consent_withdrawn_on"),
            (_("Emergency &contact"), self.emergency_name_field, "emergency_contact_name"),
            (_("Their phone"), self.emergency_phone_field, "emergency_contact_phone"),
            (_("N&otes"), self.notes_field, "notes"),
        ]
        form = QFormLayout()
        # What each field is called, to show both versions when a save was refused (ui/conflicts.py).
        self.field_names = {key: label.replace("&", "") for label, _widget, key in rows}
        for label, widget, key in rows:
            self.errors[key] = add_field_row(form, label, widget)
        for field in (
            self.name_field,
            self.email_field,
            self.phone_field,
            self.skills_field,
            self.how_heard_field,
            self.consent_details_field,
            self.emergency_name_field,
            self.emergency_phone_field,
        ):
            field.editingFinished.connect(self._commit)
        for edit in (self.address_field, self.notes_field):
            edit.editing_finished.connect(self._commit)
        for check_box in self.availability.values():
            check_box.clicked.connect(lambda _checked: self._commit())
        self.consent_answers.buttonClicked.connect(lambda _answer: self._commit())  # arrow keys click too
        for date_field in (self.consent_given_field, self.consent_withdrawn_field):
            date_field.committed.connect(self._commit)
        details = QGroupBox(_("Details and consent"))
        details.setLayout(form)

        # -- checks, placements, hours, recognition
        self.checks_model: RowsTableModel[CheckRow] = RowsTableModel(CHECK_COLUMNS, self)
        self.placements_model: RowsTableModel[PlacementRow] = RowsTableModel(PLACEMENT_COLUMNS, self)
        self.hours_model: RowsTableModel[HoursRow] = RowsTableModel(HOURS_COLUMNS, self)
        self.recognition_model: RowsTableModel[RecognitionRow] = RowsTableModel(RECOGNITION_COLUMNS, self)
        self.checks_view = _table(self.checks_model, _("Checks and training"))
        self.placements_view = _table(self.placements_model, _("Placements"))
        self.hours_view = _table(self.hours_model, _("Recent hours"), 6)
        self.recognition_view = _table(self.recognition_model, _("Thanks and awards"))

        def box(title: str, view: QTableView, buttons: list[tuple[str, Any]]) -> QGroupBox:
            group = QGroupBox(title)
            inner = QVBoxLayout(group)
            inner.addWidget(view)
            row = QHBoxLayout()
            row.addStretch(1)
            for text, slot in buttons:
                button = QPushButton(text)
                button.clicked.connect(slot)
                row.addWidget(button)
            inner.addLayout(row)
            return group

        side = QVBoxLayout()
        side.addWidget(
            box(
                _("DBS checks and training"),
                self.checks_view,
                [(_("Add…"), self.add_check), (_("Remove"), self.remove_check)],
            )
        )
        side.addWidget(
            box(
                _("Placements"),
                self.placements_view,
                [(_("Find opportunities…"), self.find_opportunities), (_("End placement"), self.end_placement)],
            )
        )
        side.addWidget(box(_("Hours"), self.hours_view, [(_("Log hours…"), self.log_hours)]))
        side.addWidget(
            box(
                _("Thanks and awards"),
                self.recognition_view,
                [(_("Add thanks…"), self.add_recognition), (_("Certificate…"), self.certificate)],
            )
        )
        side_box = QWidget()
        side_box.setLayout(side)
        side.setContentsMargins(0, 0, 0, 0)
        grid = QGridLayout()
        content = QWidget()
        content.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        # The details beside the tables, or above them when the page is too narrow for both (150%, Welsh).
        ColumnsOrRows(
            scroll.viewport(),
            grid,
            wide=[(details, (0, 0, 1, 1)), (side_box, (0, 1, 1, 1))],
            narrow=[(details, (0, 0, 1, 1)), (side_box, (1, 0, 1, 1))],
        )
        # Somebody else saved this person while details were being typed here: the typing stays, and this says so.
        self.meanwhile = meanwhile_label()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.meanwhile)
        layout.addWidget(scroll, 1)

    # ------------------------------------------------------------------ showing

    def show_volunteer(self, volunteer_id: uuid.UUID, *, quiet: bool = False) -> bool:
        try:
            detail, hours = self.context.workspace.read(
                lambda session: (
                    volunteers.get_volunteer(session, volunteer_id),
                    placements.list_hours(session, volunteer_id=volunteer_id, limit=100),
                )
            )
        except NotFoundError as exc:
            if not quiet:
                self.context.prompts.error(_("Volunteer"), str(exc))
            return False
        self.volunteer = detail
        self._populate(detail, hours)
        return True

    def reload(self, *, keep_typing: bool = True) -> None:
        """Show the person afresh. With ``keep_typing``, details typed and not yet saved are never overwritten: when
        somebody else saved (or removed) the person since, nothing is reloaded (the save then asks which to keep) and
        a note says who and when; otherwise the records beside the details are refreshed around the typing."""
        if self.volunteer is None:
            return
        # Its own save is heard of too (the page reloads): what it saved is no longer typing to keep.
        if keep_typing and not self._saving and not _same(self.volunteer.data, self.collect()):
            volunteer_id = self.volunteer.id
            if hold_typing(self.context, self.meanwhile, "volunteer", volunteer_id, self.volunteer.version):
                return
            detail, hours = self.context.workspace.read(
                lambda session: (
                    volunteers.get_volunteer(session, volunteer_id),
                    placements.list_hours(session, volunteer_id=volunteer_id, limit=100),
                )
            )
            self.volunteer = detail
            self._populate(detail, hours, details=False)
            return
        if not self.show_volunteer(self.volunteer.id, quiet=True):
            self.volunteer = None
            self.back_requested.emit()

    def _populate(self, detail: VolunteerDetail, hours: list[HoursRow], *, details: bool = True) -> None:
        """Show ``detail``; without ``details`` (its version is the one shown, and a field holds typing) the person's
        own fields are left as they are."""
        self.meanwhile.hide()
        self.checks_model.set_rows(detail.checks)
        self.placements_model.set_rows(detail.placements)
        self.hours_model.set_rows(hours)
        self.recognition_model.set_rows(detail.recognitions)
        data = detail.data
        self.title.setText(data.name)
        milestones = detail.milestones_reached
        due = [m for m in milestones if m not in detail.milestones_recognised]
        parts = [
            ngettext("{hours} hour given", "{hours} hours given", plural_count(detail.total_hours)).format(
                hours=format_hours(detail.total_hours)
            ),
            _("last active {day}").format(day=format_date(detail.last_activity))
            if detail.last_activity
            else _("no hours yet"),
        ]
        if due:
            parts.append(_("<b>reached {n} hours – not yet thanked</b>").format(n=max(due)))
        if data.consent_unknown:
            parts.append(_("<b>consent not known – ask them</b>"))
        self.summary.setText(" · ".join(parts))
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        if not details:
            return
        widgets = [
            self.name_field,
            self.email_field,
            self.phone_field,
            self.address_field,
            self.skills_field,
            self.how_heard_field,
            self.consent_agreed,
            self.consent_refused,
            self.consent_unknown,
            self.consent_details_field,
            self.consent_given_field,
            self.consent_withdrawn_field,
            self.emergency_name_field,
            self.emergency_phone_field,
            self.notes_field,
            *self.availability.values(),
        ]
        for widget in widgets:
            widget.blockSignals(True)
        show_text(self.name_field, data.name)
        show_text(self.email_field, data.email)
        show_text(self.phone_field, data.phone)
        if self.address_field.toPlainText() != data.address:
            self.address_field.setPlainText(data.address)
        show_text(self.skills_field, data.skills)
        show_text(self.how_heard_field, data.how_heard)
        for availability, box in self.availability.items():
            box.setChecked(availability in data.availability)
        answer = (
            self.consent_agreed
            if data.consent_to_contact
            else self.consent_unknown
            if data.consent_unknown
            else self.consent_refused
        )
        answer.setChecked(True)
        show_text(self.consent_details_field, data.consent_details)
        self.consent_given_field.set_value(data.consent_given_on)
        self.consent_withdrawn_field.set_value(data.consent_withdrawn_on)
        show_text(self.emergency_name_field, data.emergency_contact_name)
        show_text(self.emergency_phone_field, data.emergency_contact_phone)
        if self.notes_field.toPlainText() != data.notes:
            self.notes_field.setPlainText(data.notes)
        for widget in widgets:
            widget.blockSignals(False)
        for key in self.errors:
            self.errors[key].hide()

    # ------------------------------------------------------------------ saving details

    def collect(self) -> VolunteerInput:
        return VolunteerInput(
            name=self.name_field.text(),
            email=self.email_field.text(),
            phone=self.phone_field.text(),
            address=self.address_field.toPlainText(),
            skills=self.skills_field.text(),
            availability=[a for a, box in self.availability.items() if box.isChecked()],
            how_heard=self.how_heard_field.text(),
            consent_to_contact=self.consent_agreed.isChecked(),
            consent_unknown=self.consent_unknown.isChecked(),
            consent_details=self.consent_details_field.text(),
            consent_given_on=self.consent_given_field.value(),
            consent_withdrawn_on=self.consent_withdrawn_field.value(),
            emergency_contact_name=self.emergency_name_field.text(),
            emergency_contact_phone=self.emergency_phone_field.text(),
            notes=self.notes_field.toPlainText(),
        )

    def _fields(self, data: VolunteerInput) -> Fields:
        """The volunteer's details as this editor shows them, to compare versions when a save was refused."""
        consent = (
            self.consent_agreed
            if data.consent_to_contact
            else self.consent_unknown
            if data.consent_unknown
            else self.consent_refused
        )
        shown: dict[str, str] = {}
        for key, label in self.field_names.items():
            if key == "consent":
                shown[label] = consent.text()
            else:
                shown[label] = shown_value(getattr(data, key))
        return shown

    def _commit(self) -> None:
        if self.volunteer is None or self._saving:
            return
        before, after = self.volunteer.data, self.collect()
        if after.consent_to_contact and not before.consent_to_contact and after.consent_given_on is None:
            after = dataclasses.replace(after, consent_given_on=date.today())  # ticking the box means "today"
        if _same(before, after):
            return
        shown = self.volunteer
        volunteer_id = shown.id

        def save(version: int | None) -> VolunteerDetail:
            return run_undoable(
                self.context,
                _("Change {name}'s details").format(name=before.name),
                do=lambda s: volunteers.update_volunteer(s, volunteer_id=volunteer_id, data=after),
                undo=lambda s: volunteers.update_volunteer(s, volunteer_id=volunteer_id, data=before),
                after=self._after_change,
                now=lambda s: volunteers.update_volunteer(s, volunteer_id=volunteer_id, data=after, version=version),
            )

        try:
            volunteers.check_volunteer(after)
            self._saving = True  # the field the person was in loses the focus to the question, and would save again
            try:
                chosen, _saved = save_checked(
                    self.context,
                    save,
                    version=shown.version,
                    shown=self._fields(before),
                    yours=self._fields(after),
                    stored=lambda: self._fields(
                        self.context.workspace.read(volunteers.get_volunteer, volunteer_id).data
                    ),
                )
            finally:
                self._saving = False
            if chosen is Resolution.SHOW_THEIRS:
                self.reload(keep_typing=False)
            elif chosen is Resolution.SAVE_AS_NEW:
                made = self.context.workspace.write(volunteers.create_volunteer, data=after).value
                self.show_volunteer(made.id)
                self.context.show_status(_("Saved as a new volunteer: {name}").format(name=after.name))
            elif chosen is Resolution.DISCARD:
                self.volunteer = None
                self.back_requested.emit()
        except ValidationError as exc:
            for key, label in self.errors.items():
                label.setVisible(key in exc.problems)
                label.setText(exc.problems.get(key, ""))
            return
        except CohesionError as exc:
            self.context.prompts.error(_("Not saved"), str(exc))

    def _history(self) -> None:
        if self.volunteer is None:
            return
        self.commit_pending()
        show_history(
            self.context,
            kind="volunteer",
            record_id=self.volunteer.id,
            name=self.volunteer.data.name,
            parent=self,
            after=self._after_change,
        )

    def _after_change(self) -> None:
        if self.isVisible():
            self.reload(keep_typing=False)  # after a save of its own, an undo or a redo

    def commit_pending(self) -> None:
        focused = self.focusWidget()
        if isinstance(focused, QLineEdit):
            focused.editingFinished.emit()
        elif isinstance(focused, CommitTextEdit):
            focused.editing_finished.emit()

    def _back(self) -> None:
        self.commit_pending()
        self.back_requested.emit()

    # ------------------------------------------------------------------ records about the volunteer

    def _change(self, text: str, do: Any, undo: Any) -> bool:
        return try_undoable(self.context, _("Not saved"), text, do=do, undo=undo, after=self._after_change)

    def add_check(self) -> None:
        if self.volunteer is None:
            return
        dialog = CheckDialog(self)
        if not dialog.exec() or dialog.value is None:
            return
        value, volunteer_id, check_id = dialog.value, self.volunteer.id, uuid.uuid4()
        made: list[bool] = []

        def do(session: Any) -> None:
            if made:
                checks.restore_check(session, check_id=check_id)
            else:
                made.append(True)
                checks.add_check(
                    session,
                    volunteer_id=volunteer_id,
                    kind=value.kind,
                    obtained_on=value.obtained_on,
                    renewal_due_on=value.renewal_due_on,
                    reference=value.reference,
                    check_id=check_id,
                )

        self._change(
            _("Add {what}").format(what=value.kind.label), do, lambda s: checks.remove_check(s, check_id=check_id)
        )

    def remove_check(self) -> None:
        index = self.checks_view.currentIndex()
        if not index.isValid():
            return
        check = self.checks_model.row_at(index.row())
        self._change(
            _("Remove {what}").format(what=check.kind.label),
            lambda s: checks.remove_check(s, check_id=check.id),
            lambda s: checks.restore_check(s, check_id=check.id),
        )

    def find_opportunities(self) -> None:
        if self.volunteer is None:
            return
        volunteer = self.volunteer
        matches = self.context.workspace.read(matching.match_opportunities, volunteer_id=volunteer.id)

        def place(match: object) -> str:
            assert isinstance(match, OpportunityMatch)
            holder: list[PlacementRow] = []

            def do(session: Any) -> None:
                holder[:] = [
                    placements.place_volunteer(session, volunteer_id=volunteer.id, opportunity_id=match.opportunity.id)
                ]

            run_undoable(
                self.context,
                _("Place {name}").format(name=volunteer.data.name),
                do=do,
                undo=lambda s: placements.remove_placement(s, placement_id=holder[0].id),
                after=self._after_change,
            )
            return _("{name} is now placed on “{title}”. Ctrl+Z undoes it.").format(
                name=volunteer.data.name, title=match.opportunity.title
            )

        intro = _(
            "Open opportunities with places left that fit {name}'s skills ({skills}) and times. "
            "“Still needs” lists checks to get first."
        ).format(name=volunteer.data.name, skills=volunteer.data.skills or _("none recorded"))
        MatchDialog(
            title=_("Find opportunities"),
            intro=intro,
            columns=OPPORTUNITY_COLUMNS,
            matches=matches,
            place=place,
            parent=self,
        ).exec()

    def end_placement(self) -> None:
        index = self.placements_view.currentIndex()
        if not index.isValid():
            return
        placement = self.placements_model.row_at(index.row())
        ended, status = PlacementStatus.COMPLETED, _("Status")

        def save(version: int | None) -> None:
            run_undoable(
                self.context,
                _("End placement on {opportunity}").format(opportunity=placement.opportunity),
                do=lambda s: placements.set_placement_status(s, placement_id=placement.id, status=ended),
                undo=lambda s: placements.set_placement_status(s, placement_id=placement.id, status=placement.status),
                after=self._after_change,
                now=lambda s: placements.set_placement_status(
                    s, placement_id=placement.id, status=ended, version=version
                ),
            )

        def stored() -> Fields:
            rows = self.context.workspace.read(placements.list_placements, volunteer_id=placement.volunteer_id)
            row = next((r for r in rows if r.id == placement.id), None)
            if row is None:
                raise NotFoundError(_("That placement no longer exists."))
            return {status: row.status.label}

        try:
            chosen, _saved = save_checked(
                self.context,
                save,
                version=placement.version,
                shown={status: placement.status.label},
                yours={status: ended.label},
                stored=stored,
                as_new=False,
            )
        except CohesionError as exc:
            self.context.prompts.error(_("Placements"), str(exc))
            return
        if chosen is not Resolution.SAVED:
            self.reload()

    def log_hours(self) -> None:
        if self.volunteer is not None:
            self.log_hours_requested.emit((self.volunteer.id, self.volunteer.data.name))
            self.reload()

    def add_recognition(self) -> None:
        if self.volunteer is None:
            return
        dialog = RecognitionDialog(self.volunteer.data.name, self)
        if not dialog.exec() or dialog.value is None:
            return
        value, volunteer_id, total = dialog.value, self.volunteer.id, self.volunteer.total_hours
        recognition_id = uuid.uuid4()
        made: list[bool] = []

        def do(session: Any) -> None:
            if made:
                recognition.restore_recognition(session, recognition_id=recognition_id)
            else:
                made.append(True)
                recognition.add_recognition(
                    session,
                    volunteer_id=volunteer_id,
                    kind=value.kind,
                    title=value.title,
                    given_on=value.given_on,
                    message=value.message,
                    hours_at_time=total,
                    recognition_id=recognition_id,
                )

        self._change(
            _("Thank {name}").format(name=self.volunteer.data.name),
            do,
            lambda s: recognition.remove_recognition(s, recognition_id=recognition_id),
        )

    def certificate(self) -> None:
        if self.volunteer is not None:
            due = [m for m in self.volunteer.milestones_reached if m not in self.volunteer.milestones_recognised]
            self.certificates_requested.emit([self.volunteer.id], max(due) if due else None)
            self.reload()

    # ------------------------------------------------------------------ rights

    def export_their_data(self) -> None:
        if self.volunteer is None:
            return
        slug = "".join(ch for ch in self.volunteer.data.name if ch.isalnum() or ch == " ").strip().replace(" ", "-")
        target = self.context.prompts.save_path(
            _("Export their data (subject access)"),
            Path.home() / f"subject-access-{slug or 'volunteer'}.txt",
            _("Readable text (*.txt);;JSON for another system (*.json)"),
        )
        if target is None:
            return
        try:
            written = self.context.workspace.read(
                personal_data.export_subject_access, volunteer_id=self.volunteer.id, path=target
            )
        except (CohesionError, OSError) as exc:
            self.context.prompts.error(
                _("Export their data"), _("The file was not written: {problem}").format(problem=exc)
            )
            return
        self.context.prompts.info(
            _("Export their data"),
            _(
                "Everything held about {name} was written to {path}.\n\nSend it to them securely; UK GDPR gives you "
                "one month to answer a subject access request."
            ).format(name=self.volunteer.data.name, path=written),
        )

    def erase(self) -> None:
        if self.volunteer is None:
            return

        def erased(message: str) -> None:
            self.volunteer = None
            self.removed.emit(message)

        erase_with_questions(self.context, self, self.volunteer.id, on_erased=erased)


def erase_with_questions(
    context: ViewContext, parent: QWidget, volunteer_id: uuid.UUID, *, on_erased: Callable[[str], None]
) -> None:
    """Show what erasing the volunteer removes and leaves (:class:`ErasureDialog`); if confirmed, erase, then
    ``on_erased(message for the status bar)``. Both steps run in the background with progress (on a large file,
    finding every mention takes a second and the erasure itself many). Shared by the editor and the list of
    volunteers to review (where those removed but still held are erased)."""
    title = _("Erase personal data")
    workspace = context.workspace

    def look(_control: TaskControl) -> erasure.ErasurePlan:
        return workspace.read(erasure.erasure_plan, volunteer_id=volunteer_id, data_file=workspace.path)

    def ask(plan: erasure.ErasurePlan) -> None:
        dialog = ErasureDialog(plan, parent)
        if not dialog.exec():
            return
        blank = dialog.blank_activities

        def work(control: TaskControl) -> erasure.ErasureReport:
            return workspace.write(
                erasure.erase_volunteer,
                volunteer_id=volunteer_id,
                blank_activities=blank,
                data_file=workspace.path,
                progress=control.progress,
            ).value

        start_task(
            work,
            on_success=lambda report: done(plan, report),
            on_failure=failed,
            parent=parent.window(),
            title=_("Erasing personal data…"),
            owner=parent,
        )

    def done(plan: erasure.ErasurePlan, report: erasure.ErasureReport) -> None:
        # An undo of an earlier edit would write the erased details back: forget every step.
        context.undo_stack.clear()
        message = (
            _("Erased {name}'s personal data; {hours} hours stay in the totals. Undo history was cleared.").format(
                name=plan.name, hours=format_hours(report.hours_kept)
            )
            if report.hours_kept
            else _("Erased {name}'s personal data. Undo history was cleared.").format(name=plan.name)
        )
        if report.unfinished is not None:
            context.prompts.warning(
                title,
                _(
                    "{name}'s details are erased from the records, but old copies of "
                    "them are still in the data file: {problem}.\n\nThe app removes "
                    "them by itself as soon as it can: it tries again every few minutes, and when "
                    "the file is next opened."
                ).format(name=plan.name, problem=report.unfinished),
            )
            message += " " + _("Old copies are still in the data file until it can remove them.")
        on_erased(message)  # first: the editor lets go of the person, so the refresh below does not show them again

    def failed(exc: BaseException) -> None:
        context.prompts.error(
            title,
            str(exc)
            if isinstance(exc, CohesionError)
            else _("Nothing was erased: {problem} (details in the log file).").format(problem=exc.__class__.__name__),
        )

    start_task(
        look,
        on_success=ask,
        on_failure=failed,
        parent=parent.window(),
        title=_("Finding everything held about them…"),
        owner=parent,
    )


def _same(before: VolunteerInput, after: VolunteerInput) -> bool:
    """Equal once whitespace is ignored: leaving a field untouched must not save anything."""

    def norm(value: Any) -> Any:
        return (
            " ".join(value.split()) if isinstance(value, str) else (tuple(value) if isinstance(value, list) else value)
        )

    return all(norm(getattr(before, f.name)) == norm(getattr(after, f.name)) for f in dataclasses.fields(before))
