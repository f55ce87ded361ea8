"""What pyproject.toml cannot say: ``resources/`` stays at the top of the repository (icons, fonts, vocabularies are
data, not code) but is installed inside the package, as ``cohesion_desktop/resources``, so that a wheel, and the
sdist it is built from, carry it. ``paths.resource_path()`` looks there first.

Everything else about the project is in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["cohesion_desktop", "cohesion_desktop.*"]), "cohesion_desktop.resources"],
    package_dir={"cohesion_desktop.resources": "resources"},
    package_data={"cohesion_desktop.resources": ["**/*"]},
    # Only the data named above: without this, setuptools takes fonts/, icons/ … for packages left out by mistake.
    include_package_data=False,
)
