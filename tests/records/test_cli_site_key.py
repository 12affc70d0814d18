"""The site key's protection on the command line: a key file encrypted with a passphrase (a new one always; an old
one in the clear reported and encrypted in place by ``site encrypt-key``), the secret from ``--pin-stdin``, and a
retired certificate trusted only through a pharmacist's audited event, never by a file in ``retired/``."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from hemgenix_desktop.cli import main
from hemgenix_desktop.domain.vocabulary import AuditAction
from hemgenix_desktop.records.record_pdf import build_record_pdf
from hemgenix_desktop.security.key_protection import SiteKeyLocked, provide_secret
from hemgenix_desktop.security.site_keys import (
    create_site_certificate,
    import_pkcs12,
    load_site_certificate,
    site_folder,
)
from hemgenix_desktop.storage import Store
from tests.helpers.people import PASSWORDS, add_people
from tests.helpers.preparations import sealed_record
from tests.security.test_seal_site_keys import hospital_p12

SECRET = "test passphrase of the site key"  # tests/conftest.py gives it through HEMGENIX_SITE_KEY_SECRET


def _in_the_clear(data: Path) -> Path:
    """A site key file as versions before this one wrote it: PKCS#8 without encryption."""
    site = create_site_certificate(data, "St. Example")
    key = serialization.load_pem_private_key(site.key_path.read_bytes(), password=SECRET.encode())
    site.key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return site.key_path


def test_a_new_key_file_is_encrypted_and_needs_the_passphrase(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = create_site_certificate(tmp_path, "St. Example")
    pem = site.key_path.read_bytes()
    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    with pytest.raises(TypeError):
        serialization.load_pem_private_key(pem, password=None)
    monkeypatch.delenv("HEMGENIX_SITE_KEY_SECRET")
    loaded = load_site_certificate(tmp_path)  # the certificate is read without the passphrase
    assert loaded is not None
    with pytest.raises(SiteKeyLocked) as locked:
        loaded.unlock()
    assert "the passphrase of the site key file was not given, so nothing can be signed" in locked.value.message
    provide_secret("a wrong passphrase")
    with pytest.raises(SiteKeyLocked) as wrong:
        loaded.private_key_der()
    assert wrong.value.message.startswith("The passphrase of the site key file is wrong, so nothing was signed")
    provide_secret(SECRET)
    loaded.unlock()
    assert loaded.private_key_der()


def test_with_no_passphrase_no_key_is_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HEMGENIX_SITE_KEY_SECRET")
    with pytest.raises(SiteKeyLocked):
        create_site_certificate(tmp_path, "St. Example")
    assert not (site_folder(tmp_path) / "key.pem").exists()


def test_a_key_file_in_the_clear_is_reported_and_encrypted_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    key_path = _in_the_clear(data)
    assert main(["site", "show-certificate", "--data-dir", str(data)]) == 0
    shown = capsys.readouterr()
    assert f"Key: {key_path}, NOT encrypted\n" in shown.out
    assert shown.err == (
        f"The site key file {key_path} is not encrypted: anyone who can read it can sign records as this site. "
        "Encrypt it with: hemgenix-prep site encrypt-key\n"
    )
    monkeypatch.setattr("sys.stdin", io.StringIO("the new site passphrase\n"))
    assert main(["site", "encrypt-key", "--passphrase-stdin", "--data-dir", str(data)]) == 0
    assert capsys.readouterr().out.startswith("The site key file is now encrypted")
    pem = key_path.read_bytes()
    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert serialization.load_pem_private_key(pem, password=b"the new site passphrase")
    assert main(["site", "show-certificate", "--data-dir", str(data)]) == 0
    shown = capsys.readouterr()
    assert f"Key: {key_path}, encrypted with the site's passphrase\n" in shown.out
    assert shown.err == ""


def test_a_short_passphrase_is_refused_and_the_file_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    key_path = _in_the_clear(tmp_path)
    before = key_path.read_bytes()
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["site", "encrypt-key", "--passphrase-stdin", "--data-dir", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        "The passphrase for the site key must have at least 8 characters; choose a longer one.\n"
    )
    assert key_path.read_bytes() == before


def test_pin_stdin_gives_the_secret_for_the_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hemgenix_desktop.security.key_protection import secret

    monkeypatch.delenv("HEMGENIX_SITE_KEY_SECRET")
    monkeypatch.setattr("sys.stdin", io.StringIO("from standard input\n"))
    assert main(["--pin-stdin", "site", "show-certificate", "--data-dir", str(tmp_path)]) == 1  # no certificate yet
    assert secret("the PIN") == "from standard input"


# --- a retired certificate --------------------------------------------------------------------------------------
@pytest.fixture
def replaced(tmp_path: Path) -> tuple[Path, Path, str, str]:
    """A record signed with the site's first certificate, then the hospital's certificate imported: the record
    PDF, the data folder, the database URL and the first certificate's fingerprint."""
    data = tmp_path / "data"
    old = create_site_certificate(data, "St. Example")
    pdf = tmp_path / "record.pdf"
    pdf.write_bytes(build_record_pdf(sealed_record(), old))
    import_pkcs12(data, hospital_p12()[0], b"s3cret")
    url = f"sqlite:///{tmp_path / 'hemgenix.sqlite3'}"
    with Store.open(url) as store:
        add_people(store, workstation="PHARM-WS-07")
    return pdf, data, url, old.fingerprint


def _verify(pdf: Path, data: Path, url: str) -> int:
    return main(["verify", str(pdf), "--data-dir", str(data), "--db", url])


@pytest.mark.slow
def test_a_retired_certificate_counts_only_after_a_pharmacists_audited_event(
    replaced: tuple[Path, Path, str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf, data, url, old = replaced
    assert (site_folder(data) / "retired" / (old.replace(":", "").lower() + ".pem")).exists()
    assert _verify(pdf, data, url) == 1  # its file in retired/ alone is trusted by nothing
    assert capsys.readouterr().err.startswith("NOT VERIFIED:")

    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORDS["ttech"] + "\n"))
    trust = ["site", "trust-retired", old.replace(":", "").lower(), "--data-dir", str(data), "--db", url]
    assert main([*trust, "--username", "ttech", "--password-stdin"]) == 2
    assert "ttech" in capsys.readouterr().err  # a technician is refused, with the sentence
    monkeypatch.setattr("sys.stdin", io.StringIO("not the password\n"))
    assert main([*trust, "--username", "ppharm", "--password-stdin"]) == 2
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORDS["ppharm"] + "\n"))
    assert main([*trust, "--username", "ppharm", "--password-stdin"]) == 2  # one pharmacist alone: refused
    assert "approv" in capsys.readouterr().err
    assert _verify(pdf, data, url) == 1  # still not trusted
    capsys.readouterr()
    approved = ["--username", "ppharm", "--password-stdin", "--approver", "qpharm", "--approver-password-stdin"]
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORDS["ppharm"] + "\n" + PASSWORDS["qpharm"] + "\n"))
    assert main([*trust, *approved]) == 0
    assert capsys.readouterr().out == (
        f"The retired certificate {old} is trusted: records signed with it verify as this site's.\n"
    )
    with Store.open(url) as store:
        (event,) = [e for e in store.audit_trail() if e.action == AuditAction.RETIRED_CERTIFICATE_TRUSTED.value]
        assert event.username == "ppharm"
        assert event.after["fingerprint"] == old
    assert _verify(pdf, data, url) == 0
    assert capsys.readouterr().out.startswith("VERIFIED: record")


