"""Verify a record PDF offline: ``hemgenix-prep verify FILE.pdf [--certificate CERT]``.

A record PDF passes only when all of these hold:

1. it carries exactly one PDF signature, which covers the whole file (nothing added after signing) and is
   cryptographically intact and valid; the signature's own bytes are exactly as written at signing (no
   byte of the unsigned ``/Contents`` gap changed);
2. the signing certificate is one of the certificates given as trusted (this site's, or ``--certificate``);
3. exactly one sealed record is attached; it is canonical JSON of this program's record format;
4. the SHA-256 of the attached record equals the hash printed on every page and the hash in the PDF's
   metadata, and the record ID printed, stored and attached agree;
5. a timestamp authority's token on the signature (PAdES B-T), when there is one, is intact and is a valid
   timestamp of this signature: its time, its authority and the authority's certificate fingerprint are reported,
   and whether that certificate chains to a root given as trusted for timestamps (``tsa_roots``).

Anything else raises :class:`RecordNotVerified` with the reason in a sentence. Any malformed input gives
that error, never another exception.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization

from hemgenix_desktop.domain.errors import DomainError
from hemgenix_desktop.records.common import AUDIT_LABEL
from hemgenix_desktop.records.pades import EMBEDDED_PREFIX, embedded_file_name
from hemgenix_desktop.records.pyhanko_loading import load_pyhanko
from hemgenix_desktop.records.record_pdf import HASH_LABEL
from hemgenix_desktop.security.seal import RecordFormatError, SealedRecord
from hemgenix_desktop.security.site_keys import describe_name, fingerprint

_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")
_GAP = re.compile(rb"<([0-9A-F]*)>")
_PRINTED_AUDIT = re.compile(re.escape(AUDIT_LABEL) + r" sealed at event [^\n]*")
_PRINTED_HASH = re.compile(re.escape(HASH_LABEL) + r"\s*((?:[0-9a-f]{8}\s*){8})")
_CHANGED = "The signature's bytes in the file were changed after signing."
_SUBJECT = re.compile(r"^record-id=(?P<id>[A-Z0-9-]+); sha256=(?P<hash>[0-9a-f]{64})$")


class RecordNotVerified(DomainError):  # noqa: N818 - reads as the user sees it
    """The PDF is not a verified record of this site; the message says why."""


@dataclass(frozen=True)
class RecordTimestamp:
    """The timestamp authority's timestamp of the record's signature (RFC 3161, PAdES B-T)."""

    at: datetime
    authority: str
    fingerprint: str  # SHA-256 of the authority's certificate
    trusted: bool  # its certificate chains to a root given as trusted for timestamps

    def lines(self) -> tuple[str, ...]:
        trust = (
            "its authority's certificate chains to a trusted timestamp root"
            if self.trusted
            else "compare the authority's certificate SHA-256 below with the one the authority publishes, or give "
            "its root with --tsa-certificate"
        )
        return (
            f"Timestamp: {self.at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC by {self.authority} ({trust})",
            f"Timestamp authority's certificate SHA-256: {self.fingerprint}",
        )


@dataclass(frozen=True)
class VerifiedRecord:
    record_id: str
    sha256: str
    signers: tuple[str, ...]  # "Prepared by: Tara Technician (ttech, technician) at 2026-12-01 15:33:00 UTC"
    certificate_fingerprint: str
    certificate_subject: str
    kind: str  # "original" or "amendment"
    amends: str | None  # "HGX-… (SHA-256 …)" for an amendment
    record: SealedRecord
    timestamp: RecordTimestamp | None = None  # None: the signature carries no timestamp (the site names no authority)
    audit_line: str | None = None  # "Audit trail: sealed at event …" as every page prints it (None: not printed)

    def amendment_lines(self) -> tuple[str, ...]:
        """For an amendment: "Amendment N of <first record>; amends <record> (SHA-256 …)", the reason, and one
        line per corrected value; empty for an original record."""
        ref = self.record.view.amends
        if ref is None:
            return ()
        which = f"Amendment {ref.number}" if ref.number else "Amendment"
        return (
            f"{which} of {ref.original_record_id}; amends {ref.record_id} (SHA-256 {ref.sha256})",
            f"Reason: {ref.reason}",
            *(f"Corrected: {change.describe()}" for change in ref.changes),
        )


def database_lines(record: SealedRecord, site_database_id: str | None) -> tuple[str, str | None]:
    """("Database: …", a sentence when the site names its database and the record was sealed in another)."""
    named = record.database_id
    line = f"Database: {named}" if named else "Database: not named (sealed before Hemgenix Prep named its databases)"
    if site_database_id and named != site_database_id:
        return line, (
            f"Record {record.record_id} was sealed in database {named or '(not named)'}, not in this site's database "
            f"{site_database_id} (the setting database_id): it comes from another database. Keep it aside and report it "
            "to the pharmacist in charge."
        )
    return line, None


def _fail(reason: str) -> RecordNotVerified:
    return RecordNotVerified(reason)


def _der_length(data: bytes) -> int:
    """Total length of the DER element at the start of ``data`` (tag, length, content)."""
    if len(data) < 2 or data[0] != 0x30:
        raise ValueError("not a DER sequence")
    first = data[1]
    if first < 0x80:
        return 2 + first
    count = first & 0x7F
    if count == 0 or count > 4 or len(data) < 2 + count:
        raise ValueError("bad DER length")
    return 2 + count + int.from_bytes(data[2 : 2 + count], "big")


def _check_signature_bytes(data: bytes) -> None:
    """The unsigned gap holds exactly the signature as written: upper-case hex, DER, then zeros only."""
    ranges = _BYTE_RANGE.findall(data)
    if len(ranges) != 1:
        raise _fail(
            "The PDF must carry exactly one signature; this one does not. It is not a sealed record of this program."
        )
    start, first, second, length = (int(v) for v in ranges[0])
    if start != 0 or second + length != len(data) or first >= second:
        raise _fail("The signature does not cover the whole file: something was added or removed after signing.")
    gap = _GAP.fullmatch(data[first:second])
    if gap is None:
        raise _fail(_CHANGED)
    raw = bytes.fromhex(gap.group(1).decode("ascii"))
    try:
        used = _der_length(raw)
    except ValueError:
        raise _fail(_CHANGED) from None
    if used > len(raw) or any(raw[used:]):
        raise _fail(_CHANGED)
    _check_der(raw[:used])


def _der_element(data: bytes, at: int, end: int) -> int:
    """Check one DER element at ``at`` (single-byte tag, minimal length, constructed contents exactly filled
    by their elements) and return where it ends."""
    if at + 2 > end or data[at] == 0 or data[at] & 0x1F == 0x1F:  # no end-of-contents, no multi-byte tags
        raise ValueError("bad tag")
    first = data[at + 1]
    if first < 0x80:
        length, body = first, at + 2
    else:
        count = first & 0x7F
        if count == 0 or count > 4 or at + 2 + count > end or data[at + 2] == 0:
            raise ValueError("bad length")
        length, body = int.from_bytes(data[at + 2 : at + 2 + count], "big"), at + 2 + count
        if length < 0x80:
            raise ValueError("length not minimal")
    stop = body + length
    if stop > end:
        raise ValueError("element runs past its container")
    if data[at] & 0x20:  # constructed: its elements must fill it exactly
        inner = body
        while inner < stop:
            inner = _der_element(data, inner, stop)
    return stop


def _check_der(signature: bytes) -> None:
    """The signature is strict DER from its first byte to its last (no length or tag changed unnoticed)."""
    try:
        if _der_element(signature, 0, len(signature)) != len(signature):
            raise ValueError("trailing bytes")
    except ValueError:
        raise _fail(_CHANGED) from None


def _issued_by_one_of(cert: x509.Certificate, candidates: Sequence[x509.Certificate]) -> bool:
    for issuer in candidates:
        if issuer.subject != cert.issuer:
            continue
        try:
            cert.verify_directly_issued_by(issuer)
        except (ValueError, TypeError, InvalidSignature):
            continue
        return True
    return False


def _only_a_timestamp(unsigned_attrs: Any) -> bool:
    """No unsigned attribute, or exactly one: the timestamp authority's token of the signature (PAdES B-T)."""
    if unsigned_attrs.native is None:
        return True
    return len(unsigned_attrs) == 1 and (
        unsigned_attrs[0]["type"].native == "signature_time_stamp_token" and len(unsigned_attrs[0]["values"]) == 1
    )


