"""PAdES signing of a record PDF with the site certificate (pyHanko).

The sealed record's canonical JSON is attached to the PDF (an embedded file, ``application/json``) and the
PDF is then signed in the same incremental update, so the signature covers the attachment as well as the
pages, and the electronic record travels with the printed one.

When the site names a timestamp authority (the setting ``timestamp_url``), the signature also carries the
authority's RFC 3161 timestamp of it (PAdES B-T, pyHanko's HTTP timestamp client): the signing time is then the
authority's word, not only the workstation's. An authority that cannot be reached or answers badly raises
:class:`TimestampUnavailable`: the PDF is not made without the timestamp the site asked for.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from hemgenix_desktop.domain.errors import DomainError
from hemgenix_desktop.records.pyhanko_loading import load_pyhanko
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


TIMESTAMP_SECONDS = 10  # how long the authority may take to answer
TIMESTAMP_RESERVE = 8192  # bytes of the signature's placeholder kept for the timestamp token (its CMS and certificates)


class TimestampUnavailable(DomainError):  # noqa: N818 - reads as the user sees it
    """The site's timestamp authority could not be reached or did not answer with a usable timestamp."""


NOT_MADE = (
    "This site's records are signed only with its timestamp, so no record PDF or label was made; the record stays "
    "sealed, and they are made once the authority answers again (Try sealing again, or resume the preparation from "
    "the unfinished ones)."
)
NOT_SEALED = (
    "This site's records are signed only with its timestamp, so nothing was sealed. Ask IT to check the "
    "authority, then seal again."
)


def _timestamp_problem(url: str, exc: BaseException, consequence: str = NOT_MADE) -> TimestampUnavailable:
    import requests

    root = exc
    while root.__cause__ is not None:
        root = root.__cause__
    if isinstance(root, requests.ConnectionError | requests.Timeout):
        what = "could not be reached (no answer, or the connection was refused)"
    else:
        detail = str(exc.args[0] if exc.args else "")[:160] or type(exc).__name__
        what = f"did not answer with a usable timestamp ({detail})"
    return TimestampUnavailable(f"The timestamp authority at {url} {what}. {consequence}")


def timestamper(url: str) -> Any:
    """pyHanko's HTTP timestamp client for ``url``; any failure of the authority (no answer, an HTTP error, a
    reply that is not a granted timestamp of what was asked) raises :class:`TimestampUnavailable`."""
    load_pyhanko()
    from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

    class SiteTimeStamper(RequestsHTTPTimeStamper):
        async def async_timestamp(self, message_digest: bytes, md_algorithm: str) -> Any:
            try:
                return await super().async_timestamp(message_digest, md_algorithm)
            except Exception as exc:  # everything here is the authority's answer, or its absence
                raise _timestamp_problem(url, exc) from exc

    return SiteTimeStamper(url, timeout=TIMESTAMP_SECONDS)  # type: ignore[no-untyped-call]


def check_timestamp_authority(url: str) -> None:
    """Ask the authority for one timestamp (of a random digest): raises :class:`TimestampUnavailable` with the
    sentence when it does not give one. Sealing asks first, so that a site whose authority is down seals nothing."""
    import asyncio
    import hashlib
    import os

    try:
        asyncio.run(timestamper(url).async_timestamp(hashlib.sha256(os.urandom(32)).digest(), "sha256"))
    except TimestampUnavailable as exc:
        raise _timestamp_problem(url, exc.__cause__ or exc, NOT_SEALED) from exc


def embedded_file_name(record_id: str) -> str:
    return f"{EMBEDDED_PREFIX}{record_id}.json"


@lru_cache(maxsize=4)
def _signer(cert_der: bytes, key_der: bytes, chain_der: tuple[bytes, ...]) -> Any:
    load_pyhanko()
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
    load_pyhanko()
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
    timestamp_url: str | None = None,
) -> bytes:
    """Attach ``record_json`` to ``pdf`` and sign the result with the site certificate (PAdES B-B; B-T with the
    authority's timestamp when ``timestamp_url`` is given: raises :class:`TimestampUnavailable` when it gives none)."""
    load_pyhanko()  # aiohttp only when something asks for pyHanko's own HTTP client: see pyhanko_loading
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
    if timestamp_url is not None:
        der_estimate += TIMESTAMP_RESERVE
    reserve = 2 * der_estimate
    stamper = None if timestamp_url is None else timestamper(timestamp_url)
    with _signer_for(site) as signer:
        try:
            out = signers.sign_pdf(writer, meta, signer=signer, timestamper=stamper, bytes_reserved=reserve)
        except (SiteCertificateError, TimestampUnavailable):
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
