"""What the program says about itself: its version, its licence, what it runs on and its database schema.

Shared by Help → About (ui/about.py) and ``hemgenix-prep --version``; the Qt versions are passed in by the caller
that has Qt loaded, so that this module stays Qt-free.
"""

from __future__ import annotations

from hemgenix_desktop import __version__
from hemgenix_desktop.storage.values import HEAD_REVISION

LICENCE = "Apache-2.0"
PROJECT_URL = "https://hemgenixprep.org/"  # the program's home and its source (pyproject.toml, the AppStream file)


def version_lines(qt_version: str, pyside_version: str) -> list[str]:
    """The program's version, licence, Qt and PySide6 versions and database schema, a line each."""
    return [
        f"Hemgenix Prep {__version__}",
        f"Licence: {LICENCE} (open source; the source: {PROJECT_URL})",
        f"Qt {qt_version}, PySide6 {pyside_version}",
        f"Database schema: {HEAD_REVISION}",
    ]
