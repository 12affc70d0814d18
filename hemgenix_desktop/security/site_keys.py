"""The site's record-signing certificate (for the PAdES signature on every record PDF).

When the site's settings name a PKCS#11 token (:mod:`.key_protection`), the key and the certificate are the
token's and nothing is created. Otherwise, on first use a self-signed X.509 certificate with an EC P-256 key is
created; a hospital may instead import its own certificate and key from a PKCS#12 file (``hemgenix-prep site
import-certificate``). Files live in ``<data folder>/site-signing/``: ``key.pem`` (PKCS#8 encrypted with the
site's passphrase, readable by its owner only, 0600), ``certificate.pem`` and ``chain.pem`` (any CA certificates
that came with an imported one). A replaced certificate is kept in ``retired/`` (certificate only, never the key),
but a record signed with it verifies as this site's only once a pharmacist has trusted it through an audited event
(``hemgenix-prep site trust-retired``): :func:`trusted_certificates` takes the fingerprints the trail approves, so a
file dropped into that folder is trusted by nothing.

Every function takes ``data_dir`` explicitly; :func:`default_data_dir` is the user's data folder.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from hemgenix_desktop.config import data_dir
from hemgenix_desktop.private_files import UnreadableFileError, private_folder, read_regular_file, write_private
from hemgenix_desktop.security.key_protection import (
    KEY_FILE_SECRET,
    NEW_KEY_FILE_SECRET,
    PrivateKey,
    SiteCertificateError,
    SiteKeyLocked,
    TokenConfig,
    check_token_pin,
    encrypt_pem,
    is_encrypted,
    load_key_pem,
    secret,
    token_certificate,
    token_config,
)
from hemgenix_desktop.security.throwaway import FOLDER, is_practice_signing_folder

KEY_FILE = "key.pem"
CERT_FILE = "certificate.pem"
CHAIN_FILE = "chain.pem"
RETIRED = "retired"
VALID_YEARS = 10
MAX_CERTIFICATE_FILE = 1024 * 1024  # a certificate is a few KB
_MIN_RSA_BITS = 2048


__all__ = ["NotACertificate", "SiteCertificateError", "SiteKeyLocked", "TokenConfig"]


def default_data_dir() -> Path:
    """The user's data folder for Hemgenix Prep (platformdirs, through the one configuration module)."""

    return data_dir()


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 fingerprint of the certificate's DER bytes, as upper-case hex pairs joined by colons."""
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()


def describe_name(name: x509.Name) -> str:
    return name.rfc4514_string()


@dataclass(frozen=True)
class SiteCertificate:
    """The site's certificate, the chain that came with it, and where its private key lives: the file
    ``key_path``, or the PKCS#11 ``token`` when the site has one (then ``key_path`` is not used)."""

    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    key_path: Path
    token: TokenConfig | None = None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.certificate)

    @property
    def practice(self) -> bool:
        """A practice session's throwaway key (:mod:`security.throwaway`): its signatures reach no site server."""
        return self.token is None and is_practice_signing_folder(self.key_path.parent)

    @property
    def subject(self) -> str:
        return describe_name(self.certificate.subject)

    @property
    def issuer(self) -> str:
        return describe_name(self.certificate.issuer)

    @property
    def self_signed(self) -> bool:
        return self.certificate.subject == self.certificate.issuer

    @property
    def not_valid_before(self) -> datetime:
        return self.certificate.not_valid_before_utc

    @property
    def not_valid_after(self) -> datetime:
        return self.certificate.not_valid_after_utc

    def certificate_der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    def private_key_der(self) -> bytes:
        """The private key as unencrypted PKCS#8 DER (for the PDF signer; never written anywhere). The key file's
        passphrase is asked for if not given yet; a key on a token never leaves it (use :meth:`sign`)."""
        if self.token is not None:
            raise SiteCertificateError(
                f"The site key is on {self.token.describe()} and never leaves it; this signature must be made there."
            )
        key = _load_key(self.key_path)
        return key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    def unlock(self) -> None:
        """Make sure the key can sign now, before anything is sealed: the token's PIN or the key file's passphrase
        is asked for if not given yet and checked. A wrong one raises :class:`SiteKeyLocked` with the sentence."""
        if self.token is not None:
            check_token_pin(self.token)
        elif _public_bytes(_load_key(self.key_path).public_key()) != _public_bytes(self.certificate.public_key()):
            raise SiteCertificateError(
                f"The site's private key {self.key_path} does not belong to its certificate "
                f"{self.key_path.parent / CERT_FILE}. Import the site certificate again with hemgenix-prep site "
                "import-certificate."
            )

    def sign(self, data: bytes) -> bytes:
        """A signature of ``data`` with the site key (ECDSA with SHA-256 as DER, or RSA PKCS#1 v1.5 with SHA-256),
        made on the token when the site has one."""
        if self.token is not None:
            from hemgenix_desktop.security.key_protection import token_sign

            return token_sign(self.token, data)
        key = _load_key(self.key_path)
        if isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(hashes.SHA256()))
        from cryptography.hazmat.primitives.asymmetric import padding

        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())

    @property
    def key_file_encrypted(self) -> bool:
        """True when the key is on a token or its file is encrypted; False for a key file in the clear."""
        if self.token is not None:
            return True
        try:
            return is_encrypted(self.key_path.read_bytes())
        except OSError:
            return False


