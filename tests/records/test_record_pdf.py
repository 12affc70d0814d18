"""The printed record: every element the issue lists is on the page, readable by machine and by eye."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import zxingcpp

from hemgenix_desktop.domain.checks import load_checklist
from hemgenix_desktop.records.codes import parse_qr_payload, qr_payload
from hemgenix_desktop.records.common import LabelWithheld, Reprint
from hemgenix_desktop.records.record_pdf import build_record_pdf, render_record_pdf
from hemgenix_desktop.security.seal import SealedRecord
from hemgenix_desktop.security.site_keys import SiteCertificate
from tests.helpers.preparations import ZONE, complete_preparation, sealed_record
from tests.records.conftest import page_texts, render


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def texts(record_pdf: bytes) -> list[str]:
    return page_texts(record_pdf)


@pytest.fixture(scope="module")
def whole(texts: list[str]) -> str:
    return flat(" ".join(texts))


def test_every_page_has_the_header_and_footer(texts: list[str], record: SealedRecord, site: SiteCertificate) -> None:
    total = len(texts)
    assert 2 <= total <= 5
    for number, text in enumerate(texts, start=1):
        page = flat(text)
        assert "Hemgenix preparation record" in page
        assert "etranacogene dezaparvovec-drlb" in page
        assert "Record ID HGX-20261201-3F9A1C2B" in page
        assert "Site: St. Example Infusion Pharmacy · Workstation: PHARM-WS-02" in page
        assert f"Page {number} of {total}" in page
        grouped = " ".join(record.sha256[i : i + 8] for i in range(0, 64, 8))
        assert f"Record SHA-256: {grouped}" in page
        assert f"Site certificate SHA-256: {site.fingerprint}" in page
        assert "Attached electronic record: hemgenix-record-HGX-20261201-3F9A1C2B.json" in page
        assert "PRACTICE" not in page
        assert "COPY" not in page


@pytest.mark.parametrize(
    "element",
    [
        # patient
        "Name Alex Example",
        "Date of birth 1980-03-15",
        "MRN MRN-0001234",
        "Patient-specific identifier (order) HGX-PSI-7731",
        "Identifier on the carton HGX-PSI-7731, with date of birth 1980-03-15",
        "Identity verified Carton identifier and date of birth match the order: checked by Tara Technician (ttech) at "
        "2026-12-01 08:35 CST",
        # order
        "Order number ORD-2026-0458",
        "Prescriber Dr. Maria Rivera",
        "Prior authorization number PA-KS-99812",
        "HCPCS J1411 × 1 unit",
        "Infusion date 2026-12-01",
        "• Prior authorization on file for one dose.",
        "• Age 46 years (at least 18).",
        "• No prior AAV-vector gene therapy.",
        "• Factor IX inhibitor “0.2” (2026-11-20, Central Coagulation Laboratory): negative (below 0.6 BU).",
        "• Anti-AAV5 NAb titre “1:300” on the 9-point assay (2026-11-20, Central Coagulation Laboratory): within "
        "the 9-point assay's limit of 1:898.",
        # laboratory results, as reported
        "Factor IX inhibitor 0.2 2026-11-20 Central Coagulation Laboratory negative (below 0.6 BU)",
        "Anti-AAV5 NAb titre 1:300 2026-11-20 Central Coagulation Laboratory 9-point within the 9-point assay's "
        "limit of 1:898",
        # calculation
        "Weight used 72 kg (entered as “72”)",
        "Weight measured 2026-12-01 08:30 CST, Standing scale",
        "Prescription weight 72 kg on 2026-11-24",
        "Formula Dose = 72 kg × 2 mL/kg = 144 mL (72 kg × 2×1013 gc/kg = 1.44×1015 gc); vials = 144 mL ÷ 10 mL, "
        "rounded up = 15",
        "Dose volume 144 mL",
        "Dose in genome copies 1.44×1015 gc",
        "Vials 15 needed; kit of 15 vials",
        "150 mL supplied; 6 mL surplus discarded",
        "Withdrawal plan 14 full vials × 10 mL, then 4 mL from 1 more vial",
        # components
        "NDC 00053-0150-15 (11-digit) GTIN 00300530150153 LOT4471A 2027-05-31 SN000123",
        "15 vials × 10 mL; vial count verified: 15 counted; 144 mL drawn up",
        "0.9% sodium chloride (diluent) NS24K113 2027-06-30",
        # beyond use
        # every time printed once, in the site's zone with its offset (issue 21)
        "Prepared at 2026-12-01 09:30 CST (UTC-06:00)",
        "Complete infusion by 2026-12-02 09:30 CST (UTC-06:00) (24 hours after preparation)",
        "Storage of the diluted bag 15–25 °C, protected from light",
        # stops, overrides, deviations
        "No stop, warning or deviation was met during this preparation.",
        "No override was needed.",
        # signatures: meaning, printed name, username, role, local time with zone and offset (once), workstation
        "Prepared by Tara Technician user ttech technician 2026-12-01 09:33:00 CST (UTC-06:00) PHARM-WS-02",
        "Verified by Pat Pharmacist user ppharm pharmacist 2026-12-01 09:39:00 CST (UTC-06:00) PHARM-WS-02",
        # summary
        "Dose 144 mL = 1.44×1015 genome copies (72 kg) · 15 vials, kit NDC 00053-0150-15",
        "Complete infusion by 2026-12-02 09:30 CST",
    ],
)
def test_the_record_shows(element: str, whole: str) -> None:
    assert element in whole


def test_every_time_is_printed_once(whole: str) -> None:
    for utc in ("15:30 UTC", "15:33:00 UTC", "15:39:00 UTC"):  # not again in UTC beside the local time
        assert utc not in whole
    assert "Signed (UTC)" not in whole


def test_every_check_and_constraint_is_shown_with_its_answer_who_and_when(whole: str) -> None:
    answers = {
        "engineering_control": "Biological safety cabinet",
        "engineering_control_id": "BSC-3",
        "diluent_lot": "NS24K113",
        "diluent_expiry": "2027-06-30",
        "volume_drawn_ml": "144 mL",
        "final_volume_ml": "394 mL",
        "visual_inspection": "Passes inspection",
        "visual_inspection_diluted": "Passes inspection",
    }
    values = {"dose_ml": "144", "complete_by": "2026-12-02 09:30 CST", "rate_ml_per_h": "500"}
    items = load_checklist().items
    assert len(items) >= 17
    for item in items:
        row = re.escape(item.render(**values)) + r" " + re.escape(answers.get(item.id, "Confirmed"))
        assert re.search(row, whole), item.id
    # one person at one time answered each section: said once under it, not on every row (a shorter record)
    by = "Every check above was answered by Tara Technician (ttech) at 2026-12-01 09:25 CST."
    assert whole.count(by) == 2
    assert "Preparation checks" in whole
    assert "Administration constraints" in whole


@pytest.mark.slow
def test_the_qr_code_on_a_rendered_page_holds_record_id_and_hash(
    record_pdf: bytes, record: SealedRecord, tmp_path: Path
) -> None:
    image = render(record_pdf, tmp_path, dpi=150, page=1)
    codes = [c for c in zxingcpp.read_barcodes(image) if c.format == zxingcpp.BarcodeFormat.QRCode]
    assert len(codes) == 1
    assert codes[0].text == qr_payload(record.record_id, record.sha256)
    assert parse_qr_payload(codes[0].text) == (record.record_id, record.sha256)


def test_the_pdf_metadata_name_the_record_and_hash(record_pdf: bytes, record: SealedRecord) -> None:
    import io

    import pypdf

    meta = pypdf.PdfReader(io.BytesIO(record_pdf)).metadata
    assert meta is not None
    assert meta.title == "Hemgenix preparation record HGX-20261201-3F9A1C2B"
    assert meta.subject == f"record-id=HGX-20261201-3F9A1C2B; sha256={record.sha256}"


def test_a_practice_record_is_marked_on_every_page(site: SiteCertificate) -> None:
    record = sealed_record(complete_preparation(practice=True))
    texts = page_texts(render_record_pdf(record, certificate_fingerprint=site.fingerprint))
    for text in texts:
        # once in the header banner, once as the diagonal watermark
        assert flat(text).count("PRACTICE — NOT FOR PATIENT USE") == 2


def test_a_reprint_is_marked_copy_with_when_and_who(record: SealedRecord, site: SiteCertificate) -> None:
    reprint = Reprint(datetime(2026, 12, 3, 16, 15, tzinfo=UTC), "Pat Pharmacist", ZONE)
    texts = page_texts(build_record_pdf(record, site, reprint=reprint))
    for text in texts:
        assert "COPY — reprinted 2026-12-03 10:15 CST by Pat Pharmacist" in flat(text)


def test_a_weight_in_pounds_shows_the_entry_and_the_kg_used(site: SiteCertificate) -> None:
    prep = complete_preparation(weight="160 lb")
    record = sealed_record(prep)
    whole = flat(" ".join(page_texts(render_record_pdf(record, certificate_fingerprint=site.fingerprint))))
    # Issue 21: converted exactly; the rounding of what is shown is a rule printed beside it.
    assert (
        "Weight used 72.57 kg (entered as “160 lb”: 160 lb = 72.57 kg. 1 lb = 0.45359237 kg. The dose and the vials "
        "are calculated from the exact converted weight; the kg is shown rounded to 0.01 kg.)"
    ) in whole
    assert "Dose volume 145.15 mL" in whole
    assert "rounded up to 0.01 mL" in whole


def test_a_weight_drift_shows_the_notice_and_the_approved_override(site: SiteCertificate) -> None:
    record = sealed_record(complete_preparation(weight="71", today_weight="75"))
    whole = flat(" ".join(page_texts(render_record_pdf(record, certificate_fingerprint=site.fingerprint))))
    notice = (
        "Today's weight 75 kg differs from the prescription weight 71 kg by +4 kg (+5.6%, more than the site's 5%). The "
        "vial count stays 15; the dose is calculated on today's weight. A pharmacist other than the preparer must "
        "approve it at signing, with a reason (an override)."
    )
    assert f"Weight change notice {notice}" in whole
    assert f"notice weight {notice}" in whole  # the event, in the stops and deviations table
    assert (
        f"{notice} Weighed twice on the calibrated scale; prescriber agrees with dosing on today's weight. "
        "Pat Pharmacist (ppharm), pharmacist, 2026-12-01 15:40 UTC"
    ) in whole
    assert "Override approved" in whole


@pytest.mark.slow
def test_a_name_in_any_european_script_prints_as_typed(site: SiteCertificate) -> None:
    record = sealed_record(complete_preparation(full_name="Łukasz Żółć-Ørsted Παπαδόπουλος"))
    text = flat(page_texts(render_record_pdf(record, certificate_fingerprint=site.fingerprint))[0])
    assert "Łukasz Żółć-Ørsted Παπαδόπουλος" in text


def test_only_a_sealed_record_becomes_a_record_pdf(site: SiteCertificate) -> None:
    with pytest.raises(LabelWithheld) as caught:
        build_record_pdf(complete_preparation(), site)  # type: ignore[arg-type]
    assert caught.value.message == (
        "The record PDF is withheld until the record is sealed: the preparer and an independent pharmacist must both "
        "sign first."
    )


def test_a_pharmacists_finding_of_a_different_person_is_on_the_record(site: SiteCertificate) -> None:
    from hemgenix_desktop.domain.guards import SAME_MRN
    from hemgenix_desktop.domain.patient import PersonOverride

    prep = complete_preparation()
    prep.person_overrides["e1"] = PersonOverride(
        "e1",
        "77aa11bb",
        SAME_MRN,
        "qpharm",
        "Quinn Pharmacist",
        "pharmacist",
        "Photo IDs compared: another man.",
        datetime(2026, 12, 1, 15, 20, tzinfo=UTC),
    )
    whole = " ".join(" ".join(page_texts(build_record_pdf(sealed_record(prep), site))).split())
    assert (
        "One dose per person: preparation 77aa11bb had the same MRN; Quinn Pharmacist (qpharm), pharmacist, found it "
        "to be a different person on 2026-12-01 09:20 CST: Photo IDs compared: another man."
    ) in whole


def test_the_label_shows_the_sites_local_time_with_its_zone(label_pdf: bytes) -> None:
    label = " ".join(" ".join(page_texts(label_pdf)).split())
    assert "Prepared 2026-12-01 09:30 CST" in label
    assert "COMPLETE INFUSION BY 2026-12-02 09:30 CST" in label
    assert "15:30 UTC" not in label
