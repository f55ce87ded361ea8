"""The command line: no subcommand opens the window; subcommands do headless work on a data file.

Exit codes: 0 done, 1 an error (one line on stderr, details in the log file), 2 a usage error.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from cohesion_desktop import APP_ID, APP_NAME, __version__, i18n, paths
from cohesion_desktop.errors import CohesionError, DataFileError
from cohesion_desktop.formatting import format_date, format_datetime, format_number
from cohesion_desktop.i18n import N_, _, ngettext
from cohesion_desktop.logging_setup import configure_logging, log_file

if TYPE_CHECKING:
    from cohesion_desktop.services.volunteering.erasure import ErasurePlan

log = logging.getLogger(__name__)

Command = Callable[[argparse.Namespace, Path], int]


def _data_target(text: str) -> Path | str:
    # A team database's address stays text: as a Path, "postgresql://host/db" would lose a slash.
    return text if paths.is_team_database(text) else Path(text)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("'{text}' is not a whole number").format(text=text)) from None
    if value < 1:
        raise argparse.ArgumentTypeError(_("must be 1 or more, not {value}").format(value=value))
    return value


def _date(text: str) -> date:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            return date.fromisoformat(text.strip())
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(_("'{text}' is not a date (use YYYY-MM-DD)").format(text=text))


# argparse's own words (usage, options, its errors), which it looks up with gettext at the moment it prints them:
# listed here so that extraction puts them in our catalogue, where speak_argparse_in_our_language() finds them.
ARGPARSE_STRINGS = (
    N_("usage: "),
    N_("options"),
    N_("positional arguments"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
)


def speak_argparse_in_our_language() -> None:
    """argparse calls the module-level ``_``/``ngettext`` it imported from gettext when it prints: point them at our
    catalogue (argparse has no other hook for its own words)."""
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


def _export_language_option(command: argparse.ArgumentParser) -> None:
    # Its own option, not --lang: --lang is the language the command line speaks (its messages), which is also what
    # the file is written in unless this says otherwise (a Welsh report from an English session, or both languages).
    command.add_argument(
        "--export-lang",
        dest="export_language",
        choices=tuple(i18n.EXPORT_LANGUAGES),
        default=None,
        help=_(
            "the language of the file's own words: en (English), cy (Cymraeg) or cy+en (both, Welsh first); "
            "default: the language of the command line (--lang)"
        ),
    )


def language_from(argv: Sequence[str] | None) -> str | None:
    """The ``--lang`` given, before the parser is built: its help texts are written in that language."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang", default=None)
    known, _rest = early.parse_known_args(argv)
    return known.lang if known.lang in i18n.LANGUAGES else None


