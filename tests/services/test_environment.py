"""Security settings the environment changes are recorded once at start and said in the status bar (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hemgenix_desktop.config import Settings
from hemgenix_desktop.security.signin import IdleLockPolicy
from hemgenix_desktop.services.environment import differences, record_environment, refusals
from hemgenix_desktop.settings import resolve_setting
from hemgenix_desktop.storage import Store

ENV_NAMES = (
    "HEMGENIX_IDLE_LOCK_MINUTES",
    "HEMGENIX_LOCKOUT_ATTEMPTS",
    "HEMGENIX_LOCKOUT_MINUTES",
    "HEMGENIX_DB_URL",
    "HEMGENIX_PASSWORD_MAX_DAYS",
    "HEMGENIX_PASSWORD_HISTORY",
)


@pytest.fixture
def environ(tmp_path: Path) -> dict[str, str]:
    settings = tmp_path / "settings.toml"
    settings.write_text("idle_lock_minutes = 5\nlockout_attempts = 5\n", encoding="utf-8")
    return {"HEMGENIX_CONFIG": str(settings)}


def test_nothing_is_recorded_when_the_environment_agrees(store: Store, environ: dict[str, str]) -> None:
    assert record_environment(store, "hood-1", environ | {"HEMGENIX_IDLE_LOCK_MINUTES": "5"}) == ""
    assert store.audit_trail() == []


def test_an_idle_lock_of_60_minutes_from_the_environment_is_refused_and_a_lockout_of_7_recorded(
    store: Store, environ: dict[str, str]
) -> None:
    """Issue 14: HEMGENIX_IDLE_LOCK_MINUTES=60 is beyond the site floor (15), which only two pharmacists may relax:
    it is not used (the file's 5 is), and the refusal is in the trail; a change within the floors is recorded."""
    env = environ | {"HEMGENIX_IDLE_LOCK_MINUTES": "60", "HEMGENIX_LOCKOUT_ATTEMPTS": "7"}
    assert resolve_setting("idle_lock_minutes", environ=env).value == 5
    assert IdleLockPolicy.from_settings(Settings.from_env(env)).idle_minutes == 5
    assert [(d.key, d.variable, d.in_use, d.in_file) for d in differences(env)] == [
        ("lockout_attempts", "HEMGENIX_LOCKOUT_ATTEMPTS", 7, 5),
    ]
    sentence = record_environment(store, "hood-1", env)
    assert sentence == (
        "The environment tried to relax a site floor, which only two pharmacists may do (hemgenix-prep settings set "
        "… --approver NAME), so it was refused: HEMGENIX_IDLE_LOCK_MINUTES=60 (beyond the site floor of 15; "
        "idle_lock_minutes stays 5). The refusal is recorded in the audit trail. The environment changes security "
        "settings: lockout_attempts 7 from HEMGENIX_LOCKOUT_ATTEMPTS instead of 5. It is recorded in the audit trail."
    )
    refusal, event = store.audit_trail()
    assert refusal.action == "administration_refused"
    assert refusal.username.startswith("cli:")  # the operating-system account the program runs as
    assert refusal.after["idle_lock_minutes"] == {"asked": 60, "in_use": 5, "variable": "HEMGENIX_IDLE_LOCK_MINUTES"}
    assert event.action == "settings_from_environment"
    assert (event.before, event.after) == ({"lockout_attempts": 5}, {"lockout_attempts": 7})


def test_a_floor_the_file_relaxed_with_two_pharmacists_is_not_refused_from_the_environment(
    store: Store, tmp_path: Path
) -> None:
    settings = tmp_path / "relaxed.toml"
    settings.write_text("idle_lock_minutes = 30\n", encoding="utf-8")  # set with an approver (settings set)
    env = {"HEMGENIX_CONFIG": str(settings), "HEMGENIX_IDLE_LOCK_MINUTES": "20"}
    assert resolve_setting("idle_lock_minutes", environ=env).value == 20
    assert refusals(env) == []


def test_a_database_password_is_hidden(store: Store, environ: dict[str, str], tmp_path: Path) -> None:
    Path(environ["HEMGENIX_CONFIG"]).write_text('database_url = "sqlite:////srv/a.sqlite3"\n', encoding="utf-8")
    env = environ | {"HEMGENIX_DB_URL": "postgresql+psycopg://prep:s3cret@db/hem"}
    sentence = record_environment(store, "hood-1", env)
    assert "s3cret" not in sentence
    assert "s3cret" not in repr(store.audit_trail()[-1])
    assert "“postgresql+psycopg://prep:***@db/hem” from HEMGENIX_DB_URL" in sentence
