"""Settings a site sets once: one TOML file in the user's standard config folder.

The file is ``platformdirs.user_config_path("hemgenix-prep", appauthor=False) / "settings.toml"`` (on Linux
``~/.config/hemgenix-prep/settings.toml``), or the file named by the environment variable ``HEMGENIX_CONFIG``.
Each setting comes from, in this order: the command line (only ``--db``), its environment variable, the
settings file, the default.

* :data:`FIELDS` describes every setting (key, label, help, kind, limits, environment variable): a Settings
  dialog can build its form from it, and ``hemgenix-prep settings`` and README.md describe the same list.
* :func:`load_settings` reads the file for editing; it never raises: a bad value gives a sentence (in the
  returned warnings) and the default, as does an unknown key or a file that cannot be read.
* :func:`save_settings` validates and writes the file atomically (temporary file, then ``os.replace``),
  owner-only (0600), in a folder made owner-only (0700) if it has to be created.
* :func:`resolve_settings` gives the values the program runs with and where each came from.

One exception to "a bad value gives the default": the **database**. Quietly using the default SQLite file
instead of a mistyped shared database would put this workstation's records in a different database and
defeat the one-dose-per-patient guard across workstations. So an unusable database setting (or a settings
file that cannot be read, when it might name the database) makes :func:`file_database_url` raise
:class:`DatabaseSettingUnusable` with a sentence, and the program opens no database until it is corrected.

Each rule is checked where it lives: the label size by ``records.label_pdf.parse_label_size``, the scanner's
stand-in by ``domain.carton.validate_gs_standin``, the database URL by ``storage.engine.parse_url``. Those are
imported only when that one setting is checked, so the storage and security layers, which read the database
URL and the sign-in numbers through :mod:`hemgenix_desktop.config`, never load the PDF code.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import platformdirs

from hemgenix_desktop import __version__
from hemgenix_desktop.config import (
    APP_NAME,
    DEFAULT_SITE_NAME,
    ENV_DB_URL,
    ENV_IDLE_LOCK_MINUTES,
    ENV_LOCKOUT_ATTEMPTS,
    ENV_LOCKOUT_MINUTES,
    ENV_SITE,
    ENV_WORKSTATION,
    default_db_url,
)
from hemgenix_desktop.domain.errors import InvalidInput

ENV_CONFIG = "HEMGENIX_CONFIG"
ENV_LABEL_SIZE = "HEMGENIX_LABEL_SIZE"
ENV_PRINTER = "HEMGENIX_PRINTER"
ENV_GS_STANDIN = "HEMGENIX_GS_STANDIN"
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
        "label_size",
        "Bag label size",
        "Width × height and the unit of the bag-label stock, for example 4x6in or 100x150mm; from 3x4in to 8.5x14in.",
        "label_size",
        ENV_LABEL_SIZE,
        "4x6in",
        max_length=40,
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
    ),
)

_BY_KEY: dict[str, SettingField] = {f.key: f for f in FIELDS}
KEYS: tuple[str, ...] = tuple(_BY_KEY)


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
    label_size: str = "4x6in"
    printer: str = ""
    gs_standin: str = ""

    def value(self, key: str) -> Value:
        value: Value = getattr(self, setting_field(key).key)
        return value

    def with_value(self, key: str, value: Value) -> SiteSettings:
        """A copy with one setting changed (the value is not checked here: :func:`save_settings` checks)."""
        return replace(self, **{setting_field(key).key: value})  # type: ignore[arg-type]


class DatabaseSettingUnusable(InvalidInput):
    """The settings file names no usable database (or cannot be read), so no database is opened."""


# --- where the file is ---------------------------------------------------------------------------------------
def default_settings_path() -> Path:
    """The standard place: the user's config folder (on Linux ``~/.config/hemgenix-prep/settings.toml``)."""
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / SETTINGS_FILE_NAME


