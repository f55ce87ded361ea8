"""A titled list of labelled bars (partners by sector, actions by status), drawn so that every label is read
whole: beside its bar when there is room, above it when the widget is narrow (a chart's axis would cut the
labels short to "…" instead). Colours come from the palette, and the numbers are in the text, not only in
the length of a bar.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget


class BarList(QWidget):
    """``set_bars([(label, value), …])`` shows them, largest first as given; the title heads them."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.bars: list[tuple[str, float]] = []
        self.setAccessibleName(title)
        sizing = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        sizing.setHeightForWidth(True)
        self.setSizePolicy(sizing)

    def set_bars(self, bars: Sequence[tuple[str, float]]) -> None:
        self.bars = list(bars)
        self.setAccessibleDescription("; ".join(f"{label}: {value:g}" for label, value in self.bars))
        self.updateGeometry()
        self.update()

    # ------------------------------------------------------------------ sizes

    def _title_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def _label_width(self) -> int:
        metrics = self.fontMetrics()
        return max((metrics.horizontalAdvance(label) for label, _value in self.bars), default=0)

    def _stacked(self, width: int) -> bool:
        """Labels above their bars when beside them would leave the bars less than half the width."""
        return self._label_width() + self.fontMetrics().averageCharWidth() * 2 > width // 2

    def _row_height(self, width: int) -> int:
        line = self.fontMetrics().lineSpacing()
        return line * 2 + line // 2 if self._stacked(width) else line + line // 2

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt override)
        title = self.fontMetrics().lineSpacing() * 2
        return title + self._row_height(width) * max(1, len(self.bars))

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        width = self._label_width() + self.fontMetrics().averageCharWidth() * 40
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        width = self._label_width() + self.fontMetrics().averageCharWidth() * 4
        return QSize(min(width, self.fontMetrics().averageCharWidth() * 24), self.heightForWidth(width))

    # ------------------------------------------------------------------ painting

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        bar_colour = palette.color(QPalette.ColorRole.Highlight)
        metrics = self.fontMetrics()
        line = metrics.lineSpacing()
        painter.setPen(text)
        painter.setFont(self._title_font())
        painter.drawText(
            QRect(0, 0, self.width(), line * 2),
            int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter),
            self.title,
        )
        painter.setFont(self.font())
        if not self.bars:
            painter.drawText(
                QRect(0, line * 2, self.width(), line * 2), int(Qt.AlignmentFlag.AlignHCenter), "None in this period"
            )
            return
        stacked = self._stacked(self.width())
        gap = metrics.averageCharWidth()
        label_room = 0 if stacked else self._label_width() + gap
        value_room = max(metrics.horizontalAdvance(f"{value:g}") for _label, value in self.bars) + gap
        bar_room = max(1, self.width() - label_room - value_room - gap)
        largest = max((value for _label, value in self.bars), default=0) or 1
        row_height = self._row_height(self.width())
        y = line * 2
        for label, value in self.bars:
            if stacked:
                painter.setPen(text)
                painter.drawText(QRect(0, y, self.width(), line), int(Qt.AlignmentFlag.AlignLeft), label)
                bar_top = y + line
            else:
                painter.setPen(text)
                painter.drawText(
                    QRect(0, y, label_room - gap, line),
                    int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                    label,
                )
                bar_top = y
            length = max(1, round(bar_room * value / largest)) if value else 0
            painter.fillRect(QRect(label_room, bar_top + line // 6, length, line - line // 3), bar_colour)
            painter.setPen(text)
            painter.drawText(
                QRect(label_room + length + gap // 2, bar_top, value_room, line),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                f"{value:g}",
            )
            y += row_height
