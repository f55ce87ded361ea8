"""What pyproject.toml cannot say: ``resources/`` stays at the top of the repository (icons, fonts, vocabularies are
data, not code) but is installed inside the package, as ``cohesion_desktop/resources``, so that a wheel, and the
sdist it is built from, carry it. ``paths.resource_path()`` looks there first.

The message catalogues (``resources/locale/<language>/LC_MESSAGES/cohesion.po``) are compiled into ``.mo`` files
beside them in the build, so that an installed app reads them without compiling anything (Babel is a build
requirement, pyproject.toml).

Everything else about the project is in pyproject.toml.
"""

from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py


class BuildWithCatalogues(build_py):
    """build_py, then every ``.po`` under resources/locale compiled to its ``.mo`` in the build (fuzzy entries left
    out, as msgfmt does). The same steps as ``cohesion_desktop.i18n.compile_catalogue``, written out here because a
    build must not import the package it builds."""

    def run(self) -> None:
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        built = Path(self.build_lib, "cohesion_desktop", "resources", "locale")
        for source in sorted(Path("resources", "locale").glob("*/LC_MESSAGES/*.po")):
            target = built / source.relative_to(Path("resources", "locale")).with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with source.open("rb") as stream:
                catalogue = read_po(stream)
            with target.open("wb") as out:
                write_mo(out, catalogue)


setup(
    cmdclass={"build_py": BuildWithCatalogues},
    packages=[*find_packages(include=["cohesion_desktop", "cohesion_desktop.*"]), "cohesion_desktop.resources"],
    package_dir={"cohesion_desktop.resources": "resources"},
    package_data={"cohesion_desktop.resources": ["**/*"]},
    # Only the data named above: without this, setuptools takes fonts/, icons/ … for packages left out by mistake.
    include_package_data=False,
)
