"""The table of settings: each setting's key, type, default, environment variable, file key and validator, and
the one rule that checks a value, whoever gives it (the command line, the environment, the settings file, the
Settings dialog).

Each validator belongs to the layer whose rule it is (the ``validator`` column names it): the label size is checked
by ``records.label_pdf.parse_label_size``, the scanner's stand-in by ``domain.carton.validate_gs_standin``, the
database URL by ``storage.engine.parse_url`` (and ``storage.glance.plain_sqlite_file``), a line of text (site and
workstation names, the printer: also ``security.names``' printed-name rule) and a whole number by
:func:`validate_setting` here. Those layers are imported only when that one setting is checked, so the storage and
security layers, which read the database URL and the sign-in numbers through :mod:`hemgenix_desktop.config`, never
load the PDF code.
Only the standard library, platformdirs and the domain's errors are imported at module level.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import platformdirs

from hemgenix_desktop.domain.errors import InvalidInput

APP_NAME = "hemgenix-prep"
DB_FILE_NAME = "hemgenix-prep.sqlite3"
DEFAULT_SITE_NAME = "Hemgenix Prep site"

ENV_DB_URL = "HEMGENIX_DB_URL"
ENV_WORKSTATION = "HEMGENIX_WORKSTATION"
ENV_SITE = "HEMGENIX_SITE"
ENV_LOCKOUT_ATTEMPTS = "HEMGENIX_LOCKOUT_ATTEMPTS"
ENV_LOCKOUT_MINUTES = "HEMGENIX_LOCKOUT_MINUTES"
ENV_IDLE_LOCK_MINUTES = "HEMGENIX_IDLE_LOCK_MINUTES"
ENV_CONFIG = "HEMGENIX_CONFIG"
ENV_LABEL_SIZE = "HEMGENIX_LABEL_SIZE"
ENV_PRINTER = "HEMGENIX_PRINTER"
ENV_GS_STANDIN = "HEMGENIX_GS_STANDIN"
ENV_LAB_RESULTS_NEWER_THAN_DAYS = "HEMGENIX_LAB_RESULTS_NEWER_THAN_DAYS"
ENV_DRIFT_NOTICE_PERCENT = "HEMGENIX_DRIFT_NOTICE_PCT"
DRIFT_NOTICE_PERCENT = 5  # the domain's default too (domain.dose.DRIFT_NOTICE_PERCENT; a test keeps them equal)
ENV_PASSWORD_MAX_DAYS = "HEMGENIX_PASSWORD_MAX_DAYS"
ENV_PASSWORD_HISTORY = "HEMGENIX_PASSWORD_HISTORY"
ENV_PKCS11_MODULE = "HEMGENIX_PKCS11_MODULE"
ENV_PKCS11_TOKEN = "HEMGENIX_PKCS11_TOKEN"
ENV_PKCS11_KEY_LABEL = "HEMGENIX_PKCS11_KEY_LABEL"
ENV_CHECKPOINT_DIR = "HEMGENIX_CHECKPOINT_DIR"
ENV_DATABASE_ID = "HEMGENIX_DATABASE_ID"
ENV_DATABASE_SSLMODE = "HEMGENIX_DATABASE_SSLMODE"
ENV_TIMESTAMP_URL = "HEMGENIX_TIMESTAMP_URL"
# libpq's sslmode values, weakest first (www.postgresql.org/docs/current/libpq-ssl.html)
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
SETTINGS_FILE_NAME = "settings.toml"
README_SECTION = "Settings a site sets once"

Kind = Literal["text", "whole_number", "label_size", "character", "database_url"]
Value = str | int


@dataclass(frozen=True)
class SettingField:
    """One setting, described for a form, the command line and the documentation.

    ``kind``: ``whole_number`` (a spin box from ``minimum`` to ``maximum``), ``text`` (one line of at most
    ``max_length`` characters), ``label_size`` (e.g. 4x6in or 100x150mm), ``character`` (one character or
    empty), ``database_url``. ``empty_means`` says in words what an empty text field stands for (a
    placeholder); ``needs_restart`` says that a change applies only from the next start of the program.
    The key is also the settings file's key and the command line's option (``--db`` for the database).
    ``validator`` names the function that owns the rule (:func:`validate_setting` calls it).
    """

    key: str
    label: str
    help: str
    kind: Kind
    env: str
    default: Value
    empty_means: str = ""
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    needs_restart: bool = False
    validator: str = "hemgenix_desktop.setting_table.validate_setting"

    def default_shown(self) -> str:
        """The default in words, for messages and ``settings show``."""
        if isinstance(self.default, str) and self.default == "":
            return self.empty_means
        return str(self.default)


FIELDS: tuple[SettingField, ...] = (
    SettingField(
        "site_name",
        "Site name",
        "The pharmacy's name, printed on every record and bag label and written into a new site certificate.",
        "text",
        ENV_SITE,
        "",
        empty_means=f"“{DEFAULT_SITE_NAME}”, a generic name",
        max_length=80,
    ),
    SettingField(
        "workstation_name",
        "Workstation name",
        "This workstation's name in the records and the audit trail, for example PHARM-WS-07.",
        "text",
        ENV_WORKSTATION,
        "",
        empty_means="this computer's name",
        max_length=64,
    ),
    SettingField(
        "database_url",
        "Database",
        "Where the preparations, users and audit trail are kept. One workstation: leave it empty for a SQLite "
        "file in this user's data folder, or give sqlite:////full/path/hemgenix-prep.sqlite3. Several "
        "workstations share one PostgreSQL database, for example postgresql+psycopg://user@host/hemgenix.",
        "database_url",
        ENV_DB_URL,
        "",
        empty_means="a SQLite file in this user's data folder",
        max_length=500,
        needs_restart=True,
        validator="hemgenix_desktop.storage.engine.parse_url",
    ),
    SettingField(
        "idle_lock_minutes",
        "Minutes before the screen locks",
        "The screen locks after this many minutes without input; the signed-in user unlocks it with their password.",
        "whole_number",
        ENV_IDLE_LOCK_MINUTES,
        5,
        minimum=1,
        maximum=60,
    ),
    SettingField(
        "lockout_attempts",
        "Failed sign-ins before an account locks",
        "After this many wrong passwords in a row the account is locked for the minutes below.",
        "whole_number",
        ENV_LOCKOUT_ATTEMPTS,
        5,
        minimum=1,
        maximum=100,
    ),
    SettingField(
        "lockout_minutes",
        "Minutes an account stays locked",
        "How long an account stays locked after too many wrong passwords.",
        "whole_number",
        ENV_LOCKOUT_MINUTES,
        15,
        minimum=1,
        maximum=24 * 60,
    ),
    SettingField(
        "password_max_days",
        "Days a password may be used",
        "After this many days a person must choose a new password at sign-in (21 CFR 11.300(b): periodic "
        "revision). 0: passwords do not age.",
        "whole_number",
        ENV_PASSWORD_MAX_DAYS,
        0,
        minimum=0,
        maximum=730,
    ),
    SettingField(
        "password_history",
        "Earlier passwords not to be used again",
        "A new password may not be any of the person's last this many passwords. 0: only not the current one.",
        "whole_number",
        ENV_PASSWORD_HISTORY,
        5,
        minimum=0,
        maximum=24,
    ),
    SettingField(
        "label_size",
        "Bag label size",
        "Width × height and the unit of the bag-label stock, for example 4x6in or 100x150mm; from 3x4in to 8.5x14in.",
        "label_size",
        ENV_LABEL_SIZE,
        "4x6in",
        max_length=40,
        validator="hemgenix_desktop.records.label_pdf.parse_label_size",
    ),
    SettingField(
        "printer",
        "Printer",
        "The printer the print dialog chooses first, by its name in this computer's print service.",
        "text",
        ENV_PRINTER,
        "",
        empty_means="this computer's default printer",
        max_length=127,
    ),
    SettingField(
        "gs_standin",
        "Scanner's stand-in for the group separator",
        "The one character this workstation's keyboard-wedge scanner sends in place of the GS1 group "
        "separator (GS), for example | or ~. Leave it empty when the scanner sends GS itself.",
        "character",
        ENV_GS_STANDIN,
        "",
        empty_means="no stand-in; the scanner sends GS itself",
        max_length=1,
        validator="hemgenix_desktop.domain.carton.validate_gs_standin",
    ),
    SettingField(
        "lab_results_newer_than_days",
        "Laboratory results must be newer than (days)",
        "The factor IX inhibitor and anti-AAV5 antibody results must be newer than this many days on the infusion "
        "date (the site's rule; the payer policy sets none). 0: results of any age.",
        "whole_number",
        ENV_LAB_RESULTS_NEWER_THAN_DAYS,
        0,
        minimum=0,
        maximum=3650,
    ),
    SettingField(
        "drift_notice_pct",
        "Weight change shown as a notice only (%)",
        "When today's weight needs the same vials as the prescription weight, a change up to this percentage is "
        "a notice only; a larger change needs a pharmacist's override at signing. 0: every change needs one.",
        "whole_number",
        ENV_DRIFT_NOTICE_PERCENT,
        DRIFT_NOTICE_PERCENT,
        minimum=0,
        maximum=20,
    ),
)

# The site key on a PKCS#11 token (security/key_protection.py); with no module the key is a passphrase-encrypted file.
FIELDS += (
    SettingField(
        "pkcs11_module",
        "PKCS#11 module of the signing token",
        "The full path of the token's PKCS#11 library (for example /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so). "
        "Set it, the token's label and the key's label to sign records on the token; its PIN is asked at start.",
        "text",
        ENV_PKCS11_MODULE,
        "",
        empty_means="no token: the key is a passphrase-encrypted file",
        max_length=500,
        needs_restart=True,
    ),
    SettingField(
        "pkcs11_token",
        "Label of the signing token",
        "The label of the PKCS#11 token that holds the site key, as the token's tools show it.",
        "text",
        ENV_PKCS11_TOKEN,
        "",
        empty_means="no token",
        max_length=32,
        needs_restart=True,
    ),
    SettingField(
        "pkcs11_key_label",
        "Label of the site key on the token",
        "The label of the private key and of its certificate on the token.",
        "text",
        ENV_PKCS11_KEY_LABEL,
        "",
        empty_means="no token",
        max_length=64,
        needs_restart=True,
    ),
)

# The trail and the signatures kept where the database's users cannot change them (issue 15): security settings,
# each change of which needs a second pharmacist (services/settings_change.py, TWO_PERSON_KEYS).
FIELDS += (
    SettingField(
        "checkpoint_dir",
        "Folder of the audit trail's checkpoints",
        "After each seal a signed checkpoint of the audit trail (a C2SP signed note) is written into this folder, "
        "given with its full path; point it at write-once storage the workstation's users cannot change. "
        "hemgenix-prep audit verify --checkpoints DIR checks the trail against them.",
        "text",
        ENV_CHECKPOINT_DIR,
        "",
        empty_means="none: no checkpoints are written",
        max_length=500,
        validator="hemgenix_desktop.setting_table.validate_folder",
    ),
    SettingField(
        "database_id",
        "This site's database ID",
        "The ID of the site's database (32 hexadecimal digits, as hemgenix-prep audit verify prints it). With it, "
        "hemgenix-prep verify reports a record sealed in another database as such.",
        "text",
        ENV_DATABASE_ID,
        "",
        empty_means="not named: verify does not compare databases",
        max_length=32,
        validator="hemgenix_desktop.setting_table.validate_database_id",
    ),
    SettingField(
        "database_sslmode",
        "Encryption of the PostgreSQL connection (sslmode)",
        "How a PostgreSQL database's connection is encrypted and its server checked: one of "
        + ", ".join(SSL_MODES)
        + ". verify-full, with the server's CA in the database URL (sslrootcert=/path/root.crt), is the one "
        "that stops a server in the middle. A SQLite database ignores it.",
        "text",
        ENV_DATABASE_SSLMODE,
        "",
        empty_means="the URL's sslmode, else the driver's default (prefer)",
        max_length=16,
        needs_restart=True,
        validator="hemgenix_desktop.setting_table.validate_sslmode",
    ),
    SettingField(
        "timestamp_url",
        "Timestamp authority (RFC 3161)",
        "The http:// or https:// address of the site's RFC 3161 timestamp authority. With it, every record PDF's "
        "signature carries the authority's timestamp (PAdES B-T), and a record is printed only once the authority "
        "has answered.",
        "text",
        ENV_TIMESTAMP_URL,
        "",
        empty_means="none: signatures carry the workstation's time only",
        max_length=500,
        validator="hemgenix_desktop.setting_table.validate_timestamp_url",
    ),
)

BY_KEY: dict[str, SettingField] = {f.key: f for f in FIELDS}
KEYS: tuple[str, ...] = tuple(BY_KEY)


@dataclass(frozen=True)
class SiteSettings:
    """The settings as the file holds them (what a Settings dialog edits). An empty text means the
    default that :attr:`SettingField.empty_means` describes."""

    site_name: str = ""
    workstation_name: str = ""
    database_url: str = ""
    idle_lock_minutes: int = 5
    lockout_attempts: int = 5
    lockout_minutes: int = 15
    password_max_days: int = 0
    password_history: int = 5
    label_size: str = "4x6in"
    printer: str = ""
    gs_standin: str = ""
    lab_results_newer_than_days: int = 0
    drift_notice_pct: int = DRIFT_NOTICE_PERCENT
    pkcs11_module: str = ""
    pkcs11_token: str = ""
    pkcs11_key_label: str = ""
    checkpoint_dir: str = ""
    database_id: str = ""
    database_sslmode: str = ""
    timestamp_url: str = ""

    def value(self, key: str) -> Value:
        value: Value = getattr(self, setting_field(key).key)
        return value

    def with_value(self, key: str, value: Value) -> SiteSettings:
        """A copy with one setting changed (the value is not checked here: :func:`save_settings` checks)."""
        return replace(self, **{setting_field(key).key: value})  # type: ignore[arg-type]


class DatabaseSettingUnusable(InvalidInput):
    """The settings file names no usable database (or cannot be read), so no database is opened."""


def setting_field(key: str) -> SettingField:
    """The description of one setting; an unknown key raises :class:`InvalidInput` with a sentence."""
    try:
        return BY_KEY[key]
    except KeyError:
        raise InvalidInput(_unknown_key_sentence(key)) from None


def _unknown_key_sentence(key: str) -> str:
    import difflib  # only to suggest a key for a misspelt one

    close = difflib.get_close_matches(key, KEYS, n=1)
    hint = f"Did you mean {close[0]}? " if close else ""
    return f"There is no setting called “{clip(key)}”. {hint}The settings are: {', '.join(KEYS)}."


# --- checking one value ---------------------------------------------------------------------------------------
# Names a reader sees (records and labels, the audit trail, the print dialog) and what each could pass for.
_PRINTED_NAMES = {key: f"another {key.split('_')[0]}'s name" for key in ("site_name", "workstation_name", "printer")}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def validate_setting(key: str, value: object) -> Value:
    """The value a setting may take, normalised (text trimmed; whole numbers as ``int``).

    ``value`` is what a form field, the command line or the TOML file gave (text, or a TOML number).
    Raises :class:`InvalidInput` with a sentence that says what is wrong and what to write instead.
    """
    spec = setting_field(key)
    if isinstance(value, str) and value.strip() == "" and spec.kind != "character":
        return spec.default  # empty means the default, for every setting
    if spec.kind == "whole_number":
        return _whole_number(spec, value)
    if not isinstance(value, str):
        raise InvalidInput(f"{spec.label} must be text in double quotes, not {_toml_kind(value)}.")
    if spec.kind == "character":
        from hemgenix_desktop.domain.carton import validate_gs_standin

        return validate_gs_standin(value) or ""
    text = " ".join(value.split()) if key == "site_name" else value.strip()
    if _CONTROL.search(text):
        raise InvalidInput(f"{spec.label} must be one line, without tabs or other control characters.")
    if spec.max_length is not None and len(text) > spec.max_length:
        raise InvalidInput(
            f"{spec.label} must be at most {spec.max_length} characters long; “{clip(text)}” has {len(text)}."
        )
    if key in _PRINTED_NAMES:
        from hemgenix_desktop.security.names import check_printed_name

        check_printed_name(text, f"The {spec.label.lower()}", _PRINTED_NAMES[key])
    if spec.kind == "label_size":
        from hemgenix_desktop.records.label_pdf import parse_label_size

        return parse_label_size(text).text
    if spec.kind == "database_url":
        return _database_url(text)
    checks = {
        "checkpoint_dir": validate_folder,
        "database_id": validate_database_id,
        "database_sslmode": validate_sslmode,
        "timestamp_url": validate_timestamp_url,
    }
    return checks[key](text) if key in checks else text


def validate_folder(text: str) -> str:
    """A folder given with its full path (``~`` allowed): where it lands must not depend on where the program
    starts."""
    if not Path(text).expanduser().is_absolute():
        raise InvalidInput(
            f"The folder {clip(text)} is given without its full path, so where it lands depends on the folder the "
            "program starts in. Give the full path, for example /mnt/worm/hemgenix-checkpoints."
        )
    return text


def validate_database_id(text: str) -> str:
    """A database ID as its first event names it: 32 hexadecimal digits (written in lower case)."""
    if not re.fullmatch(r"[0-9a-fA-F]{32}", text):
        raise InvalidInput(
            f"A database ID is 32 hexadecimal digits (0-9, a-f), as hemgenix-prep audit verify prints it; "
            f"“{clip(text)}” is not one."
        )
    return text.lower()


def validate_sslmode(text: str) -> str:
    """One of libpq's sslmode values."""
    if text.lower() not in SSL_MODES:
        raise InvalidInput(
            f"sslmode must be one of {', '.join(SSL_MODES)}; “{clip(text)}” is not. Use verify-full, with the "
            "server's CA in the database URL (sslrootcert=/path/root.crt)."
        )
    return text.lower()


