"""The one resource locator.

Data that the label, the payer or the site defines (kits, checklist, thresholds, icons, translations)
lives in the project's ``resources/`` folder. This module finds that folder wherever the program runs:

* an installed wheel: ``hemgenix_desktop/resources/`` inside the package (the wheel build maps it there);
* a frozen (PyInstaller) build: the same relative path under the bundle folder;
* a source checkout: ``resources/`` beside the ``hemgenix_desktop`` package.

Only the standard library is used, so every layer may import it.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

_ENV_OVERRIDE = "HEMGENIX_RESOURCES"


class ResourceNotFoundError(FileNotFoundError):
    """A resource the program needs is missing from its installation."""


@cache
def resources_dir() -> Path:
    """Return the folder that holds the program's data files."""
    override = os.environ.get(_ENV_OVERRIDE)
    candidates: list[Path] = []
    if override:
        candidates.append(Path(override))
    package_dir = Path(__file__).resolve().parent
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "hemgenix_desktop" / "resources")
    candidates.append(package_dir / "resources")
    candidates.append(package_dir.parent / "resources")
    for candidate in candidates:
        if (candidate / "kits.csv").is_file():
            return candidate
    searched = ", ".join(str(c) for c in candidates)
    raise ResourceNotFoundError(
        f"The program's data files are missing (looked in {searched}). Reinstall Hemgenix Prep."
    )


def resource_path(*parts: str) -> Path:
    """Return the path of one resource file, failing with a sentence if it is missing."""
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise ResourceNotFoundError(
            f"The data file {'/'.join(parts)} is missing from {resources_dir()}. Reinstall Hemgenix Prep."
        )
    return path
