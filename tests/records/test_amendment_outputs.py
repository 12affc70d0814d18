"""An amendment's record PDF, bag label and verification: unmistakably an amendment, on every page."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pypdf
import pytest
import zxingcpp

from hemgenix_desktop.cli import main
from hemgenix_desktop.records.label_pdf import build_label_pdf, parse_label_size
from hemgenix_desktop.records.pades import embed_and_sign
from hemgenix_desktop.records.record_pdf import build_record_pdf, render_record_pdf
from hemgenix_desktop.records.verify import RecordNotVerified, verify_record_pdf
from hemgenix_desktop.security.seal import SealedRecord, canonical_json
from hemgenix_desktop.security.site_keys import SiteCertificate
from tests.helpers.preparations import (
    AMENDED_AT,
    SECOND_PHARMACIST,
    Amended,
    amendment,
    complete_preparation,
    sealed_record,
)
from tests.helpers.preparations import PHARMACIST as CORRECTOR
from tests.records.conftest import page_texts, render

LONG_PRESCRIBER = "Dr. Maria Rivera-Castellanos, MD, Division of Hematology, Oncology and Bleeding Disorders"
FIXES = {
    "check.diluent_lot": "NS24K114",
    "patient.full_name": "Alexandra Example",
    "order.prescriber": LONG_PRESCRIBER,
}
ORIGINAL_ID = "HGX-20261201-3F9A1C2B"


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def amended() -> Amended:
    return amendment(sealed_record(), FIXES, reason="Name, prescriber and diluent lot were typed wrong.")


@pytest.fixture(scope="module")
def amendment_pdf(amended: Amended, site: SiteCertificate) -> bytes:
    return build_record_pdf(amended.record, site)


@pytest.fixture(scope="module")
def texts(amendment_pdf: bytes) -> list[str]:
    return [flat(t) for t in page_texts(amendment_pdf)]


@pytest.mark.slow
def test_every_page_says_amendment_beside_the_record_id(texts: list[str], amended: Amended) -> None:
    assert len(texts) >= 2
    for number, page in enumerate(texts, start=1):
        assert f"Record ID {amended.record.record_id}" in page
        assert f"AMENDMENT 1 of record {ORIGINAL_ID}" in page
        assert f"Page {number} of {len(texts)}" in page


def test_the_amendment_section_comes_first_with_record_hash_reason_and_when(texts: list[str], amended: Amended) -> None:
    first = texts[0]
    original = sealed_record()
    grouped = " ".join(original.sha256[i : i + 8] for i in range(0, 64, 8))
    # the Amendment section, then the summary box; the Patient section follows
    assert first.index("Amendment") < first.index("What was corrected") < first.index("Carton identifier HGX-PSI")
    whole = " ".join(texts)
    assert whole.index("This record amends") < whole.index("Name Alexandra Example")
    assert f"This record amends {ORIGINAL_ID} (SHA-256 {grouped})." in first
    assert (
        "It replaces that record from 2026-12-01 12:11 CST, when this amendment was sealed; that record, sealed "
        "2026-12-01 09:41 CST, is kept unchanged."
    ) in first
    assert "Reason for the amendment Name, prescriber and diluent lot were typed wrong." in first


def test_the_changes_table_shows_field_was_and_now(texts: list[str]) -> None:
    first = texts[0]
    assert "What was corrected Was Now" in first
    assert "Patient name Alex Example Alexandra Example" in first
    assert "0.9% sodium chloride lot number NS24K113 NS24K114" in first
    # a long value wraps inside its cell and stays whole
    assert "Prescriber Dr. Maria Rivera Dr. Maria" in first
    assert all(word in first for word in LONG_PRESCRIBER.split())


def test_the_signatures_of_the_record_corrected_are_shown(texts: list[str]) -> None:
    first = texts[0]
    assert f"The record corrected ({ORIGINAL_ID}) was signed by:" in first
    assert "Prepared by Tara Technician (user ttech) technician 2026-12-01 09:33 CST 2026-12-01 15:33 UTC" in first
    assert "Verified by Pat Pharmacist (user ppharm) pharmacist 2026-12-01 09:39 CST 2026-12-01 15:39 UTC" in first


def test_the_amendment_is_signed_amended_by_and_verified_by(texts: list[str]) -> None:
    whole = " ".join(texts)
    assert "Amended by Pat Pharmacist · Verified by Quinn Pharmacist" in whole  # the summary
    assert ("Amended by Pat Pharmacist user ppharm pharmacist 2026-12-01 12:03:00 CST (UTC-06:00) PHARM-WS-02") in whole
    assert (
        "Verified by Quinn Pharmacist user qpharm pharmacist 2026-12-01 12:09:00 CST (UTC-06:00) PHARM-WS-02"
    ) in whole
    # the corrected values are what the rest of the record shows; the corrected answer names who corrected it
    assert "Name Alexandra Example" in whole
    assert f"Prescriber {LONG_PRESCRIBER}" in whole
    assert "0.9% sodium chloride (diluent) NS24K114" in whole
    assert re.search(r"NS24K114 Pat Pharmacist \(ppharm\) 2026-12-01 12:00 CST", whole)


@pytest.mark.slow
def test_an_original_record_has_no_amendment_marking(record_pdf: bytes) -> None:
    for page in page_texts(record_pdf):
        assert "AMENDMENT" not in page
        assert "Amended by" not in page


def test_a_second_amendment_names_the_first_record_and_the_one_it_amends(
    amended: Amended, site: SiteCertificate
) -> None:
    second = amendment(
        amended.record,
        {"order.authorization_number": "PA-KS-99813"},
        number=2,
        reason="The prior authorization number was typed wrong.",
        corrector=SECOND_PHARMACIST,
        verifier=CORRECTOR,
        at=AMENDED_AT.replace(hour=19),
    )
    texts = [flat(t) for t in page_texts(render_record_pdf(second.record, certificate_fingerprint=site.fingerprint))]
    for page in texts:
        assert f"AMENDMENT 2 of record {ORIGINAL_ID}" in page
    first = texts[0]
    assert f"This record amends {amended.record.record_id}" in first
    assert (
        f"{amended.record.record_id} was itself a correction; the first record of this preparation is {ORIGINAL_ID}"
        in first
    )
    assert "Authorization number PA-KS-99812 PA-KS-99813" in first
    assert "Amended by Pat Pharmacist (user ppharm)" in first  # who signed the amendment it corrects


@pytest.mark.slow
def test_the_qr_code_of_an_amendment_holds_its_own_record_id(
    amendment_pdf: bytes, amended: Amended, tmp_path: Path
) -> None:
    image = render(amendment_pdf, tmp_path, dpi=150, page=1)
    codes = [c.text for c in zxingcpp.read_barcodes(image) if c.format == zxingcpp.BarcodeFormat.QRCode]
    assert len(codes) == 1
    assert amended.record.record_id in codes[0]
    assert amended.record.sha256 in codes[0]


# --- the label ---------------------------------------------------------------------------------------------
def test_the_amended_label_says_which_label_it_replaces(amended: Amended) -> None:
    text = flat(page_texts(build_label_pdf(amended.record))[0])
    assert f"AMENDED LABEL — replaces the label of record {ORIGINAL_ID}" in text
    assert "Alexandra Example" in text
    # who made the dose, then who corrected the record
    assert text.index("Prepared by Tara Technician · Verified by Pat Pharmacist") < text.index(
        "Amended by Pat Pharmacist · Verified by Quinn Pharmacist"
    )
    assert "NO CENTRAL LINE OR PORT · NO IV PUSH OR BOLUS · OWN LINE" in text


def test_a_second_correction_still_names_who_made_the_dose(amended: Amended, site: SiteCertificate) -> None:
    second = amendment(
        amended.record,
        {"order.authorization_number": "PA-KS-99813"},
        number=2,
        reason="The prior authorization number was typed wrong.",
        corrector=SECOND_PHARMACIST,
        verifier=CORRECTOR,
        at=AMENDED_AT + timedelta(hours=1),
    )
    label = flat(page_texts(build_label_pdf(second.record))[0])
    assert "Prepared by Tara Technician · Verified by Pat Pharmacist" in label
    assert "Amended by Quinn Pharmacist · Verified by Pat Pharmacist" in label
    record = " ".join(flat(t) for t in page_texts(build_record_pdf(second.record, site)))
    assert f"The dose itself was prepared and verified, in record {ORIGINAL_ID}, by:" in record


def test_an_original_label_is_not_marked_amended(label_pdf: bytes) -> None:
    assert "AMENDED" not in page_texts(label_pdf)[0]


@pytest.mark.parametrize("size", ["4x6in", "4x5in", "100x150mm", "6x4in", "3x6in"])
@pytest.mark.slow
def test_the_amended_label_fits_every_size_with_the_constraints_in_bold(
    size: str, amended: Amended, tmp_path: Path
) -> None:
    label = build_label_pdf(amended.record, size=parse_label_size(size))
    reader = pypdf.PdfReader(io.BytesIO(label))
    assert len(reader.pages) == 1
    fonts: dict[str, set[str]] = {}

    def visit(text: str, cm: object, tm: object, font: dict[str, object] | None, font_size: float) -> None:
        if font is not None and text.strip():
            fonts.setdefault(text.strip(), set()).add(str(font.get("/BaseFont", "")))

    text = flat(reader.pages[0].extract_text(visitor_text=visit))
    assert f"replaces the label of record {ORIGINAL_ID}" in text
    for phrase in ("NO CENTRAL LINE OR PORT ·", "NO IV PUSH OR BOLUS ·", "OWN LINE"):
        assert phrase in fonts, sorted(fonts)
        assert all(name.endswith("DejaVuSans-Bold") for name in fonts[phrase])
    assert "COMPLETE INFUSION BY" in text
    codes = zxingcpp.read_barcodes(render(label, tmp_path, dpi=300))
    assert [c.text for c in codes] == [amended.record.record_id]


# --- verify --------------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_an_amendment_verifies_and_the_command_prints_what_it_corrects(
    amendment_pdf: bytes,
    amended: Amended,
    site: SiteCertificate,
    site_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    original = sealed_record()
    result = verify_record_pdf(amendment_pdf, [site.certificate])
    assert result.kind == "amendment"
    assert result.amends == f"{ORIGINAL_ID} (SHA-256 {original.sha256})"
    lines = (
        f"Amendment 1 of {ORIGINAL_ID}; amends {ORIGINAL_ID} (SHA-256 {original.sha256})",
        "Reason: Name, prescriber and diluent lot were typed wrong.",
        "Corrected: Patient name: “Alex Example” → “Alexandra Example”",
        f"Corrected: Prescriber: “Dr. Maria Rivera” → “{LONG_PRESCRIBER}”",
        "Corrected: 0.9% sodium chloride lot number: “NS24K113” → “NS24K114”",
    )
    assert result.amendment_lines() == lines
    path = tmp_path / "amendment.pdf"
    path.write_bytes(amendment_pdf)
    assert main(["verify", str(path), "--data-dir", str(site_dir)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"VERIFIED: record {amended.record.record_id}"
    for line in lines:
        assert line in out
    assert "Amended by: Pat Pharmacist (ppharm, pharmacist) at 2026-12-01 18:03:00 UTC" in out
    assert "Verified by: Quinn Pharmacist (qpharm, pharmacist) at 2026-12-01 18:09:00 UTC" in out


def test_an_original_record_prints_no_amendment_lines(
    record_pdf: bytes, site: SiteCertificate, site_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert verify_record_pdf(record_pdf, [site.certificate]).amendment_lines() == ()
    path = tmp_path / "record.pdf"
    path.write_bytes(record_pdf)
    assert main(["verify", str(path), "--data-dir", str(site_dir)]) == 0
    assert "Amendment" not in capsys.readouterr().out


@pytest.mark.parametrize(
    "edit",
    ["reason", "change", "amended_record"],
)
def test_an_amendment_whose_embedded_record_was_edited_fails(
    edit: str,
    amended: Amended,
    site: SiteCertificate,
    site_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    record = amended.record
    data = record.data
    if edit == "reason":
        data["amends"]["reason"] = "No reason."
    elif edit == "change":
        data["amends"]["changes"][0]["before"] = "Someone Else"
    else:
        data["amends"]["record_id"] = "HGX-20261201-00000000"
    pages = render_record_pdf(record, certificate_fingerprint=site.fingerprint)
    forged = embed_and_sign(
        pages, canonical_json(data), record_id=record.record_id, sha256=record.sha256, site=site, location="x"
    )
    with pytest.raises(RecordNotVerified) as caught:
        verify_record_pdf(forged, [site.certificate])
    assert caught.value.message.endswith("the attachment was changed.")
    path = tmp_path / "forged.pdf"
    path.write_bytes(forged)
    assert main(["verify", str(path), "--data-dir", str(site_dir)]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith("NOT VERIFIED: The attached record (SHA-256 ")
    assert captured.out == ""


def test_a_practice_amendment_carries_both_markings(site: SiteCertificate) -> None:
    practice = amendment(sealed_record(complete_preparation(practice=True))).record
    for page in page_texts(render_record_pdf(practice, certificate_fingerprint=site.fingerprint)):
        assert "PRACTICE — NOT FOR PATIENT USE" in page
        assert f"AMENDMENT 1 of record {ORIGINAL_ID}" in flat(page)
    label = flat(page_texts(build_label_pdf(practice))[0])
    assert "PRACTICE — NOT FOR PATIENT USE" in label
    assert "AMENDED LABEL" in label


def test_the_signed_amendment_is_the_record_that_was_sealed(amendment_pdf: bytes, amended: Amended) -> None:
    reader = pypdf.PdfReader(io.BytesIO(amendment_pdf))
    attached = reader.attachments
    (name,) = attached
    assert name == f"hemgenix-record-{amended.record.record_id}.json"
    assert SealedRecord.from_canonical(attached[name][0]).canonical == amended.record.canonical
