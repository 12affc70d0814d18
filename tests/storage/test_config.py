"""Where the database is: --db, else HEMGENIX_DB_URL, else a SQLite file in the user's data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from hemgenix_desktop import config
from hemgenix_desktop.domain.errors import InvalidInput


def test_the_command_line_wins_over_the_environment() -> None:
    env = {"HEMGENIX_DB_URL": "sqlite:////env.db"}
    assert config.resolve_db_url("sqlite:////cli.db", env) == "sqlite:////cli.db"
    assert config.resolve_db_url(None, env) == "sqlite:////env.db"
    assert config.resolve_db_url("  ", env) == "sqlite:////env.db"


def test_the_default_is_a_file_in_the_users_data_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert config.resolve_db_url(None, {}) == f"sqlite:///{tmp_path / 'hemgenix-prep' / 'hemgenix-prep.sqlite3'}"


def test_the_workstation_name() -> None:
    assert config.workstation_name({"HEMGENIX_WORKSTATION": " hood-2 "}) == "hood-2"
    assert config.workstation_name({}) != ""


def test_settings_defaults_and_overrides() -> None:
    assert config.Settings.from_env({}) == config.Settings(5, 15, 5)
    assert config.Settings.from_env(
        {"HEMGENIX_LOCKOUT_ATTEMPTS": "3", "HEMGENIX_LOCKOUT_MINUTES": "30", "HEMGENIX_IDLE_LOCK_MINUTES": "2"}
    ) == config.Settings(3, 30, 2)


def test_a_bad_setting_is_a_sentence() -> None:
    with pytest.raises(InvalidInput) as info:
        config.Settings.from_env({"HEMGENIX_IDLE_LOCK_MINUTES": "0.5"})
    assert info.value.message == (
        "The setting HEMGENIX_IDLE_LOCK_MINUTES is “0.5”, which is not a whole number from 1 to 60. "
        "Correct it or remove it to use the default of 5."
    )
