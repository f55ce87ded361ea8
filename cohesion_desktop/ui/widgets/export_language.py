"""The choice of the language an export is written in: English, Cymraeg, or both (Welsh first), the interface's
language chosen to begin with. One box for every export dialog, so that each offers the same choices in the same
words."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from cohesion_desktop import i18n
from cohesion_desktop.i18n import _
from cohesion_desktop.ui.widgets.choice_box import ChoiceBox


def export_language_box(parent: QWidget | None = None) -> ChoiceBox[str]:
    """A box of :data:`i18n.EXPORT_LANGUAGES`, each named in itself, set to the interface's language; its
    ``value()`` is the code to hand to the export ("en", "cy", "cy+en")."""
    box: ChoiceBox[str] = ChoiceBox(
        _("Language of the export"), [(name, code) for code, name in i18n.EXPORT_LANGUAGES.items()], parent=parent
    )
    box.set_value(i18n.language())
    box.setToolTip(_("The words of the report itself; names and what people typed are printed as they are."))
    return box