def settings_path(environ: Mapping[str, str] | None = None) -> Path:
    """``HEMGENIX_CONFIG`` if set, else :func:`default_settings_path`."""
    env = os.environ if environ is None else environ
    named = env.get(ENV_CONFIG, "").strip()
    return Path(named).expanduser() if named else default_settings_path()


def setting_field(key: str) -> SettingField:
    """The description of one setting; an unknown key raises :class:`InvalidInput` with a sentence."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise InvalidInput(_unknown_key_sentence(key)) from None


def _unknown_key_sentence(key: str) -> str:
    import difflib  # only to suggest a key for a misspelt one

    close = difflib.get_close_matches(key, KEYS, n=1)
    hint = f"Did you mean {close[0]}? " if close else ""
    return f"There is no setting called “{_clip(key)}”. {hint}The settings are: {', '.join(KEYS)}."


# --- checking one value ---------------------------------------------------------------------------------------
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
            f"{spec.label} must be at most {spec.max_length} characters long; “{_clip(text)}” has {len(text)}."
        )
    if spec.kind == "label_size":
        from hemgenix_desktop.records.label_pdf import parse_label_size

        return parse_label_size(text).text
    if spec.kind == "database_url":
        return _database_url(text)
    return text


def _whole_number(spec: SettingField, value: object) -> int:
    assert spec.minimum is not None, spec.key
    assert spec.maximum is not None, spec.key
    if isinstance(value, int) and not isinstance(value, bool):
        number, shown = value, str(value)
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number, shown = int(value.strip()), value.strip()
    else:
        number, shown = None, _clip(value.strip()) if isinstance(value, str) else _toml_text(value)
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


# --- reading the file ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _FileContents:
    path: Path
    values: Mapping[str, Any]  # what the file says (empty when missing or unreadable)
    exists: bool
    why: str = ""  # set when the file exists but cannot be used at all: why, and what to do
    fix: str = ""
    missing_named: bool = False  # HEMGENIX_CONFIG names a file that does not exist

    @property
    def problem(self) -> str | None:
        if self.missing_named:
            return (
                f"The environment variable {ENV_CONFIG} names the settings file {self.path}, which does not exist, "
                f"so every setting has its default. Correct {ENV_CONFIG}, or save the settings to create the file."
            )
        if self.why:
            return f"The settings file {self.path} cannot be used ({self.why}), so every setting has its default. {self.fix}"
        return None


_FIX_TOML = "Correct it: each line reads key = value, with text in double quotes."


def _read_file(path: Path, named_by_env: bool) -> _FileContents:
    """Read the file; ``named_by_env``: HEMGENIX_CONFIG named it (so a missing file is worth a sentence)."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return _FileContents(path, {}, False, missing_named=named_by_env)
    except OSError as exc:
        return _unreadable(path, exc)
    import tomllib  # only when there is a file to read (most workstations have none: a quicker start)

    try:
        with handle:
            values = tomllib.load(handle)
    except UnicodeDecodeError:
        return _FileContents(path, {}, True, "it is not UTF-8 text", "Save it as UTF-8 text.")
    except tomllib.TOMLDecodeError as exc:
        return _FileContents(path, {}, True, f"it is not valid TOML: {exc}", _FIX_TOML)
    except OSError as exc:
        return _unreadable(path, exc)
    return _FileContents(path, values, True)


def _unreadable(path: Path, exc: OSError) -> _FileContents:
    return _FileContents(
        path, {}, True, f"it cannot be read: {exc.strerror or exc}", "Check that it is a file this user may read."
    )


def _named(env: Mapping[str, str]) -> bool:
    return bool(env.get(ENV_CONFIG, "").strip())


def _checked_file_value(contents: _FileContents, key: str) -> tuple[Value | None, str | None]:
    """(value, None) when the file sets ``key`` usably; (None, None) when it does not set it (or sets it empty);
    (None, sentence) when the value is bad."""
    if key not in contents.values:
        return None, None
    raw = contents.values[key]
    try:
        value = validate_setting(key, raw)
    except InvalidInput as exc:
        return None, exc.message
    spec = setting_field(key)
    if isinstance(value, str) and value == "" and spec.default == "":
        return None, None
    return value, None


