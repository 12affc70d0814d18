"""The record shows each laboratory result exactly as reported, with its date, laboratory, assay and detection
limit: in the PDF's text and in its JSON (the sealed canonical record). A record sealed before results were kept as
reported (tests/data/sealed-record-before-lab-results.json, sealed by the release before) stays readable, its hash
holds, and it can still be corrected."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cryptography import x509

from hemgenix_desktop.domain.eligibility import EligibilityAnswers, check_eligibility
from hemgenix_desktop.domain.lab_result import Analyte, lab_result
from hemgenix_desktop.records.record_pdf import render_record_pdf
from hemgenix_desktop.records.verify import verify_record_pdf
from hemgenix_desktop.security.seal import SealedRecord, preparation_sha256
from tests.helpers.preparations import amendment, complete_preparation, sealed_record
from tests.records.conftest import page_texts

DATA = Path(__file__).parents[1] / "data"
OLD_RECORD = DATA / "sealed-record-before-lab-results.json"  # the factory's record, sealed by the release before
OLD_PDF = DATA / "sealed-record-before-lab-results.pdf"  # that record's signed PDF, made by the release before
OLD_SITE = DATA / "sealed-record-before-lab-results-site.pem"  # the certificate it was signed with
FINGERPRINT = "AB:" * 31 + "CD"


def _retested_record() -> SealedRecord:
    prep = complete_preparation()
    assert prep.order is not None
    prep.eligibility = EligibilityAnswers(
        True,
        False,
        lab_result(Analyte.INHIBITOR, "0.8 BU", "2026-11-02", "Central Coagulation Laboratory"),
        lab_result(Analyte.NAB_TITRE, "not detected", "2026-11-02", "Central Coagulation Laboratory", "1:50", 7),
        lab_result(Analyte.INHIBITOR, "< 0.3 Bethesda units", "2026-11-16", "Regional Hemostasis Lab"),
    )
    prep.eligibility_confirmed = check_eligibility(
        prep.eligibility, prep.order.patient.date_of_birth, prep.order.infusion_date
    )
    return sealed_record(prep)


def test_the_pdf_shows_each_result_as_reported_with_date_laboratory_and_assay() -> None:
    text = " ".join(
        " ".join(page_texts(render_record_pdf(_retested_record(), certificate_fingerprint=FINGERPRINT))).split()
    )
    assert "Laboratory results, as reported" in text
    assert "Factor IX inhibitor 0.8 BU 2026-11-02 Central Coagulation Laboratory positive (0.6 BU or more)" in text
    assert (
        "Factor IX inhibitor re-test < 0.3 Bethesda units 2026-11-16 Regional Hemostasis Lab negative (below 0.6 BU)"
        in text
    )
    assert "not detected 2026-11-02 Central Coagulation Laboratory 7-point; limit 1:50" in text
    assert "re-test “< 0.3 Bethesda units” (2026-11-16, Regional Hemostasis Lab), 14 days later" in text


def test_the_json_keeps_each_result_as_reported() -> None:
    data = _retested_record().data
    assert data["derived"]["lab_results"] == [
        {
            "test": "Factor IX inhibitor",
            "reported": "0.8 BU",
            "date": "2026-11-02",
            "laboratory": "Central Coagulation Laboratory",
            "assay": "",
            "detection_limit": "",
            "reading": "positive (0.6 BU or more)",
        },
        {
            "test": "Factor IX inhibitor re-test",
            "reported": "< 0.3 Bethesda units",
            "date": "2026-11-16",
            "laboratory": "Regional Hemostasis Lab",
            "assay": "",
            "detection_limit": "",
            "reading": "negative (below 0.6 BU)",
        },
        {
            "test": "Anti-AAV5 NAb titre",
            "reported": "not detected",
            "date": "2026-11-02",
            "laboratory": "Central Coagulation Laboratory",
            "assay": "7-point",
            "detection_limit": "1:50",
            "reading": "within the 7-point assay's limit of 1:678",
        },
    ]
    eligibility = data["preparation"]["eligibility"]
    assert eligibility["inhibitor_retest"] == {
        "analyte": "inhibitor",
        "reported": "< 0.3 Bethesda units",
        "qualifier": "<",
        "value": "0.3",
        "on": "2026-11-16",
        "laboratory": "Regional Hemostasis Lab",
        "detection_limit": None,
        "assay_points": None,
    }
    assert eligibility["titre"]["qualifier"] == "negative"
    assert eligibility["titre"]["detection_limit"] == "50"


def test_a_record_sealed_before_results_were_kept_as_reported_stays_readable() -> None:
    old = SealedRecord.from_canonical(OLD_RECORD.read_bytes())
    assert old.view.lab_results == ()
    assert old.view.eligibility[3] == "Factor IX inhibitor 0.2 BU (below 0.6 BU)."
    assert preparation_sha256(old.preparation()) == old.content_sha256  # the signatures still hold on it
    text = " ".join(page_texts(render_record_pdf(old, certificate_fingerprint=FINGERPRINT)))
    assert "Laboratory results, as reported" not in text
    assert "Factor IX inhibitor 0.2 BU (below 0.6 BU)." in text


def test_a_signed_record_pdf_made_before_still_verifies() -> None:
    certificate = x509.load_pem_x509_certificate(OLD_SITE.read_bytes())
    verified = verify_record_pdf(OLD_PDF.read_bytes(), [certificate])
    assert verified.record.canonical == OLD_RECORD.read_bytes()
    assert verified.record.view.lab_results == ()
    assert verified.kind == "original"


def test_a_record_sealed_before_can_still_be_corrected_and_the_correction_shows_its_results() -> None:
    old = SealedRecord.from_canonical(OLD_RECORD.read_bytes())
    corrected = amendment(old, {"check.diluent_lot": "NS24K999"}).record
    rows = corrected.view.lab_results
    assert [(r.test, r.reported, r.on, r.laboratory) for r in rows] == [
        ("Factor IX inhibitor", "0.2", None, ""),
        ("Anti-AAV5 NAb titre", "1:300", None, ""),
    ]
    assert corrected.data["preparation"]["eligibility"] == old.data["preparation"]["eligibility"]
    assert corrected.view.eligibility[3] == "Factor IX inhibitor “0.2”: negative (below 0.6 BU)."
    assert date(2026, 12, 1) == corrected.view.order.infusion_date
