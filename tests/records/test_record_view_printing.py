"""The PDFs print what the record's typed view holds: the sealed product numbers, and records of earlier releases."""

from __future__ import annotations

import re

import pytest

from hemgenix_desktop.records.label_pdf import build_label_pdf
from hemgenix_desktop.records.record_pdf import render_record_pdf
from hemgenix_desktop.security.seal import SealedRecord, canonical_json
from tests.helpers.preparations import amended_record, sealed_record
from tests.records.conftest import page_texts

FINGERPRINT = "AB:" * 31 + "CD"


def flat_text(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page_texts(pdf)))


@pytest.mark.slow
def test_the_vial_volume_printed_is_the_one_sealed_with_the_product() -> None:
    data = sealed_record().data
    assert "15 vials × 10 mL;" in flat_text(render_record_pdf(sealed_record(), certificate_fingerprint=FINGERPRINT))
    data["derived"]["product"]["ml_per_vial"] = "12.5"
    other = SealedRecord.from_canonical(canonical_json(data))
    text = flat_text(render_record_pdf(other, certificate_fingerprint=FINGERPRINT))
    assert "15 vials × 12.5 mL;" in text
    assert "× 10 mL;" not in text


def test_the_product_name_on_the_label_is_the_one_sealed() -> None:
    data = sealed_record().data
    data["derived"]["product"]["name"] = "Productname"
    text = flat_text(build_label_pdf(SealedRecord.from_canonical(canonical_json(data))))
    assert "mL Productname, diluted in 0.9% sodium chloride" in text
    assert "Hemgenix" not in text


@pytest.mark.slow
def test_an_amendment_sealed_before_amendments_were_numbered_still_prints() -> None:
    original = sealed_record()
    data = amended_record(original).data
    data["amends"] = {key: data["amends"][key] for key in ("record_id", "sha256", "reason")}
    old = SealedRecord.from_canonical(canonical_json(data))
    pdf = render_record_pdf(old, certificate_fingerprint=FINGERPRINT)
    pages = page_texts(pdf)
    assert all(f"AMENDMENT of record {original.record_id}" in page for page in pages)
    text = flat_text(pdf)
    assert f"This record amends {original.record_id}" in text
    assert "was itself a correction" not in text
    assert "was signed by:" not in text
    assert "is kept unchanged" not in text
    label = flat_text(build_label_pdf(old))
    assert f"AMENDED LABEL — replaces the label of record {original.record_id}" in label
