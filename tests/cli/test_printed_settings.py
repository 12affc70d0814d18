"""The site, workstation and printer names follow the rule of a person's printed name (``security.names``): no
invisible or direction-changing character, letters of one script. ``settings set site_name`` took a right-to-left
override, a zero-width space and "Sт Mary's" with a Cyrillic т, although the site name is printed on every record
and label and the workstation's goes into the audit trail (found by a command-line test); the same values through
HEMGENIX_SITE and HEMGENIX_WORKSTATION are said and not used, as any unusable environment value is."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from hemgenix_desktop import config
from hemgenix_desktop.cli import main
from hemgenix_desktop.setting_table import validate_setting
from hemgenix_desktop.settings import resolve_setting

NAMES = {"site_name": "The site name", "workstation_name": "The workstation name", "printer": "The printer"}
OTHER = {"site_name": "another site's", "workstation_name": "another workstation's", "printer": "another printer's"}
INVISIBLE = (
    "{what} holds an invisible or control character ({ch}), which would make the printed name differ from what a "
    "reader sees. Type the name again with ordinary letters and spaces."
)


@pytest.mark.parametrize("key", sorted(NAMES))
@pytest.mark.parametrize(
    ("value", "ch"),
    [("St Mary\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"), ("St\u200bMary", "U+200B ZERO WIDTH SPACE")],
    ids=["bidi override", "zero-width space"],
)
def test_an_invisible_character_is_refused(
    key: str,
    value: str,
    ch: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HEMGENIX_CONFIG", str(tmp_path / "settings.toml"))
    monkeypatch.setattr("sys.stdin", io.StringIO("a password long enough\n"))
    given = ["--db", f"sqlite:///{tmp_path / 'db.sqlite3'}", "settings", "set", key, value]
    assert main([*given, "--username", "amy", "--password-stdin"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == INVISIBLE.format(what=NAMES[key], ch=ch) + " The settings file was not changed.\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("key", sorted(NAMES))
def test_letters_of_two_scripts_are_refused(key: str) -> None:
    with pytest.raises(Exception, match="mixes letters of several scripts") as refused:
        validate_setting(key, "S\u0442 Mary's")  # a Cyrillic т
    assert str(refused.value) == (
        f"{NAMES[key]} mixes letters of several scripts (Cyrillic, Latin), so it could look like {OTHER[key]} name "
        "on the record. Type it again in one script."
    )


@pytest.mark.parametrize(
    ("key", "value"), [("site_name", "St. Mary's Hospital — Pharmacy"), ("workstation_name", "PHARM-WS-07"),
                       ("printer", "HP_LaserJet_4200 (Ward 3)"), ("site_name", "Hôpital Sainte-Thérèse")],
)  # fmt: skip
def test_ordinary_names_are_taken(key: str, value: str) -> None:
    assert validate_setting(key, value) == value


@pytest.mark.parametrize(
    ("variable", "key", "value"),
    [("HEMGENIX_SITE", "site_name", "S\u0442 Mary's"), ("HEMGENIX_WORKSTATION", "workstation_name", "WS\u200b07")],
)
def test_the_environment_is_said_and_not_used(
    variable: str, key: str, value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEMGENIX_CONFIG", str(tmp_path / "settings.toml"))
    monkeypatch.setenv(variable, value)
    resolved = resolve_setting(key)
    assert resolved.value != value
    assert any(f"The environment variable {variable} sets {key}" in w for w in resolved.warnings)
    assert (config.site_name() if key == "site_name" else config.workstation_name()) == resolved.value
