"""The one configuration resolver: every reader (the records through ``config``, ``hemgenix-prep settings show``,
the Settings dialog, the sign-in numbers) gets the same checked value, with the same sentence for a value that
cannot be used; precedence is command line, environment, settings file, default (README, "Settings a site sets
once"). Issue 12: a 300-character HEMGENIX_WORKSTATION used to reach the records while ``settings show`` and the
dialog refused it."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from hemgenix_desktop import config
from hemgenix_desktop.cli import main
from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.setting_table import FIELDS, host_name
from hemgenix_desktop.settings import resolve_setting, resolve_settings
from hemgenix_desktop.storage import Store

LONG_NAME = "W" * 300
SENTENCE = (
    "The environment variable HEMGENIX_WORKSTATION sets workstation_name to "
    f"“{'W' * 59}…”, which cannot be used. Workstation name must be at most 64 characters long; "
    f"“{'W' * 59}…” has 300. Until it is corrected, the default (this computer's name) is used."
)


@pytest.fixture
def settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for spec in FIELDS:
        monkeypatch.delenv(spec.env, raising=False)
    path = tmp_path / "config" / "settings.toml"
    monkeypatch.setenv("HEMGENIX_CONFIG", str(path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    write(path, "# nothing set\n")
    return path


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# --- the 300-character workstation name, from every reader ---------------------------------------------------
def test_the_records_never_get_a_refused_workstation_name(settings_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEMGENIX_WORKSTATION", LONG_NAME)
    assert config.workstation_name() == host_name()
    resolved = resolve_setting("workstation_name")
    assert resolved.value == host_name()
    assert resolved.warnings == (SENTENCE,)
    assert resolved.refused == ("environment HEMGENIX_WORKSTATION", LONG_NAME)


def test_the_records_get_the_files_name_when_the_environments_is_refused(
    settings_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(settings_file, 'workstation_name = "PHARM-WS-07"\n')
    monkeypatch.setenv("HEMGENIX_WORKSTATION", LONG_NAME)
    assert config.workstation_name() == "PHARM-WS-07"
    assert resolve_settings().settings.workstation_name == "PHARM-WS-07"
    assert resolve_settings().sources["workstation_name"] == "settings file"


def test_settings_show_says_the_same_sentence_and_shows_the_same_value(
    settings_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HEMGENIX_WORKSTATION", LONG_NAME)
    assert main(["settings", "show", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["settings"]["workstation_name"] == {"value": config.workstation_name(), "source": "default"}
    assert SENTENCE in shown["warnings"]
    assert main(["settings", "show"]) == 0
    out, err = capsys.readouterr()
    assert LONG_NAME not in out
    assert SENTENCE in err.splitlines()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{tmp_path / 'hemgenix.sqlite3'}")
    yield opened
    opened.close()


def test_the_settings_dialog_says_the_same_sentence_and_shows_the_same_value(
    qtbot: QtBot, store: Store, settings_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hemgenix_desktop.ui.settings_dialog import SettingsDialog
    from tests.ui.main_helpers import WORKSTATION, add_people

    people = add_people(store)
    monkeypatch.setenv("HEMGENIX_WORKSTATION", LONG_NAME)
    dialog = SettingsDialog(None, user=people["ppharm"], store=store, workstation=WORKSTATION, practice=False)
    qtbot.addWidget(dialog)
    assert dialog.resolved.settings.workstation_name == config.workstation_name()
    assert f"• {SENTENCE}" in dialog.warnings.text().splitlines()
    assert LONG_NAME not in dialog.rows["workstation_name"].in_effect_label.text()


# --- every reader agrees --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("variable", "text"),
    [
        ("HEMGENIX_WORKSTATION", "WS\t07"),
        ("HEMGENIX_WORKSTATION", " hood-2 "),
        ("HEMGENIX_SITE", "S" * 81),
        ("HEMGENIX_SITE", "  Ward   4  "),
    ],
)
def test_config_and_the_resolver_agree(
    settings_file: Path, monkeypatch: pytest.MonkeyPatch, variable: str, text: str
) -> None:
    monkeypatch.setenv(variable, text)
    resolved = resolve_settings()
    assert config.workstation_name() == resolved.settings.workstation_name
    assert config.site_name() == resolved.settings.site_name
    assert all(text not in value for value in (config.workstation_name(), config.site_name()) if len(text) > 80)


def test_a_refused_sign_in_number_stops_the_program_and_settings_show_says_why(
    settings_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEMGENIX_LOCKOUT_ATTEMPTS", "1e2")
    with pytest.raises(InvalidInput) as info:
        config.Settings.from_env()
    assert info.value.message == (
        "The setting HEMGENIX_LOCKOUT_ATTEMPTS is “1e2”, which is not a whole number from 1 to 100. "
        "Correct it or remove it to use the default of 5."
    )
    assert resolve_settings().warnings == (
        "The environment variable HEMGENIX_LOCKOUT_ATTEMPTS sets lockout_attempts to “1e2”, which cannot be used. "
        "Failed sign-ins before an account locks must be a whole number from 1 to 100; “1e2” is not. Until it is "
        "corrected, the default (5) is used.",
    )


# --- precedence: command line, environment, settings file, default --------------------------------------------
def test_precedence_is_the_same_for_one_setting_and_for_all(
    settings_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert resolve_setting("idle_lock_minutes").value == 5
    assert resolve_setting("idle_lock_minutes").source == "default"
    write(settings_file, "idle_lock_minutes = 9\nlockout_minutes = 30\n")
    assert resolve_setting("idle_lock_minutes").value == 9
    assert resolve_setting("idle_lock_minutes").source == "settings file"
    monkeypatch.setenv("HEMGENIX_IDLE_LOCK_MINUTES", "3")
    assert resolve_setting("idle_lock_minutes").value == 3
    assert resolve_setting("idle_lock_minutes").source == "environment HEMGENIX_IDLE_LOCK_MINUTES"
    assert config.Settings.from_env() == config.Settings(lockout_attempts=5, lockout_minutes=30, idle_lock_minutes=3)
    resolved = resolve_settings()
    for spec in FIELDS:
        one = resolve_setting(spec.key)
        assert (one.value, one.source) == (resolved.settings.value(spec.key), resolved.sources[spec.key]), spec.key


def test_the_command_line_comes_first(settings_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(settings_file, 'database_url = "sqlite:////file.db"\n')
    monkeypatch.setenv("HEMGENIX_DB_URL", "sqlite:////env.db")
    assert resolve_setting("database_url", "sqlite:////cli.db").value == "sqlite:////cli.db"
    assert resolve_setting("database_url").value == "sqlite:////env.db"
    assert config.resolve_db_url("sqlite:////cli.db") == "sqlite:////cli.db"
    assert config.resolve_db_url() == "sqlite:////env.db"
    monkeypatch.delenv("HEMGENIX_DB_URL")
    assert resolve_setting("database_url").value == config.resolve_db_url() == "sqlite:////file.db"


# --- the table ------------------------------------------------------------------------------------------------
def test_every_validator_the_table_names_exists() -> None:
    for spec in FIELDS:
        module, _, name = spec.validator.rpartition(".")
        assert callable(getattr(importlib.import_module(module), name)), spec.key


def test_config_and_settings_do_not_import_each_other() -> None:
    root = Path(__file__).resolve().parents[2] / "hemgenix_desktop"
    for name in ("setting_table.py", "settings_file.py", "settings.py"):
        text = (root / name).read_text(encoding="utf-8")
        assert "hemgenix_desktop.config" not in text.replace(":mod:`hemgenix_desktop.config`", ""), name
        assert "import config" not in text, name