def build_parser() -> argparse.ArgumentParser:
    # --data is accepted before or after the subcommand; SUPPRESS keeps one from erasing the other.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data",
        metavar="PATH",
        type=_data_target,
        default=argparse.SUPPRESS,
        help=_(
            "the data file to use (default: $COHESION_DATA, else cohesion.sqlite in your data folder), or a team "
            "database's address: postgresql://user@host:5432/database"
        ),
    )
    parser = argparse.ArgumentParser(
        prog=APP_ID,
        parents=[common],
        description=_(
            "{app}: partnerships, volunteering and cohesion workshops, offline. Without a command, opens the window."
        ).format(app=APP_NAME),
    )
    # argparse's own help for --version is fixed when Python starts (a default argument): give ours.
    parser.add_argument(
        "--version",
        action="version",
        version=f"{APP_NAME} {__version__}",
        help=_("show program's version number and exit"),
    )
    parser.add_argument(
        "--lang",
        choices=tuple(i18n.LANGUAGES),
        default=argparse.SUPPRESS,
        help=_(
            "the language to speak: en (English) or cy (Cymraeg); default: the one chosen in Settings, else the "
            "system's"
        ),
    )
    parser.add_argument(
        "--self-test", action="store_true", help=_("open the main window without showing it, check it and exit")
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("new", parents=[common], help=_("create a new, empty data file (nothing is ever replaced)"))
    commands.add_parser(
        "init",
        parents=[common],
        help=_(
            "prepare a team database (--data postgresql://…) once: create its tables, or upgrade them to this "
            "version's; run by whoever looks after it (a second laptop's init waits, then finds nothing to do)"
        ),
    )

    grant = commands.add_parser(
        "grant",
        parents=[common],
        help=_("give a person's account on the team database's server one role (the roles it had are taken away)"),
    )
    grant.add_argument("account", metavar="USER", help=_("the person's account on the server"))
    grant.add_argument(
        "role",
        metavar="ROLE",
        help=_(
            "coordinator (everything), facilitator (partners, workshops, actions; no volunteers' data) or viewer "
            "(figures, read-only)"
        ),
    )
    commands.add_parser("roles", parents=[common], help=_("list who has which role in the team database"))

    demo = commands.add_parser(
        "demo", parents=[common], help=_("fill an empty data file with example data (created if there is none)")
    )
    demo.add_argument(
        "--scale",
        type=_positive_int,
        default=1,
        help=_("1 is the example town; 250 is the benchmark's large file (default 1)"),
    )
    demo.add_argument("--seed", type=int, default=2026, help=_("the same seed gives the same file (default 2026)"))

    commands.add_parser("check", parents=[common], help=_("print the data format version, row counts and integrity"))

    backup = commands.add_parser("backup", parents=[common], help=_("copy the data file safely, even while it is open"))
    backup.add_argument("--out", metavar="FILE", type=Path, required=True, help=_("where to write the copy"))
    backup.add_argument(
        "--replace",
        action="store_true",
        help=_("from a team database: replace FILE if it exists (otherwise an existing file is left as it is)"),
    )

    commands.add_parser(
        "backups",
        parents=[common],
        help=_("list the backups of the data file, and the copies a restore kept beside it"),
    )

    importing = commands.add_parser("import", help=_("import records from a spreadsheet (.xlsx or .csv)"))
    kinds = importing.add_subparsers(dest="kind", metavar="WHAT", required=True)
    import_partners = kinds.add_parser("partners", parents=[common], help=_("partners: one organisation per row"))
    import_partners.add_argument("file", type=Path, metavar="FILE", help=_("the .xlsx or .csv file"))
    import_partners.add_argument("--sheet", metavar="NAME", help=_("the sheet to read (default: the first)"))
    import_partners.add_argument(
        "--dry-run",
        action="store_true",
        help=_("check the file and report what would happen, without changing anything"),
    )
    import_volunteers = kinds.add_parser(
        "volunteers",
        parents=[common],
        help=_("volunteers: one person per row; matched by e-mail, then name and phone, and updated"),
    )
    import_hours = kinds.add_parser(
        "hours", parents=[common], help=_("past hours: one row per person per date (or week, or month)")
    )
    for people_parser in (import_volunteers, import_hours):
        people_parser.add_argument("file", type=Path, metavar="FILE", help=_("the .xlsx or .csv file"))
        people_parser.add_argument("--sheet", metavar="NAME", help=_("the sheet to read (default: the first)"))
        people_parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("check the file and report what would happen, without changing anything"),
        )
    import_hours.add_argument(
        "--per",
        choices=("day", "week", "month"),
        default="day",
        help=_("what one row's date stands for: a day (default), or a week or month spread evenly over its days"),
    )
    import_hours.add_argument(
        "--opportunity",
        metavar="TITLE",
        help=_(
            "the opportunity for rows that name none, or one that is not recorded (default: those rows are skipped)"
        ),
    )
    import_hours.add_argument(
        "--skip-unknown-volunteers",
        action="store_true",
        help=_("skip the rows of names that match no volunteer (default: add them as new volunteers)"),
    )

    commands.add_parser("workshops", parents=[common], help=_("list the workshops, with the ids export needs"))

    exporting = commands.add_parser(
        "export",
        help=_(
            "write a workshop, its follow-up pack, the funder summary or an everyday list "
            "(directory, mailing, calendar)"
        ),
    )
    exports = exporting.add_subparsers(dest="kind", metavar="WHAT", required=True)
    export_workshop = exports.add_parser("workshop", parents=[common], help=_("one workshop's matrix, or all of them"))
    which_workshop = export_workshop.add_mutually_exclusive_group(required=True)
    which_workshop.add_argument(
        "workshop",
        nargs="?",
        metavar="ID",
        help=_("the workshop's id, or its first 6+ characters (see: cohesion-desktop workshops)"),
    )
    which_workshop.add_argument("--all", action="store_true", help=_("every workshop, one after another"))
    export_workshop.add_argument(
        "--out", metavar="FILE", type=Path, required=True, help=_("where to write it: a .xlsx or .pdf file")
    )
    _export_language_option(export_workshop)
    export_followup = exports.add_parser(
        "followup",
        parents=[common],
        help=_("a workshop's follow-up pack for the partners who were there: a PDF and, beside it, a workbook"),
    )
    export_followup.add_argument(
        "workshop",
        metavar="ID",
        help=_("the workshop's id, or its first 6+ characters (see: cohesion-desktop workshops)"),
    )
    export_followup.add_argument(
        "--out",
        metavar="FILE",
        type=Path,
        required=True,
        help=_("where to write it: FILE.pdf and FILE.xlsx (a .pdf or .xlsx suffix typed names both)"),
    )
    _export_language_option(export_followup)
    export_summary = exports.add_parser(
        "summary",
        parents=[common],
        help=_("the summary for funders: headline figures, charts, partners, hours, workshops and actions"),
    )
    export_summary.add_argument(
        "--out", metavar="FILE", type=Path, required=True, help=_("where to write it: a .xlsx or .pdf file")
    )
    export_summary.add_argument(
        "--from",
        dest="start",
        metavar="YYYY-MM-DD",
        type=_date,
        help=_("the first day of the period (default: the start of the 12 months to --to)"),
    )
    export_summary.add_argument(
        "--to", dest="end", metavar="YYYY-MM-DD", type=_date, help=_("the last day of the period (default: today)")
    )
    export_summary.add_argument(
        "--org-name",
        metavar="NAME",
        help=_("the organisation's name at the top (default: the one in the file's settings)"),
    )
    export_summary.add_argument(
        "--include-names",
        action="store_true",
        help=_("add volunteers' names to the hours (default: aggregates only, no names)"),
    )
    _export_language_option(export_summary)

    def file_to_write(command: argparse.ArgumentParser, kinds: str) -> None:
        # FILE as the import commands take it, or --out as the other exports do: either, not both.
        where = command.add_mutually_exclusive_group(required=True)
        where.add_argument(
            "file", nargs="?", type=Path, metavar="FILE", help=_("where to write it: {kinds}").format(kinds=kinds)
        )
        where.add_argument("--out", metavar="FILE", type=Path, help=_("the same as FILE"))

    export_partners = exports.add_parser(
        "partners", parents=[common], help=_("the partner directory, searched and filtered as on the Partners page")
    )
    file_to_write(export_partners, "a .xlsx or .pdf file")
    export_partners.add_argument("--search", metavar="WORDS", default="", help=_("only partners matching these words"))
    export_partners.add_argument("--sector", metavar="SECTOR", help=_("only this sector (its name, e.g. Business)"))
    export_partners.add_argument("--theme", metavar="NAME", help=_("only partners working on this theme"))
    export_partners.add_argument("--place", metavar="NAME", help=_("only partners serving this place"))
    export_partners.add_argument("--stage", metavar="STAGE", help=_("only partners at this relationship stage"))
    export_partners.add_argument(
        "--columns",
        metavar="A,B,…",
        help=_(
            "the columns, in order, from: "
            "Name, Sector, SME, Themes, Places, Relationship, Main contact, Last updated, Remit, Website, "
            "Contact e-mail, Contact phone (default: Name, Sector, Themes, Places, Main contact, Remit)"
        ),
    )
    export_volunteers = exports.add_parser(
        "volunteers", parents=[common], help=_("the volunteer list, searched as on the Volunteers page")
    )
    file_to_write(export_volunteers, "a .xlsx or .pdf file")
    export_volunteers.add_argument(
        "--search", metavar="WORDS", default="", help=_("only volunteers matching these words")
    )
    export_volunteers.add_argument(
        "--columns",
        metavar="A,B,…",
        help=_(
            "the columns, in order, from: Name, E-mail, Phone, Skills, Availability, Consent, Hours, Last activity "
            "(default: Name, Skills, Availability, Hours, Last activity)"
        ),
    )
    export_volunteers.add_argument(
        "--contact-details",
        action="store_true",
        help=_("allow the E-mail and Phone columns: personal data, for people who need to reach these volunteers"),
    )
    export_mailing = exports.add_parser(
        "mailing",
        parents=[common],
        help=_("a CSV for a mailing tool: the volunteers who agreed to be contacted and have not withdrawn"),
    )
    file_to_write(export_mailing, "a .csv file")
    export_calendar = exports.add_parser(
        "calendar",
        parents=[common],
        help=_("an .ics calendar of action due dates, DBS and training renewals and workshops (re-import updates it)"),
    )
    file_to_write(export_calendar, "an .ics file")

    volunteers = commands.add_parser(
        "volunteers",
        parents=[common],
        help=_("list the volunteers whose personal data the file holds, with the ids subject-access and erase need"),
    )
    volunteers.add_argument(
        "--search",
        metavar="TEXT",
        default="",
        help=_("only those whose name, e-mail or phone holds every word of TEXT"),
    )

    access = commands.add_parser(
        "subject-access",
        parents=[common],
        help=_("write everything held about one volunteer (a subject access request)"),
    )
    access.add_argument("volunteer", metavar="ID", help=_("the volunteer's id, or its first 6+ characters"))
    access.add_argument(
        "--out",
        metavar="FILE",
        type=Path,
        required=True,
        help=_("where to write it: readable text, or JSON when FILE ends in .json (owner-only)"),
    )

    erase = commands.add_parser(
        "erase",
        parents=[common],
        help=_(
            "erase one volunteer's personal data for good (a backup is made first); without --yes, only say "
            "what would be erased and what would remain"
        ),
    )
    erase.add_argument("volunteer", metavar="ID", help=_("the volunteer's id, or its first 6+ characters"))
    erase.add_argument("--yes", action="store_true", help=_("confirm: erase, which cannot be undone"))
    erase.add_argument(
        "--keep-activities",
        action="store_true",
        help=_("keep the activity texts of their hours entries (by default they are blanked too)"),
    )

    merge = commands.add_parser(
        "merge",
        parents=[common],
        help=_("bring every change of another laptop's data file into this one (a backup is made first)"),
    )
    merge.add_argument("other", type=Path, metavar="OTHER", help=_("the other laptop's copy of the data file"))
    merge.add_argument("--dry-run", action="store_true", help=_("report what would change, and change nothing"))

    restore = commands.add_parser(
        "restore", parents=[common], help=_("put a backup in place of the data file (the old file is kept, renamed)")
    )
    which = restore.add_mutually_exclusive_group(required=True)
    which.add_argument("backup", nargs="?", type=Path, metavar="BACKUP", help=_("the backup file to restore"))
    which.add_argument("--newest", action="store_true", help=_("the newest automatic backup that passes its check"))
    return parser