@pytest.mark.slow
def test_a_certificate_dropped_into_retired_is_not_trusted(
    replaced: tuple[Path, Path, str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An attacker's own certificate copied into retired/, and a record signed with its key: NOT VERIFIED."""
    pdf, data, url, _old = replaced
    forged = create_site_certificate(tmp_path / "attacker", "St. Example")
    forged_pdf = tmp_path / "forged.pdf"
    forged_pdf.write_bytes(build_record_pdf(sealed_record(), forged))
    retired = site_folder(data) / "retired"
    shutil.copyfile(site_folder(tmp_path / "attacker") / "certificate.pem", retired / "attacker.pem")
    assert _verify(forged_pdf, data, url) == 1
    assert "NOT VERIFIED" in capsys.readouterr().err
    assert pdf.exists()


@pytest.mark.slow
def test_an_unknown_fingerprint_is_refused_with_a_sentence(
    replaced: tuple[Path, Path, str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _pdf, data, url, _old = replaced
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORDS["ppharm"] + "\n" + PASSWORDS["qpharm"] + "\n"))
    signed = ["--username", "ppharm", "--password-stdin", "--approver", "qpharm", "--approver-password-stdin"]
    args = ["site", "trust-retired", "AB" * 32, *signed, "--data-dir", str(data)]
    assert main([*args, "--db", url]) == 2
    assert capsys.readouterr().err.startswith("No retired site certificate has the fingerprint AB:AB:")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORDS["ppharm"] + "\n" + PASSWORDS["qpharm"] + "\n"))
    assert main(["site", "trust-retired", "12:34", *signed, "--db", url]) == 2
    assert "has 64 hexadecimal digits" in capsys.readouterr().err
