"""The workshop follow-up pack: one PDF and one workbook to send to the partners who were at a workshop.

What was said in each cell, the most-voted entries, the actions agreed (owner, due date, status) and who
attended. The service (``services/workshop_export.followup_pack``) chooses and labels the content; this module
lays it out. Every text of our own comes from one :class:`PackWords`, so that a translation of the interface
replaces all of them at once; the user's own words (entries, names, titles) are printed as typed, escaped.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, KeepTogether, Table

from cohesion_desktop import APP_NAME
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.export.files import save_error, write_pdf
from cohesion_desktop.export.pdf_text import (
    ACCENT,
    FONT_BOLD,
    FONT_REGULAR,
    MUTED,
    draw_centred_line,
    one_frame_document,
    paragraph,
    register_fonts,
    styles,
    text_width,
)
from cohesion_desktop.export.xlsx import Column, PrintLayout, WorkbookWriter
from cohesion_desktop.formatting import format_date
from cohesion_desktop.i18n import N_, _, current


@dataclass(frozen=True)
class PackWords:
    """Every text of the pack that is ours, not the user's: headings, column titles, what an empty part says.

    One field per text, so a translation is one ``PackWords(...)`` with every field given. Counts are never
    glued to a word ("3 votes"): a number stands in a column or after a label ("Votes: 3"), which needs no
    plural forms. Templates name what they take (``{page}``, ``{votes}``). Matrix column, sector and status
    labels are not here: they come with the pack, from the vocabularies in ``domain``.
    """

    document: str = N_("Workshop follow-up")
    subject: str = N_("Workshop follow-up pack")
    date: str = N_("Date")
    place: str = N_("Place")
    facilitator: str = N_("Facilitator")
    organisation: str = N_("From")
    produced_on: str = N_("Produced on")
    produced_by: str = N_("Produced by")
    attended: str = N_("Who attended")
    attendee_organisation: str = N_("Organisation")
    attendee_sector: str = N_("Sector")
    nobody_recorded: str = N_("No partners were recorded as present.")
    actions: str = N_("Actions agreed")
    action: str = N_("Action")
    owner: str = N_("Owner")
    due: str = N_("Due")
    status: str = N_("Status")
    from_entry: str = N_("From the entry")
    no_owner: str = N_("No owner yet")
    no_actions: str = N_("No actions were agreed.")
    most_voted: str = N_("Most-voted entries")
    votes: str = N_("Votes")
    entry: str = N_("Entry")
    row: str = N_("Row")
    column: str = N_("Column")
    said_by: str = N_("Said by")
    no_votes: str = N_("No votes were given.")
    what_was_said: str = N_("What was said")
    nothing_said: str = N_("Nothing was recorded here.")
    no_rows: str = N_("This workshop's matrix has no rows.")
    nothing_at_all: str = N_("Nothing was recorded in this workshop.")
    votes_detail: str = N_("Votes: {votes}")
    page: str = N_("page {page}")
    file_name: str = N_("{title} {date} follow-up")  # the name suggested for the files, without suffix
    sheet_workshop: str = N_("Workshop")
    sheet_said: str = N_("What was said")
    sheet_voted: str = N_("Most voted")
    sheet_actions: str = N_("Actions")
    sheet_attended: str = N_("Who attended")
    what: str = N_("The follow-up pack")
    too_long: str = N_(
        "The follow-up pack could not be laid out: some text is too long to fit on a page. "
        "Shorten the longest row title or action and try again."
    )
    language: str = "en-GB"  # a BCP 47 tag, the PDF's /Lang


ENGLISH = PackWords()


def pack_words() -> PackWords:
    """The pack's words in the language spoken now (see ``i18n.speaking``): English, Welsh, or both."""
    speaking = current()
    words: dict[str, str] = {}
    for item in fields(PackWords):
        english: str = getattr(ENGLISH, item.name)
        if item.name == "language":
            words[item.name] = speaking.tag
        elif item.name.startswith("sheet_"):
            words[item.name] = speaking.short(english, 31)  # an Excel sheet's name: 31 characters
        elif item.name == "file_name":
            words[item.name] = speaking.first(english)  # the title once, in a name without "/"
        else:
            words[item.name] = _(english)
    return PackWords(**words)