def load_settings(
    path: Path | None = None, *, environ: Mapping[str, str] | None = None
) -> tuple[SiteSettings, list[str]]:
    """The settings file's values (defaults for what it leaves out) and a sentence for each problem.

    Never raises. A bad value or a value of the wrong type gives its default; an unknown key is ignored;
    a file that cannot be read gives every default. Only the database is different: a bad database URL is
    kept as it is written (so it can be corrected, and so nothing quietly uses another database).
    """
    env = os.environ if environ is None else environ
    contents = _read_file(settings_path(env), _named(env)) if path is None else _read_file(path, False)
    settings, _set_keys, warnings = _load(contents)
    return settings, warnings


def _load(contents: _FileContents) -> tuple[SiteSettings, set[str], list[str]]:
    """The file's settings, the keys it sets usably, and the warnings."""
    warnings: list[str] = [contents.problem] if contents.problem else []
    settings = SiteSettings()
    set_keys: set[str] = set()
    where = f"The settings file {contents.path}"
    for key, raw in contents.values.items():
        if key not in _BY_KEY:
            warnings.append(_unknown_in_file(contents.path, key))
            continue
        spec = _BY_KEY[key]
        value, problem = _checked_file_value(contents, key)
        if problem is not None and spec.kind == "database_url":
            warnings.append(_bad_database(where, key, raw, problem))
            settings = settings.with_value(key, raw if isinstance(raw, str) else _toml_text(raw))
        elif problem is not None:
            warnings.append(_bad_value(where, key, raw, problem, f"the default ({spec.default_shown()})"))
        elif value is not None:
            settings = settings.with_value(key, value)
            set_keys.add(key)
    return settings, set_keys, warnings


def _unknown_in_file(path: Path, key: str) -> str:
    import difflib  # only to suggest a key for a misspelt one

    close = difflib.get_close_matches(key, KEYS, n=1)
    fix = f"Did you mean {close[0]}?" if close else f"Remove it, or see the list in README.md, “{README_SECTION}”."
    return f"The settings file {path} has a setting “{_clip(key)}” that Hemgenix Prep does not know, so it is ignored. {fix}"


def _bad_value(where: str, key: str, raw: object, reason: str, fallback: str) -> str:
    return f"{where} sets {key} to {_shown(key, raw)}, which cannot be used. {reason} Until it is corrected, {fallback} is used."


def _bad_database(where: str, key: str, raw: object, reason: str) -> str:
    return (
        f"{where} sets {key} to {_shown(key, raw)}, which cannot be used. {reason} No database is opened until it "
        "is corrected: using another database instead would split the pharmacy's records."
    )


# --- writing the file ---------------------------------------------------------------------------------------
def save_settings(settings: SiteSettings, path: Path | None = None, *, replace_unreadable: bool = False) -> Path:
    """Check every value, then write the whole file atomically and owner-only. Returns the file's path.

    Raises :class:`InvalidInput` with the first bad value's sentence (nothing is written), or when the file
    exists but cannot be read as settings and ``replace_unreadable`` is not set (so that what it holds is not
    lost without the user agreeing), or when the file cannot be written.
    Unknown keys in the old file are not kept.
    """
    target = settings_path() if path is None else path
    checked = {spec.key: validate_setting(spec.key, settings.value(spec.key)) for spec in FIELDS}
    if not replace_unreadable:
        contents = _read_file(target, False)
        if contents.why:
            raise InvalidInput(
                f"The settings file {target} was not replaced, because it cannot be read as settings and what it "
                "holds would be lost. Correct it or move it away, then save again."
            )
    text = render_settings(SiteSettings(**checked))  # type: ignore[arg-type]
    try:
        _write_atomically(target, text)
    except OSError as exc:
        raise InvalidInput(
            f"The settings could not be saved to {target} ({exc.strerror or exc}). Check that the folder exists "
            f"and this user may write to it, or name another file with {ENV_CONFIG}."
        ) from exc
    return target