# ---------------------------------------------------------------------------- commands


def _new(_args: argparse.Namespace, data: Path) -> int:
    from cohesion_desktop.db.store import open_store

    with open_store(data, start_afresh=True) as store:
        if not store.created:
            raise CohesionError(_("There is already a data file at {path}; it was left as it is.").format(path=data))
    print(_("Created the new, empty data file {path}.").format(path=data))
    return 0


def _demo(args: argparse.Namespace, data: Path) -> int:
    from cohesion_desktop.db.store import open_store
    from cohesion_desktop.services.demo import load_demo

    started = time.perf_counter()
    # demo is one of the two commands that create a data file (with `new`): the user asked for one.
    with open_store(data, start_afresh=True) as store, store.session() as session:
        summary = load_demo(session, scale=args.scale, seed=args.seed)
    counts = [
        ngettext("{n} partner", "{n} partners", summary.partners),
        ngettext("{n} opportunity", "{n} opportunities", summary.opportunities),
        ngettext("{n} volunteer", "{n} volunteers", summary.volunteers),
        ngettext("{n} hours entry", "{n} hours entries", summary.hours_entries),
        ngettext("{n} workshop", "{n} workshops", summary.workshops),
        ngettext("{n} matrix entry", "{n} matrix entries", summary.matrix_entries),
        ngettext("{n} action", "{n} actions", summary.actions),
    ]
    amounts = (
        summary.partners,
        summary.opportunities,
        summary.volunteers,
        summary.hours_entries,
        summary.workshops,
        summary.matrix_entries,
        summary.actions,
    )
    print(
        _("Example data written to {path} in {seconds} s: {counts}.").format(
            path=data,
            seconds=format_number(time.perf_counter() - started, decimals=1),
            counts=", ".join(
                count.format(n=format_number(amount)) for count, amount in zip(counts, amounts, strict=True)
            ),
        )
    )
    return 0


