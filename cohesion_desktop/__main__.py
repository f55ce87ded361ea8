# Absolute import: PyInstaller runs this file as a script, not as part of the package.
import sys

from cohesion_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