@dataclass(frozen=True)
class SaidEntry:
    """An entry as the pack shows it."""

    text: str
    partner: str = ""  # who said it, when attributed
    votes: int = 0


@dataclass(frozen=True)
class PackCell:
    column: str  # the matrix column's label: "Could do more"
    entries: Sequence[SaidEntry] = ()


@dataclass(frozen=True)
class PackRow:
    title: str  # "1. Building cross-sectoral partnerships"
    description: str = ""
    cells: Sequence[PackCell] = ()  # the four columns, in the matrix's order, empty ones too


@dataclass(frozen=True)
class VotedEntry:
    text: str
    votes: int
    row: str
    column: str
    partner: str = ""


@dataclass(frozen=True)
class PackAction:
    title: str
    owner: str  # "" when nobody owns it yet
    due_on: date | None
    status: str  # its label: "Open", "Done" …
    entry: str = ""  # the entry it was made from, if any
    row: str = ""
    column: str = ""


@dataclass(frozen=True)
class Attendee:
    organisation: str
    sector: str  # its label: "Voluntary & community sector"


@dataclass(frozen=True)
class FollowUpPack:
    """Everything the pack says about one workshop, labelled for the reader."""

    title: str
    held_on: date
    produced_on: date
    place: str = ""
    facilitator: str = ""
    organisation: str = ""  # who sends the pack (the settings' organisation name); may be empty
    rows: Sequence[PackRow] = ()
    most_voted: Sequence[VotedEntry] = ()
    actions: Sequence[PackAction] = ()
    attended: Sequence[Attendee] = ()
    words: PackWords = field(default=ENGLISH)

    def details(self) -> list[tuple[str, date | str]]:
        """(label, value) lines under the title, the empty ones left out; the date stays a date (a workbook keeps
        it as one, the PDF formats it)."""
        words = self.words
        lines: list[tuple[str, date | str]] = [(words.date, self.held_on)]
        named = (
            (words.place, self.place),
            (words.facilitator, self.facilitator),
            (words.organisation, self.organisation),
        )
        return lines + [(label, text) for label, text in named if text.strip()]


def write_followup_xlsx(path: Path, pack: FollowUpPack) -> Path:
    """The pack as a workbook: the workshop's details, then one filterable table per part.

    Sheets: the workshop (title, details, when and by what it was produced), what was said (one row per entry:
    row, column, entry, said by, votes), the most voted, the actions, who attended. An empty part keeps its
    sheet and says so under the header. User text that looks like a formula stays text (``WorkbookWriter``).

    Raises:
        CohesionError: The folder is missing or the file cannot be written; an older file at ``path`` is then
            left as it was.
    """
    path = Path(path)
    words = pack.words
    if not path.parent.is_dir():
        raise CohesionError(_("The folder {folder} does not exist.").format(folder=path.parent))
    try:
        with WorkbookWriter(path) as book:
            about = book.add_sheet(words.sheet_workshop, print_layout=PrintLayout())
            about.column_dimensions["A"].width = 18
            about.column_dimensions["B"].width = 80
            about.append([book.cell(about, words.document, bold=True, font_size=14)])
            about.append([book.cell(about, pack.title, bold=True, wrap=True)])
            lines = [*pack.details(), (words.produced_on, pack.produced_on), (words.produced_by, APP_NAME)]
            for label, value in lines:
                about.append([book.cell(about, label, bold=True), book.cell(about, value, wrap=True)])
            book.add_table_sheet(
                words.sheet_said,
                [
                    Column(words.row, width=30, wrap=True),
                    Column(words.column, width=18),
                    Column(words.entry, width=60, wrap=True),
                    Column(words.said_by, width=26),
                    Column(words.votes, width=8, number_format="0"),
                ],
                _said_rows(pack),
                table_name="FollowUpEntries",
                print_layout=PrintLayout(landscape=True),
                empty_text=words.nothing_at_all,
            )
            book.add_table_sheet(
                words.sheet_voted,
                [
                    Column(words.votes, width=8, number_format="0"),
                    Column(words.entry, width=60, wrap=True),
                    Column(words.row, width=30, wrap=True),
                    Column(words.column, width=18),
                    Column(words.said_by, width=26),
                ],
                ([e.votes, e.text, e.row, e.column, e.partner or None] for e in pack.most_voted),
                table_name="FollowUpMostVoted",
                print_layout=PrintLayout(landscape=True),
                empty_text=words.no_votes,
            )
            book.add_table_sheet(
                words.sheet_actions,
                [
                    Column(words.action, width=45, wrap=True),
                    Column(words.owner, width=26),
                    Column(words.due, width=12),
                    Column(words.status, width=12),
                    Column(words.from_entry, width=45, wrap=True),
                    Column(words.row, width=30, wrap=True),
                    Column(words.column, width=18),
                ],
                (
                    [a.title, a.owner or words.no_owner, a.due_on, a.status, a.entry or None, a.row or None]
                    + [a.column or None]
                    for a in pack.actions
                ),
                table_name="FollowUpActions",
                print_layout=PrintLayout(landscape=True),
                empty_text=words.no_actions,
            )
            book.add_table_sheet(
                words.sheet_attended,
                [Column(words.attendee_organisation, width=50), Column(words.attendee_sector, width=30)],
                ([a.organisation, a.sector] for a in pack.attended),
                table_name="FollowUpAttended",
                empty_text=words.nobody_recorded,
            )
    except OSError as exc:
        raise save_error(words.what, path, exc, open_in="Excel") from exc
    return path


