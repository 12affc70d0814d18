"""The settings a site sets once: the TOML file, its sentences, precedence, atomic saving, the CLI."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import stat
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hemgenix_desktop import config
from hemgenix_desktop.cli import main
from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.settings import (
    FIELDS,
    KEYS,
    DatabaseSettingUnusable,
    SiteSettings,
    default_settings_path,
    file_database_url,
    load_settings,
    render_settings,
    resolve_settings,
    save_settings,
    setting_field,
    settings_path,
    toml_string,
    validate_setting,
)
from tests.helpers.store import open_store_file
from tests.security.test_cli_attacks import PASSWORDS, _people

ROOT = Path(__file__).resolve().parents[2]
ENV_NAMES = [spec.env for spec in FIELDS] + ["HEMGENIX_CONFIG"]


@pytest.fixture
def settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean environment whose settings file is tmp_path/config/settings.toml (not created)."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "config" / "settings.toml"
    monkeypatch.setenv("HEMGENIX_CONFIG", str(path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return path


SIGNED_IN = ("--username", "alice", "--password-stdin")  # `settings set` signs a pharmacist in (issue 14)


@pytest.fixture(autouse=True)
def pharmacist(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """For `settings set`: a database with a pharmacist (the one the command opens) and her password on stdin."""
    if "settings_file" not in request.fixturenames or "settings_set" not in request.node.name:
        return
    request.getfixturevalue("settings_file")
    url = f"sqlite:///{tmp_path / 'db' / 'hemgenix.sqlite3'}"
    with open_store_file(tmp_path / "db" / "hemgenix.sqlite3") as store:
        _people(store)
    monkeypatch.setattr("hemgenix_desktop.cli.users.resolve_db_url", lambda _given=None: url)
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join([PASSWORDS["alice"]] * 10) + "\n"))


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# --- where the file is ----------------------------------------------------------------------------------------
def test_the_file_is_in_the_standard_config_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert default_settings_path() == tmp_path / "hemgenix-prep" / "settings.toml"
    assert settings_path({}) == tmp_path / "hemgenix-prep" / "settings.toml"
    assert settings_path({"HEMGENIX_CONFIG": " /srv/site/settings.toml "}) == Path("/srv/site/settings.toml")


def test_no_file_means_every_default_and_no_warning(tmp_path: Path) -> None:
    settings, warnings = load_settings(tmp_path / "missing.toml")
    assert settings == SiteSettings()
    assert warnings == []


def test_a_missing_file_named_by_hemgenix_config_is_said(settings_file: Path) -> None:
    settings, warnings = load_settings()
    assert settings == SiteSettings()
    assert warnings == [
        f"The environment variable HEMGENIX_CONFIG names the settings file {settings_file}, which does not exist, "
        "so every setting has its default. Correct HEMGENIX_CONFIG, or save the settings to create the file."
    ]


def test_the_fields_describe_the_settings_and_their_defaults() -> None:
    assert [f.name for f in dataclasses.fields(SiteSettings)] == list(KEYS)
    for spec in FIELDS:
        assert getattr(SiteSettings(), spec.key) == spec.default
        assert spec.label
        assert spec.help.endswith(".")
        assert spec.env.startswith("HEMGENIX_")
    defaults = config.Settings()
    assert (defaults.idle_lock_minutes, defaults.lockout_attempts, defaults.lockout_minutes) == (
        setting_field("idle_lock_minutes").default,
        setting_field("lockout_attempts").default,
        setting_field("lockout_minutes").default,
    )


# --- reading: a good file -------------------------------------------------------------------------------------
GOOD = """\
site_name = "  St. Example   Infusion Pharmacy "
workstation_name = "PHARM-WS-07"
database_url = "postgresql+psycopg://prep@db.example/hemgenix"
idle_lock_minutes = 3
lockout_attempts = 4
lockout_minutes = 30
label_size = "100x150mm"
printer = "Zebra_ZD621"
gs_standin = "|"
"""


def test_a_good_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    write(path, GOOD)
    settings, warnings = load_settings(path)
    assert warnings == []
    assert settings == SiteSettings(
        site_name="St. Example Infusion Pharmacy",
        workstation_name="PHARM-WS-07",
        database_url="postgresql+psycopg://prep@db.example/hemgenix",
        idle_lock_minutes=3,
        lockout_attempts=4,
        lockout_minutes=30,
        label_size="100x150mm",
        printer="Zebra_ZD621",
        gs_standin="|",
    )


def test_empty_text_means_the_default(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    write(path, 'site_name = ""\nlabel_size = " "\nidle_lock_minutes = ""\ngs_standin = ""\n')
    assert load_settings(path) == (SiteSettings(), [])


# --- reading: bad values, word for word -----------------------------------------------------------------------
def _file_sentence(path: Path, rest: str) -> str:
    return f"The settings file {path} {rest}"


BAD_VALUES = [
    (
        "idle_lock_minutes = 0",
        "sets idle_lock_minutes to 0, which cannot be used. Minutes before the screen locks must be a whole number "
        "from 1 to 60; “0” is not. Until it is corrected, the default (5) is used.",
    ),
    (
        "idle_lock_minutes = 0.5",
        "sets idle_lock_minutes to 0.5, which cannot be used. Minutes before the screen locks must be a whole "
        "number from 1 to 60; “0.5” is not. Until it is corrected, the default (5) is used.",
    ),
    (
        'lockout_attempts = "five"',
        "sets lockout_attempts to “five”, which cannot be used. Failed sign-ins before an account locks must be a "
        "whole number from 1 to 100; “five” is not. Until it is corrected, the default (5) is used.",
    ),
    (
        "lockout_minutes = true",
        "sets lockout_minutes to true, which cannot be used. Minutes an account stays locked must be a whole "
        "number from 1 to 1440; “true” is not. Until it is corrected, the default (15) is used.",
    ),
    (
        'label_size = "2x3in"',
        "sets label_size to “2x3in”, which cannot be used. A 2x3in label is too small to be read at the bedside. "
        "Use at least 3 × 4 in (76 × 102 mm). Until it is corrected, the default (4x6in) is used.",
    ),
    (
        'label_size = "four by six"',
        "sets label_size to “four by six”, which cannot be used. “four by six” is not a label size. Write width × "
        "height and the unit, for example 4x6in or 100x150mm. Until it is corrected, the default (4x6in) is used.",
    ),
    (
        'gs_standin = "A"',
        "sets gs_standin to “A”, which cannot be used. “A” cannot stand in for the group separator: it must be one "
        "printable character that GS1 data never contains, such as | or ~ or ^. Until it is corrected, the default "
        "(no stand-in; the scanner sends GS itself) is used.",
    ),
    (
        "printer = 5",
        "sets printer to 5, which cannot be used. Printer must be text in double quotes, not a number. Until it is "
        "corrected, the default (this computer's default printer) is used.",
    ),
    (
        'workstation_name = "WS\\t7"',
        "sets workstation_name to “WS·7”, which cannot be used. Workstation name must be one line, without tabs "
        "or other control characters. Until it is corrected, the default (this computer's name) is used.",
    ),
    (
        f'site_name = "{"x" * 81}"',
        f"sets site_name to “{'x' * 59}…”, which cannot be used. Site name must be at most 80 characters long; "
        f"“{'x' * 59}…” has 81. Until it is corrected, the default (“Hemgenix Prep site”, a generic name) is used.",
    ),
    (
        "site_name = [1, 2]",
        "sets site_name to a list, which cannot be used. Site name must be text in double quotes, not a list. Until "
        "it is corrected, the default (“Hemgenix Prep site”, a generic name) is used.",
    ),
]


@pytest.mark.parametrize(
    ("line", "rest"), BAD_VALUES, ids=[line.split(" =")[0] + str(i) for i, (line, _) in enumerate(BAD_VALUES)]
)
def test_a_bad_value_is_a_sentence_and_the_default(tmp_path: Path, line: str, rest: str) -> None:
    path = tmp_path / "settings.toml"
    key = line.split(" =", maxsplit=1)[0]
    good_key, good_value = ("lockout_minutes", 45) if key != "lockout_minutes" else ("lockout_attempts", 7)
    write(path, f"{good_key} = {good_value}\n{line}\n")
    settings, warnings = load_settings(path)
    assert warnings == [_file_sentence(path, rest)]
    assert settings == SiteSettings().with_value(good_key, good_value)  # the bad one has its default


def test_an_unknown_key_is_ignored_with_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    write(path, 'idle_lock_minute = 3\ncolour = "blue"\nsite_name = "Ward 4"\n[scanner]\nmodel = "X"\n')
    settings, warnings = load_settings(path)
    assert settings == SiteSettings(site_name="Ward 4")
    assert warnings == [
        _file_sentence(
            path,
            "has a setting “idle_lock_minute” that Hemgenix Prep does not know, so it is ignored. "
            "Did you mean idle_lock_minutes?",
        ),
        _file_sentence(
            path,
            "has a setting “colour” that Hemgenix Prep does not know, so it is ignored. Remove it, or see the list "
            "in README.md, “Settings a site sets once”.",
        ),
        _file_sentence(
            path,
            "has a setting “scanner” that Hemgenix Prep does not know, so it is ignored. Remove it, or see the list "
            "in README.md, “Settings a site sets once”.",
        ),
    ]


def toml_error(text: str) -> str:
    """Python's own words for what is wrong with a TOML text (they may change between Python versions)."""
    with pytest.raises(tomllib.TOMLDecodeError) as info:
        tomllib.loads(text)
    return str(info.value)


