"""PAdES signing of a record PDF with the site certificate (pyHanko).

The sealed record's canonical JSON is attached to the PDF (an embedded file, ``application/json``) and the
PDF is then signed in the same incremental update, so the signature covers the attachment as well as the
pages, and the electronic record travels with the printed one.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from hemgenix_desktop.security.key_protection import (
    SiteCertificateError,
    TokenConfig,
    check_token_pin,
    token_pin_question,
    wrong_secret,
)
from hemgenix_desktop.security.site_keys import SiteCertificate

SIGNATURE_FIELD = "HemgenixRecordSeal"
EMBEDDED_PREFIX = "hemgenix-record-"
EMBEDDED_MIME = "application/json"


def embedded_file_name(record_id: str) -> str:
    return f"{EMBEDDED_PREFIX}{record_id}.json"


@lru_cache(maxsize=4)
def _signer(cert_der: bytes, key_der: bytes, chain_der: tuple[bytes, ...]) -> Any:
    from asn1crypto import keys as asn1_keys  # type: ignore[import-untyped]
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    cert = asn1_x509.Certificate.load(cert_der)
    chain = [asn1_x509.Certificate.load(der) for der in chain_der]
    return signers.SimpleSigner(
        signing_cert=cert,
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs([cert, *chain]),  # type: ignore[no-untyped-call]
    )


@contextmanager
def _signer_for(site: SiteCertificate) -> Iterator[Any]:
    from cryptography.hazmat.primitives import serialization

    chain = tuple(c.public_bytes(serialization.Encoding.DER) for c in site.chain)
    if site.token is None:
        yield _signer(site.certificate_der(), site.private_key_der(), chain)
        return
    with _token_signer(site.token, site.certificate_der(), chain) as signer:
        yield signer


@contextmanager
def _token_signer(token: TokenConfig, cert_der: bytes, chain_der: tuple[bytes, ...]) -> Iterator[Any]:
    """pyHanko's PKCS#11 signer on the site's token, signed in with the PIN (checked first: a wrong one raises
    :class:`SiteKeyLocked` with the sentence); the session is closed after the signature."""
    import pkcs11
    from asn1crypto import x509 as asn1_x509
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    pin = check_token_pin(token)
    try:
        session = open_pkcs11_session(token.module, token_criteria=TokenCriteria(label=token.token_label), user_pin=pin)
    except (pkcs11.PinIncorrect, pkcs11.PinLenRange) as exc:
        raise wrong_secret(token_pin_question(token)) from exc
    except (pkcs11.PKCS11Error, OSError, ValueError) as exc:
        raise SiteCertificateError(f"Signing in to {token.describe()} failed ({exc!r}).") from exc
    try:
        cert = asn1_x509.Certificate.load(cert_der)
        yield PKCS11Signer(
            session,
            key_label=token.key_label,
            signing_cert=cert,
            ca_chain=[asn1_x509.Certificate.load(der) for der in chain_der],
            use_raw_mechanism=cert.public_key.algorithm
            == "ec",  # the token signs the digest: every token has CKM_ECDSA
        )
    finally:
        session.close()


def embed_and_sign(
    pdf: bytes,
    record_json: bytes,
    *,
    record_id: str,
    sha256: str,
    site: SiteCertificate,
    location: str,
) -> bytes:
    """Attach ``record_json`` to ``pdf`` and sign the result with the site certificate (PAdES B-B)."""
    from pyhanko.pdf_utils import embed
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    name = embedded_file_name(record_id)
    data = embed.EmbeddedFileObject.from_file_data(
        writer, record_json, mime_type=EMBEDDED_MIME, params=embed.EmbeddedFileParams()
    )
    embed.embed_file(
        writer,
        embed.FileSpec(
            file_spec_string=name,
            file_name=name,
            embedded_data=data,
            description=f"Sealed preparation record {record_id}, SHA-256 {sha256}",
        ),
    )
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=f"Sealed Hemgenix preparation record {record_id} (SHA-256 {sha256})",
        location=location,
    )
    # The placeholder is counted in hex digits (2 per byte of the DER signature): the certificates the CMS
    # carries, plus room for signed attributes and an RSA-4096 signature.
    der_estimate = 3072 + len(site.certificate_der()) + sum(len(c.tbs_certificate_bytes) + 600 for c in site.chain)
    reserve = 2 * der_estimate
    with _signer_for(site) as signer:
        try:
            out = signers.sign_pdf(writer, meta, signer=signer, bytes_reserved=reserve)
        except SiteCertificateError:
            raise
        except Exception as exc:  # pyHanko wraps a token's failure in its own errors (SigningError, PKCS11Error)
            if site.token is None:
                raise
            raise SiteCertificateError(
                f"The record could not be signed on {site.token.describe()} ({exc}). Check that the token is "
                "plugged in, then try again."
            ) from exc
    signed: bytes = out.getvalue()
    return signed
