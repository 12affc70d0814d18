"""The settings file: one TOML file in the user's standard config folder, read and written here only.

The file is ``platformdirs.user_config_path("hemgenix-prep", appauthor=False) / "settings.toml"`` (on Linux
``~/.config/hemgenix-prep/settings.toml``), or the file named by the environment variable ``HEMGENIX_CONFIG``.

* :func:`load_settings` reads the file for editing; it never raises: a bad value gives a sentence (in the
  returned warnings) and the default, as does an unknown key or a file that cannot be read.
* :func:`save_settings` validates and writes the file atomically (temporary file, then ``os.replace``),
  owner-only (0600), in a folder made owner-only (0700) if it has to be created.
* :func:`file_database_url` is the one exception to "a bad value gives the default": quietly using the default
  SQLite file instead of a mistyped shared database would put this workstation's records in a different database
  and defeat the one-dose-per-patient guard across workstations, so it raises :class:`DatabaseSettingUnusable`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from hemgenix_desktop import __version__
from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.private_files import UnreadableFileError, read_regular_file, write_private
from hemgenix_desktop.setting_table import (
    APP_NAME,
    BY_KEY,
    ENV_CONFIG,
    ENV_DB_URL,
    FIELDS,
    KEYS,
    README_SECTION,
    SETTINGS_FILE_NAME,
    DatabaseSettingUnusable,
    SiteSettings,
    Value,
    clip,
    setting_field,
    shown_raw,
    toml_text,
    validate_setting,
)


# --- where the file is ---------------------------------------------------------------------------------------
def default_settings_path() -> Path:
    """The standard place: the user's config folder (on Linux ``~/.config/hemgenix-prep/settings.toml``)."""
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / SETTINGS_FILE_NAME


def settings_path(environ: Mapping[str, str] | None = None) -> Path:
    """``HEMGENIX_CONFIG`` if set, else :func:`default_settings_path`."""
    env = os.environ if environ is None else environ
    named = env.get(ENV_CONFIG, "").strip()
    return Path(named).expanduser() if named else default_settings_path()


# --- reading the file ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FileContents:
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
MAX_SETTINGS_FILE = 1024 * 1024  # the file holds nine short settings; a bigger one is not this file


def read_file(path: Path, named_by_env: bool) -> FileContents:
    """Read the file; ``named_by_env``: HEMGENIX_CONFIG named it (so a missing file is worth a sentence)."""
    try:
        data = read_regular_file(path, MAX_SETTINGS_FILE, "settings file")
    except FileNotFoundError:
        return FileContents(path, {}, False, missing_named=named_by_env)
    except UnreadableFileError:  # a device, a named pipe, a folder, or far too big: never waited on or read whole
        return FileContents(
            path,
            {},
            True,
            f"it is not a regular file of at most {MAX_SETTINGS_FILE // (1024 * 1024)} MB",
            "Give a TOML file.",
        )
    except OSError as exc:
        return _unreadable(path, exc)
    import tomllib  # only when there is a file to read (most workstations have none: a quicker start)

    try:
        values = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        return FileContents(path, {}, True, "it is not UTF-8 text", "Save it as UTF-8 text.")
    except tomllib.TOMLDecodeError as exc:
        return FileContents(path, {}, True, f"it is not valid TOML: {exc}", _FIX_TOML)
    except RecursionError:  # lists or tables nested thousands deep
        return FileContents(path, {}, True, "it is not valid TOML: a value is nested too deeply", _FIX_TOML)
    except ValueError:  # a number of thousands of digits (Python's limit on int())
        return FileContents(path, {}, True, "it is not valid TOML: a number has too many digits", _FIX_TOML)
    return FileContents(path, values, True)


def _unreadable(path: Path, exc: OSError) -> FileContents:
    return FileContents(
        path, {}, True, f"it cannot be read: {exc.strerror or exc}", "Check that it is a file this user may read."
    )


def named_by_env(env: Mapping[str, str]) -> bool:
    return bool(env.get(ENV_CONFIG, "").strip())


