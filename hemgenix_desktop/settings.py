"""The one configuration resolver: the values Hemgenix Prep runs with, and where each came from.

Precedence, for every setting: the command line (only ``--db``), else its environment variable, else the settings
file, else the default. A value that cannot be used is never used: it gives one sentence (the same in
``hemgenix-prep settings show``, the Settings dialog and the status bar at start) and the next source's value.
The database is the exception (see :mod:`hemgenix_desktop.settings_file`): an unusable database gives a sentence
and no database at all.

* :mod:`hemgenix_desktop.setting_table` is the table of settings (key, type, default, environment variable,
  file key, validator and who owns it) and the one check of a value (:func:`validate_setting`).
* :mod:`hemgenix_desktop.settings_file` reads and writes the settings file.
* Here, :func:`resolve_settings` gives every value; :func:`resolve_setting` gives one (what
  :mod:`hemgenix_desktop.config` hands to the records, the storage and the sign-in: the same checked value).

This module re-exports the names the Settings dialog and ``hemgenix-prep settings`` use, so they import from one
place.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.setting_table import (
    DEFAULT_SITE_NAME,
    ENV_CONFIG,
    FIELDS,
    KEYS,
    README_SECTION,
    SITE_FLOORS,
    DatabaseSettingUnusable,
    SettingField,
    SiteSettings,
    Value,
    default_db_url,
    hide_password,
    host_name,
    setting_field,
    shown_raw,
    shown_value,
    validate_setting,
)
from hemgenix_desktop.settings_file import (
    FileContents,
    bad_database_sentence,
    bad_value_sentence,
    checked_file_value,
    default_settings_path,
    file_database_url,
    load_contents,
    load_settings,
    named_by_env,
    read_file,
    render_settings,
    save_settings,
    settings_path,
    toml_string,
)

__all__ = [
    "ENV_CONFIG",
    "FIELDS",
    "KEYS",
    "README_SECTION",
    "SOURCE_DEFAULT",
    "SOURCE_FILE",
    "DatabaseSettingUnusable",
    "ResolvedSetting",
    "ResolvedSettings",
    "SettingField",
    "SiteSettings",
    "Value",
    "default_settings_path",
    "file_database_url",
    "hide_password",
    "load_settings",
    "render_settings",
    "resolve_setting",
    "resolve_settings",
    "save_settings",
    "setting_field",
    "settings_path",
    "shown_value",
    "toml_string",
    "validate_setting",
]

SOURCE_DEFAULT = "default"
SOURCE_FILE = "settings file"


@dataclass(frozen=True)
class ResolvedSetting:
    """One setting's value in use (defaults filled in: the host name, the default database URL, the generic site
    name), where it came from, and a sentence per value that could not be used.

    ``refused`` holds ``(source, text)`` of the first command-line or environment value that could not be used
    (so a caller that must refuse to run on it, such as the sign-in numbers, can say so); ``fallback_source`` is
    where the value in use came from when one was refused."""

    key: str
    value: Value
    source: str
    warnings: tuple[str, ...]
    database_problem: str | None = None
    refused: tuple[str, str] | None = None


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


@dataclass(frozen=True)
class _Choice:
    value: Value
    source: str
    warnings: list[str]
    database_problem: str | None
    refused: tuple[str, str] | None


def _choose(
    spec: SettingField, given: str | None, env: Mapping[str, str], fallback: Value, fallback_source: str
) -> _Choice:
    """The command line's value, else the environment's, else ``fallback`` (the file's usable value or the
    default): the one place a value given outside the file is checked."""
    if fallback_source == SOURCE_FILE:
        fallback_text = f"the value from the settings file ({shown_raw(spec.key, fallback)})"
    else:
        fallback_text = f"the default ({spec.default_shown()})"
    candidates: list[tuple[str, str, str]] = []  # (where, source, text)
    if given is not None and given.strip():
        option = "--db" if spec.key == "database_url" else f"--{spec.key.replace('_', '-')}"
        candidates.append((f"The command line option {option}", f"command line {option}", given))
    if env.get(spec.env, "").strip():
        candidates.append((f"The environment variable {spec.env}", f"environment {spec.env}", env[spec.env]))
    warnings: list[str] = []
    refused: tuple[str, str] | None = None
    for where, source, text in candidates:
        try:
            value = validate_setting(spec.key, text)
        except InvalidInput as exc:
            if spec.kind == "database_url":  # never another database in place of the one named
                problem = bad_database_sentence(where, spec.key, text, exc.message)
                return _Choice("", source, [*warnings, problem], problem, refused or (source, text))
            warnings.append(bad_value_sentence(where, spec.key, text, exc.message, fallback_text))
            refused = refused or (source, text)
            continue
        floor = SITE_FLOORS.get(spec.key)
        if floor is not None and isinstance(value, int) and value > max(floor, _int(fallback)):
            warnings.append(
                f"{where} sets {spec.key} to {value}, beyond the site floor of {floor}, so it is not used: "
                f"{fallback_text} is. Only two pharmacists may relax a site floor: hemgenix-prep settings set "
                f"{spec.key} {value} --username YOU --approver NAME."
            )
            refused = refused or (source, text)
            continue
        return _Choice(value, source, warnings, None, refused)
    return _Choice(fallback, fallback_source, warnings, None, refused)


def _int(value: Value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _filled(key: str, value: Value, database_usable: bool = True) -> Value:
    """An empty text replaced by what it stands for."""
    if value != "":
        return value
    if key == "site_name":
        return DEFAULT_SITE_NAME
    if key == "workstation_name":
        return host_name() or "unknown workstation"
    if key == "database_url" and database_usable:
        return default_db_url()
    return value


def resolve_setting(
    key: str, cli_value: str | None = None, environ: Mapping[str, str] | None = None
) -> ResolvedSetting:
    """One setting as :func:`resolve_settings` gives it, checking only that setting (so reading the sign-in
    numbers never loads the label or database rules). Never raises for a bad value; an unknown key raises
    :class:`InvalidInput`."""
    spec = setting_field(key)
    env = os.environ if environ is None else environ
    contents = read_file(settings_path(env), named_by_env(env))
    file_warnings = [contents.problem] if contents.problem else []
    value, problem = checked_file_value(contents, key)
    if problem is not None:
        where = f"The settings file {contents.path}"
        raw = contents.values[key]
        if spec.kind == "database_url":
            file_warnings.append(bad_database_sentence(where, key, raw, problem))
        else:
            file_warnings.append(bad_value_sentence(where, key, raw, problem, f"the default ({spec.default_shown()})"))
    fallback, fallback_source = (spec.default, SOURCE_DEFAULT) if value is None else (value, SOURCE_FILE)
    choice = _choose(spec, cli_value, env, fallback, fallback_source)
    database_problem = choice.database_problem
    if spec.kind == "database_url" and choice.source in (SOURCE_FILE, SOURCE_DEFAULT):
        try:
            file_database_url(env)
        except DatabaseSettingUnusable as exc:
            database_problem = exc.message
    return ResolvedSetting(
        key=key,
        value=_filled(key, choice.value, database_problem is None),
        source=choice.source,
        warnings=tuple(dict.fromkeys([*file_warnings, *choice.warnings])),
        database_problem=database_problem,
        refused=choice.refused,
    )


def resolve_settings(
    cli: Mapping[str, str | None] | None = None, environ: Mapping[str, str] | None = None
) -> ResolvedSettings:
    """Every setting from the command line (``cli``: key → text, e.g. ``{"database_url": args.db}``), then its
    environment variable, then the settings file, then the default. Never raises: a bad value gives a
    sentence and the next source's value (except the database, see :mod:`hemgenix_desktop.settings_file`)."""
    env = os.environ if environ is None else environ
    given = {key: value for key, value in (cli or {}).items() if value is not None and value.strip()}
    for key in given:
        setting_field(key)  # an unknown key is a programming error: raises with a sentence
    path = settings_path(env)
    contents = read_file(path, named_by_env(env))
    file_settings, set_keys, warnings = load_contents(contents)
    values: dict[str, Value] = {}
    sources: dict[str, str] = {}
    database_problem: str | None = None
    for spec in FIELDS:
        fallback_source = SOURCE_FILE if spec.key in set_keys else SOURCE_DEFAULT
        choice = _choose(spec, given.get(spec.key), env, file_settings.value(spec.key), fallback_source)
        warnings.extend(choice.warnings)
        database_problem = choice.database_problem or database_problem
        values[spec.key], sources[spec.key] = choice.value, choice.source
    if sources["database_url"] in (SOURCE_FILE, SOURCE_DEFAULT):
        database_problem = _file_database_problem(env, contents, warnings)
        if database_problem is not None:
            values["database_url"], sources["database_url"] = "", SOURCE_FILE
    filled = {key: _filled(key, value, database_problem is None) for key, value in values.items()}
    return ResolvedSettings(
        settings=SiteSettings(**filled),  # type: ignore[arg-type]
        sources=sources,
        warnings=tuple(warnings),
        path=path,
        file_exists=contents.exists,
        database_problem=database_problem,
    )


def _file_database_problem(env: Mapping[str, str], contents: FileContents, warnings: list[str]) -> str | None:
    """The sentence when the settings file names no usable database (said once among ``warnings``)."""
    try:
        file_database_url(env)
    except DatabaseSettingUnusable as exc:
        if contents.why:
            warnings.append(exc.message)
        return exc.message
    return None