def _check(_args: argparse.Namespace, data: Path) -> int:
    from cohesion_desktop.db import backups, migrations
    from cohesion_desktop.db.store import open_store
    from cohesion_desktop.services.overview import row_counts

    with open_store(data, read_only=True) as store, store.session() as session:
        print(_("Data file: {path}").format(path=data))
        print(
            _("Data format: version {version} (this app reads up to {supported})").format(
                version=store.schema_version, supported=migrations.SCHEMA_VERSION
            )
        )
        counts = row_counts(session)
    problem = backups.problems_in(data)
    print(_("Integrity: {result}").format(result=_("ok") if problem is None else problem))
    width = max(len(count.label) for count in counts)
    for count in counts:
        print(f"  {count.label + ':':<{width + 1}} {format_number(count.count):>10}")
    found = backups.list_backups(data)
    folder = paths.backups_for(data)
    if found:
        print(
            _("Backups: {n} in {folder}, newest {when}").format(
                n=format_number(len(found)), folder=folder, when=format_datetime(found[0].made_at)
            )
        )
    else:
        print(_("Backups: none yet in {folder}").format(folder=folder))
    return 0 if problem is None else 1


def _backup(args: argparse.Namespace, data: Path) -> int:
    from cohesion_desktop.db import backups
    from cohesion_desktop.db.store import open_store

    # Opening read-only proves the source is a healthy data file before we copy it.
    with open_store(data, read_only=True):
        made = backups.backup_to(data, args.out)
    size = made.stat().st_size
    print(
        ngettext("Backed up {path} to {copy} ({n} byte).", "Backed up {path} to {copy} ({n} bytes).", size).format(
            path=data, copy=made, n=format_number(size)
        )
    )
    return 0


def _backups(_args: argparse.Namespace, data: Path) -> int:
    from cohesion_desktop.db import backups

    backups.prune_backups(data)  # what is past its keeping time is not offered, and not kept
    found = backups.list_backups(data, set_aside=True)
    if not found:
        print(
            _("No backups of {path} yet (they are kept in {folder}).").format(path=data, folder=paths.backups_for(data))
        )
        return 0
    for info in found:
        size = ngettext("{n} byte", "{n} bytes", info.size).format(n=format_number(info.size))
        print(f"{format_datetime(info.made_at, seconds=True)}  {info.kind:<15} {size:>18}  {info.path}")
    return 0


def _restore(args: argparse.Namespace, data: Path) -> int:
    from cohesion_desktop.db import backups

    if args.newest:
        newest = backups.newest_good_backup(data)
        if newest is None:
            raise CohesionError(
                _("There is no good backup of {path} in {folder}.").format(path=data, folder=paths.backups_for(data))
            )
        chosen = newest.path
    else:
        chosen = args.backup.expanduser()
        if not chosen.is_file():
            raise CohesionError(_("There is no backup file at {path}.").format(path=chosen))
    kept = backups.restore_backup(data, chosen, label=backups.label_for_replacing(data))
    print(_("Restored {path} from {backup}.").format(path=data, backup=chosen))
    if kept:
        print(_("The file it replaced was kept as {path}.").format(path=kept))
    return 0


