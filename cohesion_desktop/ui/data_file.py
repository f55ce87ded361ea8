"""The one data file the window has open, from opening it to closing it.

Opening runs off the window's thread when asked (a large file takes seconds to check); a file that does not open
gets the remedy that ``db/recovery.py`` finds, offered through the prompts; while a file is open, an automatic
backup is made after edits (at most hourly) and an erasure held up by a reader is finished in its place; closing
waits for a backup being made.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from cohesion_desktop import paths
from cohesion_desktop.errors import CohesionError, DataFileError, DataFileMissingError
from cohesion_desktop.formatting import format_date, format_datetime, format_time
from cohesion_desktop.i18n import N_, _
from cohesion_desktop.ui.app_settings import AppSettings
from cohesion_desktop.ui.prompts import Prompts
from cohesion_desktop.ui.worker import BackgroundTask, start_task

if TYPE_CHECKING:
    from cohesion_desktop.db.recovery import Recovery
    from cohesion_desktop.db.server import ServerAddress
    from cohesion_desktop.workspace import Workspace

# Storage (SQLAlchemy, SQLModel) is imported when a file opens, not before the window is shown.

log = logging.getLogger(__name__)

BACKUP_CHECK_INTERVAL_MS = 5 * 60 * 1000
PROBLEM_TITLE = N_("Data file problem")  # translated where shown
TEAM_PROBLEM_TITLE = N_("Team database problem")
DATA_FILE_FILTER = N_("Cohesion Desktop data files (*.sqlite *.db);;All files (*)")


class DataFileKeeper(QObject):
    """Holds the :class:`Workspace` of the open file (``workspace``, None when no file is open).

    Signals: ``opening(Path)`` while a file is checked in the background; ``opened(Workspace)`` when a file opened
    (the receiver shows it, or calls :meth:`could_not_show`); ``failed(Path, str)`` when a file did not open,
    after the user was told why and declined or could not be offered a remedy; ``said(str, int)`` a message for
    the status bar, and for how many milliseconds; ``refused(ServerAddress, TeamDatabaseRefusedError)`` when a team
    database's server refused the account or password or has no such database (the receiver asks for the connection
    again, with what was wrong).
    """

    opening = Signal(object)
    opened = Signal(object)
    failed = Signal(object, str)
    said = Signal(str, int)
    refused = Signal(object, object)

    def __init__(self, *, prompts: Prompts, settings: AppSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.prompts = prompts
        self.settings = settings
        self.workspace: Workspace | None = None
        self.open_failed = False  # the last attempt to open a file failed (for the self-test)
        self.wanted_path: Path | None = None  # the file last asked for: what a restore with no file open is for
        self._last_backup_at = 0.0
        self._backup_task: BackgroundTask | None = None
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_CHECK_INTERVAL_MS)
        self.backup_timer.timeout.connect(self._backup_if_due)
        self.backup_timer.timeout.connect(self._finish_erasure_if_pending)
        self.backup_timer.start()

    # ------------------------------------------------------------------ opening

    def open(
        self,
        path: Path | str | ServerAddress,
        *,
        create: bool = True,
        background: bool = False,
        start_afresh: bool = False,
    ) -> bool:
        """Open ``path`` in place of the current file. On failure, explain and offer what can be done.

        ``path`` may be a team database's address (``postgresql://…``, see :meth:`_open_team_database`).

        A missing file is created only if this laptop has never known one there: a file the recent-files list
        or the backups remember is missing, and the user is told so instead of getting an empty one.
        With ``background``, the checks run off the window's thread; the result arrives later and True only
        means "started".
        """
        if not isinstance(path, Path) and (not isinstance(path, str) or paths.is_team_database(path)):
            return self._open_team_database(path, background=background)
        path = Path(path).expanduser()
        if (
            self.workspace is not None
            and self.workspace.path is not None
            and path.resolve() == self.workspace.path.resolve()
        ):
            return True
        self.wanted_path = path
        if create and not path.exists() and self._used_before(path):
            create = False

        def work(_control: object) -> Workspace:
            from cohesion_desktop.db.store import open_store
            from cohesion_desktop.workspace import Workspace

            return Workspace(open_store(path, create=create, start_afresh=start_afresh))

        if background:
            self.opening.emit(path)
            start_task(
                work,
                on_success=lambda workspace: void(self._adopt(workspace)),
                on_failure=lambda exc: void(self._open_failed(path, exc, create=create)),
                owner=self,
            )
            return True
        try:
            workspace = work(None)
        except DataFileError as exc:
            return self._open_failed(path, exc, create=create)
        return self._adopt(workspace)

    def connect_team_database(self, address: ServerAddress, *, remember_password: bool) -> bool:
        """Connect to the team database at ``address`` (File → Connect…), in the background; once it opened, keep its
        password in the keyring if asked (not before: a mistyped password is not worth remembering)."""
        return self._open_team_database(address, background=True, remember_password=remember_password)

    def _open_team_database(
        self, target: str | ServerAddress, *, background: bool, remember_password: bool = False
    ) -> bool:
        """Connect to a team database (the password from the address, else from the keyring). When its server cannot
        be reached (said within :data:`server.CONNECT_TIMEOUT_S`), offer the last offline copy of it instead."""
        from cohesion_desktop.db import team_login
        from cohesion_desktop.db.server import ServerAddress
        from cohesion_desktop.errors import TeamDatabaseError

        try:
            address = target if isinstance(target, ServerAddress) else ServerAddress.parse(target)
        except TeamDatabaseError as exc:
            return self._team_database_failed(None, exc)
        if self.workspace is not None and self.workspace.target == str(address):
            return True
        # Looked up here, on the window's thread: some keyrings answer only there (and ask for their own unlock).
        address = team_login.with_remembered_password(address)

        def adopt(workspace: Workspace) -> bool:
            adopted = self._adopt(workspace)
            if adopted and remember_password and address.url.password:
                self._remember_password(address)
            return adopted

        def work(_control: object) -> Workspace:
            from cohesion_desktop.db.store import open_server_store
            from cohesion_desktop.workspace import Workspace

            return Workspace(open_server_store(address))

        if background:
            self.opening.emit(address.where)
            start_task(
                work,
                on_success=lambda workspace: void(adopt(workspace)),
                on_failure=lambda exc: void(self._team_database_failed(address, exc)),
                owner=self,
            )
            return True
        try:
            workspace = work(None)
        except CohesionError as exc:
            return self._team_database_failed(address, exc)
        return adopt(workspace)

    def _remember_password(self, address: ServerAddress) -> None:
        from cohesion_desktop.db import team_login

        try:
            team_login.remember_password(address, address.url.password or "")
        except team_login.NoKeyring:
            self.said.emit(_("This computer has no keyring, so the password was not remembered."), 15000)
        else:
            self.said.emit(_("The password is kept in this computer's keyring."), 10000)

    def _team_database_failed(self, address: ServerAddress | None, problem: BaseException) -> bool:
        """Say why the team database did not open; when its server could not be reached (or refused the account),
        offer to work on an offline copy of it instead: the last one made on this laptop, or one the user picks. When it
        refused the account or password, or has no such database, the connection is asked for again (``refused``): an
        offline copy would not correct a typing slip."""
        from cohesion_desktop.db import team_login
        from cohesion_desktop.errors import TeamDatabaseRefusedError, TeamDatabaseUnreachableError

        if not isinstance(problem, CohesionError):
            log.error("opening a team database failed", exc_info=problem)
            problem = CohesionError(_("The team database could not be opened: {problem}").format(problem=problem))
        log.warning("could not open a team database: %s", type(problem).__name__)
        where = address.where if address is not None else ""
        if address is not None and isinstance(problem, TeamDatabaseRefusedError):
            self.open_failed = True
            self.failed.emit(where, str(problem))
            self.refused.emit(address, problem)
            return False
        if address is not None and isinstance(problem, TeamDatabaseUnreachableError):
            last = team_login.last_offline_copy(address)
            options = (
                [_("Open the offline copy"), _("Choose an offline copy…")] if last else [_("Choose an offline copy…")]
            )
            offer = (
                _("{problem}\n\nYou can work on the offline copy made on {day} at {time}: {path}").format(
                    problem=problem,
                    day=format_date(_modified(last)),
                    time=format_time(_modified(last)),
                    path=last,
                )
                if last
                else _(
                    "{problem}\n\nYou can work on an offline copy of it (a data file made with “backup --out”)."
                ).format(problem=problem)
            )
            answer = self.prompts.choose(_(TEAM_PROBLEM_TITLE), offer, options, cancel_label=_("Not now"))
            if answer is not None:
                chosen = last if last is not None and answer == 0 else self._pick_offline_copy()
                if chosen is not None:
                    return self.open(chosen, create=False)
        else:
            self.prompts.error(_(TEAM_PROBLEM_TITLE), str(problem))
        self.open_failed = True
        self.failed.emit(where, str(problem))
        return False

    def _pick_offline_copy(self) -> Path | None:
        return self.prompts.open_path(_("Choose an offline copy"), paths.data_dir(), _(DATA_FILE_FILTER))

    def _used_before(self, path: Path) -> bool:
        """Whether this laptop knew a data file at ``path``: a recent file, or one with backups or kept copies."""
        from cohesion_desktop.db import backups

        return path.resolve() in self.settings.recent_files() or bool(backups.list_backups(path, set_aside=True))

    def _adopt(self, workspace: Workspace) -> bool:
        previous, self.workspace = self.workspace, workspace
        self.open_failed = False
        self.opened.emit(workspace)
        if previous is not None:
            previous.close()
        if self.workspace is not workspace:  # the window could not show it (could_not_show)
            return False
        self.settings.add_recent_file(workspace.target)
        for note in workspace.store.notes:  # a restore cut short and finished at this open
            self.said.emit(note, 30000)
        self._start_automatic_backup()
        return True

    def could_not_show(self, workspace: Workspace, problem: BaseException) -> None:
        """The window could not show the file that opened: close it again, and say so as for a file that failed."""
        workspace.close()
        if self.workspace is workspace:
            self.workspace = None
        if workspace.path is None:
            self._team_database_failed(None, problem)
        else:
            self._open_failed(workspace.path, problem, create=False)

    def _open_failed(self, path: Path, problem: BaseException, *, create: bool) -> bool:
        from cohesion_desktop.db.recovery import Remedy, recovery_for

        if not isinstance(problem, DataFileError):
            log.error("opening %s failed", path, exc_info=problem)
            problem = DataFileError(
                path, _("The data file {path} could not be opened: {problem}").format(path=path, problem=problem)
            )
        log.warning("could not open %s: %s", path, problem)
        if isinstance(problem, DataFileMissingError):
            problem = DataFileMissingError(
                path,
                _(
                    "Your data file {path} is missing: it is not where it was last time. If it was moved or "
                    "renamed, open it where it is now; otherwise restore a backup, or create a new data file."
                ).format(path=path),
            )
        recovery = recovery_for(problem)
        if recovery.remedy is Remedy.START_AFRESH and self._offer_fresh_start(recovery):
            return self.open(path, start_afresh=True)
        if recovery.remedy is Remedy.RESTORE_NEWEST and self._offer_restore(recovery):
            return self.open(path, create=False)
        if recovery.remedy is Remedy.NO_BACKUP:
            self.prompts.error(
                _(PROBLEM_TITLE),
                _(
                    "{problem}\n\nThere is no backup of this file on this laptop. You can open another data file "
                    "or create a new one; the damaged file is left exactly as it is."
                ).format(problem=problem),
            )
        elif recovery.remedy is not Remedy.RESTORE_NEWEST:
            self.prompts.error(PROBLEM_TITLE, str(problem))
        self.open_failed = True
        self.failed.emit(path, str(problem))
        return False

    def _offer_fresh_start(self, recovery: Recovery) -> bool:
        """For an empty file that holds nothing at all: offer to make it a new data file. True when accepted."""
        return (
            self.prompts.choose(PROBLEM_TITLE, str(recovery.problem), [_("Start it afresh")], cancel_label=_("Not now"))
            == 0
        )

    def _offer_restore(self, recovery: Recovery) -> bool:
        """For a damaged file with a good backup: offer that backup in its place. True when restored."""
        from cohesion_desktop.db.recovery import restore_newest

        assert recovery.backup is not None
        made_at = recovery.backup.made_at
        keep_note = _("The damaged file will be kept beside it under a new name, so nothing is thrown away.")
        choice = self.prompts.choose(
            _(PROBLEM_TITLE),
            _("{problem}\n\nThe newest good backup was made on {day} at {time}. Restore it? {keep_note}").format(
                problem=recovery.problem,
                day=format_date(made_at),
                time=format_time(made_at),
                keep_note=keep_note,
            ),
            [_("Restore the backup")],
            cancel_label=_("Not now"),
        )
        if choice != 0:
            return False
        try:
            kept = restore_newest(recovery)
        except (CohesionError, OSError) as exc:
            log.exception("restore failed")
            self.prompts.error(PROBLEM_TITLE, _("The backup could not be restored: {exc}").format(exc=exc))
            return False
        self.said.emit(
            (
                _("Restored the backup of {when}; damaged file kept as {name}").format(
                    when=format_datetime(made_at), name=kept.name
                )
                if kept
                else _("Restored the backup of {when}").format(when=format_datetime(made_at))
            ),
            15000,
        )
        return True

    # ------------------------------------------------------------------ restoring and closing

    def restore(self, target: Path, chosen: Path) -> bool:
        """Put the backup ``chosen`` in place of the data file ``target`` (the current file is kept beside it),
        then open it. False, having said why, when the backup was not restored or did not open."""
        from cohesion_desktop.db import backups

        self.close()
        try:
            kept = backups.restore_backup(target, chosen, label="before-restore")
        except (CohesionError, OSError) as exc:
            log.exception("restore failed")
            self.prompts.error(_("Restore from backup"), _("The backup was not restored: {exc}").format(exc=exc))
            self.open(target, create=False)
            return False
        if not self.open(target, create=False):
            return False
        said = _("Restored {name}.").format(name=chosen.name)
        if kept:
            said += " " + _("The previous file was kept as {name}.").format(name=kept.name)
        self.said.emit(said, 15000)
        return True

    def close(self) -> None:
        """Close the open file (after a backup being made of it), releasing its lock."""
        self.wait_for_backup()
        if self.workspace is not None:
            self.workspace.close()
            self.workspace = None

    # ------------------------------------------------------------------ backups

    def _start_automatic_backup(self) -> None:
        if self.workspace is None or self.workspace.path is None:
            return  # a team database's backups are the server's (IT's pg_dump)
        from cohesion_desktop.db import backups

        path = self.workspace.path
        self._last_backup_at = time.monotonic()
        self.wait_for_backup()
        self._backup_task = start_task(
            lambda _control: backups.make_automatic_backup(path),
            on_success=self._backup_made,
            on_failure=lambda exc: self.said.emit(_("Automatic backup failed: {reason}").format(reason=exc), 15000),
            owner=self,
        )

    def _backup_made(self, made: Path | None) -> None:
        log.info("automatic backup: %s", made)
        self._finish_erasure_if_pending()  # after the backup: a backup being made reads the file and holds the WAL

    def _finish_erasure_if_pending(self) -> None:
        """Try again to wipe what an erasure left in the file because a reader held its WAL (volunteering.erasure).

        In the background, in the automatic backup's place, so that closing the file waits for it as for a backup.
        """
        workspace = self.workspace
        if workspace is None or workspace.path is None:
            return  # a team database's history and wipes are the server's (thinning it is no one laptop's choice)
        if self._backup_task is not None and not self._backup_task.wait(0):
            return  # a backup is still being made: next time
        self._backup_task = start_task(
            lambda _control: _thin_history(workspace) and _finish_erasure(workspace),
            on_success=self._erasure_finished,
            on_failure=lambda exc: log.warning("finishing an erasure failed (%s)", type(exc).__name__),
            owner=self,
        )

    def _erasure_finished(self, finished: bool | None) -> None:
        if finished:
            self.said.emit(_("Finished erasing: no old copy of the erased details is left in the data file."), 30000)

    def wait_for_backup(self) -> None:
        """Let a running automatic backup finish: its file must not be renamed or closed under it."""
        if self._backup_task is not None:
            self._backup_task.wait(timeout=120)
            self._backup_task = None

    def _backup_if_due(self) -> None:
        from cohesion_desktop.db import backups

        store = self.workspace.file_store if self.workspace is not None else None
        if store is None or store.last_commit_at is None or store.last_commit_at < self._last_backup_at:
            return
        if time.monotonic() - self._last_backup_at >= backups.AUTOMATIC_BACKUP_INTERVAL.total_seconds():
            self._start_automatic_backup()


def _modified(path: Path) -> datetime:
    """When a file was last written, in local time (an offline copy's age, as the user reads it)."""
    return datetime.fromtimestamp(path.stat().st_mtime).astimezone()


def void(_answer: object) -> None:
    """For a callback whose answer nobody reads (a background open's: the signals tell)."""


def _thin_history(workspace: Workspace) -> bool:
    """Thin the change history older than the period set in Settings (nothing is written when none is). True."""
    from cohesion_desktop.services import history, settings

    months = workspace.read(settings.get_settings).history_months
    if workspace.read(history.thinning_due, months=months):
        workspace.write(history.thin_history, months=months)
    return True


def _finish_erasure(workspace: Workspace) -> bool | None:
    """None when no erasure was waiting to be finished; True when it is finished now; False when still held up."""
    from cohesion_desktop.services.volunteering import erasure

    if not workspace.read(erasure.erasure_unfinished):
        return None
    return workspace.write(erasure.finish_erasure).value is None