def render_settings(settings: SiteSettings) -> str:
    """The text of a settings file: a comment with each setting's help, then ``key = value``."""
    lines = [
        f"# Hemgenix Prep: settings a site sets once (written by Hemgenix Prep {__version__}).",
        f"# Described in README.md, “{README_SECTION}”. The command line and environment variables come before",
        "# this file; an empty text means the default written beside it.",
    ]
    for spec in FIELDS:
        lines.append("")
        lines.extend(f"# {part}" for part in _wrap(spec.help))
        if spec.minimum is not None:
            lines.append(f"# A whole number from {spec.minimum} to {spec.maximum}; default {spec.default}.")
        elif spec.empty_means:
            lines.append(f"# Empty: {spec.empty_means}. Environment variable: {spec.env}.")
        else:
            lines.append(f"# Default: {spec.default}. Environment variable: {spec.env}.")
        value = settings.value(spec.key)
        lines.append(f"{spec.key} = {value if isinstance(value, int) else toml_string(value)}")
    return "\n".join(lines) + "\n"


def toml_string(text: str) -> str:
    """A TOML basic string: backslash, quote and control characters escaped."""
    out = ['"']
    for char in text:
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _wrap(text: str, width: int = 110) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return lines


def _write_atomically(path: Path, text: str) -> None:
    folder = path.parent
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)  # created 0600
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable where the system allows it
        directory = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


# --- the values the program runs with ---------------------------------------------------------------------------
SOURCE_DEFAULT = "default"
SOURCE_FILE = "settings file"


@dataclass(frozen=True)
class ResolvedSettings:
    """The values the program runs with. ``settings`` holds them with every default filled in (the
    workstation's host name, the default database URL); ``sources`` says where each came from
    ("command line --db", "environment HEMGENIX_…", "settings file", "default"); ``warnings`` holds a
    sentence per problem; ``database_problem`` is set (a sentence) when no database will be opened."""

    settings: SiteSettings
    sources: Mapping[str, str]
    warnings: tuple[str, ...]
    path: Path
    file_exists: bool
    database_problem: str | None = None


def resolve_settings(
    cli: Mapping[str, str | None] | None = None, environ: Mapping[str, str] | None = None
) -> ResolvedSettings:
    """Every setting from the command line (``cli``: key → text, e.g. ``{"database_url": args.db}``), then its
    environment variable, then the settings file, then the default. Never raises: a bad value gives a
    sentence and the next source's value (except the database, see the module's description)."""
    env = os.environ if environ is None else environ
    given = {key: value for key, value in (cli or {}).items() if value is not None and value.strip()}
    for key in given:
        setting_field(key)  # an unknown key is a programming error: raises with a sentence
    path = settings_path(env)
    contents = _read_file(path, _named(env))
    file_settings, set_keys, warnings = _load(contents)
    values: dict[str, Value] = {}
    sources: dict[str, str] = {}
    database_problem: str | None = None
    for spec in FIELDS:
        fallback = file_settings.value(spec.key)
        if spec.key in set_keys:
            fallback_source, fallback_text = (
                SOURCE_FILE,
                f"the value from the settings file ({_shown(spec.key, fallback)})",
            )
        else:
            fallback_source, fallback_text = SOURCE_DEFAULT, f"the default ({spec.default_shown()})"
        candidates: list[tuple[str, str, str]] = []  # (where, source, text)
        if spec.key in given:
            option = "--db" if spec.key == "database_url" else f"--{spec.key.replace('_', '-')}"
            candidates.append((f"The command line option {option}", f"command line {option}", given[spec.key]))
        if env.get(spec.env, "").strip():
            candidates.append((f"The environment variable {spec.env}", f"environment {spec.env}", env[spec.env]))
        chosen: tuple[Value, str] | None = None
        for where, source, text in candidates:
            try:
                chosen = (validate_setting(spec.key, text), source)
            except InvalidInput as exc:
                if spec.kind != "database_url":
                    warnings.append(_bad_value(where, spec.key, text, exc.message, fallback_text))
                    continue
                database_problem = _bad_database(where, spec.key, text, exc.message)
                warnings.append(database_problem)
                chosen = ("", source)
            break
        if chosen is None:
            chosen = (fallback, fallback_source)
        values[spec.key], sources[spec.key] = chosen
    if sources["database_url"] in (SOURCE_FILE, SOURCE_DEFAULT):
        try:
            file_database_url(env)
        except DatabaseSettingUnusable as exc:
            database_problem = exc.message
            values["database_url"], sources["database_url"] = "", SOURCE_FILE
            if contents.why:
                warnings.append(exc.message)
    return ResolvedSettings(
        settings=SiteSettings(**_fill_defaults(values, database_problem is None)),  # type: ignore[arg-type]
        sources=sources,
        warnings=tuple(warnings),
        path=path,
        file_exists=contents.exists,
        database_problem=database_problem,
    )


