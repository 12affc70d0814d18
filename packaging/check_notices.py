"""Checks a built folder: every distribution it carries has its licence text in THIRD-PARTY-NOTICES.txt.

    python packaging/check_notices.py dist/hemgenix-prep

What the folder carries is read from the folder itself, not from the list the notices were made from: the
modules in the program's archive (PyInstaller's PYZ inside the executable) and the packages and extension modules
in ``_internal/``, each mapped to the installed distribution it comes from. Python itself and PyInstaller (its
bootloader is the executable) must have their entries too. Exit 0 when every one has a licence text, 1 with a
sentence naming each that has none.
"""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hemgenix_desktop.third_party import NOTICES_FILE, OWN_DISTRIBUTION, covered  # noqa: E402


def archived_modules(executable: Path) -> set[str]:
    """Top-level names of the modules in the executable's PYZ archive."""
    from PyInstaller.archive.readers import CArchiveReader

    archive = CArchiveReader(str(executable))
    names: set[str] = set()
    for entry in archive.toc:
        if entry.lower().endswith(".pyz") or entry.startswith("PYZ"):
            names |= {name.split(".")[0] for name in archive.open_embedded_archive(entry).toc}
    return names


def folder_modules(internal: Path) -> set[str]:
    """Top-level packages and extension modules in the folder's ``_internal/``."""
    names = set()
    for path in internal.iterdir():
        if path.is_dir() and not path.name.endswith((".dist-info", ".egg-info")):
            names.add(path.name)
        elif path.suffix == ".so" and not path.name.startswith("lib"):
            names.add(path.name.split(".")[0])
    return names


def bundled_distributions(folder: Path) -> set[str]:
    """The installed distributions the folder carries code of (canonical names), the program's own left out."""
    executable = folder / "hemgenix-prep"
    modules = folder_modules(folder / "_internal")
    if executable.is_file():
        modules |= archived_modules(executable)
    owners = metadata.packages_distributions()
    found = {canonicalize_name(dist) for name in modules for dist in owners.get(name, [])}
    return found - {canonicalize_name(OWN_DISTRIBUTION)}


def missing_notices(folder: Path) -> list[str]:
    notices_path = folder / NOTICES_FILE
    if not notices_path.is_file():
        return [f"{folder} has no {NOTICES_FILE}: the build must make it (packaging/hemgenix_desktop.spec)."]
    have = covered(notices_path.read_text(encoding="utf-8"))
    needed = (
        bundled_distributions(folder)
        | {"python"}
        | ({"pyinstaller"} if (folder / "hemgenix-prep").is_file() else set())
    )
    return [
        f"{name} is in {folder} but has no licence text in {NOTICES_FILE}: make the notices again "
        "(packaging/build.sh), or name a standard text for it in resources/licences/standard-texts.toml."
        for name in sorted(needed - have)
    ]


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        sys.stderr.write("Use: python packaging/check_notices.py BUILT-FOLDER (e.g. dist/hemgenix-prep)\n")
        return 2
    folder = Path(argv[0])
    problems = missing_notices(folder)
    for problem in problems:
        sys.stderr.write(f"{problem}\n")
    if problems:
        return 1
    count = len(bundled_distributions(folder))
    print(
        f"Third-party notices: all {count} distributions in {folder}, Python and PyInstaller have their licence text."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