def _check_cms(signed_data: Any, trusted_fps: set[str]) -> None:
    """The parts of the signature that its own cryptography does not cover must be exactly as written:
    one SHA-256 signer without unsigned attributes, plain data content, and certificates that each verify
    against their issuer (so no byte of an embedded certificate can change unnoticed)."""
    from cryptography.x509 import load_der_x509_certificate

    signers = signed_data["signer_infos"]
    if signed_data["version"].native != "v1" or len(signers) != 1:
        raise _fail(_CHANGED)
    signer = signers[0]
    algorithms = [*signed_data["digest_algorithms"], signer["digest_algorithm"], signer["signature_algorithm"]]
    if any(a["parameters"].dump() not in (b"", b"\x05\x00") for a in algorithms):
        raise _fail(_CHANGED)
    digests = [a["algorithm"].native for a in signed_data["digest_algorithms"]]
    if digests != [signer["digest_algorithm"]["algorithm"].native] or digests != ["sha256"]:
        raise _fail(_CHANGED)
    encap = signed_data["encap_content_info"]
    if encap["content_type"].native != "data" or encap["content"].native is not None:
        raise _fail(_CHANGED)
    if signed_data["crls"].native is not None or not _only_a_timestamp(signer["unsigned_attrs"]):
        raise _fail(_CHANGED)
    if signer["version"].native != "v1" or signer["sid"].name != "issuer_and_serial_number":
        raise _fail(_CHANGED)
    try:
        bag = [load_der_x509_certificate(c.chosen.dump()) for c in signed_data["certificates"]]
    except ValueError:
        raise _fail(_CHANGED) from None
    for cert in bag:
        if not _issued_by_one_of(cert, bag) and fingerprint(cert) not in trusted_fps:
            raise _fail(_CHANGED)
    sid = signer["sid"].chosen
    serial, issuer_der = sid["serial_number"].native, sid["issuer"].dump()
    own = [c for c in bag if c.serial_number == serial and c.issuer.public_bytes() == issuer_der]
    if not own or any(fingerprint(c) not in trusted_fps for c in own):
        raise _fail(_CHANGED)