def _import(args: argparse.Namespace, data: Path) -> int:
    from cohesion_desktop.db.store import open_store
    from cohesion_desktop.importing.partners import parse_partners
    from cohesion_desktop.importing.spreadsheet import read_sheet
    from cohesion_desktop.services.partner_import import apply_import, plan_import

    if args.kind == "volunteers":
        return _import_volunteers(args, data)
    if args.kind == "hours":
        return _import_hours(args, data)
    sheet = read_sheet(args.file.expanduser(), args.sheet)
    parsed = parse_partners(sheet)
    with open_store(data, create=False) as store, store.session() as session:
        report = apply_import(session, plan_import(session, parsed), dry_run=args.dry_run)
    return _print_import_report(args, sheet.name, parsed.header_row, report.lines())


def _print_import_report(args: argparse.Namespace, sheet: str, header_row: int, lines: Iterable[str]) -> int:
    """Which sheet and header row were read, whether it was a dry run, then the import's report line by line."""
    said = (
        _("{file}, sheet '{sheet}', headings on row {row} (dry run: nothing was changed):")
        if args.dry_run
        else _("{file}, sheet '{sheet}', headings on row {row}:")
    )
    print(said.format(file=args.file.name, sheet=sheet, row=header_row))
    for line in lines:
        print(line)
    return 0


def _import_volunteers(args: argparse.Namespace, data: Path) -> int:
    from cohesion_desktop.db.store import open_store
    from cohesion_desktop.importing.spreadsheet import read_sheet
    from cohesion_desktop.importing.volunteers import parse_volunteers
    from cohesion_desktop.services.volunteer_import import apply_volunteer_import, plan_volunteer_import

    sheet = read_sheet(args.file.expanduser(), args.sheet)
    parsed = parse_volunteers(sheet)
    with open_store(data, create=False) as store, store.session() as session:
        report = apply_volunteer_import(session, plan_volunteer_import(session, parsed), dry_run=args.dry_run)
    return _print_import_report(args, sheet.name, parsed.header_row, report.lines())


def _import_hours(args: argparse.Namespace, data: Path) -> int:
    from cohesion_desktop.db.store import open_store
    from cohesion_desktop.importing.hours import Spread, parse_hours
    from cohesion_desktop.importing.spreadsheet import read_sheet
    from cohesion_desktop.services.hours_import import (
        Choice,
        apply_hours_import,
        opportunities_titled,
        plan_hours_import,
    )

    sheet = read_sheet(args.file.expanduser(), args.sheet)
    parsed = parse_hours(sheet)
    with open_store(data, create=False) as store, store.session() as session:
        plan = plan_hours_import(session, parsed, how=Spread(args.per))
        chosen = opportunities_titled(session, args.opportunity) if args.opportunity else []
        if args.opportunity and len(chosen) != 1:
            said = (
                _("No opportunity is called '{title}'. Check its title on the Opportunities page.")
                if not chosen
                else ngettext(
                    "{n} opportunity is called '{title}'. Check its title on the Opportunities page.",
                    "{n} opportunities are called '{title}'. Check its title on the Opportunities page.",
                    len(chosen),
                )
            )
            raise CohesionError(said.format(n=len(chosen), title=args.opportunity))
        for kind, match in plan.unmatched():
            if kind == "volunteer" and args.skip_unknown_volunteers:
                match.target = Choice.SKIP
            elif kind == "opportunity" and chosen:
                match.target = chosen[0][0]
        report = apply_hours_import(session, plan, dry_run=args.dry_run)
    return _print_import_report(args, sheet.name, parsed.header_row, report.lines())


def _workshops(_args: argparse.Namespace, data: Path) -> int:
    from cohesion_desktop.db.store import open_store
    from cohesion_desktop.services.workshops import list_workshops

    with open_store(data, read_only=True) as store, store.session() as session:
        found = list_workshops(session)
    if not found:
        print(_("There are no workshops in {path}.").format(path=data))
    for workshop in found:
        entries = ngettext("{n} entry", "{n} entries", workshop.entry_count).format(n=workshop.entry_count)
        present = ngettext("{n} partner", "{n} partners", workshop.partner_count).format(n=workshop.partner_count)
        print(f"{workshop.id.hex[:8]}  {format_date(workshop.held_on)}  {workshop.title}  ({entries}, {present})")
    return 0


def _export(args: argparse.Namespace, data: Path) -> int:
    if args.kind == "summary":
        return _export_summary(args, data)
    if args.kind in ("partners", "volunteers", "mailing", "calendar"):
        return _export_list(args, data)
    if args.kind == "followup":
        return _export_followup(args, data)
    from cohesion_desktop.db.store import open_store
    from cohesion_desktop.services import workshop_export, workshops

    with open_store(data, read_only=True) as store, store.session() as session:
        if args.all:
            ids = [w.id for w in workshops.list_workshops(session)]
        else:
            ids = [workshops.find_workshop_id(session, args.workshop)]
        written = workshop_export.export_workshops(
            session, workshop_ids=ids, path=args.out, language=args.export_language
        )
    print(
        ngettext("Wrote {n} workshop to {path}.", "Wrote {n} workshops to {path}.", len(ids)).format(
            n=len(ids), path=written
        )
    )
    return 0


