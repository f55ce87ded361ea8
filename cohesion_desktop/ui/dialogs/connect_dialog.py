"""File → Connect to a team database…: where the database is, who you are, your password, and whether this computer
should remember it (in the operating system's keyring, never in the app's settings)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from cohesion_desktop.db.server import ServerAddress
from cohesion_desktop.errors import TeamDatabaseError, TeamDatabaseRefusedError
from cohesion_desktop.i18n import _
from cohesion_desktop.ui.widgets.field_errors import add_field_row, error_label

DEFAULT_PORT = 5432


@dataclass(frozen=True)
class Connection:
    """What the dialog returns: the address with the password typed (if any), and whether to remember it."""

    address: ServerAddress
    remember_password: bool


class ConnectDialog(QDialog):
    """``value`` is the :class:`Connection` asked for, None until accepted. ``known`` is an address to start from
    (the last team database opened), whose password is never shown; ``refused``: why the server refused ``known``
    (said above the buttons, the cursor in the field to correct)."""

    def __init__(
        self,
        *,
        known: ServerAddress | None = None,
        refused: TeamDatabaseRefusedError | None = None,
        keyring: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Connect to a team database"))
        self.value: Connection | None = None
        intro = QLabel(
            _(
                "A team database is your organisation's shared data on a PostgreSQL server. Whoever looks after the "
                "server gives you its address, the database's name and your account."
            )
        )
        intro.setWordWrap(True)
        self.host_field = QLineEdit()
        self.host_field.setPlaceholderText(_("e.g. data.example.org"))
        self.port_field = QLineEdit(str(DEFAULT_PORT))
        self.database_field = QLineEdit()
        self.user_field = QLineEdit()
        self.password_field = QLineEdit()
        self.password_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember_field = QCheckBox(_("Remember password on this computer"))
        if keyring:
            self.remember_field.setToolTip(_("Kept in this computer's keyring, never in the app's settings."))
        else:
            self.remember_field.setEnabled(False)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.errors = {
            "host": add_field_row(form, _("&Server"), self.host_field),
            "port": add_field_row(form, _("P&ort"), self.port_field),
            "database": add_field_row(form, _("&Database"), self.database_field),
            "user": add_field_row(form, _("&User name"), self.user_field),
            "password": add_field_row(form, _("&Password"), self.password_field),
        }
        form.addRow("", self.remember_field)
        if not keyring:
            no_keyring = QLabel(
                _(
                    "This computer has no keyring to keep passwords in, so the password is not remembered: you type "
                    "it each time you connect."
                )
            )
            no_keyring.setWordWrap(True)
            form.addRow("", no_keyring)
        self.problem = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        connect = buttons.addButton(_("Connect"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(buttons)
        connect.setDefault(True)  # once in the dialog's button box (see ExportLanguageDialog)
        self.resize(520, self.sizeHint().height())
        if known is not None:
            self._start_from(known)
        first_empty = next(
            (f for f in (self.host_field, self.database_field, self.user_field) if not f.text()), self.password_field
        )
        first_empty.setFocus()
        if refused is not None:
            self.problem.say(str(refused))
            to_correct = self._fields().get(refused.field, self.password_field)
            to_correct.setFocus()
            to_correct.selectAll()

    def _start_from(self, known: ServerAddress) -> None:
        url = known.url
        self.host_field.setText(url.host or "")
        self.port_field.setText(str(url.port or DEFAULT_PORT))
        self.database_field.setText(url.database or "")
        self.user_field.setText(url.username or "")

    def _accept(self) -> None:
        for label in self.errors.values():
            label.hide()
        self.problem.hide()
        host = self.host_field.text().strip()
        database = self.database_field.text().strip()
        user = self.user_field.text().strip()
        port_text = self.port_field.text().strip() or str(DEFAULT_PORT)
        problems = {}
        if not host:
            problems["host"] = _("Type the server's name or address.")
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            problems["port"] = _("The port is a number from 1 to 65535 (usually 5432).")
        if not database:
            problems["database"] = _("Type the database's name.")
        if not user:
            problems["user"] = _("Type your user name on the server.")
        for key, text in problems.items():
            self.errors[key].say(text)
        if problems:
            next(field for key, field in self._fields().items() if key in problems).setFocus()
            return
        try:
            address = ServerAddress.of(
                host=host,
                port=int(port_text),
                database=database,
                user=user,
                password=self.password_field.text() or None,
            )
        except TeamDatabaseError as exc:  # e.g. sslmode refused: said under the form, nothing is connected
            self.problem.say(str(exc))
            return
        self.value = Connection(
            address, remember_password=self.remember_field.isEnabled() and self.remember_field.isChecked()
        )
        self.accept()

    def _fields(self) -> dict[str, QLineEdit]:
        return {
            "host": self.host_field,
            "port": self.port_field,
            "database": self.database_field,
            "user": self.user_field,
            "password": self.password_field,
        }
