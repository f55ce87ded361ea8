"""Every page, tab and dialog of the app on one screen size, scale, font and palette: pictures, and problems.

    python -m tests.layout.screens --size 1366x768 --scale 1.5 --font wide --palette dark --out screenshots/

It starts the window as the app does, on the example town, on a virtual screen of that size (Qt's offscreen
platform: no display needed), with the app's font set from a file (so the result never depends on the fonts
the machine has), then shows each page, tab and dialog in turn, saves a PNG of each (with ``--out``), and
checks each with ``tests.layout.inspect``. ``--report FILE`` writes the problems as JSON; the exit code is 0.
``--lang`` walks it in another language: ``cy``, or ``en-XA``, the pseudo-language whose every text is accented and
40% longer (cohesion_desktop/pseudo_language.py), which shows where a translation would be cut short.

Used by ``make screenshots`` (pictures for people to look at) and by ``tests/layout/test_layout.py``.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cohesion_desktop import i18n

TASKBAR_PX = 48  # what a Windows taskbar takes from the bottom of the screen, at 100%
FONTS_DIR = Path(__file__).resolve().parents[1] / "data" / "fonts"
FONTS = {
    "wide": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    "narrow": ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"),
}


def _virtual_screen(width: int, height: int, scale: float, folder: Path) -> None:
    """Qt's offscreen platform on a screen of ``width``×``height`` device pixels, less a taskbar."""
    config = folder / "screen.json"
    config.write_text(
        json.dumps(
            {
                "screens": [
                    {
                        "name": "laptop",
                        "x": 0,
                        "y": 0,
                        "width": width,
                        "height": height - round(TASKBAR_PX * scale),
                        "logicalDpi": 96,
                        "dpr": 1,
                    }
                ],
                "windowFrameMargins": True,
            }
        )
    )
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    os.environ["QT_SCALE_FACTOR"] = f"{scale:g}"
    os.environ.pop("QT_SCREEN_SCALE_FACTORS", None)


def main(argv: list[str] | None = None) -> int:  # noqa: C901 (one walk through the app)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1366x768")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--font", choices=sorted(FONTS), default="wide")
    parser.add_argument("--palette", action="append", choices=("light", "dark", "contrast"))
    parser.add_argument("--out", type=Path, help="folder for the PNGs")
    parser.add_argument("--report", type=Path, help="write the problems found here, as JSON")
    parser.add_argument("--focus", action="store_true", help="also check that each kind of control shows its focus")
    parser.add_argument("--example", type=Path, help="a prepared example data file to copy")
    parser.add_argument("--lang", choices=(*i18n.LANGUAGES, i18n.PSEUDO_LANGUAGE), default=i18n.SOURCE_LANGUAGE)
    args = parser.parse_args(argv)
    width, height = (int(part) for part in args.size.split("x"))
    palettes = args.palette or ["light"]
    work = Path(tempfile.mkdtemp(prefix="cohesion-screens-"))
    atexit.register(shutil.rmtree, work, ignore_errors=True)
    _virtual_screen(width, height, args.scale, work)
    os.environ["COHESION_HOME"] = str(work / "home")

    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QFont, QFontDatabase
    from PySide6.QtWidgets import QApplication, QWidget

    from cohesion_desktop import paths
    from cohesion_desktop.db.store import open_store
    from cohesion_desktop.services import demo
    from cohesion_desktop.ui.app import start_window
    from cohesion_desktop.ui.garbage import MainThreadGarbageCollector
    from cohesion_desktop.ui.prompts import Prompts
    from cohesion_desktop.ui.translation import apply_language
    from tests.layout import inspect
    from tests.layout.palettes import PALETTES

    paths.ensure_app_dirs()
    app = QApplication.instance() or QApplication(["cohesion-screens"])
    app.setStyle("Fusion")
    families = [
        QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(str(FONTS_DIR / name)))
        for name in FONTS[args.font]
    ]
    font = QFont(families[0][0], 10)
    if args.font == "narrow":
        font.setStretch(QFont.Stretch.Condensed)
    app.setFont(font)
    apply_language(args.lang)  # before the window is built: its texts are read as it is
    light = app.palette()
    collector = MainThreadGarbageCollector(app)

    data_file = work / "cohesion.sqlite"
    if args.example is not None:
        shutil.copyfile(args.example, data_file)
    else:
        with open_store(data_file) as store, store.session() as session:
            demo.load_demo(session)
    problems: list[dict[str, str]] = []
    tag = f"{width}x{height}@{round(args.scale * 100)}%-{args.font}"
    if args.lang != i18n.SOURCE_LANGUAGE:
        tag += f"-{args.lang}"

    def settle(seconds: float = 0.05) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()

    window = start_window(data_file, prompts=Prompts())
    sys.excepthook = sys.__excepthook__  # a camera stops at an error; it does not ask anyone about it
    deadline = time.monotonic() + 60
    while window.workspace is None and time.monotonic() < deadline:
        settle()
    assert window.workspace is not None, "the example data file did not open"
    settle(0.3)

    def look(name: str, shown: QWidget, palette_name: str) -> None:
        settle(0.15)
        found = inspect.problems_in(shown)
        if args.focus and palette_name == palettes[0]:
            found += inspect.unseen_focus(shown)
        if shown is window:
            page = window.current_page()
            if page is not None and width <= 1366:  # at 150% too: a record form scrolled sideways there
                found += inspect.sideways_scrolling(page)
        for problem in dict.fromkeys(found):
            problems.append({"screen": name, "palette": palette_name, "where": tag, "problem": problem})
        if args.out is not None:
            args.out.mkdir(parents=True, exist_ok=True)
            shown.grab().save(str(args.out / f"{tag}-{palette_name}-{name}.png"))

    def dialog_of(open_it: Callable[[], object], name: str, palette_name: str) -> None:
        """Open a dialog as the app does, look at it once it shows, close it."""
        seen: list[str] = []

        def poll() -> None:
            dialog = QApplication.activeModalWidget()
            if dialog is None:
                return
            timer.stop()
            look(name, dialog, palette_name)
            seen.append(name)
            dialog.close()

        timer = QTimer()
        timer.timeout.connect(poll)
        timer.start(30)
        open_it()
        waited = time.monotonic() + 10  # a dialog opened by a background task arrives later
        while not seen and time.monotonic() < waited:
            settle(0.05)
        timer.stop()
        settle(0.1)
        if not seen:
            problems.append(
                {"screen": name, "palette": palette_name, "where": tag, "problem": "the dialog did not open"}
            )

    from tests.layout.tour import tour

    for palette_name in palettes:
        app.setPalette(PALETTES[palette_name]() if palette_name in PALETTES else light)
        settle(0.2)
        tour(
            window,
            look=lambda name, shown, p=palette_name: look(name, shown, p),
            dialog=lambda open_it, name, p=palette_name: dialog_of(open_it, name, p),
            settle=settle,
        )
    window.close()
    collector.stop()
    if args.report is not None:
        args.report.write_text(json.dumps(problems, indent=1, ensure_ascii=False), encoding="utf-8")
    for problem in problems:
        print(f"{problem['where']} {problem['palette']} {problem['screen']}: {problem['problem']}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    try:
        code = main()
    except SystemExit as done:  # --help, or arguments it cannot use: argparse has said why
        code = done.code if isinstance(done.code, int) else 2
    except BaseException:  # noqa: BLE001 - Qt's loop must not outlive the error
        import traceback

        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    os._exit(code)
