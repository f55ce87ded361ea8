"""Matrix templates: the ones that come with the app (read-only, can be copied) and the user's own.

Every template has the same four columns; only its rows differ. Saving goes through the functions the
caller passes in, so this dialog stays free of storage.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.domain import MatrixColumn
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.i18n import _
from cohesion_desktop.services.workshops import TemplateInfo
from cohesion_desktop.ui.widgets.field_errors import error_label


class TemplatesDialog(QDialog):
    def __init__(
        self,
        *,
        load: Callable[[], Sequence[TemplateInfo]],
        save: Callable[[str, list[str], uuid.UUID | None], TemplateInfo],
        delete: Callable[[uuid.UUID], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Matrix templates"))
        self._load, self._save, self._delete = load, save, delete
        self._templates: list[TemplateInfo] = []
        self.list = QListWidget()
        self.list.setAccessibleName(_("Templates"))
        self.list.currentRowChanged.connect(self._show)
        new_button = QPushButton(_("New template"))
        new_button.clicked.connect(self._new)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addWidget(new_button)

        self.name_field = QLineEdit()
        self.name_field.setAccessibleName(_("Template name"))
        self.rows_field = QPlainTextEdit()
        self.rows_field.setAccessibleName(_("Rows, one per line"))
        self.source = QLabel()
        self.source.setWordWrap(True)
        self.error = error_label()
        self.save_button = QPushButton(_("Save"))
        self.save_button.clicked.connect(self._save_current)
        self.delete_button = QPushButton(_("Delete"))
        self.delete_button.clicked.connect(self._delete_current)
        columns = ", ".join(f"“{c.label}”" for c in MatrixColumn)
        right = QVBoxLayout()
        right.addWidget(QLabel(_("Name")))
        right.addWidget(self.name_field)
        rows_label = QLabel(_("Rows, one per line (the columns are always {columns})").format(columns=columns))
        # It names the four columns: on one line, in Welsh, it made the dialog wider than a laptop at 150%.
        rows_label.setWordWrap(True)
        right.addWidget(rows_label)
        right.addWidget(self.rows_field, 1)
        right.addWidget(self.source)
        right.addWidget(self.error)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.delete_button)
        actions.addWidget(self.save_button)
        right.addLayout(actions)
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 3)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(close)
        self.resize(820, 460)
        self.refresh()

    def refresh(self, select: uuid.UUID | None = None) -> None:
        self._templates = list(self._load())
        self.list.blockSignals(True)
        self.list.clear()
        for template in self._templates:
            shown = _("{name} (default)").format(name=template.name) if template.is_default else template.name
            item = QListWidgetItem(shown)
            item.setData(Qt.ItemDataRole.UserRole, template.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        index = next((i for i, t in enumerate(self._templates) if t.id == select), 0)
        self.list.setCurrentRow(index)
        self._show(index)

    def current(self) -> TemplateInfo | None:
        row = self.list.currentRow()
        return self._templates[row] if 0 <= row < len(self._templates) else None

    def _show(self, row: int) -> None:
        self.error.hide()
        template = self._templates[row] if 0 <= row < len(self._templates) else None
        if template is None:
            return
        self.name_field.setText(template.name)
        self.rows_field.setPlainText("\n".join(title for title, _ in template.rows))
        self.source.setText(_("Source: {source}").format(source=template.source) if template.source else "")
        self.save_button.setText(_("Save as my own copy") if template.is_builtin else _("Save"))
        self.delete_button.setEnabled(not template.is_builtin)

    def _new(self) -> None:
        self.list.clearSelection()
        self.list.setCurrentRow(-1)
        self.name_field.setText(_("My template"))
        self.rows_field.setPlainText("1. \n2. \n3. ")
        self.source.clear()
        self.save_button.setText(_("Save"))
        self.delete_button.setEnabled(False)
        self.name_field.setFocus()
        self.name_field.selectAll()

    def _save_current(self) -> None:
        template = self.current()
        rows = [line for line in self.rows_field.toPlainText().splitlines() if line.strip()]
        try:
            saved = self._save(self.name_field.text(), rows, template.id if template else None)
        except CohesionError as exc:
            self.error.say(str(exc))
            return
        self.refresh(select=saved.id)

    def _delete_current(self) -> None:
        template = self.current()
        if template is None:
            return
        try:
            self._delete(template.id)
        except CohesionError as exc:
            self.error.say(str(exc))
            return
        self.refresh()
