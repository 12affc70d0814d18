"""Where the program keeps its data and which settings it runs with.

Small on purpose: the data folder (platformdirs), the database URL (``--db URL``, else the environment
variable ``HEMGENIX_DB_URL``, else a SQLite file in the data folder), the workstation's name, and the
sign-in and idle-lock numbers a site may change through the environment. Only the standard library and
platformdirs are used, so every layer may import it.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from hemgenix_desktop.domain.errors import InvalidInput

APP_NAME = "hemgenix-prep"
DB_FILE_NAME = "hemgenix-prep.sqlite3"

ENV_DB_URL = "HEMGENIX_DB_URL"
ENV_WORKSTATION = "HEMGENIX_WORKSTATION"
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
    """The database URL: ``--db`` first, then ``HEMGENIX_DB_URL``, then the default SQLite file."""
    env = os.environ if environ is None else environ
    if cli_value is not None and cli_value.strip():
        return cli_value.strip()
    from_env = env.get(ENV_DB_URL, "").strip()
    if from_env:
        return from_env
    return default_db_url()


def workstation_name(environ: Mapping[str, str] | None = None) -> str:
    """This workstation's name in the records: ``HEMGENIX_WORKSTATION``, else the computer's host name."""
    env = os.environ if environ is None else environ
    return env.get(ENV_WORKSTATION, "").strip() or socket.gethostname() or "unknown workstation"


@dataclass(frozen=True)
class Settings:
    """Numbers a site may change. Defaults: 5 failed sign-ins lock an account for 15 minutes; the screen
    locks after 5 minutes without input."""

    lockout_attempts: int = 5
    lockout_minutes: int = 15
    idle_lock_minutes: int = 5

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        defaults = cls()
        return cls(
            lockout_attempts=_whole_number(env, ENV_LOCKOUT_ATTEMPTS, defaults.lockout_attempts, 1, 100),
            lockout_minutes=_whole_number(env, ENV_LOCKOUT_MINUTES, defaults.lockout_minutes, 1, 24 * 60),
            idle_lock_minutes=_whole_number(env, ENV_IDLE_LOCK_MINUTES, defaults.idle_lock_minutes, 1, 60),
        )


def _whole_number(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    text = env.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise InvalidInput(
            f"The setting {name} is “{text}”, which is not a whole number from {low} to {high}. "
            f"Correct it or remove it to use the default of {default}."
        )
    return int(text)
