"""Matrix entries drawn as cards: wrapped text, who said it, dot-votes and an action marker."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QLineEdit, QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from cohesion_desktop.ui.models.matrix_cell_model import ENTRY_ROLE

PADDING = 6
CARD_GAP = 3
CARD_COLOUR = QColor("#fffbe8")  # a sticky note, readable in light and dark desktop themes alike
CARD_TEXT = QColor("#1a1a1a")
MUTED = QColor("#555555")
ACCENT = QColor("#1f4e79")


class EntryCardDelegate(QStyledItemDelegate):
    """Paints and sizes the cards of one cell's list view; edits an entry in place (F2, double-click)."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view
        # Card layouts by what they depend on: Qt asks for each card's size several times per layout, and
        # measuring wrapped text is most of the time it takes to open a workshop of 300 entries.
        self._layouts: dict[tuple[object, ...], tuple[QRect, QRect, int]] = {}

    def _small_font(self, font: QFont) -> QFont:
        small = QFont(font)
        small.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        return small

    def _badge(self, index: QModelIndex | QPersistentModelIndex) -> str:
        entry = index.data(ENTRY_ROLE)
        return f"● {entry.votes}" if entry is not None and entry.votes else ""

    def _layout(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex, width: int
    ) -> tuple[QRect, QRect, int]:
        """Rectangles (relative to the card) of the text and the footer line, and the card's height."""
        entry = index.data(ENTRY_ROLE)
        key = (
            (option.font.key(), width, entry.text, entry.votes, entry.partner_name, bool(entry.action_count))
            if entry is not None
            else None
        )
        if key is not None and key in self._layouts:
            return self._layouts[key]
        if len(self._layouts) > 2_000:  # a long live session: forget, rather than grow for ever
            self._layouts.clear()
        metrics = QFontMetrics(option.font)
        badge_width = metrics.horizontalAdvance(self._badge(index) + "  ") if self._badge(index) else 0
        text_width = max(20, width - 2 * PADDING - badge_width)
        text_height = metrics.boundingRect(
            QRect(0, 0, text_width, 100_000), int(Qt.TextFlag.TextWordWrap), entry.text if entry else ""
        ).height()
        footer_height = 0
        if entry is not None and (entry.partner_name or entry.action_count):
            footer_height = QFontMetrics(self._small_font(option.font)).height() + 2
        text_rect = QRect(PADDING, PADDING, text_width, text_height)
        footer_rect = QRect(PADDING, PADDING + text_height + 2, width - 2 * PADDING, footer_height)
        layout = (text_rect, footer_rect, text_height + footer_height + 2 * PADDING + CARD_GAP)
        if key is not None:
            self._layouts[key] = layout
        return layout

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        width = max(60, self._view.viewport().width() - 4)
        return QSize(width, self._layout(option, index, width)[2])

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        entry = index.data(ENTRY_ROLE)
        if entry is None:
            return
        painter.save()
        card = option.rect.adjusted(1, 1, -2, -CARD_GAP)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        highlight = option.palette.color(QPalette.ColorRole.Highlight)
        painter.setPen(QPen(highlight if selected else QColor("#c9c2a3"), 2.5 if selected else 1))
        painter.setBrush(CARD_COLOUR)
        painter.drawRoundedRect(card, 4, 4)
        text_rect, footer_rect, _height = self._layout(option, index, card.width())
        painter.setPen(CARD_TEXT)
        painter.setFont(option.font)
        painter.drawText(text_rect.translated(card.topLeft()), int(Qt.TextFlag.TextWordWrap), entry.text)
        badge = self._badge(index)
        if badge:
            painter.setPen(ACCENT)
            bold = QFont(option.font)
            bold.setBold(True)
            painter.setFont(bold)
            painter.drawText(
                card.adjusted(0, PADDING, -PADDING, 0),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop),
                badge,
            )
        footer = " · ".join(part for part in (entry.partner_name, "→ action" if entry.action_count else "") if part)
        if footer:
            painter.setPen(MUTED)
            painter.setFont(self._small_font(option.font))
            metrics = QFontMetrics(painter.font())
            painter.drawText(
                footer_rect.translated(card.topLeft()),
                int(Qt.AlignmentFlag.AlignLeft),
                metrics.elidedText(footer, Qt.TextElideMode.ElideRight, footer_rect.width()),
            )
        painter.restore()

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,  # noqa: N802
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        editor = QLineEdit(parent)
        editor.setAccessibleName("Edit entry")
        return editor
