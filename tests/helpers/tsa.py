"""A real RFC 3161 timestamp authority on localhost for the tests: certomancer's ``TimeStamper`` (the service class
its Animator serves) behind a tiny ``http.server`` handler, in a thread.

The authority has its own throwaway root CA and a TSA certificate with the critical ``timeStamping`` extended key
usage, as RFC 3161 requires. ``mode`` makes it misbehave: ``"garbage"`` answers bytes that are not a timestamp
response, ``"error"`` answers HTTP 500. ``stop()`` closes it, so the next request finds nobody listening.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

Mode = Literal["ok", "garbage", "error"]
TSA_NAME = "Hemgenix Test TSA"


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Hemgenix Prep tests"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _certificates() -> tuple[x509.Certificate, x509.Certificate, ec.EllipticCurvePrivateKey]:
    """(root CA, TSA certificate, TSA key)."""
    now = datetime.now(UTC) - timedelta(days=1)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = (
        x509.CertificateBuilder()
        .subject_name(_name("Hemgenix Test TSA Root"))
        .issuer_name(_name("Hemgenix Test TSA Root"))
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    tsa_key = ec.generate_private_key(ec.SECP256R1())
    tsa = (
        x509.CertificateBuilder()
        .subject_name(_name(TSA_NAME))
        .issuer_name(root.subject)
        .public_key(tsa_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(tsa_key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    return root, tsa, tsa_key


@dataclass
class LocalTSA:
    """The running authority: its URL, its root CA (what a verifier trusts), the requests it answered."""

    url: str
    root: x509.Certificate
    certificate: x509.Certificate
    server: ThreadingHTTPServer
    mode: Mode = "ok"
    answered: list[datetime] = field(default_factory=list)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _handler(tsa: Any, state: dict[str, LocalTSA]) -> type[BaseHTTPRequestHandler]:
    from asn1crypto import tsp  # type: ignore[import-untyped]

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            local = state["tsa"]
            if local.mode == "error":
                self.send_error(500, "timestamp service unavailable")
                return
            if local.mode == "garbage":
                reply = b"this is not a timestamp"
            else:
                reply = tsa.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
                local.answered.append(datetime.now(UTC))
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: object) -> None:
            return  # quiet: the tests read stderr

    return Handler


@contextmanager
def local_tsa() -> Iterator[LocalTSA]:
    """A timestamp authority listening on 127.0.0.1 (a free port) for the duration of the block."""
    from asn1crypto import keys  # type: ignore[import-untyped]
    from asn1crypto import x509 as asn1_x509
    from certomancer.services import TimeStamper

    root, tsa_cert, tsa_key = _certificates()
    der = serialization.Encoding.DER
    stamper = TimeStamper(
        tsa_cert=asn1_x509.Certificate.load(tsa_cert.public_bytes(der)),
        tsa_key=keys.PrivateKeyInfo.load(
            tsa_key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        ),
        certs_to_embed=[asn1_x509.Certificate.load(root.public_bytes(der))],
    )
    state: dict[str, LocalTSA] = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stamper, state))
    host, port = server.server_address[:2]
    local = LocalTSA(f"http://{host!s}:{port}/tsa", root, tsa_cert, server)
    state["tsa"] = local
    thread = threading.Thread(target=server.serve_forever, name="local-tsa", daemon=True)
    thread.start()
    try:
        yield local
    finally:
        if thread.is_alive():
            local.stop()
        thread.join(timeout=10)
