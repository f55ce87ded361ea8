"""What a new user sees on an empty data file: three ways to start, never a blank grid."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from cohesion_desktop.i18n import _
from cohesion_desktop.ui.widgets.command_button import CommandButton


class EmptyState(QWidget):
    """Signals: ``load_example_requested``, ``import_requested``, ``add_partner_requested``."""

    load_example_requested = Signal()
    import_requested = Signal()
    add_partner_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel(_("<h2>Welcome to Cohesion Desktop</h2>"))
        heading.setTextFormat(Qt.TextFormat.RichText)
        intro = QLabel(
            _(
                "This data file is empty. Start with your own partners, or look around with an example town first "
                "(you can start a new, empty data file from the File menu at any time)."
            )
        )
        intro.setWordWrap(True)
        self.load_example_button = CommandButton(
            _("Load example data"), _("Harrowfield: 40 partners, volunteers with a year of hours, three workshops")
        )
        self.import_button = CommandButton(
            _("Import partners from a spreadsheet"), _("An Excel (.xlsx) or CSV file with one organisation per row")
        )
        self.add_partner_button = CommandButton(_("Add a partner"), _("Type in your first partner organisation"))
        for button, signal in (
            (self.load_example_button, self.load_example_requested),
            (self.import_button, self.import_requested),
            (self.add_partner_button, self.add_partner_requested),
        ):
            button.clicked.connect(signal.emit)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (heading, intro, self.load_example_button, self.import_button, self.add_partner_button):
            layout.addWidget(widget)
        layout.addStretch(2)
        self.setMaximumWidth(720)