def site_folder(data_dir: Path) -> Path:
    return data_dir / FOLDER


def _make_folder(data_dir: Path) -> Path:
    folder = site_folder(data_dir)
    try:
        private_folder(folder, own=True)
    except OSError as exc:
        raise SiteCertificateError(
            f"The folder {folder} for the site certificate cannot be created ({exc.strerror}). Check that the data "
            "folder is writable, then try again."
        ) from exc
    return folder


def _load_key(path: Path, passphrase: str | None = None) -> PrivateKey:
    try:
        pem = path.read_bytes()
    except OSError as exc:
        raise SiteCertificateError(
            f"The site's private key {path} cannot be read ({exc.strerror}). Import the site certificate again with "
            "hemgenix-prep site import-certificate."
        ) from exc
    return load_key_pem(pem, str(path), passphrase)


def _load_pem_certs(path: Path) -> list[x509.Certificate]:
    try:
        return x509.load_pem_x509_certificates(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise SiteCertificateError(
            f"The site certificate file {path} cannot be read ({exc}). Import the site certificate again."
        ) from exc


def load_site_certificate(data_dir: Path) -> SiteCertificate | None:
    """The site certificate: the token's when the settings name one, else the one in ``data_dir``, or None when
    there is none yet."""
    folder = site_folder(data_dir)
    cert_path, key_path = folder / CERT_FILE, folder / KEY_FILE
    token = None if is_practice_signing_folder(folder) else token_config()  # practice: its throwaway key only
    if token is not None:
        chain_path = folder / CHAIN_FILE
        chain = tuple(_load_pem_certs(chain_path)) if chain_path.exists() else ()
        return SiteCertificate(token_certificate(token), chain, key_path, token)
    if not cert_path.exists() and not key_path.exists():
        return None
    if not cert_path.exists() or not key_path.exists():
        missing = cert_path if not cert_path.exists() else key_path
        raise SiteCertificateError(
            f"The site certificate is incomplete: {missing} is missing. Import the site certificate again with "
            "hemgenix-prep site import-certificate."
        )
    certs = _load_pem_certs(cert_path)
    if len(certs) != 1:
        raise SiteCertificateError(f"{cert_path} must hold exactly one certificate. Import the site certificate again.")
    if not is_encrypted(key_path.read_bytes()) and _public_bytes(_load_key(key_path).public_key()) != _public_bytes(
        certs[0].public_key()
    ):
        raise SiteCertificateError(
            f"The site's private key {key_path} does not belong to its certificate {cert_path}. Import the site "
            "certificate again with hemgenix-prep site import-certificate."
        )
    chain_path = folder / CHAIN_FILE
    chain = tuple(_load_pem_certs(chain_path)) if chain_path.exists() else ()
    return SiteCertificate(certs[0], chain, key_path)


def _retire_current(folder: Path) -> None:
    """Keep the certificate being replaced (not its key) so its records still verify as this site's."""
    cert_path = folder / CERT_FILE
    if not cert_path.exists():
        return
    for cert in _load_pem_certs(cert_path):
        retired = private_folder(folder / RETIRED)
        name = fingerprint(cert).replace(":", "").lower() + ".pem"
        write_private(retired / name, cert.public_bytes(serialization.Encoding.PEM))


def _store(
    data_dir: Path,
    key: PrivateKey,
    cert: x509.Certificate,
    chain: list[x509.Certificate],
) -> SiteCertificate:
    if is_practice_signing_folder(site_folder(data_dir)):  # a practice session's throwaway key: no secret, no token
        pem_key = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    else:
        _no_token()
        pem_key = encrypt_pem(key, secret(KEY_FILE_SECRET))
    folder = _make_folder(data_dir)
    _retire_current(folder)
    try:
        write_private(folder / KEY_FILE, pem_key)
        write_private(folder / CERT_FILE, cert.public_bytes(serialization.Encoding.PEM))
        chain_path = folder / CHAIN_FILE
        if chain:
            write_private(chain_path, b"".join(c.public_bytes(serialization.Encoding.PEM) for c in chain))
        else:
            chain_path.unlink(missing_ok=True)
    except OSError as exc:
        raise SiteCertificateError(
            f"The site certificate cannot be saved in {folder} ({exc.strerror}). Check that the data folder is "
            "writable, then try again."
        ) from exc
    return SiteCertificate(cert, tuple(chain), folder / KEY_FILE)


def create_site_certificate(data_dir: Path, site_name: str, *, now: datetime | None = None) -> SiteCertificate:
    """Create a self-signed record-signing certificate (EC P-256, SHA-256, 10 years) for ``site_name``."""
    site = site_name.strip() or "Hemgenix Prep site"
    when = now or datetime.now(UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"Hemgenix Prep record signing: {site}"[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, site[:64]),
        ]
    )
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(when - timedelta(minutes=5))
        .not_valid_after(when + timedelta(days=365 * VALID_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    return _store(data_dir, key, cert, [])


def _no_token() -> None:
    token = token_config()
    if token is not None:
        raise SiteCertificateError(
            f"The site key is on {token.describe()}: its certificate is the token's, so none is created or imported "
            "here. Store the certificate on the token, or clear the setting pkcs11_module to use a key file."
        )


def encrypt_key_file(data_dir: Path, passphrase: str) -> bool:
    """Encrypt the site's key file in place with ``passphrase``; False when it was encrypted already."""
    _no_token()
    path = site_folder(data_dir) / KEY_FILE
    if not path.exists():
        raise SiteCertificateError(f"There is no site key file {path} to encrypt.")
    if is_encrypted(path.read_bytes()):
        return False
    write_private(path, encrypt_pem(_load_key(path), passphrase))
    return True


def unencrypted_key_warning(data_dir: Path) -> str:
    """The sentence that reports a site key file kept in the clear, or "" (a token, an encrypted file, none)."""
    path = site_folder(data_dir) / KEY_FILE
    try:
        if token_config() is not None or not path.exists() or is_encrypted(path.read_bytes()):
            return ""
    except (OSError, SiteCertificateError):
        return ""
    return (
        f"The site key file {path} is not encrypted: anyone who can read it can sign records as this site. "
        "Encrypt it with: hemgenix-prep site encrypt-key"
    )


def ready_to_sign(data_dir: Path) -> None:
    """Before anything is sealed: the site key can sign. The token's PIN or the key file's passphrase is asked for
    if not given yet and checked (a wrong one raises :class:`SiteKeyLocked`); with no key yet, the passphrase its
    new file will be encrypted with must be given (the key itself is made with the first PDF)."""
    site = load_site_certificate(data_dir)
    if site is not None:
        site.unlock()
    elif not is_practice_signing_folder(site_folder(data_dir)) and token_config() is None:
        secret(NEW_KEY_FILE_SECRET)


def ensure_site_certificate(data_dir: Path, site_name: str) -> SiteCertificate:
    """The site certificate, created on first use."""
    existing = load_site_certificate(data_dir)
    return existing if existing is not None else create_site_certificate(data_dir, site_name)


def _public_bytes(key: object) -> bytes:
    assert isinstance(key, ec.EllipticCurvePublicKey | rsa.RSAPublicKey)
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def import_pkcs12(
    data_dir: Path, p12: bytes, password: bytes | None, *, now: datetime | None = None
) -> SiteCertificate:
    """Import the hospital's certificate and key from a PKCS#12 file's bytes; replaces the current one."""
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(p12, password)
    except ValueError as exc:
        raise SiteCertificateError(
            "The PKCS#12 file cannot be opened: the password is wrong or the file is not a PKCS#12 file. Check "
            "both and try again."
        ) from exc
    if key is None or cert is None:
        raise SiteCertificateError(
            "The PKCS#12 file must hold both the certificate and its private key. Ask for a file that has both."
        )
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise SiteCertificateError("The key in the PKCS#12 file is neither RSA nor EC. Ask for an RSA or EC key.")
    if isinstance(key, rsa.RSAPrivateKey) and key.key_size < _MIN_RSA_BITS:
        raise SiteCertificateError(
            f"The RSA key in the PKCS#12 file has {key.key_size} bits; at least {_MIN_RSA_BITS} are needed."
        )
    if _public_bytes(cert.public_key()) != _public_bytes(key.public_key()):
        raise SiteCertificateError(
            "The private key in the PKCS#12 file does not belong to its certificate. Ask for a matching pair."
        )
    when = now or datetime.now(UTC)
    if not cert.not_valid_before_utc <= when <= cert.not_valid_after_utc:
        raise SiteCertificateError(
            f"The certificate is valid from {cert.not_valid_before_utc:%Y-%m-%d} to "
            f"{cert.not_valid_after_utc:%Y-%m-%d}, not today. Ask for a current certificate."
        )
    return _store(data_dir, key, cert, list(extra))


def retired_certificates(data_dir: Path) -> list[x509.Certificate]:
    """The certificates kept in ``retired/`` (trusted by nothing until a pharmacist's audited event says so)."""
    folder = site_folder(data_dir) / RETIRED
    if not folder.is_dir():
        return []
    certs: list[x509.Certificate] = []
    for path in sorted(folder.glob("*.pem")):
        certs.extend(_load_pem_certs(path))
    return certs


def trusted_certificates(data_dir: Path, retired_fingerprints: Collection[str] = ()) -> list[x509.Certificate]:
    """This site's certificates: the current one, and those it replaced whose fingerprints the audit trail
    approves (``retired_fingerprints``, from the pharmacists' ``certificate_trusted`` events)."""
    current = load_site_certificate(data_dir)
    approved = {fp.upper() for fp in retired_fingerprints}
    retired = [c for c in retired_certificates(data_dir) if fingerprint(c) in approved]
    return ([current.certificate] if current is not None else []) + retired


class NotACertificate(SiteCertificateError):  # noqa: N818 - reads as the user sees it
    """A file given as a certificate holds none (or more than one): the input given is wrong."""


def load_certificate_file(path: Path, what: str = "the site's certificate") -> x509.Certificate:
    """A certificate from a PEM or DER file (for ``verify --certificate``; ``what``: the certificate it must be,
    named in the sentence, e.g. "the timestamp authority's root certificate (--tsa-certificate)")."""
    try:
        data = read_regular_file(path, MAX_CERTIFICATE_FILE, "certificate file")
    except UnreadableFileError as exc:
        raise SiteCertificateError(exc.message) from exc
    except OSError as exc:
        raise SiteCertificateError(f"The certificate file {path} cannot be read ({exc.strerror}).") from exc
    if b"-----BEGIN" in data:
        try:
            certs = x509.load_pem_x509_certificates(data)
        except ValueError:
            certs = []
        if len(certs) > 1:
            raise NotACertificate(
                f"{path} holds {len(certs)} certificates; give a file with {what} alone, in PEM or DER form."
            )
        if certs:
            return certs[0]
    else:
        try:
            return x509.load_der_x509_certificate(data)
        except ValueError:
            pass
    raise NotACertificate(  # the library's parse error names its internals, never what the person can do
        f"{path} is not a certificate in PEM or DER form. Give the file of {what}."
    )