def _export_followup(args: argparse.Namespace, data: Path) -> int:
    from cohesion_desktop.db.store import open_store
    from cohesion_desktop.services import workshop_export, workshops

    with open_store(data, read_only=True) as store, store.session() as session:
        workshop_id = workshops.find_workshop_id(session, args.workshop)
        pdf, workbook = workshop_export.export_followup(
            session, workshop_id=workshop_id, path=args.out, language=args.export_language
        )
    print(_("Wrote the follow-up pack to {pdf} and {workbook}.").format(pdf=pdf, workbook=workbook))
    return 0


def _columns(text: str | None, default: Sequence[str]) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()] if text is not None else list(default)


def _export_list(args: argparse.Namespace, data: Path) -> int:
    from cohesion_desktop.db.store import open_store
    from cohesion_desktop.export.lists import write_list
    from cohesion_desktop.services import lists

    target: Path = args.file or args.out
    wanted_suffix = {"mailing": ".csv", "calendar": ".ics"}.get(args.kind)
    if wanted_suffix is not None and target.suffix.lower() != wanted_suffix:
        said = (
            _("{file}: the mailing list is written as {suffix}.")
            if args.kind == "mailing"
            else _("{file}: the calendar is written as {suffix}.")
        )
        raise CohesionError(said.format(file=target.name, suffix=wanted_suffix))
    with open_store(data, read_only=True) as store, store.session() as session:
        if args.kind == "partners":
            wanted = lists.partner_filter(
                session, query=args.search, sector=args.sector, theme=args.theme, place=args.place, stage=args.stage
            )
            table = lists.partner_directory(
                session, wanted=wanted, columns=_columns(args.columns, lists.DEFAULT_PARTNER_COLUMNS)
            )
            written = write_list(target, table)
            print(
                _("Wrote the partner directory ({selection}) to {path}.").format(
                    selection=table.selection, path=written
                )
            )
        elif args.kind == "volunteers":
            table = lists.volunteer_list(
                session,
                query=args.search,
                columns=_columns(args.columns, lists.DEFAULT_VOLUNTEER_COLUMNS),
                contact_details=args.contact_details,
            )
            written = write_list(target, table)
            print(
                _("Wrote the volunteer list ({selection}) to {path}.").format(selection=table.selection, path=written)
            )
            print(table.reminder)
        elif args.kind == "mailing":
            print(lists.export_mailing_list(session, path=target).saved_to(target))
        else:
            count = lists.export_calendar(session, path=target)
            print(
                ngettext(
                    "Wrote {n} date to {path}; import it again to update it.",
                    "Wrote {n} dates to {path}; import it again to update them.",
                    count,
                ).format(n=count, path=target)
            )
    return 0


def _export_summary(args: argparse.Namespace, data: Path) -> int:
    from cohesion_desktop.dates import Period
    from cohesion_desktop.db.store import open_store
    from cohesion_desktop.services import reporting
    from cohesion_desktop.services.settings import get_settings

    end = args.end or date.today()
    period = Period(args.start, end) if args.start else Period.last_12_months(end)
    with open_store(data, read_only=True) as store, store.session() as session:
        settings = get_settings(session)
        logo = Path(settings.logo_path).expanduser() if settings.logo_path else None
        if logo is not None and not logo.is_file():
            # The logo lives on the laptop that chose it; the file may have been copied to another one.
            print(
                _("{app}: the logo in the settings ({path}) is not on this computer; the summary has none.").format(
                    app=APP_ID, path=logo
                ),
                file=sys.stderr,
            )
            logo = None
        written = reporting.export_summary(
            session,
            path=args.out,
            period=period,
            include_names=args.include_names,
            logo=logo,
            organisation_name=settings.organisation_name if args.org_name is None else args.org_name,
            language=args.export_language,
        )
    print(_("Wrote the summary for {period} to {path}.").format(period=period.label, path=written))
    return 0


def _volunteers(args: argparse.Namespace, data: Path) -> int:
    from cohesion_desktop.db.store import open_store
    from cohesion_desktop.services.volunteering.personal_data import held_volunteers

    with open_store(data, read_only=True) as store, store.session() as session:
        found = held_volunteers(session, query=args.search)
    if not found:
        said = _("No volunteer in {path} matches “{search}”.") if args.search else _("No volunteer in {path}.")
        print(said.format(path=data, search=args.search))
    for person in found:
        print(f"{person.id.hex}  {person.name}" + ("  " + _("(removed, still held)") if person.removed else ""))
    return 0


def _subject_access(args: argparse.Namespace, data: Path) -> int:
    from cohesion_desktop.db.store import open_store
    from cohesion_desktop.services.volunteering import personal_data

    with open_store(data, read_only=True) as store, store.session() as session:
        volunteer_id = personal_data.find_volunteer_id(session, args.volunteer)
        written = personal_data.export_subject_access(session, volunteer_id=volunteer_id, path=args.out.expanduser())
    print(
        _(
            "Wrote everything held about volunteer {id} to {path} (readable by you only). Send it to them securely."
        ).format(id=volunteer_id.hex, path=written)
    )
    return 0


