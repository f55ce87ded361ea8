"""The projector window: the matrix in large, high-contrast type, mirroring the editor live.

No editing chrome. The text size is the largest that fits everything on the screen (found by bisection,
with wrapped-text measurements cached, so a repaint after one new entry measures almost nothing new). Each cell's
entries are drawn once into an image, kept until that cell changes or the text size does: a repaint after one
new entry draws the text of one cell, not of the hundreds of entries a long workshop has.

It never takes the keyboard: the facilitator goes on typing into the matrix on the laptop while it shows (F5
there closes it again). A double-click on it toggles full screen.
"""

from __future__ import annotations

import uuid
from functools import lru_cache

from PySide6.QtCore import QPoint, QRect, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QWidget

from cohesion_desktop.domain import MatrixColumn
from cohesion_desktop.i18n import _
from cohesion_desktop.services.workshops import Entry
from cohesion_desktop.ui.matrix_document import MatrixDocument
from cohesion_desktop.ui.screen_fit import keep_on_screen

BACKGROUND = QColor("#ffffff")
INK = QColor("#111111")
HEADER_BAND = QColor("#1f4e79")
ROW_BAND = QColor("#e8eef5")
GRID = QColor("#5a6b7d")
HIGHLIGHT = QColor("#ffcc00")
HIGHLIGHT_FILL = QColor("#fff6cc")
VOTES = QColor("#b3261e")
MIN_TEXT_PX = 10
MAX_TEXT_PX = 64

Cell = tuple[uuid.UUID, MatrixColumn]


@lru_cache(maxsize=20_000)
def _wrapped_height(family: str, pixel_size: int, width: int, text: str) -> int:
    font = QFont(family)
    font.setPixelSize(pixel_size)
    return QFontMetrics(font).boundingRect(QRect(0, 0, width, 1_000_000), int(Qt.TextFlag.TextWordWrap), text).height()


def _text_width(cell_width: int, px: int) -> int:
    """Entries wrap short of the cell's right edge, leaving room for a vote badge ("●12")."""
    return max(20, cell_width - round(px * 2.4))


def entry_line(entry: Entry) -> str:
    return f"{entry.text} ({entry.partner_name})" if entry.partner_name else entry.text


