"""Errors of the storage layer. Each carries the sentence shown to the user, like the domain's errors.

Those the user can correct (a wrong URL, an unknown preparation, a closed record) are ``InvalidInput``
(exit code 2 on the command line); a database that cannot be reached or written is a ``StorageError``
(exit code 1).
"""

from __future__ import annotations

from hemgenix_desktop.domain.errors import InvalidInput


class StorageError(Exception):
    """The database cannot be opened, migrated, read or written. ``message`` is the sentence for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UnusableDatabaseError(StorageError):
    """The database given is not one Hemgenix Prep can use as it is: not a database file (a folder, a device, a
    named pipe, another kind of file), damaged or truncated, another program's, written by a newer version, in
    memory (nothing would be kept) or a file named without its full path. Trying again does not help; another
    database must be given or this one restored (exit code 2 on the command line)."""


def damaged(url: str, reason: str) -> UnusableDatabaseError:
    """The sentence for a database that SQLite (or PostgreSQL) finds damaged while reading it."""
    return UnusableDatabaseError(
        f"The database {url} is damaged or is not a Hemgenix Prep database ({reason}), so nothing was read or "
        "changed. Give the pharmacy's database with --db, or restore this one from its last backup (call IT support)."
    )


class InvalidDatabaseURL(InvalidInput):
    """The database URL cannot be understood."""


class PreparationNotFound(InvalidInput):
    """No preparation has this id."""


class PreparationClosed(InvalidInput):
    """The preparation is signed, sealed or voided and cannot take this change."""


class AmendmentNotFound(InvalidInput):
    """No correction (amendment) has this id."""


class WrongStoreForPreparation(InvalidInput):
    """A practice preparation offered to the real records, or a real one to the practice store."""


class UserNotFound(InvalidInput):
    """No user has this username."""


class UserAlreadyExists(InvalidInput):
    """The username is taken."""


class UserNotActive(InvalidInput):
    """The account is disabled, so it may not save, sign or change anything."""


class AlreadySealed(PreparationClosed):
    """Sealing found the preparation sealed already (at another workstation, a moment before): nothing of this
    sealing was kept; the record kept is the other one."""


class StaleDraft(InvalidInput):
    """A draft save made on an older row version: another workstation saved the draft in between. Nothing was
    saved; ``version`` is the version in the database now, saved by ``updated_by`` at ``workstation``."""

    def __init__(self, message: str, *, version: int, updated_by: str, updated_by_name: str, workstation: str) -> None:
        super().__init__(message)
        self.version = version
        self.updated_by = updated_by
        self.updated_by_name = updated_by_name
        self.workstation = workstation
