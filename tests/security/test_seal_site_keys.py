"""The site's record-signing certificate: created on first use, or imported from PKCS#12."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from hemgenix_desktop.security.site_keys import (
    SiteCertificateError,
    create_site_certificate,
    ensure_site_certificate,
    import_pkcs12,
    load_certificate_file,
    load_site_certificate,
    trusted_certificates,
)


def hospital_p12(
    password: bytes | None = b"s3cret",
    days: int = 365,
    start: datetime | None = None,
    key: rsa.RSAPrivateKey | None = None,
) -> tuple[bytes, x509.Certificate]:
    """A PKCS#12 file as a hospital CA would issue it: an RSA key, its certificate, and the CA certificate."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Example Hospital CA")])
    now = start or datetime.now(UTC)
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Example Hospital Pharmacy Records")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=days))
        .sign(ca_key, hashes.SHA256())
    )
    encryption = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    return pkcs12.serialize_key_and_certificates(b"records", key, cert, [ca], encryption), cert


def test_first_use_creates_a_self_signed_certificate_with_an_owner_only_key(tmp_path: Path) -> None:
    assert load_site_certificate(tmp_path) is None
    site = ensure_site_certificate(tmp_path, "St. Example Infusion Pharmacy")
    assert site.self_signed
    assert (
        site.subject == "O=St. Example Infusion Pharmacy,CN=Hemgenix Prep record signing: St. Example Infusion Pharmacy"
    )
    assert isinstance(site.certificate.public_key(), ec.EllipticCurvePublicKey)
    assert site.not_valid_after - site.not_valid_before > timedelta(days=3600)
    assert stat.S_IMODE(site.key_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(site.key_path.parent.stat().st_mode) == 0o700
    assert len(site.fingerprint) == 95  # 32 bytes as hex pairs with colons
    again = ensure_site_certificate(tmp_path, "another name")
    assert again.fingerprint == site.fingerprint
    loaded = load_site_certificate(tmp_path)
    assert loaded is not None
    assert loaded.fingerprint == site.fingerprint
    usage = site.certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature
    assert usage.content_commitment


def test_a_hospital_certificate_is_imported_and_the_old_one_counts_only_once_the_trail_approves_it(
    tmp_path: Path,
) -> None:
    old = create_site_certificate(tmp_path, "St. Example")
    p12, cert = hospital_p12()
    site = import_pkcs12(tmp_path, p12, b"s3cret")
    assert site.certificate == cert
    assert not site.self_signed
    assert [c.subject.rfc4514_string() for c in site.chain] == ["CN=Example Hospital CA"]
    assert stat.S_IMODE(site.key_path.stat().st_mode) == 0o600
    loaded = load_site_certificate(tmp_path)
    assert loaded is not None
    assert loaded.certificate == cert
    assert len(loaded.chain) == 1
    # the replaced certificate is kept in retired/, but a file there is trusted by nothing ...
    assert [c.fingerprint(hashes.SHA256()) for c in trusted_certificates(tmp_path)] == [
        cert.fingerprint(hashes.SHA256())
    ]
    # ... until a pharmacist's audited event approves its fingerprint (services/site_trust.py)
    assert [c.fingerprint(hashes.SHA256()) for c in trusted_certificates(tmp_path, [old.fingerprint])] == [
        cert.fingerprint(hashes.SHA256()),
        old.certificate.fingerprint(hashes.SHA256()),
    ]
    assert not list((tmp_path / "site-signing" / "retired").glob("*key*"))


def test_a_pkcs12_file_without_a_password(tmp_path: Path) -> None:
    p12, cert = hospital_p12(password=None)
    assert import_pkcs12(tmp_path, p12, None).certificate == cert


def test_a_wrong_password_is_refused_with_a_sentence(tmp_path: Path) -> None:
    p12, _ = hospital_p12()
    with pytest.raises(SiteCertificateError) as caught:
        import_pkcs12(tmp_path, p12, b"wrong")
    assert caught.value.message == (
        "The PKCS#12 file cannot be opened: the password is wrong or the file is not a PKCS#12 file. Check both and "
        "try again."
    )
    assert load_site_certificate(tmp_path) is None


def test_a_file_without_the_key_is_refused(tmp_path: Path) -> None:
    _, cert = hospital_p12()
    only_cert = pkcs12.serialize_key_and_certificates(b"x", None, cert, None, serialization.NoEncryption())
    with pytest.raises(SiteCertificateError) as caught:
        import_pkcs12(tmp_path, only_cert, None)
    assert caught.value.message == (
        "The PKCS#12 file must hold both the certificate and its private key. Ask for a file that has both."
    )


def test_an_expired_certificate_is_refused(tmp_path: Path) -> None:
    p12, _ = hospital_p12(days=30, start=datetime.now(UTC) - timedelta(days=400))
    with pytest.raises(SiteCertificateError) as caught:
        import_pkcs12(tmp_path, p12, b"s3cret")
    assert caught.value.message.endswith("not today. Ask for a current certificate.")


def test_a_weak_rsa_key_is_refused(tmp_path: Path) -> None:
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    p12, _ = hospital_p12(key=weak)
    with pytest.raises(SiteCertificateError) as caught:
        import_pkcs12(tmp_path, p12, b"s3cret")
    assert caught.value.message == "The RSA key in the PKCS#12 file has 1024 bits; at least 2048 are needed."


def test_a_half_deleted_certificate_folder_says_what_is_missing(tmp_path: Path) -> None:
    site = create_site_certificate(tmp_path, "St. Example")
    site.key_path.unlink()
    with pytest.raises(SiteCertificateError) as caught:
        load_site_certificate(tmp_path)
    assert caught.value.message == (
        f"The site certificate is incomplete: {site.key_path} is missing. Import the site certificate again with "
        "hemgenix-prep site import-certificate."
    )


def test_certificate_files_in_pem_and_der(tmp_path: Path) -> None:
    site = create_site_certificate(tmp_path, "St. Example")
    pem = tmp_path / "site.pem"
    der = tmp_path / "site.cer"
    pem.write_bytes(site.certificate.public_bytes(serialization.Encoding.PEM))
    der.write_bytes(site.certificate_der())
    assert load_certificate_file(pem) == site.certificate
    assert load_certificate_file(der) == site.certificate
    junk = tmp_path / "junk.txt"
    junk.write_text("not a certificate")
    with pytest.raises(SiteCertificateError, match="is not a certificate in PEM or DER form"):
        load_certificate_file(junk)


def test_a_key_that_does_not_belong_to_the_certificate_is_refused(tmp_path: Path) -> None:
    site = create_site_certificate(tmp_path / "a", "St. Example")
    other = create_site_certificate(tmp_path / "b", "Other")
    site.key_path.write_bytes(other.key_path.read_bytes())
    loaded = load_site_certificate(tmp_path / "a")  # the encrypted key is compared once it is unlocked
    assert loaded is not None
    with pytest.raises(SiteCertificateError) as caught:
        loaded.unlock()
    assert caught.value.message == (
        f"The site's private key {site.key_path} does not belong to its certificate "
        f"{site.key_path.parent / 'certificate.pem'}. Import the site certificate again with hemgenix-prep site "
        "import-certificate."
    )
    assert not list((tmp_path / "a" / "site-signing").glob("*.tmp"))
