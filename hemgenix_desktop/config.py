"""Where the program keeps its data and which settings it runs with, for every layer.

The data folder (platformdirs), the database URL (``--db URL``, else the environment variable
``HEMGENIX_DB_URL``, else the settings file's ``database_url``, else a SQLite file in the data folder), the
workstation's and the site's names, and the sign-in and idle-lock numbers. Every value comes from the one
resolver, :func:`hemgenix_desktop.settings.resolve_setting` (command line, else environment, else settings file,
else default), checked by the one rule of :mod:`hemgenix_desktop.setting_table`: so the records, ``settings show``
and the Settings dialog get the same value, and a value that cannot be used never reaches a record.
"""

from __future__ import annotations

import getpass
import importlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.setting_table import (
    APP_NAME,
    DB_FILE_NAME,
    DEFAULT_SITE_NAME,
    ENV_CHECKPOINT_DIR,
    ENV_DATABASE_ID,
    ENV_DB_URL,
    ENV_IDLE_LOCK_MINUTES,
    ENV_LOCKOUT_ATTEMPTS,
    ENV_LOCKOUT_MINUTES,
    ENV_SITE,
    ENV_WORKSTATION,
    SITE_FLOORS,
    data_dir,
    default_db_url,
    host_name,
    setting_field,
)
from hemgenix_desktop.settings import SOURCE_FILE, DatabaseSettingUnusable, resolve_setting

__all__ = [
    "APP_NAME",
    "DB_FILE_NAME",
    "DEFAULT_SITE_NAME",
    "ENV_CHECKPOINT_DIR",
    "ENV_DATABASE_ID",
    "ENV_DB_URL",
    "ENV_IDLE_LOCK_MINUTES",
    "ENV_LOCKOUT_ATTEMPTS",
    "ENV_LOCKOUT_MINUTES",
    "ENV_SITE",
    "ENV_WORKSTATION",
    "Settings",
    "checkpoint_dir",
    "data_dir",
    "database_sslmode",
    "default_db_url",
    "host_name",
    "resolve_db_url",
    "site_database_id",
    "site_name",
    "timestamp_url",
    "workstation_name",
]


