"""``hemgenix-prep site import-certificate`` and ``site show-certificate``."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from hemgenix_desktop.cli import main
from hemgenix_desktop.security.site_keys import create_site_certificate, load_site_certificate
from hemgenix_desktop.storage import Store
from tests.security.test_cli_attacks import PASSWORDS, _people
from tests.security.test_seal_site_keys import hospital_p12

SIGNED = ("--username", "alice", "--password-stdin", "--approver", "bob", "--approver-password-stdin")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def site_db(db_url: str) -> str:
    """Two pharmacists (alice asks, bob approves: importing the key that signs every record takes two)."""
    with Store.open(db_url) as store:
        _people(store)
    return db_url


@pytest.mark.slow
def test_import_reads_the_password_from_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], site_db: str
) -> None:
    p12, cert = hospital_p12(password=b"pa ss")
    path = tmp_path / "site.p12"
    path.write_bytes(p12)
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORDS['alice']}\n{PASSWORDS['bob']}\npa ss\n"))
    data = tmp_path / "site-data"
    args = ["site", "import-certificate", str(path), *SIGNED, "--file-password-stdin", "--data-dir", str(data)]
    assert main(["--db", site_db, *args]) == 0
    out = capsys.readouterr().out
    assert out.startswith("The site certificate was imported; new records are signed with it.\n")
    assert "Subject: CN=Example Hospital Pharmacy Records\n" in out
    assert "Issuer: CN=Example Hospital CA\n" in out
    site = load_site_certificate(data)
    assert site is not None
    assert site.certificate == cert
    assert f"SHA-256 fingerprint: {site.fingerprint}\n" in out
    assert "pa ss" not in out
    with Store.open(site_db) as store:
        event = store.audit_trail()[-1]
    assert (event.action, event.username) == ("site_certificate_imported", "alice")
    assert event.summary.endswith(f"(SHA-256 {site.fingerprint}). Approved by Bob Pharm (bob).")


@pytest.mark.slow
def test_import_asks_for_the_password_without_echo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], site_db: str
) -> None:
    p12, _ = hospital_p12()
    path = tmp_path / "site.p12"
    path.write_bytes(p12)
    asked: list[str] = []
    answers = {
        "Password for alice: ": PASSWORDS["alice"],
        "Password of the approving pharmacist bob: ": PASSWORDS["bob"],
        "Password of the PKCS#12 file: ": "wrong",
    }

    def fake_getpass(prompt: str) -> str:
        asked.append(prompt)
        return answers[prompt]

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    monkeypatch.setattr("sys.stdin", _Terminal())
    args = ["site", "import-certificate", str(path), "--username", "alice", "--approver", "bob"]
    assert main(["--db", site_db, *args, "--data-dir", str(tmp_path / "site-data")]) == 1
    assert asked == list(answers)
    assert capsys.readouterr().err == (
        "The PKCS#12 file cannot be opened: the password is wrong or the file is not a PKCS#12 file. Check both and "
        "try again.\n"
    )


def test_show_certificate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["site", "show-certificate", "--data-dir", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        "This workstation has no site certificate yet. It is created when the first record is sealed, or import the "
        "hospital's with: hemgenix-prep site import-certificate FILE.p12\n"
    )
    site = create_site_certificate(tmp_path, "St. Example")
    assert main(["site", "show-certificate", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Subject: O=St. Example,CN=Hemgenix Prep record signing: St. Example",
        "Issuer: O=St. Example,CN=Hemgenix Prep record signing: St. Example (self-signed)",
        f"Valid: {site.not_valid_before:%Y-%m-%d} to {site.not_valid_after:%Y-%m-%d}",
        f"SHA-256 fingerprint: {site.fingerprint}",
        f"Key: {site.key_path}, encrypted with the site's passphrase",
    ]


def test_a_missing_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file not there, or a folder, is invalid input (2) as a named pipe or a device is (README); it was 1."""
    missing = tmp_path / "none.p12"
    assert main(["site", "import-certificate", str(missing), "--password-stdin", "--data-dir", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"{missing} cannot be read (No such file or directory). Check the file name.\n"
    assert main(["site", "import-certificate", str(tmp_path), "--password-stdin", "--data-dir", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"{tmp_path} cannot be read (Is a directory). Check the file name.\n"


def test_site_alone_says_what_to_choose(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["site"]) == 2
    assert capsys.readouterr().err.endswith(
        "Choose what to do: import-certificate FILE.p12, show-certificate, encrypt-key or trust-retired FINGERPRINT.\n"
    )