def checked_file_value(contents: FileContents, key: str) -> tuple[Value | None, str | None]:
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
    contents = read_file(settings_path(env), named_by_env(env)) if path is None else read_file(path, False)
    settings, _set_keys, warnings = load_contents(contents)
    return settings, warnings


def load_contents(contents: FileContents) -> tuple[SiteSettings, set[str], list[str]]:
    """The file's settings, the keys it sets usably, and the warnings."""
    warnings: list[str] = [contents.problem] if contents.problem else []
    settings = SiteSettings()
    set_keys: set[str] = set()
    where = f"The settings file {contents.path}"
    for key, raw in contents.values.items():
        if key not in BY_KEY:
            warnings.append(_unknown_in_file(contents.path, key))
            continue
        spec = BY_KEY[key]
        value, problem = checked_file_value(contents, key)
        if problem is not None and spec.kind == "database_url":
            warnings.append(bad_database_sentence(where, key, raw, problem))
            settings = settings.with_value(key, raw if isinstance(raw, str) else toml_text(raw))
        elif problem is not None:
            warnings.append(bad_value_sentence(where, key, raw, problem, f"the default ({spec.default_shown()})"))
        elif value is not None:
            settings = settings.with_value(key, value)
            set_keys.add(key)
    return settings, set_keys, warnings


def _unknown_in_file(path: Path, key: str) -> str:
    import difflib  # only to suggest a key for a misspelt one

    close = difflib.get_close_matches(key, KEYS, n=1)
    fix = f"Did you mean {close[0]}?" if close else f"Remove it, or see the list in README.md, “{README_SECTION}”."
    return f"The settings file {path} has a setting “{clip(key)}” that Hemgenix Prep does not know, so it is ignored. {fix}"


def bad_value_sentence(where: str, key: str, raw: object, reason: str, fallback: str) -> str:
    return f"{where} sets {key} to {shown_raw(key, raw)}, which cannot be used. {reason} Until it is corrected, {fallback} is used."


def bad_database_sentence(where: str, key: str, raw: object, reason: str) -> str:
    return (
        f"{where} sets {key} to {shown_raw(key, raw)}, which cannot be used. {reason} No database is opened until it "
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
        contents = read_file(target, False)
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
    write_private(path, text)  # owner-only, whole or not at all (private_files.py)


def write_owner_only(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, readable by its owner only (0600), its folder made 0700 if new."""
    _write_atomically(path, text)


# --- the database the file names (the one setting whose bad value opens nothing) -----------------------------
def file_database_url(environ: Mapping[str, str] | None = None) -> str | None:
    """The database URL the settings file names, or None when it names none (then the default applies).

    Raises :class:`DatabaseSettingUnusable` when the value is unusable or the file exists but cannot be read
    (it might name the pharmacy's shared database): a sentence, and no database is opened.
    """
    env = os.environ if environ is None else environ
    contents = read_file(settings_path(env), named_by_env(env))
    if contents.why:
        raise DatabaseSettingUnusable(
            f"The settings file {contents.path} cannot be used ({contents.why}), and it may name the pharmacy's "
            f"shared database, so no database is opened until it is corrected. {contents.fix} Or give the "
            f"database with --db or {ENV_DB_URL}."
        )
    value, problem = checked_file_value(contents, "database_url")
    if problem is not None:
        raise DatabaseSettingUnusable(
            bad_database_sentence(
                f"The settings file {contents.path}", "database_url", contents.values["database_url"], problem
            )
        )
    return None if value is None else str(value)


def cannot_be_read(path: Path) -> bool:
    """The file exists but cannot be read as settings (:func:`save_settings` then refuses to replace it unasked)."""
    return bool(read_file(path, False).why)


def restore_file(path: Path, old: bytes | None) -> None:
    """Put the settings file back as it was (``old``: its bytes; None: there was no file), atomically."""
    if old is None:
        path.unlink(missing_ok=True)
        return
    write_private(path, old)
