"""Practice mode's throwaway data folder: its records and its own site key, never the site's.

A practice session signs its records with a key made for it in a new temporary folder, kept in the clear (it
protects nothing) and marked as a practice key, so that neither the site's token nor the site's key file nor its
passphrase is ever asked for or touched. Light on purpose (no cryptography): the workstation makes the folder when
the practice database opens; the program removes it when it ends (``ui.app``, and at exit what is left).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

FOLDER = "site-signing"  # the site certificate's folder inside a data folder
PRACTICE_FILE = "practice-throwaway"  # in a practice folder's site-signing folder only


# The site-signing folders this process made for practice. Only they are practice folders: a file alone never makes
# one so (someone who dropped a marker into the site's own folder would otherwise turn off its token and its
# passphrase); the file below only tells a person what the folder is.
_MADE: set[Path] = set()


def practice_data_folder() -> Path:
    """A new owner-only temporary data folder for one practice session, its site-signing folder marked practice."""
    folder = Path(tempfile.mkdtemp(prefix="hemgenix-practice-"))
    signing = folder / FOLDER
    signing.mkdir(mode=0o700)
    (signing / PRACTICE_FILE).write_text("A practice session's throwaway signing key: it signs nothing real.\n")
    if not _MADE:
        atexit.register(remove_practice_folders)  # what the end of the program did not remove (ui.app removes it)
    _MADE.add(signing.absolute())
    return folder


def remove_practice_folder(folder: Path) -> bool:
    """Remove ``folder`` with its throwaway key and practice records when it is a practice data folder this process
    made (:func:`practice_data_folder`); any other folder (the real data folder) is never touched. True when removed."""
    signing = (folder / FOLDER).absolute()
    if signing not in _MADE:
        return False
    shutil.rmtree(folder, ignore_errors=True)
    _MADE.discard(signing)
    return not folder.exists()


def remove_practice_folders() -> None:
    """Every practice data folder this process made and has not removed yet (at the program's end)."""
    for signing in list(_MADE):
        remove_practice_folder(signing.parent)


def is_practice_signing_folder(signing_folder: Path) -> bool:
    """The site-signing folder of a practice session's throwaway data folder, made by this process."""
    return signing_folder.absolute() in _MADE


__all__ = [
    "FOLDER",
    "PRACTICE_FILE",
    "is_practice_signing_folder",
    "practice_data_folder",
    "remove_practice_folder",
    "remove_practice_folders",
]
