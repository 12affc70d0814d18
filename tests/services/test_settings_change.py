"""Changing the settings, with no Qt: only an active pharmacist saves, and never without the audit event."""

from __future__ import annotations

from pathlib import Path

import pytest

from hemgenix_desktop.domain.errors import DomainError
from hemgenix_desktop.domain.vocabulary import AuditAction
from hemgenix_desktop.services.settings_change import SettingsNotSavedError, check_may_save, save_audited
from hemgenix_desktop.settings import SiteSettings
from hemgenix_desktop.settings_file import load_settings
from hemgenix_desktop.storage import Store, User
from tests.helpers.store import OPERATOR, WORKSTATION


def change(path: Path, key: str, value: str) -> tuple[SiteSettings, SiteSettings, list[str]]:
    current, _warnings = load_settings(path)
    target = current.with_value(key, value)
    return current, target, [key]


def test_only_an_active_pharmacists_account_may_save(store: Store, tech: User, pharmacist: User) -> None:
    check_may_save(store, pharmacist)
    with pytest.raises(SettingsNotSavedError) as caught:
        check_may_save(store, tech)
    assert caught.value.message == (
        "Nothing was saved: the account tina is no longer an active pharmacist's account, and only a pharmacist can "
        "change the settings."
    )
    store.users.set_active(pharmacist.username, False, OPERATOR, WORKSTATION)
    with pytest.raises(SettingsNotSavedError):  # read again at the moment of saving
        check_may_save(store, pharmacist)


def test_a_change_is_written_with_its_audit_event(store: Store, pharmacist: User, tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    save_audited(
        store, pharmacist, WORKSTATION, path, change(path, "site_name", "North Wing"), file_warnings=0, replace=False
    )
    assert load_settings(path)[0].value("site_name") == "North Wing"
    [event] = [e for e in store.audit_trail() if e.action == AuditAction.SETTINGS_CHANGED]
    assert event.after == {"site_name": "North Wing"}
    assert "site_name" in event.summary


def test_a_change_whose_audit_event_fails_is_put_back(
    store: Store, pharmacist: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "settings.toml"
    save_audited(
        store, pharmacist, WORKSTATION, path, change(path, "site_name", "First"), file_warnings=0, replace=False
    )
    before = path.read_bytes()

    def fail(*_args: object, **_kwargs: object) -> None:
        raise DomainError("the database is locked")

    monkeypatch.setattr(store, "record_event", fail)
    with pytest.raises(SettingsNotSavedError) as caught:
        save_audited(
            store, pharmacist, WORKSTATION, path, change(path, "site_name", "Second"), file_warnings=0, replace=False
        )
    assert caught.value.message == (
        "The change could not be written to the audit trail (the database is locked). The settings file was put back "
        "as it was, so nothing changed."
    )
    assert path.read_bytes() == before


@pytest.mark.parametrize(("key", "value"), [("idle_lock_minutes", 16), ("lockout_attempts", 11)])
def test_a_site_floor_is_relaxed_only_with_a_second_pharmacist(
    store: Store, pharmacist: User, tmp_path: Path, key: str, value: int
) -> None:
    path = tmp_path / "settings.toml"
    current, _warnings = load_settings(path)
    wanted = (current, current.with_value(key, value), [key])
    with pytest.raises(SettingsNotSavedError) as caught:  # the Settings dialog gives no approval
        save_audited(store, pharmacist, WORKSTATION, path, wanted, file_warnings=0, replace=False)
    assert caught.value.message == (
        f"Nothing was saved: {key} {value} is beyond the site floor of {value - 1}, so a second pharmacist must "
        f"approve it: hemgenix-prep settings set {key} {value} --username YOU --approver NAME."
    )
    assert not path.exists()
    assert [e.action for e in store.audit_trail()] == ["user_added"]  # the pharmacist's account only
    at_floor = (current, current.with_value(key, value - 1), [key])
    save_audited(store, pharmacist, WORKSTATION, path, at_floor, file_warnings=0, replace=False)
    assert load_settings(path)[0].value(key) == value - 1
