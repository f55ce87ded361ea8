"""Table columns that give the room to what needs it: every heading whole, names and titles widest, long text
shortened in the middle ("Harrowfield Bor…ohesion Team") with the whole of it in the cell's tooltip.

The widths come from the font in use, so a wider font or 150% scaling widens the columns with it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QHeaderView, QTableView

# A name or title is never squeezed below this many characters: the table scrolls sideways instead.
NAME_CHARS = 24


def heading_width(header: QHeaderView, column: int) -> int:
    """The width the heading of ``column`` needs to show its whole title (and a sort arrow)."""
    return header.sectionSizeFromContents(column).width()


class _RoomKeeper(QObject):
    """Lets the names column stretch while the table is wide enough, and fixes it at its least width when not."""

    def __init__(self, table: QTableView, stretch: int) -> None:
        super().__init__(table)
        self.table = table
        self.stretch = stretch
        table.viewport().installEventFilter(self)

    def least_width(self) -> int:
        header = self.table.horizontalHeader()
        return max(heading_width(header, self.stretch), self.table.fontMetrics().averageCharWidth() * NAME_CHARS)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Resize:
            self.arrange()
        return super().eventFilter(watched, event)

    def arrange(self) -> None:
        header = self.table.horizontalHeader()
        others = sum(
            header.sectionSize(c) for c in range(header.count()) if c != self.stretch and not header.isSectionHidden(c)
        )
        fits = others + self.least_width() <= self.table.viewport().width()
        wanted = QHeaderView.ResizeMode.Stretch if fits else QHeaderView.ResizeMode.Interactive
        if header.sectionResizeMode(self.stretch) != wanted:
            header.setSectionResizeMode(self.stretch, wanted)
            if not fits:
                header.resizeSection(self.stretch, self.least_width())


def give_room(table: QTableView, *, stretch: int, chars: Sequence[int | str] = ()) -> None:
    """Size the columns of ``table``: each at least its heading's width and ``chars[column]`` average
    characters, or the width of a sample text such as a phone number (digits are wider than the average
    character); column ``stretch`` (the names or titles) takes whatever width is left, down to
    :data:`NAME_CHARS` characters (then the table scrolls sideways rather than squeeze the names)."""
    header = table.horizontalHeader()
    model = table.model()
    header.setStretchLastSection(False)
    table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    character = table.fontMetrics().averageCharWidth()
    for column in range(model.columnCount()):
        wanted = heading_width(header, column)
        if column < len(chars):
            room = chars[column]
            sample = room if isinstance(room, str) else ""
            wanted = max(
                wanted,
                table.fontMetrics().horizontalAdvance(sample + "  ") if sample else int(room) * character,
            )
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, wanted)
    keeper = table.findChild(_RoomKeeper) or _RoomKeeper(table, stretch)
    keeper.stretch = stretch
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    keeper.arrange()


def headings_whole(table: QTableView) -> None:
    """For a table whose columns all share its width: none narrower than the widest heading."""
    header = table.horizontalHeader()
    model = table.model()
    widest = max((heading_width(header, column) for column in range(model.columnCount())), default=0)
    header.setMinimumSectionSize(widest)


class _HeadingWrapper(QObject):
    """Keeps a wrapping header tall enough for its most-wrapped heading, and (``least_words``) every column as wide
    as the longest word of any heading, as the columns are resized and the headings change."""

    def __init__(self, table: QTableView, least_words: bool) -> None:
        super().__init__(table)
        self.table = table
        self.least_words = least_words
        header = table.horizontalHeader()
        header.sectionResized.connect(lambda *_args: self.arrange())
        # Sections that size to their contents are resized later, as the rows arrive, without sectionResized.
        header.geometriesChanged.connect(self.arrange)
        header.installEventFilter(self)
        table.viewport().installEventFilter(self)
        model = table.model()
        model.headerDataChanged.connect(lambda *_args: self.arrange())
        model.modelReset.connect(self.arrange)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() in (QEvent.Type.Show, QEvent.Type.Resize, QEvent.Type.FontChange, QEvent.Type.LanguageChange):
            self.arrange()
        return super().eventFilter(watched, event)

    def arrange(self) -> None:
        header = self.table.horizontalHeader()
        model = self.table.model()
        metrics = header.fontMetrics()
        room = 2 * metrics.averageCharWidth()  # the section's padding, as the style draws it
        titles = {
            column: str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            for column in range(model.columnCount())
            if not header.isSectionHidden(column)
        }
        if self.least_words:
            widest = max((metrics.horizontalAdvance(w) for t in titles.values() for w in t.split()), default=0)
            header.setMinimumSectionSize(widest + room)
        lines = max(
            (
                metrics.boundingRect(
                    0, 0, max(1, header.sectionSize(column) - room), 100_000, int(Qt.TextFlag.TextWordWrap), title
                ).height()
                for column, title in titles.items()
            ),
            default=metrics.lineSpacing(),
        )
        # Qt sizes a header as if no heading wrapped; the table lays it out at least as tall as its minimum, when it
        # next lays itself out: at once, or a heading that wrapped after the last layout stays cut to one line.
        wanted = lines + metrics.lineSpacing() // 2 + 4
        if header.minimumHeight() != wanted:
            header.setMinimumHeight(wanted)
            self.table.updateGeometries()


def wrap_headings(table: QTableView, *, least_words: bool = True) -> None:
    """Column headings wrap at spaces instead of being cut short when their columns are narrow (a longer language,
    a larger font): the header grows a line for each. ``least_words``: no column is narrower than the longest word
    of any heading (False where some columns keep a fixed width of their own, e.g. the days of a week)."""
    header = table.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag(int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap)))
    wrapper = table.findChild(_HeadingWrapper) or _HeadingWrapper(table, least_words)
    wrapper.least_words = least_words
    wrapper.arrange()