def _asn1(cert: x509.Certificate) -> Any:
    from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]

    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _embedded_files(reader: Any) -> list[tuple[str, bytes]]:
    root = reader.root
    if "/Names" not in root or "/EmbeddedFiles" not in root["/Names"]:
        return []
    tree = root["/Names"]["/EmbeddedFiles"]
    if "/Names" not in tree:
        raise _fail("The list of attached files in the PDF is not in the form this program writes.")
    names = tree["/Names"]
    out: list[tuple[str, bytes]] = []
    for i in range(0, len(names) - 1, 2):
        spec = names[i + 1].get_object()
        out.append((str(names[i]), spec["/EF"]["/F"].get_object().data))
    return out


def _printed(data: bytes) -> tuple[list[str | None], set[str | None]]:
    """Each page's printed record hash, and the audit lines the pages print (one, the same on every page)."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    found: list[str | None] = []
    audit: set[str | None] = set()
    for page in reader.pages:
        text = page.extract_text() or ""
        match = _PRINTED_HASH.search(text)
        found.append(None if match is None else re.sub(r"\s", "", match.group(1)))
        line = _PRINTED_AUDIT.search(text)
        audit.add(None if line is None else line.group(0).strip())
    return found, audit


def _metadata_subject(reader: Any) -> str:
    info = reader.trailer_view.get("/Info")
    if info is None:
        return ""
    subject = info.get_object().get("/Subject")
    return "" if subject is None else str(subject)


def verify_record_pdf(
    data: bytes, trusted: Sequence[x509.Certificate], tsa_roots: Sequence[x509.Certificate] = ()
) -> VerifiedRecord:
    """Verify a record PDF against the trusted certificates (``tsa_roots``: the roots trusted for a timestamp
    authority's certificate). Raises :class:`RecordNotVerified`."""
    if not trusted:
        raise _fail(
            "There is no site certificate to check the signature against. Give the site's certificate with "
            "--certificate CERT, or run this on a workstation of the site."
        )
    if not data.startswith(b"%PDF-"):
        raise _fail("The file is not a PDF.")
    _check_signature_bytes(data)
    try:
        return _verify(data, trusted, tsa_roots)
    except RecordNotVerified:
        raise
    except Exception as exc:  # a damaged file may fail anywhere inside the PDF libraries
        raise _fail(
            f"The PDF cannot be read as a signed record ({type(exc).__name__}): it was damaged or changed."
        ) from exc


def _quiet_pdf_libraries() -> None:
    """pyHanko logs what it finds wrong; verify reports the reason itself, in one sentence."""
    import logging

    for name in ("pyhanko", "pyhanko_certvalidator"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())


def _timestamp(signature: Any, status: Any) -> RecordTimestamp | None:
    """The signature's timestamp, checked: None when it carries none; a token that is not a valid timestamp of
    this signature raises :class:`RecordNotVerified`."""
    unsigned = signature.signer_info["unsigned_attrs"]
    if unsigned.native is None:
        return None
    stamp = status.timestamp_validity
    if stamp is None or not stamp.intact or not stamp.valid:
        raise _fail(
            "The timestamp on the PDF's signature is not a valid timestamp of that signature: it was changed or forged."
        )
    cert = x509.load_der_x509_certificate(stamp.signing_cert.dump())
    return RecordTimestamp(stamp.timestamp, describe_name(cert.subject), fingerprint(cert), bool(stamp.trusted))


def _verify(data: bytes, trusted: Sequence[x509.Certificate], tsa_roots: Sequence[x509.Certificate]) -> VerifiedRecord:
    _quiet_pdf_libraries()
    load_pyhanko()
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    signatures = reader.embedded_signatures
    if len(signatures) != 1:
        raise _fail(f"The PDF carries {len(signatures)} signatures; a sealed record carries exactly one.")
    signature = signatures[0]
    context = ValidationContext(trust_roots=[_asn1(c) for c in trusted])
    ts_context = ValidationContext(trust_roots=[_asn1(c) for c in tsa_roots])
    status = validate_pdf_signature(signature, signer_validation_context=context, ts_validation_context=ts_context)
    if not status.intact:
        raise _fail("The PDF was changed after it was signed: its content no longer matches the signature.")
    if not status.valid:
        raise _fail("The PDF's digital signature is not valid: it was damaged or forged.")
    if status.coverage is not SignatureCoverageLevel.ENTIRE_FILE:
        raise _fail("The signature does not cover the whole file: something was added after signing.")
    signer_fp = status.signing_cert.sha256.hex(":").upper()
    trusted_fps = {fingerprint(c) for c in trusted}
    if signer_fp not in trusted_fps:
        raise _fail(
            "The PDF was signed by a certificate that is not this site's "
            f"({describe_name(x509.load_der_x509_certificate(status.signing_cert.dump()).subject)}, SHA-256 {signer_fp}). "
            "Check it with the certificate of the site that made it (--certificate)."
        )
    _check_cms(signature.signed_data, trusted_fps)
    files = _embedded_files(reader)
    if len(files) != 1 or not files[0][0].startswith(EMBEDDED_PREFIX):
        raise _fail("The PDF does not carry exactly one attached sealed record.")
    name, embedded = files[0]
    try:
        record = SealedRecord.from_canonical(embedded)
    except RecordFormatError as exc:
        raise _fail(f"The attached record cannot be used: {exc.message}") from exc
    view = record.view
    if name != embedded_file_name(view.record_id):
        raise _fail("The attached record's file name does not match its record ID.")
    sha256 = record.sha256
    subject = _SUBJECT.match(_metadata_subject(reader))
    if subject is None:
        raise _fail("The PDF's metadata do not name the record and its hash.")
    if subject["hash"] != sha256 or subject["id"] != view.record_id:
        raise _fail(
            f"The attached record (SHA-256 {sha256}) is not the record this PDF was made for "
            f"(SHA-256 {subject['hash']}): the attachment was changed."
        )
    printed, audit = _printed(data)
    if len(audit) != 1:
        raise _fail("The pages do not all print the same audit trail line: the PDF was not made by this program.")
    for page, value in enumerate(printed, start=1):
        if value != sha256:
            shown = value or "none found"
            raise _fail(f"Page {page} prints the record hash {shown}, but the attached record's SHA-256 is {sha256}.")
    amends = view.amends
    cert = x509.load_der_x509_certificate(status.signing_cert.dump())
    return VerifiedRecord(
        record_id=view.record_id,
        sha256=sha256,
        signers=record.signers(),
        certificate_fingerprint=signer_fp,
        certificate_subject=describe_name(cert.subject),
        kind=view.kind,
        amends=None if amends is None else f"{amends.record_id} (SHA-256 {amends.sha256})",
        record=record,
        timestamp=_timestamp(signature, status),
        audit_line=next(iter(audit)),
    )
