"""The question before erasing a volunteer: what goes, the activity texts of their hours (blank them or not),
other records that mention them, and exactly what remains and until when."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.formatting import format_number
from cohesion_desktop.i18n import N_, _, ngettext
from cohesion_desktop.services.volunteering.erasure import ActivityText, ErasurePlan, Mention
from cohesion_desktop.ui.models.rows_table_model import Column, RowsTableModel

ACTIVITY_COLUMNS: list[Column[ActivityText]] = [
    Column(N_("Activity"), lambda a: a.text),
    Column(N_("Entries"), lambda a: a.entries, numeric=True),
    Column(N_("First"), lambda a: a.first_on),
    Column(N_("Last"), lambda a: a.last_on),
]
MENTION_COLUMNS: list[Column[Mention]] = [Column(N_("Where"), lambda m: m.where), Column(N_("Text"), lambda m: m.text)]


def _bullets(lines: list[str]) -> str:
    return "<ul style='margin-left: -1em'>" + "".join(f"<li>{_escaped(line)}</li>" for line in lines) + "</ul>"


def _entries(count: int) -> str:
    return ngettext("{count} hours entry", "{count} hours entries", count).format(count=format_number(count))


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(model: RowsTableModel[Any], name: str, rows: int, *, text_column: int) -> QTableView:
    """A short read-only list; ``text_column`` (free text, any length) takes the width left by the others."""
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(text_column, QHeaderView.ResizeMode.Stretch)
    shown = min(rows, 6)  # then it scrolls
    view.setFixedHeight(
        header.sizeHint().height()
        + view.verticalHeader().defaultSectionSize() * shown
        + 2 * view.frameWidth()
        + (view.fontMetrics().lineSpacing() if rows > shown else 0)
    )
    return view


class ErasureDialog(QDialog):
    """Asks before erasing; ``blank_activities`` is the choice made (read it after ``exec()`` accepted)."""

    def __init__(self, plan: ErasurePlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(_("Erase personal data – {name}").format(name=plan.name))
        question = (
            _(
                "Erase everything personal about <b>{name}</b> (removed from the list, but still held)? "
                "This cannot be undone."
            )
            if plan.removed
            else _("Erase everything personal about <b>{name}</b>? This cannot be undone.")
        )
        intro = QLabel(question.format(name=_escaped(plan.name)))
        intro.setWordWrap(True)
        self.removes_label = QLabel()
        self.removes_label.setWordWrap(True)
        self.remains_label = QLabel()
        self.remains_label.setWordWrap(True)
        self.remains_label.setAccessibleName(_("What remains"))
        self.blank_box = QCheckBox(
            _("Blank these activity texts too ({entries}; the hours stay)").format(
                entries=_entries(plan.activity_entries)
            )
        )
        self.blank_box.setToolTip(_("An activity text may name them, or someone else: blank it unless it is needed"))
        self.blank_box.setChecked(True)
        self.blank_box.toggled.connect(lambda _checked: self._describe())

        content = QWidget()
        inner = QVBoxLayout(content)
        inner.addWidget(intro)
        inner.addWidget(self.removes_label)
        if plan.activities:
            activities: RowsTableModel[ActivityText] = RowsTableModel(ACTIVITY_COLUMNS, self)
            activities.set_rows(plan.activities)
            group = QGroupBox(_("Activity texts of their hours"))
            group_layout = QVBoxLayout(group)
            group_layout.addWidget(
                _table(activities, _("Activity texts of their hours"), len(plan.activities), text_column=0)
            )
            group_layout.addWidget(self.blank_box)
            inner.addWidget(group)
        if plan.mentions:
            mentions: RowsTableModel[Mention] = RowsTableModel(MENTION_COLUMNS, self)
            mentions.set_rows(plan.mentions)
            group = QGroupBox(_("Other records that mention them (erasure does not change these)"))
            group_layout = QVBoxLayout(group)
            group_layout.addWidget(
                _table(mentions, _("Other records that mention them"), len(plan.mentions), text_column=1)
            )
            inner.addWidget(group)
        inner.addWidget(self.remains_label)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # text wraps instead
        scroll.setWidget(content)

        buttons = QDialogButtonBox()
        self.erase_button = QPushButton(_("Erase for good"))
        buttons.addButton(self.erase_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(True)  # Enter must not erase anyone by accident
        self.erase_button.setAutoDefault(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self._describe()
        wanted = QSize(self.fontMetrics().averageCharWidth() * 110, self.fontMetrics().lineSpacing() * 40)
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry().size()
        self.resize(wanted.boundedTo(screen * 0.9))

    @property
    def blank_activities(self) -> bool:
        return self.blank_box.isChecked()

    def _describe(self) -> None:
        blank = self.blank_activities
        self.removes_label.setText(_("<b>Erased for good:</b>") + _bullets(self.plan.removes(blank_activities=blank)))
        self.remains_label.setText(
            _("<b>What remains, and until when:</b>") + _bullets(self.plan.remains(blank_activities=blank))
        )
