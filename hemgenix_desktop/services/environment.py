"""Security settings the environment changes, recorded at start, with no Qt.

An environment variable comes before the settings file (README, "Settings a site sets once"), so whoever can set
one on a workstation can lengthen the idle lock or the lockout without the Settings dialog or ``settings set``.
When the program starts, :func:`record_environment` compares each security setting's value in use with what the
settings file (or the default) says; when the environment makes them differ, one ``settings_from_environment``
event says so in the audit trail, and the returned sentence is shown in the window's warning banner. A value beyond
a site floor (``services.settings_change.SITE_FLOORS``) is named as such.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hemgenix_desktop.domain.vocabulary import AuditAction
from hemgenix_desktop.services.settings_change import (
    SITE_FLOORS,
    TWO_PERSON_KEYS,
    audit_value,
    beyond_floor,
    quoted,
)
from hemgenix_desktop.settings import (
    SOURCE_DEFAULT,
    SOURCE_FILE,
    load_settings,
    resolve_setting,
    setting_field,
    settings_path,
)
from hemgenix_desktop.storage import StorageError, cli_actor

if TYPE_CHECKING:
    from hemgenix_desktop.settings import Value
    from hemgenix_desktop.storage import Store

# The settings that protect the records: the idle lock, the lockout, the database, the password ageing, and what
# keeps the trail and the signatures checkable from outside the database (checkpoints, database ID, sslmode, TSA).
SECURITY_KEYS = (
    "idle_lock_minutes",
    "lockout_attempts",
    "lockout_minutes",
    "database_url",
    "password_max_days",
    "password_history",
    "checkpoint_dir",
    "database_id",
    "database_sslmode",
    "timestamp_url",
)


@dataclass(frozen=True)
class Difference:
    key: str
    variable: str
    in_use: Value
    in_file: Value


def differences(environ: Mapping[str, str] | None = None) -> list[Difference]:
    """Each security setting whose value in use (from the environment) differs from the settings file's (or the
    default when the file does not set it)."""
    env = os.environ if environ is None else environ
    in_file, _warnings = load_settings(settings_path(env))
    found = []
    for key in SECURITY_KEYS:
        resolved = resolve_setting(key, environ=env)
        if resolved.source in (SOURCE_FILE, SOURCE_DEFAULT):
            continue
        written = in_file.value(key)
        if key == "database_url" and written == "":
            continue  # the default database is filled in only when used: compare named databases only
        if resolved.value != written:
            found.append(Difference(key, setting_field(key).env, resolved.value, written))
    return found


@dataclass(frozen=True)
class Refusal:
    """An environment variable's value beyond a site floor, not used (the settings file's or the default is)."""

    key: str
    variable: str
    asked: str
    in_use: Value


def refusals(environ: Mapping[str, str] | None = None) -> list[Refusal]:
    """Each site floor the environment tried to relax (``settings._choose`` refused the value)."""
    env = os.environ if environ is None else environ
    found = []
    for key in SITE_FLOORS:
        resolved = resolve_setting(key, environ=env)
        if resolved.refused is not None and resolved.refused[0].startswith("environment "):
            asked = resolved.refused[1].strip()
            if asked.isdigit() and beyond_floor(key, int(asked)):
                found.append(Refusal(key, setting_field(key).env, asked, resolved.value))
    return found


def record_environment(store: Store, workstation: str, environ: Mapping[str, str] | None = None) -> str:
    """Record, once at this start, the security settings the environment makes differ from the settings file, and
    (refused, audited) each site floor it tried to relax; returns "" or the sentence for the window's warning banner
    (the audit trail's failure is said there too)."""
    refused = _record_refusals(store, workstation, refusals(environ))
    found = differences(environ)
    if not found:
        return refused
    parts = []
    for d in found:
        part = f"{d.key} {quoted(d.key, d.in_use)} from {d.variable} instead of {quoted(d.key, d.in_file)}"
        if d.key in TWO_PERSON_KEYS:
            part += " (a setting only two pharmacists may change)"
        elif beyond_floor(d.key, d.in_use):
            part += " (beyond the site floor)"
        parts.append(part)
    sentence = "The environment changes security settings: " + "; ".join(parts) + "."
    try:
        store.record_event(
            cli_actor(),
            workstation,
            AuditAction.SETTINGS_FROM_ENVIRONMENT,
            f"At start, {sentence[:1].lower()}{sentence[1:]}",
            before={d.key: audit_value(d.key, d.in_file) for d in found},
            after={d.key: audit_value(d.key, d.in_use) for d in found},
        )
    except StorageError as exc:
        return f"{refused}{sentence} It could not be recorded in the audit trail: {exc.message}"
    return f"{refused}{sentence} It is recorded in the audit trail."


def record_refusals(store: Store, workstation: str, environ: Mapping[str, str] | None = None) -> str:
    """For the command line: each site floor the environment tried to relax, refused and audited; "" or the
    sentence (ending with a space)."""
    return _record_refusals(store, workstation, refusals(environ))


def _record_refusals(store: Store, workstation: str, found: list[Refusal]) -> str:
    """The refusal of each floor the environment tried to relax, in the audit trail; "" or the sentence (ending
    with a space) for the window's warning banner."""
    if not found:
        return ""
    parts = [
        f"{r.variable}={r.asked} (beyond the site floor of {SITE_FLOORS[r.key]}; {r.key} stays {r.in_use})"
        for r in found
    ]
    sentence = (
        "The environment tried to relax a site floor, which only two pharmacists may do (hemgenix-prep settings "
        f"set … --approver NAME), so it was refused: {'; '.join(parts)}."
    )
    actor = cli_actor()
    try:
        store.users.record_refusal(
            actor,
            workstation,
            f"At start, refused relaxing a site floor: {sentence[:1].lower()}{sentence[1:]}",
            {
                "action": "relaxing a site floor",
                "reason": sentence,
                "os_account": actor.username.removeprefix("cli:"),
                **{r.key: {"asked": int(r.asked), "in_use": r.in_use, "variable": r.variable} for r in found},
            },
        )
    except StorageError as exc:
        return f"{sentence} The refusal could not be recorded in the audit trail: {exc.message} "
    return f"{sentence} The refusal is recorded in the audit trail. "


__all__ = ["SECURITY_KEYS", "Difference", "Refusal", "differences", "record_environment", "record_refusals", "refusals"]
