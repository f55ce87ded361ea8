"""The script PyInstaller freezes into ``cohesion-desktop``.

A script of its own rather than ``cohesion_desktop/__main__.py``: PyInstaller puts the script's folder on the
module search path, and from inside the package that would let ``paths``, ``db`` or ``text`` pass for
top-level modules.
"""

import sys

from cohesion_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
