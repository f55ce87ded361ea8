"""Starting the window: the QApplication, the last-resort error handler, and the offscreen self-test."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from cohesion_desktop import APP_NAME, __version__, paths
from cohesion_desktop.errors import CohesionError
from cohesion_desktop.i18n import _
from cohesion_desktop.logging_setup import log_file, peak_memory_mb
from cohesion_desktop.ui.app_settings import AppSettings
from cohesion_desktop.ui.garbage import MainThreadGarbageCollector
from cohesion_desktop.ui.main_window import MainWindow
from cohesion_desktop.ui.prompts import Prompts
from cohesion_desktop.ui.translation import LANGUAGE_KEY, apply_language, starting_language

log = logging.getLogger(__name__)


class HeadlessPrompts(Prompts):
    """For ``--self-test``: nobody is there to answer, so print and take the safe answer (no)."""

    def _say(self, title: str, text: str) -> None:
        print(f"{title}: {text}", file=sys.stderr)

    def info(self, title: str, text: str) -> None:
        self._say(title, text)

    warning = error = info

    def confirm(self, title: str, text: str, **_labels: str | None) -> bool:
        self._say(title, text)
        return False

    def choose(self, title: str, text: str, options: Sequence[str], **_labels: str | None) -> int | None:
        self._say(title, text)
        return None

    def ask_text(self, *_args: object, **_kwargs: object) -> None:
        return None

    def open_path(self, *_args: object, **_kwargs: object) -> None:
        return None

    def save_path(self, *_args: object, **_kwargs: object) -> None:
        return None


def install_error_handler(prompts: Prompts) -> None:
    """An unexpected error is logged in full and shown in plain words; the app keeps running."""

    def handle(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        log.error("unexpected error", exc_info=(kind, error, trace))  # written without its message (logging_setup)
        try:
            from cohesion_desktop.db.store import plain_storage_error

            plain = plain_storage_error(error)  # a full disk or temporary folder: its own words, not SQLite's
            if plain is not None:
                prompts.error(_("Could not finish"), str(plain))
                return
            prompts.error(
                _("Something went wrong"),
                _(
                    "{error}\n\nWhat you were doing may not have finished. Changes that were shown as saved are "
                    "stored. The details were written to {log_file}."
                ).format(error=error, log_file=log_file()),
            )
        except Exception:  # noqa: BLE001 - a broken dialog must not recurse into this handler
            log.exception("could not show the error")

    sys.excepthook = handle


def _self_test(window: MainWindow) -> int:
    """Every page can be shown on the open file; returns the exit code."""
    if window.workspace is None:
        print("Self-test failed: the data file did not open.", file=sys.stderr)
        return 1
    for key in window.pages:  # those the account may see (a facilitator has no Volunteers page)
        try:
            window.pages[key]  # made here, not by navigate, which would say why in a dialog nobody can close
        except Exception as exc:  # noqa: BLE001 - whatever stops a page is the answer
            print(f"Self-test failed: the {key} page could not be made: {exc}", file=sys.stderr)
            return 1
        window.navigate(key)
        QApplication.processEvents()
        if window.current_page() is not window.pages[key]:
            print(f"Self-test failed: the {key} page did not open.", file=sys.stderr)
            return 1
    # A bundle that lost its resources/ would otherwise fail only at the first PDF (the vocabularies are
    # read, and so checked, whenever a new data file is made).
    from cohesion_desktop.export.pdf_text import register_all_fonts

    try:
        register_all_fonts()
    except CohesionError as exc:
        print(f"Self-test failed: {exc}", file=sys.stderr)
        return 1
    print(
        f"Self-test passed: {APP_NAME} {__version__}, {len(window.pages)} pages on {window.workspace.where}, "
        f"fonts from {paths.resource_path('fonts')}"
    )
    return 0


def _bench_mark(name: str) -> None:
    """For ``make bench``: when the window appeared / the data was ready, as wall-clock seconds."""
    if os.environ.get("COHESION_BENCH"):
        print(f"bench-{name} {time.time():.6f}", flush=True)


def _wait_for_file(window: MainWindow, timeout_s: float) -> bool:
    """Run the event loop until the background open finished (True when a file is open)."""
    loop = QEventLoop()
    window.data_file_opened.connect(loop.quit)
    window.data_file_failed.connect(loop.quit)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    if window.workspace is None and not window.open_failed:
        loop.exec()
    return window.workspace is not None


def start_window(data_file: Path | str, *, prompts: Prompts, settings: AppSettings | None = None) -> MainWindow:
    """The window as ``cohesion-desktop`` shows it: shown and painted at once, ``data_file`` opening in the
    background, every unexpected error logged and told to the user through ``prompts``.

    The journey tests start the window through here too, so that they drive what users get."""
    window = MainWindow(prompts=prompts, settings=settings or AppSettings())
    prompts.parent = window
    install_error_handler(prompts)
    if window.opens_maximised:
        window.showMaximized()
    else:
        window.show()
    QApplication.processEvents()  # painted before anything slow starts
    window.install_conventions()  # after the first paint, before any key or dialog (see install_conventions)
    _bench_mark("shown")
    window.data_file_opened.connect(lambda _path: _bench_mark("ready"))
    window.open_data_file(data_file, background=True)
    return window


def run_gui(data_file: Path | str, *, self_test: bool = False, language: str | None = None) -> int:
    """Show the main window at once, then open ``data_file`` (or a team database's address) in the background;
    returns the exit code.

    ``language`` (``--lang``) is spoken for this run; without it, the one chosen in Settings, else the system's."""
    if self_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)  # the window's, whoever made it
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    icon = paths.resource_path("icons", "cohesion-desktop.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    collector = MainThreadGarbageCollector(app)  # before any background task can start
    settings = AppSettings()
    apply_language(starting_language(settings.value(LANGUAGE_KEY), language))
    window = start_window(data_file, prompts=HeadlessPrompts() if self_test else Prompts(), settings=settings)
    if self_test:
        opened = _wait_for_file(window, timeout_s=300)
        code = _self_test(window) if opened else _self_test_failed()
        peak = peak_memory_mb()
        if os.environ.get("COHESION_BENCH") and peak is not None:
            print(f"bench-peak-mb {peak:.1f}", flush=True)
        window.close()
        collector.stop()
        return code
    QTimer.singleShot(0, window.raise_)
    code = app.exec()
    collector.stop()
    return code


def _self_test_failed() -> int:
    print("Self-test failed: the data file did not open.", file=sys.stderr)
    return 1
