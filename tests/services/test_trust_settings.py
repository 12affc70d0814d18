"""The settings that keep the trail and the records checkable from outside the database (issue 15): the checkpoint
folder, the site's database ID, the PostgreSQL sslmode and the timestamp authority. Each is a setting in the one
table (its environment variable first, then the settings file), checked by its rule, and any change of one needs a
second pharmacist."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from hemgenix_desktop import config
from hemgenix_desktop.cli import main
from hemgenix_desktop.domain.errors import InvalidInput
from hemgenix_desktop.records.verify import database_lines
from hemgenix_desktop.services.environment import differences
from hemgenix_desktop.services.settings_change import SettingsNotSavedError, save_audited
from hemgenix_desktop.setting_table import FIELDS, validate_setting
from hemgenix_desktop.settings_file import load_settings
from hemgenix_desktop.storage import StorageError, Store, User
from hemgenix_desktop.storage.database import Database
from hemgenix_desktop.storage.engine import make_engine, postgresql_connect_args
from tests.helpers.preparations import sealed_record
from tests.helpers.store import WORKSTATION
from tests.security.test_cli_attacks import PASSWORDS, _people

KEYS = ("checkpoint_dir", "database_id", "database_sslmode", "timestamp_url")


@pytest.fixture
def settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for spec in FIELDS:
        monkeypatch.delenv(spec.env, raising=False)
    path = tmp_path / "config" / "settings.toml"
    monkeypatch.setenv("HEMGENIX_CONFIG", str(path))
    return path


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("key", "given", "kept"),
    [
        ("checkpoint_dir", "/mnt/worm/checkpoints", "/mnt/worm/checkpoints"),
        ("checkpoint_dir", "~/checkpoints", "~/checkpoints"),
        ("database_id", "5C82F730C6FB4BA0AD0E12B19F7868D3", "5c82f730c6fb4ba0ad0e12b19f7868d3"),
        ("database_sslmode", "Verify-Full", "verify-full"),
        ("database_sslmode", "require", "require"),
        ("timestamp_url", "http://tsa.example.org/tsr", "http://tsa.example.org/tsr"),
        ("timestamp_url", "https://tsa.example.org:8443/", "https://tsa.example.org:8443/"),
    ],
)
def test_a_good_value_is_kept_normalised(key: str, given: str, kept: str) -> None:
    assert validate_setting(key, given) == kept


@pytest.mark.parametrize(
    ("key", "given", "sentence"),
    [
        ("checkpoint_dir", "checkpoints", "The folder checkpoints is given without its full path"),
        ("database_id", "5c82f730", "A database ID is 32 hexadecimal digits (0-9, a-f)"),
        ("database_id", "z" * 32, "A database ID is 32 hexadecimal digits (0-9, a-f)"),
        (
            "database_sslmode",
            "verify",
            "sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full",
        ),
        ("timestamp_url", "tsa.example.org", "The timestamp authority must be an http:// or https:// address"),
        ("timestamp_url", "ftp://tsa.example.org/", "The timestamp authority must be an http:// or https:// address"),
        ("timestamp_url", "http://tsa.example.org:port/", "The timestamp authority must be an http:// or https://"),
    ],
)
def test_a_bad_value_is_a_sentence(key: str, given: str, sentence: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        validate_setting(key, given)
    assert refused.value.message.startswith(sentence)


def test_each_comes_from_its_variable_else_the_settings_file(
    settings_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert config.checkpoint_dir() is None
    assert config.site_database_id() is None
    assert config.database_sslmode() is None
    assert config.timestamp_url() is None
    assert postgresql_connect_args(config.database_sslmode()) == {}
    _write(
        settings_file,
        'checkpoint_dir = "/mnt/worm/cp"\ndatabase_id = "' + "a" * 32 + '"\ndatabase_sslmode = "verify-full"\n'
        'timestamp_url = "http://tsa.example.org/"\n',
    )
    assert config.checkpoint_dir() == Path("/mnt/worm/cp")
    assert config.site_database_id() == "a" * 32
    assert config.database_sslmode() == "verify-full"
    assert postgresql_connect_args(config.database_sslmode()) == {"sslmode": "verify-full"}
    assert config.timestamp_url() == "http://tsa.example.org/"
    monkeypatch.setenv("HEMGENIX_CHECKPOINT_DIR", "/srv/other")
    monkeypatch.setenv("HEMGENIX_DATABASE_ID", "b" * 32)
    monkeypatch.setenv("HEMGENIX_DATABASE_SSLMODE", "require")
    monkeypatch.setenv("HEMGENIX_TIMESTAMP_URL", "https://tsa2.example.org/")
    assert config.checkpoint_dir() == Path("/srv/other")
    assert config.site_database_id() == "b" * 32
    assert postgresql_connect_args(config.database_sslmode()) == {"sslmode": "require"}
    assert config.timestamp_url() == "https://tsa2.example.org/"
    # the environment changing one of them is recorded at start, named as a two-person setting
    assert {d.key for d in differences()} == set(KEYS)


def test_verify_reports_a_record_of_another_database_by_the_setting(settings_file: Path) -> None:
    record = sealed_record()
    assert database_lines(record, config.site_database_id())[1] is None  # the site names none: nothing compared
    _write(settings_file, 'database_id = "' + "f" * 32 + '"\n')
    _line, elsewhere = database_lines(record, config.site_database_id())
    assert elsewhere is not None
    assert f"not in this site's database {'f' * 32} (the setting database_id): it comes from another database" in (
        elsewhere
    )


@pytest.mark.parametrize("key", KEYS)
def test_any_change_needs_a_second_pharmacist(store: Store, pharmacist: User, tmp_path: Path, key: str) -> None:
    values = {
        "checkpoint_dir": "/mnt/worm/cp",
        "database_id": "c" * 32,
        "database_sslmode": "disable",
        "timestamp_url": "http://tsa.example.org/",
    }
    path = tmp_path / "settings.toml"
    current, _warnings = load_settings(path)
    wanted = (current, current.with_value(key, values[key]), [key])
    with pytest.raises(SettingsNotSavedError) as caught:  # the Settings dialog gives no approval
        save_audited(store, pharmacist, WORKSTATION, path, wanted, file_warnings=0, replace=False)
    assert caught.value.message == (
        f"Nothing was saved: {key} keeps the audit trail and the records checkable from outside the database, so a "
        f"second pharmacist must approve any change of it: hemgenix-prep settings set {key} {values[key]} "
        "--username YOU --approver NAME."
    )
    assert not path.exists()


@pytest.mark.slow
def test_the_command_line_saves_it_with_a_second_pharmacist(
    settings_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    with Store.open(url) as store:
        _people(store)
    signed = ["--db", url, "--username", "alice", "--password-stdin"]
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORDS['alice']}\n"))
    assert main(["settings", "set", "timestamp_url", "http://tsa.example.org/", *signed]) == 2
    assert "a second pharmacist must approve any change of it" in capsys.readouterr().err
    assert load_settings(settings_file)[0].timestamp_url == ""
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORDS['alice']}\n{PASSWORDS['bob']}\n"))
    approved = [*signed, "--approver", "bob", "--approver-password-stdin"]
    assert main(["settings", "set", "timestamp_url", "http://tsa.example.org/", *approved]) == 0
    assert load_settings(settings_file)[0].timestamp_url == "http://tsa.example.org/"
    with Store.open(url) as store:
        event = store.audit_trail()[-1]
    assert event.action == "settings_changed"
    assert event.summary.endswith("Approved by Bob Pharm (bob).")


PG_URL = os.environ.get("HEMGENIX_TEST_POSTGRES_URL", "")


@pytest.mark.skipif(not PG_URL, reason="HEMGENIX_TEST_POSTGRES_URL is not set (scripts/test-postgres.sh makes one)")
def test_the_sslmode_setting_reaches_the_postgresql_connection(
    settings_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The throwaway server listens on localhost without TLS: `disable` connects; `verify-full` cannot, which shows
    the setting reached the driver (it comes before the URL's own sslmode)."""
    from sqlalchemy import text

    monkeypatch.setenv("HEMGENIX_DATABASE_SSLMODE", "disable")
    engine = make_engine(PG_URL, sslmode=config.database_sslmode())
    with engine.connect() as conn:
        assert conn.execute(text("select 1")).scalar() == 1
    engine.dispose()
    monkeypatch.setenv("HEMGENIX_DATABASE_SSLMODE", "verify-full")
    with pytest.raises(StorageError) as refused:  # Database.open reads the setting
        Database.open(PG_URL + ("&" if "?" in PG_URL else "?") + "sslmode=disable")
    assert "SSL" in refused.value.message or "ssl" in refused.value.message
