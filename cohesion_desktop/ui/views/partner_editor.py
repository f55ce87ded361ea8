"""Editing one partner: every field saves when you leave it, each change can be undone with Ctrl+Z."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.domain import RelationshipStage, Sector
from cohesion_desktop.errors import CohesionError, NotFoundError, ValidationError
from cohesion_desktop.i18n import _
from cohesion_desktop.services import partners
from cohesion_desktop.services.partners import Contact, PartnerDetail, PartnerInput
from cohesion_desktop.ui.conflicts import Fields, hold_typing, meanwhile_label, save_checked, shown_value
from cohesion_desktop.ui.context import ViewContext
from cohesion_desktop.ui.dialogs.conflict_dialog import Resolution
from cohesion_desktop.ui.history_panel import show_history
from cohesion_desktop.ui.models.contacts_table_model import ContactsTableModel
from cohesion_desktop.ui.undo import run_undoable, try_undoable
from cohesion_desktop.ui.widgets.checklist import ChecklistEditor
from cohesion_desktop.ui.widgets.choice_box import ChoiceBox
from cohesion_desktop.ui.widgets.columns import ColumnsOrRows
from cohesion_desktop.ui.widgets.field_errors import add_field_row, error_label
from cohesion_desktop.ui.widgets.flow_layout import FlowLayout
from cohesion_desktop.ui.widgets.tables import wrap_headings
from cohesion_desktop.ui.widgets.text_fields import show_text


class CommitTextEdit(QPlainTextEdit):
    """A multi-line field that says when the user has finished with it (focus leaves), like a line edit.

    Signals: ``editing_finished``.
    """

    editing_finished = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt override)
        super().focusOutEvent(event)
        self.editing_finished.emit()


def _linked_list(name: str) -> tuple[QListView, QStandardItemModel]:
    model = QStandardItemModel()
    view = QListView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setMinimumHeight(90)
    return view, model


class PartnerEditor(QWidget):
    """Signals: ``back_requested``; ``deleted(str)`` with the deleted partner's name."""

    back_requested = Signal()
    deleted = Signal(str)

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.partner: PartnerDetail | None = None
        self.errors: dict[str, QLabel] = {}
        # While a save asks what to keep, the field it came from loses the focus and would save again.
        self._saving = False

        self.back_button = QPushButton(_("← All partners"))
        self.back_button.setAccessibleName(_("Back to all partners"))
        self.back_button.clicked.connect(self._back)
        self.title = QLabel()
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.5)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.history_button = QPushButton(_("History…"))
        self.history_button.setToolTip(_("Every change to this partner: who, on which laptop, when"))
        self.history_button.clicked.connect(self._history)
        self.merge_button = QPushButton(_("Merge with…"))
        self.merge_button.clicked.connect(self._merge)
        self.delete_button = QPushButton(_("Delete partner"))
        self.delete_button.clicked.connect(self._delete)
        # The buttons wrap onto a second line at 150% or in a longer language, and a long name onto a second line of
        # its own, rather than squeezing each other's texts.
        self.title.setWordWrap(True)
        self.title.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        top = FlowLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.title)
        top.addWidget(self.history_button)
        top.addWidget(self.merge_button)
        top.addWidget(self.delete_button)

        # -- the partner's own fields
        self.name_field = QLineEdit()
        self.sector_field: ChoiceBox[Sector] = ChoiceBox.of_enum(_("Sector"), Sector)
        self.sme_field = QCheckBox(_("SME (small or medium business)"))
        self.stage_field: ChoiceBox[RelationshipStage] = ChoiceBox.of_enum(_("Relationship"), RelationshipStage)
        self.website_field = QLineEdit()
        self.website_field.setPlaceholderText(_("www.example.org"))
        self.remit_field = CommitTextEdit()
        self.remit_field.setPlaceholderText(_("What they do and are responsible for"))
        self.remit_field.setTabChangesFocus(True)
        self.notes_field = CommitTextEdit()
        self.notes_field.setTabChangesFocus(True)
        line_height = self.fontMetrics().lineSpacing()
        self.remit_field.setMinimumHeight(line_height * 5)
        self.remit_field.setMaximumHeight(line_height * 9)
        self.notes_field.setMinimumHeight(line_height * 4)
        self.notes_field.setMaximumHeight(line_height * 7)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        # What each field is called, also in the undo history ("Undo Change remit of …").
        self.field_names: dict[str, str] = {}
        for label, widget, key in (
            (_("&Name"), self.name_field, "name"),
            (_("&Sector"), self.sector_field, "sector"),
            ("", self.sme_field, "is_sme"),
            (_("Relations&hip"), self.stage_field, "relationship_stage"),
            (_("&Website"), self.website_field, "website"),
            (_("&Remit"), self.remit_field, "remit"),
            (_("N&otes"), self.notes_field, "notes"),
        ):
            error = add_field_row(form, label, widget)
            widget.setAccessibleName(label.replace("&", "") or _("SME"))
            self.field_names[key] = widget.accessibleName()
            error.setObjectName(f"{key}_error")
            self.errors[key] = error

        self.name_field.editingFinished.connect(lambda: self._commit_field("name", self.name_field.text()))
        self.website_field.editingFinished.connect(lambda: self._commit_field("website", self.website_field.text()))
        self.sector_field.activated.connect(lambda _i: self._commit_field("sector", self.sector_field.value()))
        self.stage_field.activated.connect(
            lambda _i: self._commit_field("relationship_stage", self.stage_field.value())
        )
        self.sme_field.clicked.connect(lambda checked: self._commit_field("is_sme", bool(checked)))
        self.remit_field.editing_finished.connect(lambda: self._commit_field("remit", self.remit_field.toPlainText()))
        self.notes_field.editing_finished.connect(lambda: self._commit_field("notes", self.notes_field.toPlainText()))

        # -- themes and places
        self.themes_editor = ChecklistEditor("themes")
        self.places_editor = ChecklistEditor("places")
        self.themes_editor.changed.connect(lambda names: self._commit_list("themes", names))
        self.places_editor.changed.connect(lambda names: self._commit_list("places", names))
        themes_box, places_box = QGroupBox(_("Themes")), QGroupBox(_("Places served"))
        QVBoxLayout(themes_box).addWidget(self.themes_editor)
        QVBoxLayout(places_box).addWidget(self.places_editor)

        # -- contacts
        self.contacts_model = ContactsTableModel(self._commit_contacts, self)
        self.contacts_view = QTableView()
        self.contacts_view.setModel(self.contacts_model)
        self.contacts_view.setAccessibleName(_("Contacts"))
        self.contacts_view.verticalHeader().hide()
        self.contacts_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        wrap_headings(self.contacts_view)  # the box beside the fields is narrow: "Main contact" takes two lines
        self.contacts_view.setMinimumHeight(line_height * 6)
        self.contacts_model.rejected.connect(lambda message: self._show_error("contacts", message))
        self.new_contact_field = QLineEdit()
        self.new_contact_field.setPlaceholderText(_("New contact's name"))
        self.new_contact_field.setAccessibleName(_("New contact's name"))
        self.new_contact_field.returnPressed.connect(self._add_contact)
        add_contact = QPushButton(_("Add contact"))
        add_contact.clicked.connect(self._add_contact)
        remove_contact = QPushButton(_("Remove contact"))
        remove_contact.clicked.connect(self._remove_contact)
        contact_buttons = QHBoxLayout()
        contact_buttons.addWidget(self.new_contact_field, 1)
        contact_buttons.addWidget(add_contact)
        contact_buttons.addWidget(remove_contact)
        contacts_error = error_label()
        contacts_error.setObjectName("contacts_error")
        self.errors["contacts"] = contacts_error
        contacts_box = QGroupBox(_("Contacts"))
        contacts_layout = QVBoxLayout(contacts_box)
        contacts_layout.addWidget(self.contacts_view)
        contacts_layout.addLayout(contact_buttons)
        contacts_layout.addWidget(contacts_error)

        # -- what the partner is linked to
        self.opportunities_view, self.opportunities_model = _linked_list(_("Opportunities hosted or supported"))
        self.workshops_view, self.workshops_model = _linked_list(_("Workshops taken part in"))
        self.actions_view, self.actions_model = _linked_list(_("Actions owned"))
        self.opportunities_view.doubleClicked.connect(lambda i: self._open_linked("opportunities", i))
        self.workshops_view.doubleClicked.connect(lambda i: self._open_linked("workshops", i))
        self.actions_view.doubleClicked.connect(lambda i: self._open_linked("actions", i))
        linked = QGridLayout()
        # Each heading is its list's accessible name: one text for the eye and the screen reader.
        for column, view in enumerate((self.opportunities_view, self.workshops_view, self.actions_view)):
            heading = QLabel(f"<b>{view.accessibleName()}</b>")
            heading.setWordWrap(True)  # side by side: in Welsh at 150% they made the page scroll sideways
            heading.setBuddy(view)
            linked.addWidget(heading, 0, column)
            linked.addWidget(view, 1, column)
        linked_box = QGroupBox(_("Linked"))
        linked_box.setLayout(linked)

        fields_box = QGroupBox(_("Details"))
        fields_layout = QVBoxLayout(fields_box)
        fields_layout.addLayout(form)
        fields_layout.addStretch(1)
        grid = QGridLayout()

        content = QWidget()
        body = QVBoxLayout(content)
        body.addLayout(grid)
        body.addWidget(contacts_box)
        body.addWidget(linked_box)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        # Themes and places beside the details, or under them when the page is too narrow for both (150%, Welsh).
        ColumnsOrRows(
            scroll.viewport(),
            grid,
            wide=[(fields_box, (0, 0, 2, 1)), (themes_box, (0, 1, 1, 1)), (places_box, (1, 1, 1, 1))],
            narrow=[(fields_box, (0, 0, 1, 1)), (themes_box, (1, 0, 1, 1)), (places_box, (2, 0, 1, 1))],
        )
        # Somebody else saved this partner while the person was typing here: what was typed stays, and this says so.
        self.meanwhile = meanwhile_label()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.meanwhile)
        layout.addWidget(scroll, 1)

    # ------------------------------------------------------------------ showing

    def show_partner(self, partner_id: uuid.UUID, *, quiet: bool = False) -> bool:
        """Show a partner; False when it no longer exists (said to the user unless ``quiet``)."""
        try:
            detail, themes, places = self.context.workspace.read(
                lambda session: (
                    partners.get_partner(session, partner_id),
                    partners.themes(session),
                    partners.places(session),
                )
            )
            all_themes, all_places = [v.name for v in themes], [v.name for v in places]
        except NotFoundError as exc:
            if not quiet:
                self.context.prompts.error(_("Partner"), str(exc))
            return False
        for label in self.errors.values():
            label.hide()
        self._populate(detail, all_themes, all_places)
        return True

    def reload(self, *, keep_typing: bool = True) -> None:
        """Show the current partner afresh; if it was deleted meanwhile (an undo, say), go back to the list.

        With ``keep_typing``, a field typed in and not yet saved is never overwritten: when somebody else saved (or
        removed) the partner since it was shown, nothing is reloaded (its save then asks which to keep) and a note
        says who and when; otherwise the rest is refreshed around the typing."""
        if self.partner is None:
            return
        # Its own save is heard of too (the page reloads): what it saved is no longer typing to keep.
        if keep_typing and not self._saving and self._typing():
            if hold_typing(self.context, self.meanwhile, "partner", self.partner.id, self.partner.version):
                return
            partner_id = self.partner.id
            detail, themes, places = self.context.workspace.read(
                lambda session: (
                    partners.get_partner(session, partner_id),
                    partners.themes(session),
                    partners.places(session),
                )
            )
            self._populate(detail, [v.name for v in themes], [v.name for v in places], fields=False)
            return
        if not self.show_partner(self.partner.id, quiet=True):
            self.partner = None
            self.back_requested.emit()

    def _typing(self) -> bool:
        """Whether a field holds text typed and not yet saved (those save when the person leaves them)."""
        if self.partner is None:
            return False
        typed = (
            (self.name_field.text(), self.partner.name),
            (self.website_field.text(), self.partner.website),
            (self.remit_field.toPlainText(), self.partner.remit),
            (self.notes_field.toPlainText(), self.partner.notes),
        )
        return any(text.strip() != stored.strip() for text, stored in typed)

    def _populate(
        self, detail: PartnerDetail, all_themes: list[str], all_places: list[str], *, fields: bool = True
    ) -> None:
        """Show ``detail``; without ``fields`` (its version is the one shown, and a field holds typing) the partner's
        own fields are left as they are."""
        self.partner = detail
        self.meanwhile.hide()
        self.themes_editor.set_items(all_themes, detail.themes)
        self.places_editor.set_items(all_places, detail.places)
        self.contacts_model.set_rows(detail.contacts)
        self._fill_linked(
            self.opportunities_model,
            [(i, f"{i.label} (hosts)") for i in detail.hosted]
            + [(i, f"{i.label} (supports)") for i in detail.supported],
        )
        self._fill_linked(self.workshops_model, [(i, f"{i.label} – {i.detail}") for i in detail.workshops])
        self._fill_linked(self.actions_model, [(i, f"{i.label} – {i.detail}") for i in detail.actions])
        if not fields:
            return
        self.title.setText(detail.name)
        widgets: list[QWidget] = [
            self.name_field,
            self.sector_field,
            self.sme_field,
            self.stage_field,
            self.website_field,
            self.remit_field,
            self.notes_field,
        ]
        for widget in widgets:
            widget.blockSignals(True)
        show_text(self.name_field, detail.name)
        self.sector_field.set_value(detail.sector)
        self.sme_field.setChecked(detail.is_sme)
        self.stage_field.set_value(detail.relationship_stage)
        show_text(self.website_field, detail.website)
        if self.remit_field.toPlainText() != detail.remit:
            self.remit_field.setPlainText(detail.remit)
        if self.notes_field.toPlainText() != detail.notes:
            self.notes_field.setPlainText(detail.notes)
        for widget in widgets:
            widget.blockSignals(False)

    @staticmethod
    def _fill_linked(model: QStandardItemModel, items: list[tuple[partners.LinkedItem, str]]) -> None:
        model.clear()
        if not items:
            placeholder = QStandardItem("None yet")
            placeholder.setEnabled(False)
            model.appendRow(placeholder)
        for item, text in items:
            entry = QStandardItem(text)
            entry.setData(item.id, Qt.ItemDataRole.UserRole)
            entry.setToolTip(text)
            model.appendRow(entry)

    # ------------------------------------------------------------------ saving

    def _show_error(self, key: str, message: str) -> None:
        label = self.errors.get(key) or self.errors["name"]
        label.setText(message)
        label.show()

    def _clear_error(self, key: str) -> None:
        if key in self.errors:
            self.errors[key].hide()

    def _after_change(self) -> None:
        if self.partner is not None and self.isVisible():
            self.reload(keep_typing=False)  # after a save of its own, an undo or a redo

    def _fields(self, detail: PartnerDetail, **changed: Any) -> Fields:
        """The partner's fields as this editor shows them (with ``changed`` values in place of the stored ones), to
        compare with the stored record when a save was refused."""
        values = {key: changed.get(key, getattr(detail, key)) for key in self.field_names}
        fields = {self.field_names[key]: shown_value(value) for key, value in values.items()}
        fields[_("Themes")] = shown_value(changed.get("themes", detail.themes))
        fields[_("Places served")] = shown_value(changed.get("places", detail.places))
        contacts: Sequence[Contact] = changed.get("contacts", detail.contacts)
        fields[_("Contacts")] = "\n".join(
            " · ".join(part for part in (c.name, c.role, c.email, c.phone) if part) for c in contacts
        )
        return fields

    def _save(self, save: Callable[[int | None], object], **changed: Any) -> Resolution:
        """Save with the version this editor showed; when somebody saved the partner since, ask what to keep and
        act on it (see ui/conflicts.py)."""
        assert self.partner is not None
        shown, partner_id = self.partner, self.partner.id
        self._saving = True
        try:
            chosen, _saved = save_checked(
                self.context,
                save,
                version=shown.version,
                shown=self._fields(shown),
                yours=self._fields(shown, **changed),
                stored=lambda: self._fields(self.context.workspace.read(partners.get_partner, partner_id)),
            )
        finally:
            self._saving = False
        if chosen is Resolution.SHOW_THEIRS:
            self.reload(keep_typing=False)
        elif chosen is Resolution.SAVE_AS_NEW:
            self._save_as_new(shown, changed)
        elif chosen is Resolution.DISCARD:
            self.partner = None
            self.back_requested.emit()
        return chosen

    def _save_as_new(self, shown: PartnerDetail, changed: dict[str, Any]) -> None:
        """Somebody removed the partner for good while it was being edited: keep what this editor holds as a new
        partner."""
        values = {key: changed.get(key, getattr(shown, key)) for key in self.field_names}
        data = PartnerInput(
            **values,
            themes=changed.get("themes", shown.themes),
            places=changed.get("places", shown.places),
            contacts=[Contact(**{**c.__dict__, "id": None}) for c in changed.get("contacts", shown.contacts)],
        )
        try:
            made = self.context.workspace.write(partners.create_partner, data=data).value
        except CohesionError as exc:
            self.context.prompts.error(_("Not saved"), str(exc))
            return
        self.show_partner(made.id)

    def _commit_field(self, key: str, value: Any) -> None:
        if self.partner is None or self._saving:
            return
        old = getattr(self.partner, key)
        if isinstance(value, str) and isinstance(old, str) and value.strip() == old.strip():
            self._clear_error(key)
            return
        if value == old:
            return
        partner_id, name = self.partner.id, self.partner.name
        label = self.field_names.get(key, key).lower()

        def save(version: int | None) -> partners.SavedPartner:
            return run_undoable(
                self.context,
                _("Change {label} of {name}").format(label=label, name=name),
                do=lambda s: partners.update_partner(s, partner_id=partner_id, changes={key: value}),
                undo=lambda s: partners.update_partner(s, partner_id=partner_id, changes={key: old}),
                after=self._after_change,
                now=lambda s: partners.update_partner(s, partner_id=partner_id, changes={key: value}, version=version),
            )

        try:
            self._save(save, **{key: value})
        except ValidationError as exc:
            for field_key, message in exc.problems.items():
                self._show_error(field_key if field_key in self.errors else key, message)
            return
        except CohesionError as exc:
            self.context.prompts.error(_("Not saved"), str(exc))
            self.reload(keep_typing=False)
            return
        self._clear_error(key)

    def _commit_list(self, which: str, names: list[str]) -> None:
        if self.partner is None or self._saving:
            return
        partner_id, name = self.partner.id, self.partner.name
        old = list(getattr(self.partner, which))
        setter: Callable[..., partners.SavedPartner] = partners.set_themes if which == "themes" else partners.set_places

        def save(version: int | None) -> partners.SavedPartner:
            return run_undoable(
                self.context,
                _("Change {label} of {name}").format(
                    label=(_("themes") if which == "themes" else _("places")), name=name
                ),
                do=lambda s: setter(s, partner_id=partner_id, names=names),
                undo=lambda s: setter(s, partner_id=partner_id, names=old),
                after=self._after_change,
                now=lambda s: setter(s, partner_id=partner_id, names=names, version=version),
            )

        try:
            self._save(save, **{which: tuple(names)})  # on Cancel the ticks stay as made, and the next one asks again
        except CohesionError as exc:
            self.context.prompts.error(_("Not saved"), str(exc))
            self.reload(keep_typing=False)

    def _commit_contacts(self, proposed: list[Contact]) -> list[Contact]:
        assert self.partner is not None
        partner_id, name = self.partner.id, self.partner.name
        old = list(self.partner.contacts)

        def save(version: int | None) -> partners.SavedPartner:
            return run_undoable(
                self.context,
                _("Change contacts of {name}").format(name=name),
                do=lambda s: partners.set_contacts(s, partner_id=partner_id, contacts=proposed),
                undo=lambda s: partners.set_contacts(s, partner_id=partner_id, contacts=old),
                after=self._after_change,
                now=lambda s: partners.set_contacts(s, partner_id=partner_id, contacts=proposed, version=version),
            )

        chosen = self._save(save, contacts=proposed)
        self._clear_error("contacts")
        if chosen is Resolution.CANCEL or self.partner is None:
            return proposed  # shown as typed, not yet saved: the next change of the contacts saves them again
        return list(self.partner.contacts)

    def _add_contact(self) -> None:
        typed = self.new_contact_field.text().strip()
        if not typed:
            self._show_error("contacts", _("Type the new contact's name first."))
            return
        if self.contacts_model.add_contact(typed):
            self.new_contact_field.clear()

    def _remove_contact(self) -> None:
        index = self.contacts_view.currentIndex()
        if not index.isValid():
            self._show_error("contacts", _("Select the contact to remove first."))
            return
        self.contacts_model.remove_contact(index.row())

    def commit_pending(self) -> None:
        """Save a field the cursor is still in (before going back, or before the window closes)."""
        focused = self.focusWidget()
        if focused is self.name_field or focused is self.website_field:
            focused.editingFinished.emit()
        elif isinstance(focused, CommitTextEdit):
            focused.editing_finished.emit()

    # ------------------------------------------------------------------ actions

    def _back(self) -> None:
        self.commit_pending()
        self.back_requested.emit()

    def _delete(self) -> None:
        if self.partner is None:
            return
        partner_id, name = self.partner.id, self.partner.name
        if not self.context.prompts.confirm(
            _("Delete partner"),
            _("Delete {name}? You can undo this straight away from the status bar or with Ctrl+Z.").format(name=name),
            confirm_label=_("Delete"),
        ):
            return
        if not try_undoable(
            self.context,
            _("Delete partner"),
            _("Delete {name}").format(name=name),
            do=lambda s: partners.delete_partner(s, partner_id=partner_id),
            undo=lambda s: partners.restore_partner(s, partner_id=partner_id),
        ):
            return
        self.partner = None
        self.deleted.emit(name)

    def _history(self) -> None:
        if self.partner is None:
            return
        self.commit_pending()
        show_history(
            self.context,
            kind="partner",
            record_id=self.partner.id,
            name=self.partner.name,
            parent=self,
            after=self._after_change,
        )

    def _merge(self) -> None:
        if self.partner is None:
            return
        from cohesion_desktop.ui.dialogs.merge_partner_dialog import MergePartnerDialog

        partner = self.partner
        everyone, similar = self.context.workspace.read(
            lambda session: (
                partners.partner_choices(session),
                partners.find_similar(session, name=partner.name, exclude_id=partner.id),
            )
        )
        choices = [c for c in everyone if c[0] != partner.id]
        dialog = MergePartnerDialog(self.partner.name, choices, similar, parent=self)
        if not dialog.exec() or dialog.chosen is None:
            return
        absorb_id, absorb_name = dialog.chosen
        if not self.context.prompts.confirm(
            _("Merge partners"),
            _(
                "Merge {absorbed} into {kept}?\n\nIts contacts, themes, places, opportunities, workshops, matrix "
                "entries and actions will all belong to {kept}, and {absorbed} will no longer be listed. A merge "
                "cannot be undone with Ctrl+Z."
            ).format(absorbed=absorb_name, kept=self.partner.name),
            confirm_label=_("Merge"),
        ):
            return
        try:
            self.context.workspace.write(partners.merge_partners, keep=self.partner.id, absorb=absorb_id)
        except CohesionError as exc:
            self.context.prompts.error(_("Merge partners"), str(exc))
            return
        self.context.show_status(
            _("Merged {absorbed} into {kept}.").format(absorbed=absorb_name, kept=self.partner.name)
        )
        self._after_change()

    def _open_linked(self, page: str, index: Any) -> None:
        item_id = index.data(Qt.ItemDataRole.UserRole)
        if item_id is not None:
            self.commit_pending()
            self.context.navigate(page, select_id=item_id)