def validate_timestamp_url(text: str) -> str:
    """An http:// or https:// address with a host name."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - a port that is not a number raises ValueError here
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname or " " in text:
        raise InvalidInput(
            f"The timestamp authority must be an http:// or https:// address, for example "
            f"http://timestamp.example.org/tsa; “{clip(text)}” is not one."
        )
    return text


def _whole_number(spec: SettingField, value: object) -> int:
    assert spec.minimum is not None, spec.key
    assert spec.maximum is not None, spec.key
    number: int | None
    if isinstance(value, int) and not isinstance(value, bool):
        number, shown = value, str(value)
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        digits = value.strip().lstrip("0") or "0"  # thousands of digits are out of range, never given to int()
        number, shown = (int(digits) if len(digits) <= 9 else None), clip(value.strip())
    else:
        number, shown = None, clip(value.strip()) if isinstance(value, str) else toml_text(value)
    if number is None or not spec.minimum <= number <= spec.maximum:
        raise InvalidInput(
            f"{spec.label} must be a whole number from {spec.minimum} to {spec.maximum}; “{shown}” is not."
        )
    return number


def _database_url(text: str) -> str:
    from hemgenix_desktop.storage.glance import plain_sqlite_file

    path = plain_sqlite_file(text)  # the usual sqlite:////path, read without loading SQLAlchemy (a quicker start)
    if path is None:
        from hemgenix_desktop.storage.engine import parse_url, sqlite_file

        parsed = parse_url(text)  # InvalidDatabaseURL (an InvalidInput) with its sentence
        if parsed.get_backend_name() != "sqlite":
            return text
        path = sqlite_file(parsed)
        if path is None:
            raise InvalidInput(
                "An in-memory database keeps nothing after the program closes, so it cannot hold the pharmacy's "
                "records. Give a database file, for example sqlite:////srv/hemgenix/hemgenix-prep.sqlite3."
            )
    if not path.is_absolute():
        raise InvalidInput(
            f"The SQLite file {path} is given without its full path, so where it lands depends on the folder "
            "the program starts in. Give the full path, for example sqlite:////srv/hemgenix/hemgenix-prep.sqlite3."
        )
    return text


# --- showing values ---------------------------------------------------------------------------------------------
def shown_value(key: str, value: Value) -> str:
    """A value as ``settings show`` prints it: a database password is hidden."""
    if key == "database_url" and isinstance(value, str):
        return hide_password(value)
    return str(value)


def hide_password(url: str) -> str:
    return re.sub(r"(://[^/?#@:]*:)[^/?#@]*@", r"\1***@", url)


def shown_raw(key: str, raw: object) -> str:
    if isinstance(raw, str):
        return f"“{clip(shown_value(key, raw))}”"
    return toml_text(raw)


def clip(text: str, limit: int = 60) -> str:
    visible = "".join(ch if ch.isprintable() else "·" for ch in text)
    return visible if len(visible) <= limit else visible[: limit - 1] + "…"


def toml_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return _toml_kind(value)


def _toml_kind(value: object) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return "a date or time"


# --- the defaults that depend on this computer ---------------------------------------------------------------
def data_dir() -> Path:
    """The user's data folder for Hemgenix Prep (not created here)."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def default_db_url() -> str:
    """A SQLite file in the user's data folder."""
    return f"sqlite:///{data_dir() / DB_FILE_NAME}"


def host_name() -> str:
    """The computer's host name (what ``socket.gethostname`` gives, without loading the socket module)."""
    uname = getattr(os, "uname", None)
    if uname is not None:
        return str(uname().nodename)
    import socket  # pragma: no cover - Windows

    return socket.gethostname()


# Site floors: a value beyond one weakens the site's protection, so only the two-person rule may set it (``settings
# set`` with an approver, written to the settings file with its audit event). A value from outside the file (the
# environment, a command-line option) beyond a floor, and beyond what the file allows, is never used (issue 14).
SITE_FLOORS = {"idle_lock_minutes": 15, "lockout_attempts": 10}