def _erase(args: argparse.Namespace, data: Path) -> int:
    from cohesion_desktop.db.store import open_store
    from cohesion_desktop.services.volunteering import erasure, personal_data

    def unfinished(problem: str) -> CohesionError:
        return CohesionError(
            _(
                "the records are erased, but old copies of the erased details are still in the data file: {problem}. "
                "Run this command again once that is over (or open the app), and they are removed then."
            ).format(problem=problem)
        )

    with open_store(data) as store, store.session() as session:
        volunteer_id = personal_data.find_volunteer_id(session, args.volunteer)
        if erasure.was_erased(session, volunteer_id=volunteer_id):
            problem = erasure.finish_erasure(session)
            if problem is not None:
                raise unfinished(problem)
            print(
                _("Volunteer {id} was already erased; no copy of their details is left in {path}.").format(
                    id=volunteer_id.hex, path=data
                )
            )
            return 0
        plan = erasure.erasure_plan(session, volunteer_id=volunteer_id, data_file=data)
        blank = not args.keep_activities
        if not args.yes:
            _print_plan(plan, blank_activities=blank, done=False)
            print(
                _("{app}: nothing was erased: erasing cannot be undone, so add --yes to do it.").format(app=APP_ID),
                file=sys.stderr,
            )
            return 2
        report = erasure.erase_volunteer(session, volunteer_id=volunteer_id, blank_activities=blank, data_file=data)
    _print_plan(plan, blank_activities=blank, done=True)
    if report.backup is not None:
        print(_("The backup made just before: {path}").format(path=report.backup))
    if report.unfinished is not None:
        raise unfinished(report.unfinished)
    return 0


def _merge(args: argparse.Namespace, data: Path) -> int:
    from cohesion_desktop.db.store import open_store
    from cohesion_desktop.services import merging

    with open_store(data, create=False) as store:
        report = merging.merge_file(store, other=args.other.expanduser(), dry_run=args.dry_run)
    for line in report.lines():
        print(line)
    return 0


def _print_plan(plan: ErasurePlan, *, blank_activities: bool, done: bool) -> None:
    said = {
        (True, False): _("Erased from {name}'s records (volunteer {id}):"),
        (True, True): _("Erased from {name}'s records (volunteer {id}, removed but still held):"),
        (False, False): _("Would erase from {name}'s records (volunteer {id}):"),
        (False, True): _("Would erase from {name}'s records (volunteer {id}, removed but still held):"),
    }[(done, plan.removed)]
    print(said.format(name=plan.name, id=plan.volunteer_id.hex))
    for line in plan.removes(blank_activities=blank_activities):
        print(f"  - {line}")
    if plan.activities:
        if not blank_activities:
            print(_("Activity texts of their hours (kept):"))
        elif done:
            print(_("Activity texts of their hours (blanked):"))
        else:
            print(_("Activity texts of their hours (blanked unless --keep-activities):"))
        for activity in plan.activities:
            print(
                f"  - “{activity.text}” ("
                + ngettext("{n} entry", "{n} entries", activity.entries).format(n=activity.entries)
                + f", {format_date(activity.first_on)}–{format_date(activity.last_on)})"
            )
    if plan.mentions:
        print(_("Other records that mention them (not changed):"))
        for mention in plan.mentions:
            print(f"  - {mention.where}: {mention.text}")
    print(_("What remains:") if done else _("What would remain:"))
    for line in plan.remains(blank_activities=blank_activities):
        print(f"  - {line}")


COMMANDS: dict[str, Command] = {
    "new": _new,
    "demo": _demo,
    "check": _check,
    "backup": _backup,
    "backups": _backups,
    "restore": _restore,
    "import": _import,
    "workshops": _workshops,
    "export": _export,
    "volunteers": _volunteers,
    "subject-access": _subject_access,
    "erase": _erase,
    "merge": _merge,
}


def _what_next(problem: CohesionError) -> str:
    """The command that helps, for the errors where one does (the remedy is ``db/recovery.py``'s, as in the window)."""
    if not isinstance(problem, DataFileError):
        return ""
    from cohesion_desktop.db.recovery import Remedy, recovery_for

    recovery = recovery_for(problem)
    if recovery.remedy is Remedy.FIND_OR_CREATE:
        return " " + _(
            "To start a new one: {app} new (or {app} demo for example data); to restore a backup: {app} restore"
        ).format(app=APP_ID)
    if recovery.remedy is Remedy.START_AFRESH:
        return " " + _("To start it afresh: {app} new").format(app=APP_ID)
    if recovery.remedy is Remedy.RESTORE_NEWEST and recovery.backup is not None:
        return " " + (
            _("To put the newest good backup (made {when}) in its place: {app} restore --newest").format(
                when=format_datetime(recovery.backup.made_at), app=APP_ID
            )
        )
    if recovery.remedy is Remedy.NO_BACKUP:
        return " " + _("There is no good backup of it on this laptop to put in its place.")
    return ""


def data_path_from(args: argparse.Namespace) -> Path:
    named = getattr(args, "data", None)
    return Path(named).expanduser() if named else paths.default_data_file()


def team_database_from(args: argparse.Namespace) -> str | None:
    """The team database's address that ``--data`` or ``COHESION_DATA`` names, or None for a data file."""
    named = getattr(args, "data", None) or os.environ.get("COHESION_DATA", "").strip()
    return named if paths.is_team_database(named) else None


