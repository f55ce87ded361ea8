"""The choice of the language an export is written in: English, Cymraeg, or both (Welsh first), the last one chosen
(else the interface's language) to begin with. One box for every export dialog, so that each offers the same choices
in the same words."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from cohesion_desktop import i18n
from cohesion_desktop.i18n import N_, _
from cohesion_desktop.ui.widgets.choice_box import ChoiceBox

# Said beside the box (and as its tooltip): the choice changes the report's own words, not what people typed.
WHAT_THE_LANGUAGE_CHANGES = N_("The words of the report itself; names and what people typed are printed as they are.")


def export_language_box(chosen: str | None = None, parent: QWidget | None = None) -> ChoiceBox[str]:
    """A box of :data:`i18n.EXPORT_LANGUAGES`, each named in itself, set to ``chosen`` (the remembered choice,
    :meth:`AppSettings.export_language`) or else the interface's language; its ``value()`` is the code to hand to
    the export ("en", "cy", "cy+en")."""
    box: ChoiceBox[str] = ChoiceBox(
        _("Language of the export"), [(name, code) for code, name in i18n.EXPORT_LANGUAGES.items()], parent=parent
    )
    if chosen is None or not box.set_value(chosen):
        box.set_value(i18n.language())
    box.setToolTip(_(WHAT_THE_LANGUAGE_CHANGES))
    return box
