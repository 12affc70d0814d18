"""Changing this workstation's settings, with no Qt: who may, and a change that is never without its audit event.

The Settings dialog draws the values and their sentences; this module decides. Only an active pharmacist's account
(``domain.permissions.may_administer``, read again from the database at the moment of saving) may save. The file
is written first, then the audit event; when the event cannot be written, the file is put back as it was, so that
no setting changes without its trace.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from hemgenix_desktop.domain.errors import DomainError
from hemgenix_desktop.domain.permissions import may_administer
from hemgenix_desktop.domain.vocabulary import AuditAction
from hemgenix_desktop.setting_table import SITE_FLOORS
from hemgenix_desktop.settings import SiteSettings, Value, hide_password, save_settings
from hemgenix_desktop.settings_file import restore_file
from hemgenix_desktop.storage import StorageError

if TYPE_CHECKING:
    from hemgenix_desktop.services.administration import Operator
    from hemgenix_desktop.storage import Store, User
    from hemgenix_desktop.storage.users import Approval

# SITE_FLOORS (setting_table): a value beyond one weakens the site's protection, so only the two-person rule may
# set it in the settings file; the environment's beyond one is refused at start (settings._choose, and recorded by
# services/environment.py).
# What keeps the trail and the signatures checkable from outside the database (issue 15): where the checkpoints go,
# which database is the site's, how the database connection is protected, the timestamp authority. Any change of
# one (to a folder or a database the changer controls, a weaker sslmode, no timestamps) needs a second pharmacist.
TWO_PERSON_KEYS = ("checkpoint_dir", "database_id", "database_sslmode", "timestamp_url")


def beyond_floor(key: str, value: Value) -> bool:
    """True when ``value`` for ``key`` needs a second pharmacist: it relaxes a site floor (a longer idle lock, more
    failed sign-ins), or ``key`` is one of :data:`TWO_PERSON_KEYS` (any change of it)."""
    if key in TWO_PERSON_KEYS:
        return True
    floor = SITE_FLOORS.get(key)
    return floor is not None and isinstance(value, int) and value > floor


def floor_sentence(key: str, value: Value) -> str:
    shown = value if value != "" else '""'
    command = f"hemgenix-prep settings set {key} {shown} --username YOU --approver NAME."
    if key in TWO_PERSON_KEYS:
        return (
            f"{key} keeps the audit trail and the records checkable from outside the database, so a second "
            f"pharmacist must approve any change of it: {command}"
        )
    return f"{key} {value} is beyond the site floor of {SITE_FLOORS[key]}, so a second pharmacist must approve it: {command}"


class SettingsNotSavedError(DomainError):
    """The settings were not saved (or were put back); the message says why and what to do."""


def check_may_save(store: Store, user: User | Operator) -> None:
    """Raise ``SettingsNotSavedError`` unless ``user``'s account is, right now, an active pharmacist's."""
    try:
        account = store.users.get(user.username)
    except StorageError as exc:
        raise SettingsNotSavedError(exc.message) from exc
    if account is None or not account.active or not may_administer(account.role):
        raise SettingsNotSavedError(
            f"Nothing was saved: the account {user.username} is no longer an active pharmacist's account, and only "
            "a pharmacist can change the settings."
        )


def audit_value(key: str, value: Value) -> Value:
    """A value as the audit trail keeps it: a database password hidden."""
    return hide_password(value) if key == "database_url" and isinstance(value, str) else value


def quoted(key: str, value: Value) -> str:
    """A value in a sentence: numbers as they are, text in quotes, empty as “(empty)”."""
    if isinstance(value, int):
        return str(value)
    return f"“{audit_value(key, value)}”" if value != "" else "(empty)"


def save_audited(
    store: Store,
    user: User | Operator,
    workstation: str,
    path: Path,
    change: tuple[SiteSettings, SiteSettings, list[str]],
    *,
    file_warnings: int,
    replace: bool,
    approval: Approval | None = None,
) -> None:
    """Write ``change`` (the settings now, the settings wanted, the keys that differ) into ``path``, then its audit
    event. Raises ``InvalidInput`` when the file cannot be written, ``SettingsNotSavedError`` when the event cannot be
    written (the file is put back as it was, or the sentence says it could not be)."""
    current, target, changed = change
    relaxed = [key for key in changed if beyond_floor(key, target.value(key))]
    if relaxed and approval is None:
        key = relaxed[0]
        raise SettingsNotSavedError(f"Nothing was saved: {floor_sentence(key, target.value(key))}")
    old: bytes | None = None
    old_readable = True
    try:
        old = path.read_bytes()
    except FileNotFoundError:
        old = None
    except OSError:
        old_readable = False  # save_settings replaces it only when asked (replace=True)
    save_settings(target, path, replace_unreadable=replace)
    before = {key: audit_value(key, current.value(key)) for key in changed}
    after: dict[str, object] = {key: audit_value(key, target.value(key)) for key in changed}
    if approval is not None:
        after |= approval.details()
    parts = [f"{key} {quoted(key, current.value(key))} → {quoted(key, target.value(key))}" for key in changed]
    summary = f"Settings changed in {path} by {user.describe()}: " + ("; ".join(parts) if parts else "no value changed")
    if file_warnings:
        summary += f"; the file was rewritten without what could not be used ({file_warnings} problem(s))"
    if approval is not None:
        summary += f".{approval.summary().removesuffix('.')}"
    try:
        store.record_event(
            user,
            workstation,
            AuditAction.SETTINGS_CHANGED,
            summary + ".",
            before=before,
            after=after,
            approval=approval,
        )
    except (StorageError, DomainError) as exc:
        try:
            if not old_readable:
                raise OSError("what it held before could not be read")
            restore_file(path, old)
            undone = "The settings file was put back as it was, so nothing changed."
        except OSError as put_back_error:
            undone = (
                f"The settings file could not be put back as it was ({put_back_error.strerror or put_back_error}): "
                "check it with “hemgenix-prep settings show”."
            )
        raise SettingsNotSavedError(
            f"The change could not be written to the audit trail ({exc.message}). {undone}"
        ) from exc


__all__ = [
    "SITE_FLOORS",
    "SettingsNotSavedError",
    "audit_value",
    "beyond_floor",
    "check_may_save",
    "floor_sentence",
    "quoted",
    "save_audited",
]