# The commands that work on a team database so far (team mode, issue 17, is built in stages).
TEAM_DATABASE_COMMANDS = ("init", "grant", "roles", "backup", "merge")
# The commands that only a team database has.
TEAM_DATABASE_ONLY = ("init", "grant", "roles")


def _init(address_text: str) -> int:
    from cohesion_desktop.db.server import ServerAddress
    from cohesion_desktop.db.store import prepare_team_database

    address = ServerAddress.parse(address_text)
    print(prepare_team_database(address).describe(address))
    return 0


def _merge_into_team_database(args: argparse.Namespace, address_text: str) -> int:
    """``merge laptop.sqlite``: a laptop's offline copy (``backup --out``) brought back into the team database."""
    from cohesion_desktop.db.server import ServerAddress
    from cohesion_desktop.db.store import open_server_store
    from cohesion_desktop.services import merging

    with open_server_store(ServerAddress.parse(address_text)) as store:
        report = merging.merge_into_team_database(store, other=args.other.expanduser(), dry_run=args.dry_run)
    for line in report.lines():
        print(line)
    return 0


def _on_team_database(args: argparse.Namespace, address_text: str, language: str | None) -> int:
    """``--data postgresql://…``: the window, ``init``, or a clear message for what does not work on a team database
    yet."""
    if args.command is None:
        from cohesion_desktop.ui.app import run_gui

        # The window says what goes wrong (unreachable, not prepared, a refused password) and offers what it can.
        return run_gui(address_text, self_test=args.self_test, language=language)
    if args.command not in TEAM_DATABASE_COMMANDS:
        print(
            _("{app}: '{command}' works on a data file; on a team database only {commands} works so far.").format(
                app=APP_ID, command=args.command, commands=", ".join(TEAM_DATABASE_COMMANDS)
            ),
            file=sys.stderr,
        )
        return 2
    try:
        if args.command == "init":
            return _init(address_text)
        if args.command == "merge":
            return _merge_into_team_database(args, address_text)
        from cohesion_desktop.team_commands import COMMANDS as ON_TEAM_DATABASE

        return ON_TEAM_DATABASE[args.command](args, address_text)
    except CohesionError as exc:
        log.info("%s on a team database failed: %s", args.command, type(exc).__name__)
        print(f"{APP_ID}: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # the last line of defence: a message, never a traceback
        log.exception("%s on a team database failed unexpectedly", args.command)
        print(
            _("{app}: unexpected error: {error} (details in {log})").format(app=APP_ID, error=exc, log=log_file()),
            file=sys.stderr,
        )
        return 1


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``cohesion-desktop`` and ``python -m cohesion_desktop``."""
    chosen_language = language_from(argv)
    # The command line speaks the language asked for, else the system's; the window also remembers Settings.
    i18n.set_language(chosen_language or i18n.system_language())
    speak_argparse_in_our_language()
    args = build_parser().parse_args(argv)  # exits with 2 and a usage line on bad arguments
    failed = paths.ensure_app_dirs()
    configure_logging()
    team_database = team_database_from(args)
    if team_database is not None:
        return _on_team_database(args, team_database, chosen_language)
    if args.command == "init":
        print(
            _(
                "{app}: init prepares a team database (--data postgresql://user@host/database); a new data file is "
                "made by: {app} new"
            ).format(app=APP_ID),
            file=sys.stderr,
        )
        return 2
    if args.command in TEAM_DATABASE_ONLY:
        print(
            _("{app}: {command} works on a team database (--data postgresql://user@host/database)").format(
                app=APP_ID, command=args.command
            ),
            file=sys.stderr,
        )
        return 2
    data = data_path_from(args)
    if data.parent in failed and not data.parent.is_dir():
        problem = failed[data.parent]
        print(
            _("{app}: cannot create the folder {folder} for the data file ({reason}).").format(
                app=APP_ID, folder=data.parent, reason=problem.strerror
            ),
            file=sys.stderr,
        )
        return 1
    if args.command is None:
        from cohesion_desktop.ui.app import run_gui

        return run_gui(data, self_test=args.self_test, language=chosen_language)
    try:
        return COMMANDS[args.command](args, data)
    except CohesionError as exc:
        # The message is for the user and may name a person or a file named after one: the log gets its kind.
        log.info("%s failed: %s", args.command, type(exc).__name__)
        print(f"{APP_ID}: {exc}{_what_next(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(_("{app}: interrupted; nothing half-written was kept.").format(app=APP_ID), file=sys.stderr)
        return 1
    except Exception as exc:  # the last line of defence: a message, never a traceback
        from cohesion_desktop.db.store import plain_storage_error

        plain = plain_storage_error(exc, data)  # a full disk or temporary folder, a read-only folder …
        if plain is not None:
            log.exception("%s failed", args.command)
            print(f"{APP_ID}: {plain}", file=sys.stderr)
            return 1
        log.exception("%s failed unexpectedly", args.command)
        print(
            _("{app}: unexpected error: {error} (details in {log})").format(app=APP_ID, error=exc, log=log_file()),
            file=sys.stderr,
        )
        return 1
