"""Matrix entries drawn as cards: wrapped text, who said it, dot-votes and an action marker."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QLineEdit, QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from cohesion_desktop.i18n import _
from cohesion_desktop.services.workshops import Entry
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
        self._images: dict[tuple[object, ...], QPixmap] = {}  # cards drawn, by everything their look depends on
        self._font = QFont()
        self._font_key = ""  # QFont.key() of self._font, which is slow enough to show in a profile

    def _key_of(self, font: QFont) -> str:
        if not self._font_key or font != self._font:
            self._font, self._font_key = QFont(font), font.key()
        return self._font_key

    def _small_font(self, font: QFont) -> QFont:
        small = QFont(font)
        small.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        return small

    @staticmethod
    def _badge(entry: Entry | None) -> str:
        return f"● {entry.votes}" if entry is not None and entry.votes else ""

    def _layout(self, font: QFont, entry: Entry | None, width: int) -> tuple[QRect, QRect, int]:
        """Rectangles (relative to the card) of the text and the footer line, and the card's height."""
        key = (
            (self._key_of(font), width, entry.text, entry.votes, entry.partner_name, bool(entry.action_count))
            if entry is not None
            else None
        )
        if key is not None and key in self._layouts:
            return self._layouts[key]
        if len(self._layouts) > 2_000:  # a long live session: forget, rather than grow for ever
            self._layouts.clear()
        metrics = QFontMetrics(font)
        badge = self._badge(entry)
        badge_width = metrics.horizontalAdvance(badge + "  ") if badge else 0
        text_width = max(20, width - 2 * PADDING - badge_width)
        text_height = metrics.boundingRect(
            QRect(0, 0, text_width, 100_000), int(Qt.TextFlag.TextWordWrap), entry.text if entry else ""
        ).height()
        footer_height = 0
        if entry is not None and (entry.partner_name or entry.action_count):
            footer_height = QFontMetrics(self._small_font(font)).height() + 2
        text_rect = QRect(PADDING, PADDING, text_width, text_height)
        footer_rect = QRect(PADDING, PADDING + text_height + 2, width - 2 * PADDING, footer_height)
        layout = (text_rect, footer_rect, text_height + footer_height + 2 * PADDING + CARD_GAP)
        if key is not None:
            self._layouts[key] = layout
        return layout

    def _card_width(self) -> int:
        return max(60, self._view.viewport().width() - 4)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        width = self._card_width()
        return QSize(width, self._layout(option.font, index.data(ENTRY_ROLE), width)[2])

    def height_of(self, entries: Sequence[Entry]) -> int:
        """The height of these entries' cards one above the other in the view, as its layout will make them
        (without asking the view for each card's size, which goes through Qt and back for every one)."""
        font, width = self._view.font(), self._card_width()
        return sum(self._layout(font, entry, width)[2] for entry in entries)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        # Each card is drawn once into an image and the image put on screen from then on: a matrix repaints all
        # the cards in sight several times while it opens and after every entry typed, and wrapped text and
        # rounded corners are slow to draw again.
        entry = index.data(ENTRY_ROLE)
        if entry is None:
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        highlight = option.palette.color(QPalette.ColorRole.Highlight)
        ratio = self._view.devicePixelRatioF()
        size = option.rect.size()
        key = (
            self._key_of(option.font),
            size.width(),
            size.height(),
            ratio,
            highlight.rgba() if selected else None,
            entry.text,
            entry.votes,
            entry.partner_name,
            bool(entry.action_count),
        )
        image = self._images.get(key)
        if image is None:
            if len(self._images) > 2 * self._view.model().rowCount() + 16:
                self._images.clear()  # cards gone or changed: forget them, rather than grow for ever
            image = QPixmap(round(size.width() * ratio), round(size.height() * ratio))
            image.setDevicePixelRatio(ratio)
            image.fill(Qt.GlobalColor.transparent)
            card_painter = QPainter(image)
            self._draw_card(
                card_painter, QRect(QPoint(0, 0), size), option.font, entry, highlight if selected else None
            )
            card_painter.end()
            self._images[key] = image
        painter.drawPixmap(option.rect.topLeft(), image)

    def _draw_card(self, painter: QPainter, rect: QRect, font: QFont, entry: Entry, highlight: QColor | None) -> None:
        """One card in ``rect``; ``highlight`` is the colour of its border when it is selected."""
        card = rect.adjusted(1, 1, -2, -CARD_GAP)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(highlight if highlight is not None else QColor("#c9c2a3"), 2.5 if highlight else 1))
        painter.setBrush(CARD_COLOUR)
        painter.drawRoundedRect(card, 4, 4)
        text_rect, footer_rect, _height = self._layout(font, entry, card.width())
        painter.setPen(CARD_TEXT)
        painter.setFont(font)
        painter.drawText(text_rect.translated(card.topLeft()), int(Qt.TextFlag.TextWordWrap), entry.text)
        badge = self._badge(entry)
        if badge:
            painter.setPen(ACCENT)
            bold = QFont(font)
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
            painter.setFont(self._small_font(font))
            metrics = QFontMetrics(painter.font())
            painter.drawText(
                footer_rect.translated(card.topLeft()),
                int(Qt.AlignmentFlag.AlignLeft),
                metrics.elidedText(footer, Qt.TextElideMode.ElideRight, footer_rect.width()),
            )

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,  # noqa: N802
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        editor = QLineEdit(parent)
        editor.setAccessibleName(_("Edit entry"))
        return editor