class ProjectorWindow(QWidget):
    """A second top-level window that paints the document; it never changes anything."""

    def __init__(self, document: MatrixDocument) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.document = document
        self.setWindowTitle(_("Cohesion Desktop – projector (F5 on the laptop closes it; double-click: full screen)"))
        self.setAccessibleName(_("Projector view of the matrix"))
        self.setAutoFillBackground(False)
        self.setMinimumSize(640, 360)
        self.family = QFont().family()
        self.text_px = MIN_TEXT_PX  # the size chosen by the last layout, for tests and the status bar
        # Per cell, until its entries change: its height by (text width, text size), and its entries drawn (the
        # image, how many entries it shows, and where the next one would go).
        self._heights: dict[Cell, dict[tuple[int, int], int]] = {}
        self._images: dict[Cell, tuple[tuple[int, int, int, float], QPixmap, int, int]] = {}
        self._basis: dict[Cell, list[Entry]] = {}  # the entries those were measured and drawn from
        document.loaded.connect(self._forget_changed)
        document.cell_changed.connect(self._cell_changed)
        for signal in (document.loaded, document.cell_changed, document.presentation_changed):
            signal.connect(self.update)

    def _forget_changed(self) -> None:
        """After a (re)load, forget the cells that read differently (reopening a workshop keeps the rest)."""
        detail = self.document.detail
        shown = {(row.id, column) for row in detail.rows for column in MatrixColumn} if detail else set()
        for cell, entries in list(self._basis.items()):
            if cell not in shown or self.document.entries(*cell) != entries:
                self._forget_cell(*cell)

    def _cell_changed(self, row_id: uuid.UUID, column: MatrixColumn) -> None:
        """Entries added at the end of a cell (as typed) grow its heights and its image by theirs: the repaint after
        each entry measures and draws that entry, not the whole cell again. Any other change forgets the cell."""
        cell = (row_id, column)
        basis, entries = self._basis.get(cell), self.document.entries(*cell)
        if basis is None or len(entries) <= len(basis) or entries[: len(basis)] != basis:
            self._forget_cell(row_id, column)
            return
        added = entries[len(basis) :]
        for (width, px), height in self._heights.get(cell, {}).items():
            self._heights[cell][width, px] = height + self._entries_height(added, width, px)
        self._basis[cell] = entries  # the image, drawn from fewer entries, is extended when next wanted

    def _forget_cell(self, row_id: uuid.UUID, column: MatrixColumn) -> None:
        self._heights.pop((row_id, column), None)
        self._images.pop((row_id, column), None)
        self._basis.pop((row_id, column), None)

    # ------------------------------------------------------------------ showing

    def show_on_best_screen(self, beside: QWidget | None = None) -> None:
        """Full screen on a screen other than the editor's when there is one; else a large normal window.

        The keyboard stays where it was (``beside``'s window and its focused field), so typing goes on.
        """
        own = beside.screen() if beside is not None else None
        others = [screen for screen in QGuiApplication.screens() if screen is not own]
        keeps_keys = beside.window() if beside is not None else None
        focused = keeps_keys.focusWidget() if keeps_keys is not None else None
        if own is not None and others:
            target = others[0]
            self.setScreen(target)
            self.setGeometry(target.geometry())
            self.showFullScreen()
        else:
            self.resize(1280, 720)
            self.show()
            keep_on_screen(self)
        self.raise_()
        # Some window systems activate a new window whatever it asks for: hand the keyboard straight back.
        if keeps_keys is not None:
            keeps_keys.activateWindow()
            if focused is not None:
                focused.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        # Only if a window system gave it the keyboard after all (a click on it, say).
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_F5):
            self.close()
        elif event.key() == Qt.Key.Key_F11:
            self.toggle_full_screen()
        else:
            super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        self.toggle_full_screen()
        event.accept()

    def toggle_full_screen(self) -> None:
        self.setWindowState(self.windowState() ^ Qt.WindowState.WindowFullScreen)

    # ------------------------------------------------------------------ layout

    def _cell_height(self, cell: Cell, width: int, px: int) -> int:
        heights = self._heights.setdefault(cell, {})
        if (width, px) not in heights:
            if len(heights) > 64:  # many window sizes tried: keep only what the current one needs
                heights.clear()
            self._basis[cell] = self.document.entries(*cell)
            heights[width, px] = self._entries_height(self.document.entries(*cell), width, px)
        return heights[width, px]

    def _entries_height(self, entries: list[Entry], width: int, px: int) -> int:
        gap = max(2, px // 3)
        text_width = _text_width(width, px)
        return sum(_wrapped_height(self.family, px, text_width, "• " + entry_line(e)) + gap for e in entries)

    def _rows_needed(self, px: int, cell_width: int, title_width: int) -> list[int]:
        detail = self.document.detail
        assert detail is not None
        needed = []
        for row in detail.rows:
            title = _wrapped_height(self.family, round(px * 1.1), title_width, row.title)
            cells = [self._cell_height((row.id, column), cell_width, px) for column in MatrixColumn]
            needed.append(max([title, *cells]) + px)
        return needed

    def _fit(self, available: int, cell_width: int, title_width: int) -> int:
        """The largest text size whose rows all fit in ``available`` pixels of height."""
        low, high = MIN_TEXT_PX, max(MIN_TEXT_PX, min(MAX_TEXT_PX, available // 6))
        while low < high:
            middle = (low + high + 1) // 2
            if sum(self._rows_needed(middle, cell_width, title_width)) <= available:
                low = middle
            else:
                high = middle - 1
        return low

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), BACKGROUND)
        detail = self.document.detail
        if detail is None:
            return
        width, height = self.width(), self.height()
        margin = max(8, width // 80)
        title_px = max(14, height // 30)
        header_px = max(14, height // 34)
        title_font = QFont(self.family)
        title_font.setPixelSize(title_px)
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(INK)
        top_bar = QRect(margin, margin, width - 2 * margin, round(title_px * 1.5))
        painter.drawText(top_bar, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), detail.title)
        status = "  ".join(
            part for part in (self.document.timer_text, "VOTING" if self.document.voting else "") if part
        )
        if status:
            painter.setPen(VOTES)
            painter.drawText(top_bar, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), status)

        grid_top = top_bar.bottom() + margin // 2
        title_width = round((width - 2 * margin) * 0.17)
        cell_width = (width - 2 * margin - title_width) // len(MatrixColumn)
        grid_right = margin + title_width + cell_width * len(MatrixColumn)  # whole pixels: no stray last line
        header_height = round(header_px * 2)
        header_font = QFont(self.family)
        header_font.setPixelSize(header_px)
        header_font.setBold(True)
        painter.fillRect(QRect(margin, grid_top, grid_right - margin, header_height), HEADER_BAND)
        painter.setFont(header_font)
        painter.setPen(QColor("#ffffff"))
        for index, column in enumerate(MatrixColumn):
            rect = QRect(margin + title_width + index * cell_width, grid_top, cell_width, header_height)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), column.label)

        rows_top = grid_top + header_height
        available = height - rows_top - margin
        px = self._fit(available, cell_width - 2 * (margin // 2), title_width - margin)
        self.text_px = px
        needed = self._rows_needed(px, cell_width - 2 * (margin // 2), title_width - margin)
        spare = max(0, available - sum(needed)) // max(1, len(needed))
        row_font = QFont(self.family)
        row_font.setPixelSize(round(px * 1.1))
        row_font.setBold(True)
        y = rows_top
        current_row, current_column = self.document.current
        for row_index, row in enumerate(detail.rows):
            row_height = needed[row_index] + spare
            painter.fillRect(QRect(margin, y, title_width, row_height), ROW_BAND)
            painter.setFont(row_font)
            painter.setPen(INK)
            painter.drawText(
                QRect(margin + margin // 2, y + px // 2, title_width - margin, row_height - px),
                int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignTop),
                row.title,
            )
            for column_index, column in enumerate(MatrixColumn):
                cell = QRect(margin + title_width + column_index * cell_width, y, cell_width, row_height)
                highlighted = self.document.highlight and (row_index, column_index) == (current_row, current_column)
                if highlighted:
                    painter.fillRect(cell, HIGHLIGHT_FILL)
                painter.drawPixmap(cell.topLeft(), self._cell_image((row.id, column), cell.width(), px, margin // 2))
                if highlighted:
                    painter.setPen(QPen(HIGHLIGHT, max(4, px // 4)))
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawRect(cell.adjusted(2, 2, -2, -2))
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(margin, y + row_height, grid_right, y + row_height)
            y += row_height
        painter.setPen(QPen(GRID, 1))
        for index in range(len(MatrixColumn) + 1):
            x = margin + title_width + index * cell_width
            painter.drawLine(x, grid_top, x, y)
        painter.drawRect(QRectF(margin, grid_top, grid_right - margin, y - grid_top))

    def _cell_image(self, cell: Cell, width: int, px: int, padding: int) -> QPixmap:
        """The cell's entries drawn on a transparent image as wide as the cell (kept until the cell changes; entries
        added at its end are drawn below those drawn before)."""
        ratio = self.devicePixelRatioF()
        key = (width, px, padding, ratio)
        entries = self.document.entries(*cell)
        kept = self._images.get(cell)
        if kept is not None and kept[0] == key and kept[2] == len(entries):
            return kept[1]
        # Room below the last entry for its vote badge, which may be taller than a short entry's text.
        height = padding + self._cell_height(cell, width - 2 * padding, px) + px * 2
        image = QPixmap(round(width * ratio), round(height * ratio))
        image.setDevicePixelRatio(ratio)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.family)
        font.setPixelSize(px)
        drawn, top = 0, padding
        if kept is not None and kept[0] == key and kept[2] < len(entries):
            # Only added at the end since (_cell_changed forgets the image on any other change): draw the new ones.
            painter.drawPixmap(0, 0, kept[1])
            drawn, top = kept[2], kept[3]
        bottom = self._paint_entries(
            painter, QRect(QPoint(0, 0), QPoint(width - 1, height - 1)), entries[drawn:], font, px, padding, top
        )
        painter.end()
        self._images[cell] = (key, image, len(entries), bottom)
        self._basis[cell] = entries
        return image

    def _paint_entries(
        self, painter: QPainter, cell: QRect, entries: list[Entry], font: QFont, px: int, padding: int, top: int
    ) -> int:
        """Draw ``entries`` one below the other from ``top`` down; returns where the next one would go."""
        painter.setFont(font)
        y = cell.top() + top
        width = cell.width() - 2 * padding
        gap = max(2, px // 3)
        for entry in entries:
            line = "• " + entry_line(entry)
            text_height = _wrapped_height(self.family, px, _text_width(width, px), line)
            rect = QRect(cell.left() + padding, y, _text_width(width, px), text_height)
            painter.setPen(INK)
            painter.drawText(rect, int(Qt.TextFlag.TextWordWrap), line)
            if entry.votes:
                painter.setPen(VOTES)
                painter.drawText(
                    QRect(cell.right() - round(px * 2.3) - padding, y, round(px * 2.3), px * 2),
                    int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop),
                    f"●{entry.votes}",
                )
            y += text_height + gap
        return y - cell.top()