def test_a_file_that_is_not_toml_gives_every_default(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    text = 'site_name = "Ward 4\nprinter = "P"\n'
    write(path, text)
    settings, warnings = load_settings(path)
    assert settings == SiteSettings()
    assert warnings == [
        f"The settings file {path} cannot be used (it is not valid TOML: {toml_error(text)}), so every setting has "
        "its default. Correct it: each line reads key = value, with text in double quotes."
    ]


def test_a_file_that_is_not_utf8_gives_every_default(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes('site_name = "Café"\n'.encode("latin-1"))
    assert load_settings(path) == (
        SiteSettings(),
        [
            f"The settings file {path} cannot be used (it is not UTF-8 text), so every setting has its default. "
            "Save it as UTF-8 text."
        ],
    )


def test_a_folder_in_place_of_the_file_gives_every_default(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.mkdir()
    assert load_settings(path) == (
        SiteSettings(),
        [
            f"The settings file {path} cannot be used (it cannot be read: Is a directory), so every setting has its "
            "default. Check that it is a file this user may read."
        ],
    )


# --- the database: never quietly another one ------------------------------------------------------------------
def test_a_bad_database_url_is_kept_and_no_database_is_opened(settings_file: Path) -> None:
    write(settings_file, 'database_url = "sqlite:///relative.sqlite3"\n')
    sentence = (
        f"The settings file {settings_file} sets database_url to “sqlite:///relative.sqlite3”, which cannot be "
        "used. The SQLite file relative.sqlite3 is given without its full path, so where it lands depends on the "
        "folder the program starts in. Give the full path, for example sqlite:////srv/hemgenix/hemgenix-prep.sqlite3. "
        "No database is opened until it is corrected: using another database instead would split the pharmacy's "
        "records."
    )
    settings, warnings = load_settings()
    assert settings.database_url == "sqlite:///relative.sqlite3"  # kept, to be corrected in the dialog
    assert warnings == [sentence]
    with pytest.raises(DatabaseSettingUnusable) as info:
        config.resolve_db_url()
    assert info.value.message == sentence
    assert isinstance(info.value, InvalidInput)  # the command line says it with exit code 2
    resolved = resolve_settings()
    assert resolved.database_problem == sentence
    assert resolved.sources["database_url"] == "settings file"
    # the command line and the environment still choose a database
    assert config.resolve_db_url("sqlite:////cli.db") == "sqlite:////cli.db"
    assert config.resolve_db_url(None, {"HEMGENIX_DB_URL": "sqlite:////env.db"}) == "sqlite:////env.db"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (
            "sqlite://",
            "An in-memory database keeps nothing after the program closes, so it cannot hold the pharmacy's "
            "records. Give a database file, for example sqlite:////srv/hemgenix/hemgenix-prep.sqlite3.",
        ),
        (
            "mysql://u@h/db",
            "The database “mysql” is not supported. Use SQLite or PostgreSQL, for example "
            "sqlite:////path/to/hemgenix-prep.sqlite3 or postgresql+psycopg://user@host/hemgenix.",
        ),
        (
            "not a url",
            "“not a url” is not a database URL. Give one like sqlite:////path/to/hemgenix-prep.sqlite3 or "
            "postgresql+psycopg://user@host/hemgenix.",
        ),
    ],
)
def test_database_urls_are_checked_by_the_storage_rule(url: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as info:
        validate_setting("database_url", url)
    assert info.value.message == reason


BROKEN = "database_url = \n"


def test_an_unreadable_file_opens_no_database(settings_file: Path) -> None:
    write(settings_file, BROKEN)
    with pytest.raises(DatabaseSettingUnusable) as info:
        file_database_url()
    assert info.value.message == (
        f"The settings file {settings_file} cannot be used (it is not valid TOML: {toml_error(BROKEN)}), "
        "and it may name the pharmacy's shared database, so no database is opened until it is "
        "corrected. Correct it: each line reads key = value, with text in double quotes. Or give the database "
        "with --db or HEMGENIX_DB_URL."
    )
    resolved = resolve_settings()
    assert resolved.database_problem == info.value.message
    assert resolved.settings.site_name == "Hemgenix Prep site"  # every other setting has its default


def test_a_good_database_url_in_the_file_is_used(settings_file: Path) -> None:
    write(settings_file, 'database_url = "postgresql+psycopg://prep:s3cret@db.example/hemgenix"\n')
    assert config.resolve_db_url() == "postgresql+psycopg://prep:s3cret@db.example/hemgenix"


def test_no_database_setting_means_the_sqlite_file_in_the_data_folder(settings_file: Path, tmp_path: Path) -> None:
    write(settings_file, 'site_name = "Ward 4"\n')
    assert config.resolve_db_url() == f"sqlite:///{tmp_path / 'data' / 'hemgenix-prep' / 'hemgenix-prep.sqlite3'}"


# --- precedence: command line > environment > file > default --------------------------------------------------
def test_precedence_and_where_each_value_came_from(settings_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        settings_file,
        'site_name = "From the file"\nworkstation_name = "WS-FILE"\ndatabase_url = "sqlite:////file.db"\n',
    )
    monkeypatch.setenv("HEMGENIX_WORKSTATION", "WS-ENV")
    monkeypatch.setenv("HEMGENIX_DB_URL", "sqlite:////env.db")
    resolved = resolve_settings(cli={"database_url": "sqlite:////cli.db"})
    assert resolved.warnings == ()
    assert resolved.settings.database_url == "sqlite:////cli.db"
    assert resolved.sources["database_url"] == "command line --db"
    assert resolved.settings.workstation_name == "WS-ENV"
    assert resolved.sources["workstation_name"] == "environment HEMGENIX_WORKSTATION"
    assert resolved.settings.site_name == "From the file"
    assert resolved.sources["site_name"] == "settings file"
    assert resolved.settings.label_size == "4x6in"
    assert resolved.sources["label_size"] == "default"
    assert resolve_settings().settings.database_url == "sqlite:////env.db"
    monkeypatch.delenv("HEMGENIX_DB_URL")
    assert resolve_settings().settings.database_url == "sqlite:////file.db"


def test_a_bad_environment_value_falls_back_to_the_file(settings_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(settings_file, 'label_size = "100x150mm"\n')
    monkeypatch.setenv("HEMGENIX_LABEL_SIZE", "9x9cm")
    monkeypatch.setenv("HEMGENIX_IDLE_LOCK_MINUTES", "90")
    resolved = resolve_settings()
    assert resolved.settings.label_size == "100x150mm"
    assert resolved.sources["label_size"] == "settings file"
    assert resolved.settings.idle_lock_minutes == 5
    assert list(resolved.warnings) == [
        "The environment variable HEMGENIX_IDLE_LOCK_MINUTES sets idle_lock_minutes to “90”, which cannot be used. "
        "Minutes before the screen locks must be a whole number from 1 to 60; “90” is not. Until it is corrected, "
        "the default (5) is used.",
        "The environment variable HEMGENIX_LABEL_SIZE sets label_size to “9x9cm”, which cannot be used. “9x9cm” is "
        "not a label size. Write width × height and the unit, for example 4x6in or 100x150mm. Until it is "
        "corrected, the value from the settings file (“100x150mm”) is used.",
    ]


def test_defaults_are_filled_in_for_the_values_in_use(settings_file: Path, tmp_path: Path) -> None:
    resolved = resolve_settings()
    assert resolved.settings.site_name == "Hemgenix Prep site"
    assert resolved.settings.workstation_name == config.workstation_name()
    assert resolved.settings.workstation_name != ""
    assert (
        resolved.settings.database_url == f"sqlite:///{tmp_path / 'data' / 'hemgenix-prep' / 'hemgenix-prep.sqlite3'}"
    )
    assert set(resolved.sources.values()) == {"default"}
    assert resolved.file_exists is False


def test_config_functions_read_the_file(settings_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        settings_file,
        'site_name = " Ward  4 "\nworkstation_name = "WS-FILE"\nidle_lock_minutes = 2\nlockout_minutes = 0\n',
    )
    assert config.site_name() == "Ward 4"
    assert config.workstation_name() == "WS-FILE"
    assert config.Settings.from_env() == config.Settings(lockout_attempts=5, lockout_minutes=15, idle_lock_minutes=2)
    monkeypatch.setenv("HEMGENIX_SITE", "Env site")
    monkeypatch.setenv("HEMGENIX_IDLE_LOCK_MINUTES", "7")
    assert config.site_name() == "Env site"
    assert config.Settings.from_env().idle_lock_minutes == 7
    monkeypatch.setenv("HEMGENIX_IDLE_LOCK_MINUTES", "x")
    with pytest.raises(InvalidInput) as info:
        config.Settings.from_env()
    assert info.value.message == (
        "The setting HEMGENIX_IDLE_LOCK_MINUTES is “x”, which is not a whole number from 1 to 60. "
        "Correct it or remove it to use the settings file's value of 2."
    )


# --- saving ---------------------------------------------------------------------------------------------------
def test_saving_writes_every_setting_owner_only_and_reads_back(settings_file: Path) -> None:
    wanted = SiteSettings(
        site_name='St. "Quoted" \\ Pharmacy',
        workstation_name="WS-7",
        idle_lock_minutes=9,
        label_size="4 x 6 in",
        printer="Zebra ZD621 (bay 2)",
        gs_standin="~",
    )
    assert save_settings(wanted) == settings_file
    assert stat.S_IMODE(settings_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(settings_file.parent.stat().st_mode) == 0o700
    assert sorted(p.name for p in settings_file.parent.iterdir()) == ["settings.toml"]  # no temporary file left
    assert load_settings() == (wanted, [])
    text = settings_file.read_text(encoding="utf-8")
    assert set(tomllib.loads(text)) == set(KEYS)
    for spec in FIELDS:
        assert f"Environment variable: {spec.env}." in text or spec.kind == "whole_number"


def test_saving_replaces_the_file_in_one_step(settings_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    save_settings(SiteSettings(site_name="Before"))
    before = settings_file.read_bytes()

    def refuse(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(InvalidInput) as info:
        save_settings(SiteSettings(site_name="After"))
    assert info.value.message == (
        f"The settings could not be saved to {settings_file} (No space left on device). Check that the folder "
        "exists and this user may write to it, or name another file with HEMGENIX_CONFIG."
    )
    assert settings_file.read_bytes() == before
    assert sorted(p.name for p in settings_file.parent.iterdir()) == ["settings.toml"]


def test_saving_a_bad_value_writes_nothing(settings_file: Path) -> None:
    with pytest.raises(InvalidInput) as info:
        save_settings(SiteSettings(label_size="1x1in"))
    assert (
        info.value.message
        == "A 1x1in label is too small to be read at the bedside. Use at least 3 × 4 in (76 × 102 mm)."
    )
    assert not settings_file.exists()


def test_saving_over_an_unreadable_file_needs_consent(settings_file: Path) -> None:
    write(settings_file, "site_name = \n")
    with pytest.raises(InvalidInput) as info:
        save_settings(SiteSettings(site_name="New"))
    assert info.value.message == (
        f"The settings file {settings_file} was not replaced, because it cannot be read as settings and what it "
        "holds would be lost. Correct it or move it away, then save again."
    )
    save_settings(SiteSettings(site_name="New"), replace_unreadable=True)
    assert load_settings() == (SiteSettings(site_name="New"), [])


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_text_survives_the_toml_writer(text: str) -> None:
    assert tomllib.loads(f"x = {toml_string(text)}")["x"] == text


def test_the_rendered_file_is_valid_toml_with_comments() -> None:
    text = render_settings(SiteSettings(printer="P"))
    assert tomllib.loads(text)["printer"] == "P"
    assert text.startswith("# Hemgenix Prep: settings a site sets once")


# --- validation used by a form ---------------------------------------------------------------------------------
def test_form_values_are_normalised() -> None:
    assert validate_setting("site_name", "  A   B ") == "A B"
    assert validate_setting("idle_lock_minutes", " 12 ") == 12
    assert validate_setting("idle_lock_minutes", "") == 5
    assert validate_setting("label_size", " 100 x 150 mm ") == "100 x 150 mm"
    assert validate_setting("gs_standin", "") == ""
    with pytest.raises(InvalidInput) as info:
        validate_setting("gs_standin", " ")
    assert info.value.message.startswith("“ ” cannot stand in for the group separator")


def test_an_unknown_key_is_a_sentence() -> None:
    with pytest.raises(InvalidInput) as info:
        setting_field("label-size")
    assert info.value.message == (
        "There is no setting called “label-size”. Did you mean label_size? The settings are: site_name, "
        "workstation_name, database_url, idle_lock_minutes, lockout_attempts, lockout_minutes, password_max_days, "
        "password_history, label_size, printer, gs_standin, lab_results_newer_than_days, drift_notice_pct, pkcs11_module, "
        "pkcs11_token, pkcs11_key_label, checkpoint_dir, database_id, database_sslmode, timestamp_url."
    )


# --- the command line ------------------------------------------------------------------------------------------
KEY_COLUMN = len("lab_results_newer_than_days") + 2  # `settings show` lines its values up after the longest key


def test_settings_show(
    settings_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        settings_file,
        'site_name = "Ward 4"\ndatabase_url = "postgresql+psycopg://prep:s3cret@db/hem"\nlabel_size = "1x1in"\n',
    )
    monkeypatch.setenv("HEMGENIX_WORKSTATION", "WS-ENV")
    assert main(["settings", "show"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0] == f"Settings file: {settings_file}"
    assert f"{'site_name':<{KEY_COLUMN}}Ward 4  [settings file]" in lines
    assert f"{'workstation_name':<{KEY_COLUMN}}WS-ENV  [environment HEMGENIX_WORKSTATION]" in lines
    assert f"{'database_url':<{KEY_COLUMN}}postgresql+psycopg://prep:***@db/hem  [settings file]" in lines
    assert f"{'label_size':<{KEY_COLUMN}}4x6in  [default]" in lines
    assert f"{'printer':<{KEY_COLUMN}}(empty: this computer's default printer)  [default]" in lines
    assert "s3cret" not in out + err
    assert err == (
        f"The settings file {settings_file} sets label_size to “1x1in”, which cannot be used. A 1x1in label is too "
        "small to be read at the bedside. Use at least 3 × 4 in (76 × 102 mm). Until it is corrected, the default "
        "(4x6in) is used.\n"
    )


def test_settings_show_json_and_the_db_option(settings_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", "sqlite:////x/y.db", "settings", "show", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["file"] == str(settings_file)
    assert shown["file_exists"] is False
    assert shown["settings"]["database_url"] == {"value": "sqlite:////x/y.db", "source": "command line --db"}
    assert shown["settings"]["idle_lock_minutes"] == {"value": 5, "source": "default"}
    assert set(shown["settings"]) == set(KEYS)
    assert shown["warnings"] == [
        f"The environment variable HEMGENIX_CONFIG names the settings file {settings_file}, which does not exist, "
        "so every setting has its default. Correct HEMGENIX_CONFIG, or save the settings to create the file."
    ]


@pytest.mark.slow
def test_settings_set(settings_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["settings", "set", "label_size", "100x150mm", *SIGNED_IN]) == 0
    assert capsys.readouterr().out == f"label_size is now “100x150mm” in {settings_file}.\n"
    assert main(["settings", "set", "idle_lock_minutes", "10", *SIGNED_IN]) == 0
    assert capsys.readouterr().out == f"idle_lock_minutes is now 10 in {settings_file}.\n"
    assert main(["settings", "set", "database_url", "postgresql+psycopg://prep:s3cret@db/hem", *SIGNED_IN]) == 0
    assert capsys.readouterr().out == (
        f"database_url is now “postgresql+psycopg://prep:***@db/hem” in {settings_file}.\n"
        "The change applies from the next start of Hemgenix Prep.\n"
    )
    assert main(["settings", "set", "printer", "", *SIGNED_IN]) == 0
    assert capsys.readouterr().out == f"printer is now empty (this computer's default printer) in {settings_file}.\n"
    assert load_settings() == (
        SiteSettings(
            label_size="100x150mm", idle_lock_minutes=10, database_url="postgresql+psycopg://prep:s3cret@db/hem"
        ),
        [],
    )
    assert stat.S_IMODE(settings_file.stat().st_mode) == 0o600


@pytest.mark.slow
def test_settings_set_says_when_the_environment_wins(
    settings_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEMGENIX_PRINTER", "Other")
    assert main(["settings", "set", "printer", "Zebra", *SIGNED_IN]) == 0
    assert capsys.readouterr().out == (
        f"printer is now “Zebra” in {settings_file}.\n"
        "The environment variable HEMGENIX_PRINTER is set here and comes before the settings file, so the program "
        "uses that value while it is set.\n"
    )


@pytest.mark.parametrize(
    ("key", "value", "sentence"),
    [
        (
            "idle_lock_minutes",
            "90",
            "Minutes before the screen locks must be a whole number from 1 to 60; “90” is not. The settings file was "
            "not changed.",
        ),
        (
            "gs_standin",
            "AB",
            "“AB” cannot stand in for the group separator: it must be one printable character that GS1 data never "
            "contains, such as | or ~ or ^. The settings file was not changed.",
        ),
        (
            "labelsize",
            "4x6in",
            "There is no setting called “labelsize”. Did you mean label_size? The settings are: site_name, "
            "workstation_name, database_url, idle_lock_minutes, lockout_attempts, lockout_minutes, password_max_days, "
            "password_history, label_size, printer, gs_standin, lab_results_newer_than_days, drift_notice_pct, pkcs11_module, "
            "pkcs11_token, pkcs11_key_label, checkpoint_dir, database_id, database_sslmode, timestamp_url.",
        ),
    ],
)
@pytest.mark.slow
def test_settings_set_refuses_with_exit_2(
    settings_file: Path, capsys: pytest.CaptureFixture[str], key: str, value: str, sentence: str
) -> None:
    assert main(["settings", "set", key, value, *SIGNED_IN]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"{sentence}\n"
    assert not settings_file.exists()


@pytest.mark.slow
def test_settings_set_leaves_an_unreadable_file_alone(settings_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(settings_file, "printer = \n")
    assert main(["settings", "set", "printer", "Zebra", *SIGNED_IN]) == 2
    assert capsys.readouterr().err == (
        f"The settings file {settings_file} was not replaced, because it cannot be read as settings and what it "
        "holds would be lost. Correct it or move it away, then save again.\n"
    )
    assert settings_file.read_text(encoding="utf-8") == "printer = \n"


@pytest.mark.slow
def test_settings_set_wants_a_bad_database_corrected_first(
    settings_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(settings_file, 'database_url = "sqlite://"\n')
    assert main(["settings", "set", "printer", "Zebra", *SIGNED_IN]) == 2
    assert capsys.readouterr().err == (
        f"The settings file {settings_file} was not changed, because its database_url cannot be used. An in-memory "
        "database keeps nothing after the program closes, so it cannot hold the pharmacy's records. Give a database "
        "file, for example sqlite:////srv/hemgenix/hemgenix-prep.sqlite3. Set that first with hemgenix-prep "
        "settings set database_url VALUE.\n"
    )
    assert main(["settings", "set", "database_url", "sqlite:////srv/hemgenix/prep.sqlite3", *SIGNED_IN]) == 0
    assert load_settings()[0].database_url == "sqlite:////srv/hemgenix/prep.sqlite3"


# --- the documentation -----------------------------------------------------------------------------------------
def test_readme_documents_every_setting() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Settings a site sets once" in readme
    section = readme.split("## Settings a site sets once", 1)[1].split("\n## ", 1)[0]
    for spec in FIELDS:
        assert f"`{spec.key}`" in section, spec.key
        assert f"`{spec.env}`" in section, spec.env
    assert "`HEMGENIX_CONFIG`" in section
    assert "hemgenix-prep settings show" in section


def test_the_age_limit_for_laboratory_results_is_off_by_default_and_a_whole_number_of_days(
    settings_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert resolve_settings().settings.lab_results_newer_than_days == 0
    write(settings_file, "lab_results_newer_than_days = 90\n")
    assert resolve_settings().settings.lab_results_newer_than_days == 90
    monkeypatch.setenv("HEMGENIX_LAB_RESULTS_NEWER_THAN_DAYS", "-3")
    resolved = resolve_settings()
    assert resolved.settings.lab_results_newer_than_days == 90  # the bad value is replaced, with a sentence
    assert any("from 0 to 3650" in warning for warning in resolved.warnings)
