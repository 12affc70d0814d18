"""Every file and folder the program writes, owner-only and whole; every file it reads that a user names, bounded.

Record and label PDFs hold a patient's name, date of birth and MRN; the settings file may hold a database
password; the site key signs records. So whatever the umask, whatever the database:

* :func:`private_folder` makes a folder (and the parents it has to make) readable by its owner only (0700);
* :func:`write_private` writes a file whole or not at all: a temporary file beside it, created 0600, written,
  flushed to the disk, then renamed over the name (and the folder flushed, so the rename survives a power cut);
  a full disk or any other error leaves the old file (or no file) and never a part of the new one;
* :func:`write_partial` and :func:`place` do the same in two steps, for a caller that writes several files before
  any of them takes its name (a reprint: both PDFs, then the audit event, then the names);
* :func:`read_regular_file` reads a file a user named only when it is a regular file of at most a given size, so a
  device (``/dev/zero``), a named pipe or a huge file gives a sentence instead of a hang.

Only the standard library: every layer may use it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


class UnreadableFileError(Exception):
    """A file a user named cannot be read as one: not there, not a regular file, too big. ``message`` is the
    sentence (what is wrong and what to do)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def private_folder(folder: Path, *, own: bool = False) -> Path:
    """Make ``folder`` (and any missing parent) with mode 0700 whatever the umask. ``own``: the folder is the
    program's own (the data folder, ``records/``): an existing one is made 0700 too. A folder the user chose
    that exists already is left as it is. Raises ``OSError``."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    for made in missing:  # mkdir's mode is filtered by the umask (and parents get the default mode)
        with contextlib.suppress(FileNotFoundError):
            os.chmod(made, FOLDER_MODE)
    if own and stat.S_IMODE(folder.stat().st_mode) != FOLDER_MODE:
        os.chmod(folder, FOLDER_MODE)
    return folder


def partial_name(path: Path) -> Path:
    """Where ``path`` is written before it takes its name: ``.<name>.partial`` beside it (one name, so that the
    next save replaces what a killed one left)."""
    return path.with_name(f".{path.name}.partial")


def _owner_only(path: str, flags: int) -> int:
    """``open``'s opener: the file is created 0600 and a symbolic link in its place is not followed."""
    return os.open(path, flags | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)


def write_partial(data: bytes, path: Path, *, exclusive: bool = True) -> Path:
    """``data`` written whole, owner-only and flushed to the disk into :func:`partial_name` beside ``path``;
    returns that file (give it its name with :func:`place`). ``exclusive``: a file left there already raises
    ``FileExistsError`` (else it is replaced). Nothing is left behind when it fails. Raises ``OSError``."""
    temporary = partial_name(path)
    try:
        with open(temporary, "xb" if exclusive else "wb", opener=_owner_only) as handle:
            if hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), FILE_MODE)  # the mode given to os.open is filtered by the umask
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return temporary


def place(temporary: Path, path: Path) -> Path:
    """Give a file made by :func:`write_partial` its name (atomically replacing any file of that name), and flush
    the folder so the rename is on the disk too. Raises ``OSError``."""
    os.replace(temporary, path)
    _sync_folder(path.parent)
    return path


def write_private(path: Path, data: bytes | str, *, folder_is_ours: bool = False) -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` owner-only (0600), whole or not at all; the folder is made 0700
    when missing (``folder_is_ours``: made 0700 even when it exists). Raises ``OSError``."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    private_folder(path.parent, own=folder_is_ours)
    temporary = write_partial(payload, path, exclusive=False)
    try:
        return place(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every system lets a folder be opened and flushed
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def read_regular_file(path: Path, limit: int, what: str = "file") -> bytes:
    """The bytes of ``path`` when it is a regular file of at most ``limit`` bytes. A device, a named pipe or a
    bigger file raises :class:`UnreadableFileError` with its sentence; a folder, a file that is not there or may not
    be read, ``OSError`` (the caller's own wording). Opening never waits (a named pipe with no writer would
    otherwise block)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
    except BaseException:
        os.close(fd)
        raise
    if stat.S_ISDIR(info.st_mode):
        os.close(fd)
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise UnreadableFileError(
            f"{path} is {_kind(info.st_mode)}, not a regular file. Give the {what} itself, a file saved on disk."
        )
    if info.st_size > limit:
        os.close(fd)
        raise UnreadableFileError(_too_big(path, what, limit))
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:  # it grew while it was read
        raise UnreadableFileError(_too_big(path, what, limit))
    return data


def _too_big(path: Path, what: str, limit: int) -> str:
    return (
        f"{path} is bigger than {_size(limit)}, far more than any {what} Hemgenix Prep makes, so it "
        "was not read. Check that it is the right file."
    )


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit} bytes"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


__all__ = [
    "FILE_MODE",
    "FOLDER_MODE",
    "UnreadableFileError",
    "partial_name",
    "place",
    "private_folder",
    "read_regular_file",
    "write_partial",
    "write_private",
]
