"""``verify``: a signed record passes; any changed byte, an edited attachment, or a foreign certificate fails."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from hypothesis import given, settings
from hypothesis import strategies as st

from hemgenix_desktop.cli import main
from hemgenix_desktop.records.pades import embed_and_sign
from hemgenix_desktop.records.record_pdf import build_record_pdf, render_record_pdf
from hemgenix_desktop.records.verify import RecordNotVerified, verify_record_pdf
from hemgenix_desktop.security.seal import SealedRecord, canonical_json
from hemgenix_desktop.security.site_keys import (
    SiteCertificate,
    create_site_certificate,
    import_pkcs12,
    trusted_certificates,
)
from tests.helpers.preparations import complete_preparation, sealed_record


def reason(data: bytes, site: SiteCertificate) -> str:
    with pytest.raises(RecordNotVerified) as caught:
        verify_record_pdf(data, [site.certificate])
    return caught.value.message


def test_a_signed_record_verifies(record_pdf: bytes, record: SealedRecord, site: SiteCertificate) -> None:
    result = verify_record_pdf(record_pdf, [site.certificate])
    assert result.record_id == "HGX-20261201-3F9A1C2B"
    assert result.sha256 == record.sha256
    assert result.kind == "original"
    assert result.amends is None
    assert result.certificate_fingerprint == site.fingerprint
    assert result.record.canonical == record.canonical
    assert result.signers == (
        "Prepared by: Tara Technician (ttech, technician) at 2026-12-01 15:33:00 UTC",
        "Verified by: Pat Pharmacist (ppharm, pharmacist) at 2026-12-01 15:39:00 UTC",
    )


def test_the_command_prints_record_id_and_signers(
    record_pdf: bytes, site_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "record.pdf"
    path.write_bytes(record_pdf)
    assert main(["verify", str(path), "--data-dir", str(site_dir)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "VERIFIED: record HGX-20261201-3F9A1C2B"
    assert "Prepared by: Tara Technician (ttech, technician) at 2026-12-01 15:33:00 UTC" in out
    assert "Verified by: Pat Pharmacist (ppharm, pharmacist) at 2026-12-01 15:39:00 UTC" in out


def _signature_span(data: bytes) -> tuple[int, int, int]:
    """(first hex digit of the signature, end of its DER in hex digits, closing bracket)."""
    start = data.index(b"/Contents <") + len(b"/Contents <")
    end = data.index(b">", start)
    used = 2 * int.from_bytes(bytes.fromhex(data[start + 4 : start + 8].decode()), "big") + 8
    return start, start + used, end


def _flip_each(data: bytes, positions: list[int], site: SiteCertificate) -> None:
    for position in positions:
        tampered = bytearray(data)
        tampered[position] ^= 0x01
        with pytest.raises(RecordNotVerified):
            verify_record_pdf(bytes(tampered), [site.certificate])


@pytest.mark.slow
def test_a_byte_changed_anywhere_fails(record_pdf: bytes, site: SiteCertificate) -> None:
    """Evenly spread over the file, plus the signature's edges, its zero padding, the attachment, the
    cross-reference table and the last byte."""
    start, der_end, end = _signature_span(record_pdf)
    spread = list(range(0, len(record_pdf), max(1, len(record_pdf) // 60)))
    marks = [
        record_pdf.index(b"xref"),
        record_pdf.rindex(b"startxref") + 12,
        record_pdf.index(b"/EmbeddedFile") + 3,
        start,
        start + 3,
        der_end - 1,
        der_end,
        record_pdf.rindex(b"00000", start, end),
        end - 1,
        end,
        len(record_pdf) - 1,
    ]
    positions = sorted({*spread, *marks})
    assert len(positions) > 60
    _flip_each(record_pdf, positions, site)


@pytest.mark.slow
def test_a_byte_changed_anywhere_in_the_signature_itself_fails(record_pdf: bytes, site: SiteCertificate) -> None:
    """Every third hex digit of the signature: the part of the file the signature's own digest does not
    cover (its certificates, algorithm fields, lengths)."""
    start, der_end, _ = _signature_span(record_pdf)
    positions = list(range(start, der_end, 3))
    assert len(positions) > 900
    _flip_each(record_pdf, positions, site)


def test_a_hex_digit_changed_only_in_case_fails(record_pdf: bytes, site: SiteCertificate) -> None:
    start = record_pdf.index(b"/Contents <") + len(b"/Contents <")
    letter = next(i for i in range(start, start + 200) if record_pdf[i : i + 1] in b"ABCDEF")
    tampered = bytearray(record_pdf)
    tampered[letter] = ord(chr(tampered[letter]).lower())
    assert reason(bytes(tampered), site) == "The signature's bytes in the file were changed after signing."


def test_bytes_added_after_signing_fail(record_pdf: bytes, site: SiteCertificate) -> None:
    assert reason(record_pdf + b"\n% appended\n", site) == (
        "The signature does not cover the whole file: something was added or removed after signing."
    )


def test_a_changed_page_fails(record_pdf: bytes, site: SiteCertificate) -> None:
    at = record_pdf.index(b"/MediaBox") + 12
    tampered = record_pdf[:at] + (b"7" if record_pdf[at : at + 1] != b"7" else b"8") + record_pdf[at + 1 :]
    assert reason(tampered, site) == (
        "The PDF was changed after it was signed: its content no longer matches the signature."
    )


def _edited(record: SealedRecord) -> bytes:
    data = record.data
    data["derived"]["calculation"]["vials"] = 14
    return canonical_json(data)


def test_an_attachment_replaced_in_a_later_update_fails(
    record_pdf: bytes, record: SealedRecord, site: SiteCertificate
) -> None:
    from pyhanko.pdf_utils import embed
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(record_pdf))
    spec = writer.root["/Names"]["/EmbeddedFiles"]["/Names"][1].get_object()
    replacement = embed.EmbeddedFileObject.from_file_data(writer, _edited(record), mime_type="application/json")
    spec["/EF"]["/F"] = writer.add_object(replacement)
    spec["/EF"]["/UF"] = spec["/EF"]["/F"]
    writer.update_container(spec)
    out = io.BytesIO()
    writer.write(out)
    assert reason(out.getvalue(), site) == (
        "The signature does not cover the whole file: something was added or removed after signing."
    )


def test_an_edited_record_attached_before_signing_fails(record: SealedRecord, site: SiteCertificate) -> None:
    # Someone with the site's key signs pages that print one record but carry an edited one: the hashes differ.
    other = sealed_record(complete_preparation(weight="73"))
    pages = render_record_pdf(record, certificate_fingerprint=site.fingerprint)
    forged = embed_and_sign(
        pages, other.canonical, record_id=record.record_id, sha256=record.sha256, site=site, location="x"
    )
    message = reason(forged, site)
    assert message == "The attached record's file name does not match its record ID." or message.startswith(
        f"The attached record (SHA-256 {other.sha256}) is not the record this PDF was made for"
    )
    # The same, with the record ID kept: the metadata hash no longer matches the attachment.
    edited = _edited(record)
    forged = embed_and_sign(pages, edited, record_id=record.record_id, sha256=record.sha256, site=site, location="x")
    with pytest.raises(RecordNotVerified) as caught:
        verify_record_pdf(forged, [site.certificate])
    assert caught.value.message.endswith("the attachment was changed.")


def test_an_attachment_that_is_not_a_canonical_record_fails(record: SealedRecord, site: SiteCertificate) -> None:
    pages = render_record_pdf(record, certificate_fingerprint=site.fingerprint)
    pretty = json.dumps(record.data, indent=1).encode()
    forged = embed_and_sign(pages, pretty, record_id=record.record_id, sha256=record.sha256, site=site, location="x")
    assert reason(forged, site) == (
        "The attached record cannot be used: The record is not in canonical form, so its hash cannot be trusted."
    )


def test_a_record_signed_by_another_certificate_fails(
    record: SealedRecord, site: SiteCertificate, tmp_path: Path, capsys: pytest.CaptureFixture[str], site_dir: Path
) -> None:
    other = create_site_certificate(tmp_path / "other", "Other Pharmacy")
    foreign = build_record_pdf(record, other)
    assert reason(foreign, site) == (
        "The PDF was signed by a certificate that is not this site's "
        f"(O=Other Pharmacy,CN=Hemgenix Prep record signing: Other Pharmacy, SHA-256 {other.fingerprint}). "
        "Check it with the certificate of the site that made it (--certificate)."
    )
    path = tmp_path / "foreign.pdf"
    path.write_bytes(foreign)
    assert main(["verify", str(path), "--data-dir", str(site_dir)]) == 1
    assert capsys.readouterr().err.startswith(
        "NOT VERIFIED: The PDF was signed by a certificate that is not this site's"
    )
    cert = tmp_path / "other.pem"
    cert.write_bytes(other.certificate.public_bytes(serialization.Encoding.PEM))
    assert main(["verify", str(path), "--certificate", str(cert)]) == 0
    assert capsys.readouterr().out.startswith("VERIFIED: record HGX-20261201-3F9A1C2B")


@pytest.mark.slow
def test_a_record_signed_with_an_imported_hospital_certificate_verifies(tmp_path: Path) -> None:
    from tests.security.test_seal_site_keys import hospital_p12

    p12, cert = hospital_p12()
    site = import_pkcs12(tmp_path, p12, b"s3cret")
    pdf = build_record_pdf(sealed_record(), site)
    result = verify_record_pdf(pdf, trusted_certificates(tmp_path))
    assert result.certificate_subject == "CN=Example Hospital Pharmacy Records"
    tampered = bytearray(pdf)
    tampered[pdf.index(b"/Contents <") + 3000] ^= 0x01  # inside the embedded CA certificate
    with pytest.raises(RecordNotVerified):
        verify_record_pdf(bytes(tampered), [cert])


@pytest.mark.slow
def test_a_record_signed_before_the_site_changed_certificate_verifies_once_the_trail_approves_it(
    tmp_path: Path,
) -> None:
    record = sealed_record()
    old = create_site_certificate(tmp_path, "St. Example")
    pdf = build_record_pdf(record, old)
    new = create_site_certificate(tmp_path, "St. Example")
    assert new.fingerprint != old.fingerprint
    with pytest.raises(RecordNotVerified):  # the retired certificate's file alone is trusted by nothing
        verify_record_pdf(pdf, trusted_certificates(tmp_path))
    approved = trusted_certificates(tmp_path, [old.fingerprint])  # the fingerprints the trail approves
    assert verify_record_pdf(pdf, approved).certificate_fingerprint == old.fingerprint


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is not a PDF."),
        (b"hello", "The file is not a PDF."),
        (
            b"%PDF-1.7\n%%EOF\n",
            "The PDF must carry exactly one signature; this one does not. It is not a sealed record of this program.",
        ),
    ],
)
def test_what_is_not_a_signed_record_fails_with_a_sentence(data: bytes, message: str, site: SiteCertificate) -> None:
    assert reason(data, site) == message


def test_an_unsigned_label_is_not_a_record(label_pdf: bytes, site: SiteCertificate) -> None:
    assert reason(label_pdf, site).startswith("The PDF must carry exactly one signature")


def test_without_a_site_certificate_the_command_says_what_to_do(
    record_pdf: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "record.pdf"
    path.write_bytes(record_pdf)
    assert main(["verify", str(path), "--data-dir", str(tmp_path / "empty")]) == 1
    assert capsys.readouterr().err == (
        "NOT VERIFIED: There is no site certificate to check the signature against. Give the site's certificate "
        "with --certificate CERT, or run this on a workstation of the site.\n"
    )
    assert main(["verify", str(tmp_path / "missing.pdf")]) == 2  # a file given that is not there: invalid input
    assert "NOT VERIFIED:" in capsys.readouterr().err


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(min_value=0, max_value=10**6), junk=st.binary(max_size=64))
@pytest.mark.slow
def test_a_truncated_or_spliced_file_gives_only_the_verifier_s_own_error(
    cut: int, junk: bytes, record_pdf: bytes, site: SiteCertificate
) -> None:
    cut %= len(record_pdf)
    for damaged in (record_pdf[:cut], record_pdf[:cut] + junk + record_pdf[cut + len(junk) :]):
        if damaged == record_pdf:
            continue
        with pytest.raises(RecordNotVerified):
            verify_record_pdf(damaged, [site.certificate])


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=4096))
def test_arbitrary_bytes_give_only_the_verifier_s_own_error(data: bytes, site: SiteCertificate) -> None:
    with pytest.raises(RecordNotVerified):
        verify_record_pdf(b"%PDF-1.7\n" + data, [site.certificate])