def resolve_db_url(cli_value: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The database URL: ``--db`` first, then ``HEMGENIX_DB_URL``, then the settings file's ``database_url``,
    then the default SQLite file. ``HEMGENIX_DB_URL`` is checked exactly as the file's value is (one line, at most
    500 characters, a database URL, a SQLite file with its full path and never in memory); an unusable one, an
    unusable ``database_url`` in the settings file, or a settings file that cannot be read, raises
    :class:`hemgenix_desktop.settings.DatabaseSettingUnusable` (an ``InvalidInput``) with a sentence: the default
    is never used in place of a database the site named. A URL given on the command line is opened as given (the
    storage layer's rule, ``Database.open``, then says what is wrong with it)."""
    if cli_value is not None and cli_value.strip():
        return cli_value.strip()
    resolved = resolve_setting("database_url", environ=environ)
    if resolved.database_problem is not None:
        raise DatabaseSettingUnusable(resolved.database_problem)
    return str(resolved.value)


def workstation_name(environ: Mapping[str, str] | None = None) -> str:
    """This workstation's name in the records: ``HEMGENIX_WORKSTATION``, else the settings file's
    ``workstation_name``, else the computer's host name. A value that breaks the rule (too long, a control
    character) is never used: the next source's value is, and the resolver's sentence says so."""
    return str(resolve_setting("workstation_name", environ=environ).value)


def _beyond_floor(key: str, text: str) -> bool:
    """True when ``text`` is a usable number that only relaxes a site floor (refused, but not a mistake)."""
    spec, typed = setting_field(key), text.strip()
    if key not in SITE_FLOORS or not typed.isdigit():
        return False
    value = int(typed)
    return SITE_FLOORS[key] < value and (spec.minimum or 0) <= value <= (spec.maximum or value)


_MAX_OS_ACCOUNT = 64


def os_account() -> str:
    """The operating-system account this program runs under, for the audit trail beside the person signed in: the
    account of the process's user ID (not the environment's USER, which anyone can set), else ``getpass``'s name,
    else "unknown". Never fails: a name that is not one printable line of at most 64 characters is "unknown"."""
    name = ""
    try:
        name = importlib.import_module("pwd").getpwuid(os.getuid()).pw_name  # pwd: not on Windows
    except (ImportError, KeyError, OSError, AttributeError):
        try:
            name = getpass.getuser()
        except (KeyError, OSError, ImportError):
            name = ""
    if not name or not name.isprintable() or len(name) > _MAX_OS_ACCOUNT:
        return "unknown"
    return name


def site_name(environ: Mapping[str, str] | None = None) -> str:
    """The pharmacy's name on every record (and in a new site certificate): ``HEMGENIX_SITE``, else the settings
    file's ``site_name``, else a generic name that says the site has not named itself."""
    return str(resolve_setting("site_name", environ=environ).value)


def checkpoint_dir(environ: Mapping[str, str] | None = None) -> Path | None:
    """The folder a signed checkpoint of the audit chain is written to after each seal (issue 15): meant for
    write-once storage the workstation's users cannot change (a WORM share, an object store with retention).
    The setting ``checkpoint_dir`` (``HEMGENIX_CHECKPOINT_DIR``, else the settings file); None (no checkpoints
    written) when it is not set."""
    value = str(resolve_setting("checkpoint_dir", environ=environ).value)
    return Path(value).expanduser() if value else None


def site_database_id(environ: Mapping[str, str] | None = None) -> str | None:
    """The ID of the database this site uses (``audit verify`` prints it; its first event names it): the setting
    ``database_id`` (``HEMGENIX_DATABASE_ID``, else the settings file). When set, ``verify`` reports a record sealed
    in another database as such."""
    return str(resolve_setting("database_id", environ=environ).value) or None


def database_sslmode(environ: Mapping[str, str] | None = None) -> str | None:
    """libpq's ``sslmode`` for a PostgreSQL database (the setting ``database_sslmode``), or None: the URL's own, else
    the driver's default."""
    return str(resolve_setting("database_sslmode", environ=environ).value) or None


def timestamp_url(environ: Mapping[str, str] | None = None) -> str | None:
    """The site's RFC 3161 timestamp authority (the setting ``timestamp_url``), or None: signatures carry no
    timestamp."""
    return str(resolve_setting("timestamp_url", environ=environ).value) or None


@dataclass(frozen=True)
class Settings:
    """Numbers a site may change. Defaults: 5 failed sign-ins lock an account for 15 minutes; the screen
    locks after 5 minutes without input. :meth:`from_env` takes each from its environment variable, else the
    settings file, else these defaults."""

    lockout_attempts: int = 5
    lockout_minutes: int = 15
    idle_lock_minutes: int = 5
    password_max_days: int = 0
    password_history: int = 5

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The numbers in use. Unlike the other settings, a sign-in or lock number in the environment that
        cannot be used stops the program with a sentence (raises :class:`InvalidInput`): a mistyped lockout must
        not quietly become a weaker one. A number beyond a site floor is not used either, but the program goes on
        with the stronger one of the file (the start records the refusal: ``services/environment.py``)."""
        numbers: dict[str, int] = {}
        for key in (
            "lockout_attempts",
            "lockout_minutes",
            "idle_lock_minutes",
            "password_max_days",
            "password_history",
        ):
            resolved = resolve_setting(key, environ=environ)
            if resolved.refused is not None and not _beyond_floor(key, resolved.refused[1]):
                spec = setting_field(key)
                source = "the settings file's value" if resolved.source == SOURCE_FILE else "the default"
                raise InvalidInput(
                    f"The setting {spec.env} is “{resolved.refused[1].strip()}”, which is not a whole number from "
                    f"{spec.minimum} to {spec.maximum}. Correct it or remove it to use {source} of {resolved.value}."
                )
            numbers[key] = int(resolved.value)
        return cls(**numbers)
