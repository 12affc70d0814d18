"""A real PKCS#11 token for the tests: SoftHSM2 (the Debian package ``softhsm2``, installed by
scripts/system-deps.sh), in a temporary token folder of its own (``SOFTHSM2_CONF``).

The token holds an EC P-256 key pair generated on the token (python-pkcs11) and a site certificate for it, issued
by a throwaway CA. SoftHSM reads its configuration once per process, so one token serves the whole test session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

TOKEN_LABEL = "hemgenix-test"
KEY_LABEL = "site-records"
PIN = "246810"
SO_PIN = "13579111"
_MODULES = (
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/local/lib/softhsm/libsofthsm2.so",
)


@dataclass(frozen=True)
class Token:
    module: str
    ca: x509.Certificate
    certificate: x509.Certificate

    def settings(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The site's settings name this token (through the settings' environment variables)."""
        monkeypatch.setenv("HEMGENIX_PKCS11_MODULE", self.module)
        monkeypatch.setenv("HEMGENIX_PKCS11_TOKEN", TOKEN_LABEL)
        monkeypatch.setenv("HEMGENIX_PKCS11_KEY_LABEL", KEY_LABEL)


def softhsm_module() -> str | None:
    found = next((m for m in _MODULES if Path(m).exists()), None)
    return found if found is not None and shutil.which("softhsm2-util") else None


def _issue(public: ec.EllipticCurvePublicKey) -> tuple[x509.Certificate, x509.Certificate]:
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Example Hospital Token CA")])
    now = datetime.now(UTC)
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Example Pharmacy Records (token)")]))
        .issuer_name(ca_name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    return ca, cert


def make_token(folder: Path, module: str) -> Token:
    """Initialise a token in ``folder`` (SOFTHSM2_CONF must point there already), generate the key pair on it and
    store the site certificate beside the key."""
    import pkcs11
    from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass
    from pkcs11.util.ec import encode_ec_public_key, encode_named_curve_parameters

    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", TOKEN_LABEL, "--pin", PIN, "--so-pin", SO_PIN],
        check=True,
        capture_output=True,
    )
    token = pkcs11.lib(module).get_token(token_label=TOKEN_LABEL)
    with token.open(rw=True, user_pin=PIN) as session:
        params = session.create_domain_parameters(
            KeyType.EC, {Attribute.EC_PARAMS: encode_named_curve_parameters("secp256r1")}, local=True
        )
        public, _private = params.generate_keypair(store=True, label=KEY_LABEL, id=b"\x01")
        loaded = serialization.load_der_public_key(encode_ec_public_key(public))
        assert isinstance(loaded, ec.EllipticCurvePublicKey)
        ca, cert = _issue(loaded)
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.PRIVATE: False,
                Attribute.LABEL: KEY_LABEL,
                Attribute.ID: b"\x01",
                Attribute.SUBJECT: cert.subject.public_bytes(),
                Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
            }
        )
    return Token(module, ca, cert)


@pytest.fixture(scope="session")
def softhsm_token(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Token]:
    """The session's SoftHSM2 token; the test is skipped, with the reason, when SoftHSM2 is not installed."""
    module = softhsm_module()
    if module is None:
        pytest.skip("SoftHSM2 is not installed (apt-get install softhsm2, or run scripts/system-deps.sh)")
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    try:
        yield make_token(folder, module)
    finally:
        if previous is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = previous
