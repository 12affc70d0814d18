"""Security settings the environment changes are recorded once at start and said in the status bar (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hemgenix_desktop.services.environment import differences, record_environment
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


def test_an_idle_lock_of_60_minutes_from_the_environment_is_recorded_once(
    store: Store, environ: dict[str, str]
) -> None:
    env = environ | {"HEMGENIX_IDLE_LOCK_MINUTES": "60", "HEMGENIX_LOCKOUT_ATTEMPTS": "7"}
    assert [(d.key, d.variable, d.in_use, d.in_file) for d in differences(env)] == [
        ("idle_lock_minutes", "HEMGENIX_IDLE_LOCK_MINUTES", 60, 5),
        ("lockout_attempts", "HEMGENIX_LOCKOUT_ATTEMPTS", 7, 5),
    ]
    sentence = record_environment(store, "hood-1", env)
    assert sentence == (
        "The environment changes security settings: idle_lock_minutes 60 from HEMGENIX_IDLE_LOCK_MINUTES instead of "
        "5 (beyond the site floor); lockout_attempts 7 from HEMGENIX_LOCKOUT_ATTEMPTS instead of 5. It is recorded "
        "in the audit trail."
    )
    [event] = store.audit_trail()
    assert event.action == "settings_from_environment"
    assert event.username.startswith("cli:")  # the operating-system account the program runs as
    assert len(event.after.pop("database_id")) == 32  # the database's first event names its random ID (issue 15)
    assert (event.before, event.after) == (
        {"idle_lock_minutes": 5, "lockout_attempts": 5},
        {"idle_lock_minutes": 60, "lockout_attempts": 7},
    )


def test_a_database_password_is_hidden(store: Store, environ: dict[str, str], tmp_path: Path) -> None:
    Path(environ["HEMGENIX_CONFIG"]).write_text('database_url = "sqlite:////srv/a.sqlite3"\n', encoding="utf-8")
    env = environ | {"HEMGENIX_DB_URL": "postgresql+psycopg://prep:s3cret@db/hem"}
    sentence = record_environment(store, "hood-1", env)
    assert "s3cret" not in sentence
    assert "s3cret" not in repr(store.audit_trail()[-1])
    assert "“postgresql+psycopg://prep:***@db/hem” from HEMGENIX_DB_URL" in sentence