def _said_rows(pack: FollowUpPack) -> Iterator[list[object]]:
    for row in pack.rows:
        for cell in row.cells:
            for entry in cell.entries:
                yield [row.title, cell.column, entry.text, entry.partner or None, entry.votes]


# ---------------------------------------------------------------------------- PDF

_MARGIN = 15 * mm
_PAGE_WIDTH, _PAGE_HEIGHT = A4
_FRAME_WIDTH = _PAGE_WIDTH - 2 * _MARGIN
_GRID = colors.HexColor("#BFBFBF")
_STRIPE = colors.HexColor("#EAF1F3")
_LEFT_TO_RIGHT_MARK = "\u200e"
_FOOTER_SIZE = 7.5


def write_followup_pdf(path: Path, pack: FollowUpPack) -> Path:
    """The pack as an A4 portrait PDF, read top to bottom as a letter to the partners.

    The title and the workshop's details; who attended; the actions agreed (owner, due date, status, and the
    entry each came from); the most-voted entries; then what was said, row by row and column by column, an
    empty cell saying so. Tables repeat their header on every page and split a very tall row across pages;
    the footer names the sender, the workshop and the page.

    Raises:
        CohesionError: The folder is missing, the file cannot be written, or text cannot fit on a page; an older
            file at ``path`` is then left as it was.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise CohesionError(_("The folder {folder} does not exist.").format(folder=path.parent))
    register_fonts()
    return write_pdf(
        path, lambda temporary: _build_pdf(temporary, pack), what=pack.words.what, too_long=pack.words.too_long
    )


@dataclass(frozen=True)
class _Looks:
    title: ParagraphStyle
    kicker: ParagraphStyle
    section: ParagraphStyle
    row_title: ParagraphStyle
    row_note: ParagraphStyle
    column: ParagraphStyle
    entry: ParagraphStyle
    lone_entry: ParagraphStyle  # one with no details line under it
    meta: ParagraphStyle
    note: ParagraphStyle
    cell: ParagraphStyle
    cell_note: ParagraphStyle
    band: ParagraphStyle
    label: ParagraphStyle


def _looks() -> _Looks:
    base = styles()
    cell = ParagraphStyle("pack-cell", parent=base.body, fontSize=9, leading=12, spaceBefore=0, spaceAfter=0)
    bullet = text_width("• ", 9.5)
    entry = ParagraphStyle(
        "pack-entry", parent=base.body, fontSize=9.5, leading=13, leftIndent=bullet + 8, firstLineIndent=-bullet
    )
    return _Looks(
        title=ParagraphStyle("pack-title", parent=base.title, fontSize=20, leading=26, spaceAfter=6),
        kicker=ParagraphStyle("pack-kicker", parent=base.small, textColor=ACCENT, fontName=FONT_BOLD, spaceAfter=0),
        section=ParagraphStyle("pack-section", parent=base.heading, spaceBefore=14, keepWithNext=1),
        row_title=ParagraphStyle(
            "pack-row", parent=base.body, fontName=FONT_BOLD, fontSize=11.5, leading=16, spaceBefore=8, keepWithNext=1
        ),
        row_note=ParagraphStyle("pack-row-note", parent=base.small, keepWithNext=1),
        column=ParagraphStyle(
            "pack-column",
            parent=base.body,
            fontName=FONT_BOLD,
            fontSize=9.5,
            leading=13,
            textColor=ACCENT,
            spaceBefore=4,
            spaceAfter=2,
            leftIndent=8,
            keepWithNext=1,
        ),
        entry=ParagraphStyle("pack-entry-text", parent=entry, spaceAfter=0),
        lone_entry=ParagraphStyle("pack-lone-entry", parent=entry, spaceAfter=3),
        meta=ParagraphStyle(
            "pack-meta", parent=base.small, fontSize=7.5, leading=10, leftIndent=bullet + 8, spaceAfter=3
        ),
        note=ParagraphStyle("pack-note", parent=base.small, leftIndent=8),
        cell=cell,
        cell_note=ParagraphStyle("pack-cell-note", parent=cell, fontSize=7.5, leading=10, textColor=MUTED),
        band=ParagraphStyle("pack-band", parent=cell, fontName=FONT_BOLD, textColor=colors.white),
        label=ParagraphStyle("pack-label", parent=cell, fontName=FONT_BOLD),
    )


def _build_pdf(target: Path, pack: FollowUpPack) -> None:
    words = pack.words

    def draw_footer(canvas: Canvas, _document: BaseDocTemplate) -> None:
        page = words.page.format(page=canvas.getPageNumber())
        parts = [part for part in (pack.organisation, pack.title) if part]
        text = " – ".join([*parts, page])
        if text_width(text, _FOOTER_SIZE) > _FRAME_WIDTH:
            text = " – ".join([part[:40].rstrip() + "…" for part in parts] + [page])
        canvas.saveState()
        canvas.setFillColor(MUTED)
        # The mark keeps "page N" last even when a name is in Arabic.
        draw_centred_line(canvas, _LEFT_TO_RIGHT_MARK + text, _PAGE_WIDTH / 2, _MARGIN / 2, _FOOTER_SIZE)
        canvas.restoreState()

    document = one_frame_document(
        str(target),
        page_size=A4,
        margin=_MARGIN,
        title=f"{words.document}: {pack.title}",
        subject=words.subject,
        author=pack.organisation,
        template="followup",
        on_page_end=draw_footer,
        lang=words.language,
    )
    looks = _looks()
    story: list[Flowable] = [paragraph(words.document, looks.kicker), paragraph(pack.title, looks.title)]
    story.append(_details_table(pack.details(), looks))
    story += _attended(pack, looks)
    story += _actions(pack, looks)
    story += _most_voted(pack, looks)
    story += _what_was_said(pack, looks)
    document.build(story)


def _table(rows: list[list[Flowable]], widths: Sequence[float], *, header: bool = True) -> Table:
    style: list[tuple[object, ...]] = [
        # Cells hold paragraphs, but a table names its cell font on the page anyway: Helvetica by default.
        ("FONTNAME", (0, 0), (-1, -1), FONT_REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        style += [
            ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
            ("GRID", (0, 0), (-1, -1), 0.4, _GRID),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, _STRIPE]),
        ]
    # splitInRow: an action of 2,000 characters beside the entry it came from can be taller than a page.
    return Table(rows, colWidths=list(widths), repeatRows=1 if header else 0, hAlign="LEFT", style=style, splitInRow=1)


def _details_table(details: Sequence[tuple[str, date | str]], looks: _Looks) -> Flowable:
    label_width = max(text_width(label, looks.label.fontSize, bold=True) for label, _ in details) + 12
    rows = [
        [paragraph(label, looks.label), paragraph(value if isinstance(value, str) else format_date(value), looks.cell)]
        for label, value in details
    ]
    return _table(rows, [label_width, _FRAME_WIDTH - label_width], header=False)


def _band(texts: Sequence[str], looks: _Looks) -> list[Flowable]:
    return [paragraph(text, looks.band) for text in texts]


def _attended(pack: FollowUpPack, looks: _Looks) -> list[Flowable]:
    words = pack.words
    heading = paragraph(words.attended, looks.section)
    if not pack.attended:
        return [heading, paragraph(words.nobody_recorded, looks.note)]
    rows = [_band((words.attendee_organisation, words.attendee_sector), looks)]
    rows += [[paragraph(a.organisation, looks.cell), paragraph(a.sector, looks.cell)] for a in pack.attended]
    return [heading, _table(rows, [_FRAME_WIDTH * 0.62, _FRAME_WIDTH * 0.38])]


def _actions(pack: FollowUpPack, looks: _Looks) -> list[Flowable]:
    words = pack.words
    heading = paragraph(words.actions, looks.section)
    if not pack.actions:
        return [heading, paragraph(words.no_actions, looks.note)]
    rows = [_band((words.action, words.owner, words.due, words.status), looks)]
    for action in pack.actions:
        what: list[Flowable] = [paragraph(action.title, looks.cell)]
        if action.entry:
            source = " · ".join(part for part in (action.row, action.column) if part)
            what.append(paragraph(f"{words.from_entry}: {action.entry}", looks.cell_note))
            if source:
                what.append(paragraph(source, looks.cell_note))
        rows.append(
            [
                what,
                paragraph(action.owner or words.no_owner, looks.cell),
                paragraph(format_date(action.due_on) if action.due_on else "", looks.cell),
                paragraph(action.status, looks.cell),
            ]
        )
    return [heading, _table(rows, [_FRAME_WIDTH * share for share in (0.52, 0.24, 0.12, 0.12)])]


def _most_voted(pack: FollowUpPack, looks: _Looks) -> list[Flowable]:
    words = pack.words
    heading = paragraph(words.most_voted, looks.section)
    if not pack.most_voted:
        return [heading, paragraph(words.no_votes, looks.note)]
    rows = [_band((words.votes, words.entry), looks)]
    for voted in pack.most_voted:
        where = " · ".join(part for part in (voted.row, voted.column, voted.partner) if part)
        rows.append(
            [
                paragraph(f"{voted.votes:,}", looks.label),
                [paragraph(voted.text, looks.cell), paragraph(where, looks.cell_note)],
            ]
        )
    votes_width = max(text_width(words.votes, looks.band.fontSize, bold=True) + 12, 14 * mm)
    return [heading, _table(rows, [votes_width, _FRAME_WIDTH - votes_width])]


def _what_was_said(pack: FollowUpPack, looks: _Looks) -> list[Flowable]:
    words = pack.words
    story: list[Flowable] = [paragraph(words.what_was_said, looks.section)]
    if not pack.rows:
        return [*story, paragraph(words.no_rows, looks.note)]
    for row in pack.rows:
        story.append(paragraph(row.title, looks.row_title))
        if row.description.strip():
            story.append(paragraph(row.description, looks.row_note))
        for cell in row.cells:
            story.append(paragraph(cell.column, looks.column))
            if not cell.entries:
                story.append(paragraph(words.nothing_said, looks.note))
            for entry in cell.entries:
                story += _said(entry, words, looks)
    return story


def _said(entry: SaidEntry, words: PackWords, looks: _Looks) -> list[Flowable]:
    details = [entry.partner] if entry.partner else []
    if entry.votes:
        details.append(words.votes_detail.format(votes=f"{entry.votes:,}"))
    if not details:
        return [paragraph(f"• {entry.text}", looks.lone_entry)]
    # The entry stays on the page of its details line (a text taller than a page still splits).
    return [KeepTogether([paragraph(f"• {entry.text}", looks.entry), paragraph(" · ".join(details), looks.meta)])]
