"""Where the program keeps its data and which settings it runs with.

Small on purpose: the data folder (platformdirs), the database URL (``--db URL``, else the environment
variable ``HEMGENIX_DB_URL``, else a SQLite file in the data folder), the workstation's and the site's names,
and the sign-in and idle-lock numbers. Each comes from the command line (``--db``), else its environment
variable, else the site's settings file (:mod:`hemgenix_desktop.settings`), else the default. Only the standard
library and platformdirs are imported here, so every layer may import it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from hemgenix_desktop.domain.errors import InvalidInput

APP_NAME = "hemgenix-prep"
DB_FILE_NAME = "hemgenix-prep.sqlite3"

ENV_DB_URL = "HEMGENIX_DB_URL"
ENV_WORKSTATION = "HEMGENIX_WORKSTATION"
ENV_SITE = "HEMGENIX_SITE"
DEFAULT_SITE_NAME = "Hemgenix Prep site"
ENV_LOCKOUT_ATTEMPTS = "HEMGENIX_LOCKOUT_ATTEMPTS"
ENV_LOCKOUT_MINUTES = "HEMGENIX_LOCKOUT_MINUTES"
ENV_IDLE_LOCK_MINUTES = "HEMGENIX_IDLE_LOCK_MINUTES"


def data_dir() -> Path:
    """The user's data folder for Hemgenix Prep (not created here)."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def default_db_url() -> str:
    """A SQLite file in the user's data folder."""
    return f"sqlite:///{data_dir() / DB_FILE_NAME}"


def resolve_db_url(cli_value: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The database URL: ``--db`` first, then ``HEMGENIX_DB_URL``, then the settings file's ``database_url``,
    then the default SQLite file. An unusable ``database_url`` in the settings file (or a settings file that
    cannot be read) raises :class:`hemgenix_desktop.settings.DatabaseSettingUnusable` (an ``InvalidInput``)
    with a sentence: the default is never used in place of a database the site named."""
    env = os.environ if environ is None else environ
    if cli_value is not None and cli_value.strip():
        return cli_value.strip()
    from_env = env.get(ENV_DB_URL, "").strip()
    if from_env:
        return from_env
    from hemgenix_desktop.settings import file_database_url

    return file_database_url(env) or default_db_url()


def host_name() -> str:
    """The computer's host name (what ``socket.gethostname`` gives, without loading the socket module)."""
    uname = getattr(os, "uname", None)
    if uname is not None:
        return str(uname().nodename)
    import socket  # pragma: no cover - Windows

    return socket.gethostname()


def workstation_name(environ: Mapping[str, str] | None = None) -> str:
    """This workstation's name in the records: ``HEMGENIX_WORKSTATION``, else the settings file's
    ``workstation_name``, else the computer's host name."""
    env = os.environ if environ is None else environ
    return (
        env.get(ENV_WORKSTATION, "").strip()
        or str(_file_value("workstation_name", env) or "")
        or host_name()
        or "unknown workstation"
    )


def site_name(environ: Mapping[str, str] | None = None) -> str:
    """The pharmacy's name on every record (and in a new site certificate): ``HEMGENIX_SITE``, else the settings
    file's ``site_name``, else a generic name that says the site has not named itself."""
    env = os.environ if environ is None else environ
    return " ".join(env.get(ENV_SITE, "").split()) or str(_file_value("site_name", env) or "") or DEFAULT_SITE_NAME


def _file_value(key: str, env: Mapping[str, str]) -> str | int | None:
    """The settings file's usable value for one setting, or None (a bad value is ignored here; the
    Settings dialog and ``hemgenix-prep settings show`` report it)."""
    from hemgenix_desktop.settings import file_value

    return file_value(key, env)


@dataclass(frozen=True)
class Settings:
    """Numbers a site may change. Defaults: 5 failed sign-ins lock an account for 15 minutes; the screen
    locks after 5 minutes without input. :meth:`from_env` takes each from its environment variable, else the
    settings file, else these defaults."""

    lockout_attempts: int = 5
    lockout_minutes: int = 15
    idle_lock_minutes: int = 5

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        from hemgenix_desktop.settings import setting_field

        env = os.environ if environ is None else environ
        numbers: dict[str, int] = {}
        for key in ("lockout_attempts", "lockout_minutes", "idle_lock_minutes"):
            spec = setting_field(key)  # the limits live there, once
            fallback = _file_value(key, env)
            default = fallback if isinstance(fallback, int) else int(spec.default)
            assert spec.minimum is not None, key
            assert spec.maximum is not None, key
            source = "the settings file's value" if isinstance(fallback, int) else "the default"
            numbers[key] = _whole_number(env, spec.env, default, spec.minimum, spec.maximum, source)
        return cls(**numbers)


def _whole_number(
    env: Mapping[str, str], name: str, default: int, low: int, high: int, source: str = "the default"
) -> int:
    text = env.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise InvalidInput(
            f"The setting {name} is “{text}”, which is not a whole number from {low} to {high}. "
            f"Correct it or remove it to use {source} of {default}."
        )
    return int(text)