def _fill_defaults(values: dict[str, Value], database_usable: bool) -> dict[str, Value]:
    from hemgenix_desktop.config import host_name

    filled = dict(values)
    if filled["site_name"] == "":
        filled["site_name"] = DEFAULT_SITE_NAME
    if filled["workstation_name"] == "":
        filled["workstation_name"] = host_name() or "unknown workstation"
    if filled["database_url"] == "" and database_usable:
        filled["database_url"] = default_db_url()
    return filled


# --- single values for config.py (each checks only its own key) ------------------------------------------------
def file_value(key: str, environ: Mapping[str, str] | None = None) -> Value | None:
    """The settings file's usable value for ``key``, or None (not set, empty, bad, or no readable file)."""
    env = os.environ if environ is None else environ
    value, _problem = _checked_file_value(_read_file(settings_path(env), _named(env)), key)
    return value


def file_database_url(environ: Mapping[str, str] | None = None) -> str | None:
    """The database URL the settings file names, or None when it names none (then the default applies).

    Raises :class:`DatabaseSettingUnusable` when the value is unusable or the file exists but cannot be read
    (it might name the pharmacy's shared database): a sentence, and no database is opened.
    """
    env = os.environ if environ is None else environ
    contents = _read_file(settings_path(env), _named(env))
    if contents.why:
        raise DatabaseSettingUnusable(
            f"The settings file {contents.path} cannot be used ({contents.why}), and it may name the pharmacy's "
            f"shared database, so no database is opened until it is corrected. {contents.fix} Or give the "
            f"database with --db or {ENV_DB_URL}."
        )
    value, problem = _checked_file_value(contents, "database_url")
    if problem is not None:
        raise DatabaseSettingUnusable(
            _bad_database(
                f"The settings file {contents.path}", "database_url", contents.values["database_url"], problem
            )
        )
    return None if value is None else str(value)


# --- showing values ---------------------------------------------------------------------------------------------
def shown_value(key: str, value: Value) -> str:
    """A value as ``settings show`` prints it: a database password is hidden."""
    if key == "database_url" and isinstance(value, str):
        return hide_password(value)
    return str(value)


def hide_password(url: str) -> str:
    return re.sub(r"(://[^/?#@:]*:)[^/?#@]*@", r"\1***@", url)


def _shown(key: str, raw: object) -> str:
    if isinstance(raw, str):
        return f"“{_clip(shown_value(key, raw))}”"
    return _toml_text(raw)


def _clip(text: str, limit: int = 60) -> str:
    visible = "".join(ch if ch.isprintable() else "·" for ch in text)
    return visible if len(visible) <= limit else visible[: limit - 1] + "…"


def _toml_text(value: object) -> str:
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
