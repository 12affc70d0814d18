"""``verify`` says an unusable ``HEMGENIX_DATABASE_ID`` (one line on stderr, the sentence ``settings show`` gives)
before it uses the settings file's ID: it passed over it without a word, so a mistyped ID left the record compared
with another ID than the one the person set, unseen (found by a command-line test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hemgenix_desktop.cli import main
from hemgenix_desktop.records.record_pdf import build_record_pdf
from hemgenix_desktop.security.site_keys import create_site_certificate
from hemgenix_desktop.setting_table import FIELDS
from tests.helpers.preparations import sealed_record


def test_an_unusable_database_id_in_the_environment_is_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for spec in FIELDS:
        monkeypatch.delenv(spec.env, raising=False)
    settings = tmp_path / "settings.toml"
    settings.write_text('database_id = "' + "f" * 32 + '"\n', encoding="utf-8")
    monkeypatch.setenv("HEMGENIX_CONFIG", str(settings))
    monkeypatch.setenv("HEMGENIX_DATABASE_ID", "not-an-id")
    site = create_site_certificate(tmp_path / "site", "St. Example")
    pdf = tmp_path / "record.pdf"
    pdf.write_bytes(build_record_pdf(sealed_record(), site))
    assert main(["verify", str(pdf), "--data-dir", str(tmp_path / "site")]) == 1  # another database than ffff…
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(
        "The environment variable HEMGENIX_DATABASE_ID sets database_id to “not-an-id”, which cannot be used."
    )
    assert err[0].endswith(f"Until it is corrected, the value from the settings file (“{'f' * 32}”) is used.")
    assert err[1].startswith("NOT THIS SITE'S DATABASE: ")
    assert main(["settings", "show"]) == 0
    assert err[0] in capsys.readouterr().err.splitlines()  # the same sentence as settings show
