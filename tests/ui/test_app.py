"""The program starts, shows its first screen and can be told to exit once ready (a smoke test)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("args", [["gui", "--exit-when-ready"], ["gui", "--practice", "--exit-when-ready"]])
@pytest.mark.slow
def test_starts_and_exits_when_ready(args: list[str], tmp_path: Path) -> None:
    # A new database of its own (never the user's): the first screen is then the first account's.
    # Its own data folder too: a site key file left in the user's folder must not speak here.
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HEMGENIX_DB_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "XDG_DATA_HOME": str(tmp_path / "data-home"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "hemgenix_desktop", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Hemgenix Prep is ready.\n"
    assert "Warning" not in result.stderr


@pytest.mark.slow
def test_a_bad_scanner_stand_in_gives_a_warning_and_the_default(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HEMGENIX_GS_STANDIN": "A",
        "HEMGENIX_DB_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "XDG_DATA_HOME": str(tmp_path / "data-home"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "hemgenix_desktop", "gui", "--exit-when-ready"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Hemgenix Prep is ready.\n"
    ours = [line for line in result.stderr.splitlines() if "propagateSizeHints" not in line]  # Qt's offscreen note
    assert ours == [
        "Warning: The environment variable HEMGENIX_GS_STANDIN sets gs_standin to “A”, which cannot be used. “A” "
        "cannot stand in for the group separator: it must be one printable character that GS1 data never contains, "
        "such as | or ~ or ^. Until it is corrected, the default (no stand-in; the scanner sends GS itself) is used."
    ]


def test_the_scanner_stand_in_comes_from_the_site_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from hemgenix_desktop.ui.app import site_settings

    config = tmp_path / "settings.toml"
    config.write_text('gs_standin = "~"\nsite_name = "St. Example"\nlabel_size = "100x150mm"\n', encoding="utf-8")
    monkeypatch.setenv("HEMGENIX_CONFIG", str(config))
    monkeypatch.delenv("HEMGENIX_GS_STANDIN", raising=False)
    site, warnings = site_settings()
    assert (site.gs_standin, site.site_name, site.label_size, warnings) == ("~", "St. Example", "100x150mm", [])
    monkeypatch.setenv("HEMGENIX_GS_STANDIN", "|")  # the environment comes before the file
    assert site_settings()[0].gs_standin == "|"
    config.write_text('gs_standin = "1"\n', encoding="utf-8")
    monkeypatch.delenv("HEMGENIX_GS_STANDIN")
    site, warnings = site_settings()
    assert site.gs_standin == ""
    assert len(warnings) == 1
    assert warnings[0].startswith(f"The settings file {config} sets gs_standin to “1”, which cannot be used.")
    assert capsys.readouterr().err == f"Warning: {warnings[0]}\n"


@pytest.mark.parametrize("where", [["--db", "{url}", "gui"], ["gui", "--db", "{url}"]])
@pytest.mark.slow
def test_a_damaged_database_stops_the_start_with_a_sentence(where: list[str], tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"not a database " * 500)
    url = f"sqlite:///{damaged}"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("HEMGENIX_DB_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "hemgenix_desktop", *[a.format(url=url) for a in where], "--exit-when-ready"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2  # README: a database that is damaged is invalid input, as for every command
    assert result.stdout == ""
    assert result.stderr == (
        f"The database {url} cannot be opened (file is not a database). Check that it is a Hemgenix Prep database, "
        "not damaged or made by a newer version, and that you may use it; or give another with --db.\n"
    )


@pytest.mark.slow
def test_a_database_of_a_newer_version_stops_the_start_with_exit_2_as_every_command(tmp_path: Path) -> None:
    """README, "Exit codes": a database written by a newer version is invalid input (2); the wizard's start gave 1
    while `users list` gave 2 for the same file."""
    import sqlite3

    from hemgenix_desktop.storage import Store

    newer = tmp_path / "newer.sqlite3"
    url = f"sqlite:///{newer}"
    Store.open(url).close()
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("HEMGENIX_DB_URL", None)
    results = [
        subprocess.run(
            [sys.executable, "-m", "hemgenix_desktop", *argv],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=120,
            check=False,
        )
        for argv in (["gui", "--exit-when-ready", "--db", url], ["users", "--db", url, "list"])
    ]
    for result in results:
        assert (result.returncode, result.stdout) == (2, "")
        assert result.stderr.startswith(
            f"The database {url} was written by a newer version of Hemgenix Prep (schema 9999"
        )
    assert results[0].stderr == results[1].stderr


@pytest.mark.slow
def test_a_security_setting_from_the_environment_is_refused_at_start(tmp_path: Path) -> None:
    """Issue 14: HEMGENIX_IDLE_LOCK_MINUTES=60 on a workstation, beyond the site floor of 15, is not used (the
    file's 5 is); the refusal is written once to the audit trail at start (and said in the status bar,
    services/environment.py)."""
    from hemgenix_desktop.storage import Store

    config = tmp_path / "settings.toml"
    config.write_text("idle_lock_minutes = 5\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HEMGENIX_DB_URL": url,
        "HEMGENIX_CONFIG": str(config),
        "HEMGENIX_IDLE_LOCK_MINUTES": "60",
    }
    result = subprocess.run(
        [sys.executable, "-m", "hemgenix_desktop", "gui", "--exit-when-ready"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    with Store.open(url) as store:
        events = [e for e in store.audit_trail() if e.action in ("settings_from_environment", "administration_refused")]
    assert len(events) == 1
    assert events[0].action == "administration_refused"
    assert events[0].summary.startswith(
        "At start, refused relaxing a site floor: the environment tried to relax a site floor, which only two "
        "pharmacists may do"
    )
    assert "HEMGENIX_IDLE_LOCK_MINUTES=60 (beyond the site floor of 15; idle_lock_minutes stays 5)" in events[0].summary
